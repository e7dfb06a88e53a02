"""``hs.lexeme_norms``: EDS-NLP's accent and quote tables applied to the vocabulary, not token by token.

``eds.normalizer`` (``lowercase``, its default) leaves each token's ``NORM`` to its lexeme, the lower-cased
text, then its accents and quotes converters translate every token's norm, one Python step per token
and per converter, on every document. A lexeme's translated norm is the same every time, so this
component translates each lexeme of the vocabulary once, the first time a document holds it, with
the same tables (``hs.accents_and_quotes``: EDS-NLP's ``accents`` then ``quotes_and_apostrophes``).
The tokens of the EDS tokenizer set no norm of their own: their ``NORM`` is their lexeme's, so they read
the same ``NORM`` as after the two converters, which ``fr.cfg`` turns off.

It must run before ``eds.normalizer``, which must keep ``lowercase`` (without it, that normaliser writes
each token's text into its own norm, which hides the lexeme's). Translating a lexeme twice is harmless:
no replacement is itself replaced.
"""

# No `from __future__ import annotations`: EDS-NLP's registry validates the factory (this class) with
# its annotations, and rejects annotations kept as strings.
from collections.abc import Iterable
from typing import Any

from spacy.attrs import ORTH
from spacy.tokens import Doc


class LexemeNorms:
    """Pipeline component: translate the norm of every lexeme not seen yet; the doc is unchanged."""

    def __init__(self, nlp: Any, name: str, *, table: Iterable[tuple[str, str]]) -> None:
        self.name = name
        pairs = list(table)
        self.translation = str.maketrans(
            "".join(characters for characters, _ in pairs),
            "".join(replacement * len(characters) for characters, replacement in pairs),
        )
        self.seen: set[int] = set()  # orth ids of the lexemes already translated

    def __call__(self, doc: Doc) -> Doc:
        new = set(doc.to_array(ORTH).tolist())
        new.difference_update(self.seen)
        if new:
            vocab = doc.vocab
            for orth in new:
                lexeme = vocab[orth]
                norm = lexeme.norm_
                translated = norm.translate(self.translation)
                if translated != norm:
                    lexeme.norm_ = translated
            self.seen.update(new)
        return doc
