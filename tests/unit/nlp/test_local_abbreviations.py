"""Abbreviations defined in the document, written as markup: the expected mentions are marked."""

from __future__ import annotations

import re

import pytest

from nlp.local_abbreviations import propagate
from nlp.model import Candidate, Mention

TAG = re.compile(r"<m>(.*?)</m>")
CANDIDATES = (Candidate("DOID:11723", 1.0, "Duchenne muscular dystrophy", "label"),)


def parse(markup: str) -> tuple[str, list[tuple[int, int]]]:
    """`"<m>X</m> (<m>Y</m>)"` -> text and the offsets of the marked spans."""
    text, spans, last = "", [], 0
    for match in TAG.finditer(markup):
        text += markup[last : match.start()]
        spans.append((len(text), len(text) + len(match.group(1))))
        text += match.group(1)
        last = match.end()
    return text + markup[last:], spans


def run(markup: str, long_form: str) -> tuple[list[tuple[int, int]], list[Mention]]:
    text, expected = parse(markup)
    start = text.index(long_form)
    matched = [Mention(start=start, end=start + len(long_form), text=long_form, candidates=CANDIDATES)]
    result = propagate(text, matched)
    return expected, result


@pytest.mark.parametrize(
    ("markup", "long_form"),
    [
        (
            "<m>Duchenne muscular dystrophy</m> (<m>DMD</m>) is rare. <m>DMD</m> boys walk late.",
            "Duchenne muscular dystrophy",
        ),
        ("Une <m>maladie de Crohn</m> (<m>MC</m>) connue ; <m>MC</m> stable.", "maladie de Crohn"),
        (
            "<m>Duchenne muscular dystrophy</m> ( <m>DMD</m> ), then DMD-free (not a mention), <m>DMD</m>.",
            "Duchenne muscular dystrophy",
        ),
        # the short form opens a list of other names
        (
            "<m>Schwartz-Jampel syndrome</m> (<m>SJS</m>; chondrodystrophic myotonia). <m>SJS</m> is rare.",
            "Schwartz-Jampel syndrome",
        ),
        # defined inside the mention, whose term stepped over it: the definition is no mention of its own
        (
            "Known <m>von Hippel-Lindau (VHL) disease</m>. The <m>VHL</m> gene.",
            "von Hippel-Lindau (VHL) disease",
        ),
    ],
)
def test_defined_short_forms_become_mentions(markup: str, long_form: str) -> None:
    expected, result = run(markup, long_form)
    assert [(mention.start, mention.end) for mention in result] == expected


@pytest.mark.parametrize(
    ("markup", "long_form"),
    [
        ("<m>Duchenne muscular dystrophy</m> (n = 12) and n later.", "Duchenne muscular dystrophy"),
        ("<m>Duchenne muscular dystrophy</m> (XYZ) then XYZ.", "Duchenne muscular dystrophy"),
        ("<m>Duchenne muscular dystrophy</m> (voir) then voir.", "Duchenne muscular dystrophy"),
        ("<m>muscular (XYZ) dystrophy</m> then XYZ.", "muscular (XYZ) dystrophy"),
    ],
)
def test_implausible_short_forms_define_nothing(markup: str, long_form: str) -> None:
    expected, result = run(markup, long_form)
    assert [(mention.start, mention.end) for mention in result] == expected


def test_propagated_mentions_keep_the_concepts_with_a_lower_score() -> None:
    _, result = run("Duchenne muscular dystrophy (DMD). DMD.", "Duchenne muscular dystrophy")
    short = [mention for mention in result if mention.text == "DMD"]
    assert len(short) == 2
    assert all(mention.candidates[0].curie == "DOID:11723" for mention in short)
    assert all(mention.candidates[0].score == pytest.approx(0.95) for mention in short)
    assert all(mention.candidates[0].match_type == "abbreviation" for mention in short)


def test_nothing_defined_returns_the_mentions_unchanged() -> None:
    mention = Mention(start=0, end=5, text="fever", candidates=CANDIDATES)
    assert propagate("fever and chills", [mention]) == [mention]
