"""Concept lookup in process: latency per kind of query and how often a misspelt query finds its term.

    HEALTHSEARCH_STATE_DIR=.state/bench .venv/bin/python -m bench.lookup_profile [--rounds 3]

Runs ``ConceptRepository.search`` (no HTTP) over ``bench/lookup_queries.tsv`` (100 exact terms, 40
prefixes, 60 with one letter deleted, in that order) against the configured Neo4j, after one warm-up
pass. Prints p50 / p95 per kind, the queries with no hit, and how many one-letter-deleted queries
get the original term as their top hit (text similarity above 0.95).
"""

from __future__ import annotations

import argparse
import difflib
import statistics
import time

from bench.run import lookup_queries
from graph.concept_repository import ConceptRepository
from graph.driver import Graph
from graph.settings import Neo4jSettings

KINDS = {"exact": range(0, 100), "prefix": range(100, 140), "one letter deleted": range(140, 200)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.lookup_profile")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    queries = lookup_queries()
    graph = Graph.connect(Neo4jSettings.from_env())
    try:
        repository = ConceptRepository(graph)
        results = [repository.search(text, lang=lang, limit=10) for lang, text in queries]  # warm-up
        timings: dict[int, list[float]] = {index: [] for index in range(len(queries))}
        for _ in range(args.rounds):
            for index, (lang, text) in enumerate(queries):
                started = time.perf_counter()
                repository.search(text, lang=lang, limit=10)
                timings[index].append((time.perf_counter() - started) * 1000)
    finally:
        graph.close()
    for kind, indexes in KINDS.items():
        print(f"{kind}: {_percentiles([ms for index in indexes for ms in timings[index]])}")
    print(f"all: {_percentiles([ms for values in timings.values() for ms in values])}")
    deleted = KINDS["one letter deleted"]
    found = sum(
        1 for index in deleted if results[index] and _same(results[index][0].matched.text, queries[index][1])
    )
    print(f"queries with no hit: {sum(1 for hits in results if not hits)} of {len(queries)}")
    print(f"one-letter-deleted queries whose top hit is the original term: {found} of {len(deleted)}")


def _percentiles(values: list[float]) -> str:
    return f"p50 {statistics.median(values):.1f} ms, p95 {statistics.quantiles(values, n=20)[18]:.1f} ms"


def _same(term: str, query: str) -> bool:
    return difflib.SequenceMatcher(None, term.lower(), query.lower()).ratio() > 0.95


if __name__ == "__main__":
    main()
