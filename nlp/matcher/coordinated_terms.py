"""Terms whose complements are coordinated: "Tumeur maligne des bronches et du poumon".

CIM-10 names many categories with one head and a list of complements, each introduced by its own
preposition: "des bronches et du poumon", "de la lèvre, de la cavité buccale et du pharynx". Such a
category covers each complement ("Tumeur maligne des bronches et du poumon" is C34 for a lung cancer),
but a report or a query names one complement: "cancer du poumon" matched no term before this. Each
complement, with the head, is indexed as a variant of the term ("tumeur maligne du poumon", then, by
the head and organ swaps, "cancer du poumon", "cancer pulmonaire").

The split is conservative, French only: the head is what precedes the first complement's preposition,
and the first complement must hold no other preposition ("du col de l'utérus et ..." is left alone:
which noun the next complement goes with is not said); every other complement must start with a
preposition right after a comma, "et" or "ou" ("du lobe supérieur, bronches ou poumon" is left alone);
no other comma, parenthesis, slash or dash may remain, and the head and each complement are short
(CIM-10's external causes, "Exposition à un feu, hors d'un bâtiment ou d'un ouvrage, lieu ...", are
lists of another kind).
"""

from __future__ import annotations

import re

from nlp.matcher.normalise import UNSPECIFIED

# A preposition that opens a complement, with its article: "de la", "de l'", "du", "des", "de", "d'".
_PREPOSITION = r"(?:de\s+la\s+|de\s+l['\u2019]\s*|du\s+|des\s+|de\s+|d['\u2019]\s*)"
# Where a complement ends and the next begins: a comma, "et" or "ou", then a preposition.
_BOUNDARY = re.compile(rf"\s*,\s*(?={_PREPOSITION})|\s+(?:et|ou)\s+(?={_PREPOSITION})", re.IGNORECASE)
# The first preposition of the first piece, standing alone (not "de" inside "dent").
_FIRST = re.compile(rf"(?<![\w'\u2019-]){_PREPOSITION}", re.IGNORECASE)
MAX_COMPLEMENTS = 6
MAX_HEAD_WORDS = 5
MAX_COMPLEMENT_WORDS = 5  # the preposition and article included
_OTHER_PUNCTUATION = re.compile(r"[,;()/]| - ")
# Complements that qualify the head rather than name a part: "Retard de langage, de type expressif".
_QUALIFYING = re.compile(
    rf"^{_PREPOSITION}(?:type|forme|origine|cause|degré|gravité|sévérité|siège|site)\b", re.IGNORECASE
)


def complement_terms(text: str, lang: str) -> list[str]:
    """The head with each of its coordinated complements, as texts.

    ``"Tumeur maligne des bronches et du poumon"`` → ``["Tumeur maligne des bronches", "Tumeur
    maligne du poumon"]``; ``[]`` when the term is not such a list (or not French).
    """
    if lang != "fr":
        return []
    named = UNSPECIFIED.sub("", text).strip()
    pieces = [piece.strip() for piece in _BOUNDARY.split(named)]
    if not 2 <= len(pieces) <= MAX_COMPLEMENTS or any(_OTHER_PUNCTUATION.search(p) for p in pieces):
        return []
    first, others = pieces[0], pieces[1:]
    openings = list(_FIRST.finditer(first))
    if len(openings) != 1 or openings[0].start() == 0:
        return []
    head = first[: openings[0].start()].rstrip()
    complements = [first[openings[0].start() :], *others]
    if len(head.split()) > MAX_HEAD_WORDS or any(
        len(_FIRST.findall(piece)) != 1
        or not _FIRST.match(piece)
        or _QUALIFYING.match(piece)
        or len(piece.split()) > MAX_COMPLEMENT_WORDS
        for piece in complements
    ):
        return []
    return [first, *(f"{head} {piece}" for piece in others)]
