"""load_or_build: cache hit, miss on new releases, rebuild of corrupt or foreign files."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest
from matcher_markup import FRENCH_TERMS

from nlp.matcher import TerminologyMatcher
from nlp.matcher.matcher_cache import cache_key, load_or_build


class CountingFactory:
    """Builds the matcher from the French test terms; counts how often a build was needed."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> TerminologyMatcher:
        self.calls += 1
        return TerminologyMatcher.build(FRENCH_TERMS, lang="fr")


@pytest.fixture
def factory() -> CountingFactory:
    return CountingFactory()


def build(factory: Callable[[], TerminologyMatcher], cache_dir: Path, *releases: str) -> TerminologyMatcher:
    return load_or_build(factory, releases=releases, cache_dir=cache_dir, lang="fr")


def test_miss_builds_and_writes_the_key_file(factory: CountingFactory, tmp_path: Path) -> None:
    matcher = build(factory, tmp_path, "hpo@2025-01", "cim10@2024")
    assert factory.calls == 1
    assert [p.name for p in tmp_path.iterdir()] == [
        f"{cache_key(['hpo@2025-01', 'cim10@2024'], lang='fr')}.pickle"
    ]
    assert matcher.find_text("HTA")[0].candidates[0].curie == "HS:2"


def test_hit_loads_without_calling_the_factory(factory: CountingFactory, tmp_path: Path) -> None:
    build(factory, tmp_path, "hpo@2025-01", "cim10@2024")
    matcher = build(factory, tmp_path, "cim10@2024", "hpo@2025-01")  # order does not matter
    assert factory.calls == 1
    assert matcher.find_text("insuffisance cardiaque")[0].candidates[0].curie == "HS:1"


def test_new_release_rebuilds(factory: CountingFactory, tmp_path: Path) -> None:
    build(factory, tmp_path, "hpo@2025-01")
    build(factory, tmp_path, "hpo@2025-02")
    assert factory.calls == 2
    assert len(list(tmp_path.glob("*.pickle"))) == 2


def test_key_depends_on_language() -> None:
    assert cache_key(["hpo@1"], lang="fr") != cache_key(["hpo@1"], lang="en")


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle at all", pickle.dumps({"a": 1})[:-3], pickle.dumps(["not", "a", "matcher"])],
)
def test_corrupt_or_foreign_file_is_rebuilt(factory: CountingFactory, tmp_path: Path, content: bytes) -> None:
    (tmp_path / f"{cache_key(['hpo@1'], lang='fr')}.pickle").write_bytes(content)
    matcher = build(factory, tmp_path, "hpo@1")
    assert factory.calls == 1
    assert matcher.find_text("HTA")[0].candidates[0].curie == "HS:2"
    build(factory, tmp_path, "hpo@1")
    assert factory.calls == 1  # the rebuilt file replaced the bad one


def test_old_format_version_is_rebuilt(factory: CountingFactory, tmp_path: Path) -> None:
    stale = TerminologyMatcher.build(FRENCH_TERMS, lang="fr")
    stale.format_version = 0
    (tmp_path / f"{cache_key(['hpo@1'], lang='fr')}.pickle").write_bytes(pickle.dumps(stale))
    build(factory, tmp_path, "hpo@1")
    assert factory.calls == 1
