"""Write one terminology release into Neo4j: batched, idempotent, with a recorded diff.

Everything is parsed, checked and turned into rows before the first write, so a malformed file
writes nothing. Writes are UNWIND batches in managed transactions keyed on constrained properties
(so a retried or repeated batch changes nothing). A release is marked ``loading`` while written and
``complete`` at the end; an interrupted load leaves ``loading``/``failed`` and is finished by running
the same load again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import neo4j

from graph import ontology_cypher as q
from graph.checks import HierarchyReport, check_hierarchy
from graph.driver import Graph
from graph.errors import GraphError
from graph.rows import ReleaseRows, Row, release_rows
from graph.schema import apply_schema
from ontologies.model import OntologyRelease

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 5000
# progress(step, rows done in this step, rows in this step)
Progress = Callable[[str, int, int], None]


def _no_progress(step: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class ReleaseDiff:
    added: int
    changed: int
    obsoleted: int
    unchanged: int


@dataclass(frozen=True)
class LoadReport:
    source: str
    version: str
    skipped: bool  # the same release (same content) was already complete: nothing written
    diff: ReleaseDiff
    concepts: int
    terms: int
    is_a: int
    relations: int
    mappings: int
    hierarchy: HierarchyReport
    seconds: float
    warnings: tuple[str, ...] = field(default=())

    @property
    def rows(self) -> int:
        return self.concepts + self.terms + self.is_a + self.relations + self.mappings


def release_id(source: str, version: str) -> str:
    return f"{source}@{version}"


def compute_diff(existing: Sequence[dict[str, Any]], rows: ReleaseRows) -> tuple[ReleaseDiff, list[str]]:
    """Compare the source's concepts in the graph with the new release's rows.

    Returns the diff and the CURIEs to mark obsolete (in the graph, active, absent from the release).
    """
    before = {row["curie"]: row for row in existing}
    new_hashes = {row["curie"]: row["props"]["hash"] for row in rows.concepts}
    added = sum(1 for curie in new_hashes if curie not in before)
    changed = sum(1 for curie, digest in new_hashes.items() if curie in before and before[curie]["hash"] != digest)
    unchanged = len(new_hashes) - added - changed
    # A concept already obsolete (by its source or by an earlier removal) is not obsoleted again.
    to_obsolete = sorted(curie for curie, row in before.items() if curie not in new_hashes and not row["obsolete"])
    return ReleaseDiff(added=added, changed=changed, obsoleted=len(to_obsolete), unchanged=unchanged), to_obsolete


def _run_rows(tx: neo4j.ManagedTransaction, query: str, rows: list[Row], params: dict[str, Any]) -> None:
    tx.run(query, {**params, "rows": rows}).consume()  # type: ignore[arg-type]  # constant Cypher


def _fetch(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return [record.data() for record in tx.run(query, params)]  # type: ignore[arg-type]


def _delete_in_batches(graph: Graph, query: str, params: dict[str, Any]) -> int:
    total = 0
    while True:
        deleted = graph.write(lambda tx: _fetch(tx, query, params)[0]["deleted"])
        total += int(deleted)
        if deleted == 0:
            return total


class OntologyWriter:
    """Writes releases through one Graph; ``batch_size`` rows per transaction."""

    def __init__(self, graph: Graph, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.graph = graph
        self.batch_size = batch_size

    def _batches(self, step: str, query: str, rows: list[Row], params: dict[str, Any], progress: Progress) -> None:
        total = len(rows)
        progress(step, 0, total)
        for start in range(0, total, self.batch_size):
            chunk = rows[start : start + self.batch_size]
            self.graph.write(lambda tx, chunk=chunk: _run_rows(tx, query, chunk, params))  # type: ignore[misc]
            progress(step, min(start + self.batch_size, total), total)

    def load(self, release: OntologyRelease, *, progress: Progress = _no_progress, force: bool = False) -> LoadReport:
        """Write ``release``; return what changed.

        Args:
            release: the parsed release.
            progress: called as rows are written (step name, done, total).
            force: rewrite even when the same release content is already complete.

        Raises:
            GraphUnavailable: Neo4j is not reachable (the release stays ``loading``; run again).
            GraphWriteError: Neo4j refused a write (the release is marked ``failed``).
        """
        started = time.perf_counter()
        meta = release.release
        source, version = meta.source, meta.version
        rid = release_id(source, version)
        hierarchy = check_hierarchy(release)
        rows = release_rows(release)
        apply_schema(self.graph)

        state = self.graph.read(lambda tx: _fetch(tx, q.RELEASE_STATE, {"release_id": rid}))[0]
        existing = self.graph.read(lambda tx: _fetch(tx, q.EXISTING_CONCEPTS, {"source": source}))
        diff, to_obsolete = compute_diff(existing, rows)
        relation_count = sum(len(items) for items in rows.relations.values())
        report = LoadReport(
            source=source, version=version, skipped=False, diff=diff, concepts=len(rows.concepts),
            terms=len(rows.terms), is_a=len(rows.is_a), relations=relation_count, mappings=len(rows.mappings),
            hierarchy=hierarchy, seconds=0.0, warnings=(*release.warnings, *hierarchy.warnings()),
        )  # fmt: skip
        if not force and state["status"] == "complete" and state["content_hash"] == rows.content_hash:
            unchanged = ReleaseDiff(added=0, changed=0, obsoleted=0, unchanged=len(rows.concepts))
            return _with(report, skipped=True, diff=unchanged, seconds=time.perf_counter() - started)

        params = {"source": source, "version": version, "load": rows.content_hash}
        self.graph.write(
            lambda tx: _run_rows(tx, q.BEGIN_RELEASE, [], {
                "source": source, "release_id": rid,
                "source_props": _source_props(release),
                "release_props": _release_props(release, rows),
            })
        )  # fmt: skip
        try:
            self._batches("concepts", q.WRITE_CONCEPTS, rows.concepts, params, progress)
            self._batches("terms", q.WRITE_TERMS, rows.terms, params, progress)
            self._batches("is_a", q.WRITE_IS_A, rows.is_a, params, progress)
            for rel_type, relation_rows in sorted(rows.relations.items()):
                self._batches(rel_type.lower(), q.WRITE_RELATION[rel_type], relation_rows, params, progress)
            self._batches("mappings", q.WRITE_MAPPINGS, rows.mappings, params, progress)
            cleanup = {**params, "batch": self.batch_size}
            _delete_in_batches(self.graph, q.DELETE_STALE_TERMS, cleanup)
            for query in q.DELETE_STALE_EDGES.values():
                _delete_in_batches(self.graph, query, cleanup)
            for start in range(0, len(to_obsolete), self.batch_size):
                chunk = to_obsolete[start : start + self.batch_size]
                self.graph.write(
                    lambda tx, chunk=chunk: tx.run(q.MARK_OBSOLETE, {**params, "curies": chunk}).consume()  # type: ignore[misc]
                )
            stats = {
                "added": diff.added, "changed": diff.changed, "obsoleted": diff.obsoleted,
                "unchanged": diff.unchanged, "concept_count": len(rows.concepts), "term_count": len(rows.terms),
                "is_a_count": len(rows.is_a), "mapping_count": len(rows.mappings),
                "hierarchy_cycles": hierarchy.cycle_count, "hierarchy_roots": hierarchy.roots,
                "hierarchy_max_depth": hierarchy.max_depth, "hierarchy_orphans": hierarchy.orphan_count,
                "content_hash": rows.content_hash,
            }  # fmt: skip
            self.graph.write(
                lambda tx: tx.run(q.FINISH_RELEASE, {**params, "release_id": rid, "stats": stats}).consume()  # type: ignore[arg-type]
            )
        except GraphError as error:
            self._mark_failed(rid, error)
            raise
        return _with(report, seconds=time.perf_counter() - started)

    def _mark_failed(self, rid: str, error: Exception) -> None:
        try:
            self.graph.write(lambda tx: tx.run(q.FAIL_RELEASE, {"release_id": rid, "error": str(error)}).consume())  # type: ignore[arg-type]
        except GraphError:
            logger.warning("Could not mark release %s as failed (Neo4j unavailable)", rid)


def _with(report: LoadReport, **changes: Any) -> LoadReport:
    return replace(report, **changes)


def _source_props(release: OntologyRelease) -> dict[str, Any]:
    meta = release.release
    props: dict[str, Any] = {"prefixes": list(meta.prefixes), "kind": "mappings" if not release.concepts else "ontology"}
    if meta.name:
        props["name"] = meta.name
    if meta.licence:
        props["licence"] = meta.licence
    return props


def _release_props(release: OntologyRelease, rows: ReleaseRows) -> dict[str, Any]:
    meta = release.release
    return {
        "source": meta.source,
        "version": meta.version,
        "name": meta.name,
        "licence": meta.licence,
        "languages": list(meta.languages),
        "files": list(meta.files),
        "pending_hash": rows.content_hash,
    }
