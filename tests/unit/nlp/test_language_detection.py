"""Language of a text given without one: function words, then (short texts) the terminologies."""

from __future__ import annotations

import pytest
from matcher_markup import term

from nlp.language import language_evidence
from nlp.matcher import TerminologyMatcher
from nlp.model import Mention
from nlp.pipeline import Annotator

TERMS = [
    term("EN:1", "pulmonary embolism", "en"),
    term("EN:2", "hip", "en"),
    term("EN:3", "psoriasis", "en"),
    term("FR:1", "embolie pulmonaire", "fr"),
    term("FR:2", "diabète", "fr"),
    term("FR:3", "psoriasis", "fr"),
    term("FR:4", "maladie de Crohn", "fr"),
    term("EN:4", "Crohn disease", "en"),
]


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    matchers = {
        lang: TerminologyMatcher.build(TERMS, lang=lang, abbreviations=(), derived_forms=())
        for lang in ("fr", "en")
    }
    return Annotator(matchers, terminology_version="test")


def test_function_words_are_counted() -> None:
    # pas, de, chez, la, patiente; two accented letters count nothing (one per three)
    assert language_evidence("Pas de fièvre chez la patiente.") == (5, 0)
    assert language_evidence("No fever was found in the child.") == (0, 4)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # A query without function words: its terms decide.
        ("pulmonary embolism after hip surgery", "en"),
        ("embolie pulmonaire", "fr"),
        ("diabète", "fr"),
        # One function word each way is no decision either: the terms are.
        ("Crohn disease in adolescents", "en"),
        ("maladie de Crohn", "fr"),
    ],
)
def test_short_texts_are_decided_by_the_terminologies(annotator: Annotator, text: str, lang: str) -> None:
    assert annotator.detect_language(text) == lang


def test_texts_with_function_words_are_decided_by_them(annotator: Annotator) -> None:
    # Two words ahead decide, whatever the terms: "pulmonary embolism" is English, the note French.
    assert annotator.detect_language("Le patient a une pulmonary embolism.") == "fr"
    assert annotator.detect_language("The patient has an embolie pulmonaire.") == "en"


def test_no_evidence_at_all_is_french(annotator: Annotator) -> None:
    assert annotator.detect_language("psoriasis") == "fr"  # both terminologies name it
    assert annotator.detect_language("xyz 42") == "fr"


def test_annotate_uses_the_detected_language(annotator: Annotator) -> None:
    annotation = annotator.annotate("pulmonary embolism after hip surgery")
    assert annotation.lang == "en"
    assert [(mention.text, mention.candidates[0].curie) for mention in annotation.mentions] == [
        ("pulmonary embolism", "EN:1"),
        ("hip", "EN:2"),
    ]


def test_with_one_language_only_function_words_decide() -> None:
    matchers = {"en": TerminologyMatcher.build(TERMS, lang="en", abbreviations=(), derived_forms=())}
    assert Annotator(matchers, terminology_version="test").detect_language("pulmonary embolism") == "fr"


class CountingMatcher:
    """A matcher that counts the texts it was asked to search."""

    def __init__(self, matcher: TerminologyMatcher) -> None:
        self.matcher = matcher
        self.calls = 0

    def find_text(self, text: str) -> list[Mention]:
        self.calls += 1
        return self.matcher.find_text(text)


def test_the_mentions_that_decided_the_language_are_not_looked_for_again() -> None:
    counting = {
        lang: CountingMatcher(TerminologyMatcher.build(TERMS, lang=lang, abbreviations=(), derived_forms=()))
        for lang in ("fr", "en")
    }
    annotator = Annotator(counting, terminology_version="test")  # type: ignore[arg-type]
    annotation = annotator.annotate("pulmonary embolism after hip surgery")
    assert [mention.text for mention in annotation.mentions] == ["pulmonary embolism", "hip"]
    assert (counting["fr"].calls, counting["en"].calls) == (1, 1)
    # Given its language, a text is searched once, by that language's matcher only.
    annotator.annotate("embolie pulmonaire", lang="fr")
    assert (counting["fr"].calls, counting["en"].calls) == (2, 1)
