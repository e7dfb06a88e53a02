"""The common terminology model every loader produces and the graph layer consumes.

Plain frozen dataclasses: no rdflib, owlready2, Neo4j or spaCy type crosses this module.
Tuples, not lists, so that instances stay hashable and comparable in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class SynonymType(StrEnum):
    """How a synonym relates to the concept (OBO scopes plus the types sources state)."""

    EXACT = "exact"
    NARROW = "narrow"
    BROAD = "broad"
    RELATED = "related"
    ABBREVIATION = "abbreviation"
    LAYPERSON = "layperson"


class MappingPredicate(StrEnum):
    """Mapping predicates kept on edges (SKOS as used by SSSOM, plus OBO cross-references)."""

    EXACT = "skos:exactMatch"
    CLOSE = "skos:closeMatch"
    BROAD = "skos:broadMatch"
    NARROW = "skos:narrowMatch"
    RELATED = "skos:relatedMatch"
    # An OBO/OWL xref: asserted by the source, equivalence not guaranteed (oboInOwl:hasDbXref).
    XREF = "oboInOwl:hasDbXref"


@dataclass(frozen=True)
class Label:
    """A preferred label in one language (ISO 639-1 code such as "en", "fr")."""

    text: str
    lang: str


@dataclass(frozen=True)
class Synonym:
    text: str
    lang: str
    type: SynonymType = SynonymType.EXACT
    # Free-form source qualifier (OBO synonym type name such as "layperson", Babelon status...).
    source_type: str | None = None


@dataclass(frozen=True)
class Definition:
    text: str
    lang: str


@dataclass(frozen=True)
class Relation:
    """A directed relation other than IS_A, e.g. part_of, to another concept's CURIE."""

    type: str  # normalised lower snake case, e.g. "part_of"
    target: str  # CURIE


@dataclass(frozen=True)
class Mapping:
    """A mapping or cross-reference from one concept to another, possibly unloaded, concept."""

    subject: str  # CURIE
    predicate: MappingPredicate
    object: str  # CURIE
    source: str  # who asserts it: a source id ("hpo") or a mapping set id
    confidence: float | None = None
    justification: str | None = None  # e.g. semapv:ManualMappingCuration
    negated: bool = False  # SSSOM predicate_modifier Not: a curated *incorrect* mapping


@dataclass(frozen=True)
class Concept:
    curie: str  # "HP:0001250"
    iri: str  # "http://purl.obolibrary.org/obo/HP_0001250"
    source: str  # source id, e.g. "hpo"
    labels: tuple[Label, ...] = ()
    synonyms: tuple[Synonym, ...] = ()
    definitions: tuple[Definition, ...] = ()
    parents: tuple[str, ...] = ()  # IS_A targets (CURIEs); several allowed
    relations: tuple[Relation, ...] = ()
    xrefs: tuple[Mapping, ...] = ()
    obsolete: bool = False
    replaced_by: tuple[str, ...] = ()
    # Source-specific kind when meaningful: "chapter", "block", "category" (ICD), ATC level...
    kind: str | None = None

    def label(self, lang: str) -> str | None:
        """The preferred label in ``lang``, or None."""
        return next((label.text for label in self.labels if label.lang == lang), None)


@dataclass(frozen=True)
class Release:
    """One release (version) of a source, as a loader read it."""

    source: str  # source id, lower case: "hpo", "doid", "cim10"
    version: str  # "2025-01-16"; loaders fall back to a content hash when the file names none
    name: str | None = None  # human name: "Human Phenotype Ontology"
    licence: str | None = None
    languages: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()  # CURIE prefixes this source defines ("HP")
    files: tuple[str, ...] = ()  # paths read, for provenance


@dataclass(frozen=True)
class OntologyRelease:
    """What a loader returns: a release with its concepts (and mappings it asserts)."""

    release: Release
    concepts: tuple[Concept, ...] = ()
    mappings: tuple[Mapping, ...] = ()  # mapping sets (SSSOM, SKOS matches) besides concept xrefs
    warnings: tuple[str, ...] = field(default=())
