"""Abbreviations: curated list as data, case-sensitive matching, collisions decided by context."""

from __future__ import annotations

import pytest
from matcher_markup import ENGLISH_TERMS, FRENCH_TERMS, parse, term

from nlp.matcher import Abbreviation, TerminologyMatcher, load_abbreviations
from nlp.matcher.abbreviations import is_acronym


@pytest.fixture(scope="module")
def french() -> TerminologyMatcher:
    return TerminologyMatcher.build(FRENCH_TERMS, lang="fr", equivalents={"CIM:I50": "HS:1"})


@pytest.fixture(scope="module")
def english() -> TerminologyMatcher:
    return TerminologyMatcher.build(ENGLISH_TERMS, lang="en")


def top_curies(matcher: TerminologyMatcher, markup: str) -> list[list[str]]:
    text, expected = parse(markup)
    mentions = matcher.find_text(text)
    assert [(m.start, m.end) for m in mentions] == [(e.start, e.end) for e in expected]
    return [[c.curie for c in m.candidates] for m in mentions]


@pytest.mark.parametrize(
    ("abbreviation", "lang", "expansion"),
    [
        ("IC", "fr", "insuffisance cardiaque"),
        ("HTA", "fr", "hypertension artérielle"),
        ("DT2", "fr", "diabète de type 2"),
        ("BPCO", "fr", "bronchopneumopathie chronique obstructive"),
        ("AVC", "fr", "accident vasculaire cérébral"),
        ("IDM", "fr", "infarctus du myocarde"),
        ("IRC", "fr", "insuffisance rénale chronique"),
        ("FA", "fr", "fibrillation atriale"),
        ("EP", "fr", "embolie pulmonaire"),
        ("MI", "en", "myocardial infarction"),
        ("CHF", "en", "congestive heart failure"),
        ("COPD", "en", "chronic obstructive pulmonary disease"),
        ("HTN", "en", "hypertension"),
        ("DM2", "en", "type 2 diabetes mellitus"),
        ("T2DM", "en", "type 2 diabetes mellitus"),
        ("CKD", "en", "chronic kidney disease"),
        ("AF", "en", "atrial fibrillation"),
        ("PE", "en", "pulmonary embolism"),
        ("PE", "en", "physical examination"),
        ("DM", "en", "diabetes mellitus"),
        ("DM", "en", "dystrophia myotonica"),
        ("VHL", "en", "von Hippel-Lindau disease"),
        ("TVP", "fr", "thrombose veineuse profonde"),
        ("SEP", "fr", "sclérose en plaques"),
    ],
)
def test_curated_list_holds(abbreviation: str, lang: str, expansion: str) -> None:
    rows = {(row.abbreviation, row.lang, row.expansion) for row in load_abbreviations()}
    assert (abbreviation, lang, expansion) in rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [("IC", True), ("DT2", True), ("T2DM", True), ("ic", False), ("Ic", False), ("A", False), ("2D", False)],
)
def test_is_acronym(text: str, expected: bool) -> None:
    assert is_acronym(text) is expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("Patient avec <ent>HTA</ent> et <ent>FA</ent>.", [["HS:2"], ["HS:9"]]),
        ("Suspicion d'<ent>EP</ent>.", [["HS:8"]]),
        ("Antécédent d'<ent>IC</ent>.", [["HS:1", "HS:7"]]),
        ("<ent>PA</ent> à 12/8.", [["HS:17"]]),
        ("hta, fa, ic, pa en minuscules : rien.", []),
        ("Hta et Ic : rien non plus.", []),
    ],
)
def test_french_abbreviations_are_case_sensitive(
    french: TerminologyMatcher, markup: str, expected: list[list[str]]
) -> None:
    assert top_curies(french, markup) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("History of <ent>MI</ent> and <ent>AF</ent>.", [["EN:12"], ["EN:5"]]),
        ("<ent>CHF</ent> exacerbation.", [["EN:2", "EN:1"]]),
        ("<ent>BP</ent> 120/80.", [["EN:11"]]),
        ("bp and pe and mi in lower case.", []),
    ],
)
def test_english_abbreviations_are_case_sensitive(
    english: TerminologyMatcher, markup: str, expected: list[list[str]]
) -> None:
    assert top_curies(english, markup) == expected


def test_abbreviation_score_and_type(french: TerminologyMatcher) -> None:
    (mention,) = french.find_text("HTA")
    assert (mention.candidates[0].score, mention.candidates[0].match_type) == (0.7, "abbreviation")


def test_abbreviation_not_all_caps_is_matched_folded(french: TerminologyMatcher) -> None:
    # "tension artérielle" typed abbreviation is not an acronym: folded like any term.
    (mention,) = french.find_text("Tension Artérielle")
    assert (mention.candidates[0].curie, mention.candidates[0].match_type) == ("HS:16", "abbreviation")


def test_unresolved_expansion_adds_nothing(french: TerminologyMatcher) -> None:
    # BPCO's expansion is no label of the test terms.
    assert french.find_text("BPCO") == []


def test_abbreviation_rows_of_other_languages_are_ignored() -> None:
    rows = [Abbreviation("HF", "en", "insuffisance cardiaque")]
    matcher = TerminologyMatcher.build(FRENCH_TERMS, lang="fr", abbreviations=rows)
    assert matcher.find_text("HF") == []


def test_curated_list_can_be_disabled() -> None:
    matcher = TerminologyMatcher.build(FRENCH_TERMS, lang="fr", abbreviations=())
    assert matcher.find_text("HTA") == []


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        # no context word: both kept, in build order
        ("<ent>PE</ent>.", [["EN:3", "EN:4"]]),
        ("CT angiography shows <ent>PE</ent> in the right pulmonary artery.", [["EN:3", "EN:4"]]),
        ("<ent>PE</ent>: abdomen soft, examination otherwise unremarkable.", [["EN:4", "EN:3"]]),
    ],
)
def test_english_collision_decided_by_context(
    english: TerminologyMatcher, markup: str, expected: list[list[str]]
) -> None:
    assert top_curies(english, markup) == expected


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("<ent>IC</ent>.", [["HS:1", "HS:7"]]),
        ("<ent>IC</ent> sur <ent>coronaropathie</ent> connue.", [["HS:7", "HS:1"], ["HS:7"]]),
        ("<ent>IC</ent> gauche, bilan cardiaque.", [["HS:1", "HS:7"]]),
    ],
)
def test_french_collision_decided_by_context(
    french: TerminologyMatcher, markup: str, expected: list[list[str]]
) -> None:
    assert top_curies(french, markup) == expected


def test_context_never_outranks_a_better_score() -> None:
    terms = [
        term("A:1", "PE", "en", "abbreviation"),
        term("B:1", "PE", "en", "exact"),
        term("A:1", "pulmonary clot", "en"),
    ]
    matcher = TerminologyMatcher.build(terms, lang="en", abbreviations=())
    (mention,) = matcher.find_text("PE, pulmonary")
    assert [c.curie for c in mention.candidates] == ["B:1", "A:1"]


# "DM": diabetes mellitus first in the curated list, dystrophia myotonica second; the myotonic
# dystrophy concept is the better mapped, as it is in the shared terminologies.
DM_TERMS = [
    term("DOID:9351", "diabetes mellitus", "en"),
    term("DOID:9351", "diabetic", "en", "related"),
    term("DOID:11722", "myotonic dystrophy type 1", "en"),
    term("DOID:11722", "dystrophia myotonica", "en", "exact"),
    term("DOID:11722", "Steinert disease", "en", "exact"),
]
DM_ROWS = [
    Abbreviation("DM", "en", "diabetes mellitus"),
    Abbreviation("DM", "en", "dystrophia myotonica"),
]


@pytest.fixture(scope="module")
def senses() -> TerminologyMatcher:
    return TerminologyMatcher.build(
        DM_TERMS, lang="en", abbreviations=DM_ROWS, links={"DOID:11722": 8, "DOID:9351": 6}
    )


def sense_of(matcher: TerminologyMatcher, text: str) -> str:
    (mention,) = [m for m in matcher.find_text(text) if m.text == "DM"]
    return mention.candidates[0].curie


def test_an_acronym_without_context_takes_the_first_curated_sense(senses: TerminologyMatcher) -> None:
    # Not the better mapped concept: links made every "DM" a myotonic dystrophy.
    assert sense_of(senses, "History of DM and HTN.") == "DOID:9351"


def test_an_acronym_sense_is_decided_by_the_words_around_it(senses: TerminologyMatcher) -> None:
    assert sense_of(senses, "DM of Steinert type, with cataract.") == "DOID:11722"


def test_an_acronym_sense_is_decided_by_the_whole_text_when_nothing_is_near(
    senses: TerminologyMatcher,
) -> None:
    filler = " ".join(["The cohort was followed for years in several centres."] * 3)
    assert sense_of(senses, f"Myotonic dystrophy is inherited. {filler} DM patients had cataracts.") == (
        "DOID:11722"
    )
    assert (
        sense_of(senses, f"Diabetes mellitus is common. {filler} DM patients had cataracts.") == "DOID:9351"
    )


def test_a_curated_acronym_matches_as_its_expansion(senses: TerminologyMatcher) -> None:
    (mention,) = senses.find_text("DM")
    assert [(c.curie, c.matched_text, c.match_type) for c in mention.candidates] == [
        ("DOID:9351", "diabetes mellitus", "abbreviation"),
        ("DOID:11722", "dystrophia myotonica", "abbreviation"),
    ]
