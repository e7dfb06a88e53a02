"""BEIR-layout retrieval datasets: ``corpus.jsonl``, ``queries-<split>.jsonl``, ``qrels/<split>.tsv``.

The corpus is streamed as ``DocumentRecord``s and ``Reject``s, like ``nlp.documents`` readers: a bad
line never stops the reading. Queries and qrels are small and must be right for the scores to mean
anything, so a bad line there raises ``DatasetError``.

Only queries with at least one qrel of score > 0 are evaluated (the BEIR convention): see
``evaluated_queries``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from nlp.documents.errors import Reasons
from nlp.documents.model import DocumentRecord, MetadataValue, Reject

CORPUS = "corpus.jsonl"
QRELS_HEADER = ("query-id", "corpus-id", "score")


class DatasetError(ValueError):
    """A BEIR file that is missing or cannot be read; the message names the file and line."""


def read_beir_corpus(folder: Path, *, source: str) -> Iterator[DocumentRecord | Reject]:
    """Stream ``folder/corpus.jsonl`` as documents, in file order.

    A document's text is ``title + "\\n\\n" + text`` when the title is non-empty (so that search and
    the NLP pipeline see the title), else the text. The title is then kept in ``metadata["title"]``,
    not as the document's ``title``: the text indexes cover title and text as two fields, and a title
    indexed again beside the text that starts with it weighs twice (SciFact train, plain BM25: nDCG@10
    0.668 with it, 0.695 without; docs/evaluation.md). Scalar ``metadata`` values are kept, lists and
    objects dropped (they play no part in retrieval).

    Args:
        folder: the dataset folder.
        source: ``DocumentRecord.source`` of every document (e.g. ``"beir:scifact"``).

    Returns:
        ``DocumentRecord``s (``lang="en"``, ``type="article"``, ``origin="corpus.jsonl:LINE"``) and
        ``Reject``s: invalid JSON or UTF-8, no ``_id``, a non-string title or text, an empty text
        (whitespace only) or an id already read.

    Raises:
        DatasetError: ``corpus.jsonl`` is missing (raised by this call, before anything is read).
    """
    path = folder / CORPUS
    if not path.is_file():
        raise DatasetError(f"{path}: corpus file not found")
    return _corpus_items(path, source)


def _corpus_items(path: Path, source: str) -> Iterator[DocumentRecord | Reject]:
    first_origin: dict[str, str] = {}  # id -> where it was first read, to name it in a duplicate's Reject
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            origin = f"{path.name}:{number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                detail = f"0x{raw[error.start : error.end].hex(' ')} {error.reason}"
                yield Reject(
                    origin, Reasons.R002.format(encoding="UTF-8", position=error.start, detail=detail)
                )
                continue
            if not line.strip():
                continue  # blank lines (a trailing newline) are not records
            item = _corpus_record(line, origin, source)
            if isinstance(item, DocumentRecord):
                first = first_origin.setdefault(item.id, origin)
                if first != origin:
                    item = Reject(origin, Reasons.R008.format(record_id=item.id, first=first), item.id)
            yield item


def _corpus_record(line: str, origin: str, source: str) -> DocumentRecord | Reject:
    try:
        value: Any = json.loads(line)
    except json.JSONDecodeError as error:
        # error.msg and the column only: a Reject never quotes document text.
        return Reject(origin, Reasons.R006.format(detail=f"{error.msg} at column {error.colno}"))
    if not isinstance(value, dict):
        return Reject(
            origin, Reasons.R009.format(detail=f"a JSON {type(value).__name__}, expected an object")
        )
    record_id = _json_id(value.get("_id"))
    if record_id is None:
        return Reject(origin, Reasons.R003)
    title, text = value.get("title"), value.get("text")
    if title is not None and not isinstance(title, str):
        return Reject(origin, Reasons.R009.format(detail="title is not a string"), record_id)
    if not isinstance(text, str):
        return Reject(origin, Reasons.R009.format(detail="text is missing or not a string"), record_id)
    if not text.strip():
        return Reject(origin, Reasons.R001, record_id)
    title = title if title and title.strip() else None  # a blank title is no title
    metadata = _scalars(value.get("metadata"))
    if title:
        metadata.setdefault("title", title)
    return DocumentRecord(
        id=record_id,
        text=f"{title}\n\n{text}" if title else text,
        source=source,
        lang="en",
        type="article",
        metadata=metadata,
        origin=origin,
    )


def _json_id(value: object) -> str | None:
    """A non-empty string id; an integer is accepted as its decimal string (some exports write ints)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and value.strip() else None


def _scalars(value: object) -> dict[str, MetadataValue]:
    if not isinstance(value, Mapping):
        return {}
    return {str(key): item for key, item in value.items() if isinstance(item, str | int | float | bool)}


def read_beir_queries(folder: Path, split: str) -> dict[str, str]:
    """Query id → text from ``folder/queries-<split>.jsonl``, else ``folder/queries.jsonl``.

    The split-less file (the original BEIR layout) holds the queries of every split; only those
    with qrels in the split are evaluated, so reading them all is harmless.

    Raises:
        DatasetError: no queries file, or a line that is not ``{"_id": ..., "text": ...}`` with a
            non-empty text, or a duplicate id.
    """
    path = folder / f"queries-{split}.jsonl"
    if not path.is_file():
        path = folder / "queries.jsonl"
        if not path.is_file():
            raise DatasetError(f"{folder}: neither queries-{split}.jsonl nor queries.jsonl found")
    queries: dict[str, str] = {}
    for number, line in _text_lines(path):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            value: Any = json.loads(line)
        except json.JSONDecodeError as error:
            raise DatasetError(f"{where}: invalid JSON: {error.msg} at column {error.colno}") from None
        if not isinstance(value, dict):
            raise DatasetError(f"{where}: a JSON {type(value).__name__}, expected an object")
        query_id = _json_id(value.get("_id"))
        if query_id is None:
            raise DatasetError(f"{where}: query has no _id")
        text = value.get("text")
        if not isinstance(text, str) or not text.strip():
            raise DatasetError(f"{where}: query {query_id!r} has no text")
        if query_id in queries:
            raise DatasetError(f"{where}: duplicate query id {query_id!r}")
        queries[query_id] = text
    return queries


def read_qrels(folder: Path, split: str) -> dict[str, dict[str, int]]:
    """Query id → {document id → graded relevance} from ``folder/qrels/<split>.tsv``.

    The file is ``query-id<TAB>corpus-id<TAB>score`` with that header line first (skipped). A pair
    repeated with the same score is kept once.

    Raises:
        DatasetError: no qrels file, or a line without three fields, with an empty id or a
            non-integer score, or a pair repeated with another score.
    """
    path = folder / "qrels" / f"{split}.tsv"
    if not path.is_file():
        raise DatasetError(f"{path}: qrels file not found")
    qrels: dict[str, dict[str, int]] = {}
    for number, line in _text_lines(path):
        if not line.strip() or (number == 1 and tuple(line.split("\t")) == QRELS_HEADER):
            continue
        where = f"{path}:{number}"
        fields = line.split("\t")
        if len(fields) != 3:
            raise DatasetError(f"{where}: {len(fields)} tab-separated fields, expected 3")
        query_id, doc_id, raw_score = (field.strip() for field in fields)
        if not query_id or not doc_id:
            raise DatasetError(f"{where}: empty query-id or corpus-id")
        try:
            score = int(raw_score)
        except ValueError:
            raise DatasetError(f"{where}: score {raw_score!r} is not an integer") from None
        judged = qrels.setdefault(query_id, {})
        if judged.get(doc_id, score) != score:
            raise DatasetError(f"{where}: pair ({query_id!r}, {doc_id!r}) judged twice, differently")
        judged[doc_id] = score
    return qrels


def _text_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based number, line without its end of line); a line that is not UTF-8 raises ``DatasetError``."""
    # Bytes decoded line by line, so that a decoding error names its own line.
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                raise DatasetError(f"{path}:{number}: not UTF-8 ({error.reason})") from None
            if number == 1:
                line = line.removeprefix("\ufeff")  # a byte-order mark, written by some editors
            yield number, line.rstrip("\r\n")


def evaluated_queries(queries: Mapping[str, str], qrels: Mapping[str, Mapping[str, int]]) -> dict[str, str]:
    """The queries evaluated, in ``queries`` order: those with at least one qrel of score > 0.

    This is the BEIR convention: a query with no relevant document has no defined nDCG or recall.
    A qrels query missing from ``queries`` cannot be run and is left out too.
    """
    return {
        query_id: text
        for query_id, text in queries.items()
        if any(score > 0 for score in qrels.get(query_id, {}).values())
    }
