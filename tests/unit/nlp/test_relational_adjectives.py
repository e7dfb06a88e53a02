"""Organ nouns and their adjectives name the same terms ("cancer prostatique" / "cancer de la prostate")."""

from __future__ import annotations

from pathlib import Path

import pytest
from matcher_markup import check, term

from nlp.matcher import TerminologyMatcher
from nlp.matcher.errors import WordSwapsError
from nlp.matcher.normalise import term_keys
from nlp.matcher.relational_adjectives import (
    HeadVariants,
    RelationalVariants,
    WordSwap,
    load_head_synonyms,
    load_relational_adjectives,
    shipped_variants,
    variant_texts,
)

FRENCH = [
    term("C:1", "cancer de la prostate", "fr"),
    term("C:2", "métastases hépatiques", "fr"),
    term("C:3", "insuffisance rénale", "fr"),
    term("C:4", "lithiase de la vésicule biliaire", "fr"),
    term("C:5", "prostate", "fr"),
    term("C:6", "cancer prostatique résistant à la castration", "fr"),
    term("C:7", "Tumeur maligne du côlon", "fr"),
    term("C:8", "Tumeur maligne de la thyroïde", "fr"),
    term("C:9", "tumeur maligne", "fr"),
    term("C:10", "Tumeur maligne secondaire du poumon", "fr"),
    term("C:11", "Infection des voies urinaires", "fr"),
]
ENGLISH = [term("E:1", "renal failure", "en"), term("E:2", "lung cancer", "en")]


@pytest.fixture(scope="module")
def french() -> TerminologyMatcher:
    return TerminologyMatcher.build(FRENCH, lang="fr", abbreviations=())


@pytest.fixture(scope="module")
def english() -> TerminologyMatcher:
    return TerminologyMatcher.build(ENGLISH, lang="en", abbreviations=())


@pytest.mark.parametrize(
    "markup",
    [
        "Un <ent curie=C:1 score=0.8 type=variant>cancer prostatique</ent> localisé.",
        "Des <ent curie=C:2 type=variant>métastases du foie</ent>.",
        "<ent curie=C:3 type=variant>Insuffisance du rein</ent> chronique.",
        "Une <ent curie=C:4 type=variant>lithiase vésiculaire</ent>.",
        # the terms' own forms still match exactly
        "Un <ent curie=C:1 score=1.0 type=label>cancer de la prostate</ent>.",
        # the head is never swapped: an adjective alone is no organ
        "Biopsie prostatique.",
        # a head's synonym, alone or with an organ's adjective
        "Un <ent curie=C:7 type=variant>cancer du côlon</ent> opéré.",
        "Un <ent curie=C:8 type=variant>cancer thyroïdien</ent>.",
        # a head alone is not swapped: "cancer" is no "tumeur maligne" term
        "Un cancer.",
        # a secondary malignant tumour is a metastasis, of the lung or pulmonary
        "Des <ent curie=C:10 type=variant>métastases pulmonaires</ent>.",
        "Des <ent curie=C:10 type=variant>métastases du poumon</ent>.",
        "Une <ent curie=C:11 type=variant>infection urinaire</ent> basse.",
        # a longer term holding the adjective is its own concept
        "Un <ent curie=C:6 score=1.0>cancer prostatique résistant à la castration</ent>.",
    ],
)
def test_french_nouns_and_adjectives_name_the_same_terms(french: TerminologyMatcher, markup: str) -> None:
    check(french, markup)


@pytest.mark.parametrize(
    "markup",
    [
        "Acute <ent curie=E:1 type=variant>kidney failure</ent>.",
        "<ent curie=E:2 type=variant>Pulmonary cancer</ent> screening.",
        "<ent curie=E:1 type=label>Renal failure</ent>.",
    ],
)
def test_english_nouns_and_adjectives_name_the_same_terms(english: TerminologyMatcher, markup: str) -> None:
    check(english, markup)


def test_variants_swap_one_form_outside_the_head() -> None:
    french = RelationalVariants([WordSwap("de la prostate", "fr", ("prostatique",))], "fr")
    assert list(french(("cancer", "prostate"))) == [("cancer", "prostatique")]
    assert list(french(("cancer", "de", "la", "prostate"))) == [("cancer", "prostatique")]
    assert set(french(("cancer", "prostatique"))) == {
        ("cancer", "de", "la", "prostate"),
        ("cancer", "prostate"),
    }
    assert list(french(("prostate", "cancer"))) == []  # a French head comes first
    english = RelationalVariants([WordSwap("kidney", "en", ("renal",))], "en")
    assert list(english(("kidney", "failure"))) == [("renal", "failure")]
    assert list(english(("failure", "kidney"))) == []  # an English head comes last
    assert list(english(("kidney",))) == []


def test_several_word_nouns_and_each_gender() -> None:
    rows = [
        WordSwap("de la vésicule biliaire", "fr", ("vésiculaire",)),
        WordSwap("du rein", "fr", ("rénal", "rénale")),
    ]
    variants = RelationalVariants(rows, "fr")
    for key in term_keys("lithiase de la vésicule biliaire", lang="fr"):
        assert list(variants(key)) == [("lithiase", "vesiculaire")]
    assert set(variants(("insuffisance", "rein"))) == {("insuffisance", "renal"), ("insuffisance", "renale")}
    assert set(variants(("insuffisance", "renale"))) == {
        ("insuffisance", "du", "rein"),
        ("insuffisance", "rein"),
    }


def test_heads_are_swapped_at_the_head_only() -> None:
    french = HeadVariants([WordSwap("tumeur maligne", "fr", ("cancer",))], "fr")
    assert list(french(("tumeur", "maligne", "colon"))) == [("cancer", "colon")]
    assert list(french(("cancer", "colon"))) == [("tumeur", "maligne", "colon")]
    assert list(french(("metastase", "tumeur", "maligne"))) == []  # not the head in French
    assert list(french(("tumeur", "maligne"))) == []  # the whole key: never
    english = HeadVariants([WordSwap("malignant neoplasm", "en", ("cancer",))], "en")
    assert list(english(("breast", "cancer"))) == [("breast", "malignant", "neoplasm")]
    assert list(english(("malignant", "neoplasm", "of", "breast"))) == [("cancer", "of", "breast")]


def test_the_shipped_head_list() -> None:
    assert WordSwap("tumeur maligne", "fr", ("cancer",)) in load_head_synonyms()
    assert ("cancer", "du", "colon") in set(shipped_variants("fr")(("tumeur", "maligne", "du", "colon")))
    # both swaps at once
    assert ("cancer", "colique") in set(shipped_variants("fr")(("tumeur", "maligne", "colon")))


def test_the_shipped_list_swaps_organs_in_both_languages() -> None:
    assert ("cancer", "prostatique") in set(shipped_variants("fr")(("cancer", "prostate")))
    assert ("metastase", "foie") in set(shipped_variants("fr")(("metastase", "hepatique")))
    assert ("kidney", "failure") in set(shipped_variants("en")(("renal", "failure")))


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("noun\tlang\tadjectives\tnote\nrein\tfr\t\t\n", 2),
        ("noun\tlang\tadjectives\tnote\nrein\tfr\trénal\t\npoumon\tde\tpulmonaire\t\n", 3),
        ("noun\tlanguage\tadjectives\tnote\n", 1),
    ],
)
def test_a_malformed_list_names_file_and_line(tmp_path: Path, content: str, line: int) -> None:
    path = tmp_path / "relational.tsv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(WordSwapsError, match=rf"relational\.tsv:{line}:"):
        load_relational_adjectives(path)


def test_variant_texts_for_a_lookup() -> None:
    assert "metastase hepatique" in variant_texts("Métastases du foie", "fr")
    assert "tumeur maligne du colon" in variant_texts("cancer du côlon", "fr")
    assert variant_texts("fièvre", "fr") == []
    assert variant_texts("!!!", "fr") == []
    assert len(variant_texts("cancer du sein", "fr", most=2)) == 2
