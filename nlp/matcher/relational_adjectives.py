"""Organ nouns and the adjectives that say them (data: ``nlp/resources/relational_adjectives.tsv``).

French clinical text says "cancer prostatique", "métastases hépatiques", "nodule pulmonaire" as often
as "cancer de la prostate", "métastases du foie", "nodule du poumon", and a terminology holds one of
the two: HPO's French names "Cancer de la prostate", CIM-10 says "Insuffisance rénale". English does
the same with fewer words ("kidney failure" / "renal failure"). Each row gives an organ noun (in
French with the article it takes after a head: "de la prostate", "du foie") and the adjectives that
stand for it; a term's keys get the other form as variant keys, in both directions: the noun after
the head in French ("cancer de la prostate" → "cancer prostatique", "métastases hépatiques" →
"métastases du foie"), before the last word in English ("lung cancer" → "pulmonary cancer"). The head
itself is never replaced: "prostate" alone is an organ, "prostatique" alone no disease.

A second list (``nlp/resources/head_synonyms.tsv``) swaps a term's head for its plain name: CIM-10
says "Tumeur maligne du côlon", "de la thyroïde", "du testicule" where a report or a query says
"cancer du côlon", "Tumeur maligne secondaire du foie" for "métastases hépatiques", and HPO's French
has no such names. A head swap applies to the term's first words
(and, in English, to its last: "breast malignant neoplasm"), alone or with an organ swap ("tumeur
maligne de la prostate" → "cancer prostatique").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from nlp.matcher.curated_lists import curated_rows
from nlp.matcher.errors import WordSwapsError
from nlp.matcher.normalise import term_keys

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "resources" / "relational_adjectives.tsv"
HEADS_PATH = DEFAULT_PATH.with_name("head_synonyms.tsv")
COLUMNS = ("noun", "lang", "adjectives", "note")
HEAD_COLUMNS = ("head", "lang", "synonyms", "note")
LANGUAGES = ("fr", "en")

Key = tuple[str, ...]


@dataclass(frozen=True)
class WordSwap:
    """A row of either list: a ``form`` (an organ noun, a head) and the ``alternatives`` that may stand
    for it (the organ's adjectives, each gender's form; the head's synonyms)."""

    form: str
    lang: str
    alternatives: tuple[str, ...]


def load_relational_adjectives(path: Path | None = None) -> tuple[WordSwap, ...]:
    """The rows of a relational-adjectives TSV (the shipped list when ``path`` is ``None``).

    Raises:
        WordSwapsError: the file lacks the columns, or a row lacks a noun or an adjective or
            names another language than French or English (file and line in the message).
    """
    return _load(path or DEFAULT_PATH, COLUMNS)


def load_head_synonyms(path: Path | None = None) -> tuple[WordSwap, ...]:
    """The rows of a head-synonyms TSV (the shipped list when ``path`` is ``None``), each a head
    ("tumeur maligne") and the names that may stand for it ("cancer").

    Raises:
        WordSwapsError: as ``load_relational_adjectives``.
    """
    return _load(path or HEADS_PATH, HEAD_COLUMNS)


def _load(source: Path, columns: tuple[str, str, str, str]) -> tuple[WordSwap, ...]:
    form, _, others, _ = columns
    rows = []
    for line, row in curated_rows(source, columns, WordSwapsError):
        alternatives = tuple(word.strip() for word in row[others].split(",") if word.strip())
        if not row[form] or not alternatives or row["lang"] not in LANGUAGES:
            raise WordSwapsError(
                f"{source}:{line}: a row needs a {form}, a language among {', '.join(LANGUAGES)} and "
                f"{others} (comma-separated)"
            )
        rows.append(WordSwap(row[form], row["lang"], alternatives))
    return tuple(rows)


def _keys(text: str, lang: str) -> set[Key]:
    """The keys of ``text`` as the words after a head: with its stop words and without them
    ("de la prostate" → ("de", "la", "prostate") and ("prostate",))."""
    # A head word first: term keys keep a text's first word, stop word or not.
    return {key[1:] for key in term_keys(f"x {text}", lang=lang) if len(key) > 1}


def _swaps(
    rows: Iterable[WordSwap], lang: str, keys_of: Callable[[str], set[Key]]
) -> dict[Key, tuple[Key, ...]]:
    """Each form of ``lang``'s rows (a key, by ``keys_of``) → the forms it may become, both ways."""
    swaps: dict[Key, set[Key]] = {}
    for row in rows:
        if row.lang != lang:
            continue
        forms = keys_of(row.form)
        alternatives = set().union(*(keys_of(alternative) for alternative in row.alternatives))
        if not forms or not alternatives:
            continue
        for form in forms:
            swaps.setdefault(form, set()).update(alternatives)
        for alternative in alternatives:
            swaps.setdefault(alternative, set()).update(forms)
    return {form: tuple(sorted(targets)) for form, targets in swaps.items()}


class RelationalVariants:
    """The variant keys of a term's key, one organ noun or adjective swapped for the other form."""

    def __init__(self, rows: Iterable[WordSwap], lang: str) -> None:
        self.lang = lang
        # Each form (a key: one word, or two for "vésicule biliaire") → the forms it may become.
        self._swaps = _swaps(rows, lang, lambda text: _keys(text, lang))
        self._longest = max((len(form) for form in self._swaps), default=0)

    def __call__(self, key: Key) -> Iterator[Key]:
        """Each key made from ``key`` by swapping one form that is not its head (French: not the
        first word; English: not the last)."""
        if not self._swaps:
            return
        # The words a swap may touch: French heads come first, English heads last.
        first, limit = (1, len(key)) if self.lang == "fr" else (0, len(key) - 1)
        seen: set[Key] = set()
        start = first
        while start < limit:
            # The longest form at each place ("de la vésicule biliaire", not its "vésicule biliaire").
            end = next(
                (
                    end
                    for end in range(min(start + self._longest, limit), start, -1)
                    if key[start:end] in self._swaps
                ),
                None,
            )
            if end is None:
                start += 1
                continue
            for target in self._swaps[key[start:end]]:
                variant = key[:start] + target + key[end:]
                if variant not in seen:
                    seen.add(variant)
                    yield variant
            start = end


class HeadVariants:
    """The variant keys of a term's key, its head swapped for a synonym ("tumeur maligne" → "cancer")."""

    def __init__(self, rows: Iterable[WordSwap], lang: str) -> None:
        self.lang = lang
        self._swaps = _swaps(rows, lang, lambda text: set(term_keys(text, lang=lang)[:1]))

    def __call__(self, key: Key) -> Iterator[Key]:
        """Each key made from ``key`` by swapping its first words (in English, also its last) for a
        synonym; never the whole key ("cancer" alone stays as it is)."""
        seen: set[Key] = set()
        for form, targets in self._swaps.items():
            size = len(form)
            if size >= len(key):
                continue
            places = [0] if self.lang == "fr" else [0, len(key) - size]
            for start in places:
                if key[start : start + size] == form:
                    for target in targets:
                        variant = key[:start] + target + key[start + size :]
                        if variant not in seen:
                            seen.add(variant)
                            yield variant


class TermVariants:
    """A term key's variants: organ swaps, head swaps, and both at once."""

    def __init__(self, organs: RelationalVariants, heads: HeadVariants) -> None:
        self.organs = organs
        self.heads = heads

    def __call__(self, key: Key) -> Iterator[Key]:
        organ_variants = list(self.organs(key))
        yield from organ_variants
        for base in (key, *organ_variants):
            yield from self.heads(base)


@cache
def shipped_variants(lang: str) -> TermVariants:
    """The variants of the shipped lists, for ``lang``."""
    return TermVariants(
        RelationalVariants(load_relational_adjectives(), lang), HeadVariants(load_head_synonyms(), lang)
    )


def variant_texts(text: str, lang: str, *, most: int = 3) -> list[str]:
    """Other wordings of ``text`` by the shipped swaps, as plain words ("métastases du foie" →
    "metastase hepatique"): what a concept lookup that found nothing may search for instead. The
    words are the key's (folded, singular): a stemming full-text search reads them alike."""
    keys = term_keys(text, lang=lang)
    if not keys:
        return []
    variants = shipped_variants(lang)
    texts = dict.fromkeys(" ".join(variant) for variant in variants(keys[0]))
    return list(texts)[:most]
