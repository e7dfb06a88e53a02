"""Document search: a query becomes candidates, scores, a page of explained results and facets.

1. Each criterion is expanded (``search.expansion``) into weighted concepts with their paths.
2. Candidates come from two top-k full-text retrievals (BM25 over the text; the concept index queried
   with every accepted concept as a boosted token), plus family/negated mentions from the graph, and,
   for a query with a vector, the documents whose vectors are nearest (``SIMILAR_CANDIDATES``).
3. Each candidate's MENTIONS aggregates for the expanded concepts are read in one query and scored
   (``search.scoring``); ``all`` and ``none`` are applied exactly on them.
   An English query's vector is compared with each candidate's in the same read; the cosine adds to
   the score in proportion to the best candidate's (``search.scoring.with_similarity``). A nearest
   document is admitted on its similarity alone, as one matching words is, unless it only denies the
   query's concepts (``search.scoring.score_document``).
4. Results are sorted by score, then id (stable pages); snippets are built for the page only.

The total is exact unless a retrieval reached its cap (``total_exact`` says which); the nearest documents
are counted in it, and, being a top k by nature, leave it exact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from graph.expansion import ExpansionRepository
from graph.search_repository import DocumentFilter
from search.expansion import Edge, ExpandedConcept, ExpansionPolicy, expand
from search.feedback import applies, expanded_query, rescaled
from search.query import AFFIRMED, FAMILY, HYPOTHETICAL, NEGATED, NONE, SearchQuery
from search.scoring import (
    LITERATURE_TYPES,
    DocumentScore,
    ExpandedCriterion,
    MentionCounts,
    accepted_mention,
    idf,
    score_document,
    with_similarity,
)
from search.snippets import Snippet, concept_snippets, word_snippet

# Top k of each retrieval: what is scored exactly. Also the deepest result a page can show
# (api.search_schemas.MAX_RESULT_WINDOW), and the total counted before it is marked inexact.
CANDIDATES_PER_RETRIEVAL = 400
# BM25 candidates: fewer, since every one costs an evidence read; documents that evidence the query's
# concepts come from the concept retrieval anyway. 200 is what docs/evaluation.md measured.
TEXT_CANDIDATES = 200
# Nearest documents by vector: top k of the vector index, admitted as candidates when their cosine with
# the query reaches SIMILAR_MIN_COSINE (docs/evaluation.md). The floor keeps a small or unrelated store
# from admitting what is merely nearest: bge gives unrelated English texts 0.4 to 0.55.
# 50: the same nDCG@10 as 100 or 200 on both training sets, and 3 ms less for the index at 100k.
SIMILAR_CANDIDATES = 50
SIMILAR_MIN_COSINE = 0.6
FACET_CONCEPTS = 10
# Retrievals run side by side per request (text, concepts, and one per family/negated criterion).
MAX_PARALLEL_RETRIEVALS = 4

Expander = Callable[[str, ExpansionPolicy], list[ExpandedConcept]]


def graph_expander(repository: ExpansionRepository) -> Expander:
    """Expansion over the graph, asking only for the relations the policy follows."""

    def expander(curie: str, policy: ExpansionPolicy) -> list[ExpandedConcept]:
        def neighbours(frontier: Sequence[str]) -> list[Edge]:
            return [Edge(*edge) for edge in repository.neighbours(frontier, policy.enabled)]

        return expand(curie, neighbours, policy)

    return expander


class SearchBackend(Protocol):
    """What document search needs from the graph (``graph.search_repository.SearchRepository``)."""

    def text_hits(
        self, text: str, filters: DocumentFilter, *, limit: int, lang: str | None = None
    ) -> dict[str, float]: ...

    def weighted_text_hits(
        self, weights: Mapping[str, float], filters: DocumentFilter, *, limit: int, lang: str | None = None
    ) -> dict[str, float]: ...

    def document_texts(self, ids: Sequence[str]) -> dict[str, str]: ...

    def concept_hits(
        self,
        affirmed: Mapping[str, float],
        hypothetical: Mapping[str, float],
        filters: DocumentFilter,
        *,
        limit: int,
    ) -> dict[str, float]: ...

    def qualified_hits(
        self, curies: Sequence[str], filters: DocumentFilter, *, family: bool, negated: bool, limit: int
    ) -> dict[str, float]: ...

    def similar_hits(
        self, vector: Sequence[float], filters: DocumentFilter, *, limit: int
    ) -> dict[str, float]: ...

    def candidates(
        self, ids: Sequence[str], curies: Sequence[str], *, vector: Sequence[float] | None = None
    ) -> list[dict[str, Any]]: ...

    def document_frequencies(self, curies: Sequence[str]) -> tuple[dict[str, int], int]: ...

    def page_documents(
        self, ids: Sequence[str], curies: Sequence[str], *, text: bool = True
    ) -> dict[str, dict[str, Any]]: ...


@dataclass(frozen=True)
class DocumentResult:
    id: str
    score: DocumentScore
    fields: Mapping[str, Any]  # type, lang, date, source, title, patient_id
    snippets: tuple[Snippet, ...]


@dataclass(frozen=True)
class SearchResult:
    total: int
    total_exact: bool
    results: tuple[DocumentResult, ...]
    facets: Mapping[str, Mapping[str, int]]  # "type", "lang", "concept" → value → documents
    criteria: tuple[ExpandedCriterion, ...]
    # Words added to the text query by pseudo-relevance feedback, with their weights (empty: none).
    feedback: Mapping[str, float] = field(default_factory=dict)


_COUNT_FIELDS = ("count", "affirmed", "negated", "hypothetical", "family", "historical")


def counts_of(row: Mapping[str, Any] | Sequence[Any]) -> MentionCounts:
    """Counts from a row: a map with the field names, or ``[curie, *_COUNT_FIELDS]``."""
    if not isinstance(row, Mapping):
        return MentionCounts(row[0], *(value or 0 for value in row[1:]))
    return MentionCounts(
        curie=row["curie"],
        count=row.get("count") or 0,
        affirmed=row.get("affirmed") or 0,
        negated=row.get("negated") or 0,
        hypothetical=row.get("hypothetical") or 0,
        family=row.get("family") or 0,
        historical=row.get("historical") or 0,
    )


def expand_criteria(query: SearchQuery, expander: Expander) -> tuple[ExpandedCriterion, ...]:
    return tuple(
        ExpandedCriterion(
            criterion=criterion,
            concepts={item.curie: item for item in expander(criterion.curie, criterion.policy)},
        )
        for criterion in query.criteria
    )


def concept_boosts(criteria: Sequence[ExpandedCriterion]) -> tuple[dict[str, float], dict[str, float]]:
    """(affirmed, hypothetical) token boosts for the concept index: each concept at its best weight."""
    affirmed: dict[str, float] = {}
    hypothetical: dict[str, float] = {}
    for item in criteria:
        criterion = item.criterion
        if criterion.role == NONE:
            continue
        for curie, expanded in item.concepts.items():
            if AFFIRMED in criterion.assertions:
                affirmed[curie] = max(affirmed.get(curie, 0.0), expanded.weight)
            if HYPOTHETICAL in criterion.assertions:
                weight = expanded.weight * criterion.hypothetical_weight
                hypothetical[curie] = max(hypothetical.get(curie, 0.0), weight)
    return affirmed, hypothetical


class DocumentSearch:
    def __init__(
        self,
        backend: SearchBackend,
        expander: Expander,
        *,
        candidates: int = CANDIDATES_PER_RETRIEVAL,
        text_candidates: int = TEXT_CANDIDATES,
        similar_candidates: int = SIMILAR_CANDIDATES,
        similar_min_cosine: float = SIMILAR_MIN_COSINE,
    ) -> None:
        self.backend = backend
        self.expander = expander
        self.limit = candidates
        self.text_limit = min(text_candidates, candidates)
        self.similar_limit = min(similar_candidates, candidates)
        self.similar_min_cosine = similar_min_cosine

    def search(
        self, query: SearchQuery, *, offset: int = 0, size: int = 10, snippets: int = 3
    ) -> SearchResult:
        criteria = expand_criteria(query, self.expander)
        vector = query.vector if query.similarity_weight > 0 else None
        text_scores, exact = self._retrieve(query, criteria, vector)
        text_scores, feedback = self._feedback(query, text_scores)
        every_curie = sorted({curie for item in criteria for curie in item.concepts})
        rows = self.backend.candidates(sorted(set(text_scores) | set(exact.ids)), every_curie, vector=vector)
        evidence = {row["id"]: {e[0]: counts_of(e) for e in row["evidence"]} for row in rows}
        mentioned = sorted(
            {curie for counts in evidence.values() for curie in counts}
            | {item.criterion.curie for item in criteria}
        )
        frequencies, documents = self.backend.document_frequencies(mentioned)
        idfs = {curie: idf(frequencies.get(curie, 0), documents) for curie in mentioned}
        scored: list[tuple[DocumentScore, Mapping[str, Any]]] = []
        for row in rows:
            score = score_document(
                row["id"],
                query,
                criteria,
                evidence[row["id"]],
                idfs,
                text_scores.get(row["id"], 0.0),
                literature=(row.get("type") or "").lower() in LITERATURE_TYPES,
                similar=row["id"] in exact.similar,
            )
            if score is not None:
                scored.append((score, row))
        if vector is not None and scored:
            # Similarity-only candidates score 0 before it: the cosine alone orders them then.
            best = max(score.score for score, _ in scored) or 1.0
            scale = query.similarity_weight * best
            scored = [(with_similarity(score, row.get("similarity"), scale), row) for score, row in scored]
        scored.sort(key=lambda item: (-item[0].score, item[0].id))
        page = scored[offset : offset + size]
        page_ids = [score.id for score, _ in page]
        shown = self.backend.page_documents(page_ids, every_curie, text=snippets > 0) if page_ids else {}
        results = tuple(
            DocumentResult(
                id=score.id,
                score=score,
                fields={
                    "type": row.get("type"),
                    "lang": row.get("lang"),
                    **{
                        key: shown.get(score.id, {}).get(key)
                        for key in ("date", "source", "title", "patient_id")
                    },
                },
                snippets=tuple(self._snippets(score, shown.get(score.id), query.text, snippets)),
            )
            for score, row in page
        )
        return SearchResult(
            total=len(scored),
            total_exact=exact.complete,
            results=results,
            facets=_facets(scored),
            criteria=criteria,
            feedback=feedback,
        )

    def _feedback(
        self, query: SearchQuery, text_scores: dict[str, float]
    ) -> tuple[dict[str, float], dict[str, float]]:
        """The text scores of the query expanded with its first results' words, and those words;
        the scores unchanged and no word when feedback does not apply (search/feedback.py)."""
        policy = query.feedback
        understood = any(criterion.role != NONE for criterion in query.criteria)
        if not text_scores or not applies(policy, query.text, query.lang, understood=understood):
            return text_scores, {}
        top = sorted(text_scores.items(), key=lambda item: (-item[1], item[0]))[: policy.documents]
        texts = self.backend.document_texts([doc_id for doc_id, _ in top])
        weights, words = expanded_query(
            query.text, [(texts.get(doc_id, ""), score) for doc_id, score in top], policy, query.lang
        )
        if not words:
            return text_scores, {}
        expanded = self.backend.weighted_text_hits(
            weights, query.filters, limit=self.text_limit, lang=query.lang
        )
        return rescaled(expanded, text_scores), words

    def _retrieve(
        self, query: SearchQuery, criteria: Sequence[ExpandedCriterion], vector: Sequence[float] | None
    ) -> tuple[dict[str, float], _Ids]:
        filters = query.filters
        # The retrievals are independent Lucene and graph reads: run side by side, they cost the
        # slowest one rather than their sum (the driver is thread-safe, each read has its session).
        retrievals: list[tuple[str, int, Callable[[], dict[str, float]]]] = []
        if query.text.strip() and query.text_weight > 0:
            text = partial(
                self.backend.text_hits, query.text, filters, limit=self.text_limit, lang=query.lang
            )
            retrievals.append(("text", self.text_limit, text))
        affirmed, hypothetical = concept_boosts(criteria)
        if affirmed or hypothetical:
            concepts = partial(self.backend.concept_hits, affirmed, hypothetical, filters, limit=self.limit)
            retrievals.append(("concepts", self.limit, concepts))
        for item in criteria:
            criterion = item.criterion
            family, negated = FAMILY in criterion.assertions, NEGATED in criterion.assertions
            if criterion.role != NONE and (family or negated):
                qualified = partial(
                    self.backend.qualified_hits,
                    list(item.concepts),
                    filters,
                    family=family,
                    negated=negated,
                    limit=self.limit,
                )
                retrievals.append(("qualified", self.limit, qualified))
        if vector is not None and self.similar_limit > 0:
            similar = partial(self.backend.similar_hits, vector, filters, limit=self.similar_limit)
            retrievals.append(("similar", self.similar_limit, similar))
        if len(retrievals) > 1:
            with ThreadPoolExecutor(max_workers=min(len(retrievals), MAX_PARALLEL_RETRIEVALS)) as pool:
                found = list(pool.map(lambda retrieval: retrieval[2](), retrievals))
        else:
            found = [retrieval() for _, _, retrieval in retrievals]
        text_scores: dict[str, float] = {}
        ids: set[str] = set()
        nearest: set[str] = set()
        complete = True
        for (kind, limit, _), hits in zip(retrievals, found, strict=True):
            if kind == "similar":
                nearest.update(doc_id for doc_id, cosine in hits.items() if cosine >= self.similar_min_cosine)
                continue
            complete &= len(hits) < limit
            if kind == "text":
                text_scores = hits
            else:
                ids.update(hits)
        return text_scores, _Ids(ids | nearest, complete, frozenset(nearest))

    def _snippets(
        self, score: DocumentScore, source: Mapping[str, Any] | None, text: str, limit: int
    ) -> list[Snippet]:
        if source is None or limit <= 0:
            return []
        rank: dict[str, int] = {}
        assertions: dict[str, frozenset[str]] = {}
        for position, item in enumerate(score.contributions):
            rank.setdefault(item.curie, position)
            assertions[item.curie] = assertions.get(item.curie, frozenset()) | item.assertions
        # Show the mentions that count: "Pas de diabète" is no evidence for a query on diabetes.
        mentions = [
            mention
            for mention in source["mentions"]
            if mention["curie"] in rank
            and (score.literature or accepted_mention(mention, assertions[mention["curie"]]))
        ]
        found = concept_snippets(source["text"] or "", mentions, rank, limit=limit)
        if len(found) < limit and score.text > 0:
            passage = word_snippet(source["text"] or "", text)
            if passage is not None and all(passage.start != snippet.start for snippet in found):
                found.append(passage)
        return found


@dataclass(frozen=True)
class _Ids:
    ids: set[str]
    complete: bool
    similar: frozenset[str] = frozenset()  # the nearest documents by vector


def _facets(scored: Sequence[tuple[DocumentScore, Mapping[str, Any]]]) -> dict[str, dict[str, int]]:
    types: Counter[str] = Counter()
    langs: Counter[str] = Counter()
    concepts: Counter[str] = Counter()
    for score, row in scored:
        types[row.get("type") or "unknown"] += 1
        langs[row.get("lang") or "unknown"] += 1
        for contribution in score.contributions:
            concepts[contribution.curie] += 1
    top = sorted(concepts.items(), key=lambda item: (-item[1], item[0]))[:FACET_CONCEPTS]
    return {"type": dict(types.most_common()), "lang": dict(langs.most_common()), "concept": dict(top)}
