"""Concepts of the common model as plain parameter rows for UNWIND batches (pure functions)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
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


def concept_hash(concept: Concept, mappings: Sequence[Mapping] = ()) -> str:
    """A digest of everything the source says about a concept (its own fields and the release's
    mappings whose subject it is): equal digests, nothing to rewrite."""
    digest = hashlib.sha1(repr(concept).encode(), usedforsecurity=False)
    for mapping in sorted(mappings, key=repr):
        digest.update(repr(mapping).encode())
    return digest.hexdigest()


def stub_source(curie: str) -> str:
    """The source id given to a stub concept: its CURIE prefix, lower case (``MESH:D1`` → ``mesh``)."""
    return curie.partition(":")[0].lower()


def concept_row(concept: Concept, mappings: Sequence[Mapping] = ()) -> Row:
    """Properties of the Concept node. Language-suffixed keys come only from checked language codes.

    ``hash`` is returned beside the properties: the next release's load compares it to tell changed
    concepts from unchanged ones (graph.ontology_writer.compute_changes).
    """
    props: Row = {
        "iri": concept.iri,
        "source": concept.source,
        "kind": concept.kind,
        "obsolete": concept.obsolete,
        "replaced_by": list(concept.replaced_by),
        "label": next((label.text for label in concept.labels if label.lang == "en"), None)
        or (concept.labels[0].text if concept.labels else None),
    }
    for label in concept.labels:
        if _LANG.fullmatch(label.lang):
            props.setdefault(f"label_{label.lang}", label.text)
    for definition in concept.definitions:
        if _LANG.fullmatch(definition.lang):
            props.setdefault(f"definition_{definition.lang}", definition.text)
    return {"curie": concept.curie, "props": props, "hash": concept_hash(concept, mappings)}


def term_rows(concept: Concept) -> Iterator[Row]:
    """One row per preferred label and synonym; duplicates (same kind, language, text) once."""
    seen: set[tuple[str, str, str]] = set()
    entries = [("label", label.lang, label.text, None) for label in concept.labels] + [
        (synonym.type.value, synonym.lang, synonym.text, synonym.source_type) for synonym in concept.synonyms
    ]
    for kind, lang, text, source_type in entries:
        norm = fold(text)
        if (kind, lang, text) in seen or not norm:
            continue
        seen.add((kind, lang, text))
        yield {
            "curie": concept.curie,
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
            yield {
                "child": concept.curie,
                "parent": parent,
                "parent_iri": curie_to_iri(parent),
                "parent_source": stub_source(parent),
            }


def relation_rows(concept: Concept) -> Iterator[tuple[str, Row]]:
    """(relationship type, row) pairs; the type is one of TYPED_RELATIONS' values or RELATED_TO."""
    for relation in dict.fromkeys(concept.relations):
        rel_type = TYPED_RELATIONS.get(relation.type, "RELATED_TO")
        yield (
            rel_type,
            {
                "subject": concept.curie,
                "object": relation.target,
                "object_iri": curie_to_iri(relation.target),
                "object_source": stub_source(relation.target),
                "type": relation.type,
            },
        )


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
    """Everything one release writes, as rows (computed once, before any write).

    ``mappings`` are owned by a concept of the release (its xrefs, or mapping-set rows whose subject
    it is) and rewritten with it; ``set_mappings`` have subjects outside the release (an SSSOM set)
    and are replaced together when the set changes.
    """

    concepts: list[Row]
    terms: list[Row]
    is_a: list[Row]
    relations: dict[str, list[Row]]
    mappings: list[Row]
    set_mappings: list[Row]
    set_mappings_hash: str
    content_hash: str


def _digest(rows: Iterable[Row]) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for row in rows:
        digest.update(repr(sorted(row.items())).encode())
    return digest.hexdigest()


def release_rows(release: OntologyRelease) -> ReleaseRows:
    curies = {concept.curie for concept in release.concepts}
    owned: dict[str, list[Mapping]] = {}
    for mapping in release.mappings:
        if mapping.subject in curies:
            owned.setdefault(mapping.subject, []).append(mapping)
    concepts: list[Row] = []
    terms: list[Row] = []
    is_a: list[Row] = []
    relations: dict[str, list[Row]] = {}
    for concept in release.concepts:
        concepts.append(concept_row(concept, owned.get(concept.curie, ())))
        terms.extend(term_rows(concept))
        is_a.extend(is_a_rows(concept))
        for rel_type, relation in relation_rows(concept):
            relations.setdefault(rel_type, []).append(relation)
    all_mappings = list(mapping_rows(release))
    mappings = [row for row in all_mappings if row["subject"] in curies]
    set_mappings = [row for row in all_mappings if row["subject"] not in curies]
    set_hash = _digest(set_mappings)
    content = hashlib.sha1(usedforsecurity=False)
    for row in concepts:
        content.update(row["hash"].encode())
    content.update(set_hash.encode())
    return ReleaseRows(
        concepts, terms, is_a, relations, mappings, set_mappings, set_hash, content.hexdigest()
    )
