"""Pseudo-relevance feedback (RM3) for short text queries that no concept was read from (pure).

A query of a few words ("vitamin D", "statins muscle") says little; the documents it ranks first say
more. RM3 (Lavrenko & Croft's relevance model, interpolated with the query) takes the top documents,
estimates how likely each word is in them (each document weighted by its BM25 score, softmax over the
top), keeps the most likely words, and searches again with the query's own words weighted
``original_weight`` and the feedback words ``1 - original_weight``, both normalised to sum to one.

When it applies (``search.engine.DocumentSearch``): the query has at most ``max_query_words`` content
words, and no concept in ``all`` or ``any``. A query whose concepts were understood is expanded
through the terminologies, with weights and explanations; feedback words would compete with that
evidence (on the test corpus they lifted a descendant's report above the exact concept's). Feedback
is the fallback for the words no terminology covers.

Measured on the shared training splits (docs/evaluation.md), nDCG@10: NFCorpus dev (lay queries of
~3 words) 0.3067 → 0.3189, SciFact train 0.6989 → 0.7011; applied to every short query it gave
NFCorpus 0.323 but put descendants above exact concepts; applied to longer queries it cost SciFact
(claims of ~10 content words) about 0.01.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nlp.language import stop_words

# Words of at least three letters or digits, starting with a letter: what a BM25 analyzer keeps
# and a person would call a word (no "mg", no bare numbers).
_WORD = re.compile(r"[^\W\d_]\w{2,}")


@dataclass(frozen=True)
class FeedbackPolicy:
    """Whether and how a text query is expanded with the words of its first results."""

    enabled: bool = True
    documents: int = 10  # top documents read
    terms: int = 10  # feedback words kept (20: the same quality, twice the cost of the second search)
    original_weight: float = 0.5  # share of the query's own words in the expanded query
    max_query_words: int = 5  # longer queries are specific enough: no feedback

    def __post_init__(self) -> None:
        if self.documents < 1 or self.terms < 1 or self.max_query_words < 1:
            raise ValueError("feedback documents, terms and max_query_words must be at least 1")
        if not 0.0 < self.original_weight <= 1.0:
            raise ValueError("feedback original_weight must be in (0, 1]")


def content_words(text: str, lang: str | None) -> list[str]:
    """Lower-cased words of ``text``, stop words of ``lang`` (or of both languages) left out."""
    # A query of unknown language (no `lang`, not understood) still has its function words left out.
    stops = stop_words(lang) if lang else _any_language_stops()
    return [word for word in _WORD.findall(text.lower()) if word not in stops]


@functools.cache
def _any_language_stops() -> frozenset[str]:
    # Once per process, not per document read (content_words runs on each feedback document).
    return stop_words("fr") | stop_words("en")


def applies(policy: FeedbackPolicy, text: str, lang: str | None, *, understood: bool) -> bool:
    """True when ``text`` gets feedback: enabled, between one and ``max_query_words`` content words,
    and no concept ``understood`` in the query (``all`` or ``any``)."""
    return policy.enabled and not understood and 0 < len(content_words(text, lang)) <= policy.max_query_words


def expanded_query(
    text: str,
    documents: Sequence[tuple[str, float]],
    policy: FeedbackPolicy,
    lang: str | None,
) -> tuple[dict[str, float], dict[str, float]]:
    """The RM3 query for ``text`` given its top ``documents`` (text, BM25 score), best first.

    Returns:
        The whole weighted query (word → weight, summing to one), and the feedback words alone with
        the weight each received (to explain the expansion). Both empty when no document has text.
    """
    query = Counter(content_words(text, lang))
    used = [(body, score) for body, score in documents[: policy.documents] if body]
    if not query or not used:
        return {}, {}
    top = max(score for _, score in used)
    # softmax of the scores: P(document | query); BM25 scores are log-odds-like
    priors = [math.exp(score - top) for _, score in used]
    norm = sum(priors)
    relevance: dict[str, float] = {}
    for (body, _), prior in zip(used, priors, strict=True):
        words = Counter(content_words(body, lang))
        length = sum(words.values())
        if not length:
            continue
        for word, count in words.items():
            relevance[word] = relevance.get(word, 0.0) + prior / norm * count / length
    # most likely first; ties in word order, so that the expansion is the same on every run
    kept = sorted(relevance.items(), key=lambda item: (-item[1], item[0]))[: policy.terms]
    kept_total = sum(weight for _, weight in kept) or 1.0
    query_total = sum(query.values())
    weights: dict[str, float] = {}
    for word, count in query.items():
        weights[word] = policy.original_weight * count / query_total
    feedback: dict[str, float] = {}
    for word, weight in kept:
        share = (1.0 - policy.original_weight) * weight / kept_total
        if share <= 0:
            continue
        feedback[word] = share
        weights[word] = weights.get(word, 0.0) + share
    return weights, feedback


def rescaled(scores: Mapping[str, float], reference: Mapping[str, float]) -> dict[str, float]:
    """``scores`` scaled so that their best equals the best of ``reference``.

    The expanded query's weights sum to one, so its BM25 scores are on a smaller scale than the plain
    query's; the concept weight was tuned against the plain scale.
    """
    best, target = max(scores.values(), default=0.0), max(reference.values(), default=0.0)
    if best <= 0 or target <= 0:
        return dict(scores)
    factor = target / best
    return {doc_id: score * factor for doc_id, score in scores.items()}


__all__ = ["FeedbackPolicy", "applies", "content_words", "expanded_query", "rescaled"]
