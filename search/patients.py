"""Patient-level search: criteria over each patient's documents, as evidence per criterion.

A patient matches when every ``all`` criterion and (if there are only ``any`` criteria) at least one
of them is evidenced in some of their documents within the filters, and no ``none`` concept has an
affirmed mention in any of their documents (whatever the date window: an exclusion is about the
patient). A criterion scores as in document search, with the patient's mentions summed over their
documents; the patient's score is the sum over criteria. Each criterion lists its documents, best
first, and the page's patients get snippets from their best document per criterion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from graph.search_repository import DocumentFilter, PatientCriterion
from search.engine import Expander, counts_of, expand_criteria
from search.expansion import ExpandedConcept
from search.query import AFFIRMED, ALL, ANY, FAMILY, HYPOTHETICAL, NEGATED, NONE, SearchQuery
from search.scoring import (
    K1,
    ExpandedCriterion,
    accepted_mention,
    capped_idf,
    evidence_count,
    idf,
    saturate,
)
from search.snippets import Snippet, concept_snippets

DOCUMENTS_PER_CRITERION = 3


class PatientBackend(Protocol):
    """What patient search needs from the graph (``graph.search_repository.SearchRepository``)."""

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
    ) -> tuple[int, list[tuple[str, float]]]: ...

    def patients_evidence(
        self, patients: Sequence[str], curies: Sequence[str], filters: DocumentFilter
    ) -> list[dict[str, Any]]: ...

    def patients_with_affirmed(self, curies: Sequence[str], patients: Sequence[str] | None) -> set[str]: ...

    def document_frequencies(self, curies: Sequence[str]) -> tuple[dict[str, int], int]: ...

    def page_documents(
        self, ids: Sequence[str], curies: Sequence[str], *, text: bool = True
    ) -> dict[str, dict[str, Any]]: ...


@dataclass(frozen=True)
class DocumentEvidence:
    id: str
    date: str | None
    curie: str
    evidence: float
    snippets: tuple[Snippet, ...] = ()


@dataclass(frozen=True)
class CriterionEvidence:
    criterion: str
    role: str
    curie: str  # the best matched concept
    score: float
    weight: float
    idf: float
    evidence: float  # counted mentions over the patient's documents
    documents: tuple[DocumentEvidence, ...]
    document_count: int
    path: ExpandedConcept  # of the best matched concept: its expansion path
    assertions: frozenset[str] = frozenset({AFFIRMED})
    index: int = 0  # position of the criterion in the query (two criteria may share a concept)


@dataclass(frozen=True)
class PatientResult:
    id: str
    score: float
    criteria: tuple[CriterionEvidence, ...]


@dataclass(frozen=True)
class PatientSearchResult:
    total: int
    results: tuple[PatientResult, ...]
    criteria: tuple[ExpandedCriterion, ...]


class PatientSearch:
    def __init__(self, backend: PatientBackend, expander: Expander) -> None:
        self.backend = backend
        self.expander = expander

    def search(
        self, query: SearchQuery, *, offset: int = 0, size: int = 10, snippets: int = 1
    ) -> PatientSearchResult:
        if not (query.role(ALL) or query.role(ANY)):
            raise ValueError("a patient search needs at least one 'all' or 'any' criterion")
        criteria = expand_criteria(query, self.expander)
        positive = [item for item in criteria if item.criterion.role != NONE]
        asked = {item.criterion.curie for item in positive}
        frequencies, documents = self.backend.document_frequencies(
            sorted({curie for item in positive for curie in item.concepts} | asked)
        )
        idfs = {curie: idf(frequency, documents) for curie, frequency in frequencies.items()}
        # The graph ranks every patient and returns the page (a broad criterion matches thousands);
        # the page's patients are then explained from their own documents' evidence.
        total, page = self.backend.rank_patients(
            [_ranking_criterion(index, item, idfs, frequencies) for index, item in enumerate(positive)],
            query.filters,
            required=[index for index, item in enumerate(positive) if item.criterion.role == ALL],
            excluded=sorted(self._excluded(criteria, query.filters)),
            offset=offset,
            size=size,
            k1=K1,
        )
        mentioned = sorted(curie for curie, frequency in frequencies.items() if frequency > 0)
        rows = self.backend.patients_evidence([patient for patient, _ in page], mentioned, query.filters)
        per_patient: dict[str, dict[int, _Best]] = defaultdict(dict)
        for index, item in enumerate(positive):
            for patient, best in _best_per_patient(item, rows, idfs).items():
                per_patient[patient][index] = best
        results = []
        for patient, _ in page:
            found = per_patient[patient]
            evidence = sorted(
                (_explained(positive[index], index, best, idfs) for index, best in found.items()),
                key=lambda e: (-e.score, e.criterion),
            )
            results.append(PatientResult(patient, sum(item.score for item in evidence), tuple(evidence)))
        return PatientSearchResult(
            total=total, results=self._with_snippets(results, snippets), criteria=criteria
        )

    def _excluded(self, criteria: Sequence[ExpandedCriterion], filters: DocumentFilter) -> set[str]:
        curies = sorted(
            {curie for item in criteria if item.criterion.role == NONE for curie in item.concepts}
        )
        return self.backend.patients_with_affirmed(curies, filters.patients)

    def _with_snippets(self, results: Sequence[PatientResult], limit: int) -> tuple[PatientResult, ...]:
        """Snippets from each criterion's best document, for the whole page in one graph read."""
        if limit <= 0:
            return tuple(results)
        firsts = [e.documents[0] for result in results for e in result.criteria if e.documents]
        if not firsts:
            return tuple(results)
        sources = self.backend.page_documents(
            sorted({document.id for document in firsts}), sorted({document.curie for document in firsts})
        )
        return tuple(
            replace(result, criteria=tuple(_snippeted(e, sources, limit) for e in result.criteria))
            for result in results
        )


def _snippeted(
    evidence: CriterionEvidence, sources: Mapping[str, Mapping[str, Any]], limit: int
) -> CriterionEvidence:
    """``evidence`` with snippets on its first document, from that document's text and mentions."""
    if not evidence.documents or evidence.documents[0].id not in sources:
        return evidence
    first = evidence.documents[0]
    source = sources[first.id]
    mentions = [m for m in source["mentions"] if accepted_mention(m, evidence.assertions)]
    found = concept_snippets(source["text"] or "", mentions, {first.curie: 0}, limit=limit)
    return replace(evidence, documents=(replace(first, snippets=tuple(found)), *evidence.documents[1:]))


# A criterion's best concept for one patient: (score, curie, counted mentions, [(document, date,
# mentions)]).
_Best = tuple[float, str, float, list[tuple[str, str | None, float]]]


def _ranking_criterion(
    index: int, item: ExpandedCriterion, idfs: Mapping[str, float], frequencies: Mapping[str, int]
) -> PatientCriterion:
    """``item`` as the graph ranks it: a factor per concept that some document mentions."""
    criterion = item.criterion
    return PatientCriterion(
        index=index,
        factors={
            curie: expanded.weight * capped_idf(idfs, curie, criterion.curie)
            for curie, expanded in item.concepts.items()
            if frequencies.get(curie, 0) > 0
        },
        affirmed=AFFIRMED in criterion.assertions,
        hypothetical=HYPOTHETICAL in criterion.assertions,
        family=FAMILY in criterion.assertions,
        negated=NEGATED in criterion.assertions,
        hypothetical_weight=criterion.hypothetical_weight,
    )


def _best_per_patient(
    item: ExpandedCriterion, rows: Sequence[Mapping[str, Any]], idfs: Mapping[str, float]
) -> dict[str, _Best]:
    """Per patient: the criterion's best concept over their documents, and those documents. Rows of
    concepts the criterion does not expand to are ignored."""
    by_patient: dict[str, dict[str, list[tuple[str, str | None, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        if row["curie"] not in item.concepts:
            continue
        count = evidence_count(item.criterion, counts_of(row))
        if count > 0:
            by_patient[row["patient_id"]][row["curie"]].append((row["id"], row.get("date"), count))
    found: dict[str, _Best] = {}
    for patient, by_curie in by_patient.items():
        best: _Best | None = None
        for curie, docs in by_curie.items():
            total = sum(count for _, _, count in docs)
            score = (
                item.concepts[curie].weight * capped_idf(idfs, curie, item.criterion.curie) * saturate(total)
            )
            if best is None or score > best[0]:
                best = (score, curie, total, docs)
        if best is not None:
            found[patient] = best
    return found


def _explained(
    item: ExpandedCriterion, index: int, best: _Best, idfs: Mapping[str, float]
) -> CriterionEvidence:
    """The evidence of one criterion for one patient of the page, documents best first."""
    score, curie, total, docs = best
    expanded = item.concepts[curie]
    ordered = sorted(docs, key=lambda doc: (-doc[2], doc[0]))
    return CriterionEvidence(
        criterion=item.criterion.curie,
        role=item.criterion.role,
        curie=curie,
        score=score,
        weight=expanded.weight,
        idf=round(capped_idf(idfs, curie, item.criterion.curie), 6),
        evidence=total,
        documents=tuple(
            DocumentEvidence(id=doc_id, date=day, curie=curie, evidence=count)
            for doc_id, day, count in ordered[:DOCUMENTS_PER_CRITERION]
        ),
        document_count=len({doc_id for doc_id, _, _ in docs}),
        path=expanded,
        assertions=item.criterion.assertions,
        index=index,
    )
