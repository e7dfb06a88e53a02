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
from graph.driver import Graph, fetch
from graph.errors import GraphError
from graph.rows import ReleaseRows, Row, release_rows
from graph.schema import apply_schema
from ontologies.model import OntologyRelease

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 10_000
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


@dataclass(frozen=True)
class ConceptChanges:
    """Which concepts of a release to create, rewrite, only touch, or mark obsolete."""

    added: frozenset[str]
    changed: frozenset[str]
    unchanged: frozenset[str]
    to_obsolete: tuple[str, ...]

    @property
    def diff(self) -> ReleaseDiff:
        return ReleaseDiff(
            added=len(self.added),
            changed=len(self.changed),
            obsoleted=len(self.to_obsolete),
            unchanged=len(self.unchanged),
        )


def compute_changes(existing: Sequence[dict[str, Any]], rows: ReleaseRows) -> ConceptChanges:
    """Compare the source's concepts in the graph with the new release's rows.

    A concept is changed when its hash differs, when it has no hash (an interrupted load wrote it
    partly), or when it comes back after a release had removed it. Concepts in the graph, active,
    and absent from the release are to be marked obsolete; those already obsolete are left alone.
    """
    before = {row["curie"]: row for row in existing}
    added: set[str] = set()
    changed: set[str] = set()
    unchanged: set[str] = set()
    for row in rows.concepts:
        curie = row["curie"]
        old = before.get(curie)
        if old is None:
            added.add(curie)
        elif old["hash"] != row["hash"] or (old["obsolete"] and not row["props"]["obsolete"]):
            changed.add(curie)
        else:
            unchanged.add(curie)
    new = {row["curie"] for row in rows.concepts}
    to_obsolete = tuple(
        sorted(curie for curie, row in before.items() if curie not in new and not row["obsolete"])
    )
    return ConceptChanges(frozenset(added), frozenset(changed), frozenset(unchanged), to_obsolete)


def _run_rows(tx: neo4j.ManagedTransaction, query: str, rows: list[Row], params: dict[str, Any]) -> None:
    tx.run(query, {**params, "rows": rows}).consume()


def _delete_in_batches(graph: Graph, query: str, params: dict[str, Any]) -> int:
    total = 0
    while True:
        deleted = graph.write(lambda tx: fetch(tx, query, params)[0]["deleted"])
        total += int(deleted)
        if deleted == 0:
            return total


class OntologyWriter:
    """Writes releases through one Graph; ``batch_size`` rows per transaction."""

    def __init__(self, graph: Graph, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.graph = graph
        self.batch_size = batch_size
        self._schema_applied = False

    def _batches(
        self, step: str, query: str, rows: list[Row], params: dict[str, Any], progress: Progress
    ) -> None:
        total = len(rows)
        progress(step, 0, total)
        for start in range(0, total, self.batch_size):
            chunk = rows[start : start + self.batch_size]
            self.graph.write(lambda tx, chunk=chunk: _run_rows(tx, query, chunk, params))  # type: ignore[misc]
            progress(step, min(start + self.batch_size, total), total)

    def _curies(
        self, step: str, query: str, curies: list[str], params: dict[str, Any], progress: Progress
    ) -> None:
        total = len(curies)
        progress(step, 0, total)
        for start in range(0, total, self.batch_size):
            chunk = curies[start : start + self.batch_size]
            self.graph.write(lambda tx, chunk=chunk: tx.run(query, {**params, "curies": chunk}).consume())  # type: ignore[misc]
            progress(step, min(start + self.batch_size, total), total)

    def load(
        self,
        release: OntologyRelease,
        *,
        progress: Progress = _no_progress,
        force: bool = False,
        wait_for_indexes: bool = True,
    ) -> LoadReport:
        """Write ``release``; return what changed.

        Args:
            release: the parsed release.
            progress: called as rows are written (step name, done, total).
            force: rewrite even when the same release content is already complete.
            wait_for_indexes: return only when full-text lookups see the release (a caller loading
                several releases waits once, at the end, with ``wait_for_indexes()``).

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
        if not self._schema_applied:  # once per writer: a manifest's loads share it
            apply_schema(self.graph)
            self._schema_applied = True

        state = self.graph.read(lambda tx: fetch(tx, q.RELEASE_STATE, {"release_id": rid, "source": source}))[
            0
        ]
        existing = self.graph.read(lambda tx: fetch(tx, q.EXISTING_CONCEPTS, {"source": source}))
        changes = compute_changes(existing, rows)
        diff = changes.diff
        relation_count = sum(len(items) for items in rows.relations.values())
        report = LoadReport(
            source=source,
            version=version,
            skipped=False,
            diff=diff,
            concepts=len(rows.concepts),
            terms=len(rows.terms),
            is_a=len(rows.is_a),
            relations=relation_count,
            mappings=len(rows.mappings) + len(rows.set_mappings),
            hierarchy=hierarchy,
            seconds=0.0,
            warnings=(*release.warnings, *hierarchy.warnings()),
        )
        if not force and state["status"] == "complete" and state["content_hash"] == rows.content_hash:
            unchanged = ReleaseDiff(added=0, changed=0, obsoleted=0, unchanged=len(rows.concepts))
            return replace(report, skipped=True, diff=unchanged, seconds=time.perf_counter() - started)

        params = {"source": source, "version": version}
        self.graph.write(
            lambda tx: tx.run(
                q.BEGIN_RELEASE,
                {
                    "source": source,
                    "release_id": rid,
                    "source_props": _source_props(release),
                    "release_props": _release_props(release, rows),
                },
            ).consume()
        )
        try:
            touched = changes.added | changes.changed

            def of_touched(items: list[Row], key: str) -> list[Row]:
                return [row for row in items if row[key] in touched]

            concept_rows = [
                {"curie": row["curie"], "props": row["props"]} for row in of_touched(rows.concepts, "curie")
            ]
            self._curies("clear", q.CLEAR_CONCEPTS, sorted(changes.changed), params, progress)
            self._batches("concepts", q.WRITE_CONCEPTS, concept_rows, params, progress)
            self._curies("touch", q.TOUCH_CONCEPTS, sorted(changes.unchanged), params, progress)
            self._batches("terms", q.CREATE_TERMS, of_touched(rows.terms, "curie"), params, progress)
            self._batches("is_a", q.CREATE_IS_A, of_touched(rows.is_a, "child"), params, progress)
            for rel_type, relation_rows in sorted(rows.relations.items()):
                self._batches(
                    rel_type.lower(),
                    q.CREATE_RELATION[rel_type],
                    of_touched(relation_rows, "subject"),
                    params,
                    progress,
                )
            self._batches(
                "mappings",
                q.CREATE_MAPPINGS,
                of_touched(rows.mappings, "subject"),
                {**params, "set": False},
                progress,
            )
            if state["set_mappings_hash"] != rows.set_mappings_hash:
                _delete_in_batches(self.graph, q.DELETE_SET_MAPPINGS, {**params, "batch": self.batch_size})
                self._batches(
                    "mapping set", q.CREATE_MAPPINGS, rows.set_mappings, {**params, "set": True}, progress
                )
            self._curies("obsolete", q.MARK_OBSOLETE, list(changes.to_obsolete), params, progress)
            hashes = [
                {"curie": row["curie"], "hash": row["hash"]} for row in of_touched(rows.concepts, "curie")
            ]
            self._batches("finalize", q.FINALIZE_CONCEPTS, hashes, params, progress)
            diff = changes.diff
            stats = {
                "added": diff.added,
                "changed": diff.changed,
                "obsoleted": diff.obsoleted,
                "unchanged": diff.unchanged,
                "concept_count": len(rows.concepts),
                "term_count": len(rows.terms),
                "is_a_count": len(rows.is_a),
                "mapping_count": len(rows.mappings) + len(rows.set_mappings),
                "hierarchy_cycles": hierarchy.cycle_count,
                "hierarchy_roots": hierarchy.roots,
                "hierarchy_max_depth": hierarchy.max_depth,
                "hierarchy_orphans": hierarchy.orphan_count,
                "content_hash": rows.content_hash,
            }
            finish = {
                **params,
                "release_id": rid,
                "stats": stats,
                "set_mappings_hash": rows.set_mappings_hash,
            }
            self.graph.write(lambda tx: tx.run(q.FINISH_RELEASE, finish).consume())
            if wait_for_indexes:
                self.wait_for_indexes()
        except GraphError as error:
            self._mark_failed(rid, error)
            raise
        return replace(report, seconds=time.perf_counter() - started)

    def wait_for_indexes(self) -> None:
        """Return when the (eventually consistent) full-text indexes show every write so far."""
        self.graph.run_schema(q.AWAIT_FULLTEXT)

    def _mark_failed(self, rid: str, error: Exception) -> None:
        try:
            self.graph.write(
                lambda tx: tx.run(q.FAIL_RELEASE, {"release_id": rid, "error": str(error)}).consume()
            )
        except GraphError:
            logger.warning("Could not mark release %s as failed (Neo4j unavailable)", rid)


def _source_props(release: OntologyRelease) -> dict[str, Any]:
    meta = release.release
    props: dict[str, Any] = {
        "prefixes": list(meta.prefixes),
        "kind": "mappings" if not release.concepts else "ontology",
    }
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
