"""Scoring (pure): idf, saturation, evidence per assertion set, and document scores by hand."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest

from search.expansion import DESCENDANT, EXACT, ExpandedConcept, PathStep
from search.query import (
    AFFIRMED,
    ALL,
    ANY,
    FAMILY,
    HYPOTHETICAL,
    NEGATED,
    NONE,
    ConceptCriterion,
    SearchQuery,
)
from search.scoring import (
    DocumentScore,
    ExpandedCriterion,
    MentionCounts,
    evidence_count,
    excluded,
    idf,
    saturate,
    score_document,
    with_similarity,
)
from tests.unit.search.search_markup import unit_query

# --- idf and saturation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("df", "n", "expected"),
    [
        (5, 10, math.log(2)),  # 1 + 5.5 / 5.5
        (1, 10, math.log(22 / 3)),  # 1 + 9.5 / 1.5
        (0, 10, math.log(22)),  # 1 + 10.5 / 0.5
        (10, 10, math.log(22 / 21)),  # 1 + 0.5 / 10.5: ubiquitous, still positive
        (1, 4, math.log(10 / 3)),  # 1 + 3.5 / 1.5
    ],
)
def test_idf_values(df: int, n: int, expected: float) -> None:
    assert idf(df, n) == pytest.approx(expected)


def test_idf_decreases_with_document_frequency() -> None:
    values = [idf(df, 100) for df in (0, 1, 10, 50, 100)]
    assert values == sorted(values, reverse=True)
    assert len(set(values)) == 5


@pytest.mark.parametrize(
    ("count", "k1", "expected"),
    [
        (1, 1.2, 1.0),  # 1 * 2.2 / 2.2
        (2, 1.2, 1.375),  # 2 * 2.2 / 3.2
        (0.5, 1.2, 1.1 / 1.7),
        (3, 0.5, 4.5 / 3.5),
        (1, 2.0, 1.0),
        (0, 1.2, 0.0),
        (-1, 1.2, 0.0),
    ],
)
def test_saturate_values(count: float, k1: float, expected: float) -> None:
    assert saturate(count, k1) == pytest.approx(expected)


def test_saturate_default_k1_and_its_ceiling() -> None:
    assert saturate(4) == pytest.approx(4 * 2.2 / 5.2)
    assert saturate(10_000) < 2.2
    assert saturate(10_000) == pytest.approx(2.2, abs=1e-3)


# --- evidence per assertion set -------------------------------------------------------------------

# 10 mentions: 3 affirmed, 2 negated, 4 hypothetical (1 of them about a relative, 2 negated: "no
# suspicion of"), 1 family. One suspicion is the patient's.
COUNTS = MentionCounts("X", count=10, affirmed=3, negated=2, hypothetical=4, family=1, historical=5)


@pytest.mark.parametrize(
    ("assertions", "weight", "expected"),
    [
        ({AFFIRMED}, 0.5, 3.0),
        ({AFFIRMED, HYPOTHETICAL}, 0.5, 3 + 0.5 * (4 - 1 - 2)),
        ({HYPOTHETICAL}, 0.25, 0.25 * 1),
        ({FAMILY}, 0.5, 1.0),
        ({NEGATED}, 0.5, 2.0),
        ({AFFIRMED, FAMILY, NEGATED}, 0.5, 6.0),
        ({AFFIRMED, HYPOTHETICAL, FAMILY, NEGATED}, 1.0, 3 + 1 + 1 + 2),
    ],
)
def test_evidence_count_per_assertion_set(assertions: set[str], weight: float, expected: float) -> None:
    criterion = ConceptCriterion("X", assertions=frozenset(assertions), hypothetical_weight=weight)
    assert evidence_count(criterion, COUNTS) == pytest.approx(expected)


def test_affirmed_only_ignores_every_qualified_mention() -> None:
    counts = MentionCounts("X", count=6, affirmed=0, negated=2, hypothetical=2, family=2, historical=1)
    assert evidence_count(ConceptCriterion("X"), counts) == 0.0


def test_hypothetical_mentions_about_relatives_do_not_count_as_suspicions() -> None:
    criterion = ConceptCriterion("X", assertions=frozenset({HYPOTHETICAL}))
    # Both suspected mentions are about relatives; never negative either.
    assert evidence_count(criterion, MentionCounts("X", count=2, hypothetical=2, family=2)) == 0.0
    assert evidence_count(criterion, MentionCounts("X", count=3, hypothetical=1, family=3)) == 0.0


def test_negated_suspicion_is_not_evidence_of_a_suspicion() -> None:
    criterion = ConceptCriterion("X", assertions=frozenset({AFFIRMED, HYPOTHETICAL}))
    assert evidence_count(criterion, MentionCounts("X", count=1, negated=1, hypothetical=1)) == 0.0


@pytest.mark.parametrize(
    "kwargs",
    [{"role": "maybe"}, {"assertions": frozenset()}, {"assertions": frozenset({AFFIRMED, "probable"})}],
)
def test_invalid_criteria_are_rejected(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ConceptCriterion("X", **kwargs)  # type: ignore[arg-type]


def test_query_role_selects_criteria_in_order() -> None:
    query = unit_query(
        criteria=(ConceptCriterion("A", ALL), ConceptCriterion("B", NONE), ConceptCriterion("C", ALL))
    )
    assert [criterion.curie for criterion in query.role(ALL)] == ["A", "C"]
    assert [criterion.curie for criterion in query.role(ANY)] == []


# --- score_document --------------------------------------------------------------------------------


def concept(curie: str, weight: float = 1.0, depth: int = 0, root: str = "D") -> ExpandedConcept:
    path = tuple(PathStep(DESCENDANT, root, curie) for _ in range(depth))
    return ExpandedConcept(curie=curie, weight=weight, depth=depth, path=path)


def expanded(
    curie: str,
    *concepts: ExpandedConcept,
    role: str = ANY,
    assertions: frozenset[str] = frozenset({AFFIRMED}),
) -> ExpandedCriterion:
    items = concepts or (concept(curie, root=curie),)
    return ExpandedCriterion(
        criterion=ConceptCriterion(curie, role=role, assertions=assertions),
        concepts={item.curie: item for item in items},
    )


def affirmed(curie: str, n: int) -> MentionCounts:
    return MentionCounts(curie, count=n, affirmed=n)


def evidence(*counts: MentionCounts) -> dict[str, MentionCounts]:
    return {item.curie: item for item in counts}


def score(
    criteria: list[ExpandedCriterion],
    found: Mapping[str, MentionCounts],
    idfs: Mapping[str, float],
    text: float = 0.0,
    query: SearchQuery | None = None,
    *,
    similar: bool = False,
) -> DocumentScore | None:
    query = query or unit_query(criteria=tuple(item.criterion for item in criteria))
    return score_document("doc", query, criteria, found, idfs, text, similar=similar)


# D (diabetes) expands to its child T2 (0.8, depth 1) and its grandchild T2N (0.64, depth 2).
DIABETES = (concept("D"), concept("T2", 0.8, 1), concept("T2N", 0.64, 2))
IDFS = {"D": 2.0, "T2": 2.0, "T2N": 2.0, "H": 1.5, "I": 3.0}


def test_single_concept_score_by_hand() -> None:
    result = score([expanded("D", *DIABETES)], evidence(affirmed("D", 2)), IDFS)
    assert result is not None
    (contribution,) = result.contributions
    assert (contribution.criterion, contribution.role, contribution.curie) == ("D", ANY, "D")
    assert (contribution.weight, contribution.idf, contribution.evidence) == (1.0, 2.0, 2.0)
    assert contribution.score == pytest.approx(1.0 * 2.0 * 1.375)
    assert contribution.expansion == DIABETES[0]
    assert (result.id, result.text) == ("doc", 0.0)
    assert result.score == pytest.approx(2.75)


def test_all_criterion_without_evidence_fails_the_document() -> None:
    criteria = [expanded("D", *DIABETES, role=ALL), expanded("I")]
    assert score(criteria, evidence(affirmed("I", 3)), IDFS, text=5.0) is None
    # A negated mention is no evidence for an affirmed-only criterion.
    negated = MentionCounts("D", count=2, negated=2)
    assert score(criteria, evidence(negated, affirmed("I", 1)), IDFS, text=5.0) is None


def test_all_criterion_is_satisfied_by_a_descendant() -> None:
    result = score([expanded("D", *DIABETES, role=ALL)], evidence(affirmed("T2N", 1)), IDFS)
    assert result is not None
    assert [(c.curie, c.role) for c in result.contributions] == [("T2N", ALL)]
    assert result.score == pytest.approx(0.64 * 2.0 * 1.0)


def test_any_criterion_without_evidence_is_skipped() -> None:
    result = score([expanded("D", *DIABETES), expanded("I")], evidence(affirmed("I", 1)), IDFS)
    assert result is not None
    assert [c.criterion for c in result.contributions] == ["I"]
    assert result.score == pytest.approx(3.0)


def test_no_evidence_and_no_text_is_no_result_but_text_alone_is() -> None:
    criteria = [expanded("D", *DIABETES)]
    assert score(criteria, {}, IDFS) is None
    result = score(criteria, {}, IDFS, text=4.0)
    assert result is not None
    assert (result.score, result.text, result.contributions) == (4.0, 4.0, ())


@pytest.mark.parametrize(
    "counts",
    [
        MentionCounts("T2", count=1, negated=1),
        MentionCounts("D", count=2, family=2),
        MentionCounts("D", count=2, negated=1, family=1),
    ],
)
def test_words_alone_do_not_rescue_a_document_contradicting_the_query(counts: MentionCounts) -> None:
    criteria = [expanded("D", *DIABETES), expanded("I")]
    assert score(criteria, evidence(counts), IDFS, text=3.0) is None
    # Evidence for another criterion keeps the document, scored on that criterion and its words.
    result = score(criteria, evidence(counts, affirmed("I", 1)), IDFS, text=3.0)
    assert result is not None
    assert [c.criterion for c in result.contributions] == ["I"]
    assert result.score == pytest.approx(3.0 + 3.0)


@pytest.mark.parametrize(
    "counts", [MentionCounts("T2", count=1, negated=1), MentionCounts("D", count=2, family=2)]
)
def test_likeness_alone_does_not_rescue_a_document_contradicting_the_query(counts: MentionCounts) -> None:
    criteria = [expanded("D", *DIABETES)]
    assert score(criteria, evidence(counts), IDFS, similar=True) is None


def test_a_nearest_document_without_evidence_is_admitted_at_zero() -> None:
    """Its score is all similarity, which ``with_similarity`` adds."""
    criteria = [expanded("D", *DIABETES)]
    assert score(criteria, {}, IDFS) is None
    result = score(criteria, {}, IDFS, similar=True)
    assert result is not None
    assert (result.score, result.text, result.contributions) == (0.0, 0.0, ())
    assert with_similarity(result, 0.9, 2.0).score == pytest.approx(1.8)


def test_likeness_does_not_pass_an_all_criterion_or_a_none() -> None:
    criteria = [expanded("D", *DIABETES, role=ALL)]
    assert score(criteria, {}, IDFS, similar=True) is None
    criteria = [expanded("I"), expanded("D", *DIABETES, role=NONE)]
    assert score(criteria, evidence(affirmed("T2", 1)), IDFS, similar=True) is None


def test_a_suspicion_is_not_a_denial_words_still_count() -> None:
    """ "may reduce the risk of diabetes" is about diabetes: the words keep the document."""
    criteria = [expanded("D", *DIABETES)]
    result = score(criteria, evidence(MentionCounts("D", count=1, hypothetical=1)), IDFS, text=3.0)
    assert result is not None
    assert (result.score, result.contributions) == (3.0, ())


def test_literature_counts_every_mention_and_denies_nothing() -> None:
    """An article negating a concept is still about it; a patient's note negating it is not."""
    criteria = [expanded("D", *DIABETES)]
    negated = evidence(MentionCounts("D", count=2, negated=2))
    assert score(criteria, negated, IDFS, text=3.0) is None
    article = score_document("doc", unit_query(), criteria, negated, IDFS, 3.0, literature=True)
    assert article is not None and article.literature
    [contribution] = article.contributions
    assert (contribution.curie, contribution.evidence) == ("D", 2.0)


def test_none_criterion_with_an_affirmed_mention_excludes() -> None:
    criteria = [expanded("D", *DIABETES), expanded("H", role=NONE)]
    assert score(criteria, evidence(affirmed("D", 1), affirmed("H", 1)), IDFS, text=9.0) is None


def test_none_criterion_excludes_through_its_expansion() -> None:
    criteria = [expanded("I"), expanded("D", *DIABETES, role=NONE)]
    assert score(criteria, evidence(affirmed("I", 1), affirmed("T2N", 1)), IDFS) is None


@pytest.mark.parametrize(
    "counts",
    [
        MentionCounts("H", count=1, negated=1),
        MentionCounts("H", count=1, hypothetical=1),
        MentionCounts("H", count=1, family=1),
    ],
)
def test_none_criterion_ignores_mentions_that_are_not_affirmed(counts: MentionCounts) -> None:
    criteria = [expanded("D", *DIABETES), expanded("H", role=NONE)]
    result = score(criteria, evidence(affirmed("D", 1), counts), IDFS)
    assert result is not None
    # The none criterion contributes nothing, even though its concept is mentioned.
    assert [(c.criterion, c.curie) for c in result.contributions] == [("D", "D")]
    assert result.score == pytest.approx(2.0)


def test_excluded_looks_at_none_criteria_only() -> None:
    criteria = [expanded("D", *DIABETES), expanded("H", role=NONE)]
    assert excluded(criteria, evidence(affirmed("D", 5))) is False
    assert excluded(criteria, evidence(affirmed("H", 1))) is True
    assert excluded(criteria, evidence(MentionCounts("H", count=4, negated=4))) is False


def test_concept_and_descendant_are_scored_once_at_the_better() -> None:
    criteria = [expanded("D", *DIABETES)]
    # Same counts: the exact concept (weight 1.0) beats its child (0.8).
    result = score(criteria, evidence(affirmed("D", 1), affirmed("T2", 1)), IDFS)
    assert result is not None
    assert [c.curie for c in result.contributions] == ["D"]
    assert result.score == pytest.approx(2.0)
    # Many more mentions of the child: the child is the better evidence, still counted once.
    result = score(criteria, evidence(affirmed("D", 1), affirmed("T2", 3)), IDFS)
    assert result is not None
    assert [(c.curie, c.evidence) for c in result.contributions] == [("T2", 3.0)]
    assert result.score == pytest.approx(0.8 * 2.0 * (3 * 2.2 / 4.2))


def test_equal_scores_prefer_the_shallower_concept() -> None:
    # An exact mapping weighted 1.0 scores like the concept itself: the concept (depth 0) is kept,
    # whatever the order of the expansion mapping.
    mapped = ExpandedConcept("M", 1.0, 1, (PathStep(EXACT, "D", "M"),))
    criterion = expanded("D", mapped, concept("D"))
    result = score([criterion], evidence(affirmed("M", 1), affirmed("D", 1)), {"D": 2.0, "M": 2.0})
    assert result is not None
    assert [(c.curie, c.expansion.depth) for c in result.contributions] == [("D", 0)]


def test_expanded_idf_is_capped_at_the_query_concept_idf() -> None:
    criteria = [expanded("D", *DIABETES)]
    idfs = {"D": 1.0, "T2": 3.0, "T2N": 0.5}  # T2 is rare, D common
    exact = score(criteria, evidence(affirmed("D", 1)), idfs)
    child = score(criteria, evidence(affirmed("T2", 1)), idfs)
    grandchild = score(criteria, evidence(affirmed("T2N", 1)), idfs)
    assert exact is not None and child is not None and grandchild is not None
    assert child.contributions[0].idf == 1.0  # not 3.0
    assert child.score == pytest.approx(0.8 * 1.0)  # 2.4 without the cap
    assert exact.score > child.score
    # The cap is a ceiling, not a floor: a commoner descendant keeps its own idf.
    assert grandchild.contributions[0].idf == 0.5
    assert grandchild.score == pytest.approx(0.64 * 0.5)


def test_no_cap_when_the_query_concept_idf_is_unknown() -> None:
    result = score([expanded("D", *DIABETES)], evidence(affirmed("T2", 1)), {"T2": 3.0})
    assert result is not None
    assert result.score == pytest.approx(0.8 * 3.0)


def test_contribution_idf_is_rounded_but_score_is_not() -> None:
    value = math.log(22 / 3)
    result = score([expanded("I")], evidence(affirmed("I", 1)), {"I": value})
    assert result is not None
    assert result.contributions[0].idf == round(value, 6)
    assert result.score == value


def test_hypothetical_mentions_weighted_in_the_score() -> None:
    criterion = expanded("D", *DIABETES, assertions=frozenset({AFFIRMED, HYPOTHETICAL}))
    counts = MentionCounts("D", count=3, affirmed=1, hypothetical=2)
    result = score([criterion], evidence(counts), IDFS)
    assert result is not None
    assert result.contributions[0].evidence == 2.0  # 1 + 0.5 * 2
    assert result.score == pytest.approx(2.0 * 1.375)


def test_text_and_concept_weights_combine_as_documented() -> None:
    criteria = [expanded("D", *DIABETES), expanded("I")]
    query = unit_query(
        criteria=tuple(item.criterion for item in criteria), text="x", text_weight=0.5, concept_weight=2.0
    )
    result = score(criteria, evidence(affirmed("D", 1), affirmed("I", 2)), IDFS, text=3.0, query=query)
    assert result is not None
    concepts = 2.0 * 1.0 + 3.0 * 1.375
    assert result.text == 3.0  # before text_weight
    assert result.score == pytest.approx(0.5 * 3.0 + 2.0 * concepts)


def test_zero_concept_weight_ranks_by_text_only() -> None:
    criteria = [expanded("D", *DIABETES)]
    query = unit_query(criteria=(criteria[0].criterion,), concept_weight=0.0)
    result = score(criteria, evidence(affirmed("D", 4)), IDFS, text=1.5, query=query)
    assert result is not None
    assert result.score == 1.5
    assert len(result.contributions) == 1  # still explained


def test_contributions_sorted_best_first_then_by_criterion() -> None:
    criteria = [expanded("H"), expanded("D", *DIABETES), expanded("I"), expanded("B")]
    idfs = {**IDFS, "B": 3.0}
    result = score(
        criteria, evidence(affirmed("H", 1), affirmed("D", 1), affirmed("I", 1), affirmed("B", 1)), idfs
    )
    assert result is not None
    # I and B tie at 3.0 (by criterion CURIE), then D at 2.0, then H at 1.5.
    assert [c.criterion for c in result.contributions] == ["B", "I", "D", "H"]
    assert [c.score for c in result.contributions] == pytest.approx([3.0, 3.0, 2.0, 1.5])


def test_similarity_adds_its_part_and_keeps_the_cosine() -> None:
    score = DocumentScore(id="d", score=3.0, text=2.0, contributions=())
    assert with_similarity(score, None, 5.0) is score
    added = with_similarity(score, 0.25, 4.0)
    assert (added.score, added.cosine, added.similarity, added.text) == (4.0, 0.25, 1.0, 2.0)
    # A dissimilar document loses ground: the cosine can be negative.
    assert with_similarity(score, -0.5, 2.0).score == 2.0
