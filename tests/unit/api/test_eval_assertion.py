"""Assertion evaluation on the small NegEx-style fixtures, English and French."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from api.eval.assertion import (
    _negspacy_pipeline,
    baseline_for,
    evaluate_assertion,
    locate,
    negspacy_baseline,
)
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
        ("No evidence of pneumonia.", "pneumonia", True),  # en_clinical preceding trigger
        ("Pneumonia was seen.", "pneumonia", False),
        ("Pneumonia was ruled out.", "pneumonia", True),  # following trigger
        ("No fever but a cough.", "fever", True),  # the marked phrase only: same sentence,
        ("No fever but a cough.", "cough", False),  # "but" ends the scope of "no"
        ("Cough, not fever.", "cough", False),  # "not" only negates what follows it
        # Pseudo-negations of the clinical termset cancel the trigger they contain:
        ("No change in the pleural effusion.", "pleural effusion", False),  # "no change"
        ("Pneumonia has not been ruled out.", "pneumonia", False),  # "not been ruled out"
    ],
)
def test_negspacy_baseline(sentence: str, concept: str, negated: bool) -> None:
    span = locate(sentence, concept)
    assert span is not None
    assert negspacy_baseline(sentence, span) is negated


def test_english_baseline_is_negspacy_built_once() -> None:
    assert baseline_for("en") is negspacy_baseline
    assert _negspacy_pipeline() is _negspacy_pipeline()
    _, steps = _negspacy_pipeline()
    assert [type(step).__name__ for step in steps] == ["Sentencizer", "Negex"]


def test_english_report() -> None:
    cases = read_negex(EVAL / "negex_en.tsv")
    assert {case.negated for case in cases} == {True, False}  # a constant baseline cannot score 1.0
    report = evaluate_assertion(cases, lang="en")
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


def test_cli_english_baseline_in_a_fresh_process() -> None:
    """The command's own import order: the qualifier factories registered through EDS-NLP's registry
    before negspacy runs (with ``add_pipe("sentencizer")`` this failed in a fresh process only)."""
    args = ["eval", "assertion", "--corpus", str(EVAL / "negex_en.tsv"), "--lang", "en", "--json"]
    outcome = subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert outcome.returncode == 0, outcome.stderr
    assert json.loads(outcome.stdout)["baseline"]["accuracy"] == 1.0
