"""Compiling a matcher's lexicon: the keys each term is indexed under, gathered in a :class:`BuildStore`
on disk, then frozen into tries and arrays.

What a term is indexed under: its keys (:func:`nlp.matcher.normalise.term_keys`: full form, hyphens
joined, English inversions, inner stop words left out), each of its coordinated complements with the
head (:mod:`nlp.matcher.coordinated_terms`: "tumeur maligne du poumon" for "Tumeur maligne des bronches
et du poumon"), and their organ and head swaps
(:mod:`nlp.matcher.relational_adjectives`: "cancer prostatique" for "cancer de la prostate", "cancer
du côlon" for "tumeur maligne du côlon"); a subtype-free name that only one concept's
subtyped term strips to ("myotonic dystrophy type 1" → "myotonic dystrophy", as a narrow term), or,
when several subtypes share it, their common parent's (see :meth:`LexiconBuilder.name_common_parents`);
the curated abbreviations, through the terms their expansion matches; and the curated derived forms
("diabétique", "asthmatic"), through the terms they derive from. Keys keep their terms in
build order, which breaks the last ties between candidates.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from itertools import chain

import marisa_trie
import numpy as np

from nlp.matcher.abbreviations import Abbreviation, is_acronym, load_abbreviations
from nlp.matcher.build_store import BuildStore
from nlp.matcher.coordinated_terms import complement_terms
from nlp.matcher.derived_forms import DerivedForm, load_derived_forms
from nlp.matcher.lexicon import SEP, Lexicon, joined
from nlp.matcher.normalise import STOP_WORDS, normalise_word, term_keys, without_subtype
from nlp.matcher.relational_adjectives import Key, TermVariants, shipped_variants
from nlp.model import TermEntry

# Parents (IS_A) of the given concepts; concepts without a parent may be absent.
ParentsOf = Callable[[Sequence[str]], Mapping[str, Collection[str]]]
_NARROW = "narrow"
DERIVED = "derived"  # a curated derived form ("diabétique"): scored as a variant of its term
PART = "part"  # a coordinated complement with its head ("tumeur maligne du poumon"): under any term
_BROAD = "broad"
# Heads too general to show that a parent is named by a subtype-free name: "trichorhinophalangeal
# syndrome" (types I-III) is not DOID's "syndrome", which all three are filed under.
_GENERIC_HEADS = {
    "en": ("disease", "disorder", "syndrome", "condition", "abnormality"),
    "fr": ("maladie", "trouble", "syndrome", "affection", "anomalie"),
}


def _words(key: str) -> set[str]:
    return {word for word in key.split(SEP) if word}


def _postings(
    pairs: Iterable[tuple[int, int]], size: int, *, sort_items: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """``(start, items)`` arrays of ``(owner, item)`` pairs: the items of owner ``g`` are
    ``items[start[g]:start[g + 1]]``, in the pairs' order (ascending with ``sort_items``)."""
    # Typed arrays, not lists: 8 and 4 bytes a posting instead of a pointer and an int object each.
    owners, items = array("q"), array("I")
    for owner, item in pairs:
        owners.append(owner)
        items.append(item)
    owner_array = np.frombuffer(owners, dtype=np.int64) if owners else np.zeros(0, dtype=np.int64)
    item_array = np.frombuffer(items, dtype=np.uint32) if items else np.zeros(0, dtype=np.uint32)
    # Stable: each owner keeps its pairs' order, the build order that breaks ties between terms.
    order = np.lexsort((item_array, owner_array)) if sort_items else np.argsort(owner_array, kind="stable")
    start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner_array, minlength=size), out=start[1:])
    return start, item_array[order]


class LexiconBuilder:
    """Gathers one language's keys and terms; :meth:`freeze` turns them into a :class:`Lexicon`.

    The rows wait in a :class:`BuildStore` (a temporary SQLite file in the system's temporary folder),
    so the build holds no Python objects per term, only, while freezing, the flat tries and arrays the
    lexicon is made of. Whoever creates a builder calls :meth:`close`, which removes the file.
    """

    def __init__(self, lang: str, *, variants: TermVariants | None = None) -> None:
        self.lang = lang
        # Organ nouns and their adjectives, heads and their synonyms (the shipped lists unless given).
        self._relational = variants if variants is not None else shipped_variants(lang)
        self.term_count = 0  # terms added, abbreviations included
        self.max_words = 0
        self._store = BuildStore()

    def close(self) -> None:
        self._store.close()

    def add_entries(self, entries: Iterable[TermEntry], langs: Collection[str]) -> None:
        """Index the entries in ``langs`` (read once)."""
        for entry in entries:
            if entry.lang in langs:
                self._add(entry.curie, entry.text, entry.type, subtyped=True)
                if entry.type == "label":
                    self._store.add("labels", (entry.curie, entry.text))

    def name_subtypes(self, parents: ParentsOf | None) -> None:
        """Index the subtype-free names: "myotonic dystrophy type 1" also for "myotonic dystrophy"
        when no other concept's term strips to that (a narrow term, scored under any variant: the
        concept is narrower than such a mention); a name several subtypes share names their common
        parent when ``parents`` says which it is (:meth:`name_common_parents`), nothing otherwise."""
        store = self._store
        shared: dict[str, frozenset[str]] = {}  # only the names several subtypes share: a few
        for key, members in store.broader_groups():
            if len(members) == 1:
                ((curie, text),) = members
                self._index(key, store.add_term((curie, text, _NARROW)), curie)
            elif not store.has_key(key):
                shared[key] = frozenset(curie for curie, _text in members)
        if shared and parents is not None:
            self.name_common_parents(shared, parents)

    def name_common_parents(self, shared: Mapping[str, frozenset[str]], parents: ParentsOf) -> None:
        """Index each subtype-free name (a joined key) shared by several subtypes under their common
        parent.

        The subtypes must have exactly one parent in common, and that parent a term whose words,
        general heads ("disease", "syndrome") left out, are all in the name: DOID files "myotonic
        dystrophy type 1" and "type 2" under "myotonic disease", which "myotonic dystrophy" names;
        subtypes filed under "syndrome" or "muscular disease" say nothing of what their shared name
        denotes. A broad term: the name may be narrower than the parent. ``parents`` is called once.
        """
        store = self._store
        parents_of = parents(sorted(set().union(*shared.values())))
        generic = frozenset(normalise_word(word, self.lang) for word in _GENERIC_HEADS.get(self.lang, ()))
        stop = STOP_WORDS.get(self.lang, frozenset())
        for key, subtypes in shared.items():
            common = frozenset.intersection(*(frozenset(parents_of.get(curie, ())) for curie in subtypes))
            if len(common) != 1:
                continue
            (parent,) = common
            words = _words(key)
            named = any(
                (content := _words(parent_key) - generic - stop) and content <= words
                for parent_key in store.concept_keys(parent)
            )
            label = store.label(parent) if named else None
            if label is not None:
                self._index(key, store.add_term((parent, label, _BROAD)), parent)

    def add_abbreviations(self, rows: Iterable[Abbreviation] | None) -> None:
        """Curated abbreviations of this language (the shipped list when ``None``), each indexed for
        the concepts whose label or exact synonym its expansion is.

        An acronym's term text is its expansion, its sense: "DM" matched as "diabetes mellitus" says
        which reading was taken, and the matcher tells the senses of one acronym apart by it.
        """
        for row in load_abbreviations() if rows is None else rows:
            if row.lang != self.lang:
                continue
            for curie in self._concepts_named(row.expansion):
                self._add(curie, row.abbreviation, "abbreviation", subtyped=False, sense=row.expansion)

    def add_derived_forms(self, rows: Iterable[DerivedForm] | None) -> None:
        """Curated derived forms of this language (the shipped list when ``None``): each form indexed
        for the concepts whose label or exact synonym its term is, with that term's text, so that
        "diabétique" matches as a variant of "diabète" and says so."""
        for row in load_derived_forms() if rows is None else rows:
            if row.lang != self.lang:
                continue
            keys = [joined(key) for key in term_keys(row.form, lang=self.lang)]
            for curie, text in self._concepts_named(row.term).items():
                self.term_count += 1
                term = self._store.add_term((curie, text, DERIVED))
                for key in keys:
                    self._index(key, term, curie)

    def _concepts_named(self, text: str) -> dict[str, str]:
        """The concepts whose label or exact synonym ``text`` is (compared by keys), each with that
        term's own text, in build order: what a curated abbreviation or derived form stands for."""
        named: dict[str, str] = {}
        for key in term_keys(text, lang=self.lang):
            for curie, term_text, term_type in self._store.terms(joined(key)):
                if term_type in ("label", "exact"):
                    named.setdefault(curie, term_text)
        return named

    def freeze(self, *, links: Mapping[str, int], equivalents: Mapping[str, str]) -> Lexicon:
        """The compact lexicon of everything added (only the concepts it can propose keep their links
        and equivalent: the graph's counts cover every terminology)."""
        store = self._store
        store.number_terms()
        known = store.known_curies
        curies = marisa_trie.Trie(chain(known(), (equivalents[c] for c in known() if c in equivalents)))
        texts = marisa_trie.Trie(store.texts())
        kinds = store.kinds()
        keys = marisa_trie.Trie(store.keys())
        acronyms = marisa_trie.Trie(store.acronyms())
        concept_of = curies.key_id
        arrays: dict[str, np.ndarray] = {}
        arrays["key_start"], arrays["key_terms"] = _postings(
            ((keys.key_id(key), term) for key, term in store.key_postings()), len(keys)
        )
        arrays["acronym_start"], arrays["acronym_terms"] = _postings(
            ((acronyms.key_id(raw), term) for raw, term in store.acronym_postings()), len(acronyms)
        )
        # One row per distinct term: concept id, text id, kind index.
        kind_index = {kind: index for index, kind in enumerate(kinds)}
        table = np.empty((store.numbered(), 3), dtype=np.uint32)
        for row, (curie, text, kind) in enumerate(store.term_table()):
            table[row] = (concept_of(curie), texts.key_id(text), kind_index[kind])
        arrays["term_table"] = table
        concept_links = np.zeros(len(curies), dtype=np.uint32)
        canonical = np.arange(len(curies), dtype=np.uint32)
        for curie in known():
            concept_links[concept_of(curie)] = links.get(curie, 0)
            if curie in equivalents:
                canonical[concept_of(curie)] = concept_of(equivalents[curie])
        arrays["concept_links"], arrays["concept_canonical"] = concept_links, canonical
        # Each concept's keys in key-id order (the pairs come distinct, in no order).
        arrays["concept_key_start"], arrays["concept_keys"] = _postings(
            ((concept_of(curie), keys.key_id(key)) for curie, key in store.known_concept_keys()),
            len(curies),
            sort_items=True,
        )
        tries = {"keys": keys, "acronyms": acronyms, "curies": curies, "texts": texts}
        return Lexicon(tries, arrays, kinds=kinds, max_words=self.max_words)

    def _add(
        self, curie: str, text: str, term_type: str, *, subtyped: bool, sense: str | None = None
    ) -> None:
        store = self._store
        self.term_count += 1
        if term_type == "abbreviation" and is_acronym(text.strip()):
            row = store.add_term((curie, sense or text, term_type))
            store.add("acronyms", (text.strip(), row))
            return
        keys = term_keys(text, lang=self.lang)
        row = store.add_term((curie, text, term_type))
        for key in keys:
            self._index(joined(key), row, curie)
        if term_type != "abbreviation":
            # "cancer de la prostate" also as "cancer prostatique", "tumeur maligne du côlon" also as
            # "cancer du côlon", and the other way round.
            variants = {variant for key in keys for variant in self._relational(key)} - set(keys)
            for variant in variants:
                self._index(joined(variant), row, curie)
            self._add_parts(curie, text, indexed={*keys, *variants})
        if subtyped and term_type in ("label", "exact"):
            stripped = without_subtype(keys[0]) if keys else None
            if stripped:
                store.add("broader", (joined(stripped), curie, text))

    def _add_parts(self, curie: str, text: str, *, indexed: set[Key]) -> None:
        """Index each coordinated complement of ``text`` with its head ("Tumeur maligne des bronches et
        du poumon" → "tumeur maligne du poumon", and its swaps: "cancer du poumon") under a row of kind
        ``part``, which ranks below any term of its own: "tumeur maligne du médiastin" is C38.3's
        before it is a part of C38's "du coeur, du médiastin et de la plèvre"."""
        lang = self.lang
        parts = {key for piece in complement_terms(text, lang) for key in term_keys(piece, lang=lang)}
        if not parts:
            return
        keys = parts | {variant for key in parts for variant in self._relational(key)}
        row = self._store.add_term((curie, text, PART))
        for key in keys - indexed:
            self._index(joined(key), row, curie)

    def _index(self, key: str, row: int, curie: str) -> None:
        self._store.add("postings", (key, row))
        self._store.add("concept_keys", (curie, key))
        self.max_words = max(self.max_words, key.count(SEP))
