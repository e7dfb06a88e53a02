"""Markup for search tests: ``"Pas d'<ent curie=HS:2 negated=true>HTA</ent>."`` (EDS-NLP style).

``tests/unit/nlp/matcher_markup.py`` has the same idea, but it is only importable when the nlp test
folder is on ``sys.path``; this module builds what the search code consumes from the same markup:
``nlp.pipeline.Annotation`` objects (query understanding) and the mention rows of
``PAGE_DOCUMENTS`` / ``MENTIONS`` aggregates (snippets, fake backends).

Attributes: ``curie`` (left out: a mention without candidates), ``negated``, ``hypothetical``,
``family``, ``historical`` (``true``), ``section``. Sentences end after ``.``, ``!`` or ``?``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from nlp.model import Candidate, Mention, Qualifiers
from nlp.pipeline import Annotation
from search.feedback import FeedbackPolicy
from search.query import SearchQuery

_ENT = re.compile(r"<ent(?P<attrs>[^>]*)>(?P<text>.*?)</ent>", re.DOTALL)
_ATTR = re.compile(r"(\w+)=(\S+)")
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")
QUALIFIERS = ("negated", "hypothetical", "family", "historical")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    attrs: Mapping[str, str]

    def flag(self, name: str) -> bool:
        return self.attrs.get(name) == "true"


def parse(markup: str) -> tuple[str, list[Span]]:
    """Plain text and the marked spans (offsets into the plain text)."""
    text, spans, last = "", [], 0
    for match in _ENT.finditer(markup):
        text += markup[last : match.start()]
        start = len(text)
        text += match.group("text")
        spans.append(Span(start, len(text), match.group("text"), dict(_ATTR.findall(match.group("attrs")))))
        last = match.end()
    return text + markup[last:], spans


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, leading spaces left out."""
    found = []
    for match in _SENTENCE.finditer(text):
        start = match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        if start < match.end():
            found.append((start, match.end()))
    return found


def annotation(markup: str, lang: str = "fr") -> tuple[str, Annotation]:
    """The query text and the annotation the pipeline would have produced for it."""
    text, spans = parse(markup)
    mentions = tuple(
        Mention(
            start=span.start,
            end=span.end,
            text=span.text,
            candidates=(Candidate(span.attrs["curie"], 1.0, span.text, "label"),)
            if "curie" in span.attrs
            else (),
            qualifiers=Qualifiers(**{name: span.flag(name) for name in QUALIFIERS}),
        )
        for span in spans
    )
    return text, Annotation(lang=lang, mentions=mentions, pipeline_version="test", terminology_version="test")


def mention_rows(markup: str, *, with_sentences: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """The text and its mentions as ``PAGE_DOCUMENTS`` rows (``curie`` required on every span)."""
    text, spans = parse(markup)
    bounds = sentences(text)
    rows = []
    for span in spans:
        row: dict[str, Any] = {
            "curie": span.attrs["curie"],
            "start": span.start,
            "end": span.end,
            "section": span.attrs.get("section"),
            "sentence_start": None,
            "sentence_end": None,
            **{name: span.flag(name) for name in QUALIFIERS},
        }
        if with_sentences:
            (row["sentence_start"], row["sentence_end"]), *_ = (
                (start, end) for start, end in bounds if start <= span.start and span.end <= end
            )
        rows.append(row)
    return text, rows


def aggregates(mentions: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``MENTIONS`` aggregates per concept, counted as ``graph.documents`` does."""
    counts: dict[str, dict[str, Any]] = {}
    for mention in mentions:
        row = counts.setdefault(
            mention["curie"],
            {"curie": mention["curie"], "count": 0, "affirmed": 0, **dict.fromkeys(QUALIFIERS, 0)},
        )
        row["count"] += 1
        row["affirmed"] += int(not (mention["negated"] or mention["hypothetical"] or mention["family"]))
        for name in QUALIFIERS:
            row[name] += int(bool(mention[name]))
    return counts


def unit_query(**fields: Any) -> SearchQuery:
    """A SearchQuery with concept_weight 1.0 (the tests' hand-computed scores) and no feedback (the
    tests' expected rankings are those of the words asked), unless given."""
    fields.setdefault("concept_weight", 1.0)
    fields.setdefault("feedback", FeedbackPolicy(enabled=False))
    return SearchQuery(**fields)
