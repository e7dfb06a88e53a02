"""Pure-Python terminology matcher over normalised tokens (no spaCy in here).

Index (chosen for memory at ~300k terms): one dict from the full token key (a tuple of interned
strings) to the terms indexed under it, plus, per first token, the few key lengths that start with it
(longest first). Matching at a position is then a handful of dict look-ups, with no per-node dicts as a
trie of dicts would need. Short all-caps abbreviations live in a separate dict keyed by the raw token,
so ``IC`` matches and the French word ``ic`` or lower-case text does not.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from nlp.matcher.abbreviations import Abbreviation, is_acronym, load_abbreviations
from nlp.matcher.normalise import STOP_WORDS, folded_words, term_keys, tokenize
from nlp.model import Candidate, Mention, TermEntry

# Bump when the pickled layout changes: cached matchers of another version are rebuilt.
FORMAT_VERSION = 1

TYPE_SCORES: Mapping[str, float] = {
    "label": 1.0,
    "exact": 0.9,
    "layperson": 0.8,
    "abbreviation": 0.7,
    "related": 0.6,
    "broad": 0.6,
    "narrow": 0.6,
}
_DEFAULT_SCORE = 0.6
VARIANT_SCORE = 0.8  # matched only after normalisation (plural, stop words, hyphens...)
CONTEXT_WINDOW = 10  # tokens on each side read to break ties between candidates
_MIN_CONTEXT_WORD = 3

# One indexed term: (curie, term text, term type).
_Term = tuple[str, str, str]


@dataclass(frozen=True)
class Match:
    """Tokens ``[start, end)`` of the searched sequence and the concepts they may denote, best first."""

    start: int
    end: int
    candidates: tuple[Candidate, ...]


@lru_cache(maxsize=1 << 16)
def term_surface(text: str, lang: str) -> tuple[str, ...]:
    """The folded raw words of a term, compared with a mention's to tell exact matches from variants.

    Memoised: the same terms are ranked again at each of their mentions.
    """
    return tuple(word for token in tokenize(text, lang=lang) for word in folded_words(token.surface))


def _match_type(term_type: str) -> str:
    if term_type in ("label", "abbreviation"):
        return term_type
    return "synonym"


class TerminologyMatcher:
    """Finds terminology terms in token sequences; build with :meth:`build`.

    Ranking of the candidates of one mention: score (exact label 1.0 > exact synonym 0.9 > normalised
    variant 0.8 > abbreviation 0.7 > related/broad/narrow 0.6), then, between equal scores, the
    number of context words (``CONTEXT_WINDOW`` tokens each side, stop words and words under three
    letters left out) found in the other terms of the concept, then build order. Concepts made equal
    by ``equivalents`` count as one candidate under the canonical curie, with the best score.
    """

    def __init__(self, *, lang: str, equivalents: Mapping[str, str] | None = None) -> None:
        self.lang = lang
        self.format_version = FORMAT_VERSION
        self.equivalents: dict[str, str] = dict(equivalents or {})
        self._phrases: dict[tuple[str, ...], list[_Term]] = {}
        self._lengths: dict[str, tuple[int, ...]] = {}
        self._acronyms: dict[str, list[_Term]] = {}
        self._concept_keys: dict[str, list[tuple[str, ...]]] = {}
        self.term_count = 0

    @classmethod
    def build(
        cls,
        entries: Iterable[TermEntry],
        *,
        lang: str,
        langs: Iterable[str] | None = None,
        equivalents: Mapping[str, str] | None = None,
        abbreviations: Iterable[Abbreviation] | None = None,
    ) -> TerminologyMatcher:
        """Compile a matcher from terms.

        Args:
            entries: the terms (graph export); read once.
            lang: language of the texts to match; selects the normaliser.
            langs: languages of the entries to keep (default: ``lang`` only).
            equivalents: curie → canonical curie (exact mappings); merged at match time.
            abbreviations: curated abbreviations resolved through their expansion text; the list
                shipped in ``nlp/resources/abbreviations.tsv`` when ``None``, none with ``()``.

        Returns:
            The matcher.
        """
        matcher = cls(lang=lang, equivalents=equivalents)
        keep = frozenset(langs) if langs is not None else frozenset({lang})
        lengths: dict[str, set[int]] = {}
        for entry in entries:
            if entry.lang in keep:
                matcher._add(entry.curie, entry.text, entry.type, lengths)
        rows = load_abbreviations() if abbreviations is None else abbreviations
        for row in rows:
            if row.lang == lang:
                matcher._add_abbreviation(row, lengths)
        matcher._lengths = {first: tuple(sorted(ls, reverse=True)) for first, ls in lengths.items()}
        return matcher

    def _add(self, curie: str, text: str, term_type: str, lengths: dict[str, set[int]]) -> None:
        curie = sys.intern(curie)
        term: _Term = (curie, text, sys.intern(term_type))
        self.term_count += 1
        if term_type == "abbreviation" and is_acronym(text.strip()):
            self._acronyms.setdefault(text.strip(), []).append(term)
            return
        concept_keys = self._concept_keys.setdefault(curie, [])
        for raw_key in term_keys(text, lang=self.lang):
            key = tuple(sys.intern(word) for word in raw_key)
            self._phrases.setdefault(key, []).append(term)
            lengths.setdefault(key[0], set()).add(len(key))
            concept_keys.append(key)

    def _add_abbreviation(self, row: Abbreviation, lengths: dict[str, set[int]]) -> None:
        seen: set[str] = set()
        for key in term_keys(row.expansion, lang=self.lang):
            for curie, _text, term_type in self._phrases.get(key, ()):
                if term_type in ("label", "exact") and curie not in seen:
                    seen.add(curie)
                    self._add(curie, row.abbreviation, "abbreviation", lengths)

    def find(self, tokens: Sequence[str], *, surfaces: Sequence[str] | None = None) -> list[Match]:
        """Find terms in a normalised token sequence (see :func:`nlp.matcher.normalise.tokenize`).

        Args:
            tokens: normalised tokens of the text.
            surfaces: the raw token of each normalised one, for case-sensitive abbreviations and to
                tell exact matches from normalised variants; ``tokens`` when ``None``.

        Returns:
            Non-overlapping matches in text order: the longest wins, then the leftmost.
        """
        raw = tokens if surfaces is None else surfaces
        keys = tuple(tokens)  # its slices are the keys, with no copy to a tuple
        count = len(keys)
        # Bound once: this loop runs at every token of every document.
        phrases, lengths_of, acronyms_of = self._phrases.get, self._lengths.get, self._acronyms.get
        proposals: list[tuple[int, int, list[_Term], list[_Term]]] = []
        for i, first in enumerate(keys):
            # Every length is proposed: a shorter term fills in when a longer one loses an overlap.
            acronyms = acronyms_of(raw[i]) or []
            for length in lengths_of(first, ()):
                if i + length <= count:
                    hits = phrases(keys[i : i + length])
                    if hits:
                        proposals.append((i, i + length, hits, acronyms if length == 1 else []))
            if acronyms and not (proposals and proposals[-1][:2] == (i, i + 1)):
                proposals.append((i, i + 1, [], acronyms))
        proposals.sort(key=lambda p: (p[0] - p[1], p[0]))
        taken = [False] * len(tokens)
        matches: list[Match] = []
        for start, end, terms, acronyms in proposals:
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            candidates = self._rank(tokens, raw, start, end, terms, acronyms)
            matches.append(Match(start, end, candidates))
        matches.sort(key=lambda m: m.start)
        return matches

    def find_text(self, text: str) -> list[Mention]:
        """Tokenise ``text`` with the matcher's language and return its mentions (character offsets)."""
        tokens = tokenize(text, lang=self.lang)
        found = self.find([t.norm for t in tokens], surfaces=[t.surface for t in tokens])
        mentions = []
        for match in found:
            start, end = tokens[match.start].start, tokens[match.end - 1].end
            mentions.append(Mention(start=start, end=end, text=text[start:end], candidates=match.candidates))
        return mentions

    def _rank(
        self,
        tokens: Sequence[str],
        raw: Sequence[str],
        start: int,
        end: int,
        terms: list[_Term],
        acronyms: list[_Term],
    ) -> tuple[Candidate, ...]:
        surface = tuple(word for piece in raw[start:end] for word in folded_words(piece))
        best: dict[str, Candidate] = {}
        members: dict[str, list[str]] = {}
        scored = [self._score(term, surface) for term in terms]
        scored += [
            Candidate(curie, TYPE_SCORES.get(kind, _DEFAULT_SCORE), text, "abbreviation")
            for curie, text, kind in acronyms
        ]
        for candidate in scored:
            canonical = self.equivalents.get(candidate.curie, candidate.curie)
            members.setdefault(canonical, []).append(candidate.curie)
            kept = best.get(canonical)
            if kept is None or candidate.score > kept.score:
                best[canonical] = Candidate(
                    canonical, candidate.score, candidate.matched_text, candidate.match_type
                )
        ranked = list(best.values())
        if len(ranked) > 1:
            context = self._context(tokens, start, end)
            hits = {canonical: self._context_hits(members[canonical], context) for canonical in best}
            ranked.sort(key=lambda c: (-c.score, -hits[c.curie]))
        return tuple(ranked)

    def _score(self, term: _Term, surface: tuple[str, ...]) -> Candidate:
        curie, text, kind = term
        base = TYPE_SCORES.get(kind, _DEFAULT_SCORE)
        # Exact: the same raw words as the term, up to case, accents and punctuation (and elision).
        if term_surface(text, self.lang) == surface:
            return Candidate(curie, base, text, _match_type(kind))
        score = min(base, VARIANT_SCORE) if base >= VARIANT_SCORE else round(base - 0.05, 2)
        return Candidate(curie, score, text, "variant")

    def _context(self, tokens: Sequence[str], start: int, end: int) -> frozenset[str]:
        stop = STOP_WORDS.get(self.lang, frozenset())
        window = [*tokens[max(0, start - CONTEXT_WINDOW) : start], *tokens[end : end + CONTEXT_WINDOW]]
        inside = set(tokens[start:end])
        return frozenset(
            word
            for word in window
            if len(word) >= _MIN_CONTEXT_WORD and word not in stop and word not in inside
        )

    def _context_hits(self, curies: list[str], context: frozenset[str]) -> int:
        vocabulary = {word for curie in curies for key in self._concept_keys.get(curie, ()) for word in key}
        return len(context & vocabulary)
