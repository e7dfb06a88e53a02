"""A real local Neo4j 5.26 community, started from Maven Central jars (no Docker, no tarball).

The server tarball is not published on Maven Central, so the engine (``org.neo4j:neo4j`` with its
Bolt connector) runs under a one-class launcher kept beside this module (``launcher/``). State lives
in one folder (``HEALTHSEARCH_STATE_DIR``, default ``.state``): the generated password (mode 0600),
the port, the pid, the database files and the log. Separate state folders give separate instances
(``make test`` uses ``.state/test`` so development data is never wiped).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.errors import Errors, RuntimeSetupError
from graph.settings import state_dir_from_env

logger = logging.getLogger(__name__)

LAUNCHER_DIR = Path(__file__).parent / "launcher"
LAUNCHER_CLASS = "org.healthsearch.Neo4jLauncher"
# The flags Neo4j's own launcher passes on Java 17: the page cache and Netty need these modules open.
JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+ExitOnOutOfMemoryError",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dlog4j2.disable.jmx=true",
)


@dataclass(frozen=True)
class RuntimeStatus:
    running: bool
    pid: int | None
    uri: str | None
    state_dir: Path

    def describe(self) -> str:
        if self.running:
            return f"running (pid {self.pid}) at {self.uri}, state in {self.state_dir}"
        return f"stopped (state in {self.state_dir})"


def _size_to_bytes(size: str) -> int:
    match = re.fullmatch(r"(\d+)([kKmMgG]?)", size.strip())
    if match is None:
        raise RuntimeSetupError(f"Invalid memory size {size!r}; expected e.g. 512m or 1g.")
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(match.group(1)) * factor


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _bolt_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def _tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class LocalNeo4j:
    """Builds, starts, stops and reports on one local Neo4j instance rooted at ``state_dir``."""

    def __init__(
        self,
        state_dir: Path,
        *,
        port: int | None = None,
        heap: str = "1g",
        pagecache: str = "512m",
        password: str | None = None,
    ) -> None:
        self.state_dir = state_dir
        self._port = port
        self._heap = heap
        self._pagecache = pagecache
        self._password = password

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LocalNeo4j:
        """An instance configured by ``HEALTHSEARCH_STATE_DIR``, ``HEALTHSEARCH_NEO4J_PORT``,
        ``HEALTHSEARCH_NEO4J_HEAP``, ``HEALTHSEARCH_NEO4J_PAGECACHE`` and ``NEO4J_PASSWORD``."""
        env = os.environ if environ is None else environ
        port = env.get("HEALTHSEARCH_NEO4J_PORT")
        return cls(
            state_dir_from_env(env),
            port=int(port) if port else None,
            heap=env.get("HEALTHSEARCH_NEO4J_HEAP", "1g"),
            pagecache=env.get("HEALTHSEARCH_NEO4J_PAGECACHE", "512m"),
            password=env.get("NEO4J_PASSWORD") or None,
        )

    # -- files ------------------------------------------------------------------------------
    @property
    def home(self) -> Path:
        return self.state_dir / "neo4j"

    @property
    def log_path(self) -> Path:
        return self.state_dir / "neo4j.log"

    def _file(self, name: str) -> Path:
        return self.state_dir / name

    def _read(self, name: str) -> str | None:
        try:
            return self._file(name).read_text().strip() or None
        except FileNotFoundError:
            return None

    def _write_private(self, name: str, value: str) -> None:
        path = self._file(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # O_CREAT's mode applies only to a new file
        with os.fdopen(fd, "w") as handle:
            handle.write(value + "\n")

    def password(self) -> str:
        """The configured password, else the stored one, else a new one kept (0600) in the state dir."""
        if self._password:
            return self._password
        stored = self._read("password")
        if stored:
            return stored
        generated = secrets.token_urlsafe(24)
        self._write_private("password", generated)
        return generated

    def connection(self) -> tuple[str, str] | None:
        """(bolt URI, password) of this instance when it has been started once, else None."""
        port = self._read("port")
        if port is None:
            return None
        return f"bolt://127.0.0.1:{port}", self.password()

    # -- status -----------------------------------------------------------------------------
    def _pid(self) -> int | None:
        raw = self._read("pid")
        if raw is None or not raw.isdigit():
            return None
        pid = int(raw)
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            return None
        # A recycled pid belongs to another program: only our launcher on our home counts.
        if LAUNCHER_CLASS not in cmdline or str(self.home) not in cmdline:
            return None
        return pid

    def status(self) -> RuntimeStatus:
        pid = self._pid()
        port = self._read("port")
        running = pid is not None and port is not None and _bolt_answers(int(port))
        uri = f"bolt://127.0.0.1:{port}" if port else None
        return RuntimeStatus(running=running, pid=pid, uri=uri, state_dir=self.state_dir)

    # -- build ------------------------------------------------------------------------------
    @staticmethod
    def check_prerequisites() -> None:
        """Raise RuntimeSetupError naming what is missing (Java 17+, javac, Maven)."""
        for tool, why in (
            ("java", "runs Neo4j"),
            ("javac", "compiles the one-class launcher"),
            ("mvn", "fetches the Neo4j 5.26 jars from Maven Central"),
        ):
            if shutil.which(tool) is None:
                raise RuntimeSetupError(Errors.E104.format(tool=tool, why=why))
        result = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
        # "17.0.15" is Java 17; the old scheme "1.8.0_292" is Java 8.
        match = re.search(r'version "(?:1\.)?(\d+)', result.stderr + result.stdout)
        if match is None or int(match.group(1)) < 17:
            found = match.group(1) if match else "of unknown version"
            raise RuntimeSetupError(Errors.E105.format(found=found))

    def build(self) -> Path:
        """Resolve the Neo4j classpath and compile the launcher; cached by the launcher's hash.

        Returns the classpath file.
        """
        self.check_prerequisites()
        build_dir = self.state_dir / "launcher"
        pom = LAUNCHER_DIR / "pom.xml"
        source = LAUNCHER_DIR / "src/main/java/org/healthsearch/Neo4jLauncher.java"
        key = hashlib.sha256(pom.read_bytes() + source.read_bytes()).hexdigest()[:16]
        classpath_file = build_dir / f"classpath-{key}.txt"
        classes = build_dir / f"classes-{key}"
        if classpath_file.exists() and (classes / "org/healthsearch/Neo4jLauncher.class").exists():
            return classpath_file
        build_dir.mkdir(parents=True, exist_ok=True)
        build_log = build_dir / "build.log"
        logger.info("Resolving Neo4j jars from Maven Central (first run only)...")
        self._run_build_step(
            [
                "mvn",
                "-q",
                "-B",
                "-f",
                str(pom),
                "dependency:build-classpath",
                f"-Dmdep.outputFile={classpath_file}",
            ],
            step="mvn dependency:build-classpath",
            log=build_log,
        )
        self._run_build_step(
            ["javac", "-cp", classpath_file.read_text().strip(), "-d", str(classes), str(source)],
            step="javac",
            log=build_log,
        )
        return classpath_file

    @staticmethod
    def _run_build_step(command: list[str], *, step: str, log: Path) -> None:
        with log.open("a") as handle:
            result = subprocess.run(command, stdout=handle, stderr=subprocess.STDOUT, check=False)
        if result.returncode != 0:
            raise RuntimeSetupError(Errors.E106.format(step=step, log=log, tail=_tail(log)))

    # -- lifecycle --------------------------------------------------------------------------
    def _choose_port(self) -> int:
        if self._port is not None:
            if not _port_is_free(self._port):
                raise RuntimeSetupError(Errors.E110.format(port=self._port))
            return self._port
        stored = self._read("port")
        if stored and stored.isdigit() and _port_is_free(int(stored)):
            return int(stored)
        return _free_port()

    def start(self, *, timeout: float = 180.0) -> RuntimeStatus:
        """Start the instance unless it runs already, and wait until Bolt accepts the password.

        Idempotent: a running instance is left as it is.

        Raises:
            RuntimeSetupError: prerequisites missing, build failed, start failed or timed out.
        """
        current = self.status()
        if current.running:
            return current
        classpath_file = self.build()
        classes = classpath_file.parent / classpath_file.name.replace("classpath-", "classes-").replace(
            ".txt", ""
        )
        port = self._choose_port()
        password = self.password()
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "ready").unlink(missing_ok=True)
        command = [
            "java",
            f"-Xms{self._heap}",
            f"-Xmx{self._heap}",
            *JVM_FLAGS,
            "-cp",
            f"{classes}{os.pathsep}{classpath_file.read_text().strip()}",
            LAUNCHER_CLASS,
            "--home",
            str(self.home),
            "--port",
            str(port),
            "--pagecache",
            str(_size_to_bytes(self._pagecache)),
        ]
        env = {**os.environ, "NEO4J_PASSWORD": password}
        with self.log_path.open("a") as log:
            process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # outlives the CLI that started it
            )
        self._write_private("pid", str(process.pid))
        self._write_private("port", str(port))
        uri = f"bolt://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code = process.poll()
            if code is not None:
                raise RuntimeSetupError(
                    Errors.E107.format(code=code, log=self.log_path, tail=_tail(self.log_path))
                )
            if (self.home / "ready").exists() and _bolt_answers(port):
                return RuntimeStatus(running=True, pid=process.pid, uri=uri, state_dir=self.state_dir)
            time.sleep(0.5)
        self.stop()
        raise RuntimeSetupError(Errors.E108.format(uri=uri, seconds=int(timeout), log=self.log_path))

    def stop(self, *, timeout: float = 60.0) -> RuntimeStatus:
        """Stop the instance (SIGTERM, then SIGKILL after ``timeout``); idempotent."""
        pid = self._pid()
        if pid is not None:
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self._pid() is not None:
                time.sleep(0.3)
            if self._pid() is not None:
                logger.warning("Neo4j (pid %s) did not stop in %s s; killing it", pid, timeout)
                os.kill(pid, signal.SIGKILL)
                time.sleep(0.5)
        self._file("pid").unlink(missing_ok=True)
        return self.status()
