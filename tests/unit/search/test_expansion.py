"""Expansion on small hand-made graphs: weights, depth, cycles, multiple inheritance, paths."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from search.expansion import (
    ANCESTOR,
    DESCENDANT,
    EXACT,
    NARROW,
    Edge,
    ExpansionPolicy,
    expand,
)


def graph(*edges: Edge) -> tuple[list[list[str]], object]:
    calls: list[list[str]] = []

    def neighbours(frontier: Sequence[str]) -> list[Edge]:
        calls.append(list(frontier))
        return [edge for edge in edges if edge.source in frontier]

    return calls, neighbours


def weights(result: list) -> dict[str, float]:  # type: ignore[type-arg]
    return {item.curie: item.weight for item in result}


# D (diabetes) has children T1 and T2; T2 has child T2N; D is exactly mapped to M (MeSH).
EDGES = (
    Edge("D", "T1", DESCENDANT),
    Edge("D", "T2", DESCENDANT),
    Edge("T2", "T2N", DESCENDANT),
    Edge("D", "M", EXACT, "skos:exactMatch (biomappings)"),
    Edge("D", "P", ANCESTOR),
)


def test_query_concept_first_with_weight_one() -> None:
    _, neighbours = graph(*EDGES)
    result = expand("D", neighbours)  # type: ignore[arg-type]
    assert (result[0].curie, result[0].weight, result[0].path) == ("D", 1.0, ())


def test_weights_decay_per_descendant_level() -> None:
    _, neighbours = graph(*EDGES)
    found = weights(expand("D", neighbours))  # type: ignore[arg-type]
    assert found["T2"] == pytest.approx(0.8)
    assert found["T2N"] == pytest.approx(0.64)
    assert found["M"] == pytest.approx(0.95)


def test_ancestors_are_off_by_default_and_can_be_switched_on() -> None:
    _, neighbours = graph(*EDGES)
    assert "P" not in weights(expand("D", neighbours))  # type: ignore[arg-type]
    policy = ExpansionPolicy().with_relations([DESCENDANT, ANCESTOR])
    assert weights(expand("D", neighbours, policy))["P"] == pytest.approx(0.3)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("depth", "expected"), [(0, {"D"}), (1, {"D", "T1", "T2", "M"}), (2, {"D", "T1", "T2", "M", "T2N"})]
)
def test_max_depth(depth: int, expected: set[str]) -> None:
    _, neighbours = graph(*EDGES)
    assert set(weights(expand("D", neighbours, ExpansionPolicy(max_depth=depth)))) == expected  # type: ignore[arg-type]


def test_max_concepts_keeps_the_best() -> None:
    _, neighbours = graph(*EDGES)
    result = expand("D", neighbours, ExpansionPolicy(max_concepts=2))  # type: ignore[arg-type]
    assert [item.curie for item in result] == ["D", "M"]


def test_cycles_terminate_and_each_concept_appears_once() -> None:
    _, neighbours = graph(
        Edge("A", "B", EXACT), Edge("B", "A", EXACT), Edge("B", "C", DESCENDANT), Edge("C", "A", EXACT)
    )
    result = expand("A", neighbours)  # type: ignore[arg-type]
    assert [item.curie for item in result] == ["A", "B", "C"]


def test_multiple_inheritance_best_path_wins() -> None:
    # X reachable as a grandchild (0.64) and through an exact mapping of a child (0.8 * 0.95 = 0.76).
    _, neighbours = graph(
        Edge("R", "C1", DESCENDANT),
        Edge("C1", "X", DESCENDANT),
        Edge("R", "C2", DESCENDANT),
        Edge("C2", "X", EXACT),
    )
    (x,) = [item for item in expand("R", neighbours) if item.curie == "X"]  # type: ignore[arg-type]
    assert x.weight == pytest.approx(0.76)
    assert [(step.relation, step.source, step.target) for step in x.path] == [
        (DESCENDANT, "R", "C2"),
        (EXACT, "C2", "X"),
    ]


def test_path_keeps_mapping_details() -> None:
    _, neighbours = graph(*EDGES)
    (m,) = [item for item in expand("D", neighbours) if item.curie == "M"]  # type: ignore[arg-type]
    assert m.path[0].detail == "skos:exactMatch (biomappings)"
    assert m.depth == 1


def test_custom_weights_and_min_weight() -> None:
    _, neighbours = graph(*EDGES, Edge("D", "N", NARROW))
    policy = ExpansionPolicy(weights={DESCENDANT: 0.5, EXACT: 1.0, NARROW: 0.04}, min_weight=0.05)
    found = weights(expand("D", neighbours, policy))  # type: ignore[arg-type]
    assert found["T2N"] == pytest.approx(0.25)
    assert "N" not in found


def test_neighbours_called_once_per_wave() -> None:
    calls, neighbours = graph(*EDGES)
    expand("D", neighbours)  # type: ignore[arg-type]
    assert calls[0] == ["D"]
    assert len(calls) <= 3  # depth levels, not one call per concept


@pytest.mark.parametrize(
    "kwargs",
    [{"enabled": frozenset({"cousin"})}, {"max_depth": 11}, {"max_concepts": 0}, {"weights": {EXACT: 1.5}}],
)
def test_invalid_policies_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ExpansionPolicy(**kwargs)  # type: ignore[arg-type]
