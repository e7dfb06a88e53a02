"""English qualifiers: ConText (hs.context) and header-based sections, written as markup."""

from __future__ import annotations

import importlib

import pytest
import spacy
from qualifier_markup import check as check_markup

from nlp.matcher import TerminologyMatcher
from nlp.model import TermEntry
from nlp.pipeline import Annotator
from nlp.qualifiers.patterns import load_cues


def check(markup: str) -> None:
    check_markup(markup, lang="en")


@pytest.mark.parametrize(
    "markup",
    [
        "No <ent negated=true>fever</ent>.",
        "No <ent negated=true>fever</ent>, <ent negated=true>chills</ent> or <ent negated=true>cough</ent>.",
        "Denies <ent negated=true>chest pain</ent> but reports <ent negated=false>nausea</ent>.",
        "The patient has <ent negated=false hypothetical=false>pneumonia</ent>.",
        "Patient is without <ent negated=true>dyspnea</ent>.",
        "<ent negated=true>Pneumonia</ent> was ruled out.",
        "No <ent negated=true>fever</ent>. <ent negated=false>Cough</ent> since Monday.",
        "No <ent negated=true>edema</ent>; <ent negated=false>wheezing</ent> present.",
    ],
)
def test_negation(markup: str) -> None:
    check(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "No increase in <ent negated=false>dyspnea</ent>.",
        "No change in <ent negated=false>headache</ent>.",
        "No improvement in <ent negated=false>dyspnea</ent> despite diuretics.",
        "No worsening of <ent negated=false>edema</ent>.",
        "Not only <ent negated=false>fever</ent> but also cough.",
    ],
)
def test_pseudo_negation(markup: str) -> None:
    check(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "Blood cultures were negative for <ent negated=true>Staphylococcus aureus</ent>.",
        "<ent negated=true>HIV</ent>: negative.",
    ],
)
def test_negative_results(markup: str) -> None:
    check(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "Rule out <ent hypothetical=true negated=false>pneumonia</ent>.",
        "Possible <ent hypothetical=true>pulmonary embolism</ent>.",
        "<ent hypothetical=true>Pulmonary embolism</ent> cannot be excluded.",
        "Concern for <ent hypothetical=true>sepsis</ent>.",
        "We could not exclude a <ent hypothetical=true negated=false>pneumothorax</ent>.",
        "<ent hypothetical=true negated=false>Pneumothorax</ent> could not be ruled out.",
        "We can't rule out <ent hypothetical=true negated=false>meningitis</ent>.",
        "Unable to exclude <ent hypothetical=true negated=false>sepsis</ent>.",
    ],
)
def test_hypothetical(markup: str) -> None:
    check(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "Mother had <ent family=true>breast cancer</ent>.",
        "Family history of <ent family=true historical=false>colon cancer</ent>.",
        # HPO names "Family history" too: a mention made of a cue's own words leaves the cue standing
        "<ent family=false>Family history</ent> of <ent family=true>diabetes</ent>"
        " and <ent family=true>asthma</ent>.",
        "No <ent negated=true>family history</ent> of <ent negated=true family=true>diabetes</ent>.",
        "<ent family=true>Diabetes</ent> in her father.",
        "The patient had <ent family=false>asthma</ent>.",
        # the abbreviations of notes
        "FHx of <ent family=true>colon cancer</ent>.",
        "Family hx: <ent family=true>diabetes</ent>.",
        "Mom with <ent family=true>hypertension</ent>.",
        # a relative reporting on the patient
        "Mother reports that the patient has had a <ent family=false>fever</ent>.",
        "Mom states he has had <ent family=false>fever</ent> and <ent family=false>cough</ent>.",
        "Per mother, the child has <ent family=false>asthma</ent>.",
        "According to his father, he has <ent family=false>asthma</ent>.",
        "His father has <ent family=true>asthma</ent>.",
    ],
)
def test_family(markup: str) -> None:
    check(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "History of <ent historical=true>myocardial infarction</ent>.",
        "Previous <ent historical=true>stroke</ent>.",
        "Status post <ent historical=true>appendectomy</ent>.",
        "Hx of <ent historical=true>stroke</ent>.",
        "PMH: <ent historical=true>asthma</ent>, <ent historical=true>diabetes</ent>.",
        "Acute <ent historical=false>appendicitis</ent>.",
    ],
)
def test_historical(markup: str) -> None:
    check(markup)


@pytest.mark.parametrize(
    "markup",
    [
        "HISTORY OF PRESENT ILLNESS: <ent section=history_of_present_illness historical=false>Cough</ent>"
        " for 3 days.\n"
        "PAST MEDICAL HISTORY:\n<ent section=antecedents historical=true negated=false>Diabetes</ent>.\n"
        "FAMILY HISTORY:\n<ent section=family_history family=true>Asthma</ent>.\n"
        "PHYSICAL EXAM:\nNo <ent section=examination negated=true>murmur</ent>.\n"
        "ASSESSMENT AND PLAN:\n<ent section=conclusion hypothetical=true>Pneumonia</ent> is suspected.",
        "The patient has <ent section=none>fever</ent>.",
        # a header's words are not cues ("history" in FAMILY HISTORY)
        "Past medical history: <ent section=antecedents family=false>hypertension</ent>.",
    ],
)
def test_sections(markup: str) -> None:
    check(markup)


def test_cue_file_loads_every_category() -> None:
    assert {cue.category for cue in load_cues()} == {
        "NEGATED_EXISTENCE",
        "POSSIBLE_EXISTENCE",
        "FAMILY",
        "HISTORICAL",
        "PSEUDO",
        "TERMINATION",
    }


def test_factory_registers_context_on_any_pipeline() -> None:
    importlib.import_module("nlp.qualifiers.factory")
    nlp = spacy.blank("en")
    nlp.add_pipe("hs.sections_en")
    nlp.add_pipe("hs.context", config={"span_group": "targets"})
    doc = nlp.make_doc("No fever.")
    doc.spans["targets"] = [doc[1:2]]
    doc = nlp(doc)
    assert doc.spans["targets"][0]._.hs_negated is True
    assert [cue.text for cue in doc.spans["targets"][0]._.hs_cues] == ["No"]


def test_the_whole_pipeline_keeps_a_cue_that_a_term_repeats() -> None:
    # HPO's "Family history" is matched inside the cue "family history of"; the cue must still act.
    terms = [
        TermEntry("HP:0032316", "Family history", "en", "label", "hpo"),
        TermEntry("DOID:9351", "diabetes", "en", "label", "doid"),
    ]
    matchers = {"en": TerminologyMatcher.build(terms, lang="en", abbreviations=())}
    annotation = Annotator(matchers, terminology_version="test").annotate(
        "Family history of diabetes.", lang="en"
    )
    assert {m.text: m.qualifiers.family for m in annotation.mentions} == {
        "Family history": False,
        "diabetes": True,
    }
