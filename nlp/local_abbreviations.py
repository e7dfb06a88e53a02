"""Abbreviations a document defines itself: "maladie de Crohn (MC)", "Duchenne muscular dystrophy (DMD)".

When a mention is directly followed by a parenthesised short form, or holds one after some of its
words ("von Hippel-Lindau (VHL) disease"), every occurrence of that short form in the document (the
definition included, unless inside the mention) becomes a mention of the same concepts. Clinical
and scientific texts define most of their acronyms this way; no terminology lists them all.
The short form must be 2 to 10 characters, start with a letter, hold at least one capital, and its
capitals must appear in the long form's initials or letters in order (a light Schwartz & Hearst test),
so that "(n = 12)" or "(voir plus bas)" define nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from nlp.matcher.parentheses import PARENTHESISED, SHORT_FORM
from nlp.model import Candidate, Mention

# The short form may open a list of other names: "Schwartz-Jampel syndrome (SJS; chondrodystrophic...)".
_DEFINITION = re.compile(rf"\s*\(\s*(?P<short>{SHORT_FORM})\s*[);]")
# The same inside a mention whose term steps over it: "von Hippel-Lindau (VHL) disease".
_INNER_DEFINITION = PARENTHESISED
# A local definition is weaker evidence than a curated abbreviation of the concept itself.
SCORE_FACTOR = 0.95


def _plausible(short: str, long_form: str) -> bool:
    """Schwartz & Hearst, simplified: the short form's letters occur in the long form, in order,
    the first one starting a word of the long form."""
    if not any(char.isupper() for char in short):
        return False
    letters = [char.lower() for char in short if char.isalpha()]
    words = long_form.lower().split()
    if not letters or not any(word.startswith(letters[0]) for word in words):
        return False
    position = 0
    text = long_form.lower()
    for letter in letters:
        position = text.find(letter, position)
        if position < 0:
            return False
        position += 1
    return True


def propagate(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """``mentions`` plus one mention per occurrence of each short form the text defines.

    Occurrences already covered by a mention are left alone; the result is sorted by offset.
    """
    definitions: dict[str, tuple[Candidate, ...]] = {}
    for mention in mentions:
        if not mention.candidates:
            continue
        match = _DEFINITION.match(text, mention.end)
        if match and _plausible(match["short"], mention.text):
            definitions.setdefault(match["short"], mention.candidates)
        inner = _INNER_DEFINITION.search(mention.text) if "(" in mention.text else None
        if inner and _plausible(inner["short"], mention.text[: inner.start()]):
            definitions.setdefault(inner["short"], mention.candidates)
    if not definitions:
        return list(mentions)
    covered = [(mention.start, mention.end) for mention in mentions]
    added: list[Mention] = []
    for short, candidates in definitions.items():
        for found in re.finditer(rf"(?<![\w-]){re.escape(short)}(?![\w-])", text):
            start, end = found.span()
            if any(start < stop and begin < end for begin, stop in covered):
                continue
            weaker = tuple(
                replace(candidate, score=round(candidate.score * SCORE_FACTOR, 4), match_type="abbreviation")
                for candidate in candidates
            )
            added.append(Mention(start=start, end=end, text=short, candidates=weaker))
            covered.append((start, end))
    return sorted([*mentions, *added], key=lambda mention: (mention.start, mention.end))
