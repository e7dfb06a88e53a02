"""Text vectors for search's similarity signal: WordLlama's static token embeddings, average-pooled.

WordLlama (``l2_supercat``, 256 dimensions) ships its weights and tokenizer inside its wheel, so
vectors need no download and no GPU: a vector is a lookup and a mean (0.75 ms for a 1,470-character
report, measured in docs/benchmarks.md). It was trained on English sentence pairs: only English texts get a
vector (``EMBEDDED_LANGUAGES``); French search has no retrieval benchmark here to measure it on.

Vectors are unit length, so their dot product is their cosine. Vectors of two models do not compare:
another model is another pipeline (bump ``nlp.pipeline.PIPELINE_VERSION``), so that the next ingest
or ``documents reannotate`` replaces every stored vector.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL = "l2_supercat"
DIMENSIONS = 256
EMBEDDED_LANGUAGES = frozenset({"en"})

Vector = tuple[float, ...]


class EmbedderUnavailable(RuntimeError):
    """The model's files cannot be loaded (a broken install): an operator's problem, not the input's."""


@cache
def _model() -> Any:
    # Imported here: only English annotation needs it (and it costs a third of a second to load).
    import wordllama
    from wordllama import WordLlama

    # The wheel holds the files under ``weights/`` and ``tokenizers/``: given as the cache folder,
    # they are found there, and ``disable_download`` makes a missing file an error, never a fetch.
    folder = Path(wordllama.__file__).parent
    try:
        return WordLlama.load(config=MODEL, dim=DIMENSIONS, cache_dir=folder, disable_download=True)
    except (OSError, ValueError) as error:  # FileNotFoundError included; safetensors' header errors
        raise EmbedderUnavailable(
            f"English text vectors are unavailable: WordLlama's {MODEL} model could not be loaded "
            f"from {folder} ({error}); reinstall the dependencies (make install)"
        ) from error


def embeds(lang: str | None) -> bool:
    """Whether texts of ``lang`` get a vector."""
    return lang in EMBEDDED_LANGUAGES


def embed(texts: Sequence[str]) -> list[Vector]:
    """One unit vector per text (a text without any token gets a zero vector)."""
    if not texts:
        return []
    matrix = np.asarray(_model().embed(list(texts), norm=False), dtype=np.float64)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
    return [tuple(float(value) for value in row) for row in matrix]


def text_vector(text: str, lang: str | None) -> Vector | None:
    """The vector of ``text`` in ``lang``; None when that language gets none or the text is empty."""
    if not embeds(lang) or not text.strip():
        return None
    vector = embed([text])[0]
    return vector if any(vector) else None  # no known token: nothing to compare


def warm_up() -> None:
    """Load the model now (before forking workers, so that they share it).

    Raises:
        EmbedderUnavailable: the model's files cannot be loaded.
    """
    _model()
