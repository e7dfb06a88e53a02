"""The pipeline version stamped on mentions and documents follows the curated data, not only the code."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import nlp.pipeline as pipeline
from nlp.pipeline import PIPELINE_VERSION, pipeline_version

NLP_DIR = Path(pipeline.__file__).resolve().parent


@pytest.fixture
def nlp_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the curated data that ``pipeline_version`` reads instead of the package's."""
    for folder in ("resources", "qualifiers", "pipelines"):
        shutil.copytree(NLP_DIR / folder, tmp_path / folder)
    monkeypatch.setattr(pipeline, "_NLP_DIR", tmp_path)
    pipeline_version.cache_clear()
    yield tmp_path
    pipeline_version.cache_clear()


def test_the_version_is_the_code_version_and_a_digest() -> None:
    label, _, digest = pipeline_version().partition("+")
    assert label == PIPELINE_VERSION
    assert len(digest) == 8 and int(digest, 16) >= 0


def test_the_same_data_gives_the_same_version(nlp_copy: Path) -> None:
    copied = pipeline_version()
    pipeline_version.cache_clear()
    assert pipeline_version() == copied


@pytest.mark.parametrize(
    "data",
    [
        "resources/abbreviations.tsv",
        "resources/derived_forms.tsv",
        "resources/excluded_branches.tsv",
        "qualifiers/context_en.tsv",
        "qualifiers/post_rules_fr.tsv",
        "qualifiers/sections.tsv",
    ],
)
def test_editing_any_curated_data_changes_the_version(nlp_copy: Path, data: str) -> None:
    before = pipeline_version()
    with (nlp_copy / data).open("a", encoding="utf-8") as handle:
        handle.write("\n# an edit\n")
    pipeline_version.cache_clear()
    after = pipeline_version()
    assert after != before and after.startswith(PIPELINE_VERSION + "+")


def test_renaming_a_list_changes_the_version(nlp_copy: Path) -> None:
    before = pipeline_version()
    (nlp_copy / "resources" / "derived_forms.tsv").rename(nlp_copy / "resources" / "derived.tsv")
    pipeline_version.cache_clear()
    assert pipeline_version() != before


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_another_pipeline_config_changes_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    pipeline_version.cache_clear()
    shipped = pipeline_version()
    config = tmp_path / f"{lang}.cfg"
    config.write_text((NLP_DIR / "pipelines" / f"{lang}.cfg").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setenv(f"HEALTHSEARCH_NLP_CONFIG_{lang.upper()}", str(config))
    pipeline_version.cache_clear()
    assert pipeline_version() == shipped  # the same content
    config.write_text(config.read_text(encoding="utf-8") + "\n# tuned\n", encoding="utf-8")
    pipeline_version.cache_clear()
    assert pipeline_version() != shipped
    pipeline_version.cache_clear()
