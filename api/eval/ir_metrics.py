"""Pure ranking metrics: nDCG@k, recall@k, MRR@k over one ranked list and its qrels.

Conventions follow BEIR, which scores with pytrec_eval (trec_eval): graded relevance, a document
is relevant when its score is > 0, unjudged documents count as 0. nDCG uses the linear gain
``rel / log2(rank + 1)`` of trec_eval's ``ndcg_cut`` (not the exponential ``2^rel - 1`` of some
papers); the two agree when relevance is binary (SciFact) and differ on graded qrels (NFCorpus).

The ranking is taken in the given order (pytrec_eval would re-sort by score; rankers here give ids
only). A repeated id counts once, at its first rank, so that it cannot score twice.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

METRICS = ("ndcg@10", "recall@100", "mrr@10")  # the keys of IRScores.as_dict, in order


def ndcg_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """nDCG@k with linear gains: DCG = sum of ``rel / log2(i + 2)`` over 0-based ranks i < k.

    The ideal DCG ranks the qrels' positive scores in decreasing order; 0.0 when there is none.
    """
    _check_k(k)
    ideal = sorted((score for score in qrels.values() if score > 0), reverse=True)[:k]
    ideal_dcg = sum(score / math.log2(rank + 2) for rank, score in enumerate(ideal))
    if ideal_dcg == 0:
        return 0.0
    # Negative judgements (some TREC qrels) gain nothing rather than subtract, as in trec_eval.
    dcg = sum(
        max(qrels.get(doc_id, 0), 0) / math.log2(rank + 2) for rank, doc_id in enumerate(_top(ranking, k))
    )
    return dcg / ideal_dcg


def recall_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """Fraction of the relevant documents (score > 0) found in the top k; 0.0 when none is relevant."""
    _check_k(k)
    relevant = {doc_id for doc_id, score in qrels.items() if score > 0}
    if not relevant:
        return 0.0
    return sum(1 for doc_id in _top(ranking, k) if doc_id in relevant) / len(relevant)


def mrr_at_k(ranking: Sequence[str], qrels: Mapping[str, int], k: int) -> float:
    """1 / rank (1-based) of the first relevant document (score > 0) in the top k, else 0.0."""
    _check_k(k)
    for rank, doc_id in enumerate(_top(ranking, k), start=1):
        if qrels.get(doc_id, 0) > 0:
            return 1.0 / rank
    return 0.0


def _check_k(k: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k <= 0:
        raise ValueError(f"k must be a positive integer, got {k!r}")


def _top(ranking: Sequence[str], k: int) -> Iterator[str]:
    """The first k distinct ids of ``ranking``, each at its first rank."""
    seen: set[str] = set()
    for doc_id in ranking:
        if len(seen) == k:
            return
        if doc_id not in seen:
            seen.add(doc_id)
            yield doc_id


@dataclass(frozen=True)
class IRScores:
    """The three scores reported for one query, or their means over queries."""

    ndcg_at_10: float
    recall_at_100: float
    mrr_at_10: float

    def as_dict(self) -> dict[str, float]:
        return {"ndcg@10": self.ndcg_at_10, "recall@100": self.recall_at_100, "mrr@10": self.mrr_at_10}


def score_ranking(ranking: Sequence[str], qrels: Mapping[str, int]) -> IRScores:
    """nDCG@10, recall@100 and MRR@10 of one ranking."""
    return IRScores(
        ndcg_at_10=ndcg_at_k(ranking, qrels, 10),
        recall_at_100=recall_at_k(ranking, qrels, 100),
        mrr_at_10=mrr_at_k(ranking, qrels, 10),
    )


def mean_scores(per_query: Sequence[IRScores]) -> IRScores:
    """The mean of each score over queries (macro average, as BEIR reports); 0.0 each when empty."""
    if not per_query:
        return IRScores(0.0, 0.0, 0.0)
    count = len(per_query)
    return IRScores(
        ndcg_at_10=math.fsum(item.ndcg_at_10 for item in per_query) / count,
        recall_at_100=math.fsum(item.recall_at_100 for item in per_query) / count,
        mrr_at_10=math.fsum(item.mrr_at_10 for item in per_query) / count,
    )
