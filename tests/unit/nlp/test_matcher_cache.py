"""load_or_build: cache hit, miss on new releases, rebuild of damaged or foreign folders."""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from matcher_markup import FRENCH_TERMS

from nlp.matcher import TerminologyMatcher, matcher_cache
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
    (folder,) = tmp_path.iterdir()  # no staging folder left behind
    assert folder.name == cache_key(["hpo@2025-01", "cim10@2024"], lang="fr")
    assert (folder / "keys.marisa").is_file()
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
    assert len([folder for folder in tmp_path.iterdir() if folder.is_dir()]) == 2


@pytest.mark.parametrize(
    "data", ["ABBREVIATIONS", "DERIVED_FORMS", "EXCLUSIONS", "RELATIONAL_ADJECTIVES", "HEAD_SYNONYMS"]
)
def test_key_depends_on_each_curated_list(data: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache_key(["hpo@2025-01"], lang="fr")
    edited = tmp_path / "list.tsv"
    edited.write_bytes(getattr(matcher_cache, data).read_bytes() + b"# one more row\n")
    monkeypatch.setattr(matcher_cache, data, edited)
    assert cache_key(["hpo@2025-01"], lang="fr") != before


def test_key_depends_on_language() -> None:
    assert cache_key(["hpo@1"], lang="fr") != cache_key(["hpo@1"], lang="en")


def _damage_meta(folder: Path) -> None:
    (folder / "matcher.json").write_text("{not json", encoding="utf-8")


def _truncate_trie(folder: Path) -> None:
    (folder / "keys.marisa").write_bytes((folder / "keys.marisa").read_bytes()[:5])


def _drop_array(folder: Path) -> None:
    (folder / "key_terms.npy").unlink()


def _foreign_array(folder: Path) -> None:
    (folder / "term_table.npy").write_bytes(b"not an array")


def _array_of_another_build(folder: Path) -> None:
    (folder / "key_start.npy").write_bytes((folder / "concept_keys.npy").read_bytes())


@pytest.mark.parametrize(
    "damage", [_damage_meta, _truncate_trie, _drop_array, _foreign_array, _array_of_another_build]
)
def test_damaged_folder_is_rebuilt(
    factory: CountingFactory, tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    build(factory, tmp_path, "hpo@1")
    damage(tmp_path / cache_key(["hpo@1"], lang="fr"))
    matcher = build(factory, tmp_path, "hpo@1")
    assert factory.calls == 2
    assert matcher.find_text("HTA")[0].candidates[0].curie == "HS:2"
    build(factory, tmp_path, "hpo@1")
    assert factory.calls == 2  # the rebuilt folder replaced the damaged one


def test_a_file_under_the_key_is_replaced(factory: CountingFactory, tmp_path: Path) -> None:
    (tmp_path / cache_key(["hpo@1"], lang="fr")).write_bytes(b"an old pickle")
    matcher = build(factory, tmp_path, "hpo@1")
    assert factory.calls == 1
    assert matcher.find_text("HTA")[0].candidates[0].curie == "HS:2"
    assert (tmp_path / cache_key(["hpo@1"], lang="fr")).is_dir()


def test_pickles_of_the_old_layout_are_removed(factory: CountingFactory, tmp_path: Path) -> None:
    (tmp_path / "0123abcd.pickle").write_bytes(b"a matcher of format 4")
    build(factory, tmp_path, "hpo@1")
    assert [path.name for path in tmp_path.iterdir()] == [cache_key(["hpo@1"], lang="fr")]
    (tmp_path / "4567cdef.pickle").write_bytes(b"another")
    build(factory, tmp_path, "hpo@1")  # on a hit too
    assert factory.calls == 1
    assert [path.name for path in tmp_path.iterdir()] == [cache_key(["hpo@1"], lang="fr")]


def test_old_format_version_is_rebuilt(factory: CountingFactory, tmp_path: Path) -> None:
    build(factory, tmp_path, "hpo@1")
    meta = tmp_path / cache_key(["hpo@1"], lang="fr") / "matcher.json"
    meta.write_text(
        json.dumps(json.loads(meta.read_text(encoding="utf-8")) | {"format": 0}), encoding="utf-8"
    )
    build(factory, tmp_path, "hpo@1")
    assert factory.calls == 2


def test_opened_matcher_matches_as_the_built_one(tmp_path: Path) -> None:
    built = TerminologyMatcher.build(FRENCH_TERMS, lang="fr", equivalents={"CIM:I50": "HS:1"})
    built.save(tmp_path / "m")
    opened = TerminologyMatcher.open(tmp_path / "m")
    text = "IC et HTA, insuffisance cardiaque aiguë sans diabète"
    assert opened.find_text(text) == built.find_text(text)
    assert (opened.lang, opened.term_count, opened.links) == (built.lang, built.term_count, built.links)


def test_a_matcher_without_terms_is_saved_and_opened(tmp_path: Path) -> None:
    # A graph with no terminology yet: /api/annotate must still answer, with no mention.
    TerminologyMatcher.build([], lang="fr", abbreviations=()).save(tmp_path / "empty")
    opened = TerminologyMatcher.open(tmp_path / "empty")
    assert (opened.find_text("Pas de fièvre"), opened.term_count, opened.links) == ([], 0, {})


def test_an_opened_matcher_maps_its_files_instead_of_reading_them(tmp_path: Path) -> None:
    # What keeps memory flat with the lexicon's size: the pages stay the files', shared by processes.
    built = TerminologyMatcher.build(FRENCH_TERMS, lang="fr")
    built.save(tmp_path / "m")
    assert not built.lexicon.mapped
    assert TerminologyMatcher.open(tmp_path / "m").lexicon.mapped


def _slow_factory() -> TerminologyMatcher:
    time.sleep(0.2)  # long enough for every process to miss the cache and build
    return TerminologyMatcher.build(FRENCH_TERMS, lang="fr")


def _build_in_child(cache_dir: str, answers: Any) -> None:
    try:
        matcher = load_or_build(_slow_factory, releases=["hpo@1"], cache_dir=Path(cache_dir), lang="fr")
        answers.put(matcher.find_text("HTA")[0].candidates[0].curie)
    except Exception as error:  # reported to the test, which fails on it
        answers.put(repr(error))


def test_processes_building_the_same_matcher_at_once_all_get_it(tmp_path: Path) -> None:
    # gunicorn workers warming up together on an empty cache: each builds, one folder stays.
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    workers = [context.Process(target=_build_in_child, args=(str(tmp_path), answers)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [answers.get(timeout=5) for _ in workers] == ["HS:2"] * 4
    assert [path.name for path in tmp_path.iterdir()] == [cache_key(["hpo@1"], lang="fr")]
