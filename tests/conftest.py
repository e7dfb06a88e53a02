"""Shared fixtures: the real test Neo4j, the Flask app and client, the CLI runner, shared data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.driver import Graph
from graph.errors import GraphUnavailable
from graph.settings import Neo4jSettings, state_dir_from_env

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("HEALTHSEARCH_SHARED_DATA", REPO.parent / "shared" / "data"))
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared real data folder; tests needing it are skipped, with the reason, when it is absent."""
    if not (SHARED_DATA / "README.md").is_file():
        pytest.skip(f"shared data not found at {SHARED_DATA} (a user's fresh clone has no ../shared)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def graph_session() -> Iterator[Graph]:
    """The test Neo4j started by `make test` (HEALTHSEARCH_STATE_DIR=.state/test)."""
    try:
        settings = Neo4jSettings.from_env()
        graph = Graph.connect(settings)
    except GraphUnavailable as error:
        if os.environ.get("HEALTHSEARCH_REQUIRE_NEO4J"):
            pytest.fail(f"the test Neo4j is required but unavailable: {error}")
        pytest.skip(f"no test Neo4j (run `make test`, which starts one): {error}")
    # Integration tests wipe the database: refuse anything but a test instance.
    state = state_dir_from_env()
    is_test_instance = "NEO4J_URI" not in os.environ and state.name.startswith("test")
    if not is_test_instance and not os.environ.get("HEALTHSEARCH_TEST_ALLOW_WIPE"):
        graph.close()
        pytest.skip(f"refusing to wipe a non-test Neo4j ({settings.uri}, state {state}); use `make test`")
    yield graph
    graph.close()


def wipe(graph: Graph) -> None:
    graph.run_schema("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


@pytest.fixture
def graph(graph_session: Graph) -> Graph:
    """The test Neo4j, emptied before the test (schema kept)."""
    wipe(graph_session)
    return graph_session


@pytest.fixture
def app(graph: Graph):  # type: ignore[no-untyped-def]
    from api.app import create_app

    return create_app({"GRAPH": graph, "TESTING": True})


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def no_text_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """The English text-vector model not installed (an empty model folder); reloaded after."""
    from nlp import embedding

    monkeypatch.setenv("HEALTHSEARCH_MODEL_DIR", str(tmp_path))
    embedding._tokenizer.cache_clear()
    embedding._session.cache_clear()
    yield tmp_path
    monkeypatch.undo()
    embedding._tokenizer.cache_clear()
    embedding._session.cache_clear()
