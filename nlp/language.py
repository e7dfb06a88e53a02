"""Document language when none is given: French or English, from function words and accents.

Clinical notes are long enough that counting a few dozen very frequent words decides reliably; a
statistical detector would add a model for two languages. Short texts such as queries may hold no
function word at all: the annotator then asks its terminologies (``language_evidence`` gives the
counts it weighs). Ties go to French (the hospital's own notes are French; the English corpora come
with their language).
"""

from __future__ import annotations

import functools
import re

LANGUAGES = ("fr", "en")
_WORD = re.compile(r"[a-zàâçéèêëîïôûùüÿœæ']+")
_FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "du",
        "de",
        "d",
        "l",
        "et",
        "est",
        "sont",
        "pas",
        "ne",
        "au",
        "aux",
        "avec",
        "pour",
        "dans",
        "sur",
        "par",
        "en",
        "qui",
        "que",
        "il",
        "elle",
        "ou",
        "ni",
        "sans",
        "chez",
        "été",
        "être",
        "a",
        "une",
        "ce",
        "cette",
        "ces",
        "son",
        "sa",
        "ses",
        "leur",
        "patient",
        "patiente",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "is",
        "are",
        "was",
        "were",
        "not",
        "no",
        "with",
        "for",
        "in",
        "on",
        "by",
        "to",
        "at",
        "or",
        "who",
        "which",
        "that",
        "this",
        "these",
        "his",
        "her",
        "he",
        "she",
        "patient",
        "has",
        "have",
        "had",
        "been",
        "be",
        "denies",
        "without",
        "history",
    ]
)
_ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœ]")


# Function words a text must lean by for them to decide its language alone: a query or a title
# ("pulmonary embolism after hip surgery") often holds none, and then the terminologies decide
# (``nlp.pipeline.Annotator.detect_language``).
DECISIVE_MARGIN = 2


def language_evidence(text: str) -> tuple[int, int]:
    """``(french, english)``: the French and English function words of ``text`` (its first 5,000
    characters), French counting one more per three accented letters."""
    sample = text[:5000].casefold()
    words = _WORD.findall(sample)
    french = sum(1 for word in words if word in _FRENCH or word.split("'")[0] in {"d", "l", "qu", "n", "s"})
    english = sum(1 for word in words if word in _ENGLISH)
    french += len(_ACCENTED.findall(sample)) // 3
    return french, english


@functools.cache
def stop_words(lang: str | None) -> frozenset[str]:
    """spaCy's stop words of ``lang`` (lower case); empty for another language."""
    # Imported on first use: importing spacy.lang.fr compiles its tokenizer exceptions (~3 s), a
    # cost every command line call paid through search/ although only searches need the words.
    if lang == "fr":
        from spacy.lang.fr.stop_words import STOP_WORDS as FRENCH_STOP_WORDS

        return frozenset(FRENCH_STOP_WORDS)
    if lang == "en":
        from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH_STOP_WORDS

        return frozenset(ENGLISH_STOP_WORDS)
    return frozenset()
