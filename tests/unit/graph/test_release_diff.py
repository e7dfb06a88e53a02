"""compute_changes: what a new release adds, changes, keeps and obsoletes against the graph's concepts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from graph.ontology_writer import ReleaseDiff, compute_changes, compute_item_changes
from graph.rows import ReleaseRows, concept_hash, release_rows
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


def compute_diff(existing: list[dict[str, Any]], rows: ReleaseRows) -> tuple[ReleaseDiff, list[str]]:
    changes = compute_changes(existing, rows)
    return changes.diff, list(changes.to_obsolete)


def _concept(curie: str, label: str | None = None, **fields: Any) -> Concept:
    return Concept(
        curie=curie,
        iri=f"http://purl.obolibrary.org/obo/{curie.replace(':', '_')}",
        source="hpo",
        labels=(Label(label or f"label of {curie}", "en"),),
        **fields,
    )


def _rows(*concepts: Concept, version: str = "2") -> ReleaseRows:
    return release_rows(OntologyRelease(release=Release(source="hpo", version=version), concepts=concepts))


def _existing(*concepts: Concept, obsolete: tuple[str, ...] = (), release: str = "1") -> list[dict[str, Any]]:
    """Rows as EXISTING_CONCEPTS returns them for concepts written by an earlier release."""
    return [
        {
            "curie": concept.curie,
            "hash": concept_hash(concept),
            "obsolete": concept.obsolete or concept.curie in obsolete,
            "release": release,
        }
        for concept in concepts
    ]


A, B, C = _concept("HP:1"), _concept("HP:2"), _concept("HP:3")


def test_first_release_all_added() -> None:
    diff, to_obsolete = compute_diff([], _rows(A, B, C))
    assert (diff, to_obsolete) == (ReleaseDiff(added=3, changed=0, obsoleted=0, unchanged=0), [])


def test_same_release_all_unchanged() -> None:
    diff, to_obsolete = compute_diff(_existing(A, B, C), _rows(A, B, C))
    assert (diff, to_obsolete) == (ReleaseDiff(added=0, changed=0, obsoleted=0, unchanged=3), [])


def test_version_alone_changes_nothing() -> None:
    diff, _ = compute_diff(_existing(A, B), _rows(A, B, version="3"))
    assert diff == ReleaseDiff(added=0, changed=0, obsoleted=0, unchanged=2)


def test_new_concept_added() -> None:
    diff, _ = compute_diff(_existing(A, B), _rows(A, B, C))
    assert diff == ReleaseDiff(added=1, changed=0, obsoleted=0, unchanged=2)


@pytest.mark.parametrize(
    "changes",
    [
        {"labels": (Label("Seizure", "en"),)},
        {"definitions": (Definition("A definition.", "en"),)},
        {"parents": ("HP:3",)},
        {"obsolete": True},
    ],
    ids=["label", "definition", "parent", "obsolete"],
)
def test_modified_concept_changed(changes: dict[str, Any]) -> None:
    diff, _ = compute_diff(_existing(A, B), _rows(replace(A, **changes), B))
    assert diff == ReleaseDiff(added=0, changed=1, obsoleted=0, unchanged=1)


def test_missing_concept_obsoleted() -> None:
    diff, to_obsolete = compute_diff(_existing(A, B, C), _rows(A))
    assert (diff, to_obsolete) == (
        ReleaseDiff(added=0, changed=0, obsoleted=2, unchanged=1),
        ["HP:2", "HP:3"],
    )


def test_to_obsolete_sorted() -> None:
    _, to_obsolete = compute_diff(_existing(C, A, B), _rows())
    assert to_obsolete == ["HP:1", "HP:2", "HP:3"]


def test_already_obsolete_by_removal_not_obsoleted_again() -> None:
    diff, to_obsolete = compute_diff(_existing(A, B, obsolete=("HP:2",)), _rows(A))
    assert (diff.obsoleted, to_obsolete) == (0, [])


def test_obsolete_by_source_not_obsoleted_again() -> None:
    diff, to_obsolete = compute_diff(_existing(A, replace(B, obsolete=True)), _rows(A))
    assert (diff.obsoleted, to_obsolete) == (0, [])


def test_added_changed_unchanged_obsoleted_together() -> None:
    existing = _existing(A, B, C)
    rows = _rows(A, replace(B, labels=(Label("renamed", "en"),)), _concept("HP:4"))
    diff, to_obsolete = compute_diff(existing, rows)
    assert (diff, to_obsolete) == (ReleaseDiff(added=1, changed=1, obsoleted=1, unchanged=1), ["HP:3"])


def test_counts_cover_every_new_concept() -> None:
    rows = _rows(A, replace(B, kind="category"), _concept("HP:4"), _concept("HP:5"))
    diff, _ = compute_diff(_existing(A, B, C), rows)
    assert diff.added + diff.changed + diff.unchanged == len(rows.concepts)


def _old_items(rows: ReleaseRows, of: frozenset[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Terms and edges of the concepts ``of``, as TERMS_OF_CONCEPTS / EDGES_OF_CONCEPTS return them
    once ``rows`` are written."""
    terms = [{**row, "id": f"t{index}"} for index, row in enumerate(rows.terms)]
    edges = [
        {"curie": row["child"], "id": f"i{index}", "rel_type": "IS_A", "object": row["parent"]}
        for index, row in enumerate(rows.is_a)
    ] + [
        {**row, "curie": row["subject"], "id": f"m{index}", "rel_type": "MAPS_TO"}
        for index, row in enumerate(rows.mappings)
    ]
    return [term for term in terms if term["curie"] in of], [edge for edge in edges if edge["curie"] in of]


def test_changed_concept_rewrites_only_the_terms_and_edges_that_differ() -> None:
    old = replace(B, synonyms=(Synonym("old name", "en", SynonymType.EXACT),), parents=("HP:1",))
    new = replace(
        B,
        definitions=(Definition("now defined", "en"),),
        synonyms=(Synonym("new name", "en", SynonymType.EXACT),),
        parents=("HP:1",),
        xrefs=(Mapping("HP:2", MappingPredicate.XREF, "MESH:D1", "hpo"),),
    )
    before = _rows(A, old)
    after = _rows(A, new, C)
    changes = compute_changes(_existing(A, old), after)
    items = compute_item_changes(after, changes, *_old_items(before, changes.changed))
    # The old synonym goes; the label and the IS_A edge, unchanged, stay as written.
    assert [
        term["text"] for term in _old_items(before, changes.changed)[0] if term["id"] in items.delete_terms
    ] == ["old name"]
    assert items.delete_edges == []
    assert {(term["curie"], term["text"]) for term in items.terms} == {
        ("HP:2", "new name"),
        ("HP:3", "label of HP:3"),
    }
    assert items.is_a == []
    assert [(row["subject"], row["object"]) for row in items.mappings] == [("HP:2", "MESH:D1")]


def test_edge_a_changed_concept_no_longer_has_is_deleted_duplicates_too() -> None:
    old = replace(B, parents=("HP:1",))
    new = replace(B, labels=(Label("renamed", "en"),))
    before = _rows(old)
    changes = compute_changes(_existing(old), _rows(new))
    terms, edges = _old_items(before, changes.changed)
    edges.append({**edges[0], "id": "duplicate"})
    items = compute_item_changes(_rows(new), changes, terms, edges)
    assert sorted(items.delete_edges) == ["duplicate", "i0"]
    assert items.delete_terms == ["t0"] and [term["text"] for term in items.terms] == ["renamed"]


def test_concepts_an_unfinished_load_wrote_are_changed_whatever_their_hash() -> None:
    # Release 2 stopped after writing A and B (their hashes are already release 2's); C is from 1.
    existing = _existing(A, B, release="2") + _existing(C, release="1")
    changes = compute_changes(existing, _rows(A, B, C, version="3"), unfinished=("2",))
    assert changes.changed == {"HP:1", "HP:2"}
    assert changes.unchanged == {"HP:3"}
    finished = compute_changes(existing, _rows(A, B, C, version="3"), unfinished=())
    assert finished.unchanged == {"HP:1", "HP:2", "HP:3"}
