"""The BM25 engine benchmark's pure parts: corpus reading, tantivy and bm25s rankings, scoring, timing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import tantivy

from bench import bm25_engines as be

# Three abstracts: kidney failure matches d2 on both words, d1 on "failure" only.
CORPUS = [
    {"_id": "d1", "title": "Heart failure", "text": "Cardiac failures in diabetic patients."},
    {"_id": "d2", "title": "", "text": "Renal failure and chronic kidney disease."},
    {"_id": "d3", "title": "Asthma", "text": "Wheezing in children with asthma."},
]
QUERIES = {"q1": "kidney failure", "q2": "asthmatic children", "q3": "heart"}
QRELS = {"q1": {"d1": 1}, "q2": {"d3": 1}, "q3": {"d1": 2, "d3": 0}}


def beir_folder(root: Path) -> Path:
    (root / "qrels").mkdir(parents=True)
    lines = [json.dumps(doc) for doc in CORPUS] + ["{not json"]
    (root / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def engines() -> list[be.Engine]:
    return be.default_engines()


@pytest.fixture
def docs(tmp_path: Path) -> list[be.CorpusDoc]:
    read, rejected = be.load_corpus(beir_folder(tmp_path))
    assert rejected == 1
    return read


def test_corpus_text_is_title_and_text_as_the_system_indexes_it(docs: list[be.CorpusDoc]) -> None:
    assert [doc.id for doc in docs] == ["d1", "d2", "d3"]
    assert docs[0].title == "Heart failure"
    assert docs[0].text == "Heart failure\n\nCardiac failures in diabetic patients."
    assert docs[1].title == ""  # an empty title is no title
    assert docs[1].text == "Renal failure and chronic kidney disease."


@pytest.mark.parametrize("engine", engines(), ids=lambda engine: engine.name)
def test_each_engine_ranks_the_document_matching_more_words_first(
    engine: be.Engine, docs: list[be.CorpusDoc]
) -> None:
    assert engine.build(docs) == 3
    assert engine.search("kidney failure", 100) == ["d2", "d1"]
    assert engine.search("kidney failure", 1) == ["d2"]
    # Only documents matching a word are hits (bm25s pads its top k with zero scores).
    assert engine.search("wheezing", 100) == ["d3"]
    assert engine.search("pneumonia", 100) == []
    # Query syntax means nothing: quotes, fields, operators and brackets are plain text.
    assert engine.search('kidney AND "failure: (renal', 100)[0] == "d2"


@pytest.mark.parametrize("engine", engines(), ids=lambda engine: engine.name)
def test_metrics_come_from_each_engines_ranking(engine: be.Engine, docs: list[be.CorpusDoc]) -> None:
    result = be.measure(engine, docs, {"q1": QUERIES["q1"]}, QRELS, repeats=1)
    # The relevant d1 is second behind d2: nDCG 1/log2(3), reciprocal rank 1/2, found in the top 100.
    assert result.scores.ndcg_at_10 == pytest.approx(0.6309, abs=1e-4)
    assert result.scores.mrr_at_10 == 0.5
    assert result.scores.recall_at_100 == 1.0
    assert result.docs_indexed == 3
    assert result.build_seconds is not None
    assert result.build_seconds > 0
    assert result.p95_ms >= result.p50_ms > 0


@pytest.mark.parametrize(
    ("name", "stems"),
    [
        ("tantivy-en_stem", True),
        ("tantivy-default", False),
        ("tantivy-lucene-en", True),
        ("tantivy-lucene-en-2fields", True),
        ("bm25s", True),
        ("bm25s-k1.2", True),
    ],
)
def test_stemming_is_that_of_each_engines_analyser(name: str, stems: bool, docs: list[be.CorpusDoc]) -> None:
    engine = next(engine for engine in engines() if engine.name == name)
    engine.build(docs)
    # "asthmatic" stems to "asthmat", not "asthma": only "children" matches, stemmed or not.
    assert engine.search("asthmatic children", 100) == ["d3"]
    assert engine.search("failures", 100) == (["d1", "d2"] if stems else ["d1"])


def test_stop_words_alone_find_nothing_where_they_are_removed(docs: list[be.CorpusDoc]) -> None:
    found = {}
    for engine in engines():
        engine.build(docs)
        found[engine.name] = engine.search("and in with", 100)
    assert found["tantivy-lucene-en"] == found["tantivy-lucene-en-2fields"] == []
    assert found["bm25s"] == found["bm25s-k1.2"] == []
    assert set(found["tantivy-en_stem"]) == {"d1", "d2", "d3"}  # no stop words there


def test_the_whole_run_scores_every_engine_on_the_same_queries(docs: list[be.CorpusDoc]) -> None:
    results = [be.measure(engine, docs, QUERIES, QRELS, repeats=2) for engine in engines()]
    for result in results:
        # q1: d1 second (0.6309); q2: d3 first (1); q3: d1, the one relevant document, alone (1).
        assert result.scores.ndcg_at_10 == pytest.approx((0.6309 + 1 + 1) / 3, abs=1e-4), result.name
        assert result.scores.mrr_at_10 == pytest.approx((0.5 + 1 + 1) / 3), result.name
    table = be.format_table(results).splitlines()
    assert len(table) == 2 + len(results)
    assert table[2].startswith("| tantivy-en_stem | 0.8770 | 1.0000 | 0.8333 | 3 | ")


def test_the_tantivy_analysers_are_tantivys_builtin_ones() -> None:
    text = "The patients' Heart-Failures were NOT treated; COVID-19 x" + "y" * 45
    for builtin in ("default", "en_stem"):
        schema = tantivy.SchemaBuilder().add_text_field("body", tokenizer_name=builtin).build()
        index = tantivy.Index(schema)
        writer = index.writer(heap_size=15_000_000, num_threads=1)
        writer.add_document(tantivy.Document(body=text))
        writer.commit()
        index.reload()
        searcher = index.searcher()
        terms = be._TANTIVY_ANALYSERS[builtin]().analyze(text)
        assert terms, builtin
        for term in terms:
            hits = searcher.search(tantivy.Query.term_query(schema, "body", term), 1).hits
            assert len(hits) == 1, (builtin, term)
        assert ("failur" in terms) is (builtin == "en_stem")
        assert all(len(term) <= 40 for term in terms)  # the over-long token is dropped


def test_latency_summary_is_the_median_of_each_pass() -> None:
    passes = [[1.0, 2.0, 3.0, 100.0], [2.0, 3.0, 4.0, 5.0], [9.0, 9.0, 9.0, 9.0]]
    p50, p95 = be.latency_summary(passes)
    assert p50 == 3.5  # medians 2.5, 3.5, 9
    assert p95 == 9.0  # p95s 100, 5, 9
    assert be.latency_summary([]) == (0.0, 0.0)


def test_measure_closes_the_engine_even_when_it_fails(docs: list[be.CorpusDoc]) -> None:
    class Failing:
        name, description = "failing", "fails on search"
        closed = False

        def build(self, docs: Any) -> int:
            return len(docs)

        def search(self, text: str, limit: int) -> list[str]:
            raise RuntimeError("boom")

        def close(self) -> None:
            self.closed = True

    engine = Failing()
    with pytest.raises(RuntimeError, match="boom"):
        be.measure(engine, docs, QUERIES, QRELS, repeats=1)
    assert engine.closed


class FakeGraph:
    """Answers counts and records the full-text queries of Neo4jTextFieldEngine; runs no schema."""

    def __init__(self, stored: int) -> None:
        self.stored = stored
        self.params: list[dict[str, Any]] = []
        self.schema: list[str] = []

    def read(self, work: Any) -> Any:
        graph = self

        class Tx:
            def run(self, query: str, params: dict[str, Any]) -> list[Any]:
                graph.params.append(params)

                class Row:
                    def __init__(self, data: dict[str, Any]) -> None:
                        self._data = data

                    def data(self) -> dict[str, Any]:
                        return self._data

                if "count(d)" in query:
                    return [Row({"n": graph.stored})]
                return [Row({"id": "d2"})]

        return work(Tx())

    def run_schema(self, statement: str) -> None:
        self.schema.append(statement)


def test_the_neo4j_one_field_engine_sends_plain_words_and_drops_its_index(
    docs: list[be.CorpusDoc],
) -> None:
    graph = FakeGraph(stored=3)
    engine = be.Neo4jTextFieldEngine(graph, "beir-tiny")  # type: ignore[arg-type]
    engine.build(docs)
    assert engine.search('kidney AND "failure"', 100) == ["d2"]
    assert graph.params[-1] == {
        "index": "bench_bm25_text_only",
        "query": "kidney and failure",
        "source": "beir-tiny",
        "limit": 100,
    }
    assert engine.search('"?', 100) == []  # nothing left to search: no query sent
    engine.close()
    assert graph.schema[0] == graph.schema[-1] == "DROP INDEX bench_bm25_text_only IF EXISTS"
    assert any("ON EACH [d.text]" in statement for statement in graph.schema)
    assert not any("IF NOT EXISTS" in statement for statement in graph.schema)


def test_neo4j_engines_refuse_a_corpus_not_ingested(docs: list[be.CorpusDoc]) -> None:
    engine = be.Neo4jTextFieldEngine(FakeGraph(stored=2), "beir-tiny")  # type: ignore[arg-type]
    with pytest.raises(SystemExit, match="holds 2 documents of source 'beir-tiny', the corpus 3"):
        engine.build(docs)
