"""Markup for matcher tests: ``"Patient avec <ent curie=HS:1>insuffisance cardiaque</ent>."``."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from nlp.matcher import TerminologyMatcher
from nlp.model import TermEntry

_ENT = re.compile(r"<ent(?P<attrs>[^>]*)>(?P<text>.*?)</ent>")
_ATTR = re.compile(r"(\w+)=(\S+)")


@dataclass(frozen=True)
class Expected:
    start: int
    end: int
    text: str
    attrs: dict[str, str]


def parse(markup: str) -> tuple[str, list[Expected]]:
    """Plain text and the expected entities (offsets into the plain text, attributes as strings)."""
    parts: list[str] = []
    expected: list[Expected] = []
    position = 0
    length = 0
    for match in _ENT.finditer(markup):
        before = markup[position : match.start()]
        parts.append(before)
        length += len(before)
        text = match.group("text")
        attrs = dict(_ATTR.findall(match.group("attrs")))
        expected.append(Expected(length, length + len(text), text, attrs))
        parts.append(text)
        length += len(text)
        position = match.end()
    parts.append(markup[position:])
    return "".join(parts), expected


def check(matcher: TerminologyMatcher, markup: str) -> None:
    """Spans equal the marked entities; ``curie=`` is the top candidate, ``score=`` its score."""
    text, expected = parse(markup)
    mentions = matcher.find_text(text)
    assert [(m.start, m.end) for m in mentions] == [(e.start, e.end) for e in expected]
    for mention, entity in zip(mentions, expected, strict=True):
        top = mention.candidates[0]
        if "curie" in entity.attrs:
            assert top.curie == entity.attrs["curie"]
        if "score" in entity.attrs:
            assert top.score == pytest.approx(float(entity.attrs["score"]))
        if "type" in entity.attrs:
            assert top.match_type == entity.attrs["type"]


def term(curie: str, text: str, lang: str, kind: str = "label") -> TermEntry:
    return TermEntry(curie=curie, text=text, lang=lang, type=kind, source="test")


FRENCH_TERMS = [
    term("HS:1", "insuffisance cardiaque", "fr"),
    term("HS:1", "défaillance cardiaque", "fr", "exact"),
    term("HS:2", "hypertension artérielle", "fr"),
    term("HS:3", "diabète", "fr"),
    term("HS:4", "diabète de type 2", "fr"),
    term("HS:5", "œdème", "fr"),
    term("HS:6", "insulino-dépendant", "fr"),
    term("HS:7", "insuffisance coronarienne", "fr"),
    term("HS:7", "coronaropathie", "fr", "related"),
    term("HS:8", "embolie pulmonaire", "fr"),
    term("HS:9", "fibrillation atriale", "fr"),
    term("HS:9", "fibrillation auriculaire", "fr", "exact"),
    term("HS:10", "cancer", "fr", "related"),
    term("HS:11", "cancer", "fr", "exact"),
    term("HS:12", "cancer", "fr"),
    term("HS:13", "insuffisance", "fr"),
    term("HS:14", "cardiaque gauche", "fr"),
    term("HS:15", "canal artériel", "fr"),
    term("HS:16", "tension artérielle", "fr", "abbreviation"),
    term("HS:17", "PA", "fr", "abbreviation"),
    term("CIM:I50", "insuffisance cardiaque", "fr"),
    term("EN:1", "heart failure", "en"),
]

ENGLISH_TERMS = [
    term("EN:1", "heart failure", "en"),
    term("EN:2", "congestive heart failure", "en"),
    term("EN:3", "pulmonary embolism", "en"),
    term("EN:4", "physical examination", "en"),
    term("EN:4", "physical exam", "en", "exact"),
    term("EN:5", "atrial fibrillation", "en"),
    term("EN:6", "type 2 diabetes mellitus", "en"),
    term("EN:7", "diabetes mellitus", "en"),
    term("EN:8", "Crohn's disease", "en"),
    term("EN:9", "allergy", "en"),
    term("EN:10", "tetralogy of Fallot", "en"),
    term("EN:11", "BP", "en", "abbreviation"),
    term("EN:11", "blood pressure", "en"),
    term("EN:12", "myocardial infarction", "en"),
    term("HS:1", "insuffisance cardiaque", "fr"),
]
