"""Gold readers of the evaluation harness, on small checked-in fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.eval.gold import GoldFormatError, gold_curie, read_brat_gold, read_negex, read_pubtator_gold

EVAL = Path(__file__).resolve().parents[2] / "fixtures" / "eval"


@pytest.mark.parametrize(
    ("raw", "prefix", "curie"),
    [
        ("D003920", "MESH", "MESH:D003920"),
        ("OMIM:600807", "MESH", "OMIM:600807"),
        ("MSH:D003920", "MESH", "MESH:D003920"),
        ("C0019163", "UMLS", "UMLS:C0019163"),
    ],
)
def test_gold_curie(raw: str, prefix: str, curie: str) -> None:
    assert gold_curie(raw, default_prefix=prefix) == curie


def test_pubtator_text_is_title_space_abstract() -> None:
    documents = read_pubtator_gold(EVAL / "pubtator.txt")
    assert [d.id for d in documents] == ["1000", "2000"]
    for document in documents:
        assert all(document.text[m.start : m.end] == m.text for m in document.mentions)


@pytest.mark.parametrize(
    ("doc", "index", "ids"),
    [
        (0, 0, {"MESH:D001943", "MESH:D010051"}),  # composite with "|"
        (1, 0, {"MESH:D005334", "MESH:D000001"}),  # composite with "+"
        (0, 2, {"OMIM:600807"}),
    ],
)
def test_pubtator_ids(doc: int, index: int, ids: set[str]) -> None:
    assert read_pubtator_gold(EVAL / "pubtator.txt")[doc].mentions[index].ids == ids


def test_brat_reads_cuis_groups_and_outer_span_of_discontinuous() -> None:
    (document,) = read_brat_gold(EVAL / "brat")
    first = document.mentions[1]
    assert (first.start, first.end, first.group) == (13, 24, "DISO")
    assert document.text[first.start : first.end] == "hépatites B"
    assert first.ids == {"UMLS:C0019163"}


def test_brat_mention_without_note_has_no_id() -> None:
    (document,) = read_brat_gold(EVAL / "brat")
    assert document.mentions[0].group == "PROC"
    assert document.mentions[0].ids == frozenset()


def test_negex_english_rows() -> None:
    cases = read_negex(EVAL / "negex_en.tsv")
    assert [c.negated for c in cases] == [True, True, False, True, False]
    assert cases[0].hypothetical is None


def test_negex_french_hypothetical_column() -> None:
    cases = read_negex(EVAL / "negex_fr.tsv")
    assert [c.hypothetical for c in cases] == [False, True, False, False]
    assert cases[0].sentence == "Pas d'amélioration de la dyspnée."


def test_negex_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("Report No.\tConcept\tSentence\n1\tx\tx\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match="Negation"):
        read_negex(path)


def test_negex_unknown_value(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text("Report No.\tConcept\tSentence\tNegation\n1\tx\tx\tMaybe\n", encoding="utf-8")
    with pytest.raises(GoldFormatError, match=":2:"):
        read_negex(path)
