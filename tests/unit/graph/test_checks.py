"""Hierarchy checks before writing: depth, cycles, orphans, dangling parents (networkx, in memory)."""

from __future__ import annotations

import pytest

from graph.checks import MAX_REPORTED, HierarchyReport, check_hierarchy
from ontologies.model import Concept, OntologyRelease, Release


def _concept(curie: str, *parents: str, obsolete: bool = False) -> Concept:
    return Concept(
        curie=curie, iri=f"http://example.org/{curie}", source="test", parents=parents, obsolete=obsolete
    )


def _check(*concepts: Concept) -> HierarchyReport:
    return check_hierarchy(OntologyRelease(release=Release(source="test", version="1"), concepts=concepts))


# A <- B <- C, A <- D: a tree of depth 2.
TREE = (_concept("T:A"), _concept("T:B", "T:A"), _concept("T:C", "T:B"), _concept("T:D", "T:A"))


# --- acyclic hierarchies ------------------------------------------------------------------------


def test_tree_depth() -> None:
    assert _check(*TREE).max_depth == 2


def test_tree_counts() -> None:
    report = _check(*TREE)
    assert (report.concepts, report.is_a_edges, report.roots, report.cycle_count) == (4, 3, 1, 0)


def test_multiple_inheritance_depth_is_longest_path() -> None:
    # E has two parents: C (depth 2) and A (depth 0); its depth is the longer path, 3.
    report = _check(*TREE, _concept("T:E", "T:C", "T:A"))
    assert report.max_depth == 3


def test_multiple_inheritance_counts_every_edge() -> None:
    assert _check(*TREE, _concept("T:E", "T:C", "T:A")).is_a_edges == 5


def test_flat_release_depth_zero() -> None:
    assert _check(_concept("T:A"), _concept("T:B")).max_depth == 0


def test_empty_release() -> None:
    report = _check()
    assert (report.concepts, report.roots, report.orphan_count, report.cycle_count, report.max_depth) == (
        0,
        0,
        0,
        0,
        0,
    )


def test_clean_hierarchy_has_no_warnings() -> None:
    assert _check(*TREE).warnings() == []


# --- cycles -------------------------------------------------------------------------------------


def test_two_cycle_counted() -> None:
    report = _check(_concept("T:X", "T:Y"), _concept("T:Y", "T:X"))
    assert report.cycle_count == 1


def test_two_cycle_listed() -> None:
    (cycle,) = _check(_concept("T:X", "T:Y"), _concept("T:Y", "T:X")).cycles
    assert sorted(cycle) == ["T:X", "T:Y"]


def test_self_loop_counted_and_listed() -> None:
    report = _check(_concept("T:A"), _concept("T:Z", "T:Z", "T:A"))
    assert (report.cycle_count, report.cycles) == (1, (("T:Z", "T:Z"),))


def test_cycle_and_self_loop_both_counted() -> None:
    report = _check(_concept("T:X", "T:Y"), _concept("T:Y", "T:X"), _concept("T:Z", "T:Z"))
    assert report.cycle_count == 2


def test_cycle_inside_larger_hierarchy() -> None:
    report = _check(*TREE, _concept("T:P", "T:Q", "T:A"), _concept("T:Q", "T:R"), _concept("T:R", "T:P"))
    assert report.cycle_count == 1
    assert sorted(report.cycles[0]) == ["T:P", "T:Q", "T:R"]


@pytest.mark.parametrize(
    "concepts",
    [
        (_concept("T:X", "T:Y"), _concept("T:Y", "T:X")),
        (_concept("T:Z", "T:Z"),),
    ],
    ids=["two-cycle", "self-loop"],
)
def test_cycles_make_depth_undefined(concepts: tuple[Concept, ...]) -> None:
    assert _check(*concepts).max_depth is None


def test_reported_cycles_capped() -> None:
    concepts = [_concept(f"T:{i}", f"T:{i}") for i in range(MAX_REPORTED + 5)]
    report = _check(*concepts)
    assert (report.cycle_count, len(report.cycles)) == (MAX_REPORTED + 5, MAX_REPORTED)


def test_cycle_warning_wording() -> None:
    (warning,) = _check(_concept("T:Z", "T:Z")).warnings()
    assert warning == "1 IS_A cycle(s), e.g. T:Z -> T:Z"


def test_summary_says_depth_undefined_with_cycles() -> None:
    assert "max depth n/a (cycles)" in _check(_concept("T:Z", "T:Z")).summary()


# --- orphans and roots --------------------------------------------------------------------------


def test_orphans_have_no_parent_and_no_child() -> None:
    report = _check(*TREE, _concept("T:O2"), _concept("T:O1"))
    assert (report.orphans, report.orphan_count) == (("T:O1", "T:O2"), 2)


def test_root_with_children_is_not_an_orphan() -> None:
    assert _check(*TREE).orphan_count == 0


def test_every_root_counted() -> None:
    assert _check(*TREE, _concept("T:O1"), _concept("T:R2"), _concept("T:S", "T:R2")).roots == 3


def test_reported_orphans_capped_but_counted() -> None:
    report = _check(*(_concept(f"T:{i:03d}") for i in range(MAX_REPORTED + 3)))
    assert (report.orphan_count, len(report.orphans)) == (MAX_REPORTED + 3, MAX_REPORTED)


# --- dangling parents ---------------------------------------------------------------------------


def test_dangling_parents_counted_once() -> None:
    report = _check(_concept("T:A", "MESH:D1"), _concept("T:B", "MESH:D1", "UMLS:C1"))
    assert (report.dangling_parents, report.dangling_count) == (("MESH:D1", "UMLS:C1"), 2)


def test_dangling_parent_is_not_a_root() -> None:
    assert _check(_concept("T:A", "MESH:D1")).roots == 0


def test_child_of_dangling_parent_is_not_an_orphan() -> None:
    assert _check(_concept("T:A", "MESH:D1")).orphan_count == 0


def test_dangling_warning_mentions_stubs() -> None:
    (warning,) = _check(_concept("T:A", "MESH:D1")).warnings()
    assert warning == "1 IS_A parent(s) are not in this release (kept as stub concepts), e.g. MESH:D1"


def test_summary_counts_parents_outside_release() -> None:
    assert "1 parents outside the release" in _check(_concept("T:A", "MESH:D1")).summary()


# --- obsolete concepts --------------------------------------------------------------------------


def test_obsolete_concept_is_not_an_orphan() -> None:
    assert _check(*TREE, _concept("T:OLD", obsolete=True)).orphan_count == 0


def test_obsolete_concept_edges_ignored() -> None:
    report = _check(*TREE, _concept("T:OLD", "T:C", obsolete=True))
    assert (report.is_a_edges, report.max_depth) == (3, 2)


def test_obsolete_concept_cycle_ignored() -> None:
    assert (
        _check(_concept("T:X", "T:Y", obsolete=True), _concept("T:Y", "T:X", obsolete=True)).cycle_count == 0
    )


def test_obsolete_concept_parent_not_dangling() -> None:
    assert _check(_concept("T:OLD", "MESH:D1", obsolete=True)).dangling_count == 0


def test_obsolete_concepts_still_in_concept_count() -> None:
    assert _check(*TREE, _concept("T:OLD", obsolete=True)).concepts == 5


def test_obsolete_parent_is_not_a_root() -> None:
    assert _check(_concept("T:A", "T:OLD"), _concept("T:OLD", obsolete=True)).roots == 0
