"""BEIR readers and the search evaluation harness, on a tiny hand-made BEIR folder."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from api.eval.beir import (
    DatasetError,
    evaluated_queries,
    read_beir_corpus,
    read_beir_queries,
    read_qrels,
)
from api.eval.ir_metrics import IRScores
from api.eval.search import (
    Ranker,
    SearchEvalReport,
    clean_ranking,
    evaluate_search,
    format_report,
    write_run_file,
)
from nlp.documents.model import DocumentRecord, Reject

CORPUS_LINES = [
    b'{"_id": "d1", "title": "Aspirin", "text": "Aspirin reduces fever.", '
    b'"metadata": {"year": 2020, "authors": ["A. Author"]}}',  # 1
    b'{"_id": "d2", "title": "", "text": "Ibuprofen is an NSAID."}',  # 2
    b"",  # 3: blank, not a record
    b'{"_id": "d3", "text": ',  # 4: invalid JSON
    b'{"_id": "", "text": "No id."}',  # 5
    b'{"_id": "d4", "text": 42}',  # 6
    b'{"_id": "d5", "title": "Only a title", "text": "   "}',  # 7: empty text
    b'{"_id": "d1", "title": "Again", "text": "A duplicate."}',  # 8
    b'["not", "an", "object"]',  # 9
    b'{"_id": 7, "text": "An integer id."}',  # 10
    b'{"_id": "d8", "text": "caf\xe9"}',  # 11: Latin-1, not UTF-8
    b'{"_id": "d9", "title": 5, "text": "A numeric title."}',  # 12
    b'{"_id": "d10", "title": "   ", "text": "A blank title."}',  # 13
    b'{"_id": "d11", "title": "Paracetamol"}',  # 14: no text
]

QUERIES = [
    {"_id": "q1", "text": "aspirin fever"},
    {"_id": "q2", "text": "ibuprofen"},
    {"_id": "q3", "text": "unjudged"},
    {"_id": "q4", "text": "judged not relevant only"},
]

QRELS = "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\td2\t2\nq2\td1\t1\nq4\td1\t0\nq5\td2\t1\n"


def _write_jsonl(path: Path, rows: Sequence[Mapping[str, object]]) -> None:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


@pytest.fixture
def beir(tmp_path: Path) -> Path:
    (tmp_path / "corpus.jsonl").write_bytes(b"\n".join(CORPUS_LINES) + b"\n")
    _write_jsonl(tmp_path / "queries-test.jsonl", QUERIES)
    (tmp_path / "qrels").mkdir()
    (tmp_path / "qrels" / "test.tsv").write_text(QRELS, encoding="utf-8")
    return tmp_path


# --- corpus ------------------------------------------------------------------------------------


def test_corpus_yields_a_record_or_a_reject_per_line(beir: Path) -> None:
    items = list(read_beir_corpus(beir, source="beir:tiny"))
    assert [(type(item).__name__, item.origin) for item in items] == [
        ("DocumentRecord", "corpus.jsonl:1"),
        ("DocumentRecord", "corpus.jsonl:2"),
        ("Reject", "corpus.jsonl:4"),
        ("Reject", "corpus.jsonl:5"),
        ("Reject", "corpus.jsonl:6"),
        ("Reject", "corpus.jsonl:7"),
        ("Reject", "corpus.jsonl:8"),
        ("Reject", "corpus.jsonl:9"),
        ("DocumentRecord", "corpus.jsonl:10"),
        ("Reject", "corpus.jsonl:11"),
        ("Reject", "corpus.jsonl:12"),
        ("DocumentRecord", "corpus.jsonl:13"),
        ("Reject", "corpus.jsonl:14"),
    ]


def test_corpus_records_join_title_and_text(beir: Path) -> None:
    records = [
        item for item in read_beir_corpus(beir, source="beir:tiny") if isinstance(item, DocumentRecord)
    ]
    first, no_title, int_id, blank_title = records
    assert first == DocumentRecord(
        id="d1",
        text="Aspirin\n\nAspirin reduces fever.",
        # The title is in the text; as a field of its own it would be indexed twice.
        title=None,
        source="beir:tiny",
        lang="en",
        type="article",
        metadata={"year": 2020, "title": "Aspirin"},  # the list value is dropped, the scalar kept
        origin="corpus.jsonl:1",
    )
    assert (no_title.id, no_title.text, no_title.title, no_title.metadata) == (
        "d2",
        "Ibuprofen is an NSAID.",
        None,
        {},
    )
    assert (int_id.id, int_id.text) == ("7", "An integer id.")
    assert (blank_title.id, blank_title.text, blank_title.title) == ("d10", "A blank title.", None)


def test_corpus_rejects_say_why_and_name_the_id(beir: Path) -> None:
    rejects = {
        item.origin: (item.record_id, item.reason)
        for item in read_beir_corpus(beir, source="s")
        if isinstance(item, Reject)
    }
    expected = {
        "corpus.jsonl:4": (None, "Invalid JSON"),
        "corpus.jsonl:5": (None, "Record has no id."),
        "corpus.jsonl:6": ("d4", "text is missing or not a string"),
        "corpus.jsonl:7": ("d5", "Empty text"),
        "corpus.jsonl:8": ("d1", "Duplicate id 'd1' (first read at corpus.jsonl:1)."),
        "corpus.jsonl:9": (None, "a JSON list, expected an object"),
        "corpus.jsonl:11": (None, "Undecodable bytes (not UTF-8)"),
        "corpus.jsonl:12": ("d9", "title is not a string"),
        "corpus.jsonl:14": ("d11", "text is missing or not a string"),
    }
    assert set(rejects) == set(expected)
    for origin, (record_id, reason) in expected.items():
        assert rejects[origin][0] == record_id, origin
        assert reason in rejects[origin][1], origin


def test_missing_corpus_raises_before_iteration(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"corpus\.jsonl: corpus file not found"):
        read_beir_corpus(tmp_path, source="s")  # not iterated: the check is eager


# --- queries and qrels -------------------------------------------------------------------------


def test_queries_of_the_split(beir: Path) -> None:
    assert read_beir_queries(beir, "test") == {
        "q1": "aspirin fever",
        "q2": "ibuprofen",
        "q3": "unjudged",
        "q4": "judged not relevant only",
    }


def test_queries_fall_back_to_the_splitless_file(beir: Path) -> None:
    _write_jsonl(beir / "queries.jsonl", [{"_id": "q9", "text": "all splits"}])
    assert read_beir_queries(beir, "dev") == {"q9": "all splits"}
    assert "q9" not in read_beir_queries(beir, "test")  # the split's own file wins


def test_missing_queries_file_raises(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"neither queries-dev\.jsonl nor queries\.jsonl"):
        read_beir_queries(tmp_path, "dev")


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("{not json", "invalid JSON"),
        ('["q"]', "a JSON list, expected an object"),
        ('{"text": "no id"}', "query has no _id"),
        ('{"_id": "q7", "text": "  "}', "query 'q7' has no text"),
        ('{"_id": "q7", "text": 3}', "query 'q7' has no text"),
        ('{"_id": "q1", "text": "again"}', "duplicate query id 'q1'"),
    ],
)
def test_bad_query_line_names_file_and_line(beir: Path, bad_line: str, message: str) -> None:
    path = beir / "queries-test.jsonl"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + bad_line + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match=r"queries-test\.jsonl:6: ") as raised:
        read_beir_queries(beir, "test")
    assert message in str(raised.value)


def test_qrels_skip_the_header_and_keep_grades(beir: Path) -> None:
    assert read_qrels(beir, "test") == {
        "q1": {"d1": 1, "d2": 0},
        "q2": {"d2": 2, "d1": 1},
        "q4": {"d1": 0},
        "q5": {"d2": 1},
    }


def test_qrels_tolerate_crlf_and_a_repeated_identical_pair(beir: Path) -> None:
    (beir / "qrels" / "test.tsv").write_bytes(b"query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq1\td1\t1\r\n")
    assert read_qrels(beir, "test") == {"q1": {"d1": 1}}


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("q9\td1", "2 tab-separated fields, expected 3"),
        ("q9 d1 1", "1 tab-separated fields, expected 3"),
        ("q9\td1\thigh", "score 'high' is not an integer"),
        ("q9\td1\t1.0", "score '1.0' is not an integer"),
        ("\td1\t1", "empty query-id or corpus-id"),
        ("q1\td1\t2", "pair ('q1', 'd1') judged twice, differently"),
    ],
)
def test_bad_qrels_line_names_file_and_line(beir: Path, bad_line: str, message: str) -> None:
    (beir / "qrels" / "test.tsv").write_text(f"query-id\tcorpus-id\tscore\nq1\td1\t1\n{bad_line}\n")
    with pytest.raises(DatasetError, match=r"test\.tsv:3: ") as raised:
        read_qrels(beir, "test")
    assert message in str(raised.value)


def test_missing_qrels_raises(beir: Path) -> None:
    with pytest.raises(DatasetError, match=r"qrels/dev\.tsv: qrels file not found"):
        read_qrels(beir, "dev")


def test_dataset_error_is_a_value_error() -> None:
    assert issubclass(DatasetError, ValueError)


def test_only_queries_with_a_relevant_document_are_evaluated(beir: Path) -> None:
    queries, qrels = read_beir_queries(beir, "test"), read_qrels(beir, "test")
    # q3: no qrels; q4: only a 0; q5: qrels but no query text.
    assert evaluated_queries(queries, qrels) == {"q1": "aspirin fever", "q2": "ibuprofen"}


# --- harness -----------------------------------------------------------------------------------

FILLERS = [f"f{i}" for i in range(120)]


def _system(text: str) -> list[str]:
    return ["d1", "d2"]


def _baseline(text: str) -> list[str]:
    # A repeated id (ranks 1-2) and 124 ids: d1 comes after the cut at 100, so it is not found.
    return ["x", "x", "d2", *FILLERS, "d1"]


def test_clean_ranking_keeps_first_occurrences_and_cuts_at_100() -> None:
    cleaned = clean_ranking(["b", "a", "b", *FILLERS, "a", "z"])
    assert len(cleaned) == 100
    assert cleaned[:3] == ("b", "a", "f0")
    assert cleaned[-1] == "f97"
    assert clean_ranking(["b", "a", "b"], limit=1) == ("b",)


@pytest.fixture
def report(beir: Path) -> SearchEvalReport:
    rankers: dict[str, Ranker] = {"system": _system, "baseline": _baseline}
    return evaluate_search(read_beir_queries(beir, "test"), read_qrels(beir, "test"), rankers)


def test_harness_runs_only_evaluated_queries_and_reports_progress(beir: Path) -> None:
    asked: list[str] = []
    done: list[int] = []

    def ranker(text: str) -> list[str]:
        asked.append(text)
        return []

    result = evaluate_search(
        read_beir_queries(beir, "test"), read_qrels(beir, "test"), {"bm25": ranker}, progress=done.append
    )
    assert asked == ["aspirin fever", "ibuprofen"]
    assert done == [1, 2]
    assert result.queries == 2
    assert result.as_json() == {"bm25": {"ndcg@10": 0.0, "recall@100": 0.0, "mrr@10": 0.0}, "queries": 2}


def test_harness_scores_per_query(report: SearchEvalReport) -> None:
    rows = {(row.query_id, row.system): row for row in report.rows}
    assert [(row.query_id, row.system) for row in report.rows] == [
        ("q1", "system"),
        ("q1", "baseline"),
        ("q2", "system"),
        ("q2", "baseline"),
    ]
    assert rows["q1", "system"].scores == IRScores(1.0, 1.0, 1.0)
    # Graded q2 (d2: 2, d1: 1) ranked d1, d2: (1 + 2/log2 3) / (2 + 1/log2 3).
    assert rows["q2", "system"].scores.ndcg_at_10 == pytest.approx(0.8597186998521972)
    assert rows["q1", "baseline"].scores == IRScores(0.0, 0.0, 0.0)  # d1 cut off at 100
    # The repeated "x" counts once: d2 is second, (2/log2 3) / (2 + 1/log2 3).
    baseline_q2 = rows["q2", "baseline"].scores
    assert baseline_q2.ndcg_at_10 == pytest.approx(0.4796249331362629)
    assert (baseline_q2.recall_at_100, baseline_q2.mrr_at_10) == (0.5, 0.5)
    assert rows["q2", "baseline"].top == ("x", "d2", "f0", "f1", "f2", "f3", "f4", "f5", "f6", "f7")
    assert rows["q2", "system"].top == ("d1", "d2")


def test_harness_json_shape(report: SearchEvalReport) -> None:
    shape = report.as_json()
    assert list(shape) == ["system", "baseline", "queries"]
    assert shape["queries"] == 2
    assert shape["system"] == pytest.approx({"ndcg@10": 0.9298593499260985, "recall@100": 1.0, "mrr@10": 1.0})
    assert shape["baseline"] == pytest.approx(
        {"ndcg@10": 0.23981246656813146, "recall@100": 0.25, "mrr@10": 0.25}
    )
    assert json.loads(json.dumps(shape)) == shape


def test_run_file_has_a_line_per_query_and_system(report: SearchEvalReport, tmp_path: Path) -> None:
    path = tmp_path / "run.tsv"
    write_run_file(report, path)
    assert path.read_text(encoding="utf-8").splitlines() == [
        "query_id\tsystem\tndcg@10\trecall@100\tmrr@10\ttop10",
        "q1\tsystem\t1.000000\t1.000000\t1.000000\td1 d2",
        "q1\tbaseline\t0.000000\t0.000000\t0.000000\tx d2 f0 f1 f2 f3 f4 f5 f6 f7",
        "q2\tsystem\t0.859719\t1.000000\t1.000000\td1 d2",
        "q2\tbaseline\t0.479625\t0.500000\t0.500000\tx d2 f0 f1 f2 f3 f4 f5 f6 f7",
    ]


def test_format_report_puts_systems_side_by_side(report: SearchEvalReport) -> None:
    assert format_report(report) == (
        "metric      system  baseline    delta\n"
        "ndcg@10     0.9299    0.2398  +0.6900\n"
        "recall@100  1.0000    0.2500  +0.7500\n"
        "mrr@10      1.0000    0.2500  +0.7500\n"
        "queries: 2"
    )


def test_format_report_without_a_baseline_has_no_delta(beir: Path) -> None:
    result = evaluate_search(read_beir_queries(beir, "test"), read_qrels(beir, "test"), {"bm25": _system})
    assert format_report(result).splitlines()[0] == "metric        bm25"


@pytest.mark.parametrize("rankers", [{}, {"queries": _system}])
def test_harness_refuses_bad_ranker_names(beir: Path, rankers: dict[str, Ranker]) -> None:
    with pytest.raises(ValueError, match="ranker"):
        evaluate_search({"q1": "aspirin"}, {"q1": {"d1": 1}}, rankers)


# --- the real SciFact training split -----------------------------------------------------------


@pytest.mark.shared_data
def test_scifact_train_counts(shared_data: Path) -> None:
    folder = shared_data / "ir" / "scifact"
    if not folder.is_dir():
        pytest.skip(f"no BEIR SciFact in the shared data ({folder})")
    queries, qrels = read_beir_queries(folder, "train"), read_qrels(folder, "train")
    assert len(queries) == 809
    assert sum(len(judged) for judged in qrels.values()) == 919
    assert {score for judged in qrels.values() for score in judged.values()} == {1}
    assert len(evaluated_queries(queries, qrels)) == 809
    items = list(read_beir_corpus(folder, source="beir:scifact"))
    assert len(items) == 5183
    corpus_ids = {item.id for item in items if isinstance(item, DocumentRecord)}
    assert len(corpus_ids) == 5183  # no Reject, no duplicate
    assert all(doc_id in corpus_ids for judged in qrels.values() for doc_id in judged)
