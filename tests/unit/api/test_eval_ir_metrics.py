"""Ranking metrics (nDCG@k, recall@k, MRR@k) against values computed by hand."""

from __future__ import annotations

import math

import pytest

from api.eval.ir_metrics import IRScores, mean_scores, mrr_at_k, ndcg_at_k, recall_at_k, score_ranking

INV_LOG2_3 = 1 / math.log2(3)  # the discount of rank 2: 0.6309...


def test_relevant_document_at_rank_two() -> None:
    ranking, qrels = ["d2", "d1"], {"d1": 1}
    assert ndcg_at_k(ranking, qrels, 10) == pytest.approx(0.6309297535714575)
    assert mrr_at_k(ranking, qrels, 10) == 0.5
    assert recall_at_k(ranking, qrels, 100) == 1.0


def test_perfect_ranking_scores_one() -> None:
    qrels = {"a": 2, "b": 1}
    assert ndcg_at_k(["a", "b"], qrels, 10) == pytest.approx(1.0)
    assert mrr_at_k(["a", "b"], qrels, 10) == 1.0


def test_ndcg_uses_linear_gains() -> None:
    # DCG = 1/log2(2) + 0 + 2/log2(4) = 2; ideal = 2/log2(2) + 1/log2(3).
    # Exponential gains (2^rel - 1) would give 2.5 / (3 + 1/log2(3)) = 0.6885 instead.
    score = ndcg_at_k(["b", "x", "a"], {"a": 2, "b": 1, "c": 0}, 10)
    assert score == pytest.approx(2 / (2 + INV_LOG2_3))
    assert score == pytest.approx(0.7601875334318685)


def test_ideal_ranking_is_cut_at_k() -> None:
    # Three relevant documents, two ranked: at k=2 the ideal holds only two, so the score is 1.
    assert ndcg_at_k(["a", "b"], {"a": 1, "b": 1, "c": 1}, 2) == pytest.approx(1.0)
    assert ndcg_at_k(["a", "b"], {"a": 1, "b": 1, "c": 1}, 3) == pytest.approx(
        (1 + INV_LOG2_3) / (1 + INV_LOG2_3 + 0.5)
    )


def test_documents_after_k_do_not_count() -> None:
    ranking = [f"x{i}" for i in range(10)] + ["rel"]
    qrels = {"rel": 1}
    assert ndcg_at_k(ranking, qrels, 10) == 0.0
    assert mrr_at_k(ranking, qrels, 10) == 0.0
    assert mrr_at_k(ranking, qrels, 11) == pytest.approx(1 / 11)
    assert recall_at_k(ranking, qrels, 10) == 0.0
    assert recall_at_k(ranking, qrels, 100) == 1.0


def test_recall_is_the_fraction_of_relevant_found() -> None:
    qrels = {"a": 1, "b": 2, "c": 1, "d": 0}
    assert recall_at_k(["a", "d", "x", "c"], qrels, 100) == pytest.approx(2 / 3)
    assert recall_at_k(["a", "d", "x", "c"], qrels, 1) == pytest.approx(1 / 3)


def test_zero_and_negative_judgements_are_not_relevant() -> None:
    qrels = {"neg": -1, "zero": 0, "rel": 1}
    ranking = ["neg", "zero", "rel"]
    # Neither subtracts from DCG (as in trec_eval): only "rel", at rank 3, gains.
    assert ndcg_at_k(ranking, qrels, 10) == pytest.approx(0.5)
    assert mrr_at_k(ranking, qrels, 10) == pytest.approx(1 / 3)
    assert recall_at_k(ranking, qrels, 100) == 1.0


@pytest.mark.parametrize("qrels", [{}, {"a": 0}, {"a": -1}])
def test_no_relevant_document_scores_zero(qrels: dict[str, int]) -> None:
    assert score_ranking(["a", "b"], qrels) == IRScores(0.0, 0.0, 0.0)


def test_empty_ranking_scores_zero() -> None:
    assert score_ranking([], {"a": 1}) == IRScores(0.0, 0.0, 0.0)


def test_a_repeated_id_counts_once_at_its_first_rank() -> None:
    qrels = {"a": 1, "b": 1}
    assert ndcg_at_k(["a", "a", "b"], qrels, 10) == pytest.approx(1.0)  # not above 1
    # The repeat does not take a slot of the top k: "a" is second among distinct ids.
    assert ndcg_at_k(["x", "x", "a"], {"a": 1}, 2) == pytest.approx(INV_LOG2_3)
    assert recall_at_k(["a", "a"], qrels, 100) == 0.5


@pytest.mark.parametrize("k", [0, -1, True])
def test_k_must_be_positive(k: int) -> None:
    with pytest.raises(ValueError, match="k must be a positive integer"):
        ndcg_at_k(["a"], {"a": 1}, k)


def test_score_ranking_uses_the_reported_cutoffs() -> None:
    ranking = [f"x{i}" for i in range(20)] + ["rel"]  # rank 21: inside 100, outside 10
    assert score_ranking(ranking, {"rel": 1, "other": 1}) == IRScores(0.0, 0.5, 0.0)


def test_as_dict_keys() -> None:
    scores = IRScores(ndcg_at_10=0.25, recall_at_100=0.5, mrr_at_10=0.75)
    assert scores.as_dict() == {"ndcg@10": 0.25, "recall@100": 0.5, "mrr@10": 0.75}
    assert list(scores.as_dict()) == ["ndcg@10", "recall@100", "mrr@10"]


def test_mean_scores_averages_each_score() -> None:
    per_query = [IRScores(1.0, 0.5, 1.0), IRScores(0.0, 1.0, 0.5), IRScores(0.5, 0.0, 0.0)]
    assert mean_scores(per_query) == IRScores(0.5, 0.5, 0.5)
    assert mean_scores(per_query[:2]) == IRScores(0.5, 0.75, 0.75)


def test_mean_scores_of_nothing_is_zero() -> None:
    assert mean_scores([]) == IRScores(0.0, 0.0, 0.0)
