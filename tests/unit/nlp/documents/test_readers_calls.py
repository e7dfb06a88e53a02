"""What every reader shares: call errors raised up front, frozen records, logs without document text."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from nlp.documents import DocumentFormatError, DocumentRecord, read_documents

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "documents"


def test_unknown_format_raises_at_call_time() -> None:
    with pytest.raises(DocumentFormatError, match=r"Unknown document format 'docx'; expected one of: brat, "):
        read_documents(FIXTURES / "notes.jsonl", format="docx")


def test_missing_path_raises_at_call_time(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(DocumentFormatError, match=r"^Path not found: .*nope\.jsonl\.$"):
        read_documents(missing, format="jsonl")


@pytest.mark.parametrize(("fmt", "expected"), [("jsonl", "a file"), ("pubtator", "a file")])
def test_folder_given_to_a_file_format(fmt: str, expected: str) -> None:
    with pytest.raises(DocumentFormatError, match=f"Format '{fmt}' reads {expected}, but .* is not one"):
        read_documents(FIXTURES, format=fmt)


@pytest.mark.parametrize("max_chars", [0, -1])
def test_max_chars_must_be_positive(max_chars: int) -> None:
    with pytest.raises(DocumentFormatError, match=r"max_chars must be a positive integer"):
        read_documents(FIXTURES / "notes.jsonl", format="jsonl", max_chars=max_chars)


def test_document_format_error_is_a_value_error() -> None:
    assert issubclass(DocumentFormatError, ValueError)


def test_record_is_frozen_with_read_only_metadata() -> None:
    source = {"k": 1}
    record = DocumentRecord(id="d", text="t", metadata=source)
    source["k"] = 2
    assert record.metadata == {"k": 1}
    with pytest.raises(TypeError):
        record.metadata["k"] = 3  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.text = "changed"  # type: ignore[misc]


def test_record_defaults() -> None:
    record = DocumentRecord(id="d", text="t")
    assert (record.patient_id, record.type, record.date, record.lang, record.origin) == (
        None,
        None,
        None,
        None,
        "",
    )
    assert dict(record.metadata) == {}


def test_repr_does_not_show_text() -> None:
    assert "secret" not in repr(DocumentRecord(id="d", text="secret words"))


@pytest.mark.parametrize(
    ("path", "fmt", "needle"),
    [
        ("notes.jsonl", "jsonl", "fièvre"),
        ("notes.jsonl", "jsonl", "Second record"),
        ("fhir", "fhir", "Dyspnée"),
        ("fhir", "fhir", "Valid text in an invalid resource"),
        ("pubtator.txt", "pubtator", "splenomegaly"),
    ],
)
def test_logs_never_contain_text(caplog: pytest.LogCaptureFixture, path: str, fmt: str, needle: str) -> None:
    with caplog.at_level(logging.DEBUG, logger="nlp.documents"):
        items = list(read_documents(FIXTURES / path, format=fmt, max_chars=200))
    assert items
    assert caplog.records
    assert needle not in caplog.text


def test_summary_log_counts(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="nlp.documents"):
        list(read_documents(FIXTURES / "notes.jsonl", format="jsonl", max_chars=200))
    assert "read 3 documents, rejected 9" in caplog.text
