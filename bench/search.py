"""Search benchmark: a synthetic corpus ingested, then query latency and throughput on a warm server.

    python -m bench.search --docs 10000        (make bench runs it; BENCH_DOCS=100000 for the large one)

1. A synthetic corpus of ``--docs`` documents (``bench.synthetic_corpus``, seed 7) is written under
   the state directory once, and ingested (documents of source ``synthetic``; unchanged ones are
   skipped, so a second run measures nothing new: the ingest rate is of the first run). The demo
   terminologies are loaded first, since the corpus is written from them.
2. A real server (gunicorn, 2 workers) is started; each query of ``bench/search_queries.json`` is run
   once to warm up, then ``--rounds`` times in sequence: p50/p95 per kind (document search, patient
   search, and the free-text queries both understood and as plain BM25, side by side).
3. Throughput: ``--clients`` threads send the mixed set for ``--seconds``; requests/s and latencies.

Synthetic text measures load and latency, not quality (docs/benchmarks.md says so next to the figures).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.run import REPO, state_dir
from bench.server import HEALTHSEARCH, free_port, ready_once, wait_until_ready

QUERIES = REPO / "bench" / "search_queries.json"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50_ms": round(statistics.median(values), 1) if values else 0.0,
        "p95_ms": round(percentile(values, 0.95), 1),
    }


def corpus(docs: int) -> Path:
    from bench.synthetic_corpus import generate

    path = state_dir() / f"synthetic-{docs}.jsonl"
    if not path.is_file():
        print(f"writing {docs:,} synthetic documents to {path}", file=sys.stderr)
        generate(path, docs=docs, seed=7, manifest=REPO / "ontologies/manifests/demo.toml")
    return path


def ingest(path: Path) -> dict[str, Any]:
    subprocess.run(
        [HEALTHSEARCH, "ontologies", "load", "--manifest", str(REPO / "ontologies/manifests/demo.toml")],
        check=True,
    )
    started = time.perf_counter()
    done = subprocess.run(
        [HEALTHSEARCH, "documents", "ingest", str(path), "--format", "jsonl"],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
    line = next((row for row in done.stdout.splitlines() if "documents read" in row), done.stdout.strip())
    return {"seconds": round(seconds, 1), "report": line}


def post(port: int, path: str, body: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        payload = json.loads(response.read())
    return (time.perf_counter() - started) * 1000, payload


def requests_of(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, path, body) of every query: free text twice, understood and as plain BM25."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for query in spec["document"]:
        if "text" in query:
            body = {"query": query["text"], "lang": query["lang"]}
            out.append(("concept-aware text", "/api/search", body))
            # plain BM25: no concept, no feedback (pseudo-relevance feedback is a second search) and no
            # vector similarity
            plain = {**body, "understand": False, "feedback": False, "similarity_weight": 0}
            out.append(("plain BM25 text", "/api/search", plain))
        else:
            out.append(("document search", "/api/search", query["body"]))
    out.extend(("patient search", "/api/patients/search", query["body"]) for query in spec["patient"])
    return out


def measure(port: int, requests: list[tuple[str, str, dict[str, Any]]], rounds: int) -> dict[str, Any]:
    totals: dict[str, int] = {}
    for _kind, path, body in requests:  # warm-up, and the result sizes
        _, payload = post(port, path, body)
        totals[json.dumps(body, sort_keys=True)] = payload["total"]
    timings: dict[str, list[float]] = {}
    for _ in range(rounds):
        for kind, path, body in requests:
            elapsed, _ = post(port, path, body)
            timings.setdefault(kind, []).append(elapsed)
    result: dict[str, Any] = {kind: summary(values) for kind, values in timings.items()}
    document = timings["document search"] + timings["concept-aware text"]
    result["all document search"] = summary(document)
    result["totals"] = sorted(totals.values())
    return result


def throughput(
    port: int, requests: list[tuple[str, str, dict[str, Any]]], clients: int, seconds: float
) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    timings: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        index = offset
        while time.monotonic() < deadline:
            _, path, body = requests[index % len(requests)]
            index += 1
            try:
                elapsed, _ = post(port, path, body)
            except OSError as error:
                with lock:
                    errors.append(str(error))
                continue
            with lock:
                timings.append(elapsed)

    threads = [threading.Thread(target=client, args=(n * 3,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(timings),
        "errors": len(errors),
        "requests_per_second": round(len(timings) / wall, 1),
        **summary(timings),
    }


def document_count() -> int:
    from graph.driver import Graph, fetch
    from graph.settings import Neo4jSettings

    graph = Graph.connect(Neo4jSettings.from_env())
    try:
        rows = graph.read(lambda tx: fetch(tx, "MATCH (d:Document) RETURN count(d) AS n", {}))
        return int(rows[0]["n"])
    finally:
        graph.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--docs", type=int, default=int(os.environ.get("BENCH_DOCS", "10000")))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    ingested = ingest(corpus(args.docs))
    documents = document_count()
    spec = json.loads(QUERIES.read_text())
    requests = requests_of(spec)
    port = free_port()
    log = (state_dir() / "bench-search-server.log").open("w")
    server = subprocess.Popen(
        [HEALTHSEARCH, "serve", "--port", str(port), "--workers", "2"], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_until_ready(server, ready=lambda: ready_once(port))
        latency = measure(port, requests, args.rounds)
        load = throughput(port, requests, args.clients, args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    concept, plain = latency["concept-aware text"]["p50_ms"], latency["plain BM25 text"]["p50_ms"]
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{os.cpu_count()} cores",
        "synthetic_documents": args.docs,
        "documents_in_graph": documents,
        "ingest": ingested,
        "latency": latency,
        "concept_aware_over_plain_p50": round(concept / plain, 2) if plain else None,
        "throughput": load,
    }
    out = REPO / "bench-results"
    out.mkdir(exist_ok=True)
    (out / f"search-{args.docs}-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(results, indent=2)
    )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
