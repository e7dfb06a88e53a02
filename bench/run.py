"""`make bench`: terminology load time and concept lookup latency, on the bench Neo4j (.state/bench).

Measures, on this machine:
1. Loading every shared ontology (ontologies/manifests/shared.toml; the demo manifest when
   ../shared/data is absent) into an empty database, twice: on a freshly started Neo4j (cold JVM,
   new store) and again on the same, now warm, server after emptying it. Wall time, rows/s and the
   peak RSS of the Python process that loads.
2. p50/p95 latency of GET /api/concepts over the 200 fixed queries of bench/lookup_queries.tsv,
   through a real server (gunicorn, 2 workers) after a warm-up round; three rounds, medians.

Prints a Markdown summary and writes bench-results/bench-<timestamp>.json. Benchmarks are
measurements, not tests: nothing here asserts a target.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from bench.server import HEALTHSEARCH, free_port, ready_once, wait_until_ready

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEALTHSEARCH_SHARED_DATA", REPO.parent / "shared" / "data"))
QUERIES = REPO / "bench" / "lookup_queries.tsv"
ROUNDS = 3


def run(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run([HEALTHSEARCH, *args], capture_output=True, text=True, check=True, **kwargs)


def state_dir() -> Path:
    return Path(os.environ.get("HEALTHSEARCH_STATE_DIR", ".state/bench")).resolve()


def wipe() -> None:
    from graph.driver import Graph
    from graph.settings import Neo4jSettings

    graph = Graph.connect(Neo4jSettings.from_env())
    graph.run_schema("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
    graph.close()


def lookup_queries() -> list[tuple[str, str]]:
    """``(lang, text)`` of each line of bench/lookup_queries.tsv (comments and header left out)."""
    lines = [line for line in QUERIES.read_text().splitlines() if line and not line.startswith("#")][1:]
    return [(lang, text) for lang, text in (line.split("\t", 1) for line in lines)]


def timed_load(manifest: Path) -> dict[str, Any]:
    """Load ``manifest`` in a child process; wall time, rows/s per source and the child's peak RSS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = run(["ontologies", "load", "--manifest", str(manifest)])
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sources: list[dict[str, Any]] = []
    for line in result.stdout.splitlines():
        match = re.match(r"^(\S+)@(\S+): .* in ([0-9.]+) s \(([0-9,]+) rows/s\)", line)
        if match:
            rows = re.search(
                r"(\d+) concepts, (\d+) terms, (\d+) IS_A, (\d+) other relations, (\d+) mappings", line
            )
            total = sum(int(n) for n in rows.groups()) if rows else 0
            sources.append({"source": f"{match[1]}@{match[2]}", "seconds": float(match[3]), "rows": total})
    rows_total = sum(source["rows"] for source in sources)
    return {
        "seconds": round(seconds, 1),
        "rows": rows_total,
        "rows_per_second": round(rows_total / seconds),
        # ru_maxrss of children is the largest child so far; the loader is by far the largest.
        "peak_rss_mib": round(max(peak_kib, before) / 1024),
        "sources": sources,
    }


def lookup_latency() -> dict[str, Any]:
    queries = lookup_queries()
    port = free_port()
    log = (state_dir() / "bench-server.log").open("w")
    server = subprocess.Popen(
        [HEALTHSEARCH, "serve", "--port", str(port), "--workers", "2"], stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}/api/concepts?"
    try:
        # Every worker warmed up first: a worker still building its NLP pipelines took a core
        # from the first measured round (p95 49-59 ms against 26-34 ms in the later rounds).
        wait_until_ready(server, ready=lambda: ready_once(port))

        def one_round() -> list[float]:
            timings = []
            for lang, text in queries:
                url = base + urllib.parse.urlencode({"q": text, "lang": lang, "limit": 10})
                started = time.perf_counter()
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                timings.append((time.perf_counter() - started) * 1000)
            return timings

        one_round()  # warm-up: JIT, query plans, page cache
        rounds = [one_round() for _ in range(ROUNDS)]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    p50 = [statistics.median(timings) for timings in rounds]
    p95 = [statistics.quantiles(timings, n=20)[18] for timings in rounds]
    return {
        "queries": len(queries),
        "rounds": ROUNDS,
        "p50_ms": round(statistics.median(p50), 1),
        "p95_ms": round(statistics.median(p95), 1),
        "p95_ms_per_round": [round(value, 1) for value in p95],
    }


def main() -> None:
    manifest = REPO / "ontologies/manifests/shared.toml"
    if not (SHARED / "README.md").is_file():
        print(f"shared data absent at {SHARED}: benchmarking the demo manifest instead", file=sys.stderr)
        manifest = REPO / "ontologies/manifests/demo.toml"
    # 1. Fresh Neo4j: stop, remove the store, start (the JVM and the store start cold).
    run(["neo4j", "stop"])
    shutil.rmtree(state_dir() / "neo4j", ignore_errors=True)
    run(["neo4j", "start"])
    cold = timed_load(manifest)
    # 2. Same server, now warm, emptied.
    wipe()
    warm = timed_load(manifest)
    latency = lookup_latency()
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{os.cpu_count()} cores, {os.uname().machine}",
        "manifest": str(manifest.relative_to(REPO)),
        "load_fresh_server": cold,
        "load_warm_server_empty_db": warm,
        "lookup": latency,
    }
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(json.dumps(results, indent=2))
    print(
        f"| measure | value |\n|---|---|\n"
        f"| load, fresh Neo4j | {cold['seconds']} s, {cold['rows']:,} rows, "
        f"{cold['rows_per_second']:,} rows/s, "
        f"peak RSS {cold['peak_rss_mib']} MiB |\n"
        f"| load, warm Neo4j, empty database | {warm['seconds']} s, {warm['rows_per_second']:,} rows/s, "
        f"peak RSS {warm['peak_rss_mib']} MiB |\n"
        f"| /api/concepts, {latency['queries']} queries x {ROUNDS} rounds | p50 {latency['p50_ms']} ms, "
        f"p95 {latency['p95_ms']} ms (per round {latency['p95_ms_per_round']}) |"
    )


if __name__ == "__main__":
    main()
