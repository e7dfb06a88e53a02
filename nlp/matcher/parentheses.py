"""Short forms written in parentheses inside a term: "von Hippel-Lindau (VHL) disease".

Scientific texts define an abbreviation right after the words it stands for, even in the middle of
a longer name: "glucose-6-phosphate dehydrogenase (G6PD) deficiency". The matcher may step over
such a parenthesis (see :meth:`TerminologyMatcher.find`'s ``gaps``) so that the whole name still
matches its term; :mod:`nlp.local_abbreviations` then learns the short form from the mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.matcher.normalise import NormToken

# A short form (also what nlp.local_abbreviations accepts): a letter, then 1 to 9 letters, digits or
# hyphens.
SHORT_FORM = r"[A-Za-z][A-Za-z0-9\-]{1,9}"
# A short form alone in parentheses: "(VHL)".
PARENTHESISED = re.compile(rf"\(\s*(?P<short>{SHORT_FORM})\s*\)")


def parenthesised_gaps(text: str, tokens: Sequence[NormToken]) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the parenthesised short forms of ``text`` that a term may span.

    Only short forms holding a capital letter, with a token on each side (a term may then run on
    both sides), count.

    Args:
        text: the text the tokens were cut from (their offsets index it).
        tokens: its tokens, from :func:`nlp.matcher.normalise.tokenize`.
    """
    if "(" not in text:
        return []
    gaps: list[tuple[int, int]] = []
    index = 0
    count = len(tokens)
    for found in PARENTHESISED.finditer(text):
        if not any(char.isupper() for char in found.group()):
            continue
        open_at, close_at = found.span()
        while index < count and tokens[index].start < open_at:
            index += 1
        end = index
        while end < count and tokens[end].end <= close_at:
            end += 1
        if 0 < index < end < count:
            gaps.append((index, end))
    return gaps
