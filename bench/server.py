"""A real API server for the benchmarks: `healthsearch serve` on a free port, measured once warm."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent
HEALTHSEARCH = str(BIN / "healthsearch")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ready_once(port: int) -> bool:
    """One ``/readyz``: 200 once Neo4j answers and the worker that took it has warmed its NLP up."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            return bool(response.status == 200)
    except OSError:  # not listening yet, or an HTTPError (an OSError): 503 while warming up
        return False


def wait_until_ready(
    server: subprocess.Popen[bytes],
    *,
    ready: Callable[[], bool],
    in_a_row: int = 20,
    timeout: float = 300.0,
    pause: float = 0.25,
) -> None:
    """Wait until ``ready()`` holds ``in_a_row`` times running.

    Each gunicorn worker warms up on its own and answers for itself; 20 successes running leave
    little chance that a worker still warming (and taking a core from the measured requests) was
    never asked. Raises ``SystemExit`` when the server exits or the timeout passes.
    """
    deadline = time.monotonic() + timeout
    running = 0
    while running < in_a_row:
        if server.poll() is not None:
            raise SystemExit(f"the API server exited ({server.returncode}) before it was ready")
        if time.monotonic() > deadline:
            raise SystemExit(f"the API server was not ready within {timeout:.0f} s")
        if ready():
            running += 1
        else:
            running = 0
            time.sleep(pause)
