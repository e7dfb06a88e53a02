"""Coordinated terms that share their head noun: "breast and ovarian cancer", "cancer du sein ou de l'ovaire".

Only the last conjunct (English) or the first (French) reads as a whole term; the others lack the
head they share. Each other conjunct gets the head back ("breast" + "cancer") and, when that makes a
term, becomes a mention of its own (the conjunct's words only, so that mentions never overlap).
The matcher proposes these after its own matches (see :meth:`TerminologyMatcher.find_text`); the
work is done only next to a matched term followed or preceded by a conjunction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from nlp.matcher.normalise import STOP_WORDS, NormToken

CONJUNCTIONS = {
    "en": frozenset({"and", "or"}),
    "fr": frozenset({"et", "ou"}),
}
# Punctuation that joins conjuncts: "breast/ovarian", "breast-ovarian", "brain, breast, and prostate".
_JOINERS = frozenset({"/", "-", ","})
MAX_CONJUNCTS = 4  # besides the whole term
_EMPTY: frozenset[str] = frozenset()

# (first token, end token) of a term, and the keys to look up → True when a term was found and kept.
Propose = Callable[[int, int, Sequence[tuple[str, ...]]], bool]


def _joined(text: str, tokens: Sequence[NormToken], left: int, right: int, lang: str) -> int | None:
    """The token before the conjunct that ``tokens[left]`` and ``tokens[right]`` join, if they do.

    ``left`` is the token before ``right``; returns ``left`` when punctuation joins them, the token
    before the conjunction when ``left`` is one ("and", "and/or", ", and").
    """
    conjunctions = CONJUNCTIONS.get(lang, _EMPTY)
    if left < 0:
        return None
    if tokens[left].norm in conjunctions:
        before = left - 1
        # "and/or": the first conjunction of two
        if before >= 0 and tokens[before].norm in conjunctions:
            before -= 1
        return before if before >= 0 else None
    between = text[tokens[left].end : tokens[right].start].strip()
    return left if between in _JOINERS else None


def head_final(
    text: str,
    tokens: Sequence[NormToken],
    keys: Sequence[str],
    span: tuple[int, int],
    *,
    lang: str,
    propose: Propose,
) -> None:
    """Conjuncts before an English term ``tokens[start:end]`` whose head they share (its last words).

    ``keys`` are the tokens' normalised forms (``token.norm``), ``span`` the term's ``(start, end)``.
    """
    start, end = span
    # The conjunct replaces the term's first words: "breast" + "cancer", "breast" + "cell carcinoma".
    shared = [tuple(keys[cut:end]) for cut in range(start + 1, end)]
    position = start
    for _ in range(MAX_CONJUNCTS):
        conjunct = _joined(text, tokens, position - 1, position, lang)
        if conjunct is None:
            return
        propose(conjunct, conjunct + 1, [(keys[conjunct], *tail) for tail in shared])
        position = conjunct


def head_initial(
    text: str,
    tokens: Sequence[NormToken],
    keys: Sequence[str],
    span: tuple[int, int],
    *,
    lang: str,
    propose: Propose,
) -> None:
    """Conjuncts after a French term ``tokens[start:end]`` whose head they share (its first words).

    ``keys`` are the tokens' normalised forms (``token.norm``), ``span`` the term's ``(start, end)``.
    """
    start, end = span
    stop = STOP_WORDS.get(lang, _EMPTY)
    position = end - 1
    for _ in range(MAX_CONJUNCTS):
        after = position + 1
        if after >= len(tokens):
            return
        conjunction = tokens[after].norm in CONJUNCTIONS.get(lang, _EMPTY)
        between = text[tokens[position].end : tokens[after].start].strip()
        if not conjunction and between not in _JOINERS:
            return
        conjunct = after + 1 if conjunction else after
        while conjunct < len(tokens) and keys[conjunct] in stop:  # "ou de la", "et des"
            conjunct += 1
        if conjunct >= len(tokens):
            return
        heads = [tuple(keys[start:cut]) for cut in range(end - 1, start, -1)]
        lookups = [(*head, keys[conjunct]) for head in heads]
        lookups += [(head[0], *(w for w in head[1:] if w not in stop), keys[conjunct]) for head in heads]
        propose(conjunct, conjunct + 1, lookups)
        position = conjunct
