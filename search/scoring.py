"""Scoring a document against the query's concepts (pure).

For each criterion, each concept it expands to that the document mentions contributes

    expansion weight * idf(concept) * saturate(evidence count)

where the evidence count adds the mentions whose assertion the criterion accepts (hypothetical ones
at ``hypothetical_weight``), ``idf`` is BM25's ``ln(1 + (N - df + 0.5) / (df + 0.5))`` over the
documents mentioning the concept (specific concepts weigh more than ubiquitous ones; an expanded
concept's idf is capped at the query concept's, so that expansion never outweighs what was asked), and
``saturate`` is BM25's ``n (k1 + 1) / (n + k1)`` (the tenth mention adds little). A criterion scores
its best concept: a document citing both a concept and its descendant is not counted twice for one
idea. The document's score is ``text_weight * BM25(text) + concept_weight * sum of criteria``, plus,
for a query and a document that both have a vector, ``similarity_weight * cosine * best``
(``with_similarity``), where ``best`` is the best such score among the query's candidates.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from search.expansion import ExpandedConcept
from search.query import AFFIRMED, ALL, FAMILY, HYPOTHETICAL, NEGATED, NONE, ConceptCriterion, SearchQuery

K1 = 1.2
# Document types read as literature: an article is about the concepts it cites, whatever their
# polarity ("no association between X and cardiovascular disease" is a paper on cardiovascular
# disease), so every mention is evidence and nothing is denied. Assertions are a patient's: they
# apply to every other type (reports, notes, letters...).
LITERATURE_TYPES = frozenset({"article", "abstract", "publication", "paper"})


@dataclass(frozen=True)
class MentionCounts:
    """A document's MENTIONS aggregate for one concept (qualifier counts overlap)."""

    curie: str
    count: int = 0
    affirmed: int = 0
    negated: int = 0
    hypothetical: int = 0
    family: int = 0
    historical: int = 0


@dataclass(frozen=True)
class ExpandedCriterion:
    criterion: ConceptCriterion
    concepts: Mapping[str, ExpandedConcept]  # curie → best path from the criterion's concept


@dataclass(frozen=True)
class ConceptContribution:
    criterion: str  # the query concept
    role: str
    curie: str  # the concept the document mentions
    weight: float  # expansion weight
    idf: float
    evidence: float  # counted mentions (hypothetical ones weighted)
    score: float
    expansion: ExpandedConcept
    assertions: frozenset[str] = frozenset({AFFIRMED})  # the criterion's: which mentions are evidence


def accepted_mention(mention: Mapping[str, object], assertions: frozenset[str]) -> bool:
    """Whether one stored mention (its qualifier flags) is evidence under ``assertions``."""
    if mention.get("negated"):
        return NEGATED in assertions
    if mention.get("family"):
        return FAMILY in assertions
    if mention.get("hypothetical"):
        return HYPOTHETICAL in assertions
    return AFFIRMED in assertions


@dataclass(frozen=True)
class DocumentScore:
    id: str
    score: float
    text: float  # BM25 of the text, before text_weight
    contributions: tuple[ConceptContribution, ...]  # one per matched criterion, best first
    literature: bool = False  # scored as literature: every mention counted
    cosine: float | None = None  # of the document's vector with the query's (None: either has none)
    similarity: float = 0.0  # what the cosine added to ``score``


def idf(document_frequency: int, documents: int) -> float:
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def capped_idf(idfs: Mapping[str, float], curie: str, root: str) -> float:
    """The idf of ``curie``, at most that of the query concept ``root``: an expanded concept never
    weighs more than the concept asked for (a rare descendant would otherwise outrank it through its
    specificity alone)."""
    return min(idfs.get(curie, 0.0), idfs.get(root, math.inf))


def saturate(count: float, k1: float = K1) -> float:
    return count * (k1 + 1) / (count + k1) if count > 0 else 0.0


def evidence_count(criterion: ConceptCriterion, counts: MentionCounts) -> float:
    """The mentions of ``counts`` that ``criterion`` accepts as evidence."""
    accepted = criterion.assertions
    total = 0.0
    if AFFIRMED in accepted:
        total += counts.affirmed
    if HYPOTHETICAL in accepted:
        # A suspicion about a relative is family history, and "no suspicion of X" is a negation: neither
        # is a suspicion for the patient. The counts overlap, so this is a lower bound when a mention
        # is hypothetical and another one negated.
        total += criterion.hypothetical_weight * max(0, counts.hypothetical - counts.family - counts.negated)
    if FAMILY in accepted:
        total += counts.family
    if NEGATED in accepted:
        total += counts.negated
    return total


def denied(counts: MentionCounts) -> bool:
    """Whether every mention of ``counts`` is negated or about a relative."""
    return counts.count > 0 and counts.negated + counts.family >= counts.count


def excluded(criteria: Sequence[ExpandedCriterion], evidence: Mapping[str, MentionCounts]) -> bool:
    """Whether any ``none`` criterion has an affirmed mention among the document's concepts."""
    # Walk the document's few concepts, not the expansions (hundreds of concepts each).
    return any(
        counts.affirmed > 0
        and any(curie in item.concepts for item in criteria if item.criterion.role == NONE)
        for curie, counts in evidence.items()
    )


def score_document(
    doc_id: str,
    query: SearchQuery,
    criteria: Sequence[ExpandedCriterion],
    evidence: Mapping[str, MentionCounts],
    idfs: Mapping[str, float],
    text_score: float,
    *,
    literature: bool = False,
    similar: bool = False,
) -> DocumentScore | None:
    """The document's score, or None when it fails an ``all`` criterion, is excluded by ``none``,
    has no evidence at all, or only denies the query's concepts (or gives them to a relative) and
    matches no other concept. In ``literature`` every mention of a positive criterion counts.
    ``similar``: the document is among the query's nearest by vector, which is evidence as matching
    words are (its score then comes from ``with_similarity``)."""
    if excluded(criteria, evidence):
        return None
    contributions: list[ConceptContribution] = []
    contradicted = False  # a concept of the query is mentioned, but never in a way that counts
    for item in criteria:
        criterion = item.criterion
        if criterion.role == NONE:
            continue
        best: ConceptContribution | None = None
        # The document's concepts (tens) looked up in the expansion (up to hundreds), in CURIE order
        # so that ties go the same way whatever order the graph returned them in.
        for curie in sorted(evidence):
            expanded = item.concepts.get(curie)
            if expanded is None:
                continue
            counts = evidence[curie]
            count = float(counts.count) if literature else evidence_count(criterion, counts)
            if count <= 0:
                continue
            concept_idf = capped_idf(idfs, curie, criterion.curie)
            score = expanded.weight * concept_idf * saturate(count)
            if best is None or (score, -expanded.depth) > (best.score, -best.expansion.depth):
                best = ConceptContribution(
                    criterion=criterion.curie,
                    role=criterion.role,
                    curie=curie,
                    weight=expanded.weight,
                    idf=round(concept_idf, 6),
                    evidence=count,
                    score=score,
                    expansion=expanded,
                    assertions=criterion.assertions,
                )
        if best is None:
            if criterion.role == ALL:
                return None
            contradicted |= any(
                denied(counts) for curie, counts in evidence.items() if curie in item.concepts
            )
            continue
        contributions.append(best)
    if not contributions and ((text_score <= 0 and not similar) or (contradicted and not literature)):
        # Words or likeness alone do not make a document that only denies the query's concepts or
        # gives them to a relative: that is evidence against, not for. (A suspicion is not: "may
        # reduce the risk of CVD" is about CVD.)
        return None
    concept_score = sum(item.score for item in contributions)
    total = query.text_weight * text_score + query.concept_weight * concept_score
    contributions.sort(key=lambda item: (-item.score, item.criterion))
    return DocumentScore(
        id=doc_id, score=total, text=text_score, contributions=tuple(contributions), literature=literature
    )


def with_similarity(score: DocumentScore, cosine: float | None, scale: float) -> DocumentScore:
    """``score`` plus ``scale * cosine`` (``scale``: the similarity weight times the best score of the
    query's candidates), the cosine and its part kept for the breakdown. Unchanged without a cosine.

    It reorders every candidate, and is all the score of one admitted for being among the nearest by
    vector (``score_document``'s ``similar``); a report that only denies the query's concepts stays
    out however alike its words.
    """
    if cosine is None:
        return score
    added = scale * cosine
    return replace(score, score=score.score + added, cosine=cosine, similarity=added)
