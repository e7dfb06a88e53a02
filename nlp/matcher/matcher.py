"""Terminology matcher over normalised tokens (no spaCy in here).

Built by :mod:`nlp.matcher.builder` (keys and terms gathered in a scratch file on disk), then frozen
into a :class:`~nlp.matcher.lexicon.Lexicon`: tries and flat arrays, memory-mapped from the disk cache,
so that processes share its pages instead of each holding a copy. Matching at a token is one trie walk
over the joined tokens that follow it, which yields every key starting there. Short all-caps
abbreviations live in a separate trie keyed by the raw token, so ``IC`` matches and the French word
``ic`` or lower-case text does not.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nlp.matcher.abbreviations import Abbreviation
from nlp.matcher.build_store import scratch_error
from nlp.matcher.builder import DERIVED, PART, LexiconBuilder, ParentsOf
from nlp.matcher.coordination import head_final, head_initial
from nlp.matcher.derived_forms import DerivedForm
from nlp.matcher.lexicon import SEP, Lexicon, LexiconError, Term, joined
from nlp.matcher.modifiers import noun_phrases
from nlp.matcher.normalise import (
    STOP_WORDS,
    NormToken,
    folded_words,
    tokenize,
)
from nlp.matcher.parentheses import parenthesised_gaps
from nlp.model import Candidate, Mention, TermEntry

# Bump when the cached layout or what the build indexes changes: caches of another version are rebuilt.
# 2: links, gaps, inverted and subtype-free keys; 4: subtypes' common parent; 5: tries and arrays; 6: an
# acronym's term text is its expansion (its sense); 7: complement components' short names, "deficient";
# 8: ICD-10 names without ", sans précision"; 9: derived forms ("diabétique"); 10: organ and head swaps
# ("cancer prostatique", "cancer du côlon"); 11: coordinated complements ("tumeur maligne du poumon"), a
# concept's terms exported in a fixed order (labels first)
FORMAT_VERSION = 11

TYPE_SCORES: Mapping[str, float] = {
    "label": 1.0,
    "exact": 0.9,
    "layperson": 0.8,
    "abbreviation": 0.7,
    DERIVED: 0.8,  # never exact: its text is the term it derives from, scored as a variant (0.8)
    PART: 0.75,  # never exact (its text is the whole term): 0.7, under the variants of any term
    "related": 0.6,
    "broad": 0.6,
    "narrow": 0.6,
}
_DEFAULT_SCORE = 0.6
_MATCHER_META = "matcher.json"
VARIANT_SCORE = 0.8  # matched only after normalisation (plural, stop words, hyphens...)
CONTEXT_WINDOW = 10  # tokens on each side read to break ties between candidates
_MIN_CONTEXT_WORD = 3

_Term = Term  # (curie, term text, term type)
# A possible match: tokens [start, end), its terms and acronyms, the gap it steps over if any.
_Proposal = tuple[int, int, Sequence[_Term], Sequence[_Term], tuple[int, int] | None]
_MAX_BEFORE_GAP = 8  # tokens of a term read before a gap it steps over
# Where coordinated terms share their head: after the conjuncts (English), before them (French).
_HEAD_ORDER = {"en": head_final, "fr": head_initial}


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
    return tuple(word for token in tokenize(text, lang=lang) for word in folded_words(token.surface, lang))


def _match_type(term_type: str) -> str:
    if term_type in ("label", "abbreviation"):
        return term_type
    return "synonym"


class TerminologyMatcher:
    """Finds terminology terms in token sequences; build with :meth:`build`.

    Ranking of the candidates of one mention: score (exact label 1.0 > exact synonym 0.9 > normalised
    variant 0.8 > abbreviation 0.7 > related/broad/narrow 0.6), then, between equal scores, the
    number of concepts the candidate is mapped to (``links``: the better connected concept leads to
    more of the graph; without it a tie between terminologies fell to curie order), then the
    number of context words (``CONTEXT_WINDOW`` tokens each side, stop words and words under three
    letters left out) found in the other terms of the concept, then build order. Concepts made equal by
    ``equivalents`` count as one candidate under the canonical curie, with the best score.

    An acronym with several senses (curated "DM": diabetes mellitus, or dystrophia myotonica) is
    decided by context first: the words around it, then the words of the whole text (a text about
    myotonic dystrophy seldom spells the disease out next to each "DM", but names it somewhere); with
    no context, by the order of the senses in the curated list (its first row is the usual reading),
    then by links between the concepts of one sense. Links alone gave "DM" to dystrophia myotonica
    everywhere, its concept being the better mapped.
    """

    def __init__(self, *, lang: str, lexicon: Lexicon, term_count: int) -> None:
        self.lang = lang
        self.lexicon = lexicon
        self.term_count = term_count  # terms it was built from, abbreviations included

    @classmethod
    def build(
        cls,
        entries: Iterable[TermEntry],
        *,
        lang: str,
        langs: Iterable[str] | None = None,
        equivalents: Mapping[str, str] | None = None,
        abbreviations: Iterable[Abbreviation] | None = None,
        derived_forms: Iterable[DerivedForm] | None = None,
        links: Mapping[str, int] | None = None,
        parents: ParentsOf | None = None,
    ) -> TerminologyMatcher:
        """Compile a matcher from terms (see :mod:`nlp.matcher.builder` for what is indexed).

        Args:
            entries: the terms (graph export); read once.
            lang: language of the texts to match; selects the normaliser.
            langs: languages of the entries to keep (default: ``lang`` only).
            equivalents: curie → canonical curie (exact mappings); merged at match time.
            abbreviations: curated abbreviations resolved through their expansion text; the list
                shipped in ``nlp/resources/abbreviations.tsv`` when ``None``, none with ``()``.
            derived_forms: curated forms naming the concepts of a term ("diabétique": diabète); the
                list shipped in ``nlp/resources/derived_forms.tsv`` when ``None``, none with ``()``.
            links: curie → number of concepts it is mapped to (exact matches, cross-references);
                breaks ties between candidates: the better connected concept leads to more of the
                graph (concepts absent count 0).
            parents: looks up the IS_A parents of the concepts that share a subtype-free name
                ("myotonic dystrophy type 1" and "... type 2"), called once; the name then denotes
                their one common parent when a term of the parent says as much (see
                :meth:`~nlp.matcher.builder.LexiconBuilder.name_common_parents`). Without it, such
                names match nothing.

        Returns:
            The matcher.

        Raises:
            MatcherBuildError: the build's scratch file could not be created or written (see
                :mod:`nlp.matcher.build_store`: it lives in ``TMPDIR``).
        """
        builder = LexiconBuilder(lang)
        try:
            builder.add_entries(entries, frozenset(langs) if langs is not None else frozenset({lang}))
            builder.name_subtypes(parents)
            builder.add_abbreviations(abbreviations)
            builder.add_derived_forms(derived_forms)
            lexicon = builder.freeze(links=links or {}, equivalents=equivalents or {})
        except sqlite3.Error as error:  # the build's scratch file: disk full, folder removed...
            raise scratch_error(error) from error
        finally:
            builder.close()  # its scratch file, also when reading the entries failed
        return cls(lang=lang, lexicon=lexicon, term_count=builder.term_count)

    @property
    def links(self) -> dict[str, int]:
        """Concept → number of concepts it is mapped to, for the concepts this matcher proposes."""
        return self.lexicon.link_counts()

    def save(self, folder: Path) -> None:
        """Write the compiled matcher to ``folder`` (see :meth:`open`)."""
        self.lexicon.save(folder)
        meta = {"format": FORMAT_VERSION, "lang": self.lang, "term_count": self.term_count}
        (folder / _MATCHER_META).write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path) -> TerminologyMatcher:
        """Memory-map a matcher written by :meth:`save`.

        Raises:
            LexiconError: a file is missing or unreadable, or the folder holds another format.
        """
        try:
            meta = json.loads((folder / _MATCHER_META).read_text(encoding="utf-8"))
            version, lang, term_count = int(meta["format"]), str(meta["lang"]), int(meta["term_count"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise LexiconError(f"{folder}: not a readable matcher ({error})") from error
        if version != FORMAT_VERSION:
            raise LexiconError(f"{folder}: matcher format {version}, expected {FORMAT_VERSION}")
        return cls(lang=lang, lexicon=Lexicon.open(folder), term_count=term_count)

    def find(
        self,
        tokens: Sequence[str],
        *,
        surfaces: Sequence[str] | None = None,
        gaps: Sequence[tuple[int, int]] = (),
    ) -> list[Match]:
        """Find terms in a normalised token sequence (see :func:`nlp.matcher.normalise.tokenize`).

        Args:
            tokens: normalised tokens of the text.
            surfaces: the raw token of each normalised one, for case-sensitive abbreviations and to
                tell exact matches from normalised variants; ``tokens`` when ``None``.
            gaps: token ranges ``[start, end)`` a term may step over (parenthesised short forms, see
                :func:`nlp.matcher.parentheses.parenthesised_gaps`); the match then covers them.

        Returns:
            Non-overlapping matches in text order: the longest wins, then the leftmost.
        """
        raw = tokens if surfaces is None else surfaces
        keys = tuple(tokens)
        count = len(keys)
        lexicon = self.lexicon
        span = lexicon.max_words
        # The tokens joined once; the keys starting at token i are the trie's prefixes of the text
        # from offsets[i] to offsets[i + span] (padded past the end: no bound check in the loop).
        text = SEP.join(keys) + SEP
        offsets = [0] * (count + 1)
        for i, key in enumerate(keys):
            offsets[i + 1] = offsets[i] + len(key) + 1
        offsets += [offsets[count]] * span
        # Bound once: this loop runs at every token of every document.
        prefixes, terms_of, acronyms_of = lexicon.prefixes, lexicon.prefix_terms, lexicon.acronym_terms
        proposals: list[_Proposal] = []
        for i in range(count):
            found = prefixes(text[offsets[i] : offsets[i + span]])  # shortest first
            word = raw[i]
            # Every abbreviation indexed is upper case: most tokens skip the look-up.
            acronyms = acronyms_of(word) if word.isupper() else ()
            # Every length is proposed: a shorter term fills in when a longer one loses an overlap.
            for prefix in reversed(found):
                length = prefix.count(SEP)
                proposals.append((i, i + length, terms_of(prefix), acronyms if length == 1 else (), None))
            if acronyms and not (found and found[0].count(SEP) == 1):
                proposals.append((i, i + 1, (), acronyms, None))
        for gap in gaps:
            proposals.extend(self._across(keys, gap))
        proposals.sort(key=lambda p: (p[0] - p[1], p[0]))
        taken = [False] * len(tokens)
        matches: list[Match] = []
        for start, end, terms, abbreviations, skipped in proposals:
            if any(taken[start:end]):
                continue
            taken[start:end] = [True] * (end - start)
            candidates = self._rank(tokens, raw, start, end, terms, abbreviations, skipped)
            matches.append(Match(start, end, candidates))
        matches.sort(key=lambda m: m.start)
        return matches

    def _across(self, keys: tuple[str, ...], gap: tuple[int, int]) -> list[_Proposal]:
        """Terms that start before the gap and end after it, read as if the gap were not there."""
        gap_start, gap_end = gap
        found: list[_Proposal] = []
        lexicon = self.lexicon
        for start in range(max(0, gap_start - _MAX_BEFORE_GAP), gap_start):
            before = keys[start:gap_start]
            after = keys[gap_end : gap_end + max(0, lexicon.max_words - len(before))]
            for length, hits in lexicon.runs(joined((*before, *after))):
                if length > len(before):
                    found.append((start, gap_end + length - len(before), hits, [], gap))
        return found

    def find_text(self, text: str) -> list[Mention]:
        """Tokenise ``text`` with the matcher's language and return its mentions (character offsets)."""
        tokens = tokenize(text, lang=self.lang)
        mentions = []
        for match in self.find_phrases(text, tokens):
            start, end = tokens[match.start].start, tokens[match.end - 1].end
            mentions.append(Mention(start=start, end=end, text=text[start:end], candidates=match.candidates))
        return mentions

    def find_phrases(self, text: str, tokens: Sequence[NormToken]) -> list[Match]:
        """:meth:`find` on a text's tokens, reading the text around the terms.

        Terms may step over parenthesised short forms ("von Hippel-Lindau (VHL) disease"), and the
        conjuncts that share a term's head become mentions of their own ("breast and ovarian cancer":
        "breast" as breast cancer), see :mod:`nlp.matcher.coordination`. Terms side by side make one
        mention of the head's concepts ("X-linked spastic paraplegia"), see :mod:`nlp.matcher.modifiers`.

        Args:
            text: the text.
            tokens: its tokens (:func:`nlp.matcher.normalise.tokenize`; their offsets index ``text``).
        """
        norms, surfaces = [t.norm for t in tokens], [t.surface for t in tokens]
        found = self.find(norms, surfaces=surfaces, gaps=parenthesised_gaps(text, tokens))
        found = self._with_conjuncts(text, tokens, norms, surfaces, found)
        spans = [(match.start, match.end) for match in found]
        phrases = noun_phrases(text, tokens, spans, lang=self.lang)
        if len(phrases) == len(found):  # nothing joined: the matches as they are
            return found
        return [Match(start, end, found[head].candidates) for start, end, head in phrases]

    def _with_conjuncts(
        self,
        text: str,
        tokens: Sequence[NormToken],
        norms: Sequence[str],
        surfaces: Sequence[str],
        matches: list[Match],
    ) -> list[Match]:
        expand = _HEAD_ORDER.get(self.lang)
        if expand is None or not any(match.end - match.start > 1 for match in matches):
            return matches
        owner: dict[int, Match] = {}  # token → its match, filled at the first conjunct proposed
        added: dict[int, Match] = {}

        def propose(start: int, end: int, keys: Sequence[tuple[str, ...]]) -> bool:
            if not owner:
                owner.update((index, match) for match in matches for index in range(match.start, match.end))
            held = owner.get(start)
            # A longer match of the conjunct's own words is better evidence than the shared head.
            if held is not None and (held.start, held.end) != (start, end):
                return False
            for key in keys:
                hits = self.lexicon.terms(key)
                if hits:
                    candidates = self._rank(norms, surfaces, start, end, hits, [])
                    added[start] = Match(start, end, candidates)
                    return True
            return False

        for match in matches:
            if match.end - match.start > 1:
                expand(text, tokens, norms, (match.start, match.end), lang=self.lang, propose=propose)
        if not added:
            return matches
        kept = [match for match in matches if match.start not in added]
        return sorted([*kept, *added.values()], key=lambda match: match.start)

    def _rank(
        self,
        tokens: Sequence[str],
        raw: Sequence[str],
        start: int,
        end: int,
        terms: Sequence[_Term],
        acronyms: Sequence[_Term],
        gap: tuple[int, int] | None = None,
    ) -> tuple[Candidate, ...]:
        pieces = raw[start:end] if gap is None else [*raw[start : gap[0]], *raw[gap[1] : end]]
        surface = tuple(word for piece in pieces for word in folded_words(piece, self.lang))
        best: dict[str, Candidate] = {}
        members: dict[str, list[str]] = {}
        scored = [self._score(term, surface) for term in terms]
        scored += [
            Candidate(curie, TYPE_SCORES.get(kind, _DEFAULT_SCORE), text, "abbreviation")
            for curie, text, kind in acronyms
        ]
        canonical_of = self.lexicon.canonical
        for candidate in scored:
            canonical = canonical_of(candidate.curie)
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
            links = {canonical: self._links(members[canonical]) for canonical in best}
            if terms:
                ranked.sort(key=lambda c: (-c.score, -links[c.curie], -hits[c.curie]))
            else:  # senses of an acronym (see the class doc)
                text = self._context(tokens, start, end, window=len(tokens))
                in_text = {canonical: self._context_hits(members[canonical], text) for canonical in best}
                senses = {
                    sense: order for order, sense in enumerate(dict.fromkeys(t for _, t, _ in acronyms))
                }
                ranked.sort(
                    key=lambda c: (
                        -c.score,
                        -hits[c.curie],
                        -in_text[c.curie],
                        senses.get(c.matched_text, len(senses)),
                        -links[c.curie],
                    )
                )
        return tuple(ranked)

    def _score(self, term: _Term, surface: tuple[str, ...]) -> Candidate:
        curie, text, kind = term
        base = TYPE_SCORES.get(kind, _DEFAULT_SCORE)
        # Exact: the same raw words as the term, up to case, accents and punctuation (and elision).
        if term_surface(text, self.lang) == surface:
            return Candidate(curie, base, text, _match_type(kind))
        score = min(base, VARIANT_SCORE) if base >= VARIANT_SCORE else round(base - 0.05, 2)
        return Candidate(curie, score, text, "variant")

    def _context(
        self, tokens: Sequence[str], start: int, end: int, *, window: int = CONTEXT_WINDOW
    ) -> frozenset[str]:
        stop = STOP_WORDS.get(self.lang, frozenset())
        around = [*tokens[max(0, start - window) : start], *tokens[end : end + window]]
        inside = set(tokens[start:end])
        return frozenset(
            word
            for word in around
            if len(word) >= _MIN_CONTEXT_WORD and word not in stop and word not in inside
        )

    def _links(self, curies: list[str]) -> int:
        return max(self.lexicon.links(curie) for curie in curies)

    def _context_hits(self, curies: list[str], context: frozenset[str]) -> int:
        vocabulary = frozenset().union(*(self.lexicon.concept_words(curie) for curie in curies))
        return len(context & vocabulary)
