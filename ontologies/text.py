"""Text normal form shared by lookup (graph) and matching (nlp): case, accents, punctuation."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form with single spaces.

    ``"Diabète  de type-2"`` → ``"diabete de type 2"``; ``"d'œdème"`` → ``"d oedeme"``.
    """
    # NFKD splits "è" into "e" + a combining accent; ligatures such as "œ" need spelling out.
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("œ", "oe").replace("æ", "ae"))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NON_ALNUM.sub(" ", stripped).strip()
