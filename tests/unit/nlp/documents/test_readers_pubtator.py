"""The PubTator reader: ``PMID|t|``, ``PMID|a|``, annotations, blank line; text = title + " " + abstract."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.documents import DocumentRecord, Reject, read_documents

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "documents"
PUBTATOR = FIXTURES / "pubtator.txt"


def _records() -> list[DocumentRecord]:
    items = list(read_documents(PUBTATOR, format="pubtator"))
    assert all(isinstance(item, DocumentRecord) for item in items)
    return [item for item in items if isinstance(item, DocumentRecord)]


def test_two_abstracts_in_order() -> None:
    assert [(r.id, r.origin) for r in _records()] == [
        ("900001", "pubtator.txt:1"),
        ("900002", "pubtator.txt:7"),
    ]


def test_fields() -> None:
    first = _records()[0]
    assert first.title == "Hereditary anaemia in a synthetic cohort."
    assert first.text.startswith("Hereditary anaemia in a synthetic cohort. We describe")
    assert (first.type, first.lang, first.patient_id) == ("abstract", "en", None)


def test_annotation_offsets_count_title_space_abstract() -> None:
    spans = [line.split("\t") for line in PUBTATOR.read_text().splitlines() if "\t" in line]
    texts = {r.id: r.text for r in _records()}
    for pmid, start, end, mention, *_ in spans:
        assert texts[pmid][int(start) : int(end)] == mention


def test_lang_option_overrides_the_english_default() -> None:
    [record, _] = list(read_documents(PUBTATOR, format="pubtator", lang="fr"))
    assert isinstance(record, DocumentRecord)
    assert record.lang == "fr"


@pytest.mark.parametrize(
    ("content", "reason", "record_id"),
    [
        ("1|t|Title only\n", "Malformed record: no abstract (|a|) line.", "1"),
        ("1|t|Title\n2|a|Abstract\n", "Malformed record: title and abstract PMIDs differ (1, 2).", None),
        ("just a line\n", "Record has no id.", None),
        ("1|t| \n1|a|\n", "Empty text (nothing but whitespace).", "1"),
    ],
)
def test_reject(tmp_path: Path, content: str, reason: str, record_id: str | None) -> None:
    path = tmp_path / "p.txt"
    path.write_text(content + "\n5|t|Good\n5|a|Abstract.\n")
    items = list(read_documents(path, format="pubtator"))
    assert items[0] == Reject("p.txt:1", reason, record_id)
    assert isinstance(items[1], DocumentRecord)


def test_duplicate_pmid(tmp_path: Path) -> None:
    path = tmp_path / "dup.txt"
    path.write_text("7|t|A\n7|a|B\n\n7|t|C\n7|a|D\n")
    assert list(read_documents(path, format="pubtator"))[1] == Reject(
        "dup.txt:4", "Duplicate id '7' (first read at dup.txt:1).", "7"
    )


def test_undecodable_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(b"8|t|Caf\xe9\n8|a|Abstract.\n")
    items = list(read_documents(path, format="pubtator"))
    assert items == [
        Reject("bad.txt:1", "Undecodable bytes (not UTF-8) at byte 7: 0xe9 invalid continuation byte.", "8")
    ]
