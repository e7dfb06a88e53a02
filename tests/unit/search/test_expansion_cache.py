"""The expansion cache: hits, keys, versions and eviction (no Neo4j)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from search.expansion import DESCENDANT, Edge, ExpandedConcept, ExpansionPolicy, expand
from search.expansion_cache import ExpansionCache

EDGES = (Edge("D", "T1", DESCENDANT), Edge("D", "T2", DESCENDANT), Edge("T2", "T2N", DESCENDANT))


class CountingExpander:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def __call__(self, curie: str, policy: ExpansionPolicy) -> list[ExpandedConcept]:
        self.calls.append(curie)

        def neighbours(frontier: Sequence[str]) -> list[Edge]:
            return [edge for edge in EDGES if edge.source in frontier]

        return expand(curie, neighbours, policy)


def test_a_repeated_expansion_is_answered_from_the_cache() -> None:
    graph = CountingExpander()
    cache = ExpansionCache(graph)
    expander = cache.expander("v1")
    first = expander("D", ExpansionPolicy())
    again = cache.expander("v1")("D", ExpansionPolicy())
    assert again == first and [c.curie for c in first] == ["D", "T1", "T2", "T2N"]
    assert graph.calls == ["D"] and (cache.hits, cache.misses) == (1, 1)


def test_the_policy_is_part_of_the_key() -> None:
    graph = CountingExpander()
    expander = ExpansionCache(graph).expander("v1")
    deep = expander("D", ExpansionPolicy())
    shallow = expander("D", ExpansionPolicy(max_depth=1))
    reweighted = expander("D", ExpansionPolicy(weights={DESCENDANT: 0.5}))
    assert [c.curie for c in shallow] == ["D", "T1", "T2"] != [c.curie for c in deep]
    assert reweighted != deep
    assert graph.calls == ["D", "D", "D"]


def test_a_new_terminology_version_empties_the_cache() -> None:
    graph = CountingExpander()
    cache = ExpansionCache(graph)
    old = cache.expander("v1")
    old("D", ExpansionPolicy())
    cache.expander("v2")("D", ExpansionPolicy())
    assert graph.calls == ["D", "D"] and len(cache) == 1
    # A request still holding the old version's expander is answered, but never fills the cache.
    old("T2", ExpansionPolicy())
    assert len(cache) == 1


def test_least_recently_used_entries_go_first() -> None:
    graph = CountingExpander()
    cache = ExpansionCache(graph, max_entries=2)
    expander = cache.expander("v1")
    expander("D", ExpansionPolicy())
    expander("T2", ExpansionPolicy())
    expander("D", ExpansionPolicy())  # D is now the most recently used
    expander("T1", ExpansionPolicy())  # evicts T2
    expander("D", ExpansionPolicy())
    expander("T2", ExpansionPolicy())
    assert graph.calls == ["D", "T2", "T1", "T2"] and len(cache) == 2


def test_a_caller_changing_its_list_does_not_change_the_cache() -> None:
    expander = ExpansionCache(CountingExpander()).expander("v1")
    expander("D", ExpansionPolicy()).clear()
    assert len(expander("D", ExpansionPolicy())) == 4


def test_max_entries_is_checked() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        ExpansionCache(CountingExpander(), max_entries=0)
