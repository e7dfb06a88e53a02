"""Terms written right next to each other read as one noun phrase: "X-linked spastic paraplegia".

Terminologies hold qualifiers as concepts of their own ("sporadic", "autosomal dominant", "aiguë"),
so a modifier and the term it qualifies come out as two matches side by side. A noun phrase names
one thing, its head, the last term in English: adjacent matches (nothing but spaces between them, on
one line) are joined into one mention of the head's concepts, unless the head is a generic noun
("immunodeficiency disease": the immunodeficiency).

Only a modifier is joined to what follows it: the words before the head must end in an adjective's
ending ("X-linked", "sporadic", "familial", "autosomal dominant", "juvenile"), or the head must be a
generic noun. Clinical notes list findings without commas ("fever chills", "chest pain dyspnea",
"hypertension diabetes mellitus"): joined, each list would keep its last finding only.

Not in French, whose trailing adjectives are as often outside the mention as inside ("neutropénie
sévère", "endocardite aiguë"): on QUAERO dev joining them cost 1.5 points of strict span F1 for 0.1
of linking F1.
"""

from __future__ import annotations

from collections.abc import Sequence

from nlp.matcher.normalise import NormToken

# Where a noun phrase's head is, per language joining adjacent matches: last (English).
HEAD_LAST = {"en": True}
# Head nouns that only say what kind of thing the words before them name: "immunodeficiency
# disease" is the immunodeficiency, not "disease".
GENERIC_HEADS = {"en": frozenset({"disease", "disorder", "syndrome", "condition", "onset"})}
# Endings of English adjectives, as the last word of a modifier term: "-linked", "sporadic",
# "familial", "recessive", "autosomal dominant", "juvenile", "muscular". A rule rather than a tagger:
# the matcher runs without one; nouns with these endings are rare as the last word of a term that
# another term follows.
ADJECTIVE_ENDINGS = {"en": ("ed", "ic", "al", "ive", "ous", "ary", "ant", "ent", "ile", "ar")}
_EMPTY: frozenset[str] = frozenset()


def noun_phrases(
    text: str, tokens: Sequence[NormToken], spans: Sequence[tuple[int, int]], *, lang: str
) -> list[tuple[int, int, int]]:
    """Group adjacent token spans (sorted, not overlapping) into noun phrases.

    Args:
        text: the text the tokens were cut from.
        tokens: its tokens (their offsets index ``text``).
        spans: the matches, as token ranges ``[start, end)``.
        lang: selects where the head is; other languages join nothing.

    Returns:
        ``(start, end, head)`` per phrase, ``head`` the index in ``spans`` of the span whose concepts
        the phrase keeps; a span adjacent to none is a phrase of its own.
    """
    head_last = HEAD_LAST.get(lang)
    generic = GENERIC_HEADS.get(lang, _EMPTY)
    endings = ADJECTIVE_ENDINGS.get(lang, ())
    phrases: list[tuple[int, int, int]] = []
    for index, (start, end) in enumerate(spans):
        light = end - start == 1 and tokens[start].norm in generic
        if (
            phrases
            and head_last is not None
            and _adjacent(text, tokens, phrases[-1][1], start)
            and (light or tokens[phrases[-1][1] - 1].norm.endswith(endings))
        ):
            first, _, head = phrases[-1]
            phrases[-1] = (first, end, index if head_last and not light else head)
        else:
            phrases.append((start, end, index))
    return phrases


def _adjacent(text: str, tokens: Sequence[NormToken], end: int, start: int) -> bool:
    """Nothing but spaces between token ``end - 1`` and token ``start``."""
    if end != start:
        return False
    between = text[tokens[end - 1].end : tokens[start].start]
    return not between.strip(" ")
