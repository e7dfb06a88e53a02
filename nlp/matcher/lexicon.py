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
from collections.abc import Mapping, Sequence
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


class Lexicon:
    """Phrase keys, abbreviations and concepts of a compiled matcher; built by
    :class:`~nlp.matcher.builder.LexiconBuilder`, saved and memory-mapped here."""

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
