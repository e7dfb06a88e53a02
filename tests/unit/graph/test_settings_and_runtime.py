"""Neo4j settings from the environment and the offline parts of the local Neo4j runtime."""

from __future__ import annotations

import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.errors import GraphUnavailable, RuntimeSetupError
from graph.runtime.local import LocalNeo4j, _free_port, _size_to_bytes
from graph.settings import Neo4jSettings, state_dir_from_env

URI = "bolt://db.example.org:7687"


# --- Neo4jSettings.from_env with NEO4J_URI ------------------------------------------------------


def test_settings_from_neo4j_variables() -> None:
    env = {"NEO4J_URI": URI, "NEO4J_USER": "alice", "NEO4J_PASSWORD": "s3cret", "NEO4J_DATABASE": "health"}
    assert Neo4jSettings.from_env(env) == Neo4jSettings(
        uri=URI, user="alice", password="s3cret", database="health"
    )


def test_default_user_and_database() -> None:
    settings = Neo4jSettings.from_env({"NEO4J_URI": URI, "NEO4J_PASSWORD": "s3cret"})
    assert (settings.user, settings.database) == ("neo4j", "neo4j")


@pytest.mark.parametrize("environ", [{"NEO4J_URI": URI}, {"NEO4J_URI": URI, "NEO4J_PASSWORD": ""}])
def test_uri_without_password_unavailable(environ: dict[str, str]) -> None:
    with pytest.raises(GraphUnavailable, match="NEO4J_URI is set but NEO4J_PASSWORD is not"):
        Neo4jSettings.from_env(environ)


def test_repr_hides_password() -> None:
    settings = Neo4jSettings(uri=URI, user="alice", password="s3cret-pw")
    assert "s3cret-pw" not in repr(settings)


def test_str_hides_password() -> None:
    assert "s3cret-pw" not in str(Neo4jSettings(uri=URI, user="alice", password="s3cret-pw"))


def test_repr_shows_where() -> None:
    settings = Neo4jSettings(uri=URI, user="alice", password="s3cret-pw")
    assert repr(settings) == f"Neo4jSettings(uri={URI!r}, user='alice', database='neo4j')"


# --- Neo4jSettings.from_env from the local state dir --------------------------------------------


def _local_env(state: Path, **extra: str) -> dict[str, str]:
    return {"HEALTHSEARCH_STATE_DIR": str(state), **extra}


def test_nothing_configured_unavailable(tmp_path: Path) -> None:
    with pytest.raises(GraphUnavailable, match="No Neo4j is configured"):
        Neo4jSettings.from_env(_local_env(tmp_path))


@pytest.mark.parametrize("hint", ["`healthsearch neo4j start`", "NEO4J_URI", "docker compose"])
def test_nothing_configured_message_says_what_to_do(tmp_path: Path, hint: str) -> None:
    with pytest.raises(GraphUnavailable) as info:
        Neo4jSettings.from_env(_local_env(tmp_path))
    assert hint in str(info.value)


def test_nothing_configured_writes_no_state(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with pytest.raises(GraphUnavailable):
        Neo4jSettings.from_env(_local_env(state))
    assert not state.exists()


def test_settings_from_started_local_instance(tmp_path: Path) -> None:
    (tmp_path / "port").write_text("7688\n")
    (tmp_path / "password").write_text("stored-pw\n")
    settings = Neo4jSettings.from_env(_local_env(tmp_path, NEO4J_DATABASE="health"))
    assert settings == Neo4jSettings(
        uri="bolt://127.0.0.1:7688", user="neo4j", password="stored-pw", database="health"
    )


def test_state_dir_from_env(tmp_path: Path) -> None:
    assert state_dir_from_env({"HEALTHSEARCH_STATE_DIR": str(tmp_path / "s")}) == tmp_path / "s"


def test_state_dir_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert state_dir_from_env({}) == tmp_path / ".state"


# --- LocalNeo4j.password ------------------------------------------------------------------------


def test_password_generated(tmp_path: Path) -> None:
    assert len(LocalNeo4j(tmp_path / "state").password()) >= 24


def test_password_stored_private(tmp_path: Path) -> None:
    LocalNeo4j(tmp_path / "state").password()
    assert stat.S_IMODE((tmp_path / "state" / "password").stat().st_mode) == 0o600


def test_password_generated_once(tmp_path: Path) -> None:
    first = LocalNeo4j(tmp_path).password()
    assert LocalNeo4j(tmp_path).password() == first


def test_password_differs_between_state_dirs(tmp_path: Path) -> None:
    assert LocalNeo4j(tmp_path / "a").password() != LocalNeo4j(tmp_path / "b").password()


def test_env_password_wins_over_stored(tmp_path: Path) -> None:
    LocalNeo4j(tmp_path).password()
    local = LocalNeo4j.from_env(_local_env(tmp_path, NEO4J_PASSWORD="from-env"))
    assert local.password() == "from-env"


def test_env_password_not_stored(tmp_path: Path) -> None:
    LocalNeo4j.from_env(_local_env(tmp_path, NEO4J_PASSWORD="from-env")).password()
    assert not (tmp_path / "password").exists()


# --- _size_to_bytes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("512m", 512 * 1024**2),
        ("1g", 1024**3),
        ("2G", 2 * 1024**3),
        ("64k", 64 * 1024),
        ("100", 100),
        (" 1g ", 1024**3),
    ],
)
def test_size_to_bytes(size: str, expected: int) -> None:
    assert _size_to_bytes(size) == expected


@pytest.mark.parametrize("size", ["", "g", "1.5g", "1t", "-1g", "1 g", "1gb", "one"])
def test_bad_size_raises(size: str) -> None:
    with pytest.raises(RuntimeSetupError, match="Invalid memory size"):
        _size_to_bytes(size)


# --- check_prerequisites ------------------------------------------------------------------------


def _fake_tool(folder: Path, name: str, script: str = "exit 0") -> None:
    path = folder / name
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


def _fake_java(folder: Path, version_line: str) -> None:
    _fake_tool(folder, "java", f"echo '{version_line}' >&2")
    _fake_tool(folder, "javac")
    _fake_tool(folder, "mvn")


@pytest.fixture
def empty_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PATH", str(tmp_path))
    return tmp_path


def test_missing_java_named(empty_path: Path) -> None:
    with pytest.raises(RuntimeSetupError, match=r"^java is needed to run the local Neo4j"):
        LocalNeo4j.check_prerequisites()


@pytest.mark.parametrize("hint", ["NEO4J_URI", "docker compose", "Java 17"])
def test_missing_java_message_gives_alternatives(empty_path: Path, hint: str) -> None:
    with pytest.raises(RuntimeSetupError) as info:
        LocalNeo4j.check_prerequisites()
    assert hint in str(info.value)


@pytest.mark.parametrize(("present", "missing"), [(("java",), "javac"), (("java", "javac"), "mvn")])
def test_missing_build_tool_named(empty_path: Path, present: tuple[str, ...], missing: str) -> None:
    for tool in present:
        _fake_tool(empty_path, tool)
    with pytest.raises(RuntimeSetupError, match=rf"^{missing} is needed"):
        LocalNeo4j.check_prerequisites()


@pytest.mark.parametrize("version_line", ['openjdk version "11.0.2" 2019-01-15', 'java version "16.0.1"'])
def test_old_java_needs_java_17(empty_path: Path, version_line: str) -> None:
    _fake_java(empty_path, version_line)
    with pytest.raises(RuntimeSetupError, match="needs Java 17"):
        LocalNeo4j.check_prerequisites()


def test_old_java_version_reported(empty_path: Path) -> None:
    _fake_java(empty_path, 'openjdk version "11.0.2" 2019-01-15')
    with pytest.raises(RuntimeSetupError, match=r"^Java 11 found"):
        LocalNeo4j.check_prerequisites()


def test_unreadable_java_version(empty_path: Path) -> None:
    _fake_java(empty_path, "something else entirely")
    with pytest.raises(RuntimeSetupError, match="Java of unknown version found"):
        LocalNeo4j.check_prerequisites()


def test_java_8_reported_as_8(empty_path: Path) -> None:
    _fake_java(empty_path, 'java version "1.8.0_292"')
    with pytest.raises(RuntimeSetupError, match=r"^Java 8 found"):
        LocalNeo4j.check_prerequisites()


@pytest.mark.parametrize(
    "version_line", ['openjdk version "17.0.9" 2023-10-17', 'openjdk version "21" 2023-09-19']
)
def test_java_17_or_later_accepted(empty_path: Path, version_line: str) -> None:
    _fake_java(empty_path, version_line)
    assert LocalNeo4j.check_prerequisites() is None


# --- status and stop of an instance that never started ------------------------------------------


@pytest.fixture
def never_started(tmp_path: Path) -> LocalNeo4j:
    return LocalNeo4j(tmp_path / "state")


def test_never_started_not_running(never_started: LocalNeo4j) -> None:
    status = never_started.status()
    assert (status.running, status.pid, status.uri) == (False, None, None)


def test_never_started_described_as_stopped(never_started: LocalNeo4j) -> None:
    assert never_started.status().describe() == f"stopped (state in {never_started.state_dir})"


def test_never_started_has_no_connection(never_started: LocalNeo4j) -> None:
    assert never_started.connection() is None


def test_stop_never_started_is_a_no_op(never_started: LocalNeo4j) -> None:
    assert never_started.stop(timeout=1).running is False
    assert not never_started.state_dir.exists()


def test_stop_is_idempotent(never_started: LocalNeo4j) -> None:
    first = never_started.stop(timeout=1)
    assert never_started.stop(timeout=1) == first


def test_port_without_listener_not_running(tmp_path: Path) -> None:
    port = _free_port()
    (tmp_path / "port").write_text(f"{port}\n")
    status = LocalNeo4j(tmp_path).status()
    assert (status.running, status.uri) == (False, f"bolt://127.0.0.1:{port}")


@pytest.fixture
def foreign_process() -> Iterator[subprocess.Popen[bytes]]:
    """A process that is not our launcher (as when a stale pid file names a recycled pid)."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def test_stale_pid_of_other_program_not_running(
    tmp_path: Path, foreign_process: subprocess.Popen[bytes]
) -> None:
    (tmp_path / "pid").write_text(f"{foreign_process.pid}\n")
    assert LocalNeo4j(tmp_path).status().pid is None


def test_stop_never_signals_other_program(tmp_path: Path, foreign_process: subprocess.Popen[bytes]) -> None:
    (tmp_path / "pid").write_text(f"{foreign_process.pid}\n")
    LocalNeo4j(tmp_path).stop(timeout=1)
    assert foreign_process.poll() is None


def test_stop_removes_stale_pid_file(tmp_path: Path, foreign_process: subprocess.Popen[bytes]) -> None:
    (tmp_path / "pid").write_text(f"{foreign_process.pid}\n")
    LocalNeo4j(tmp_path).stop(timeout=1)
    assert not (tmp_path / "pid").exists()
