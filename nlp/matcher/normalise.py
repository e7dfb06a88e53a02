"""Light, language-aware normal form of words, shared by the terms and the texts the matcher reads.

Built on :func:`ontologies.text.fold` (case, accents, punctuation), then per language:
French elision (``d'``, ``l'``, ``qu'``...) and plural/inflection stripping (``-aux`` → ``-al``, final
``-s``/``-x``, ``-ée`` → ``-é``); English plural stripping (``-ies`` → ``-y``, final ``-s``) and the
possessive ``'s``. Stop words (``de``, ``du``, ``des``, ``of``, ``the``...) are kept as tokens in texts;
terms get a second key without them (see :func:`term_keys`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from ontologies.text import fold

# A run of letters or digits of any script: the raw pieces a text is cut into.
_PIECE = re.compile(r"[^\W_]+")
# ASCII, right single quotation mark, modifier letter apostrophe, grave and acute accents.
_APOSTROPHES = frozenset("'\u2019\u02bc`\u00b4")
_ELIDED = {
    "fr": frozenset({"d", "l", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu"}),
}
# Dropped only inside multi-word terms (never first or last), in a second key beside the full one.
STOP_WORDS = {
    "fr": frozenset({"de", "du", "des", "la", "le", "les"}),
    "en": frozenset({"of", "the"}),
}
_EMPTY: frozenset[str] = frozenset()


class NormToken(NamedTuple):
    """One normalised token of a text, with its raw surface and character offsets."""

    norm: str
    surface: str
    start: int
    end: int


def normalise_word(word: str, lang: str) -> str:
    """Strip plural and simple inflection from one folded word (a no-op for other languages)."""
    if len(word) <= 3 or word in STOP_WORDS.get(lang, _EMPTY) or any(c.isdigit() for c in word):
        return word
    if lang == "fr":
        if word.endswith("eaux"):
            return word[:-1]
        if word.endswith("aux"):
            return word[:-3] + "al"
        if word[-1] in "sx" and not word.endswith("ss"):
            word = word[:-1]
        if word.endswith("ee"):
            word = word[:-1]
        return word
    if lang == "en":
        if word.endswith("ies") and len(word) > 4:
            return word[:-3] + "y"
        if word.endswith("sses"):
            return word[:-2]
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            return word[:-1]
    return word


def tokenize(text: str, *, lang: str, offset: int = 0) -> list[NormToken]:
    """Cut ``text`` into normalised tokens, dropping French elided articles and the English ``'s``.

    Args:
        text: raw text (a whole document, one spaCy token, or a term).
        lang: language code selecting the normaliser ("fr", "en"; others fold only).
        offset: added to the character offsets (the index of ``text`` in its document).

    Returns:
        The tokens in order; one raw piece may give several tokens when folding splits it.
    """
    elided = _ELIDED.get(lang, _EMPTY)
    english = lang == "en"
    size = len(text)
    tokens: list[NormToken] = []
    append = tokens.append
    for match in _PIECE.finditer(text):
        piece = match.group()
        start, end = match.span()
        if elided and end < size and text[end] in _APOSTROPHES and piece.casefold() in elided:
            continue
        if english and start > 0 and text[start - 1] in _APOSTROPHES and piece.casefold() == "s":
            continue
        for norm in piece_norms(piece, lang):
            append(NormToken(norm, piece, offset + start, offset + end))
    return tokens


@lru_cache(maxsize=1 << 16)
def piece_norms(piece: str, lang: str) -> tuple[str, ...]:
    """The normalised words of one raw piece of text (most often one), memoised.

    Texts repeat their words: folding and inflection stripping were most of a document's tokenising.
    """
    return tuple(normalise_word(word, lang) for word in fold(piece).split())


@lru_cache(maxsize=1 << 16)
def folded_words(piece: str) -> tuple[str, ...]:
    """``fold(piece).split()``, memoised (pieces repeat across mentions and documents)."""
    return tuple(fold(piece).split())


def term_keys(text: str, *, lang: str) -> list[tuple[str, ...]]:
    """The token keys a term is indexed under: full form, hyphens joined, and without inner stop words.

    ``"diabète de type 2"`` → ``[("diabete", "de", "type", "2"), ("diabete", "type", "2")]``.
    """
    bases = [tuple(token.norm for token in tokenize(text, lang=lang))]
    if "-" in text:
        bases.append(tuple(token.norm for token in tokenize(text.replace("-", ""), lang=lang)))
    stop = STOP_WORDS.get(lang, _EMPTY)
    keys: list[tuple[str, ...]] = []
    for base in bases:
        candidates = [base]
        if len(base) >= 3:
            inner = tuple(word for word in base[1:-1] if word not in stop)
            candidates.append((base[0], *inner, base[-1]))
        keys.extend(key for key in candidates if key and key not in keys)
    return keys
