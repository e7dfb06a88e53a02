"""Command-line paths are checked before anything starts: no Neo4j connection, no matcher compile."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main


def test_ingest_of_a_missing_path_fails_before_connecting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Neo4j that cannot answer: reaching it would fail with another message, after a wait.
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    missing = tmp_path / "notes.jsonl"
    result = CliRunner().invoke(main, ["documents", "ingest", str(missing), "--format", "jsonl"])
    assert result.exit_code == 2
    assert f"Path '{missing}' does not exist" in result.output
    assert "Compiling" not in result.output
