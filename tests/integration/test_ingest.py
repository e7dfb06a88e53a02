"""`healthsearch documents ingest|reannotate` and GET /api/documents on the real test Neo4j."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from api.cli import main
from graph.driver import Graph
from graph.ontology_writer import OntologyWriter
from ontologies.model import Concept, Label, OntologyRelease, Release, Synonym, SynonymType
from tests.conftest import wipe

CONCEPTS = (
    Concept(
        curie="HS:1",
        iri="https://example.org/HS_1",
        source="hs",
        labels=(Label("Insuffisance cardiaque", "fr"), Label("Heart failure", "en")),
        synonyms=(Synonym("IC", "fr", SynonymType.ABBREVIATION),),
    ),
    Concept(
        curie="HS:2",
        iri="https://example.org/HS_2",
        source="hs",
        labels=(Label("Fièvre", "fr"), Label("Fever", "en")),
    ),
)
RECORDS = [
    {
        "id": "d1",
        "patient_id": "p1",
        "type": "cr",
        "date": "2026-01-02",
        "lang": "fr",
        "text": "Insuffisance cardiaque. Pas de fièvre.",
    },
    {"id": "d2", "patient_id": "p1", "type": "cr", "text": "No fever. Heart failure."},
    {"id": "", "text": "sans id"},
    {"id": "d3", "text": "   "},
]


@pytest.fixture
def env(graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEALTHSEARCH_CACHE_DIR", str(tmp_path / "cache"))
    OntologyWriter(graph).load(OntologyRelease(release=Release(source="hs", version="1"), concepts=CONCEPTS))
    notes = tmp_path / "notes.jsonl"
    notes.write_text(
        "\n".join(json.dumps(record, ensure_ascii=False) for record in RECORDS) + "\n{not json\n"
    )
    return tmp_path


def ingest(runner: CliRunner, path: Path, *extra: str) -> Any:
    return runner.invoke(
        main, ["documents", "ingest", str(path), "--format", "jsonl", "--processes", "1", *extra]
    )


def count(graph: Graph, query: str) -> int:
    return int(graph.read(lambda tx: tx.run(query).single()[0]))


def test_ingest_writes_good_records_and_reports_rejects(runner: CliRunner, graph: Graph, env: Path) -> None:
    rejects = env / "rejects.jsonl"
    result = ingest(runner, env / "notes.jsonl", "--rejects", str(rejects))
    assert result.exit_code == 1, result.output  # something was rejected
    assert count(graph, "MATCH (d:Document) RETURN count(d)") == 2
    reasons = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert len(reasons) == 3
    assert all(
        reason["origin"].startswith("notes.jsonl:") or "notes.jsonl" in reason["origin"] for reason in reasons
    )
    assert "Traceback" not in result.output
    assert "Pas de fièvre" not in result.output  # no document text in the output


def test_mentions_are_linked_and_qualified(
    runner: CliRunner, graph: Graph, env: Path, client: FlaskClient
) -> None:
    ingest(runner, env / "notes.jsonl")
    body = client.get("/api/documents/d1").get_json()
    assert body["patient_id"] == "p1" and body["lang"] == "fr"
    found = {m["text"]: m for m in body["mentions"]}
    assert found["Insuffisance cardiaque"]["candidates"][0]["curie"] == "HS:1"
    assert found["fièvre"]["negated"] is True
    assert {c["curie"]: c["affirmed"] for c in body["concepts"]} == {"HS:1": 1, "HS:2": 0}
    english = client.get("/api/documents/d2").get_json()
    assert english["lang"] == "en"  # detected
    assert {m["text"]: m["negated"] for m in english["mentions"]} == {"fever": True, "Heart failure": False}


def test_reingesting_changes_nothing(runner: CliRunner, graph: Graph, env: Path) -> None:
    ingest(runner, env / "notes.jsonl")
    before = count(graph, "MATCH (n) RETURN count(n)") + count(graph, "MATCH ()-[r]->() RETURN count(r)")
    result = ingest(runner, env / "notes.jsonl")
    assert "0 added, 0 replaced, 2 unchanged" in result.output
    assert (
        count(graph, "MATCH (n) RETURN count(n)") + count(graph, "MATCH ()-[r]->() RETURN count(r)") == before
    )


def test_changed_document_replaces_its_mentions(runner: CliRunner, graph: Graph, env: Path) -> None:
    ingest(runner, env / "notes.jsonl")
    changed = env / "changed.jsonl"
    changed.write_text(json.dumps({**RECORDS[0], "text": "Fièvre."}, ensure_ascii=False) + "\n")
    result = ingest(runner, changed)
    assert result.exit_code == 0, result.output
    assert "1 replaced" in result.output
    texts = graph.read(
        lambda tx: tx.run(
            "MATCH (:Document {id: 'd1'})-[:HAS_MENTION]->(m) RETURN collect(m.text) AS t"
        ).single()["t"]
    )
    assert texts == ["Fièvre"]


def test_reannotate_after_a_terminology_change(runner: CliRunner, graph: Graph, env: Path) -> None:
    ingest(runner, env / "notes.jsonl")
    extra = Concept(
        curie="HS:3", iri="https://example.org/HS_3", source="hs2", labels=(Label("cardiaque", "fr"),)
    )
    OntologyWriter(graph).load(OntologyRelease(release=Release(source="hs2", version="1"), concepts=(extra,)))
    result = runner.invoke(main, ["documents", "reannotate", "--processes", "1"])
    assert result.exit_code == 0, result.output
    assert "2 replaced" in result.output  # the terminology version is part of every document's hash
    assert "documents: 100%" in result.output and "2/2" in result.output  # progress against the total


def test_unknown_document_is_404(client: FlaskClient, graph: Graph) -> None:
    response = client.get("/api/documents/nope")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "document_not_found"


def test_missing_input_is_a_clear_error(runner: CliRunner, graph: Graph, tmp_path: Path) -> None:
    result = ingest(runner, tmp_path / "absent.jsonl")
    assert result.exit_code == 2  # a usage error, found before connecting
    assert "absent.jsonl" in result.output and "Traceback" not in result.output


def test_an_unwritable_matcher_scratch_folder_is_a_clear_error(
    runner: CliRunner, graph: Graph, env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cold matcher cache: the build needs its scratch file, and TMPDIR points nowhere.
    monkeypatch.setattr(tempfile, "tempdir", str(env / "no-such-tmp"))
    result = ingest(runner, env / "notes.jsonl")
    assert result.exit_code == 1
    assert "no-such-tmp" in result.output and "TMPDIR" in result.output
    assert "Traceback" not in result.output
    assert count(graph, "MATCH (d:Document) RETURN count(d)") == 0


def _snapshot(graph: Graph) -> dict[str, Any]:
    """Every document's hash and mention count, and the node and relationship totals."""
    rows = graph.read(
        lambda tx: [
            record.data()
            for record in tx.run("MATCH (d:Document) RETURN d.id AS id, d.hash AS hash, d.mention_count AS m")
        ]
    )
    return {
        "documents": sorted((row["id"], row["hash"], row["m"]) for row in rows),
        "nodes": count(graph, "MATCH (n) RETURN count(n)"),
        "relationships": count(graph, "MATCH ()-[r]->() RETURN count(r)"),
    }


def test_a_killed_ingest_finishes_on_the_next_run(
    runner: CliRunner, graph: Graph, env: Path, tmp_path: Path
) -> None:
    """SIGKILL between batches (no cleanup at all), then the same command: the graph a clean run gives."""
    notes = tmp_path / "many.jsonl"
    notes.write_text(
        "".join(
            json.dumps({"id": f"k{n:04d}", "patient_id": f"kp{n % 40}", "lang": "fr", "text": text}) + "\n"
            for n in range(600)
            for text in [f"Insuffisance cardiaque (note {n}). Pas de fièvre."]
        )
    )
    command = [sys.executable, "-m", "api.cli", "documents", "ingest", str(notes), "--format", "jsonl"]
    command += ["--processes", "1", "--batch-size", "10"]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ}
    )
    try:
        deadline = time.monotonic() + 120
        while count(graph, "MATCH (d:Document) RETURN count(d)") < 20:
            assert process.poll() is None, "the ingest ended before it could be killed"
            assert time.monotonic() < deadline, "no batch written in 120 s"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    partial = count(graph, "MATCH (d:Document) RETURN count(d)")
    assert 20 <= partial < 600, partial
    assert ingest(runner, notes, "--batch-size", "10").exit_code == 0
    resumed = _snapshot(graph)
    wipe(graph)
    OntologyWriter(graph).load(OntologyRelease(release=Release(source="hs", version="1"), concepts=CONCEPTS))
    assert ingest(runner, notes, "--batch-size", "10").exit_code == 0
    assert resumed == _snapshot(graph)
    assert len(resumed["documents"]) == 600


def test_text_vectors_that_cannot_be_loaded_stop_the_ingest_with_one_clear_line(
    runner: CliRunner, graph: Graph, env: Path, no_text_model: Path
) -> None:
    english = env / "english.jsonl"
    english.write_text(json.dumps({"id": "e1", "lang": "en", "text": "Heart failure."}) + "\n")
    result = ingest(runner, english)
    assert result.exit_code == 1
    assert "make install" in result.output and "Traceback" not in result.output
    assert count(graph, "MATCH (d:Document) RETURN count(d)") == 0  # nothing written
