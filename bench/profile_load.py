"""Per-source write times of the shared manifest, in-process (parse once, then write each release).

    HEALTHSEARCH_STATE_DIR=.state/bench .venv/bin/python -m bench.profile_load

Use a freshly started bench Neo4j for "fresh server" figures. Prints parse time, each source's write
time (each release's rows prepared while the previous one writes, as the CLI does), the total, and
the final full-text wait.
"""

from __future__ import annotations

import time
from pathlib import Path

from graph.driver import Graph
from graph.ontology_writer import OntologyWriter, prepare_ahead
from graph.settings import Neo4jSettings
from ontologies.manifest import read_manifest
from ontologies.registry import read_sources

MANIFEST = Path(__file__).resolve().parents[1] / "ontologies/manifests/shared.toml"


def main() -> None:
    started = time.perf_counter()
    releases = read_sources(read_manifest(MANIFEST).sources)
    parsed = time.perf_counter()
    print(f"parse {parsed - started:.1f} s")
    graph = Graph.connect(Neo4jSettings.from_env())
    writer = OntologyWriter(graph)
    for prepared in prepare_ahead(releases):
        release = prepared.release
        begin = time.perf_counter()
        writer.load(release, wait_for_indexes=False, prepared=prepared)
        print(f"{release.release.source}@{release.release.version} {time.perf_counter() - begin:.1f} s")
    written = time.perf_counter()
    writer.wait_for_indexes()
    print(f"writes {written - parsed:.1f} s; full-text wait {time.perf_counter() - written:.1f} s")
    print(f"total {time.perf_counter() - started:.1f} s")
    graph.close()


if __name__ == "__main__":
    main()
