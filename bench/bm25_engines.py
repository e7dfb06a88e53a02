"""BM25 engines side by side on a BEIR set: Neo4j's Lucene (as search uses it), tantivy, bm25s.

    HEALTHSEARCH_STATE_DIR=.state/bench .venv/bin/python -m bench.bm25_engines \\
        --dataset ../shared/data/ir/scifact --split train [--json]

Every engine ranks the same evaluated queries (``api.eval.beir``) over the same document text, the
title and the abstract as ``api/eval/beir.py`` joins them and the system indexes them, and is scored by
``api.eval.search.evaluate_search`` (``api.eval.ir_metrics``: nDCG@10, Recall@100, MRR@10).

- ``neo4j-lucene``: the bench Neo4j's ``document_text_en`` and ``document_text_other`` full-text indexes
  (Lucene's English analyser on ``title`` and ``text``), through ``api.eval.search_systems.
  baseline_ranker``, the plain-BM25 path of ``understand: false`` and of ``healthsearch eval search``,
  restricted to the documents of source ``beir-<folder>``. The corpus must have been ingested by
  ``healthsearch eval search`` first; this module writes no document. Its build time is that of a
  temporary index of the same fields and analyser over every English document (both BEIR sets: the real
  index also covers them all, so its BM25 statistics do too), dropped afterwards.
- ``neo4j-lucene-1field``: the same Lucene and analyser on a temporary index of ``text`` alone (which
  holds the title already), queried with the same words and source filter, dropped afterwards: it
  separates the index layout from the engine.
- ``tantivy-*``: an in-memory tantivy index, one ``text`` field (title + text), with analysers defined
  as tantivy's ``en_stem`` and ``default`` are, or close to Lucene's English one (``lucene-en``:
  Lucene's 33 English stop words, then the English stemmer); ``tantivy-lucene-en-2fields`` mirrors the
  Neo4j index layout too (``title`` and ``text`` fields, the title thus counted twice).
- ``bm25s-*``: bm25s with PyStemmer's English stemmer and its English stop words (Lucene's 33), at its
  default parameters (k1 1.5, b 0.75, Lucene's BM25 variant) and at Lucene's (k1 1.2).

Queries are bags of words for every engine (``graph.search_repository.lucene_text`` for Neo4j, the
analysed terms as optional clauses for tantivy): no phrase, no operator. Timing, per engine: the index
is built ``--repeats`` times (median kept); the scoring pass warms the engine up; then ``--repeats``
timed passes run every query in sequence, on one thread, for the top 100, and the median of their p50
and p95 is reported. Other processes share the machine: latencies are noisy, compare medians only.

Nothing prints document or query text: only ids and figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import bm25s  # type: ignore[import-untyped]
import Stemmer  # type: ignore[import-not-found]
import tantivy

from api.eval.beir import evaluated_queries, read_beir_corpus, read_beir_queries, read_qrels
from api.eval.ir_metrics import IRScores
from api.eval.search import MAX_RESULTS, evaluate_search
from bench.search import percentile
from graph.driver import Graph, fetch
from graph.search_repository import SearchRepository, lucene_text
from nlp.documents.model import DocumentRecord

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATASET = REPO.parent / "shared" / "data" / "ir" / "scifact"
NEO4J = "neo4j-lucene"
NEO4J_TEXT = "neo4j-lucene-1field"

# Tantivy's built-in analysers, rebuilt so that queries are analysed exactly as the index was
# (tantivy's Python bindings cannot analyse with a registered analyser): "default" is SimpleTokenizer,
# RemoveLongFilter(40), LowerCaser; "en_stem" adds the English Snowball stemmer.
_TANTIVY_ANALYSERS: dict[str, Callable[[], tantivy.TextAnalyzer]] = {
    "default": lambda: _tantivy_analyser(stop_words=False, stem=False),
    "en_stem": lambda: _tantivy_analyser(stop_words=False, stem=True),
    "lucene_en": lambda: _tantivy_analyser(stop_words=True, stem=True),
}


def _tantivy_analyser(*, stop_words: bool, stem: bool) -> tantivy.TextAnalyzer:
    builder = (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(40))
        .filter(tantivy.Filter.lowercase())
    )
    if stop_words:
        builder = builder.filter(tantivy.Filter.stopword("english"))
    if stem:
        builder = builder.filter(tantivy.Filter.stemmer("english"))
    return builder.build()


@dataclass(frozen=True)
class CorpusDoc:
    """One document as engines index it: ``text`` is title + text (as the system stores it)."""

    id: str
    title: str  # "" when the document has none
    text: str


def load_corpus(folder: Path) -> tuple[list[CorpusDoc], int]:
    """The documents of ``folder/corpus.jsonl`` read by ``api.eval.beir`` and the number rejected."""
    docs: list[CorpusDoc] = []
    rejected = 0
    for item in read_beir_corpus(folder, source="bench"):
        if isinstance(item, DocumentRecord):
            # The reader keeps a title that starts the text in the metadata (not indexed twice); the
            # two-field variants index it apart.
            title = item.title or item.metadata.get("title") or ""
            docs.append(CorpusDoc(item.id, str(title), item.text))
        else:
            rejected += 1
    return docs, rejected


class Engine(Protocol):
    name: str
    description: str

    def build(self, docs: Sequence[CorpusDoc]) -> int:
        """(Re)build the index from ``docs``; the number of documents indexed."""
        ...

    def search(self, text: str, limit: int) -> list[str]:
        """Document ids, best first, at most ``limit``; only documents matching a query term."""
        ...

    def close(self) -> None:
        """Release what ``build`` made outside this process (a temporary Neo4j index)."""
        ...


class TantivyEngine:
    """An in-memory tantivy index; ``fields`` ``("text",)`` or ``("title", "text")``."""

    def __init__(self, name: str, analyser: str, fields: tuple[str, ...] = ("text",)) -> None:
        if analyser not in _TANTIVY_ANALYSERS:
            raise ValueError(f"unknown tantivy analyser {analyser!r}")
        self.name = name
        self.analyser_name = analyser
        self.fields = fields
        self.description = f"tantivy 0.27, analyser {analyser}, fields {'+'.join(fields)}"
        self._analyser = _TANTIVY_ANALYSERS[analyser]()
        self._tokenizer = f"bench_{analyser}"
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        for field in fields:
            builder.add_text_field(field, stored=False, tokenizer_name=self._tokenizer)
        self._schema = builder.build()
        self._searcher: tantivy.Searcher | None = None

    def build(self, docs: Sequence[CorpusDoc]) -> int:
        index = tantivy.Index(self._schema)  # in RAM; a new one per build
        index.register_tokenizer(self._tokenizer, _TANTIVY_ANALYSERS[self.analyser_name]())
        writer = index.writer(heap_size=100_000_000, num_threads=1)
        for doc in docs:
            values = {"id": doc.id, "text": doc.text}
            if "title" in self.fields:
                values["title"] = doc.title
            writer.add_document(tantivy.Document(**values))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        self._searcher = index.searcher()
        return int(self._searcher.num_docs)

    def search(self, text: str, limit: int) -> list[str]:
        if self._searcher is None:
            raise RuntimeError(f"{self.name}: search before build")
        terms = self._analyser.analyze(text)
        if not terms:
            return []
        # One optional clause per analysed term and field, repeats kept: Lucene's classic query parser
        # with OR as the default operator builds the same bag of words.
        query = tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(self._schema, field, term))
                for term in terms
                for field in self.fields
            ]
        )
        searcher = self._searcher
        return [str(searcher.doc(address)["id"][0]) for _, address in searcher.search(query, limit).hits]

    def close(self) -> None:
        self._searcher = None


class Bm25sEngine:
    """bm25s over PyStemmer-stemmed tokens, English stop words removed; ``method``: bm25s's BM25 variant."""

    def __init__(self, name: str, *, k1: float = 1.5, b: float = 0.75, method: str = "lucene") -> None:
        self.name = name
        self.k1, self.b, self.method = k1, b, method
        self.description = f"bm25s 0.3.16, {method} variant, k1 {k1} b {b}, English stemmer + stop words"
        self._stemmer = Stemmer.Stemmer("english")
        self._retriever: Any = None
        self._ids: list[str] = []

    def _tokens(self, texts: list[str]) -> Any:
        return bm25s.tokenize(texts, stopwords="en", stemmer=self._stemmer, show_progress=False)

    def build(self, docs: Sequence[CorpusDoc]) -> int:
        self._ids = [doc.id for doc in docs]
        retriever = bm25s.BM25(k1=self.k1, b=self.b, method=self.method)
        retriever.index(self._tokens([doc.text for doc in docs]), show_progress=False)
        self._retriever = retriever
        return len(self._ids)

    def search(self, text: str, limit: int) -> list[str]:
        if self._retriever is None:
            raise RuntimeError(f"{self.name}: search before build")
        terms = bm25s.tokenize(
            [text], stopwords="en", stemmer=self._stemmer, return_ids=False, show_progress=False
        )
        k = min(limit, len(self._ids))
        found, scores = self._retriever.retrieve(terms, k=k, show_progress=False, n_threads=0)
        # bm25s fills the top k with unmatched documents (score 0): they are no hits.
        return [self._ids[int(i)] for i, score in zip(found[0], scores[0], strict=True) if score > 0]

    def close(self) -> None:
        self._retriever = None


class _Neo4jIndex:
    """A temporary full-text index over every English document, for the Neo4j engines' build times."""

    COUNT_SOURCE = "MATCH (d:Document {source: $source}) RETURN count(d) AS n"
    COUNT_ENGLISH = "MATCH (d:TextEn) RETURN count(d) AS n"

    def __init__(self, graph: Graph, name: str, properties: str) -> None:
        # Constants only: names and properties come from this module, never from the command line.
        self.graph, self.name = graph, name
        self._create = (
            f"CREATE FULLTEXT INDEX {name} FOR (d:TextEn) ON EACH [{properties}] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}}"
        )
        self._await = f"CALL db.awaitIndex('{name}', 1800)"
        self._drop = f"DROP INDEX {name} IF EXISTS"

    def count(self, query: str, **params: Any) -> int:
        return int(self.graph.read(lambda tx: fetch(tx, query, params))[0]["n"])

    def check_source(self, source: str, docs: Sequence[CorpusDoc]) -> None:
        stored = self.count(self.COUNT_SOURCE, source=source)
        if stored != len(docs):
            raise SystemExit(
                f"Neo4j holds {stored} documents of source {source!r}, the corpus {len(docs)}: "
                "run `healthsearch eval search` on this dataset first (it ingests the corpus)"
            )

    def create(self) -> int:
        """Drop any leftover, create, wait until populated; the number of English documents."""
        self.drop()
        self.graph.run_schema(self._create)
        self.graph.run_schema(self._await)
        return self.count(self.COUNT_ENGLISH)

    def drop(self) -> None:
        self.graph.run_schema(self._drop)


class Neo4jEngine:
    """The system's plain BM25 over the bench Neo4j, restricted to ``source``.

    Searches the real indexes; the build time is that of a probe index of the same fields and analyser
    as ``document_text_en`` (title and text, English), dropped at once.
    """

    def __init__(self, graph: Graph, source: str, *, measure_build: bool) -> None:
        from api.eval.search_systems import baseline_ranker  # the search stack: loaded only here

        self.name = NEO4J
        self.description = (
            "Neo4j 5.26 Lucene, english analyser, fields title+text: the system's index and query path"
        )
        self.source = source
        self.measure_build = measure_build
        # Properties swapped: Neo4j refuses an index equivalent to document_text_en (and IF NOT EXISTS
        # would silently create nothing); the order changes neither the work nor the result.
        self._probe = _Neo4jIndex(graph, "bench_bm25_build_probe", "d.text, d.title")
        self._rank = baseline_ranker(SearchRepository(graph), source, "en")

    def build(self, docs: Sequence[CorpusDoc]) -> int:
        self._probe.check_source(self.source, docs)
        if not self.measure_build:
            return self._probe.count(_Neo4jIndex.COUNT_ENGLISH)
        try:
            return self._probe.create()
        finally:
            self._probe.drop()

    def search(self, text: str, limit: int) -> list[str]:
        return list(self._rank(text))[:limit]

    def close(self) -> None:
        self._probe.drop()


class Neo4jTextFieldEngine:
    """Neo4j's Lucene with one field: a temporary index on ``text`` alone (it holds the title already),
    English analyser, kept while this engine is measured and dropped by ``close``."""

    QUERY = """
CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS d, score
WHERE d.source = $source
RETURN d.id AS id
LIMIT $limit
"""

    def __init__(self, graph: Graph, source: str) -> None:
        self.name = NEO4J_TEXT
        self.description = "Neo4j 5.26 Lucene, english analyser, field text only (temporary index)"
        self.graph, self.source = graph, source
        self._index = _Neo4jIndex(graph, "bench_bm25_text_only", "d.text")

    def build(self, docs: Sequence[CorpusDoc]) -> int:
        self._index.check_source(self.source, docs)
        return self._index.create()

    def search(self, text: str, limit: int) -> list[str]:
        query = lucene_text(text)
        if not query:
            return []
        params = {"index": self._index.name, "query": query, "source": self.source, "limit": limit}
        return [row["id"] for row in self.graph.read(lambda tx: fetch(tx, self.QUERY, params))]

    def close(self) -> None:
        self._index.drop()


def default_engines() -> list[Engine]:
    """Every non-Neo4j engine compared, in report order."""
    return [
        TantivyEngine("tantivy-en_stem", "en_stem"),
        TantivyEngine("tantivy-default", "default"),
        TantivyEngine("tantivy-lucene-en", "lucene_en"),
        TantivyEngine("tantivy-lucene-en-2fields", "lucene_en", fields=("title", "text")),
        Bm25sEngine("bm25s"),
        Bm25sEngine("bm25s-k1.2", k1=1.2),
    ]


@dataclass(frozen=True)
class EngineResult:
    name: str
    description: str
    scores: IRScores
    docs_indexed: int
    build_seconds: float | None  # median over builds; None when not measured
    p50_ms: float  # medians over timed passes of each pass's p50 / p95
    p95_ms: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            **{key: round(value, 4) for key, value in self.scores.as_dict().items()},
            "docs_indexed": self.docs_indexed,
            "build_s": None if self.build_seconds is None else round(self.build_seconds, 2),
            "p50_ms": round(self.p50_ms, 2),
            "p95_ms": round(self.p95_ms, 2),
        }


def latency_summary(passes: Iterable[Sequence[float]]) -> tuple[float, float]:
    """(median of the passes' p50, median of their p95), in the unit of the values."""
    medians, p95s = [], []
    for durations in passes:
        if durations:
            medians.append(statistics.median(durations))
            p95s.append(percentile(list(durations), 0.95))
    if not medians:
        return 0.0, 0.0
    return statistics.median(medians), statistics.median(p95s)


def measure(
    engine: Engine,
    docs: Sequence[CorpusDoc],
    queries: dict[str, str],
    qrels: dict[str, dict[str, int]],
    *,
    repeats: int = 3,
    time_build: bool = True,
    log: Callable[[str], None] = lambda _: None,
) -> EngineResult:
    """Build ``engine``, score it on the evaluated ``queries``, then time its queries.

    ``queries`` are all evaluated (callers pass ``evaluated_queries``); the scoring pass doubles as
    the warm-up of the timed passes.
    """
    if repeats < 1:
        raise ValueError("repeats must be at least 1")
    try:
        builds = []
        indexed = 0
        for _ in range(repeats if time_build else 1):
            started = time.perf_counter()
            indexed = engine.build(docs)
            builds.append(time.perf_counter() - started)
        build = f"build {statistics.median(builds):.2f} s" if time_build else "build not timed"
        log(f"{engine.name}: {indexed} documents indexed, {build}")

        def rank(text: str) -> Sequence[str]:
            return engine.search(text, MAX_RESULTS)

        report = evaluate_search(queries, qrels, {engine.name: rank})
        passes = []
        for _ in range(repeats):
            durations = []
            for text in queries.values():
                started = time.perf_counter()
                engine.search(text, MAX_RESULTS)
                durations.append((time.perf_counter() - started) * 1000)
            passes.append(durations)
    finally:
        engine.close()
    p50, p95 = latency_summary(passes)
    log(f"{engine.name}: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    return EngineResult(
        name=engine.name,
        description=engine.description,
        scores=report.systems[engine.name],
        docs_indexed=indexed,
        build_seconds=statistics.median(builds) if time_build else None,
        p50_ms=p50,
        p95_ms=p95,
    )


def format_table(results: Sequence[EngineResult]) -> str:
    """A Markdown table, one row per engine."""
    lines = [
        "| engine | nDCG@10 | Recall@100 | MRR@10 | docs indexed | build s | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        scores = result.scores
        build = "n/a" if result.build_seconds is None else f"{result.build_seconds:.2f}"
        lines.append(
            f"| {result.name} | {scores.ndcg_at_10:.4f} | {scores.recall_at_100:.4f} | "
            f"{scores.mrr_at_10:.4f} | {result.docs_indexed:,} | {build} | "
            f"{result.p50_ms:.2f} | {result.p95_ms:.2f} |"
        )
    return "\n".join(lines)


def _commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(REPO), "describe", "--always", "--dirty", "--abbrev=7"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.bm25_engines", description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET, help="BEIR-layout folder")
    parser.add_argument("--split", default="train", help="query split (default train)")
    parser.add_argument("--source", help="Neo4j source of the corpus (default beir-<folder name>)")
    parser.add_argument(
        "--engines", help="comma-separated engine names (default all: neo4j-lucene and every other)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="builds and timed passes per engine")
    parser.add_argument("--limit", type=int, help="only the first N evaluated queries")
    parser.add_argument(
        "--no-neo4j-build",
        action="store_true",
        help="do not time neo4j-lucene's build (no probe index; neo4j-lucene-1field still makes its own)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = parser.parse_args(argv)
    if args.repeats < 1:
        parser.error("--repeats must be at least 1")

    dataset: Path = args.dataset
    qrels = read_qrels(dataset, args.split)
    queries = evaluated_queries(read_beir_queries(dataset, args.split), qrels)
    if args.limit is not None:
        queries = dict(list(queries.items())[: args.limit])
    if not queries:
        sys.exit(f"no query of split {args.split!r} has a relevant document in {dataset}")
    docs, rejected = load_corpus(dataset)
    source = args.source or f"beir-{dataset.resolve().name}"

    others = default_engines()
    known = [NEO4J, NEO4J_TEXT, *(engine.name for engine in others)]
    wanted = known if args.engines is None else [name for name in args.engines.split(",") if name]
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        parser.error(f"unknown engine(s) {', '.join(unknown)}; known: {', '.join(known)}")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    log(f"{dataset.name}/{args.split}: {len(queries)} queries, {len(docs)} documents ({rejected} rejected)")
    results: list[EngineResult] = []
    if NEO4J in wanted or NEO4J_TEXT in wanted:
        from graph.settings import Neo4jSettings

        graph = Graph.connect(Neo4jSettings.from_env())
        try:
            if NEO4J in wanted:
                system = Neo4jEngine(graph, source, measure_build=not args.no_neo4j_build)
                timed = not args.no_neo4j_build
                results.append(
                    measure(system, docs, queries, qrels, repeats=args.repeats, time_build=timed, log=log)
                )
            if NEO4J_TEXT in wanted:
                one_field = Neo4jTextFieldEngine(graph, source)
                results.append(measure(one_field, docs, queries, qrels, repeats=args.repeats, log=log))
        finally:
            graph.close()
    for other in others:
        if other.name in wanted:
            results.append(measure(other, docs, queries, qrels, repeats=args.repeats, log=log))

    if args.json:
        print(
            json.dumps(
                {
                    "dataset": dataset.name,
                    "split": args.split,
                    "queries": len(queries),
                    "documents": len(docs),
                    "date": time.strftime("%Y-%m-%d"),
                    "commit": _commit(),
                    "repeats": args.repeats,
                    "engines": {result.name: result.as_dict() for result in results},
                }
            )
        )
        return
    print(f"{dataset.name} / {args.split}: {len(queries)} queries, {len(docs)} documents, commit {_commit()}")
    print(format_table(results))
    for result in results:
        print(f"  {result.name}: {result.description}")


if __name__ == "__main__":
    main()
