"""Compiling a matcher's lexicon: the keys each term is indexed under, gathered in dicts, then frozen.

What a term is indexed under: its keys (:func:`nlp.matcher.normalise.term_keys`: full form, hyphens
joined, English inversions, inner stop words left out); a subtype-free name that only one concept's
subtyped term strips to ("myotonic dystrophy type 1" → "myotonic dystrophy", as a narrow term), or,
when several subtypes share it, their common parent's (see :meth:`LexiconBuilder.name_common_parents`);
and the curated abbreviations, through the terms their expansion matches. Keys keep their terms in
build order, which breaks the last ties between candidates.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence

from nlp.matcher.abbreviations import Abbreviation, is_acronym, load_abbreviations
from nlp.matcher.lexicon import Lexicon, Term
from nlp.matcher.normalise import STOP_WORDS, normalise_word, term_keys, without_subtype
from nlp.model import TermEntry

# Parents (IS_A) of the given concepts; concepts without a parent may be absent.
ParentsOf = Callable[[Sequence[str]], Mapping[str, Collection[str]]]
_NARROW = sys.intern("narrow")
_BROAD = sys.intern("broad")
# Heads too general to show that a parent is named by a subtype-free name: "trichorhinophalangeal
# syndrome" (types I-III) is not DOID's "syndrome", which all three are filed under.
_GENERIC_HEADS = {
    "en": ("disease", "disorder", "syndrome", "condition", "abnormality"),
    "fr": ("maladie", "trouble", "syndrome", "affection", "anomalie"),
}


class LexiconBuilder:
    """Gathers one language's keys and terms; :meth:`freeze` turns them into a :class:`Lexicon`."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.term_count = 0  # terms added, abbreviations included
        self._phrases: dict[tuple[str, ...], list[Term]] = {}
        self._acronyms: dict[str, list[Term]] = {}
        self._concept_keys: dict[str, list[tuple[str, ...]]] = {}
        # Subtype-free name → the concepts whose label or exact synonym strips to it.
        self._broader: dict[tuple[str, ...], dict[str, Term]] = {}
        self._labels: dict[str, str] = {}

    def add_entries(self, entries: Iterable[TermEntry], langs: Collection[str]) -> None:
        """Index the entries in ``langs`` (read once)."""
        for entry in entries:
            if entry.lang in langs:
                self._add(entry.curie, entry.text, entry.type, subtyped=True)
                if entry.type == "label":
                    self._labels.setdefault(entry.curie, entry.text)

    def name_subtypes(self, parents: ParentsOf | None) -> None:
        """Index the subtype-free names: "myotonic dystrophy type 1" also for "myotonic dystrophy"
        when no other concept's term strips to that (a narrow term, scored under any variant: the
        concept is narrower than such a mention); a name several subtypes share names their common
        parent when ``parents`` says which it is (:meth:`name_common_parents`), nothing otherwise."""
        shared: dict[tuple[str, ...], frozenset[str]] = {}
        for key, terms in self._broader.items():
            if len(terms) == 1:
                (term,) = terms.values()
                self._index(key, term, self._concept_keys.setdefault(term[0], []))
            elif key not in self._phrases:
                shared[key] = frozenset(terms)
        if shared and parents is not None:
            self.name_common_parents(shared, parents)

    def name_common_parents(
        self, shared: Mapping[tuple[str, ...], frozenset[str]], parents: ParentsOf
    ) -> None:
        """Index each subtype-free name shared by several subtypes under their common parent.

        The subtypes must have exactly one parent in common, and that parent a term whose words,
        general heads ("disease", "syndrome") left out, are all in the name: DOID files "myotonic
        dystrophy type 1" and "type 2" under "myotonic disease", which "myotonic dystrophy" names;
        subtypes filed under "syndrome" or "muscular disease" say nothing of what their shared name
        denotes. A broad term: the name may be narrower than the parent. ``parents`` is called once.
        """
        parents_of = parents(sorted(set().union(*shared.values())))
        generic = frozenset(normalise_word(word, self.lang) for word in _GENERIC_HEADS.get(self.lang, ()))
        stop = STOP_WORDS.get(self.lang, frozenset())
        for key, subtypes in shared.items():
            common = frozenset.intersection(*(frozenset(parents_of.get(curie, ())) for curie in subtypes))
            if len(common) != 1:
                continue
            (parent,) = common
            words = set(key)
            named = any(
                (content := set(parent_key) - generic - stop) and content <= words
                for parent_key in self._concept_keys.get(parent, ())
            )
            if named and parent in self._labels:
                self._index(key, (parent, self._labels[parent], _BROAD), self._concept_keys[parent])

    def add_abbreviations(self, rows: Iterable[Abbreviation] | None) -> None:
        """Curated abbreviations of this language (the shipped list when ``None``), each indexed for
        the concepts whose label or exact synonym its expansion is."""
        for row in load_abbreviations() if rows is None else rows:
            if row.lang != self.lang:
                continue
            seen: set[str] = set()
            for key in term_keys(row.expansion, lang=self.lang):
                for curie, _text, term_type in self._phrases.get(key, ()):
                    if term_type in ("label", "exact") and curie not in seen:
                        seen.add(curie)
                        self._add(curie, row.abbreviation, "abbreviation", subtyped=False)

    def freeze(self, *, links: Mapping[str, int], equivalents: Mapping[str, str]) -> Lexicon:
        """The compact lexicon of everything added (only the concepts it can propose keep their links:
        the graph's counts cover every terminology)."""
        return Lexicon.freeze(
            self._phrases, self._acronyms, self._concept_keys, links=links, equivalents=equivalents
        )

    def _add(self, curie: str, text: str, term_type: str, *, subtyped: bool) -> None:
        curie = sys.intern(curie)
        term: Term = (curie, text, sys.intern(term_type))
        self.term_count += 1
        if term_type == "abbreviation" and is_acronym(text.strip()):
            self._acronyms.setdefault(text.strip(), []).append(term)
            return
        concept_keys = self._concept_keys.setdefault(curie, [])
        keys = term_keys(text, lang=self.lang)
        for raw_key in keys:
            self._index(raw_key, term, concept_keys)
        if subtyped and term_type in ("label", "exact"):
            stripped = without_subtype(keys[0]) if keys else None
            if stripped:
                self._broader.setdefault(stripped, {}).setdefault(curie, (curie, text, _NARROW))

    def _index(self, raw_key: tuple[str, ...], term: Term, concept_keys: list[tuple[str, ...]]) -> None:
        key = tuple(sys.intern(word) for word in raw_key)
        self._phrases.setdefault(key, []).append(term)
        concept_keys.append(key)
