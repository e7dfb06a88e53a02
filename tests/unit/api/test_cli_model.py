"""`healthsearch model fetch`: says where the model is, fetches it once, fails in one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from nlp import embedding_model


def test_an_installed_model_is_reported_not_fetched(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / embedding_model.FOLDER).symlink_to(embedding_model.require(), target_is_directory=True)
    monkeypatch.setenv("HEALTHSEARCH_MODEL_DIR", str(tmp_path))
    monkeypatch.setattr(embedding_model, "REPOSITORY", (tmp_path / "nowhere").as_uri())
    result = CliRunner().invoke(main, ["model", "fetch"])
    assert result.exit_code == 0, result.output
    assert f"present in {tmp_path / embedding_model.FOLDER}" in result.output


def test_a_failed_fetch_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HEALTHSEARCH_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setattr(embedding_model, "REPOSITORY", (tmp_path / "nowhere").as_uri())
    result = CliRunner().invoke(main, ["model", "fetch"])
    assert result.exit_code == 1
    assert "error: could not download" in result.output and "Traceback" not in result.output
    assert embedding_model.installed(tmp_path / "models") is None
