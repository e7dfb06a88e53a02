"""Light, language-aware normal form of words, shared by the terms and the texts the matcher reads.

Built on :func:`ontologies.text.fold` (case, accents, punctuation), then per language:
French elision (``d'``, ``l'``, ``qu'``...) and plural/inflection stripping (``-aux`` → ``-al``, final
``-s``/``-x``, ``-ée`` → ``-é``); English plural stripping (``-ies`` → ``-y``, final ``-s``), American
spelling (``tumour`` → ``tumor``, ``haem-`` → ``hem-``), ``deficient`` read as ``deficiency`` and the
possessive ``'s``. Stop words (``de``, ``du``, ``des``, ``of``, ``the``...) are kept as tokens in texts;
terms get a second key without them, ICD-10 names one without ", sans précision", and English terms
inverted keys and complement components' short names (see :func:`term_keys`).
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
_ENGLISH_STOP = STOP_WORDS["en"]
_ANY_STOP = frozenset().union(*STOP_WORDS.values())
# English head nouns written "X of Y" as often as "Y X" ("deficiency of C9", "cancer of the breast").
_OF_HEADS = frozenset(
    {
        "deficiency",
        "cancer",
        "carcinoma",
        "tumor",
        "neoplasm",
        "disease",
        "disorder",
        "infection",
        "inflammation",
        "abscess",
        "fracture",
        "malformation",
        "hypoplasia",
        "aplasia",
        "agenesis",
        "atresia",
        "stenosis",
        "dysplasia",
        "insufficiency",
        "failure",
        "lesion",
        "abnormality",
    }
)

# English adjectives read as the noun terms name: "HPRT-deficient", "C9-deficient cells" say what
# "HPRT deficiency" and "C9 deficiency" say, and no term is worded with the adjective alone.
_ENGLISH_NOUNS = {"deficient": "deficiency"}
# ICD-10's "unspecified" residual categories: "Paludisme, sans précision", "CARDIOPATHIE, SAI",
# "Malaria, unspecified", "Tumeur maligne du médiastin, partie non précisée", "Infection des voies
# urinaires, siège non précisé". Texts say "paludisme":
# the name before the comma is the category's name.
UNSPECIFIED = re.compile(
    r",\s*(?:sans pr[ée]cision|(?:partie|si[èe]ge) non pr[ée]cis[ée]e?|sai|unspecified|nos)\s*$",
    re.IGNORECASE,
)
# Complement components are written "C7" as often as "complement component 7" (the terms' form).
_COMPLEMENT = ("complement", "component")
_COMPLEMENT_NUMBERS = frozenset("123456789")


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
        if word in _ENGLISH_NOUNS:
            return _ENGLISH_NOUNS[word]
        if word.endswith("ies") and len(word) > 4:
            return american(word[:-3] + "y")
        if word.endswith("sses"):
            return american(word[:-2])
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            return american(word[:-1])
        return american(word)
    return word


def american(word: str) -> str:
    """American spelling of a folded British medical word: "tumour" → "tumor", "haemangioma" →
    "hemangioma", "oedema" → "edema", "diarrhoea" → "diarrhea" (terminologies mix both)."""
    if "ae" in word:
        word = word.replace("ae", "e")
    if word.startswith("oe"):
        word = word[1:]
    if word.endswith("oea"):
        word = word[:-3] + "ea"
    if word.endswith("our") and len(word) >= 6:
        word = word[:-3] + "or"
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


# Subtype numbers that end a term: "1", "1a", "II"; after "type" a letter too ("type C").
_SUBTYPE = re.compile(r"^(?:\d{1,2}[abc]?|i{1,3}|iv|vi{0,3}|ix|x)$")
_SUBTYPE_WORDS = frozenset({"type", "subtype"})


def without_subtype(key: tuple[str, ...]) -> tuple[str, ...] | None:
    """The key of a subtyped term without its subtype: "myotonic dystrophy type 1" → "myotonic
    dystrophy", "Schwartz-Jampel syndrome 1" → "Schwartz-Jampel syndrome"; ``None`` for others.

    What is left must still name something: two words, or one word of six letters or more when
    "type" said that a subtype follows ("deletion 18q" is no subtype of "deletion").
    """
    if len(key) < 2:
        return None
    if key[-2] in _SUBTYPE_WORDS and (_SUBTYPE.match(key[-1]) or len(key[-1]) == 1):
        stem = key[:-2]
        if stem and stem[-1] in _ANY_STOP:  # "diabète de type 1"
            stem = stem[:-1]
        if len(stem) == 1 and len(stem[0]) >= 6 and stem[0].isalpha():
            return stem
    elif _SUBTYPE.match(key[-1]):
        stem = key[:-1]
    else:
        return None
    return stem if len(stem) >= 2 else None


def inversions(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """English noun phrases said the other way round, both ways: "X deficiency" ↔ "deficiency of
    X", "breast cancer" ↔ "cancer of the breast".

    Only short phrases, each way: "A of [the] B" with one or two words in B (``"A B of C"`` is too
    ambiguous), "B A" of two words whose head commonly takes "of" (``_OF_HEADS``): every inverted
    key adds look-ups to the match loop (all two-word terms turned round made it 10 % slower).
    """
    if "of" in key:
        at = key.index("of")
        modifiers = key[at + 2 :] if key[at + 1 : at + 2] == ("the",) else key[at + 1 :]
        head = key[:at]
        if len(head) == 1 and 1 <= len(modifiers) <= 2 and "of" not in modifiers:
            return [(*modifiers, *head)]
        return []
    if len(key) == 2 and key[1] in _OF_HEADS and not key[0].isdigit() and key[0] not in _ENGLISH_STOP:
        noun = key[-1]
        return [(noun, "of", *key[:-1]), (noun, "of", "the", *key[:-1])]
    return []


def complement_short_forms(key: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Complement components by their short names: "complement component 7 deficiency" →
    "complement C7 deficiency", "C7 deficiency".

    Only when words follow the number: a lone "C7" is as often a vertebra or a cranial segment.
    """
    for at in range(len(key) - 3):
        if key[at : at + 2] == _COMPLEMENT and key[at + 2] in _COMPLEMENT_NUMBERS:
            short = f"c{key[at + 2]}"
            rest = key[at + 3 :]
            return [(*key[:at], "complement", short, *rest), (*key[:at], short, *rest)]
    return []


@lru_cache(maxsize=1 << 16)
def piece_norms(piece: str, lang: str) -> tuple[str, ...]:
    """The normalised words of one raw piece of text (most often one), memoised.

    Texts repeat their words: folding and inflection stripping were most of a document's tokenising.
    """
    return tuple(normalise_word(word, lang) for word in fold(piece).split())


@lru_cache(maxsize=1 << 16)
def folded_words(piece: str, lang: str = "") -> tuple[str, ...]:
    """``fold(piece).split()``, in American spelling for English, memoised (pieces repeat across
    mentions and documents): a mention's words compared with a term's tell exact matches."""
    words = fold(piece).split()
    return tuple(american(word) for word in words) if lang == "en" else tuple(words)


def term_keys(text: str, *, lang: str) -> list[tuple[str, ...]]:
    """The token keys a term is indexed under: full form, without ICD-10's ", sans précision" or
    ", unspecified", hyphens joined, English complement components' short names
    (:func:`complement_short_forms`) and head-noun inversions (:func:`inversions`), and without
    inner stop words.

    ``"diabète de type 2"`` → ``[("diabete", "de", "type", "2"), ("diabete", "type", "2")]``.
    """
    bases = [tuple(token.norm for token in tokenize(text, lang=lang))]
    named = UNSPECIFIED.sub("", text)
    if named != text and named.strip():
        bases.append(tuple(token.norm for token in tokenize(named, lang=lang)))
    if "-" in text:
        bases.append(tuple(token.norm for token in tokenize(text.replace("-", ""), lang=lang)))
    if lang == "en" and "complement" in bases[0]:
        bases.extend(complement_short_forms(bases[0]))
    stop = STOP_WORDS.get(lang, _EMPTY)
    keys: list[tuple[str, ...]] = []
    for base in bases:
        candidates = [base]
        if len(base) >= 3:
            inner = tuple(word for word in base[1:-1] if word not in stop)
            candidates.append((base[0], *inner, base[-1]))
        keys.extend(key for key in candidates if key and key not in keys)
    if lang == "en":
        # Inverted forms keep their "of" and "the": without them they would read as other phrases.
        inverted = [turned for base in bases for turned in inversions(base)]
        keys.extend(key for key in inverted if key not in keys)
    return keys
