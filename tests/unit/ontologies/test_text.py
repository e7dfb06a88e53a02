"""The shared text normal form: case, accents, ligatures, punctuation and whitespace folded."""

from __future__ import annotations

import pytest

from ontologies.text import fold


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Diabète", "diabete"),
        ("àâäéèêëïîôöùûüÿç", "aaaeeeeiioouuuyc"),
        ("Sjögren", "sjogren"),
        ("NAÏVE", "naive"),
    ],
)
def test_accents_removed(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("SEIZURE", "seizure"), ("ÉPILEPSIE", "epilepsie"), ("Straße", "strasse")]
)
def test_case_folded(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("œdème", "oedeme"),
        ("Œdème", "oedeme"),
        ("cœur", "coeur"),
        ("æ", "ae"),
        ("Æsophage", "aesophage"),
        ("ﬁèvre", "fievre"),  # compatibility ligature fi, split by NFKD
    ],
)
def test_ligatures_spelled_out(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("type-2", "type 2"),
        ("Alzheimer's disease", "alzheimer s disease"),
        ("d'œdème", "d oedeme"),
        ("d\u2019œdème", "d oedeme"),  # typographic apostrophe
        ("insuffisance (cardiaque), aiguë.", "insuffisance cardiaque aigue"),
        ("COVID-19", "covid 19"),
        ("a/b+c;d", "a b c d"),
    ],
)
def test_punctuation_hyphens_and_apostrophes_become_single_spaces(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Diabète  de   type-2  ", "diabete de type 2"),
        ("crise\tépileptique\n", "crise epileptique"),
        ("crise\u00a0épileptique", "crise epileptique"),  # no-break space
        ("a - b", "a b"),
    ],
)
def test_whitespace_collapsed_and_stripped(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "!!!", " -- ' , ", "\t\n"])
def test_empty_or_punctuation_only_folds_to_empty(text: str) -> None:
    assert fold(text) == ""


def test_docstring_example() -> None:
    assert fold("Diabète  de type-2") == "diabete de type 2"


def test_already_folded_text_unchanged() -> None:
    assert fold("diabete de type 2") == "diabete de type 2"


@pytest.mark.parametrize(
    ("first", "second"), [("\u03b1-thalassémie", "\u03b2-thalassémie"), ("5 \u00b5g", "5 g")]
)
def test_distinct_terms_keep_distinct_folds(first: str, second: str) -> None:
    assert fold(first) != fold(second)
