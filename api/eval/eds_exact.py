"""The linking baseline: EDS-NLP's exact terminology matcher over the terms our matcher is built from.

Issue 3 asks for "a plain exact-match EDS-NLP terminology matcher over the same terms": ``eds.matcher``
with ``term_matcher="exact"`` on the ``LOWER`` attribute (case-insensitive, nothing else folded: no
accents, plurals, hyphens or stop words), EDS-NLP's tokenizer, matches resolved by spaCy's
``filter_spans`` (longest, then leftmost) into ``doc.ents``.

A surface form shared by several concepts is given to one of them, as a plain dictionary does: the
concept whose label it is, else the first seen whose exact synonym it is, else the first seen. Without
that, which concept the phrase matcher reports for a shared form would depend on its internals.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from nlp.model import TermEntry

_TYPE_RANK = {"label": 0, "exact": 1}
# EDS-NLP's French tokenizer for French; spaCy's English one (EDS-NLP's pipes run on any spaCy Doc).
_BLANK = {"fr": "eds", "en": "en"}


def surface_owners(entries: Iterable[TermEntry], *, lang: str) -> dict[str, list[str]]:
    """``{curie: [surface forms]}`` for ``eds.matcher``: each lower-cased form of ``lang`` once."""
    best: dict[str, tuple[int, str, str]] = {}  # lowered form -> (rank, curie, form as written)
    for entry in entries:
        text = entry.text.strip()
        if entry.lang != lang or not text:
            continue
        key = text.lower()
        rank = _TYPE_RANK.get(entry.type, 2)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, entry.curie, text)
    owners: dict[str, list[str]] = {}
    for _, curie, text in best.values():
        owners.setdefault(curie, []).append(text)
    return owners


class EdsExactMatcher:
    """``find(text)`` → ``(start, end, curie)`` of EDS-NLP's exact matches, left to right."""

    def __init__(self, entries: Iterable[TermEntry], *, lang: str) -> None:
        if lang not in _BLANK:
            raise ValueError(f"no EDS-NLP baseline for language {lang!r}; expected one of {sorted(_BLANK)}")
        import edsnlp  # slow import (seconds): only when the baseline is built

        self.nlp: Any = edsnlp.blank(_BLANK[lang])
        self.nlp.add_pipe(
            "eds.matcher",
            config={"terms": surface_owners(entries, lang=lang), "attr": "LOWER", "term_matcher": "exact"},
        )

    def find(self, text: str) -> list[tuple[int, int, str]]:
        doc = self.nlp(text)
        return [(ent.start_char, ent.end_char, ent.label_) for ent in sorted(doc.ents)]


__all__ = ["EdsExactMatcher", "surface_owners"]
