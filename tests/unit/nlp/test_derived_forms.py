"""Derived forms ("diabétique", "asthmatic") name the disease they derive from (derived_forms.tsv)."""

from __future__ import annotations

from pathlib import Path

import pytest
from matcher_markup import ENGLISH_TERMS, FRENCH_TERMS, check, parse, term

from nlp.matcher import TerminologyMatcher
from nlp.matcher.derived_forms import DerivedForm, load_derived_forms
from nlp.matcher.errors import DerivedFormsError

LONGER_TERMS = [*FRENCH_TERMS, term("HS:20", "rétinopathie diabétique", "fr")]


@pytest.fixture(scope="module")
def french() -> TerminologyMatcher:
    return TerminologyMatcher.build(LONGER_TERMS, lang="fr", abbreviations=())


@pytest.fixture(scope="module")
def english() -> TerminologyMatcher:
    return TerminologyMatcher.build(ENGLISH_TERMS, lang="en", abbreviations=())


@pytest.mark.parametrize(
    ("form", "lang", "derived_from"),
    [
        ("diabétique", "fr", "diabète"),
        ("hypertendu", "fr", "hypertension artérielle"),
        ("insuffisant cardiaque", "fr", "insuffisance cardiaque"),
        ("fébrile", "fr", "fièvre"),
        ("diabetic", "en", "diabetes mellitus"),
        ("asthmatic", "en", "asthma"),
        ("febrile", "en", "fever"),
    ],
)
def test_shipped_list_holds(form: str, lang: str, derived_from: str) -> None:
    assert DerivedForm(form, lang, derived_from) in load_derived_forms()


@pytest.mark.parametrize("form", ["septique", "alcoolique", "cancéreux", "dément", "alcoholic", "septic"])
def test_forms_that_do_not_say_the_patient_is_ill_are_not_listed(form: str) -> None:
    assert form not in {row.form for row in load_derived_forms()}


@pytest.mark.parametrize(
    "markup",
    [
        "Patient <ent curie=HS:3 score=0.8 type=variant>diabétique</ent> depuis 2010.",
        "Chez les <ent curie=HS:3>diabétiques</ent> âgés.",  # plural: the same key
        "Patient <ent curie=HS:2>hypertendu</ent>.",
        "Un <ent curie=HS:1>insuffisant cardiaque</ent> connu.",
        "<ent curie=HS:1>Insuffisance cardiaque</ent> chez le <ent curie=HS:3>diabétique</ent>.",
        # A longer term holding the form is its own concept.
        "Une <ent curie=HS:20 score=1.0>rétinopathie diabétique</ent>.",
    ],
)
def test_french_forms_match_the_concept_they_derive_from(french: TerminologyMatcher, markup: str) -> None:
    check(french, markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<ent curie=EN:7 score=0.8 type=variant>Diabetic</ent> patients were included.",
        "A boy, <ent curie=EN:9>allergic</ent> to penicillin.",
    ],
)
def test_english_forms_match_the_concept_they_derive_from(english: TerminologyMatcher, markup: str) -> None:
    check(english, markup)


def test_a_derived_match_names_the_term_it_derives_from(french: TerminologyMatcher) -> None:
    (mention,) = french.find_text("Patiente diabétique.")
    assert (mention.candidates[0].matched_text, mention.candidates[0].match_type) == ("diabète", "variant")


def test_a_form_whose_term_names_no_concept_matches_nothing(french: TerminologyMatcher) -> None:
    assert french.find_text("Patient asthmatique.") == []  # no "asthme" among the terms


def test_without_the_list_the_forms_match_nothing() -> None:
    matcher = TerminologyMatcher.build(FRENCH_TERMS, lang="fr", abbreviations=(), derived_forms=())
    text, _ = parse("Patient diabétique.")
    assert matcher.find_text(text) == []


def test_a_list_of_its_own_can_be_given() -> None:
    forms = [DerivedForm("dysglycémique", "fr", "diabète"), DerivedForm("diabetic", "en", "diabète")]
    matcher = TerminologyMatcher.build(FRENCH_TERMS, lang="fr", abbreviations=(), derived_forms=forms)
    check(matcher, "Patient <ent curie=HS:3>dysglycémique</ent>, pas diabétique.")


def test_comments_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "forms.tsv"
    path.write_text("form\tlang\tterm\tnote\n# x\tfr\ty\t\n\t\t\t\nobèse\tfr\tobésité\t\n", encoding="utf-8")
    assert load_derived_forms(path) == (DerivedForm("obèse", "fr", "obésité"),)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("form\tlang\tterm\nobèse\tfr\tobésité\n", "forms.tsv:1"),  # the note column missing
        ("form\tlang\tterm\tnote\nobèse\tfr\t\t\n", "forms.tsv:2"),  # no term
        ("form\tlang\tterm\tnote\n\tfr\tobésité\t\n", "forms.tsv:2"),  # no form
        ("form\tlang\tterm\tnote\nobèse\tfr\tobésité\t\nobese\tde\tobesity\t\n", "forms.tsv:3"),  # language
    ],
)
def test_a_malformed_list_names_file_and_line(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "forms.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DerivedFormsError, match=where):
        load_derived_forms(path)
