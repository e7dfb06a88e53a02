"""``read_documents``: stream a corpus of one format into ``DocumentRecord``s and ``Reject``s.

Formats: ``jsonl`` (one record per line), ``text`` (a folder of ``.txt`` files, or one file),
``brat`` (a brat folder: ``.txt`` beside ``.ann``, annotations left to the evaluation harness),
``pubtator`` (PubTator abstracts, NCBI-disease style) and ``fhir`` (FHIR R4 Bundles; see ``fhir.py``).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from nlp.documents import fhir
from nlp.documents._common import (
    Options,
    SeenIds,
    check_size,
    check_text,
    decode,
    is_iso_date,
    scalar_metadata,
)
from nlp.documents.errors import DocumentFormatError, Errors, Reasons
from nlp.documents.model import DocumentRecord, MetadataValue, Reject

logger = logging.getLogger(__name__)

Item = DocumentRecord | Reject
_Reader = Callable[[Path, Options], Iterator[Item]]

# Which kinds of path each format reads: a single file, a folder, or either.
_FILE, _FOLDER = "file", "folder"


def read_documents(
    path: Path,
    *,
    format: str,
    lang: str | None = None,
    source: str | None = None,
    max_chars: int = 200_000,
) -> Iterator[DocumentRecord | Reject]:
    """Stream the documents of ``path``, read as ``format``, in input order.

    Args:
        path: a file or folder (which ones depends on the format; see ``FORMATS``).
        format: one of ``FORMATS``: ``"jsonl"``, ``"text"``, ``"brat"``, ``"pubtator"``, ``"fhir"``.
        lang: language given to records that do not state their own (no detection here).
        source: ``DocumentRecord.source`` for records that do not state their own.
        max_chars: longest text accepted; longer ones are rejected.

    Returns:
        An iterator of ``DocumentRecord`` (a readable document) and ``Reject`` (a bad record, with
        its origin and reason); a bad record never stops the iteration.

    Raises:
        DocumentFormatError: unknown format, missing path, wrong kind of path or bad ``max_chars``,
            raised by this call, before anything is read.
    """
    reader = _check_call(path, format=format, max_chars=max_chars)
    return _counted(reader(path, Options(lang=lang, source=source, max_chars=max_chars)), path, format)


def _check_call(path: Path, *, format: str, max_chars: int) -> _Reader:
    if format not in FORMATS:
        raise DocumentFormatError(Errors.E001.format(format=format, known=", ".join(sorted(FORMATS))))
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars <= 0:
        raise DocumentFormatError(Errors.E004.format(value=max_chars))
    if not path.exists():
        raise DocumentFormatError(Errors.E002.format(path=path))
    reader, kinds = FORMATS[format]
    if (path.is_file() and _FILE not in kinds) or (path.is_dir() and _FOLDER not in kinds):
        expected = " or ".join(f"a {kind}" for kind in kinds)
        raise DocumentFormatError(Errors.E003.format(format=format, expected=expected, path=path))
    return reader


def _counted(items: Iterator[Item], path: Path, format: str) -> Iterator[Item]:
    read = rejected = 0
    try:
        for item in items:
            if isinstance(item, Reject):
                rejected += 1
                # Reasons and origins never quote document text (see errors.Reasons).
                logger.debug("rejected %s (id %s): %s", item.origin, item.record_id, item.reason)
            else:
                read += 1
            yield item
    finally:
        logger.info("read %d documents, rejected %d, from %s (%s)", read, rejected, path, format)


# --- jsonl -------------------------------------------------------------------------------------

_JSONL_STRINGS = ("patient_id", "type", "date", "lang", "title", "source")


def _read_jsonl(path: Path, options: Options) -> Iterator[Item]:
    seen = SeenIds()
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            origin = f"{path.name}:{number}"
            line = decode(raw, origin=origin)
            if isinstance(line, Reject):
                yield Reject(line.origin, line.reason, _lenient_id(raw))
                continue
            if not line.strip():
                continue  # blank lines (a trailing newline, spacing) are not records
            yield _jsonl_record(line, origin, options, seen)


def _lenient_id(raw: bytes) -> str | None:
    """The id of an undecodable line, read with bad bytes replaced, so that its Reject can name it."""
    try:
        value = json.loads(raw.decode("utf-8", errors="replace"))
    except json.JSONDecodeError:
        return None
    record_id = value.get("id") if isinstance(value, dict) else None
    return record_id if isinstance(record_id, str) else None


def _jsonl_record(line: str, origin: str, options: Options, seen: SeenIds) -> Item:
    try:
        value: Any = json.loads(line.strip())
    except json.JSONDecodeError as error:
        # error.msg and the column only: the message never quotes the line itself.
        return Reject(origin, Reasons.R006.format(detail=f"{error.msg} at column {error.colno}"))
    if not isinstance(value, dict):
        detail = f"a JSON {type(value).__name__}, expected an object"
        return Reject(origin, Reasons.R009.format(detail=detail))
    raw_id = value.get("id")
    if isinstance(raw_id, int) and not isinstance(raw_id, bool):
        raw_id = str(raw_id)
    if not isinstance(raw_id, str) or not raw_id.strip():
        return Reject(origin, Reasons.R003)
    record_id = raw_id
    text = value.get("text")
    if text is not None and not isinstance(text, str):
        return Reject(origin, Reasons.R009.format(detail="text is not a string"), record_id)
    problem = check_text(text or "", origin=origin, record_id=record_id, max_chars=options.max_chars)
    if problem is not None:
        return problem
    fields: dict[str, str | None] = {}
    for name in _JSONL_STRINGS:
        item = value.get(name)
        if item is not None and not isinstance(item, str):
            return Reject(origin, Reasons.R009.format(detail=f"{name} is not a string"), record_id)
        fields[name] = item
    date = fields["date"]
    if date is not None and not is_iso_date(date):
        return Reject(origin, Reasons.R010.format(value=date), record_id)
    metadata: dict[str, MetadataValue] = {}
    if value.get("metadata") is not None:
        metadata, issue = scalar_metadata(value["metadata"])
        if issue is not None:
            return Reject(origin, Reasons.R009.format(detail=issue), record_id)
    duplicate = seen.check(record_id, origin)
    if duplicate is not None:
        return duplicate
    return DocumentRecord(
        id=record_id,
        text=text or "",
        patient_id=fields["patient_id"],
        type=fields["type"],
        date=date,
        lang=fields["lang"] or options.lang,
        title=fields["title"],
        source=fields["source"] or options.source,
        metadata=metadata,
        origin=origin,
    )


# --- text and brat -----------------------------------------------------------------------------


def _txt_files(path: Path) -> Iterator[tuple[Path, str]]:
    """(file, id) for ``path`` itself or each ``.txt`` under it, sorted, id = relative path sans suffix."""
    if path.is_file():
        yield path, path.stem
        return
    for file in sorted(path.rglob("*.txt"), key=lambda found: found.relative_to(path).as_posix()):
        if file.is_file():
            yield file, file.relative_to(path).with_suffix("").as_posix()


def _read_txt_folder(path: Path, options: Options, *, doc_type: str | None, brat: bool) -> Iterator[Item]:
    seen = SeenIds()
    root = path.parent if path.is_file() else path
    for file, record_id in _txt_files(path):
        origin = file.relative_to(root).as_posix()
        size = file.stat().st_size
        too_big = check_size(size, origin=origin, record_id=record_id, max_chars=options.max_chars)
        if too_big is not None:
            yield too_big
            continue
        text = decode(file.read_bytes(), origin=origin, record_id=record_id)
        if isinstance(text, Reject):
            yield text
            continue
        if not brat:
            text = text.removeprefix("\ufeff")  # a BOM is not text; brat keeps it, offsets count it
        problem = check_text(text, origin=origin, record_id=record_id, max_chars=options.max_chars)
        if problem is None:
            problem = seen.check(record_id, origin)
        if problem is not None:
            yield problem
            continue
        metadata: dict[str, MetadataValue] = {}
        ann = file.with_suffix(".ann")
        if brat and ann.is_file():
            metadata["ann"] = ann.relative_to(root).as_posix()
        yield DocumentRecord(
            id=record_id,
            text=text,
            type=doc_type,
            lang=options.lang,
            source=options.source,
            metadata=metadata,
            origin=origin,
        )


def _read_text(path: Path, options: Options) -> Iterator[Item]:
    return _read_txt_folder(path, options, doc_type="text", brat=False)


def _read_brat(path: Path, options: Options) -> Iterator[Item]:
    return _read_txt_folder(path, options, doc_type=None, brat=True)


# --- pubtator ----------------------------------------------------------------------------------


_Block = tuple[int, list[str], Reject | None]


def _pubtator_blocks(path: Path) -> Iterator[_Block]:
    """(first line number, lines, first decoding problem) of each blank-line separated block, streamed.

    An undecodable line spoils its block (one ``Reject`` for the document), and is kept, with bad
    bytes replaced, only so that the ``Reject`` can name the PMID.
    """
    block: list[str] = []
    problem: Reject | None = None
    start = 0
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            line = decode(raw, origin=f"{path.name}:{number}")
            if isinstance(line, Reject):
                problem = problem or line
                line = raw.decode("utf-8", errors="replace")
            line = line.rstrip("\r\n")
            if not line.strip():
                if block:
                    yield start, block, problem
                block, problem = [], None
                continue
            if not block:
                start = number
            block.append(line)
    if block:
        yield start, block, problem


def _read_pubtator(path: Path, options: Options) -> Iterator[Item]:
    seen = SeenIds()
    for start, lines, problem in _pubtator_blocks(path):
        # A spoilt block is parsed apart (fresh SeenIds) so that its PMID stays free for a good one.
        record = _pubtator_record(
            lines, f"{path.name}:{start}", options, seen if problem is None else SeenIds()
        )
        if problem is not None:
            record_id = record.record_id if isinstance(record, Reject) else record.id
            record = Reject(problem.origin, problem.reason, record_id)
        yield record


def _pubtator_record(lines: list[str], origin: str, options: Options, seen: SeenIds) -> Item:
    parts: dict[str, tuple[str, str]] = {}
    for line in lines:
        fields = line.split("|", 2)
        if len(fields) == 3 and fields[1] in {"t", "a"}:
            parts[fields[1]] = (fields[0].strip(), fields[2])
        # Other lines are tab-separated annotations: the evaluation harness reads them.
    ids = {pmid for pmid, _ in parts.values() if pmid}
    record_id = next(iter(ids)) if len(ids) == 1 else None
    if not ids:
        return Reject(origin, Reasons.R003)
    if record_id is None:
        detail = f"title and abstract PMIDs differ ({', '.join(sorted(ids))})"
        return Reject(origin, Reasons.R009.format(detail=detail))
    if set(parts) != {"t", "a"}:
        missing = "title (|t|)" if "t" not in parts else "abstract (|a|)"
        return Reject(origin, Reasons.R009.format(detail=f"no {missing} line"), record_id)
    title, abstract = parts["t"][1], parts["a"][1]
    # PubTator offsets count title + one space + abstract.
    text = f"{title} {abstract}"
    problem = check_text(text, origin=origin, record_id=record_id, max_chars=options.max_chars)
    if problem is None:
        problem = seen.check(record_id, origin)
    if problem is not None:
        return problem
    return DocumentRecord(
        id=record_id,
        text=text,
        type="abstract",
        lang=options.lang or "en",
        title=title,
        source=options.source,
        origin=origin,
    )


FORMATS: dict[str, tuple[_Reader, tuple[str, ...]]] = {
    "jsonl": (_read_jsonl, (_FILE,)),
    "text": (_read_text, (_FOLDER, _FILE)),
    "brat": (_read_brat, (_FOLDER, _FILE)),
    "pubtator": (_read_pubtator, (_FILE,)),
    "fhir": (fhir.read_fhir, (_FILE, _FOLDER)),
}
