"""The EDS-NLP baseline of bench/annotation.py: our terms → eds.matcher terms, the table, the pipeline."""

from __future__ import annotations

import pytest

from bench.annotation_baseline import (
    Built,
    Contender,
    EdsTerms,
    Measure,
    build_eds_pipeline,
    eds_terms,
    full_only,
    measure,
    side_by_side,
)
from nlp.matcher.abbreviations import Abbreviation
from nlp.model import TermEntry


def entry(curie: str, text: str, lang: str = "fr", kind: str = "label") -> TermEntry:
    return TermEntry(curie, text, lang, kind, "test")


ENTRIES = [
    entry("T:1", "Hypertension artérielle"),
    entry("T:1", "HTA artérielle", kind="exact"),
    entry("T:1", "Hypertension artérielle", kind="exact"),  # the label again: kept once
    entry("T:1", "High blood pressure", lang="en"),
    entry("T:2", "Insuffisance cardiaque"),
    entry("T:2", "IC", kind="abbreviation"),  # an acronym: matched by case
    entry("T:2", "Insuff card", kind="abbreviation"),  # not an acronym: folded like the rest
    entry("T:3", "Insuffisances cardiaques", kind="exact"),  # same normalised form as T:2's label
    entry("T:4", "insuffisance cardiaque", kind="related"),  # related terms resolve no abbreviation
    entry("T:5", "   "),
    entry("T:6", "SIDA"),  # all caps, but a label: folded, as our matcher does
]


def test_terms_are_grouped_by_concept_in_order_without_repeats_nor_other_languages() -> None:
    terms = eds_terms(ENTRIES, lang="fr")

    assert terms.norm == {
        "T:1": ["Hypertension artérielle", "HTA artérielle"],
        "T:2": ["Insuffisance cardiaque", "Insuff card"],
        "T:3": ["Insuffisances cardiaques"],
        "T:4": ["insuffisance cardiaque"],
        "T:6": ["SIDA"],
    }
    assert terms.case_sensitive == {"T:2": ["IC"]}
    assert terms.term_count == 8
    assert eds_terms(ENTRIES, lang="en").norm == {"T:1": ["High blood pressure"]}


def test_curated_abbreviations_resolve_through_normalised_labels_and_exact_synonyms() -> None:
    rows = [
        Abbreviation("ICA", "fr", "insuffisance cardiaque"),  # T:2 and T:3 (plural), not T:4 (related)
        Abbreviation("Ins. card.", "fr", "Insuffisance Cardiaque"),  # not an acronym: folded
        Abbreviation("HTA", "fr", "hypertension artérielle"),
        Abbreviation("HF", "en", "heart failure"),  # another language
        Abbreviation("XYZ", "fr", "maladie inconnue"),  # names no concept: left out
    ]

    terms = eds_terms(ENTRIES, lang="fr", abbreviations=rows)

    assert terms.case_sensitive == {"T:2": ["IC", "ICA"], "T:3": ["ICA"], "T:1": ["HTA"]}
    assert terms.norm["T:2"][-1] == "Ins. card."
    assert terms.norm["T:3"][-1] == "Ins. card."
    assert "Ins. card." not in terms.norm["T:4"]
    assert "XYZ" not in str(terms)


def row(name: str, seconds: tuple[float, ...], build: Built | None = None) -> Measure:
    return Measure(name, seconds, docs=100, words=50_000, mentions=3_000, build=build)


def test_table_reports_medians_and_the_ratio_to_the_reference_row() -> None:
    rows = [
        row("ours", (1.0, 4.0, 2.0), Built(9.04, 300.4)),  # median 2 s: 50 docs/s
        row("EDS-NLP exact matcher", (0.5, 0.5, 9.0)),  # median 0.5 s: 200 docs/s
    ]

    lines = side_by_side(rows, reference="EDS-NLP exact matcher").splitlines()

    assert lines[0].startswith("| pipeline | docs/s (median) | words/s | ratio to EDS-NLP exact |")
    assert lines[2] == "| ours | 50.0 | 25,000 | 0.25 | 9.0 | 300 | 3,000 | 30.0 | 100.0, 25.0, 50.0 |"
    assert lines[3] == (
        "| EDS-NLP exact matcher | 200.0 | 100,000 | 1.00 | n/a | n/a | 3,000 | 30.0 | 200.0, 200.0, 11.1 |"
    )
    assert "| n/a |" in side_by_side(rows[:1], reference="EDS-NLP exact matcher").splitlines()[2]


def test_measure_interleaves_the_rounds_and_alternates_their_order() -> None:
    calls: list[tuple[str, str]] = []

    def contender(name: str) -> Contender:
        def run(text: str) -> int:
            calls.append((name, text))
            return len(text) if name == "a" else 1

        return Contender(name, run, Built(1.0, 2.0) if name == "b" else None)

    a, b = measure([contender("a"), contender("b")], ["ab c", "def"], rounds=3)

    in_order = [("a", "ab c"), ("a", "def"), ("b", "ab c"), ("b", "def")]
    assert calls == in_order + in_order[2:] + in_order[:2] + in_order  # the second round reversed
    assert (a.name, a.docs, a.words, a.mentions, len(a.seconds), a.build) == ("a", 2, 3, 7, 3, None)
    assert (b.name, b.mentions, b.build) == ("b", 2, Built(1.0, 2.0))


def test_the_eds_pipeline_matches_folded_terms_and_acronyms_by_case_only() -> None:
    pytest.importorskip("edsnlp")
    terms = EdsTerms(norm={"T:2": ["Insuffisance cardiaque"]}, case_sensitive={"T:2": ["IC"]})

    nlp, exact, qualifiers = build_eds_pipeline(terms)

    assert full_only(nlp) == ["sentences", "negation", "hypothesis", "family", "history"]
    assert exact.seconds > 0 and qualifiers.seconds > 0
    text = "Pas d'INSUFFISANCE CARDIAQUE. Une IC connue, mais ic en minuscules."
    with nlp.select_pipes(disable=full_only(nlp)):
        doc = nlp(text)
        assert [(e.text, e.label_) for e in doc.ents] == [("INSUFFISANCE CARDIAQUE", "T:2"), ("IC", "T:2")]
        assert not doc.ents[0]._.negation  # qualifiers off
    assert nlp(text).ents[0]._.negation
