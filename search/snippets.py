"""Evidence snippets: the sentences where a document's matched concepts (or query words) occur.

A snippet is a sentence (from the pipeline's sentence offsets) cut to ``max_chars`` around its first
highlight, with highlight offsets relative to the snippet text. Mentions of the same sentence share
one snippet. A document matched by its words only gets the passage around the first query word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_CHARS = 300
_WORD = re.compile(r"\w{3,}")


@dataclass(frozen=True)
class Highlight:
    start: int  # offsets in the snippet text
    end: int
    curie: str | None  # None for a query word
    negated: bool = False
    hypothetical: bool = False
    family: bool = False
    historical: bool = False


@dataclass(frozen=True)
class Snippet:
    text: str
    start: int  # offset of the snippet in the document
    section: str | None
    highlights: tuple[Highlight, ...]


def concept_snippets(
    text: str, mentions: Sequence[Mapping[str, Any]], rank: Mapping[str, int], *, limit: int = 3
) -> list[Snippet]:
    """Up to ``limit`` snippets for the mentions whose concept is in ``rank`` (lower rank first)."""
    ordered = sorted(
        (mention for mention in mentions if mention["curie"] in rank),
        key=lambda mention: (rank[mention["curie"]], mention["start"]),
    )
    by_sentence: dict[tuple[int, int], list[Mapping[str, Any]]] = {}
    for mention in ordered:
        start, end = _sentence(text, mention)
        if (start, end) not in by_sentence and len(by_sentence) >= limit:
            continue
        by_sentence.setdefault((start, end), []).append(mention)
    snippets = []
    for (start, end), group in by_sentence.items():
        first = min(group, key=lambda mention: mention["start"])
        cut_start, cut_end = _window(start, end, first["start"], first["end"])
        highlights = tuple(
            Highlight(
                start=mention["start"] - cut_start,
                end=mention["end"] - cut_start,
                curie=mention["curie"],
                negated=bool(mention.get("negated")),
                hypothetical=bool(mention.get("hypothetical")),
                family=bool(mention.get("family")),
                historical=bool(mention.get("historical")),
            )
            for mention in sorted(group, key=lambda mention: mention["start"])
            if cut_start <= mention["start"] and mention["end"] <= cut_end
        )
        snippets.append(
            Snippet(
                text=text[cut_start:cut_end],
                start=cut_start,
                section=first.get("section"),
                highlights=highlights,
            )
        )
    return snippets


def word_snippet(text: str, query: str) -> Snippet | None:
    """The passage around the first occurrence of a query word (accent- and case-insensitive)."""
    # The query needs no offsets: fold it whole, so that a decomposed accent does not split a word.
    words = set(_WORD.findall(_fold_chars(unicodedata.normalize("NFC", query))))
    if not words:
        return None
    # Fold word by word (offsets are the text's own), and stop at the first window's worth of hits.
    hits: list[tuple[int, int]] = []
    for match in _WORD.finditer(text):
        if hits and match.start() > hits[0][0] + MAX_CHARS:
            break
        if _fold_chars(match.group(0)) in words:
            hits.append((match.start(), match.end()))
    if not hits:
        return None
    first_start, first_end = hits[0]
    cut_start, cut_end = _window(0, len(text), first_start, first_end)
    return Snippet(
        text=text[cut_start:cut_end],
        start=cut_start,
        section=None,
        highlights=tuple(
            Highlight(start=start - cut_start, end=end - cut_start, curie=None)
            for start, end in hits
            if cut_start <= start and end <= cut_end
        ),
    )


def _fold_chars(text: str) -> str:
    """Lower case without accents, character for character, so that offsets stay those of ``text``."""
    out = []
    for char in text:
        base = "".join(c for c in unicodedata.normalize("NFKD", char.lower()) if not unicodedata.combining(c))
        out.append(base if len(base) == 1 else char)
    return "".join(out)


def _sentence(text: str, mention: Mapping[str, Any]) -> tuple[int, int]:
    start, end = mention.get("sentence_start"), mention.get("sentence_end")
    if (
        isinstance(start, int)
        and isinstance(end, int)
        and 0 <= start <= mention["start"] < mention["end"] <= end <= len(text)
    ):
        return start, end
    return max(0, mention["start"] - MAX_CHARS // 2), min(len(text), mention["end"] + MAX_CHARS // 2)


def _window(start: int, end: int, focus_start: int, focus_end: int) -> tuple[int, int]:
    """[start, end) cut to MAX_CHARS, keeping [focus_start, focus_end) with context on its left."""
    if end - start <= MAX_CHARS:
        return start, end
    left = max(start, focus_start - MAX_CHARS // 3)
    right = min(end, max(left + MAX_CHARS, focus_end))
    return left, right
