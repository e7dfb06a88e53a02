"""Query expansion through concept relations: weighted, bounded, explained (pure logic).

From a query concept, a best-first search follows relation types the policy switches on, each with a
weight; a path's weight is the product of its steps' weights (descendants decay per level). The best
path to each concept wins, so cycles and multiple inheritance need no special case: a concept is
settled once, at its highest weight. Expansion stops at ``max_depth`` steps and ``max_concepts``.

The graph is asked through ``Neighbours``: a function from a frontier of CURIEs to the edges leaving
them. ``graph.expansion`` implements it over Neo4j; tests use a dict.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

# Relation types an edge can have, seen from the concept being expanded.
DESCENDANT = "descendant"  # (child)-[:IS_A]->(this): a more specific concept
ANCESTOR = "ancestor"  # (this)-[:IS_A]->(parent): off by default (broadens the query)
EXACT = "exact"  # skos:exactMatch, either direction: the same idea in another terminology
XREF = "xref"  # oboInOwl:hasDbXref: asserted by the source, equivalence not guaranteed
CLOSE = "close"
NARROW = "narrow"  # skos:narrowMatch from this concept: the target is more specific
BROAD = "broad"
RELATED = "related"
RELATIONS = (DESCENDANT, ANCESTOR, EXACT, XREF, CLOSE, NARROW, BROAD, RELATED)

# Defaults before measurement (issue 4 tunes them on the shared IR sets): equivalences nearly as
# strong as the concept itself, descendants decaying per level, loose mappings weak, broadening off.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        DESCENDANT: 0.8,
        ANCESTOR: 0.3,
        EXACT: 0.95,
        XREF: 0.8,
        CLOSE: 0.6,
        NARROW: 0.6,
        BROAD: 0.3,
        RELATED: 0.3,
    }
)
DEFAULT_ENABLED = frozenset({DESCENDANT, EXACT, XREF, CLOSE, NARROW})


@dataclass(frozen=True)
class Edge:
    """One step available from ``source``: ``relation`` is one of RELATIONS."""

    source: str
    target: str
    relation: str
    detail: str | None = None  # mapping predicate and source, e.g. "skos:exactMatch (biomappings)"


@dataclass(frozen=True)
class ExpansionPolicy:
    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    enabled: frozenset[str] = DEFAULT_ENABLED
    max_depth: int = 3
    max_concepts: int = 200
    min_weight: float = 0.05

    def __post_init__(self) -> None:
        unknown = sorted(set(self.enabled) - set(RELATIONS))
        if unknown:
            raise ValueError(
                f"unknown relation(s) {', '.join(unknown)}; expected among {', '.join(RELATIONS)}"
            )
        if not 0 <= self.max_depth <= 10:
            raise ValueError("max_depth must be between 0 and 10")
        if not 1 <= self.max_concepts <= 10_000:
            raise ValueError("max_concepts must be between 1 and 10000")
        for relation, weight in self.weights.items():
            if not 0 <= weight <= 1:
                raise ValueError(f"weight of {relation} must be between 0 and 1, not {weight}")

    def with_relations(self, relations: Sequence[str]) -> ExpansionPolicy:
        return replace(self, enabled=frozenset(relations))


@dataclass(frozen=True)
class PathStep:
    relation: str
    source: str
    target: str
    detail: str | None = None


@dataclass(frozen=True)
class ExpandedConcept:
    curie: str
    weight: float  # 1.0 for the query concept itself
    depth: int
    path: tuple[PathStep, ...]  # from the query concept; empty for the concept itself


Neighbours = Callable[[Sequence[str]], Sequence[Edge]]


def expand(root: str, neighbours: Neighbours, policy: ExpansionPolicy | None = None) -> list[ExpandedConcept]:
    """The query concept and the concepts it expands to, best weight first (ties: shorter, then CURIE).

    Each concept appears once, with its best path. ``neighbours`` is called once per depth level with
    every concept settled at that level.
    """
    policy = policy or ExpansionPolicy()
    settled: dict[str, ExpandedConcept] = {}
    best: dict[str, float] = {root: 1.0}
    # Max-heap on weight through negation; counter keeps ordering stable.
    queue: list[tuple[float, int, str, int, tuple[PathStep, ...]]] = [(-1.0, 0, root, 0, ())]
    counter = 1
    edges_by_source: dict[str, list[Edge]] = {}
    fetched: set[str] = set()
    while queue and len(settled) < policy.max_concepts:
        negative, _, curie, depth, path = heapq.heappop(queue)
        if curie in settled:
            continue
        weight = -negative
        settled[curie] = ExpandedConcept(curie=curie, weight=round(weight, 6), depth=depth, path=path)
        if depth >= policy.max_depth:
            continue
        if curie not in fetched:
            # Fetch for every queued concept not fetched yet: one call per wave, not per concept.
            wave = [curie, *(item[2] for item in queue if item[2] not in fetched and item[2] not in settled)]
            for edge in neighbours(list(dict.fromkeys(wave))):
                edges_by_source.setdefault(edge.source, []).append(edge)
            fetched.update(wave)
        for edge in edges_by_source.get(curie, ()):
            if edge.relation not in policy.enabled or edge.target in settled:
                continue
            step_weight = weight * policy.weights.get(edge.relation, 0.0)
            if step_weight < policy.min_weight or step_weight <= best.get(edge.target, 0.0):
                continue
            best[edge.target] = step_weight
            step = PathStep(edge.relation, edge.source, edge.target, edge.detail)
            heapq.heappush(queue, (-step_weight, counter, edge.target, depth + 1, (*path, step)))
            counter += 1
    return sorted(settled.values(), key=lambda item: (-item.weight, item.depth, item.curie))
