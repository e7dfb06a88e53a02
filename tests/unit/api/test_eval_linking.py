"""Linking evaluation offline: an Annotator built from a few terms and a hand-made ``reachable``."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.eval.eds_exact import EdsExactMatcher, surface_owners
from api.eval.gold import read_brat_gold, read_pubtator_gold
from api.eval.linking import LinkingReport, evaluate_linking
from nlp.matcher import TerminologyMatcher
from nlp.model import TermEntry
from nlp.pipeline import Annotator

EVAL = Path(__file__).resolve().parents[2] / "fixtures" / "eval"

TERMS = [
    TermEntry("DOID:162", "cancers", "en", "label", "doid"),
    TermEntry("DOID:9351", "diabetes mellitus", "en", "label", "doid"),
    TermEntry("HP:0002099", "asthma", "en", "label", "hpo"),
    TermEntry("HP:0001945", "fever", "en", "label", "hpo"),
    TermEntry("HP:0001945", "fièvre", "fr", "label", "hpo"),
    TermEntry("X:1", "origin", "en", "label", "x"),
    TermEntry("X:2", "atteinte", "fr", "label", "x"),
]
# (loaded concept, gold id): HP:0002099 does not reach OMIM:600807, so that gold is not linkable.
PAIRS = {
    ("DOID:162", "MESH:D010051"),
    ("DOID:9351", "MESH:D003920"),
    ("HP:0001945", "MESH:D005334"),
    ("HP:0001945", "UMLS:C0015967"),
    ("HP:0002099", "MESH:D001249"),
}


def reachable(ids: frozenset[str]) -> set[tuple[str, str]]:
    return {pair for pair in PAIRS if pair[1] in ids}


def annotator() -> Annotator:
    matchers = {lang: TerminologyMatcher.build(TERMS, lang=lang, abbreviations=()) for lang in ("en", "fr")}
    return Annotator(matchers, terminology_version="test")


@pytest.fixture(scope="module")
def pubtator() -> LinkingReport:
    return evaluate_linking(
        read_pubtator_gold(EVAL / "pubtator.txt"),
        annotator=annotator(),
        baseline=EdsExactMatcher(TERMS, lang="en"),
        reachable=reachable,
        lang="en",
    )


@pytest.mark.parametrize(
    ("measure", "precision", "recall"),
    [
        ("span_strict", 4 / 6, 4 / 5),
        ("span_overlap", 5 / 6, 5 / 5),  # "cancers" inside the composite "Breast and ovarian cancers"
        ("span_concept", 4 / 6, 4 / 5),  # asthma → HP:0002099 does not reach OMIM:600807; "origin"
        ("span_concept_linkable", 1.0, 1.0),  # neither counts: no linkable gold under them
    ],
)
def test_system_measures(pubtator: LinkingReport, measure: str, precision: float, recall: float) -> None:
    result = pubtator.system[measure]
    assert (result.precision, result.recall) == pytest.approx((precision, recall))


def test_coverage_is_share_of_linkable_gold(pubtator: LinkingReport) -> None:
    assert pubtator.coverage == pytest.approx(4 / 5)


def test_json_shape(pubtator: LinkingReport) -> None:
    result = pubtator.as_dict()
    assert set(result) == {"system", "baseline", "coverage"}
    assert set(result["baseline"]) == {"span_strict", "span_overlap", "span_concept", "span_concept_linkable"}
    assert set(result["system"]["span_strict"]) == {"precision", "recall", "f1"}


def test_composite_matches_any_of_its_ids(pubtator: LinkingReport) -> None:
    # the only prediction on the composite names one of its two ids
    assert pubtator.baseline["span_concept"].recall == pytest.approx(4 / 5)


def test_exact_matcher_longest_case_insensitive_match() -> None:
    matcher = EdsExactMatcher(
        [
            TermEntry("A:1", "heart", "en", "label", "a"),
            TermEntry("A:2", "Heart Failure", "en", "exact", "a"),
        ],
        lang="en",
    )
    assert matcher.find("acute heart failure, hearts") == [(6, 19, "A:2")]


def test_exact_matcher_prefers_label_for_shared_text() -> None:
    matcher = EdsExactMatcher(
        [TermEntry("A:1", "flu", "en", "exact", "a"), TermEntry("A:2", "flu", "en", "label", "a")], lang="en"
    )
    assert matcher.find("flu") == [(0, 3, "A:2")]


def test_groups_leave_out_predictions_on_other_types() -> None:
    report = evaluate_linking(
        read_brat_gold(EVAL / "brat"),
        annotator=annotator(),
        baseline=EdsExactMatcher(TERMS, lang="fr"),
        reachable=reachable,
        lang="fr",
        groups={"DISO"},
    )
    # "atteinte" overlaps only a PROC gold mention: neither right nor wrong under DISO
    strict = report.system["span_strict"]
    assert (strict.precision, strict.recall) == pytest.approx((1.0, 0.5))
    assert report.system["span_concept"].precision == 1.0


def test_exact_matcher_is_exact_apart_from_case() -> None:
    # No accent, plural or hyphen folding: that is what the system's matcher adds over the baseline.
    matcher = EdsExactMatcher(
        [
            TermEntry("A:1", "fièvre", "fr", "label", "a"),
            TermEntry("A:2", "Insuffisance cardiaque", "fr", "label", "a"),
        ],
        lang="fr",
    )
    assert matcher.find("FIÈVRE, fievre, insuffisances cardiaques, insuffisance cardiaque") == [
        (0, 6, "A:1"),
        (42, 64, "A:2"),
    ]


def test_surface_owners_give_each_form_to_one_concept() -> None:
    owners = surface_owners(
        [
            TermEntry("A:1", "Flu", "en", "exact", "a"),
            TermEntry("A:2", "flu", "en", "label", "a"),
            TermEntry("A:3", "grippe", "fr", "label", "a"),
            TermEntry("A:1", "influenza", "en", "related", "a"),
        ],
        lang="en",
    )
    assert owners == {"A:2": ["flu"], "A:1": ["influenza"]}


def test_exact_matcher_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="'de'"):
        EdsExactMatcher([], lang="de")
