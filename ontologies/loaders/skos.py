"""SKOS concept schemes (Turtle, RDF/XML, N-Triples, JSON-LD) into the common model.

The syntax is guessed from the file extension (``.ttl``; ``.rdf``/``.owl``/``.xml``; ``.nt``;
``.jsonld``). Every ``skos:Concept`` with an IRI that has a CURIE form becomes a concept; CURIEs come
from the file's own ``@prefix`` bindings (normalised: ``hp:0001627`` → ``HP:0001627``), falling back to
OBO PURLs and the IRI bases ``ontologies.curie`` knows.

Decisions:

* ``skos:prefLabel`` → one Label per language (SKOS allows one; a second becomes an EXACT synonym
  with a warning). Untagged literals take the first of ``spec.languages``, else "en".
* ``skos:altLabel`` → EXACT synonym, or ABBREVIATION when it is one upper-case token of 2 to 6
  characters ("HTA", "IDM", "MI"), so that search can match abbreviations case-sensitively.
* ``skos:hiddenLabel`` → EXACT synonym with ``source_type="hidden"``: SKOS defines hidden labels as
  strings for text search that must not be displayed (misspellings, variants): they name the same
  concept, hence EXACT, and the source type lets a display layer leave them out.
* ``skos:broader`` and inverse ``skos:narrower`` → parents.
* ``skos:{exact,close,broad,narrow,related}Match`` → ``OntologyRelease.mappings`` with that
  predicate, asserted by the source (``Mapping.source`` = source id), not concept xrefs.
* ``skos:notation`` is ignored: codes are already in the CURIEs, and as synonyms they would match
  any text that contains the bare code.
* ``owl:deprecated true`` → obsolete; ``dct:isReplacedBy`` → replaced_by.

Release metadata missing from ``spec`` comes from the ``skos:ConceptScheme``: source id from
``dct:identifier`` else the last segment of the scheme IRI, name from ``dct:title``, version from
``owl:versionInfo`` (else a hash of the file), licence from ``dct:license``.
"""

from __future__ import annotations

import re

from rdflib import OWL, RDF, RDFS, SKOS, BNode, Graph, Literal, URIRef
from rdflib.namespace import DC, DCTERMS
from rdflib.term import Node

from ontologies.errors import Errors, OntologyFormatError
from ontologies.loaders._rdf import Compactor, first_text, is_true, literals, parse_rdf
from ontologies.loaders._support import (
    WarningLog,
    content_hash,
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
    Release,
    Synonym,
    SynonymType,
)
from ontologies.spec import SourceSpec

RDF_FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".rdf": "xml",
    ".owl": "xml",
    ".xml": "xml",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json-ld": "json-ld",
}
_MATCHES: dict[URIRef, MappingPredicate] = {
    SKOS.exactMatch: MappingPredicate.EXACT,
    SKOS.closeMatch: MappingPredicate.CLOSE,
    SKOS.broadMatch: MappingPredicate.BROAD,
    SKOS.narrowMatch: MappingPredicate.NARROW,
    SKOS.relatedMatch: MappingPredicate.RELATED,
}
_ABBREVIATION_RE = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Z0-9]{2,6}$")


def rdf_format_for(path_suffix: str) -> str | None:
    """The rdflib parser name for a file extension such as ``.ttl``, or None."""
    return RDF_FORMATS.get(path_suffix.lower())


def load_skos(spec: SourceSpec) -> OntologyRelease:
    """Read the SKOS file ``spec.path`` into an OntologyRelease (concepts plus SKOS mappings).

    Raises:
        OntologyFormatError: missing file, unknown extension, RDF syntax error (naming the line), or
            a file without any ``skos:Concept``.
    """
    rdf_format = rdf_format_for(spec.path.suffix)
    if rdf_format is None:
        expected = "one of " + ", ".join(sorted(RDF_FORMATS))
        detail = f"extension {spec.path.suffix!r}"
        raise OntologyFormatError(
            Errors.E003.format(what="SKOS file name", detail=detail, expected=expected), path=spec.path
        )
    data = read_bytes(spec.path)
    graph, rdf_warnings = parse_rdf(spec.path, data, rdf_format=rdf_format)
    log = WarningLog()
    for message in rdf_warnings:
        log.add("rdflib warning", message)
    scheme = _scheme(graph)
    source = spec.source_id or _source_id(graph, scheme, spec.path.stem)
    lang = default_language(spec)
    reader = _ConceptReader(graph, source=source, lang=lang, log=log, where=str(spec.path))
    concepts, mappings = reader.read_all()
    if not concepts:
        raise OntologyFormatError(
            Errors.E004.format(what="skos:Concept with an IRI that has a CURIE form"), path=spec.path
        )
    languages = spec.languages or tuple(sorted({label.lang for c in concepts for label in c.labels}))
    release = Release(
        source=source,
        version=spec.version
        or (first_text(graph, scheme, (OWL.versionInfo, DCTERMS.hasVersion)) if scheme else None)
        or content_hash(data),
        name=spec.name
        or (first_text(graph, scheme, (DCTERMS.title, DC.title, RDFS.label)) if scheme else None),
        licence=spec.licence or (first_text(graph, scheme, (DCTERMS.license, DC.rights)) if scheme else None),
        languages=languages,
        prefixes=prefixes_by_count(concept.curie for concept in concepts),
        files=(str(spec.path),),
    )
    return OntologyRelease(release=release, concepts=concepts, mappings=mappings, warnings=log.messages())


def _scheme(graph: Graph) -> URIRef | None:
    schemes = sorted(
        str(node) for node in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(node, URIRef)
    )
    return URIRef(schemes[0]) if schemes else None


def _source_id(graph: Graph, scheme: URIRef | None, fallback: str) -> str:
    if scheme is not None:
        identifier = first_text(graph, scheme, (DCTERMS.identifier, DC.identifier))
        if identifier and slug(identifier):
            return slug(identifier)
        last = str(scheme).rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        if slug(last):
            return slug(last)
    return slug(fallback)


class _ConceptReader:
    """Turns the ``skos:Concept`` resources of a parsed graph into concepts and mappings."""

    def __init__(self, graph: Graph, *, source: str, lang: str, log: WarningLog, where: str) -> None:
        self.graph = graph
        self.source = source
        self.lang = lang
        self.log = log
        self.where = where
        self.compactor = Compactor(graph)

    def read_all(self) -> tuple[tuple[Concept, ...], tuple[Mapping, ...]]:
        concepts: list[Concept] = []
        mappings: list[Mapping] = []
        for node in sorted(set(self.graph.subjects(RDF.type, SKOS.Concept)), key=str):
            if not isinstance(node, URIRef):
                self.log.add("anonymous concept", f"{self.where}: a skos:Concept without IRI; skipped")
                continue
            curie = self.compactor.curie(str(node))
            if curie is None:
                self.log.add(
                    "concept IRI without CURIE", f"{self.where}: <{node}> has no CURIE form; skipped"
                )
                continue
            concepts.append(self._concept(node, curie))
            mappings.extend(self._mappings(node, curie))
        return tuple(concepts), tuple(mappings)

    def _concept(self, node: URIRef, curie: str) -> Concept:
        labels: list[Label] = []
        synonyms: list[Synonym] = []
        for literal in literals(self.graph, node, SKOS.prefLabel):
            lang = self._lang(literal)
            if any(label.lang == lang for label in labels):
                self.log.add(
                    "several prefLabels", f"{self.where}: {curie} has several prefLabels in {lang!r}"
                )
                synonyms.append(Synonym(str(literal), lang, SynonymType.EXACT, "prefLabel"))
            else:
                labels.append(Label(str(literal), lang))
        if not labels:
            self.log.add("concept without prefLabel", f"{self.where}: {curie} has no skos:prefLabel")
        for literal in literals(self.graph, node, SKOS.altLabel):
            kind = SynonymType.ABBREVIATION if _ABBREVIATION_RE.match(str(literal)) else SynonymType.EXACT
            synonyms.append(Synonym(str(literal), self._lang(literal), kind))
        for literal in literals(self.graph, node, SKOS.hiddenLabel):
            synonyms.append(Synonym(str(literal), self._lang(literal), SynonymType.EXACT, "hidden"))
        definitions = tuple(
            Definition(str(literal), self._lang(literal))
            for literal in literals(self.graph, node, SKOS.definition)
        )
        broader = set(self.graph.objects(node, SKOS.broader)) | set(self.graph.subjects(SKOS.narrower, node))
        return Concept(
            curie=curie,
            iri=str(node),
            source=self.source,
            labels=tuple(labels),
            synonyms=tuple(synonyms),
            definitions=definitions,
            parents=self._targets(curie, "broader", broader),
            obsolete=any(is_true(value) for value in self.graph.objects(node, OWL.deprecated)),
            replaced_by=self._targets(
                curie, "isReplacedBy", set(self.graph.objects(node, DCTERMS.isReplacedBy))
            ),
        )

    def _lang(self, literal: Literal) -> str:
        return language_tag(literal.language, default=self.lang)

    def _targets(self, curie: str, what: str, nodes: set[Node]) -> tuple[str, ...]:
        targets: list[str] = []
        for node in sorted(nodes, key=str):
            target = self.compactor.curie(str(node)) if isinstance(node, URIRef) else None
            if target is None:
                kind = "anonymous target" if isinstance(node, BNode) else "target without CURIE"
                self.log.add(kind, f"{self.where}: {curie} {what} {node!s}: no CURIE; skipped")
            elif target not in targets and target != curie:
                targets.append(target)
        return tuple(targets)

    def _mappings(self, node: URIRef, curie: str) -> list[Mapping]:
        mappings: list[Mapping] = []
        for predicate, mapping_predicate in _MATCHES.items():
            name = mapping_predicate.value.partition(":")[2]
            for target in self._targets(curie, name, set(self.graph.objects(node, predicate))):
                mappings.append(Mapping(curie, mapping_predicate, target, self.source))
        return mappings
