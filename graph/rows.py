"""Concepts of the common model as plain parameter rows for UNWIND batches (pure functions)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ontologies.curie import curie_to_iri
from ontologies.model import Concept, Mapping, OntologyRelease
from ontologies.text import fold

# Languages that get their own stemmed full-text index (``TermFr`` / ``TermEn`` labels).
STEMMED_LANGUAGES = frozenset({"fr", "en"})
_LANG = re.compile(r"^[a-z]{2,3}$")

# Relation types that become typed relationships; any other type is kept on RELATED_TO {type}.
TYPED_RELATIONS: dict[str, str] = {"part_of": "PART_OF", "has_part": "HAS_PART"}

Row = dict[str, Any]


def concept_hash(concept: Concept) -> str:
    """A digest of everything the source says about a concept: equal digests, no change."""
    return hashlib.sha1(repr(concept).encode(), usedforsecurity=False).hexdigest()


def term_key(curie: str, kind: str, lang: str, text: str) -> str:
    return hashlib.sha1(f"{curie}\x1f{kind}\x1f{lang}\x1f{text}".encode(), usedforsecurity=False).hexdigest()


def stub_source(curie: str) -> str:
    """The source id given to a stub concept: its CURIE prefix, lower case (``MESH:D1`` → ``mesh``)."""
    return curie.partition(":")[0].lower()


def concept_row(concept: Concept) -> Row:
    """Properties of the Concept node. Language-suffixed keys come only from checked language codes."""
    props: Row = {
        "iri": concept.iri,
        "source": concept.source,
        "kind": concept.kind,
        "obsolete": concept.obsolete,
        "replaced_by": list(concept.replaced_by),
        "hash": concept_hash(concept),
        "label": next((label.text for label in concept.labels if label.lang == "en"), None)
        or (concept.labels[0].text if concept.labels else None),
    }
    for label in concept.labels:
        if _LANG.match(label.lang):
            props.setdefault(f"label_{label.lang}", label.text)
    for definition in concept.definitions:
        if _LANG.match(definition.lang):
            props.setdefault(f"definition_{definition.lang}", definition.text)
    return {"curie": concept.curie, "props": props}


def term_rows(concept: Concept) -> Iterator[Row]:
    """One row per preferred label and synonym; duplicates (same kind, language, text) once."""
    seen: set[str] = set()
    entries = [("label", label.lang, label.text, None) for label in concept.labels] + [
        (synonym.type.value, synonym.lang, synonym.text, synonym.source_type) for synonym in concept.synonyms
    ]
    for kind, lang, text, source_type in entries:
        key = term_key(concept.curie, kind, lang, text)
        norm = fold(text)
        if key in seen or not norm:
            continue
        seen.add(key)
        yield {
            "curie": concept.curie,
            "key": key,
            "text": text,
            "norm": norm,
            "lang": lang,
            "type": kind,
            "source_type": source_type,
            "stemmed_lang": lang if lang in STEMMED_LANGUAGES else None,
        }


def is_a_rows(concept: Concept) -> Iterator[Row]:
    for parent in dict.fromkeys(concept.parents):
        if parent != concept.curie:
            yield {"child": concept.curie, "parent": parent, "parent_iri": curie_to_iri(parent),
                   "parent_source": stub_source(parent)}  # fmt: skip


def relation_rows(concept: Concept) -> Iterator[tuple[str, Row]]:
    """(relationship type, row) pairs; the type is one of TYPED_RELATIONS' values or RELATED_TO."""
    for relation in dict.fromkeys(concept.relations):
        rel_type = TYPED_RELATIONS.get(relation.type, "RELATED_TO")
        yield rel_type, {
            "subject": concept.curie,
            "object": relation.target,
            "object_iri": curie_to_iri(relation.target),
            "object_source": stub_source(relation.target),
            "type": relation.type,
        }


def mapping_row(mapping: Mapping) -> Row:
    return {
        "subject": mapping.subject,
        "subject_iri": curie_to_iri(mapping.subject),
        "subject_source": stub_source(mapping.subject),
        "object": mapping.object,
        "object_iri": curie_to_iri(mapping.object),
        "object_source": stub_source(mapping.object),
        "predicate": mapping.predicate.value,
        "mapping_source": mapping.source,
        "confidence": mapping.confidence,
        "justification": mapping.justification,
        "negated": mapping.negated,
    }


def mapping_rows(release: OntologyRelease) -> Iterator[Row]:
    """Concept cross-references and the release's mapping set, each (s, p, o, source) once."""
    seen: set[tuple[str, str, str, str]] = set()
    all_mappings: Iterable[Mapping] = (
        *(xref for concept in release.concepts for xref in concept.xrefs),
        *release.mappings,
    )
    for mapping in all_mappings:
        key = (mapping.subject, mapping.predicate.value, mapping.object, mapping.source)
        if mapping.subject == mapping.object or key in seen:
            continue
        seen.add(key)
        yield mapping_row(mapping)


@dataclass(frozen=True)
class ReleaseRows:
    """Everything one release writes, as rows (computed once, before any write)."""

    concepts: list[Row]
    terms: list[Row]
    is_a: list[Row]
    relations: dict[str, list[Row]]
    mappings: list[Row]
    content_hash: str


def release_rows(release: OntologyRelease) -> ReleaseRows:
    concepts: list[Row] = []
    terms: list[Row] = []
    is_a: list[Row] = []
    relations: dict[str, list[Row]] = {}
    digest = hashlib.sha1(usedforsecurity=False)
    for concept in release.concepts:
        row = concept_row(concept)
        digest.update(row["props"]["hash"].encode())
        concepts.append(row)
        terms.extend(term_rows(concept))
        is_a.extend(is_a_rows(concept))
        for rel_type, relation in relation_rows(concept):
            relations.setdefault(rel_type, []).append(relation)
    mappings = list(mapping_rows(release))
    for mapping in mappings:
        digest.update(repr(sorted(mapping.items())).encode())
    return ReleaseRows(concepts, terms, is_a, relations, mappings, digest.hexdigest())
