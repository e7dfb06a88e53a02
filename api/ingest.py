"""Ingestion: documents read (nlp.documents), annotated (nlp.pipeline), written (graph.document_repository).

Lives in the composition layer: it joins nlp and graph, which may not import each other. A document
whose content hash (text, metadata, pipeline and terminology versions) is already stored is neither
annotated nor written again, so re-running an ingest, even an interrupted one, costs little and ends
with the same graph. A record that cannot be read or annotated becomes a reject; the batch goes on.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice

from graph.document_repository import DocumentRepository, DocumentWriter
from graph.documents import DocumentRow, DocumentWriteReport, MentionRow, content_hash
from graph.driver import Graph
from nlp.documents import DocumentRecord, Reject
from nlp.pipeline import Annotation, Annotator, pipeline_version

logger = logging.getLogger(__name__)

# progress(documents handled so far)
IngestProgress = Callable[[int], None]


@dataclass
class IngestReport:
    read: int = 0
    skipped_unchanged: int = 0
    written: DocumentWriteReport = field(default_factory=DocumentWriteReport)
    rejects: list[Reject] = field(default_factory=list)
    seconds: float = 0.0


def document_row(
    record: DocumentRecord, annotation: Annotation | None, *, annotator: Annotator
) -> DocumentRow:
    """The graph row of a record; without an annotation it has no mentions (for hashing)."""
    mentions: tuple[MentionRow, ...] = ()
    if annotation is not None:
        mentions = tuple(
            MentionRow(
                start=mention.start,
                end=mention.end,
                text=mention.text,
                candidates=tuple((candidate.curie, candidate.score) for candidate in mention.candidates),
                negated=mention.qualifiers.negated,
                hypothetical=mention.qualifiers.hypothetical,
                family=mention.qualifiers.family,
                historical=mention.qualifiers.historical,
                section=mention.section,
                sentence_start=mention.sentence_start,
                sentence_end=mention.sentence_end,
            )
            for mention in annotation.mentions
        )
    return DocumentRow(
        id=record.id,
        text=record.text,
        patient_id=record.patient_id,
        type=record.type,
        date=record.date,
        # Detection is deterministic: the hash computed before annotating equals the stored one.
        lang=annotation.lang
        if annotation is not None
        else (record.lang or annotator.detect_language(record.text)),
        title=record.title,
        source=record.source,
        metadata=dict(record.metadata),
        pipeline_version=pipeline_version(),
        terminology_version=annotator.terminology_version,
        mentions=mentions,
        vector=annotation.vector if annotation is not None else None,
    )


# Worker processes inherit the parent's annotator through fork (matchers are large: not pickled).
_WORKER_ANNOTATOR: Annotator | None = None


def _annotate_in_worker(task: tuple[str, str, str | None]) -> tuple[str, Annotation | str]:
    record_id, text, lang = task
    if _WORKER_ANNOTATOR is None:  # pragma: no cover - set before the pool forks
        return record_id, "worker has no annotator"
    try:
        return record_id, _WORKER_ANNOTATOR.annotate(text, lang=lang, with_vector=True)
    except ValueError as error:
        return record_id, f"annotation failed: {error}"


def _batches(items: Iterable[DocumentRecord | Reject], size: int) -> Iterator[list[DocumentRecord | Reject]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class Ingestor:
    """Annotates and writes documents in batches, on ``processes`` cores."""

    def __init__(
        self, graph: Graph, annotator: Annotator, *, batch_size: int = 200, processes: int = 1
    ) -> None:
        self.graph = graph
        self.annotator = annotator
        self.batch_size = batch_size
        self.processes = max(1, processes)
        self.writer = DocumentWriter(graph)
        self.repository = DocumentRepository(graph)

    def ingest(
        self,
        items: Iterable[DocumentRecord | Reject],
        *,
        progress: IngestProgress | None = None,
        force: bool = False,
    ) -> IngestReport:
        """Annotate and write every record; collect rejects. ``force`` re-annotates unchanged ones."""
        started = time.perf_counter()
        report = IngestReport()
        pool = self._pool()
        try:
            for batch in _batches(items, self.batch_size):
                self._ingest_batch(batch, report, pool=pool, force=force)
                if progress is not None:
                    progress(report.read + len(report.rejects))
        finally:
            if pool is not None:
                pool.shutdown()
        report.seconds = time.perf_counter() - started
        return report

    def _pool(self) -> ProcessPoolExecutor | None:
        if self.processes == 1:
            return None
        global _WORKER_ANNOTATOR
        _WORKER_ANNOTATOR = self.annotator
        # Build the qualifier pipelines once here, so that the forked workers share them.
        self.annotator.warm_up()
        return ProcessPoolExecutor(max_workers=self.processes, mp_context=multiprocessing.get_context("fork"))

    def _ingest_batch(
        self,
        batch: list[DocumentRecord | Reject],
        report: IngestReport,
        *,
        pool: ProcessPoolExecutor | None,
        force: bool,
    ) -> None:
        records = []
        for item in batch:
            if isinstance(item, Reject):
                report.rejects.append(item)
            else:
                records.append(item)
        report.read += len(records)
        if not force:
            stored = self.repository.hashes([record.id for record in records])
            fresh = []
            for record in records:
                # A new document has nothing to compare with: no hash (nor language detection) for it.
                if record.id in stored and stored[record.id] == content_hash(
                    document_row(record, None, annotator=self.annotator)
                ):
                    report.skipped_unchanged += 1
                else:
                    fresh.append(record)
            records = fresh
        if not records:
            return
        annotations = self._annotate(records, pool)
        rows = []
        for record in records:
            annotation = annotations[record.id]
            if isinstance(annotation, str):
                report.rejects.append(Reject(origin=record.origin, reason=annotation, record_id=record.id))
            else:
                rows.append(document_row(record, annotation, annotator=self.annotator))
        report.written += self.writer.write(rows)

    def _annotate(
        self, records: list[DocumentRecord], pool: ProcessPoolExecutor | None
    ) -> dict[str, Annotation | str]:
        tasks = [(record.id, record.text, record.lang) for record in records]
        if pool is None:
            results: dict[str, Annotation | str] = {}
            for record_id, text, lang in tasks:
                try:
                    results[record_id] = self.annotator.annotate(text, lang=lang, with_vector=True)
                except ValueError as error:
                    results[record_id] = f"annotation failed: {error}"
            return results
        return dict(pool.map(_annotate_in_worker, tasks, chunksize=8))
