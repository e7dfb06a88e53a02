"""The lexicon build's scratch store: rows batched to SQLite on disk, removed after every build."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from matcher_markup import ENGLISH_TERMS, FRENCH_TERMS, term

from nlp.matcher import TerminologyMatcher, build_store
from nlp.matcher.errors import MatcherBuildError
from nlp.model import TermEntry

TEXTS = {
    "fr": "Insuffisance cardiaque, cancer et PA élevée; fibrillation auriculaire, diabète de type 2, "
    "HTA, œdèmes des membres, insuffisance coronarienne.",
    "en": "Congestive heart failure, atrial fibrillation, BP high, type 2 diabetes mellitus, "
    "physical exam, tetralogy of Fallot, Crohn disease, allergies.",
}
# Subtypes sharing a subtype-free name, and one subtype alone: both paths of name_subtypes.
SUBTYPED = [
    term("DO:1", "myotonic dystrophy type 1", "en"),
    term("DO:2", "myotonic dystrophy type 2", "en"),
    term("DO:3", "myotonic disease", "en"),
    term("DO:4", "Usher syndrome type 1", "en"),
]
PARENTS = {"DO:1": ["DO:3"], "DO:2": ["DO:3"]}


def found(matcher: TerminologyMatcher, text: str) -> list[tuple[int, int, list[tuple[str, float, str]]]]:
    return [
        (mention.start, mention.end, [(c.curie, c.score, c.match_type) for c in mention.candidates])
        for mention in matcher.find_text(text)
    ]


def build(entries: list[TermEntry], lang: str) -> TerminologyMatcher:
    return TerminologyMatcher.build(entries, lang=lang, parents=lambda curies: PARENTS)


@pytest.mark.parametrize(
    ("entries", "lang", "text"),
    [
        (FRENCH_TERMS, "fr", TEXTS["fr"]),
        ([*ENGLISH_TERMS, *SUBTYPED], "en", TEXTS["en"] + " Myotonic dystrophy, Usher syndrome."),
    ],
)
def test_rows_written_in_many_small_batches_index_what_one_batch_does(
    entries: list[TermEntry], lang: str, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = build(entries, lang)
    monkeypatch.setattr(build_store, "BATCH", 2)  # reads between batches, cursors across flushes
    batched = build(entries, lang)
    assert found(whole, text)
    assert found(batched, text) == found(whole, text)


def test_a_shared_surface_form_keeps_its_terms_in_build_order_across_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Five concepts whose only term is the same label: only build order tells them apart.
    entries = [term(f"HS:{index}", "douleur thoracique", "fr") for index in (5, 3, 9, 1, 7)]
    monkeypatch.setattr(build_store, "BATCH", 2)
    matcher = TerminologyMatcher.build(entries, lang="fr", abbreviations=())
    (mention,) = matcher.find_text("douleur thoracique")
    assert [candidate.curie for candidate in mention.candidates] == ["HS:5", "HS:3", "HS:9", "HS:1", "HS:7"]


def scratch_folders(root: Path) -> list[Path]:
    return list(root.glob("healthsearch-lexicon-*"))


def test_the_scratch_file_is_removed_after_a_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    matcher = build(FRENCH_TERMS, "fr")
    assert matcher.find_text("HTA")
    assert scratch_folders(tmp_path) == []


def test_a_build_that_fails_reading_its_entries_leaves_no_scratch_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def entries() -> Iterator[TermEntry]:
        yield from FRENCH_TERMS[:5]
        assert scratch_folders(tmp_path), "the build writes its rows to a scratch folder"
        raise ConnectionError("graph went away")

    with pytest.raises(ConnectionError, match="graph went away"):
        TerminologyMatcher.build(entries(), lang="fr")
    assert scratch_folders(tmp_path) == []


def test_a_missing_scratch_folder_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "gone"
    monkeypatch.setattr(tempfile, "tempdir", str(missing))
    with pytest.raises(MatcherBuildError, match=rf"scratch file in {missing} .*TMPDIR"):
        TerminologyMatcher.build(FRENCH_TERMS, lang="fr")


def test_a_full_disk_is_a_clear_error_and_leaves_no_scratch_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    # SQLite's own limit on the file's pages: the writes fail as on a full disk (SQLITE_FULL).
    monkeypatch.setattr(build_store, "PRAGMAS", (*build_store.PRAGMAS, "max_page_count = 40"))
    monkeypatch.setattr(build_store, "BATCH", 50)
    with pytest.raises(MatcherBuildError, match=rf"scratch file in {tmp_path} \(database or disk is full\)"):
        TerminologyMatcher.build([*FRENCH_TERMS] * 40, lang="fr")
    assert scratch_folders(tmp_path) == []
