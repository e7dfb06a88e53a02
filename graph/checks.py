"""In-memory hierarchy checks with networkx before writing: cycles, orphans, depth, dangling parents.

Reported, never silently fixed: a cycle in IS_A is the source's error and stays visible.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ontologies.model import OntologyRelease

MAX_REPORTED = 20


@dataclass(frozen=True)
class HierarchyReport:
    concepts: int
    is_a_edges: int
    roots: int  # active concepts without any parent
    orphans: tuple[str, ...]  # roots that also have no children: isolated concepts (first few)
    orphan_count: int
    cycles: tuple[tuple[str, ...], ...]  # first few IS_A cycles found
    cycle_count: int
    max_depth: int | None  # longest root-to-leaf IS_A path, None when cycles make it undefined
    dangling_parents: tuple[str, ...]  # parents not in the release (become stub concepts)
    dangling_count: int

    def summary(self) -> str:
        depth = "n/a (cycles)" if self.max_depth is None else str(self.max_depth)
        return (
            f"{self.concepts} concepts, {self.is_a_edges} IS_A edges, {self.roots} roots, "
            f"{self.orphan_count} orphans, {self.cycle_count} cycles, max depth {depth}, "
            f"{self.dangling_count} parents outside the release"
        )

    def warnings(self) -> list[str]:
        found: list[str] = []
        if self.cycle_count:
            shown = "; ".join(" -> ".join(cycle) for cycle in self.cycles[:3])
            found.append(f"{self.cycle_count} IS_A cycle(s), e.g. {shown}")
        if self.dangling_count:
            found.append(
                f"{self.dangling_count} IS_A parent(s) are not in this release (kept as stub concepts), "
                f"e.g. {', '.join(self.dangling_parents[:5])}"
            )
        return found


def check_hierarchy(release: OntologyRelease) -> HierarchyReport:
    """Build the release's IS_A graph and report on its shape."""
    graph: nx.DiGraph = nx.DiGraph()  # edges child -> parent
    active = [concept for concept in release.concepts if not concept.obsolete]
    known = {concept.curie for concept in release.concepts}
    graph.add_nodes_from(concept.curie for concept in active)
    dangling: set[str] = set()
    for concept in active:
        for parent in concept.parents:
            graph.add_edge(concept.curie, parent)
            if parent not in known:
                dangling.add(parent)

    cycles: list[tuple[str, ...]] = []
    cycle_count = 0
    for component in nx.strongly_connected_components(graph):
        if len(component) > 1:
            cycle_count += 1
            if len(cycles) < MAX_REPORTED:
                cycles.append(tuple(edge[0] for edge in nx.find_cycle(graph.subgraph(component))))
    self_loops = [node for node, _ in nx.selfloop_edges(graph)]
    cycle_count += len(self_loops)
    cycles.extend((node, node) for node in self_loops[: MAX_REPORTED - len(cycles)])

    active_curies = {concept.curie for concept in active}
    roots = [node for node in graph.nodes if graph.out_degree(node) == 0 and node in active_curies]
    orphans = sorted(node for node in roots if graph.in_degree(node) == 0)
    max_depth = None if cycle_count else (nx.dag_longest_path_length(graph) if graph.number_of_edges() else 0)
    return HierarchyReport(
        concepts=len(release.concepts),
        is_a_edges=graph.number_of_edges(),
        roots=len(roots),
        orphans=tuple(orphans[:MAX_REPORTED]),
        orphan_count=len(orphans),
        cycles=tuple(cycles),
        cycle_count=cycle_count,
        max_depth=max_depth,
        dangling_parents=tuple(sorted(dangling)[:MAX_REPORTED]),
        dangling_count=len(dangling),
    )
