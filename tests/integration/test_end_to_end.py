"""The real path: `healthsearch serve` (gunicorn) in its own process, over HTTP, on the test Neo4j."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.document_repository import DocumentWriter
from graph.documents import DocumentRow, MentionRow
from graph.driver import Graph
from graph.ontology_writer import OntologyWriter
from ontologies.model import Concept, Label, OntologyRelease, Release


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture
def server(graph: Graph, tmp_path: Path) -> Iterator[str]:
    OntologyWriter(graph).load(
        OntologyRelease(
            release=Release(source="e2e", version="1"),
            concepts=(
                Concept(
                    curie="E2E:1",
                    iri="https://example.org/E2E_1",
                    source="e2e",
                    labels=(Label("Embolie pulmonaire", "fr"), Label("Pulmonary embolism", "en")),
                ),
            ),
        )
    )
    text = "Pas de fièvre. Embolie pulmonaire après prothèse de hanche."
    DocumentWriter(graph).write(
        [
            DocumentRow(
                id="e2e-doc",
                text=text,
                patient_id="e2e-patient",
                lang="fr",
                type="compte_rendu",
                mentions=(MentionRow(15, 33, "Embolie pulmonaire", (("E2E:1", 1.0),), sentence_start=15),),
            )
        ]
    )
    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "1"],
            env={**os.environ},
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"server exited early ({process.returncode}): {log.read_text()[-2000:]}")
            try:
                # Ready once the worker has warmed its NLP up (503 "warming_up" until then).
                if _get(f"{base}/readyz")[0] == 200:
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def test_served_api_answers_lookups_over_http(server: str) -> None:
    assert _get(f"{server}/readyz") == (200, {"status": "ready"})
    status, body = _get(f"{server}/api/concepts?q=embolie%20pulmonaire")
    assert status == 200
    assert body["hits"][0]["curie"] == "E2E:1"
    status, body = _get(f"{server}/api/concepts/E2E:404")
    assert status == 404
    assert body["error"]["code"] == "concept_not_found"


def _post(url: str, body: dict[str, Any]) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_served_api_searches_documents_and_patients(server: str) -> None:
    status, body = _post(f"{server}/api/search", {"query": "embolie pulmonaire", "lang": "fr"})
    assert status == 200, body
    assert [c["concept"] for c in body["query"]["any"]] == ["E2E:1"]
    [hit] = body["results"]
    assert hit["id"] == "e2e-doc" and hit["patient_id"] == "e2e-patient"
    assert hit["breakdown"]["concepts"][0]["concept"] == "E2E:1"
    [snippet] = [s for s in hit["snippets"] if s["highlights"][0]["concept"]]
    highlight = snippet["highlights"][0]
    assert snippet["text"][highlight["start"] : highlight["end"]] == "Embolie pulmonaire"
    status, body = _post(f"{server}/api/patients/search", {"all": [{"concept": "E2E:1"}]})
    assert status == 200, body
    assert [patient["id"] for patient in body["results"]] == ["e2e-patient"]
    status, body = _post(f"{server}/api/search", {"all": [{"concept": "E2E:404"}]})
    assert status == 404 and body["error"]["code"] == "concept_not_found"
