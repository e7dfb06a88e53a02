"""spaCy component ``hs.terminology_matcher``: spans, candidates, options, errors (both languages)."""

from __future__ import annotations

import functools

import pytest
import spacy
from matcher_markup import ENGLISH_TERMS, FRENCH_TERMS, parse, term
from spacy.language import Language
from spacy.tokens import Span

import nlp.matcher.factory  # noqa: F401  (registers hs.terminology_matcher)
from nlp.matcher import TerminologyMatcher
from nlp.matcher.component import (
    SPAN_KEY,
    TerminologyMatcherComponent,
    doc_mentions,
    register_extensions,
)
from nlp.matcher.errors import MatcherLanguageMismatch, MatcherNotSet

MATCHERS = {
    "fr": TerminologyMatcher.build(FRENCH_TERMS, lang="fr", equivalents={"CIM:I50": "HS:1"}),
    "en": TerminologyMatcher.build(ENGLISH_TERMS, lang="en"),
}


@functools.cache
def pipeline(lang: str, *, min_score: float = 0.0) -> Language:
    """Built once per option set: the first ``spacy.blank`` is slow."""
    pipe = spacy.blank(lang)
    component = pipe.add_pipe("hs.terminology_matcher", config={"lang": lang, "min_score": min_score})
    assert isinstance(component, TerminologyMatcherComponent)
    component.set_matcher(MATCHERS[lang])
    return pipe


@pytest.mark.parametrize(
    ("lang", "markup"),
    [
        ("fr", "Patient avec <ent curie=HS:1>insuffisance cardiaque</ent> et <ent curie=HS:2>HTA</ent>."),
        ("fr", "Présence d'<ent curie=HS:5>œdème</ent>, <ent curie=HS:4>diabète de type 2</ent>."),
        ("fr", "<ent curie=HS:1>Insuffisances cardiaques</ent> et <ent curie=HS:6>insulino-dépendant</ent>."),
        ("fr", "Suspicion d'<ent curie=HS:8>EP</ent>; ic et hta en minuscules."),
        ("en", "History of <ent curie=EN:2>congestive heart failure</ent> and <ent curie=EN:12>MI</ent>."),
        ("en", "Two <ent curie=EN:1>heart failures</ent>, known <ent curie=EN:8>Crohn's disease</ent>."),
    ],
)
def test_spans_and_top_candidates(lang: str, markup: str) -> None:
    text, expected = parse(markup)
    doc = pipeline(lang)(text)
    spans = list(doc.spans[SPAN_KEY])
    assert [(s.start_char, s.end_char) for s in spans] == [(e.start, e.end) for e in expected]
    assert [s._.hs_candidates[0].curie for s in spans] == [e.attrs["curie"] for e in expected]


def test_phrases_read_as_by_find_text() -> None:
    # conjuncts sharing a head, adjacent terms joined: the same mentions as TerminologyMatcher.find_text
    terms = [term("EN:21", "breast cancer", "en"), term("EN:23", "ovarian cancer", "en")]
    terms += [term("EN:25", "breast", "en"), term("EN:60", "sporadic", "en")]
    pipe = spacy.blank("en")
    component = pipe.add_pipe("hs.terminology_matcher", config={"lang": "en", "min_score": 0.0})
    assert isinstance(component, TerminologyMatcherComponent)
    component.set_matcher(TerminologyMatcher.build(terms, lang="en", abbreviations=()))
    doc = pipe("sporadic breast and ovarian cancer")
    spans = [(s.text, s._.hs_candidates[0].curie) for s in doc.spans[SPAN_KEY]]
    assert spans == [("sporadic breast", "EN:21"), ("ovarian cancer", "EN:23")]


def test_min_score_drops_weaker_candidates_and_empty_mentions() -> None:
    doc = pipeline("fr", min_score=0.85)("insuffisances cardiaques et hypertension artérielle")
    assert [s.text for s in doc.spans[SPAN_KEY]] == ["hypertension artérielle"]


def test_doc_mentions_are_plain_dataclasses() -> None:
    text = "Pas d'insuffisance cardiaque."
    (mention,) = doc_mentions(pipeline("fr")(text))
    assert (text[mention.start : mention.end], mention.candidates[0].curie) == (
        "insuffisance cardiaque",
        "HS:1",
    )


def test_missing_matcher_raises() -> None:
    pipe = spacy.blank("fr")
    pipe.add_pipe("hs.terminology_matcher", config={"lang": "fr"})
    with pytest.raises(MatcherNotSet):
        pipe("texte")


def test_matcher_of_another_language_is_refused() -> None:
    pipe = spacy.blank("fr")
    component = pipe.add_pipe("hs.terminology_matcher", config={"lang": "fr"})
    assert isinstance(component, TerminologyMatcherComponent)
    with pytest.raises(MatcherLanguageMismatch):
        component.set_matcher(MATCHERS["en"])


def test_extension_registration_is_idempotent() -> None:
    register_extensions()
    register_extensions()
    assert Span.has_extension("hs_candidates")


def test_factory_declares_its_assignments() -> None:
    meta = Language.get_factory_meta("hs.terminology_matcher")
    assert meta.assigns == ["doc.spans"]


def test_empty_doc_gets_an_empty_span_group() -> None:
    doc = pipeline("en")("")
    assert list(doc.spans[SPAN_KEY]) == []
