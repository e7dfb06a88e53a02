"""Assertion evaluation on the small NegEx-style fixtures, English and French."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from api.eval.assertion import evaluate_assertion, locate, negex_baseline
from api.eval.gold import read_negex

EVAL = Path(__file__).resolve().parents[2] / "fixtures" / "eval"


@pytest.mark.parametrize(
    ("sentence", "concept", "span"),
    [
        ("The patient reports Chest pain.", "chest  pain", (20, 30)),
        ("Chest\n pain today", "chest pain", (0, 11)),
        ("No fever.", "cough", None),
    ],
)
def test_locate_ignores_case_and_spacing(sentence: str, concept: str, span: tuple[int, int] | None) -> None:
    assert locate(sentence, concept) == span


@pytest.mark.parametrize(
    ("sentence", "concept", "negated"),
    [
        ("No fever, chills or cough.", "cough", True),
        ("Negative for pneumonia.", "pneumonia", True),
        ("No acute distress but the patient now has a cough.", "cough", False),  # trigger too far
        ("Cough, not fever.", "cough", False),  # pre-negation only
    ],
)
def test_negex_baseline(sentence: str, concept: str, negated: bool) -> None:
    span = locate(sentence, concept)
    assert span is not None
    assert negex_baseline(sentence, span) is negated


def test_english_report() -> None:
    report = evaluate_assertion(read_negex(EVAL / "negex_en.tsv"), lang="en")
    assert report.coverage == 1.0
    assert report.baseline["negated"].accuracy == 1.0
    assert set(report.as_dict()["system"]) == {"accuracy", "negated"}


def test_french_report_scores_hypothetical_when_present() -> None:
    report = evaluate_assertion(read_negex(EVAL / "negex_fr.tsv"), lang="fr")
    result = report.as_dict()
    assert set(result["system"]) == {"accuracy", "negated", "hypothetical"}
    assert set(result["baseline"]) == {"accuracy", "negated"}


def test_cli_assertion_json() -> None:
    outcome = CliRunner().invoke(
        main, ["eval", "assertion", "--corpus", str(EVAL / "negex_en.tsv"), "--lang", "en", "--json"]
    )
    assert outcome.exit_code == 0, outcome.output
    result = json.loads(outcome.output)
    assert result["coverage"] == 1.0
    assert set(result["system"]["negated"]) == {"precision", "recall", "f1"}
