"""The matcher's read-only index: phrase keys and abbreviations to terms, in tries and flat arrays.

Why not dicts: a dict from token tuples to term tuples held ~470 MiB per million terms (measured,
``docs/benchmarks.md``), so a UMLS-size lexicon (millions of strings) would not fit beside the
pipelines, and every process (gunicorn workers, ingest workers) held a copy of its own. Here the keys,
abbreviations, curies and term texts live in marisa tries (a few bytes per key: the shared set's
109,000 English keys take 0.7 MB) and the postings in numpy arrays. :meth:`Lexicon.save` writes them to
a folder that :meth:`Lexicon.open` memory-maps: the OS pages in what matching reads and shares the pages
between processes, so resident memory no longer grows with the lexicon.

A key is its words joined and ended by ``SEP``: the trie's prefixes of a run of joined tokens are then
exactly the keys that start at the run's first token, longest last, each ending at a word boundary.
"""

from __future__ import annotations

import json
import mmap
from array import array
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path

import marisa_trie
import numpy as np

SEP = "\x1f"  # unit separator: never in a normalised word
# One indexed term: (curie, term text, term type).
Term = tuple[str, str, str]
_ARRAYS = (
    "key_start",
    "key_terms",
    "acronym_start",
    "acronym_terms",
    "term_table",
    "concept_links",
    "concept_canonical",
    "concept_key_start",
    "concept_keys",
)
_TRIES = ("keys", "acronyms", "curies", "texts")
_META = "lexicon.json"
_WORDS_CACHE = 1 << 14
_TERMS_CACHE = 1 << 16


class LexiconError(ValueError):
    """A lexicon folder is missing a file or holds another layout."""


def joined(words: Sequence[str]) -> str:
    """The trie key of a token sequence."""
    return SEP.join(words) + SEP


def _postings(groups: Iterable[tuple[int, Sequence[int]]], size: int) -> tuple[np.ndarray, np.ndarray]:
    """``(start, items)`` arrays: the items of group ``g`` are ``items[start[g]:start[g + 1]]``."""
    # Typed arrays, not lists: 8 and 4 bytes an entry instead of a pointer and an int object each.
    owners, items = array("q"), array("I")
    for owner, members in groups:
        owners.extend([owner] * len(members))
        items.extend(members)
    owner_array = np.frombuffer(owners, dtype=np.int64) if owners else np.zeros(0, dtype=np.int64)
    order = np.argsort(owner_array, kind="stable")  # keeps each group's order: build order breaks ties
    start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner_array, minlength=size), out=start[1:])
    item_array = np.frombuffer(items, dtype=np.uint32) if items else np.zeros(0, dtype=np.uint32)
    return start, item_array[order]


class Lexicon:
    """Phrase keys, abbreviations and concepts of a compiled matcher; build with :meth:`freeze`."""

    def __init__(
        self,
        tries: Mapping[str, marisa_trie.Trie],
        arrays: Mapping[str, np.ndarray],
        *,
        kinds: Sequence[str],
        max_words: int,
    ) -> None:
        self._keys, self._acronyms = tries["keys"], tries["acronyms"]
        self._curies, self._texts = tries["curies"], tries["texts"]
        self._tries = dict(tries)
        self._arrays = dict(arrays)
        self.kinds = tuple(kinds)
        self.max_words = max_words
        # Bound per instance: frequent keys ("pain", "fever") and the concepts of ties come back at
        # every document; decoding them from the arrays costs more than the trie walk.
        self.concept_words = lru_cache(maxsize=_WORDS_CACHE)(self._concept_words)
        # Keys that start a joined text, shortest first (one C call, usually an empty list).
        self.prefixes = self._keys.prefixes
        self.prefix_terms = lru_cache(maxsize=_TERMS_CACHE)(self._decode_prefix)

    @classmethod
    def freeze(
        cls,
        phrases: Mapping[tuple[str, ...], Sequence[Term]],
        acronyms: Mapping[str, Sequence[Term]],
        concept_keys: Mapping[str, Iterable[tuple[str, ...]]],
        *,
        links: Mapping[str, int],
        equivalents: Mapping[str, str],
    ) -> Lexicon:
        """Compile the build's dicts (each key's terms in build order) into tries and arrays.

        Only the concepts that have a term or abbreviation here keep their links and equivalent.
        """
        known = {term[0] for terms in phrases.values() for term in terms}
        known.update(term[0] for terms in acronyms.values() for term in terms)
        canonicals = {equivalents[curie] for curie in known if curie in equivalents}
        curies = marisa_trie.Trie(known | canonicals)
        term_ids: dict[Term, int] = {}
        for terms in (*phrases.values(), *acronyms.values()):
            for term in terms:
                term_ids.setdefault(term, len(term_ids))
        texts = marisa_trie.Trie({text for _, text, _ in term_ids})
        kinds = sorted({kind for _, _, kind in term_ids})
        kind_index = {kind: index for index, kind in enumerate(kinds)}
        keys = marisa_trie.Trie(joined(key) for key in phrases)
        acronym_trie = marisa_trie.Trie(acronyms)
        concept_of = curies.key_id
        arrays: dict[str, np.ndarray] = {}
        arrays["key_start"], arrays["key_terms"] = _postings(
            ((keys.key_id(joined(key)), [term_ids[t] for t in terms]) for key, terms in phrases.items()),
            len(keys),
        )
        arrays["acronym_start"], arrays["acronym_terms"] = _postings(
            ((acronym_trie.key_id(raw), [term_ids[t] for t in terms]) for raw, terms in acronyms.items()),
            len(acronym_trie),
        )
        # One row per distinct term: concept id, text id, kind index.
        table = np.empty((len(term_ids), 3), dtype=np.uint32)
        for row, (curie, text, kind) in enumerate(term_ids):
            table[row] = (concept_of(curie), texts.key_id(text), kind_index[kind])
        arrays["term_table"] = table
        concept_links = np.zeros(len(curies), dtype=np.uint32)
        canonical = np.arange(len(curies), dtype=np.uint32)
        for curie in known:
            concept_links[concept_of(curie)] = links.get(curie, 0)
            if curie in equivalents:
                canonical[concept_of(curie)] = concept_of(equivalents[curie])
        arrays["concept_links"], arrays["concept_canonical"] = concept_links, canonical
        arrays["concept_key_start"], arrays["concept_keys"] = _postings(
            (
                (concept_of(curie), sorted({keys.key_id(joined(key)) for key in own}))
                for curie, own in concept_keys.items()
                if curie in known
            ),
            len(curies),
        )
        tries = {"keys": keys, "acronyms": acronym_trie, "curies": curies, "texts": texts}
        max_words = max((len(key) for key in phrases), default=0)
        return cls(tries, arrays, kinds=kinds, max_words=max_words)

    def save(self, folder: Path) -> None:
        """Write the tries, arrays and layout to ``folder`` (created; its files replaced)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in _TRIES:
            self._tries[name].save(str(folder / f"{name}.marisa"))
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", self._arrays[name], allow_pickle=False)
        meta = {"kinds": list(self.kinds), "max_words": self.max_words}
        (folder / _META).write_text(json.dumps(meta), encoding="utf-8")

    @classmethod
    def open(cls, folder: Path) -> Lexicon:
        """Memory-map a folder written by :meth:`save`.

        Raises:
            LexiconError: a file is missing or unreadable.
        """
        try:
            meta = json.loads((folder / _META).read_text(encoding="utf-8"))
            tries = {}
            for name in _TRIES:
                trie = marisa_trie.Trie()
                trie.mmap(str(folder / f"{name}.marisa"))
                tries[name] = trie
            # Plain views of the maps: np.memmap indexes through Python code, ndarray in C.
            arrays = {
                name: np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
                for name in _ARRAYS
            }
            lexicon = cls(tries, arrays, kinds=meta["kinds"], max_words=int(meta["max_words"]))
        except (OSError, ValueError, KeyError, TypeError, RuntimeError) as error:
            raise LexiconError(f"{folder}: not a readable lexicon ({error})") from error
        lexicon.check()
        return lexicon

    @property
    def mapped(self) -> bool:
        """True when every array is a view of a memory-mapped file (opened, not built here)."""
        return all(
            isinstance(array.base, np.memmap) and isinstance(array.base.base, mmap.mmap)
            for array in self._arrays.values()
        )

    def check(self) -> None:
        """Raise :class:`LexiconError` unless the arrays fit the tries (files from different builds)."""
        sizes = {
            "key_start": len(self._keys) + 1,
            "acronym_start": len(self._acronyms) + 1,
            "concept_links": len(self._curies),
            "concept_canonical": len(self._curies),
            "concept_key_start": len(self._curies) + 1,
        }
        arrays = self._arrays
        wrong = [name for name, size in sizes.items() if len(arrays[name]) != size]
        table = arrays["term_table"]
        if table.ndim != 2 or table.shape[1] != 3:
            wrong.append("term_table")
        if wrong:
            raise LexiconError(f"lexicon arrays do not fit its tries: {', '.join(wrong)}")

    def _terms(self, start: np.ndarray, items: np.ndarray, owner: int) -> tuple[Term, ...]:
        first, end = start[owner : owner + 2].tolist()
        rows = self._arrays["term_table"][items[first:end]].tolist()
        restore_curie, restore_text, kinds = self._curies.restore_key, self._texts.restore_key, self.kinds
        return tuple(
            (restore_curie(concept), restore_text(text), kinds[kind]) for concept, text, kind in rows
        )

    def _decode_prefix(self, prefix: str) -> tuple[Term, ...]:
        return self._terms(self._arrays["key_start"], self._arrays["key_terms"], self._keys.key_id(prefix))

    def terms(self, key: Sequence[str]) -> tuple[Term, ...]:
        """The terms indexed under ``key`` (normalised words), in build order; ``()`` when none."""
        text = joined(key)
        return self.prefix_terms(text) if text in self._keys else ()

    def runs(self, text: str) -> list[tuple[int, tuple[Term, ...]]]:
        """``(words, terms)`` of every key that starts ``text`` (tokens joined by :func:`joined`),
        shortest first."""
        return [(prefix.count(SEP), self.prefix_terms(prefix)) for prefix in self.prefixes(text)]

    def acronym_terms(self, raw: str) -> tuple[Term, ...]:
        """Abbreviation terms written exactly ``raw``; ``()`` when none."""
        found = self._acronyms.get(raw)
        if found is None:
            return ()
        return self._terms(self._arrays["acronym_start"], self._arrays["acronym_terms"], found)

    def _concept_words(self, curie: str) -> frozenset[str]:
        concept = self._curies.get(curie)
        if concept is None:
            return frozenset()
        start, keys = self._arrays["concept_key_start"], self._arrays["concept_keys"]
        restore = self._keys.restore_key
        first, end = start[concept : concept + 2].tolist()
        own = keys[first:end].tolist()
        return frozenset(word for key_id in own for word in restore(key_id).split(SEP) if word)

    def links(self, curie: str) -> int:
        """Concepts ``curie`` is mapped to (0 when unknown)."""
        concept = self._curies.get(curie)
        return 0 if concept is None else int(self._arrays["concept_links"][concept])

    def canonical(self, curie: str) -> str:
        """The curie that stands for ``curie``'s exact-match class (itself when none)."""
        concept = self._curies.get(curie)
        if concept is None:
            return curie
        return str(self._curies.restore_key(int(self._arrays["concept_canonical"][concept])))

    def link_counts(self) -> dict[str, int]:
        """Every concept with links and its count (for inspection: it reads the whole table)."""
        counts = self._arrays["concept_links"]
        return {
            str(curie): int(counts[concept]) for curie, concept in self._curies.items() if counts[concept]
        }
