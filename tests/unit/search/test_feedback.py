"""Pseudo-relevance feedback (RM3): which queries get it, and the expanded query's weights."""

from __future__ import annotations

import pytest

from search.feedback import FeedbackPolicy, applies, content_words, expanded_query, rescaled

POLICY = FeedbackPolicy(documents=2, terms=3, original_weight=0.5, max_query_words=3)


def test_content_words_leave_out_stop_words_short_words_and_numbers() -> None:
    assert content_words("The effect of 25 mg vitamin D on bone", "en") == ["effect", "vitamin", "bone"]
    assert content_words("L'embolie pulmonaire chez la femme", "fr") == ["embolie", "pulmonaire", "femme"]
    # no language given: the function words of both are left out, not kept as feedback words
    assert content_words("The effect of la vitamine D sur les os", None) == ["effect", "vitamine"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vitamin D", True),
        ("statins muscle pain", True),  # three content words: at the limit
        ("statins muscle pain elderly", False),  # specific enough
        ("the of and", False),  # no content word: nothing to expand
    ],
)
def test_feedback_applies_to_short_queries_only(text: str, expected: bool) -> None:
    assert applies(POLICY, text, "en", understood=False) is expected


def test_disabled_feedback_never_applies() -> None:
    assert not applies(FeedbackPolicy(enabled=False), "vitamin", "en", understood=False)


def test_a_query_whose_concepts_were_understood_gets_no_feedback() -> None:
    assert not applies(POLICY, "vitamin", "en", understood=True)


def test_expanded_query_mixes_query_and_feedback_words() -> None:
    documents = [
        ("vitamin deficiency rickets rickets", 10.0),
        ("vitamin deficiency osteomalacia", 10.0),
        ("unrelated cardiology", 1.0),  # beyond policy.documents
    ]
    weights, feedback = expanded_query("vitamin", documents, POLICY, "en")
    assert sum(weights.values()) == pytest.approx(1.0)
    # the query's own word keeps original_weight, plus its share as a feedback word
    assert weights["vitamin"] > 0.5
    assert set(feedback) == {"vitamin", "deficiency", "rickets"}  # the three most likely words
    assert "cardiology" not in weights
    # a word in both top documents outweighs one twice in only one of them
    assert feedback["deficiency"] > feedback["rickets"]
    assert sum(feedback.values()) == pytest.approx(0.5)


def test_better_ranked_documents_weigh_more() -> None:
    documents = [("alpha words", 12.0), ("beta words", 2.0)]
    _, feedback = expanded_query("query", documents, FeedbackPolicy(terms=10), "en")
    assert feedback["alpha"] > feedback["beta"]


def test_ties_are_broken_by_word_so_that_runs_agree() -> None:
    documents = [("zeta beta alpha gamma", 1.0)]
    _, feedback = expanded_query("query", documents, FeedbackPolicy(terms=2), "en")
    assert list(feedback) == ["alpha", "beta"]


def test_no_expansion_without_document_text_or_query_word() -> None:
    assert expanded_query("vitamin", [("", 3.0)], POLICY, "en") == ({}, {})
    assert expanded_query("the", [("vitamin", 3.0)], POLICY, "en") == ({}, {})


def test_rescaled_scores_keep_their_order_and_reach_the_reference_best() -> None:
    assert rescaled({"a": 0.5, "b": 0.25}, {"x": 10.0, "y": 1.0}) == {"a": 10.0, "b": 5.0}
    assert rescaled({"a": 0.5}, {}) == {"a": 0.5}


@pytest.mark.parametrize(
    "fields",
    [
        {"documents": 0},
        {"terms": 0},
        {"max_query_words": 0},
        {"original_weight": 0.0},
        {"original_weight": 1.5},
    ],
)
def test_policy_refuses_meaningless_settings(fields: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="feedback"):
        FeedbackPolicy(**fields)  # type: ignore[arg-type]
