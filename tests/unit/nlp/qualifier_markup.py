"""Qualifier tests written as markup: `"Pas de <ent negated=true>fièvre</ent>."` (EDS-NLP style).

Attributes left out of a tag are not checked; `section=none` checks that no section was found.
"""

from __future__ import annotations

import re

from nlp.qualifiers import qualify

ENT = re.compile(r"<ent(?P<attrs>[^>]*)>(?P<text>.*?)</ent>", re.DOTALL)


def parse(markup: str) -> tuple[str, list[tuple[int, int]], list[dict[str, str]]]:
    """`"Pas de <ent negated=true>fièvre</ent>."` -> text, spans, expected attributes per span."""
    text, spans, expected, last = "", [], [], 0
    for match in ENT.finditer(markup):
        text += markup[last : match.start()]
        start = len(text)
        text += match.group("text")
        spans.append((start, len(text)))
        expected.append(dict(item.split("=", 1) for item in match.group("attrs").split()))
        last = match.end()
    return text + markup[last:], spans, expected


def check(markup: str, *, lang: str) -> None:
    """Qualify the marked spans of ``markup`` and compare every attribute the markup states."""
    text, spans, expected = parse(markup)
    results = qualify(text, spans, lang=lang)
    for (qualifiers, section), attrs in zip(results, expected, strict=True):
        for key, value in attrs.items():
            if key == "section":
                assert section == (None if value == "none" else value), markup
            else:
                assert getattr(qualifiers, key) is (value == "true"), (markup, key, qualifiers)
