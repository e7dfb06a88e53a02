"""Write annotated documents into Neo4j and read them back.

``DocumentWriter`` is idempotent and atomic per batch: one managed transaction reads the stored
hashes of the batch's documents, then deletes the old mentions and aggregates of the changed ones and
writes the new and changed documents. An exception anywhere rolls the whole batch back, so every
document is left at its old or its new version, and running the same write again gives the same
graph. The driver may retry the transaction: the work function recomputes everything from what it
reads, so a retry is a fresh attempt, not a second application.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import neo4j

from graph import document_cypher as q
from graph.documents import (
    DocumentRow,
    DocumentWriteReport,
    Row,
    aggregate_params,
    content_hash,
    diff_mentions,
    document_params,
    mention_params,
    signature_of,
    validate,
)
from graph.driver import Graph, fetch, fetch_single
from graph.errors import DocumentNotFound, Errors, InvalidDocument
from graph.schema import apply_schema

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500
ID_PAGE_SIZE = 5_000


def _run(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> None:
    tx.run(query, params).consume()


def _delete_content(tx: neo4j.ManagedTransaction, ids: list[str]) -> None:
    if ids:
        _run(tx, q.DELETE_CONTENT, {"ids": ids})


def _create(tx: neo4j.ManagedTransaction, rows: Sequence[DocumentRow]) -> None:
    if not rows:
        return
    _run(tx, q.WRITE_DOCUMENTS, {"rows": [document_params(row) for row in rows]})
    mentions = [mention for row in rows for mention in mention_params(row)]
    if mentions:
        _run(tx, q.WRITE_MENTIONS, {"rows": mentions})
    aggregates: list[Row] = [agg for row in rows for agg in aggregate_params(row)]
    if aggregates:
        _run(tx, q.WRITE_AGGREGATES, {"rows": aggregates})


def _write_batch(tx: neo4j.ManagedTransaction, rows: Sequence[DocumentRow]) -> DocumentWriteReport:
    """One batch, in one transaction: compare with the stored versions, replace, create."""
    existing = fetch_single(tx, q.EXISTING_DOCUMENTS, {"ids": [r.id for r in rows]})
    stored = {document["id"]: document for document in existing}
    new: list[DocumentRow] = []
    changed: list[DocumentRow] = []
    unchanged = 0
    mentions_added = mentions_removed = mentions_changed = 0
    for row in rows:
        old = stored.get(row.id)
        if old is None:
            new.append(row)
            mentions_added += len(row.mentions)
        elif old["hash"] == content_hash(row):
            unchanged += 1
        else:
            changed.append(row)
            diff = diff_mentions(
                [signature_of(mention) for mention in old["mentions"]],
                [mention.signature() for mention in row.mentions],
            )
            mentions_added += diff.added
            mentions_removed += diff.removed
            mentions_changed += diff.changed
    _delete_content(tx, [row.id for row in changed])
    _create(tx, [*new, *changed])
    return DocumentWriteReport(
        added=len(new),
        replaced=len(changed),
        unchanged=unchanged,
        mentions_added=mentions_added,
        mentions_removed=mentions_removed,
        mentions_changed=mentions_changed,
    )


class DocumentWriter:
    """Writes annotated documents through one Graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._schema_applied = False

    def write(
        self, rows: Sequence[DocumentRow], *, batch_size: int = DEFAULT_BATCH_SIZE
    ) -> DocumentWriteReport:
        """Create new documents, replace changed ones (by ``content_hash``), skip unchanged ones.

        Every row is checked before the first write. Each batch of ``batch_size`` documents is one
        transaction: an error leaves the batches before it written and the failing one untouched.

        Args:
            rows: the documents, each with its mentions; an id at most once.
            batch_size: documents per transaction.

        Returns:
            Documents added, replaced and unchanged; mentions added, removed and changed (compared
            by span, best concept and qualifiers).

        Raises:
            InvalidDocument: a row is malformed or an id repeats (nothing written).
            GraphUnavailable: Neo4j is not reachable.
            GraphWriteError: Neo4j refused a write (that batch is rolled back).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        seen: set[str] = set()
        for row in rows:
            validate(row)
            if row.id in seen:
                raise InvalidDocument(Errors.E115.format(id=row.id))
            seen.add(row.id)
        if not self._schema_applied:
            apply_schema(self.graph)
            self._schema_applied = True
        report = DocumentWriteReport()
        for start in range(0, len(rows), batch_size):
            chunk = rows[start : start + batch_size]
            report += self.graph.write(lambda tx, chunk=chunk: _write_batch(tx, chunk))  # type: ignore[misc]
            logger.info("Documents written: %d/%d", min(start + batch_size, len(rows)), len(rows))
        return report


@dataclass(frozen=True)
class CandidateDetail:
    curie: str
    label: str | None
    score: float
    rank: int
    stub: bool


@dataclass(frozen=True)
class MentionDetail:
    start: int
    end: int
    text: str
    candidates: tuple[CandidateDetail, ...]  # best first
    negated: bool
    hypothetical: bool
    family: bool
    historical: bool
    section: str | None
    sentence_start: int | None
    sentence_end: int | None


@dataclass(frozen=True)
class ConceptMentions:
    """The ``MENTIONS`` aggregate of one concept in one document."""

    curie: str
    label: str | None
    count: int
    affirmed: int
    negated: int
    hypothetical: int
    family: int
    historical: int
    best_score: float | None


@dataclass(frozen=True)
class DocumentDetail:
    id: str
    text: str
    patient_id: str | None
    type: str | None
    date: str | None
    lang: str | None
    title: str | None
    source: str | None
    metadata: dict[str, Any]
    pipeline_version: str
    terminology_version: str
    hash: str
    mention_count: int
    mentions: tuple[MentionDetail, ...]  # by start, then end
    concepts: tuple[ConceptMentions, ...]  # most mentioned first


class DocumentRepository:
    """Reads documents back: one with its mentions, stored hashes, and every id."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def get(self, id: str) -> DocumentDetail:
        """One document with its metadata, text, mentions (by start) and concept aggregates.

        Raises:
            DocumentNotFound: no document has this id.
        """
        rows = self.graph.read(lambda tx: fetch(tx, q.DOCUMENT_DETAIL, {"id": id}))
        if not rows:
            raise DocumentNotFound(Errors.E113.format(id=id))
        return _detail(rows[0])

    def hashes(self, ids: Sequence[str]) -> dict[str, str]:
        """The stored ``content_hash`` of each of ``ids`` that is in the graph."""
        rows = self.graph.read(lambda tx: fetch(tx, q.HASHES, {"ids": list(ids)}))
        return {row["id"]: row["hash"] for row in rows}

    def count(self, source: str | None = None) -> int:
        """How many documents are stored (of ``source`` when given)."""
        rows = self.graph.read(lambda tx: fetch(tx, q.COUNT, {"source": source}))
        return int(rows[0]["count"])

    def all_ids(self, source: str | None = None, *, page_size: int = ID_PAGE_SIZE) -> Iterator[str]:
        """Every document id (of ``source`` when given), in id order, read a page at a time."""
        after = ""
        while True:
            page = self._page(after, source, page_size)
            yield from page
            if len(page) < page_size:
                return
            after = page[-1]

    def _page(self, after: str, source: str | None, page_size: int) -> list[str]:
        params = {"after": after, "source": source, "page": page_size}
        return [row["id"] for row in self.graph.read(lambda tx: fetch(tx, q.PAGE_IDS, params))]


def _detail(row: dict[str, Any]) -> DocumentDetail:
    node = row["document"]
    mentions = sorted(row["mentions"], key=lambda m: (m["start"], m["end"]))
    return DocumentDetail(
        id=node["id"],
        text=node["text"],
        patient_id=row["patient_id"],
        type=node.get("type"),
        date=node.get("date"),
        lang=node.get("lang"),
        title=node.get("title"),
        source=node.get("source"),
        metadata=json.loads(node.get("metadata") or "{}"),
        pipeline_version=node.get("pipeline_version", ""),
        terminology_version=node.get("terminology_version", ""),
        hash=node["hash"],
        mention_count=int(node.get("mention_count", 0)),
        mentions=tuple(
            MentionDetail(
                start=m["start"],
                end=m["end"],
                text=m["text"],
                candidates=tuple(
                    CandidateDetail(
                        curie=c["curie"], label=c["label"], score=c["score"], rank=c["rank"], stub=c["stub"]
                    )
                    for c in sorted(m["candidates"], key=lambda c: c["rank"])
                ),
                negated=bool(m.get("negated")),
                hypothetical=bool(m.get("hypothetical")),
                family=bool(m.get("family")),
                historical=bool(m.get("historical")),
                section=m.get("section"),
                sentence_start=m.get("sentence_start"),
                sentence_end=m.get("sentence_end"),
            )
            for m in mentions
        ),
        concepts=tuple(
            ConceptMentions(
                curie=a["curie"],
                label=a["label"],
                count=a["count"],
                affirmed=a["affirmed"],
                negated=a["negated"],
                hypothetical=a["hypothetical"],
                family=a["family"],
                historical=a["historical"],
                best_score=a.get("best_score"),
            )
            for a in row["concepts"]
        ),
    )
