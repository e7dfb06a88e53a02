"""Builds the Annotator from the graph's terminologies (through the on-disk matcher cache).

Lives in the composition layer because it joins graph (term export) and nlp (matchers), which may
not import each other.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Iterator
from functools import cache, partial
from pathlib import Path

from graph.driver import Graph
from graph.terms import TermExport, terminology_version
from nlp.matcher import TerminologyMatcher
from nlp.matcher.exclusions import load_excluded_roots
from nlp.matcher.matcher_cache import load_or_build
from nlp.model import TermEntry
from nlp.pipeline import Annotator, canonical_equivalents

logger = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")


def excluded_concepts(export: TermExport) -> frozenset[str]:
    """The concepts of the branches that name no finding (``nlp.matcher.exclusions``)."""
    return export.branch(load_excluded_roots())


def matcher_terms(export: TermExport, lang: str, *, excluded: Collection[str]) -> Iterator[TermEntry]:
    """The terms a matcher (ours or a baseline) is built from: every term in ``lang`` of the loaded
    concepts but ``excluded``."""
    return (TermEntry(*term) for term in export.terms([lang]) if term[0] not in excluded)


class AnnotatorProvider:
    """One Annotator per process, rebuilt when the loaded terminology releases change.

    The releases are re-read at most every ``recheck_seconds`` (not on every request): a terminology
    loaded while the server runs is picked up within that delay.
    """

    def __init__(self, graph: Graph, *, cache_dir: Path, recheck_seconds: float = 30.0) -> None:
        self.graph = graph
        self.cache_dir = cache_dir
        self.recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._annotator: Annotator | None = None
        self._releases: tuple[str, ...] = ()
        self._checked_at = float("-inf")

    def get(self) -> Annotator:
        with self._lock:
            if self._annotator is not None and time.monotonic() - self._checked_at < self.recheck_seconds:
                return self._annotator
            export = TermExport(self.graph)
            releases = tuple(export.releases())
            if self._annotator is None or releases != self._releases:
                self._annotator = self._build(export, releases)
                self._releases = releases
            self._checked_at = time.monotonic()
            return self._annotator

    def _build(self, export: TermExport, releases: tuple[str, ...]) -> Annotator:
        logger.info("Compiling terminology matchers for %d releases (cached on disk)", len(releases))

        # Graph-wide reads, needed only to build: on a cache hit (every start after the first) they
        # are not run; on a miss, both languages share them.
        @cache
        def mappings() -> tuple[dict[str, str], dict[str, int], frozenset[str]]:
            return (
                canonical_equivalents(export.exact_pairs()),
                export.link_counts(),
                excluded_concepts(export),
            )

        def build(lang: str) -> TerminologyMatcher:
            equivalents, links, excluded = mappings()
            entries = matcher_terms(export, lang, excluded=excluded)
            return TerminologyMatcher.build(
                entries, lang=lang, equivalents=equivalents, links=links, parents=export.parents
            )

        matchers = {
            lang: load_or_build(partial(build, lang), releases=releases, cache_dir=self.cache_dir, lang=lang)
            for lang in LANGUAGES
        }
        return Annotator(matchers, terminology_version=terminology_version(releases))
