"""The JSONL reader: one record a line, every reject reason, origins ``file:line``, streaming order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.documents import DocumentRecord, Reject, read_documents

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "documents"
NOTES = FIXTURES / "notes.jsonl"


def _read(path: Path = NOTES, **options: object) -> list[DocumentRecord | Reject]:
    return list(read_documents(path, format="jsonl", max_chars=200, **options))  # type: ignore[arg-type]


def _by_origin() -> dict[str, DocumentRecord | Reject]:
    return {item.origin: item for item in _read()}


def test_good_record_keeps_every_field() -> None:
    record = _by_origin()["notes.jsonl:1"]
    assert isinstance(record, DocumentRecord)
    assert (record.id, record.patient_id, record.type, record.date) == (
        "n1",
        "p1",
        "consultation",
        "2024-03-01",
    )
    assert (record.lang, record.title, record.source) == ("fr", "Consultation", None)
    assert record.text == "Patiente de 54 ans, pas de fièvre. Diabète de type 2 connu."
    assert dict(record.metadata) == {"service": "endocrinologie", "visit": 3, "urgent": False, "score": 0.5}


def test_record_source_and_datetime_are_kept() -> None:
    record = _by_origin()["notes.jsonl:13"]
    assert isinstance(record, DocumentRecord)
    assert (record.id, record.date, record.source, record.lang) == (
        "n3",
        "2024-03-02T10:15:00+01:00",
        "letters",
        "en",
    )


def test_stream_order_and_blank_line_skipped() -> None:
    assert [item.origin for item in _read()] == [f"notes.jsonl:{n}" for n in (1, 2, *range(4, 14))]


def test_ids_of_records() -> None:
    assert [item.id for item in _read() if isinstance(item, DocumentRecord)] == ["n1", "n2", "n3"]


def test_lang_and_source_options_fill_only_missing_values() -> None:
    items = {item.origin: item for item in _read(lang="en", source="ehr")}
    n1, n2, n3 = items["notes.jsonl:1"], items["notes.jsonl:2"], items["notes.jsonl:13"]
    assert (
        isinstance(n1, DocumentRecord) and isinstance(n2, DocumentRecord) and isinstance(n3, DocumentRecord)
    )
    assert (n1.lang, n2.lang) == ("fr", "en")
    assert (n2.source, n3.source) == ("ehr", "letters")


def test_lang_left_none_without_record_or_option() -> None:
    record = _by_origin()["notes.jsonl:2"]
    assert isinstance(record, DocumentRecord)
    assert record.lang is None


@pytest.mark.parametrize(
    ("line", "reason", "record_id"),
    [
        (4, "Invalid JSON: Expecting ',' delimiter at column 53.", None),
        (5, "Record has no id.", None),
        (6, "Empty text (nothing but whitespace).", "n-empty"),
        (7, "Text too long: 330 characters, over the limit of 200.", "n-long"),
        (8, "Duplicate id 'n1' (first read at notes.jsonl:1).", "n1"),
        (9, "Undecodable bytes (not UTF-8) at byte 36: 0xe2 invalid continuation byte.", "n-latin1"),
        (10, "Invalid date '1st of March': expected an ISO 8601 date or datetime.", "n-date"),
        (11, "Malformed record: metadata value for key 'tags' is a list, expected a scalar.", "n-meta"),
        (12, "Malformed record: a JSON list, expected an object.", None),
    ],
)
def test_reject(line: int, reason: str, record_id: str | None) -> None:
    assert _by_origin()[f"notes.jsonl:{line}"] == Reject(f"notes.jsonl:{line}", reason, record_id)


def test_undecodable_byte_position_is_that_of_the_line() -> None:
    raw = NOTES.read_bytes().split(b"\n")[8]
    assert raw.index(b"\xe2") == 36


def test_default_limit_accepts_the_long_note() -> None:
    items = list(read_documents(NOTES, format="jsonl"))
    assert any(isinstance(item, DocumentRecord) and item.id == "n-long" for item in items)


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"id": "x", "text": 3}, "Malformed record: text is not a string."),
        ({"id": "x", "text": "ok", "title": ["a"]}, "Malformed record: title is not a string."),
        (
            {"id": "x", "text": "ok", "metadata": "flat"},
            "Malformed record: metadata is a str, expected an object.",
        ),
        ({"id": "  ", "text": "ok"}, "Record has no id."),
    ],
)
def test_malformed_fields(tmp_path: Path, record: dict[str, object], reason: str) -> None:
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(record) + "\n")
    [reject] = list(read_documents(path, format="jsonl"))
    assert isinstance(reject, Reject)
    assert (reject.origin, reject.reason) == ("one.jsonl:1", reason)


def test_integer_id_becomes_a_string(tmp_path: Path) -> None:
    path = tmp_path / "int.jsonl"
    path.write_text('{"id": 42, "text": "A note."}\n')
    [record] = list(read_documents(path, format="jsonl"))
    assert isinstance(record, DocumentRecord)
    assert record.id == "42"


def test_reads_lazily_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "grow.jsonl"
    path.write_text('{"id": "a", "text": "first"}\n')
    items = read_documents(path, format="jsonl")
    first = next(items)
    with path.open("a") as more:
        more.write('{"id": "b", "text": "second"}\n')
    assert [first.origin, *(item.origin for item in items)] == ["grow.jsonl:1", "grow.jsonl:2"]
