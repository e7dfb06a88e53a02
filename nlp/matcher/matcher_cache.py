"""Disk cache of compiled matchers, keyed by the terminology releases they were built from."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from nlp.matcher.abbreviations import DEFAULT_PATH
from nlp.matcher.matcher import FORMAT_VERSION, TerminologyMatcher

logger = logging.getLogger(__name__)

# What a damaged or foreign pickle may raise while loading.
_LOAD_ERRORS = (
    pickle.UnpicklingError,
    EOFError,
    AttributeError,
    ImportError,
    IndexError,
    TypeError,
    ValueError,
)


def cache_key(releases: Sequence[str], *, lang: str) -> str:
    """sha256 of the sorted release ids, the matcher format version, the language and the abbreviations."""
    digest = hashlib.sha256()
    digest.update(f"format={FORMAT_VERSION}\nlang={lang}\n".encode())
    digest.update("\n".join(sorted(releases)).encode())
    digest.update(hashlib.sha256(DEFAULT_PATH.read_bytes()).hexdigest().encode())
    return digest.hexdigest()


def load_or_build(
    build: Callable[[], TerminologyMatcher],
    *,
    releases: Sequence[str],
    cache_dir: Path,
    lang: str = "fr",
) -> TerminologyMatcher:
    """Load the matcher cached for these releases, or ``build()`` it and cache it.

    Args:
        build: called only on a cache miss. Everything it reads from the graph (terms, equivalences,
            mapping counts) is part of the releases' content, so the key covers it.
        releases: ids of the terminology releases the terms come from (order does not matter).
        cache_dir: where ``<key>.pickle`` files live (created if missing).
        lang: language of the matcher.

    Returns:
        The matcher; a corrupt or outdated cache file is rebuilt and replaced.
    """
    path = cache_dir / f"{cache_key(releases, lang=lang)}.pickle"
    if path.exists():
        try:
            with path.open("rb") as handle:
                loaded = pickle.load(handle)
        except _LOAD_ERRORS as error:
            logger.warning("Rebuilding unreadable matcher cache %s: %s", path.name, error)
        else:
            if isinstance(loaded, TerminologyMatcher) and loaded.format_version == FORMAT_VERSION:
                return loaded
            logger.warning(
                "Rebuilding matcher cache %s: not a matcher of format %d", path.name, FORMAT_VERSION
            )
    matcher = build()
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Write beside, then rename: a crash never leaves a half-written file under the key.
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(matcher, handle, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return matcher
