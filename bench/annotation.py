"""Annotation throughput on FRACCO, one process, warm (matcher from its disk cache, pipelines built).

    HEALTHSEARCH_STATE_DIR=.state/bench .venv/bin/python -m bench.annotation [N]

Needs the bench Neo4j with the shared terminologies loaded and ../shared/data/corpora/fracco.
Prints documents/s and words/s for the first N documents (default 400), then the matcher and the
qualifiers timed apart on the first 150.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from api.annotation import AnnotatorProvider
from graph.driver import Graph
from graph.settings import Neo4jSettings, state_dir_from_env
from nlp.qualifiers import qualify_spans

FRACCO = Path(
    os.environ.get("HEALTHSEARCH_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
FRACCO = FRACCO / "corpora" / "fracco"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    texts = [path.read_text() for path in sorted(FRACCO.rglob("*.txt"))]
    if not texts:
        # make bench runs this after the load benchmark: say why it measures nothing, and go on.
        print(f"annotation throughput skipped: no FRACCO texts under {FRACCO} (shared data absent)")
        return
    graph = Graph.connect(Neo4jSettings.from_env())
    annotator = AnnotatorProvider(graph, cache_dir=state_dir_from_env() / "cache" / "matchers").get()
    annotator.warm_up()
    started = time.perf_counter()
    mentions = words = 0
    for text in texts[:count]:
        mentions += len(annotator.annotate(text, lang="fr").mentions)
        words += len(text.split())
    seconds = time.perf_counter() - started
    print(
        f"{count} docs in {seconds:.1f} s: {count / seconds:.1f} docs/s, {words / seconds:,.0f} words/s, "
        f"{mentions / count:.1f} mentions/doc"
    )
    sample = texts[:150]
    matcher = annotator.matchers["fr"]
    started = time.perf_counter()
    found = [matcher.find_text(text) for text in sample]
    matched = time.perf_counter()
    for text, spans in zip(sample, found, strict=True):
        qualify_spans(text, [(mention.start, mention.end) for mention in spans], lang="fr")
    qualified = time.perf_counter()
    print(
        f"matcher {len(sample) / (matched - started):.0f} docs/s; "
        f"qualifiers {len(sample) / (qualified - matched):.1f} docs/s"
    )
    graph.close()


if __name__ == "__main__":
    main()
