"""`healthsearch eval search` on a tiny BEIR folder, against the real test Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from graph.driver import Graph

REPO = Path(__file__).resolve().parents[2]
DEMO_VOCABULARY = REPO / "ontologies" / "demo" / "cardiometabolic.ttl"

CORPUS = [
    # Written with a synonym and a descendant: BM25 on the query words cannot find them.
    ("d-hta", "Trial", "Hypertension treated with ramipril, good tolerance at one year."),
    ("d-t2", "Cohort", "Patients with T2DM followed for ten years in primary care."),
    ("d-af", "Rhythm", "Atrial fibrillation after surgery in elderly patients."),
    ("d-ob", "Weight", "Obesity and dyslipidaemia in adolescents."),
    ("d-noise", "Methods", "Blood flow and pressure sensors in healthy volunteers."),
]
QUERIES = [("q1", "high blood pressure"), ("q2", "diabetes mellitus"), ("q3", "atrial fibrillation")]
QRELS = [("q1", "d-hta", 1), ("q2", "d-t2", 1), ("q3", "d-af", 1)]


@pytest.fixture
def dataset(graph: Graph, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEALTHSEARCH_CACHE_DIR", str(tmp_path / "cache"))
    loaded = runner.invoke(
        main, ["ontologies", "load", str(DEMO_VOCABULARY), "--format", "skos", "--source-id", "hs-demo"]
    )
    assert loaded.exit_code == 0, loaded.output
    folder = tmp_path / "tiny"
    (folder / "qrels").mkdir(parents=True)
    (folder / "corpus.jsonl").write_text(
        "\n".join(json.dumps({"_id": i, "title": t, "text": x}) for i, t, x in CORPUS) + "\n"
    )
    (folder / "queries-test.jsonl").write_text(
        "\n".join(json.dumps({"_id": i, "text": t}) for i, t in QUERIES) + "\n"
    )
    (folder / "qrels" / "test.tsv").write_text(
        "query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t{s}\n" for q, d, s in QRELS)
    )
    return folder


def test_eval_search_reports_system_and_baseline(runner: CliRunner, dataset: Path, tmp_path: Path) -> None:
    run_file = tmp_path / "run.tsv"
    args = ["eval", "search", "--dataset", str(dataset), "--split", "test", "--processes", "1"]
    result = runner.invoke(main, [*args, "--json", "--run-file", str(run_file)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.strip().splitlines()[-1])
    assert set(scores) == {"system", "baseline", "queries"} and scores["queries"] == 3
    assert set(scores["system"]) == {"ndcg@10", "recall@100", "mrr@10"}
    # The synonym (high blood pressure) and the descendant (T2DM) are found through concepts only.
    assert scores["system"]["recall@100"] == 1.0
    assert scores["baseline"]["recall@100"] < 1.0
    assert scores["system"]["ndcg@10"] > scores["baseline"]["ndcg@10"]
    rows = run_file.read_text().splitlines()
    assert rows[0].startswith("query_id\tsystem") and len(rows) == 1 + 3 * 2
    # Running again ingests nothing new and gives the same scores.
    again = runner.invoke(main, [*args, "--json"])
    assert json.loads(again.output.strip().splitlines()[-1]) == scores


def test_eval_search_names_a_missing_split(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(main, ["eval", "search", "--dataset", str(dataset), "--split", "dev"])
    assert result.exit_code == 1
    assert "queries" in result.output and "Traceback" not in result.output
