"""The graph side of search: candidates from the full-text indexes, evidence rows, snippet sources.

``search`` decides what to ask and how to score it; this module only runs the queries and returns
plain rows. It also owns the Lucene query syntax, since that is a property of the indexes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from graph import search_cypher as q
from graph.documents import concept_token
from graph.driver import Graph, fetch, fetch_single

# Characters with a meaning in Lucene's query syntax: replaced by spaces, as the analyzers split on
# them anyway ("COVID-19" is searched as "COVID 19").
_LUCENE_SPECIAL = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/]')
_OPERATORS = re.compile(r"\b(AND|OR|NOT|TO)\b")


def lucene_text(text: str) -> str:
    """``text`` as a Lucene query of optional words: no operator, field, wildcard or phrase survives."""
    plain = _LUCENE_SPECIAL.sub(" ", text)
    plain = _OPERATORS.sub(lambda match: match.group(0).lower(), plain)
    return " ".join(plain.split())


_WORD_ONLY = re.compile(r"^\w+$")


def lucene_weighted(weights: Mapping[str, float]) -> str:
    """One boosted clause per word: ``word^weight``. Only plain words (letters, digits, underscore)
    are kept, lower-cased, so that no operator or syntax can come from a document's text."""
    clauses = [
        f"{word.lower()}^{weight:.6f}"
        for word, weight in weights.items()
        if weight > 0 and _WORD_ONLY.match(word)
    ]
    return " ".join(clauses)


def lucene_concepts(weights: Mapping[str, float], *, field: str) -> str:
    """One boosted clause per concept on ``field`` (``concept_tokens`` or ``hypothesis_tokens``)."""
    clauses = [f"{concept_token(curie)}^{weight:.4f}" for curie, weight in weights.items() if weight > 0]
    return f"{field}:({' '.join(clauses)})" if clauses else ""


# Filters apply after the vector index's nearest documents are found: it is asked for this many times
# more, so that a source, language or type of a tenth of the store still fills the limit.
SIMILAR_OVERSAMPLING = 10


@dataclass(frozen=True)
class DocumentFilter:
    """Restrictions on documents; ``None`` means no restriction. Dates are inclusive ISO dates."""

    types: tuple[str, ...] | None = None
    langs: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    patients: tuple[str, ...] | None = None
    date_from: date | None = None
    date_to: date | None = None

    def params(self) -> dict[str, Any]:
        def listed(values: tuple[str, ...] | None) -> list[str] | None:
            return None if values is None else list(values)

        return {
            "types": listed(self.types),
            "langs": listed(self.langs),
            "sources": listed(self.sources),
            "patients": listed(self.patients),
            "date_from": None if self.date_from is None else self.date_from.isoformat(),
            "date_before": None if self.date_to is None else (self.date_to + timedelta(days=1)).isoformat(),
        }


@dataclass(frozen=True)
class PatientCriterion:
    """One criterion of a patient ranking: the factor of each concept it accepts (expansion weight x
    capped idf) and the mentions it counts as evidence."""

    index: int
    factors: Mapping[str, float]
    affirmed: bool = True
    hypothetical: bool = False
    family: bool = False
    negated: bool = False
    hypothetical_weight: float = 0.5

    def params(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "factors": dict(self.factors),
            "affirmed": self.affirmed,
            "hypothetical": self.hypothetical,
            "family": self.family,
            "negated": self.negated,
            "hypothetical_weight": self.hypothetical_weight,
        }


@dataclass(frozen=True)
class Hit:
    id: str
    score: float


class SearchRepository:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def text_hits(
        self, text: str, filters: DocumentFilter, *, limit: int, lang: str | None = None
    ) -> dict[str, float]:
        """Best BM25 score of each document for ``text``: in the index of ``lang`` and the index of
        other languages, or in every text index when ``lang`` is None. Words of one language rarely
        match a document in another; concepts cross languages through the concept index instead."""
        return self._text_query(lucene_text(text), filters, limit=limit, lang=lang)

    def weighted_text_hits(
        self, weights: Mapping[str, float], filters: DocumentFilter, *, limit: int, lang: str | None = None
    ) -> dict[str, float]:
        """As ``text_hits``, for words each with its weight (a query expanded by feedback)."""
        return self._text_query(lucene_weighted(weights), filters, limit=limit, lang=lang)

    def document_texts(self, ids: Sequence[str]) -> dict[str, str]:
        """Title and text of each document of ``ids`` (those that exist)."""
        if not ids:
            return {}
        rows = self.graph.read(lambda tx: fetch(tx, q.DOCUMENT_TEXTS, {"ids": list(ids)}))
        return {row["id"]: row["text"] for row in rows}

    def _text_query(
        self, query: str, filters: DocumentFilter, *, limit: int, lang: str | None
    ) -> dict[str, float]:
        if not query:
            return {}
        indexes = (
            list(q.TEXT_INDEXES)
            if lang not in q.TEXT_INDEX_BY_LANG
            else [
                q.TEXT_INDEX_BY_LANG[lang or ""],
                q.OTHER_TEXT_INDEX,
            ]
        )
        params = {"indexes": indexes, "query": query, "limit": limit, **filters.params()}
        hits = self.graph.read(lambda tx: fetch_single(tx, q.TEXT_HITS, params))
        scores: dict[str, float] = {}
        for doc_id, score in hits:
            scores[doc_id] = max(scores.get(doc_id, 0.0), float(score))
        return dict(sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit])

    def concept_hits(
        self,
        affirmed: Mapping[str, float],
        hypothetical: Mapping[str, float],
        filters: DocumentFilter,
        *,
        limit: int,
    ) -> dict[str, float]:
        """Documents whose indexed concept tokens match: Lucene BM25 with the weights as boosts."""
        clauses = [
            lucene_concepts(affirmed, field="concept_tokens"),
            lucene_concepts(hypothetical, field="hypothesis_tokens"),
        ]
        query = " ".join(clause for clause in clauses if clause)
        if not query:
            return {}
        return {hit.id: hit.score for hit in self._fulltext(q.CONCEPT_INDEX, query, filters, limit)}

    def similar_hits(
        self, vector: Sequence[float], filters: DocumentFilter, *, limit: int
    ) -> dict[str, float]:
        """The cosine of the ``limit`` documents nearest ``vector`` that pass ``filters`` (the vector
        index is asked for ``SIMILAR_OVERSAMPLING`` times more when filters are set: fewer may pass)."""
        if not vector or limit <= 0:
            return {}
        params = {
            "index": q.VECTOR_INDEX,
            "vector": list(vector),
            "limit": limit,
            "nearest": limit if filters == DocumentFilter() else limit * SIMILAR_OVERSAMPLING,
            **filters.params(),
        }
        hits = self.graph.read(lambda tx: fetch_single(tx, q.SIMILAR_HITS, params))
        return {doc_id: float(cosine) for doc_id, cosine in hits}

    def qualified_hits(
        self, curies: Sequence[str], filters: DocumentFilter, *, family: bool, negated: bool, limit: int
    ) -> dict[str, float]:
        """Documents mentioning ``curies`` about a relative and/or negated (not in the concept index)."""
        if not curies or not (family or negated):
            return {}
        params = {
            "curies": list(curies),
            "family": family,
            "negated": negated,
            "limit": limit,
            **filters.params(),
        }
        hits = self.graph.read(lambda tx: fetch_single(tx, q.QUALIFIED_HITS, params))
        return dict(hits)

    def candidates(
        self, ids: Sequence[str], curies: Sequence[str], *, vector: Sequence[float] | None = None
    ) -> list[dict[str, Any]]:
        """Type, language and MENTIONS aggregates (restricted to ``curies``) of each document, the
        aggregates as ``[curie, count, affirmed, negated, hypothetical, family, historical]``, and
        the cosine of the document's vector with ``vector`` (None when either is missing)."""
        if not ids:
            return []
        params = {"ids": list(ids), "curies": list(curies), "vector": list(vector) if vector else None}
        rows = self.graph.read(lambda tx: fetch_single(tx, q.CANDIDATES, params))
        return [
            {
                "id": doc_id,
                "type": doc_type,
                "lang": lang,
                "evidence": evidence,
                "similarity": cosine,
            }
            for doc_id, doc_type, lang, evidence, cosine in rows
        ]

    def document_frequencies(self, curies: Sequence[str]) -> tuple[dict[str, int], int]:
        """(documents mentioning each concept, all documents)."""

        def work(tx: Any) -> tuple[list[list[Any]], int]:
            frequencies = fetch_single(tx, q.DOCUMENT_FREQUENCIES, {"curies": list(curies)})
            return frequencies, fetch_single(tx, q.DOCUMENT_COUNT, {})

        frequencies, count = self.graph.read(work)
        return dict(frequencies), int(count)

    def page_documents(
        self, ids: Sequence[str], curies: Sequence[str], *, text: bool = True
    ) -> dict[str, dict[str, Any]]:
        """Date, source, title and patient of each document of ``ids``; with ``text``, also its text
        and its mentions of ``curies`` (for snippets)."""
        if not ids:
            return {}
        params = {"ids": list(ids), "curies": list(curies), "text": text}
        documents = self.graph.read(lambda tx: fetch_single(tx, q.PAGE_DOCUMENTS, params))
        return {document["id"]: document for document in documents}

    def rank_patients(
        self,
        criteria: Sequence[PatientCriterion],
        filters: DocumentFilter,
        *,
        required: Sequence[int],
        excluded: Sequence[str],
        offset: int,
        size: int,
        k1: float,
    ) -> tuple[int, list[tuple[str, float]]]:
        """(matching patients, the page of ``(patient, score)`` best first) over the documents under
        ``filters``: ``search_cypher.PATIENT_RANKING`` says how a patient scores."""
        if not criteria:
            return 0, []
        params = {
            "criteria": [criterion.params() for criterion in criteria],
            "required": list(required),
            "excluded": list(excluded),
            "offset": offset,
            "size": size,
            "k1": k1,
            **filters.params(),
        }
        rows = self.graph.read(lambda tx: fetch(tx, q.PATIENT_RANKING, params))
        return int(rows[0]["total"]), [(patient, float(score)) for patient, score in rows[0]["page"]]

    def patients_evidence(
        self, patients: Sequence[str], curies: Sequence[str], filters: DocumentFilter
    ) -> list[dict[str, Any]]:
        """One row per (patient, document, concept) of ``curies`` mentioned in the documents of
        ``patients`` under ``filters``, with the aggregate's counts."""
        if not patients or not curies:
            return []
        params = {"page": list(patients), "curies": list(curies), **filters.params()}
        evidence: list[dict[str, Any]] = self.graph.read(
            lambda tx: fetch_single(tx, q.PATIENTS_EVIDENCE, params)
        )
        return evidence

    def patients_with_affirmed(self, curies: Sequence[str], patients: Sequence[str] | None) -> set[str]:
        """Patients with an affirmed mention of any of ``curies`` in any of their documents."""
        if not curies:
            return set()
        params = {"curies": list(curies), "patients": None if patients is None else list(patients)}
        return set(self.graph.read(lambda tx: fetch_single(tx, q.PATIENTS_WITH_AFFIRMED, params)))

    def _fulltext(self, index: str, query: str, filters: DocumentFilter, limit: int) -> list[Hit]:
        if index not in (*q.TEXT_INDEXES, q.CONCEPT_INDEX):
            raise ValueError(f"unknown index {index!r}")
        params = {"index": index, "query": query, "limit": limit, **filters.params()}
        hits = self.graph.read(lambda tx: fetch_single(tx, q.FULLTEXT_HITS, params))
        return [Hit(doc_id, float(score)) for doc_id, score in hits]
