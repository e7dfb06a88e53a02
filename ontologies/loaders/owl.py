"""OWL ontologies in RDF/XML (OBO-style: oboInOwl annotations, IAO definitions) into the common model.

Read with rdflib. Named ``owl:Class`` resources whose IRI has a CURIE form (OBO PURLs and the IRI
bases of ``ontologies.curie``) become concepts; anonymous classes (blank nodes) and classes whose
IRI has no CURIE form are skipped and counted in the warnings.

Per class: ``rdfs:label`` (language tag, else the first of ``spec.languages``, else "en"; a second
label in one language becomes an EXACT synonym), ``oboInOwl:has{Exact,Narrow,Broad,Related}Synonym``
with the synonym type that an ``owl:Axiom`` annotation states (``oboInOwl:hasSynonymType``), treated
as the OBO loader does: an EXACT layperson/abbreviation synonym becomes LAYPERSON/ABBREVIATION, the
type name is kept in ``Synonym.source_type``; ``IAO:0000115`` definitions; ``rdfs:subClassOf`` a named
class → parent; ``rdfs:subClassOf [owl:onProperty P; owl:someValuesFrom X]`` → ``Relation(type, X)``
with ``part_of`` for BFO:0000050 and otherwise the property's label (or CURIE) in snake case;
``owl:deprecated true`` → obsolete; ``IAO:0100001`` → replaced_by; ``oboInOwl:hasDbXref`` → XREF
mappings on the concept (web links such as ``url:http://…``, met on definition axioms, are skipped).

Speed (rdflib 7.6 RDF/XML, this machine): symp_import.owl (0.76 MB, 7,969 triples) parses in ~0.45 s,
uberon_import.owl (0.33 MB, 3,805 triples) in ~0.2 s: about 17k triples/s, fine for import modules but
minutes for a full ontology of millions of triples (prefer the OBO release then).
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DC, DCTERMS

from ontologies.curie import is_curie, normalise_curie
from ontologies.errors import Errors, OntologyFormatError
from ontologies.loaders._rdf import Compactor, first_text, iris, is_true, literals, parse_rdf
from ontologies.loaders._support import (
    WarningLog,
    content_hash,
    date_in,
    default_language,
    language_tag,
    prefixes_by_count,
    read_bytes,
    slug,
)
from ontologies.model import (
    Concept,
    Definition,
    Label,
    Mapping,
    MappingPredicate,
    OntologyRelease,
    Relation,
    Release,
    Synonym,
    SynonymType,
)
from ontologies.spec import SourceSpec

OBO = Namespace("http://purl.obolibrary.org/obo/")
OBOINOWL = Namespace("http://www.geneontology.org/formats/oboInOwl#")
DEFINITION = OBO["IAO_0000115"]
REPLACED_BY = OBO["IAO_0100001"]

_SYNONYM_SCOPES: dict[URIRef, SynonymType] = {
    OBOINOWL["hasExactSynonym"]: SynonymType.EXACT,
    OBOINOWL["hasNarrowSynonym"]: SynonymType.NARROW,
    OBOINOWL["hasBroadSynonym"]: SynonymType.BROAD,
    OBOINOWL["hasRelatedSynonym"]: SynonymType.RELATED,
}
# Same reading of synonym type names as the OBO loader, so both formats of one ontology agree.
_TYPE_BY_NAME: dict[str, SynonymType] = {
    "layperson": SynonymType.LAYPERSON,
    "OMO:0003003": SynonymType.LAYPERSON,
    "abbreviation": SynonymType.ABBREVIATION,
    "acronym": SynonymType.ABBREVIATION,
    "OMO:0003000": SynonymType.ABBREVIATION,
    "OMO:0003012": SynonymType.ABBREVIATION,
}
# Relation names for properties that import modules use without declaring their labels.
_RELATION_NAMES: dict[str, str] = {
    "BFO:0000050": "part_of",
    "BFO:0000051": "has_part",
    "RO:0001025": "located_in",
    "RO:0002202": "develops_from",
    "RO:0002200": "has_phenotype",
    "RO:0004026": "disease_has_location",
}


def load_owl(spec: SourceSpec) -> OntologyRelease:
    """Read the RDF/XML OWL file ``spec.path`` into an OntologyRelease.

    Metadata in ``spec`` wins over the file: the source id defaults to the short name of the
    ontology IRI (``…/imports/symp_import.owl`` → ``symp_import``), the version to
    ``owl:versionInfo``, else the date in ``owl:versionIRI``, else a hash of the file.

    Raises:
        OntologyFormatError: missing file, XML or RDF/XML syntax error (naming the line), or a file
            without any triple.
    """
    data = read_bytes(spec.path)
    graph, rdf_warnings = parse_rdf(spec.path, data, rdf_format="xml")
    if len(graph) == 0:
        detail = "no RDF triples"
        expected = "an rdf:RDF document with owl:Class elements"
        raise OntologyFormatError(
            Errors.E003.format(what="OWL file", detail=detail, expected=expected), path=spec.path
        )
    log = WarningLog()
    for message in rdf_warnings:
        log.add("rdflib warning", message)
    lang = default_language(spec)
    ontology = _ontology_node(graph)
    source = spec.source_id or _source_from_iri(ontology, spec.path.stem)
    reader = _ClassReader(graph, source=source, lang=lang, log=log, where=str(spec.path))
    concepts = reader.read_all()
    languages = spec.languages or tuple(
        sorted({label.lang for c in concepts for label in c.labels} or {lang})
    )
    release = Release(
        source=source,
        version=spec.version or _version(graph, ontology) or content_hash(data),
        name=spec.name
        or (first_text(graph, ontology, (DCTERMS.title, DC.title, RDFS.label)) if ontology else None),
        licence=spec.licence
        or (first_text(graph, ontology, (DCTERMS.license, DC.rights)) if ontology else None),
        languages=languages,
        prefixes=prefixes_by_count(concept.curie for concept in concepts),
        files=(str(spec.path),),
    )
    return OntologyRelease(release=release, concepts=concepts, warnings=log.messages())


def _ontology_node(graph: Graph) -> URIRef | None:
    nodes = sorted(str(node) for node in graph.subjects(RDF.type, OWL.Ontology) if isinstance(node, URIRef))
    return URIRef(nodes[0]) if nodes else None


def _source_from_iri(ontology: URIRef | None, fallback: str) -> str:
    # "http://purl.obolibrary.org/obo/hp.owl" → "hp"; ".../imports/symp_import.owl" → "symp_import".
    name = str(ontology or "").rstrip("/#").rsplit("/", 1)[-1]
    for suffix in (".owl", ".rdf", ".xml", ".ofn", ".owx"):
        name = name.removesuffix(suffix)
    name = name.strip().lower()
    return name if name and name.replace("_", "").replace("-", "").isalnum() else slug(fallback)


def _version(graph: Graph, ontology: URIRef | None) -> str | None:
    if ontology is None:
        return None
    info = first_text(graph, ontology, (OWL.versionInfo,))
    if info:
        return info
    version_iris = iris(graph, ontology, OWL.versionIRI)
    return date_in(version_iris[0]) if version_iris else None


class _ClassReader:
    """Turns the named classes of a parsed graph into concepts."""

    def __init__(self, graph: Graph, *, source: str, lang: str, log: WarningLog, where: str) -> None:
        self.graph = graph
        self.source = source
        self.lang = lang
        self.log = log
        self.where = where
        self.compactor = Compactor()
        self.synonym_types = self._synonym_type_index()

    def read_all(self) -> tuple[Concept, ...]:
        concepts: list[Concept] = []
        anonymous = 0
        for node in sorted(set(self.graph.subjects(RDF.type, OWL.Class)), key=str):
            if not isinstance(node, URIRef):
                anonymous += 1
                continue
            curie = self.compactor.curie(str(node))
            if curie is None:
                self.log.add(
                    "class IRI without CURIE", f"{self.where}: class <{node}> has no CURIE form; skipped"
                )
                continue
            concepts.append(self._concept(node, curie))
        if anonymous:
            self.log.add("anonymous classes", f"{self.where}: {anonymous} anonymous owl:Class nodes skipped")
        return tuple(concepts)

    def _concept(self, node: URIRef, curie: str) -> Concept:
        labels: list[Label] = []
        synonyms: list[Synonym] = []
        for literal in literals(self.graph, node, RDFS.label):
            lang = language_tag(literal.language, default=self.lang)
            if any(label.lang == lang for label in labels):
                synonyms.append(Synonym(str(literal), lang, SynonymType.EXACT, "label"))
            else:
                labels.append(Label(str(literal), lang))
        for predicate, scope in _SYNONYM_SCOPES.items():
            for literal in literals(self.graph, node, predicate):
                synonyms.append(self._synonym(node, predicate, literal, scope))
        definitions = tuple(
            Definition(str(literal), language_tag(literal.language, default=self.lang))
            for literal in literals(self.graph, node, DEFINITION)
        )
        parents, relations = self._superclasses(node, curie)
        return Concept(
            curie=curie,
            iri=str(node),
            source=self.source,
            labels=tuple(labels),
            synonyms=tuple(synonyms),
            definitions=definitions,
            parents=parents,
            relations=relations,
            xrefs=self._xrefs(node, curie),
            obsolete=any(is_true(value) for value in self.graph.objects(node, OWL.deprecated)),
            replaced_by=self._replaced_by(node, curie),
        )

    def _synonym(self, node: URIRef, predicate: URIRef, literal: Literal, scope: SynonymType) -> Synonym:
        type_name = self.synonym_types.get((str(node), str(predicate), str(literal)))
        synonym_type = scope
        if type_name == "obsolete_synonym":
            synonym_type = SynonymType.RELATED
        elif scope is SynonymType.EXACT and type_name is not None:
            synonym_type = _TYPE_BY_NAME.get(type_name, scope)
        return Synonym(
            str(literal), language_tag(literal.language, default=self.lang), synonym_type, type_name
        )

    def _synonym_type_index(self) -> dict[tuple[str, str, str], str]:
        """(class IRI, synonym property IRI, text) → synonym type name, from owl:Axiom annotations."""
        index: dict[tuple[str, str, str], str] = {}
        for axiom in self.graph.subjects(RDF.type, OWL.Axiom):
            types = iris(self.graph, axiom, OBOINOWL["hasSynonymType"])
            source = self.graph.value(axiom, OWL.annotatedSource)
            prop = self.graph.value(axiom, OWL.annotatedProperty)
            target = self.graph.value(axiom, OWL.annotatedTarget)
            if types and source is not None and prop is not None and target is not None:
                index[(str(source), str(prop), str(target))] = _type_name(types[0], self.compactor)
        return index

    def _superclasses(self, node: URIRef, curie: str) -> tuple[tuple[str, ...], tuple[Relation, ...]]:
        parents: list[str] = []
        relations: list[Relation] = []
        for parent in sorted(self.graph.objects(node, RDFS.subClassOf), key=str):
            if isinstance(parent, URIRef):
                if parent == OWL.Thing:
                    continue
                target = self.compactor.curie(str(parent))
                if target is None:
                    self.log.add(
                        "parent without CURIE", f"{self.where}: {curie} subClassOf <{parent}>: no CURIE"
                    )
                elif target not in parents:
                    parents.append(target)
            elif isinstance(parent, BNode):
                relation = self._restriction(parent, curie)
                if relation is not None and relation not in relations:
                    relations.append(relation)
        # Restrictions are blank nodes with random ids: sort for a stable order.
        return tuple(parents), tuple(sorted(relations, key=lambda relation: (relation.type, relation.target)))

    def _restriction(self, node: BNode, curie: str) -> Relation | None:
        prop = self.graph.value(node, OWL.onProperty)
        filler = self.graph.value(node, OWL.someValuesFrom)
        if not isinstance(prop, URIRef) or not isinstance(filler, URIRef):
            self.log.add(
                "class expression skipped",
                f"{self.where}: {curie} subClassOf an expression other than 'P some NamedClass'; skipped",
            )
            return None
        target = self.compactor.curie(str(filler))
        if target is None:
            self.log.add("relation target without CURIE", f"{self.where}: {curie} some <{filler}>: no CURIE")
            return None
        return Relation(self._relation_name(prop), target)

    def _relation_name(self, prop: URIRef) -> str:
        prop_curie = self.compactor.curie(str(prop))
        if prop_curie in _RELATION_NAMES:
            return _RELATION_NAMES[prop_curie]
        label = first_text(self.graph, prop, (RDFS.label,))
        name = label or prop_curie or str(prop).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        return slug(name).replace("-", "_")

    def _xrefs(self, node: URIRef, curie: str) -> tuple[Mapping, ...]:
        xrefs: list[Mapping] = []
        for literal in literals(self.graph, node, OBOINOWL["hasDbXref"]):
            token = str(literal).strip()
            if "://" in token:
                continue  # a web link, not an identifier: nothing to map to
            if not is_curie(token):
                self.log.add(
                    "xref not a CURIE", f"{self.where}: {curie} xref {token!r} is not a CURIE; skipped"
                )
                continue
            xref = Mapping(curie, MappingPredicate.XREF, normalise_curie(token), self.source)
            if xref not in xrefs:
                xrefs.append(xref)
        return tuple(xrefs)

    def _replaced_by(self, node: URIRef, curie: str) -> tuple[str, ...]:
        targets: list[str] = []
        for value in sorted(self.graph.objects(node, REPLACED_BY), key=str):
            text = str(value).strip()
            target = self.compactor.curie(text) if isinstance(value, URIRef) else None
            if target is None and is_curie(text):
                target = normalise_curie(text)
            if target is None:
                self.log.add(
                    "replaced_by without CURIE", f"{self.where}: {curie} replaced_by {text!r}; skipped"
                )
            elif target not in targets:
                targets.append(target)
        return tuple(targets)


def _type_name(iri: str, compactor: Compactor) -> str:
    # OMO synonym types are OBO PURLs (OMO_0003003 → "OMO:0003003", as the OBO loader names them);
    # ontology-local types are fragments ("…/obo/hp#layperson" → "layperson").
    if "#" in iri:
        return iri.rsplit("#", 1)[-1]
    curie = compactor.curie(iri)
    return curie if curie is not None else iri.rstrip("/").rsplit("/", 1)[-1]
