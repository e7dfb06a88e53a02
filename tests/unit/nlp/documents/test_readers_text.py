"""The plain-text and brat readers: one document per ``.txt`` file, id = relative path sans suffix."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.documents import DocumentRecord, Reject, read_documents

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "documents"


def _records(path: Path, fmt: str, **options: object) -> list[DocumentRecord]:
    items = list(read_documents(path, format=fmt, **options))  # type: ignore[arg-type]
    assert all(isinstance(item, DocumentRecord) for item in items)
    return [item for item in items if isinstance(item, DocumentRecord)]


def test_text_folder_ids_are_relative_paths_sorted() -> None:
    records = _records(FIXTURES / "text", "text")
    assert [(r.id, r.origin, r.type) for r in records] == [
        ("cr_urgences", "cr_urgences.txt", "text"),
        ("nested/discharge", "nested/discharge.txt", "text"),
    ]


def test_text_file_is_read_whole() -> None:
    [record] = _records(FIXTURES / "text" / "cr_urgences.txt", "text", lang="fr", source="urgences")
    assert record.text == "Compte rendu : douleur thoracique, ECG normal.\n"
    assert (record.id, record.lang, record.source, record.patient_id) == (
        "cr_urgences",
        "fr",
        "urgences",
        None,
    )


def test_text_strips_a_byte_order_mark(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfNote.")
    [record] = _records(tmp_path, "text")
    assert record.text == "Note."


def test_brat_folder_reads_txt_and_points_to_ann() -> None:
    records = _records(FIXTURES / "brat", "brat", lang="fr")
    assert [(r.id, r.lang, dict(r.metadata)) for r in records] == [
        ("doc_fr_1", "fr", {"ann": "doc_fr_1.ann"}),
        ("doc_fr_2", "fr", {"ann": "doc_fr_2.ann"}),
    ]


def test_brat_text_matches_annotation_offsets() -> None:
    [record, _] = _records(FIXTURES / "brat", "brat")
    assert record.text[0:22] == "Insuffisance cardiaque"


def test_brat_without_ann_has_no_pointer(tmp_path: Path) -> None:
    (tmp_path / "alone.txt").write_text("Texte sans annotation.")
    [record] = _records(tmp_path, "brat")
    assert dict(record.metadata) == {}


@pytest.mark.parametrize("fmt", ["text", "brat"])
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"  \n\t\n", "Empty text (nothing but whitespace)."),
        (b"Fi\xe8vre", "Undecodable bytes (not UTF-8) at byte 2: 0xe8 invalid continuation byte."),
        (b"x" * 11, "Text too long: 11 characters, over the limit of 10."),
        (b"x" * 41, "Text too long: 41 bytes, over the limit of 10 characters."),
    ],
)
def test_reject(tmp_path: Path, fmt: str, content: bytes, reason: str) -> None:
    (tmp_path / "bad.txt").write_bytes(content)
    (tmp_path / "good.txt").write_text("Bon.")
    items = list(read_documents(tmp_path, format=fmt, max_chars=10))
    assert items[0] == Reject("bad.txt", reason, "bad")
    assert isinstance(items[1], DocumentRecord)


def test_duplicate_id_from_two_suffixes_is_impossible_but_nested_names_are_distinct(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("One.")
    (tmp_path / "x.txt").write_text("Two.")
    assert [r.id for r in _records(tmp_path, "text")] == ["a/x", "x"]
