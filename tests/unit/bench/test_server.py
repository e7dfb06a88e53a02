"""The benchmarks measure a warm server: ready only after enough readiness answers in a row."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import cast

import pytest

from bench.server import wait_until_ready


class FakeServer:
    def __init__(self, exits_after: int | None = None) -> None:
        self.polls = 0
        self.exits_after = exits_after
        self.returncode: int | None = None

    def poll(self) -> int | None:
        self.polls += 1
        if self.exits_after is not None and self.polls > self.exits_after:
            self.returncode = 1
        return self.returncode


def answers(*values: bool) -> Iterator[bool]:
    yield from values
    while True:
        yield True


def test_a_failure_restarts_the_count() -> None:
    # Two successes, one 503 (a worker still warming), then three: ready only after the last three.
    asked = answers(True, True, False, True, True, True)
    calls: list[bool] = []

    def ready() -> bool:
        calls.append(next(asked))
        return calls[-1]

    server = cast("subprocess.Popen[bytes]", FakeServer())
    wait_until_ready(server, ready=ready, in_a_row=3, pause=0)
    assert calls == [True, True, False, True, True, True]


def test_a_server_that_exits_stops_the_wait() -> None:
    server = cast("subprocess.Popen[bytes]", FakeServer(exits_after=2))
    with pytest.raises(SystemExit, match="exited"):
        wait_until_ready(server, ready=lambda: False, pause=0)


def test_a_server_never_ready_times_out() -> None:
    server = cast("subprocess.Popen[bytes]", FakeServer())
    with pytest.raises(SystemExit, match="not ready within"):
        wait_until_ready(server, ready=lambda: False, timeout=0.05, pause=0.01)
