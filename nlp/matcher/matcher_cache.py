"""Disk cache of compiled matchers, keyed by the terminology releases they were built from.

Each matcher is a folder of tries and arrays (:meth:`TerminologyMatcher.save`) that every process
memory-maps, so the pages are read once and shared between workers.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from nlp.matcher.abbreviations import DEFAULT_PATH as ABBREVIATIONS
from nlp.matcher.derived_forms import DEFAULT_PATH as DERIVED_FORMS
from nlp.matcher.exclusions import DEFAULT_PATH as EXCLUSIONS
from nlp.matcher.lexicon import LexiconError
from nlp.matcher.matcher import FORMAT_VERSION, TerminologyMatcher
from nlp.matcher.relational_adjectives import DEFAULT_PATH as RELATIONAL_ADJECTIVES
from nlp.matcher.relational_adjectives import HEADS_PATH as HEAD_SYNONYMS

logger = logging.getLogger(__name__)


def cache_key(releases: Sequence[str], *, lang: str) -> str:
    """sha256 of the sorted release ids, the matcher format version, the language, the abbreviations,
    the derived forms, the excluded branches, the relational adjectives and the head synonyms."""
    digest = hashlib.sha256()
    digest.update(f"format={FORMAT_VERSION}\nlang={lang}\n".encode())
    digest.update("\n".join(sorted(releases)).encode())
    for data in (ABBREVIATIONS, DERIVED_FORMS, EXCLUSIONS, RELATIONAL_ADJECTIVES, HEAD_SYNONYMS):
        digest.update(hashlib.sha256(data.read_bytes()).hexdigest().encode())
    return digest.hexdigest()


def load_or_build(
    build: Callable[[], TerminologyMatcher],
    *,
    releases: Sequence[str],
    cache_dir: Path,
    lang: str = "fr",
) -> TerminologyMatcher:
    """Open the matcher cached for these releases, or ``build()`` it and cache it.

    Args:
        build: called only on a cache miss. Everything it reads from the graph (terms, equivalences,
            mapping counts, parents) is part of the releases' content, so the key covers it.
        releases: ids of the terminology releases the terms come from (order does not matter).
        cache_dir: where the ``<key>`` folders live (created if missing).
        lang: language of the matcher.

    Returns:
        The matcher, memory-mapped from its folder; a damaged or outdated folder is rebuilt and replaced.
    """
    for stale in cache_dir.glob("*.pickle"):  # matchers of the pickled layout (format < 5): unreadable now
        stale.unlink(missing_ok=True)
    path = cache_dir / cache_key(releases, lang=lang)
    if path.exists():
        try:
            return TerminologyMatcher.open(path)
        except LexiconError as error:
            logger.warning("Rebuilding matcher cache %s: %s", path.name, error)
    matcher = build()
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Written beside, then renamed: a crash never leaves a half-written folder under the key.
    staging = Path(tempfile.mkdtemp(dir=cache_dir, suffix=".tmp"))
    try:
        matcher.save(staging)
        if path.exists() or path.is_symlink():
            _remove(path)  # damaged or outdated: mapped copies elsewhere keep their (unlinked) files
        staging.rename(path)
    except OSError as error:  # the rename lost a race: another process's folder is there now
        if not path.is_dir():
            raise
        logger.info("Matcher cache %s written by another process meanwhile (%s)", path.name, error)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    # The saved folder, mapped, rather than the arrays just built: the same pages as other processes.
    try:
        return TerminologyMatcher.open(path)
    except LexiconError:  # pragma: no cover - just written; keep the built one rather than fail
        return matcher


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
