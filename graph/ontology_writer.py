"""Write one terminology release into Neo4j: batched, idempotent, with a recorded diff.

Everything is parsed, checked and turned into rows before the first write, so a malformed file
writes nothing. Writes are UNWIND batches in managed transactions keyed on constrained properties
(so a retried or repeated batch changes nothing). New concepts are created with all their terms and
edges; a changed concept loses only the terms and edges the new release no longer has and gains only
those it lacks (compared with what the graph holds, so that a rerun after an interruption completes
it); unchanged concepts are only touched. A release is marked ``loading`` while written and
``complete`` at the end; an interrupted load leaves ``loading``/``failed`` and is finished by running
the same load again (or any later release of the source: the concepts an unfinished load wrote are
compared again whatever their hash).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import neo4j

from graph import ontology_cypher as q
from graph.checks import HierarchyReport, check_hierarchy
from graph.driver import Graph, fetch, fetch_single
from graph.errors import GraphError
from graph.rows import ReleaseRows, Row, release_rows
from graph.schema import apply_schema
from ontologies.model import OntologyRelease

logger = logging.getLogger(__name__)

# 5,000 rows per transaction: a fifth less Neo4j CPU than 10,000 for concepts, a tenth for terms
# (measured on the shared terminologies); 20,000 was slower still.
DEFAULT_BATCH_SIZE = 5_000
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


def compute_changes(
    existing: Sequence[dict[str, Any]], rows: ReleaseRows, *, unfinished: Collection[str] = ()
) -> ConceptChanges:
    """Compare the source's concepts in the graph with the new release's rows.

    A concept is changed when its hash differs, when it comes back after a release had removed it,
    or when a load that did not finish wrote it last (its ``release`` is in ``unfinished``): that load
    may have stopped before the concept's terms and edges were all written. Concepts in the graph,
    active, and absent from the release are to be marked obsolete; those already obsolete are left
    alone.
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
        elif (
            old["hash"] != row["hash"]
            or (old["obsolete"] and not row["props"]["obsolete"])
            or old["release"] in unfinished
        ):
            changed.add(curie)
        else:
            unchanged.add(curie)
    new = {row["curie"] for row in rows.concepts}
    to_obsolete = tuple(
        sorted(curie for curie, row in before.items() if curie not in new and not row["obsolete"])
    )
    return ConceptChanges(frozenset(added), frozenset(changed), frozenset(unchanged), to_obsolete)


Key = tuple[Any, ...]
# The values TERMS_OF_CONCEPTS and EDGES_OF_CONCEPTS return for each term and edge, in order.
_TERM_FIELDS = ("curie", "id", "text", "norm", "lang", "type", "source_type")
_EDGE_FIELDS = (
    "curie",
    "id",
    "rel_type",
    "object",
    "type",
    "predicate",
    "mapping_source",
    "negated",
    "confidence",
    "justification",
)


def _term_key(row: Row) -> Key:
    return (row["curie"], row["text"], row["norm"], row["lang"], row["type"], row["source_type"])


def _edge_key(rel_type: str, subject: str, row: Row) -> Key:
    """What identifies an edge a concept's source asserted (its ``release`` does not: an edge a new
    release asserts again is kept as written)."""
    if rel_type == "IS_A":
        return (rel_type, subject, row["object"])
    if rel_type == "MAPS_TO":
        return (
            rel_type,
            subject,
            row["object"],
            row["predicate"],
            row["mapping_source"],
            row["negated"],
            row["confidence"],
            row["justification"],
        )
    return (rel_type, subject, row["object"], row["type"])


@dataclass(frozen=True)
class ItemChanges:
    """Terms and edges to delete (element ids) and to create (rows) for a release's concepts."""

    delete_terms: list[str]
    delete_edges: list[str]
    terms: list[Row]
    is_a: list[Row]
    relations: dict[str, list[Row]]
    mappings: list[Row]


def compute_item_changes(
    rows: ReleaseRows,
    changes: ConceptChanges,
    old_terms: Sequence[dict[str, Any]],
    old_edges: Sequence[dict[str, Any]],
) -> ItemChanges:
    """Added concepts get every term and edge of the release; a changed concept keeps the terms and
    edges (``old_terms``, ``old_edges``: what TERMS_OF_CONCEPTS and EDGES_OF_CONCEPTS return) the new
    release still has, loses the others, and gets only those it lacks. Items are counted, so that a
    duplicate in the graph is deleted too."""
    pool: dict[Key, list[str]] = {}
    for term in old_terms:
        pool.setdefault(_term_key(term), []).append(term["id"])
    for edge in old_edges:
        pool.setdefault(_edge_key(edge["rel_type"], edge["curie"], edge), []).append(edge["id"])
    deleted_terms = {term["id"] for term in old_terms}

    def to_create(items: list[Row], subject: str, key: Callable[[Row], Key]) -> list[Row]:
        created: list[Row] = []
        for row in items:
            curie = row[subject]
            if curie in changes.added:
                created.append(row)
            elif curie in changes.changed:
                ids = pool.get(key(row))
                if ids:
                    ids.pop()
                else:
                    created.append(row)
        return created

    terms = to_create(rows.terms, "curie", _term_key)
    is_a = to_create(
        rows.is_a, "child", lambda row: _edge_key("IS_A", row["child"], {"object": row["parent"]})
    )
    relations = {
        rel_type: to_create(
            items,
            "subject",
            lambda row, rel_type=rel_type: _edge_key(rel_type, row["subject"], row),  # type: ignore[misc]
        )
        for rel_type, items in sorted(rows.relations.items())
    }
    mappings = to_create(rows.mappings, "subject", lambda row: _edge_key("MAPS_TO", row["subject"], row))
    left = [item_id for ids in pool.values() for item_id in ids]
    return ItemChanges(
        delete_terms=sorted(item_id for item_id in left if item_id in deleted_terms),
        delete_edges=sorted(item_id for item_id in left if item_id not in deleted_terms),
        terms=terms,
        is_a=is_a,
        relations=relations,
        mappings=mappings,
    )


def _terms_and_edges(tx: Any, params: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """The terms and the source's edges of a chunk of changed concepts, in one transaction."""
    # fetch_single: tens of thousands of nested values, which Record.data() would walk one by one.
    return fetch_single(tx, q.TERMS_OF_CONCEPTS, params), fetch_single(tx, q.EDGES_OF_CONCEPTS, params)


@dataclass(frozen=True)
class PreparedRelease:
    """A release with its rows and hierarchy check computed (pure Python, no Neo4j)."""

    release: OntologyRelease
    rows: ReleaseRows
    hierarchy: HierarchyReport


def prepare(release: OntologyRelease) -> PreparedRelease:
    return PreparedRelease(release, release_rows(release), check_hierarchy(release))


def prepare_ahead(releases: Sequence[OntologyRelease]) -> Iterator[PreparedRelease]:
    """Each release prepared, in order; the next one is prepared in a thread while the caller writes
    this one (Neo4j does the work of a write: the loading process mostly waits for it)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prepare") as pool:
        upcoming: Future[PreparedRelease] | None = pool.submit(prepare, releases[0]) if releases else None
        for index in range(len(releases)):
            assert upcoming is not None
            current = upcoming.result()
            has_next = index + 1 < len(releases)
            upcoming = pool.submit(prepare, releases[index + 1]) if has_next else None
            yield current


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
        prepared: PreparedRelease | None = None,
    ) -> LoadReport:
        """Write ``release``; return what changed.

        Args:
            release: the parsed release.
            progress: called as rows are written (step name, done, total).
            force: rewrite even when the same release content is already complete.
            wait_for_indexes: return only when full-text lookups see the release (a caller loading
                several releases waits once, at the end, with ``wait_for_indexes()``).
            prepared: ``prepare(release)`` computed beforehand (see ``prepare_ahead``).

        Raises:
            GraphUnavailable: Neo4j is not reachable (the release stays ``loading``; run again).
            GraphWriteError: Neo4j refused a write (the release is marked ``failed``).
        """
        started = time.perf_counter()
        meta = release.release
        source, version = meta.source, meta.version
        rid = release_id(source, version)
        if prepared is None or prepared.release is not release:
            prepared = prepare(release)
        rows, hierarchy = prepared.rows, prepared.hierarchy
        if not self._schema_applied:  # once per writer: a manifest's loads share it
            apply_schema(self.graph)
            self._schema_applied = True

        state = self.graph.read(lambda tx: fetch(tx, q.RELEASE_STATE, {"release_id": rid, "source": source}))[
            0
        ]
        existing = [
            {"curie": curie, "hash": concept_hash, "obsolete": obsolete, "release": written_by}
            for curie, concept_hash, obsolete, written_by in self.graph.read(
                lambda tx: fetch_single(tx, q.EXISTING_CONCEPTS, {"source": source})
            )
        ]
        changes = compute_changes(existing, rows, unfinished=state["unfinished"])
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

        items = self._item_changes(rows, changes, source)
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
            concept_rows = [row for row in rows.concepts if row["curie"] in touched]
            present = self._present(sorted(changes.added))
            # Concepts first: each then names this (unfinished) release before its terms or edges
            # change, so that a load stopped anywhere after this point is redone for them.
            self._batches(
                "concepts",
                q.CREATE_CONCEPTS,
                [
                    row
                    for row in concept_rows
                    if row["curie"] in changes.added and row["curie"] not in present
                ],
                params,
                progress,
            )
            self._batches(
                "concepts",
                q.WRITE_CONCEPTS,
                [row for row in concept_rows if row["curie"] in changes.changed or row["curie"] in present],
                params,
                progress,
            )
            self._curies("touch", q.TOUCH_CONCEPTS, sorted(changes.unchanged), params, progress)
            self._curies("clear", q.DELETE_TERMS, items.delete_terms, params, progress)
            self._curies("clear edges", q.DELETE_EDGES, items.delete_edges, params, progress)
            self._batches("terms", q.CREATE_TERMS, items.terms, params, progress)
            self._batches("is_a", q.CREATE_IS_A, items.is_a, params, progress)
            for rel_type, relation_rows in items.relations.items():
                self._batches(rel_type.lower(), q.CREATE_RELATION[rel_type], relation_rows, params, progress)
            self._batches(
                "mappings", q.CREATE_OWN_MAPPINGS, items.mappings, {**params, "set": False}, progress
            )
            if state["set_mappings_hash"] != rows.set_mappings_hash:
                _delete_in_batches(self.graph, q.DELETE_SET_MAPPINGS, {**params, "batch": self.batch_size})
                self._batches(
                    "mapping set", q.CREATE_MAPPINGS, rows.set_mappings, {**params, "set": True}, progress
                )
            self._curies("obsolete", q.MARK_OBSOLETE, list(changes.to_obsolete), params, progress)
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

    def _item_changes(self, rows: ReleaseRows, changes: ConceptChanges, source: str) -> ItemChanges:
        """Read the changed concepts' terms and edges (before any write) and compare them with ``rows``."""
        changed = sorted(changes.changed)
        old_terms: list[dict[str, Any]] = []
        old_edges: list[dict[str, Any]] = []
        for start in range(0, len(changed), self.batch_size):
            chunk = {"curies": changed[start : start + self.batch_size], "source": source}
            terms, edges = self.graph.read(lambda tx, c=chunk: _terms_and_edges(tx, c))  # type: ignore[misc]
            old_terms += (dict(zip(_TERM_FIELDS, values, strict=True)) for values in terms)
            old_edges += (dict(zip(_EDGE_FIELDS, values, strict=True)) for values in edges)
        return compute_item_changes(rows, changes, old_terms, old_edges)

    def _present(self, curies: list[str]) -> set[str]:
        """Those of ``curies`` that have a Concept node (a stub, or another source's concept)."""

        present: set[str] = set()
        step = self.batch_size * 4
        for start in range(0, len(curies), step):
            params = {"curies": curies[start : start + step]}
            found = self.graph.read(lambda tx, p=params: fetch_single(tx, q.PRESENT_CONCEPTS, p))  # type: ignore[misc]
            present.update(found)
        return present

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
