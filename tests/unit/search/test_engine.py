"""Document and patient search over an in-memory fake of the graph (no Neo4j).

The fake reads documents written as markup (``search_markup``), aggregates their mentions like
``graph.documents`` (MENTIONS rows), retrieves by concept (affirmed / suspected mentions of a boosted
CURIE) and by naive word overlap, and records what it is asked. Expansion is the real
``search.expansion.expand`` over a dict graph.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from graph.search_repository import DocumentFilter, PatientCriterion
from search.engine import DocumentSearch, concept_boosts, expand_criteria
from search.expansion import DESCENDANT, EXACT, Edge, ExpandedConcept, ExpansionPolicy, expand
from search.feedback import FeedbackPolicy
from search.patients import PatientSearch
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
from search.scoring import idf
from tests.unit.search.search_markup import aggregates, mention_rows, unit_query

COUNT_FIELDS = ("count", "affirmed", "negated", "hypothetical", "family", "historical")

# D (diabetes) has children T1 and T2, T2 has child T2N, D maps exactly to M; H (hypertension) and
# I (heart failure) stand alone.
EDGES = (
    Edge("D", "T1", DESCENDANT),
    Edge("D", "T2", DESCENDANT),
    Edge("T2", "T2N", DESCENDANT),
    Edge("D", "M", EXACT),
)


def neighbours(frontier: Sequence[str]) -> list[Edge]:
    return [edge for edge in EDGES if edge.source in frontier]


def expander(curie: str, policy: ExpansionPolicy) -> list[ExpandedConcept]:
    return expand(curie, neighbours, policy)


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    mentions: tuple[dict[str, Any], ...]
    type: str = "report"
    lang: str = "fr"
    patient_id: str | None = None
    date: str | None = None
    vector: tuple[float, ...] | None = None

    def affirmed(self, mention: Mapping[str, Any]) -> bool:
        return not (mention["negated"] or mention["hypothetical"] or mention["family"])


def document(doc_id: str, markup: str, **fields: Any) -> Document:
    text, mentions = mention_rows(markup)
    return Document(doc_id, text, tuple(mentions), **fields)


def top(scores: Mapping[str, float], limit: int) -> dict[str, float]:
    return dict(sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit])


@dataclass
class FakeGraph:
    """Implements both ``SearchBackend`` and ``PatientBackend``."""

    documents: Sequence[Document]
    snippet_calls: list[tuple[list[str], list[str]]] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    text_langs: list[str | None] = field(default_factory=list)
    vectors: list[tuple[float, ...] | None] = field(default_factory=list)  # asked of candidates()

    def _filtered(self, filters: DocumentFilter) -> list[Document]:
        return [
            doc
            for doc in self.documents
            if (filters.types is None or doc.type in filters.types)
            and (filters.langs is None or doc.lang in filters.langs)
            and (filters.patients is None or doc.patient_id in filters.patients)
        ]

    def text_hits(
        self, text: str, filters: DocumentFilter, *, limit: int, lang: str | None = None
    ) -> dict[str, float]:
        self.calls.append("text_hits")
        self.text_langs.append(lang)
        words = set(re.findall(r"\w+", text.lower()))
        scores = {
            doc.id: float(len(words & set(re.findall(r"\w+", doc.text.lower()))))
            for doc in self._filtered(filters)
        }
        return top({doc_id: score for doc_id, score in scores.items() if score > 0}, limit)

    def weighted_text_hits(
        self, weights: Mapping[str, float], filters: DocumentFilter, *, limit: int, lang: str | None = None
    ) -> dict[str, float]:
        self.calls.append("weighted_text_hits")
        self.text_langs.append(lang)
        scores = {
            doc.id: sum(weights.get(word, 0.0) for word in set(re.findall(r"\w+", doc.text.lower())))
            for doc in self._filtered(filters)
        }
        return top({doc_id: score for doc_id, score in scores.items() if score > 0}, limit)

    def document_texts(self, ids: Sequence[str]) -> dict[str, str]:
        self.calls.append("document_texts")
        return {doc.id: doc.text for doc in self.documents if doc.id in ids}

    def concept_hits(
        self,
        affirmed: Mapping[str, float],
        hypothetical: Mapping[str, float],
        filters: DocumentFilter,
        *,
        limit: int,
    ) -> dict[str, float]:
        self.calls.append("concept_hits")
        scores: dict[str, float] = {}
        for doc in self._filtered(filters):
            for mention in doc.mentions:
                curie = mention["curie"]
                if doc.affirmed(mention) and curie in affirmed:
                    scores[doc.id] = scores.get(doc.id, 0.0) + affirmed[curie]
                elif (
                    mention["hypothetical"]
                    and not (mention["negated"] or mention["family"])
                    and curie in hypothetical
                ):
                    scores[doc.id] = scores.get(doc.id, 0.0) + hypothetical[curie]
        return top(scores, limit)

    def qualified_hits(
        self, curies: Sequence[str], filters: DocumentFilter, *, family: bool, negated: bool, limit: int
    ) -> dict[str, float]:
        self.calls.append("qualified_hits")
        scores = {
            doc.id: 1.0
            for doc in self._filtered(filters)
            for mention in doc.mentions
            if mention["curie"] in curies
            and ((family and mention["family"]) or (negated and mention["negated"]))
        }
        return top(scores, limit)

    def similar_hits(
        self, vector: Sequence[float], filters: DocumentFilter, *, limit: int
    ) -> dict[str, float]:
        self.calls.append("similar_hits")
        scores = {
            doc.id: sum(a * b for a, b in zip(vector, doc.vector, strict=True))
            for doc in self._filtered(filters)
            if doc.vector is not None
        }
        return top(scores, limit)

    def candidates(
        self, ids: Sequence[str], curies: Sequence[str], *, vector: Sequence[float] | None = None
    ) -> list[dict[str, Any]]:
        self.vectors.append(None if vector is None else tuple(vector))
        by_id = {doc.id: doc for doc in self.documents}
        return [
            {
                "id": doc.id,
                "type": doc.type,
                "lang": doc.lang,
                "similarity": None
                if vector is None or doc.vector is None
                else sum(a * b for a, b in zip(vector, doc.vector, strict=True)),
                # As the graph returns them: [curie, *COUNT_FIELDS]
                "evidence": [
                    [curie, *(row.get(key, 0) for key in COUNT_FIELDS)]
                    for curie, row in aggregates(doc.mentions).items()
                    if curie in curies
                ],
            }
            for doc in (by_id[doc_id] for doc_id in ids if doc_id in by_id)
        ]

    def document_frequencies(self, curies: Sequence[str]) -> tuple[dict[str, int], int]:
        frequencies = {
            curie: sum(any(m["curie"] == curie for m in doc.mentions) for doc in self.documents)
            for curie in curies
        }
        return frequencies, len(self.documents)

    def page_documents(
        self, ids: Sequence[str], curies: Sequence[str], *, text: bool = True
    ) -> dict[str, dict[str, Any]]:
        if text:
            self.snippet_calls.append((list(ids), list(curies)))
        return {
            doc.id: {
                "id": doc.id,
                "date": doc.date,
                "source": "fake",
                "title": None,
                "patient_id": doc.patient_id,
                "text": doc.text if text else None,
                "mentions": [m for m in doc.mentions if m["curie"] in curies] if text else [],
            }
            for doc in self.documents
            if doc.id in ids
        }

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
        """``graph.search_cypher.PATIENT_RANKING`` in Python."""
        self.calls.append("rank_patients")
        best: dict[str, dict[int, float]] = defaultdict(dict)
        for criterion in criteria:
            evidence: dict[tuple[str, str], float] = defaultdict(float)
            for doc in self._filtered(filters):
                if doc.patient_id is None:
                    continue
                for curie, row in aggregates(doc.mentions).items():
                    if curie in criterion.factors:
                        evidence[doc.patient_id, curie] += ranking_evidence(criterion, row)
            for (patient, curie), count in evidence.items():
                if count > 0:
                    score = criterion.factors[curie] * count * (k1 + 1) / (count + k1)
                    found = best[patient]
                    found[criterion.index] = max(found.get(criterion.index, score), score)
        ranked = sorted(
            (-sum(found.values()), patient)
            for patient, found in best.items()
            if set(required) <= found.keys() and patient not in excluded
        )
        return len(ranked), [(patient, -negative) for negative, patient in ranked[offset : offset + size]]

    def patients_evidence(
        self, patients: Sequence[str], curies: Sequence[str], filters: DocumentFilter
    ) -> list[dict[str, Any]]:
        self.calls.append("patients_evidence")
        return [
            {**row, "patient_id": doc.patient_id, "id": doc.id, "date": doc.date}
            for doc in self._filtered(filters)
            if doc.patient_id in patients
            for curie, row in aggregates(doc.mentions).items()
            if curie in curies
        ]

    def patients_with_affirmed(self, curies: Sequence[str], patients: Sequence[str] | None) -> set[str]:
        return {
            doc.patient_id
            for doc in self.documents
            if doc.patient_id is not None
            and (patients is None or doc.patient_id in patients)
            and any(m["curie"] in curies and doc.affirmed(m) for m in doc.mentions)
        }


def ranking_evidence(criterion: PatientCriterion, row: Mapping[str, int]) -> float:
    """The mentions of one MENTIONS aggregate that a ranking criterion counts."""
    suspected = max(0, row["hypothetical"] - row["family"] - row["negated"])
    return (
        criterion.affirmed * row["affirmed"]
        + criterion.hypothetical * criterion.hypothetical_weight * suspected
        + criterion.family * row["family"]
        + criterion.negated * row["negated"]
    )


def criterion(curie: str, role: str = ANY, *assertions: str) -> ConceptCriterion:
    return ConceptCriterion(curie, role=role, assertions=frozenset(assertions or {AFFIRMED}))


def ids(result: Any) -> list[str]:
    return [item.id for item in result.results]


# --- document search ----------------------------------------------------------------------------------

RANKING = [
    document("exact", "Patient avec <ent curie=D>diabète</ent>."),
    document("child", "Patient avec <ent curie=T2>diabète de type 2</ent>.", type="letter"),
    document("words", "Le diabète est évoqué.", lang="en"),
    document("other", "Patient avec <ent curie=I>insuffisance cardiaque</ent>."),
]


def test_exact_concept_ranks_before_descendant_before_words_only() -> None:
    fake = FakeGraph(RANKING)
    result = DocumentSearch(fake, expander).search(unit_query(criteria=(criterion("D"),), text="diabète"))
    assert ids(result) == ["exact", "child", "words"]
    concept_idf = idf(1, 4)  # D and T2 are each mentioned in 1 of 4 documents
    assert [item.score.score for item in result.results] == pytest.approx(
        [1 + concept_idf, 1 + 0.8 * concept_idf, 1.0]
    )
    assert [item.score.text for item in result.results] == [1.0, 1.0, 1.0]
    child = result.results[1].score.contributions[0]
    assert (child.criterion, child.curie, child.weight, child.expansion.depth) == ("D", "T2", 0.8, 1)
    assert (result.total, result.total_exact) == (3, True)


def test_result_fields_and_expanded_criteria() -> None:
    fake = FakeGraph([document("d1", "<ent curie=D>Diabète</ent>.", patient_id="p1", date="2024-01-02")])
    result = DocumentSearch(fake, expander).search(unit_query(criteria=(criterion("D"),)))
    assert dict(result.results[0].fields) == {
        "type": "report",
        "lang": "fr",
        "date": "2024-01-02",
        "source": "fake",
        "title": None,
        "patient_id": "p1",
    }
    (expanded,) = result.criteria
    assert {curie: item.weight for curie, item in expanded.concepts.items()} == {
        "D": 1.0,
        "M": 0.95,
        "T1": 0.8,
        "T2": 0.8,
        "T2N": 0.64,
    }


def test_text_retrieval_skipped_without_text_or_text_weight() -> None:
    fake = FakeGraph(RANKING)
    result = DocumentSearch(fake, expander).search(unit_query(criteria=(criterion("D"),)))
    assert ids(result) == ["exact", "child"]
    assert fake.calls == ["concept_hits"]
    fake = FakeGraph(RANKING)
    query = unit_query(criteria=(criterion("D"),), text="diabète", text_weight=0.0)
    assert ids(DocumentSearch(fake, expander).search(query)) == ["exact", "child"]
    assert fake.calls == ["concept_hits"]


EXCLUSION = [
    document("d-h", "<ent curie=D>Diabète</ent> et <ent curie=H>HTA</ent>."),
    document("d-negated-h", "<ent curie=D>Diabète</ent>, pas d'<ent curie=H negated=true>HTA</ent>."),
    document("d-family-h", "<ent curie=D>Diabète</ent>. Père : <ent curie=H family=true>HTA</ent>."),
    document("d-suspected-h", "<ent curie=D>Diabète</ent>, <ent curie=H hypothetical=true>HTA</ent> ?"),
    document("t2n-i", "<ent curie=T2N>Diabète néonatal</ent>, <ent curie=I>insuffisance cardiaque</ent>."),
    document("i", "<ent curie=I>Insuffisance cardiaque</ent>."),
]


def test_none_excludes_affirmed_mentions_only() -> None:
    query = unit_query(criteria=(criterion("D"), criterion("H", NONE)))
    result = DocumentSearch(FakeGraph(EXCLUSION), expander).search(query)
    # Same evidence for D: ties broken by id.
    assert ids(result) == ["d-family-h", "d-negated-h", "d-suspected-h", "t2n-i"]
    assert result.total == 4


def test_none_excludes_through_expansion() -> None:
    query = unit_query(criteria=(criterion("I"), criterion("D", NONE)))
    result = DocumentSearch(FakeGraph(EXCLUSION), expander).search(query)
    assert ids(result) == ["i"]  # t2n-i affirms T2N, a grandchild of D


def test_none_excludes_documents_found_by_their_words() -> None:
    query = unit_query(criteria=(criterion("H", NONE),), text="diabète")
    result = DocumentSearch(FakeGraph(EXCLUSION), expander).search(query)
    assert ids(result) == ["d-family-h", "d-negated-h", "d-suspected-h", "t2n-i"]
    assert all(item.score.contributions == () for item in result.results)


def test_all_needs_evidence_for_every_criterion() -> None:
    query = unit_query(criteria=(criterion("D", ALL), criterion("I", ALL)))
    result = DocumentSearch(FakeGraph(EXCLUSION), expander).search(query)
    assert ids(result) == ["t2n-i"]  # a descendant evidences D; D-only and I-only documents fail
    assert [(c.criterion, c.curie) for c in result.results[0].score.contributions] == [
        ("I", "I"),
        ("D", "T2N"),
    ]


def test_all_and_any_together() -> None:
    query = unit_query(criteria=(criterion("I", ALL), criterion("D")))
    result = DocumentSearch(FakeGraph(EXCLUSION), expander).search(query)
    assert ids(result) == ["t2n-i", "i"]  # any only adds evidence


def test_hypothetical_criterion_retrieves_and_weights_suspected_mentions() -> None:
    query = unit_query(criteria=(criterion("H", ANY, AFFIRMED, HYPOTHETICAL),))
    result = DocumentSearch(FakeGraph(EXCLUSION), expander).search(query)
    assert ids(result) == ["d-h", "d-suspected-h"]
    assert [item.score.contributions[0].evidence for item in result.results] == [1.0, 0.5]


def test_family_criterion_uses_qualified_retrieval() -> None:
    fake = FakeGraph(EXCLUSION)
    result = DocumentSearch(fake, expander).search(unit_query(criteria=(criterion("H", ANY, FAMILY),)))
    assert ids(result) == ["d-family-h"]
    assert fake.calls == ["qualified_hits"]  # no affirmed or suspected token to boost


def test_negated_criterion_finds_negations() -> None:
    result = DocumentSearch(FakeGraph(EXCLUSION), expander).search(
        unit_query(criteria=(criterion("H", ANY, NEGATED),))
    )
    assert ids(result) == ["d-negated-h"]


def test_filters_reach_the_retrievals() -> None:
    query = unit_query(criteria=(criterion("D"),), text="diabète", filters=DocumentFilter(types=("letter",)))
    assert ids(DocumentSearch(FakeGraph(RANKING), expander).search(query)) == ["child"]


def test_concept_boosts() -> None:
    query = unit_query(
        criteria=(criterion("D", ANY, AFFIRMED, HYPOTHETICAL), criterion("T2", ALL), criterion("H", NONE))
    )
    affirmed, hypothetical = concept_boosts(expand_criteria(query, expander))
    # T2 keeps its best weight: 1.0 as a criterion of its own rather than 0.8 under D.
    assert affirmed == {"D": 1.0, "M": 0.95, "T1": 0.8, "T2": 1.0, "T2N": 0.8}
    assert hypothetical == {"D": 0.5, "M": 0.475, "T1": 0.4, "T2": 0.4, "T2N": 0.32}


PAGED = [
    document("a", "<ent curie=D>Diabète</ent>, <ent curie=D>diabète</ent>, <ent curie=D>diabète</ent>."),
    document("b", "<ent curie=D>Diabète</ent>."),
    document("c", "<ent curie=D>Diabète</ent>, <ent curie=D>diabète</ent>."),
    document("d", "<ent curie=D>Diabète</ent>."),
    document("e", "<ent curie=T1>Diabète de type 1</ent>."),
    document("f", "<ent curie=D>Diabète</ent>."),
    document("g", "<ent curie=I>Insuffisance cardiaque</ent>."),
]
PAGED_ORDER = ["a", "c", "b", "d", "f", "e"]


def test_pagination_is_stable_and_disjoint() -> None:
    engine = DocumentSearch(FakeGraph(PAGED), expander)
    query = unit_query(criteria=(criterion("D"),))
    assert ids(engine.search(query, size=10)) == PAGED_ORDER
    pages = [ids(engine.search(query, offset=offset, size=2)) for offset in (0, 2, 4, 6)]
    assert pages == [["a", "c"], ["b", "d"], ["f", "e"], []]
    assert [ids(engine.search(query, offset=2, size=2)) for _ in range(3)] == [["b", "d"]] * 3
    assert ids(engine.search(query, offset=1, size=3)) == ["c", "b", "d"]
    assert all(engine.search(query, offset=offset, size=2).total == 6 for offset in (0, 2, 4, 6))


@pytest.mark.parametrize(("candidates", "exact", "total"), [(2, False, 2), (6, False, 6), (7, True, 6)])
def test_total_is_exact_unless_a_retrieval_is_capped(candidates: int, exact: bool, total: int) -> None:
    engine = DocumentSearch(FakeGraph(PAGED), expander, candidates=candidates)
    result = engine.search(unit_query(criteria=(criterion("D"),)), size=1)
    assert (result.total, result.total_exact) == (total, exact)


def test_capped_text_retrieval_makes_the_total_inexact() -> None:
    engine = DocumentSearch(FakeGraph(RANKING), expander, candidates=2)
    result = engine.search(unit_query(criteria=(criterion("I"),), text="diabète"))
    # Text hits: 3 documents say "diabète", 2 kept (exact, child by id); concept hits: other.
    assert (ids(result), result.total, result.total_exact) == (["other", "child", "exact"], 3, False)


def test_capped_qualified_retrieval_makes_the_total_inexact() -> None:
    family = [document(f"f{i}", "Mère : <ent curie=H family=true>HTA</ent>.") for i in range(3)]
    engine = DocumentSearch(FakeGraph(family), expander, candidates=2)
    result = engine.search(unit_query(criteria=(criterion("H", ANY, FAMILY),)))
    assert (ids(result), result.total_exact) == (["f0", "f1"], False)


def test_facets_count_every_result_not_only_the_page() -> None:
    result = DocumentSearch(FakeGraph(RANKING), expander).search(
        unit_query(criteria=(criterion("D"),), text="diabète"), size=1
    )
    assert ids(result) == ["exact"]
    assert result.facets == {
        "type": {"report": 2, "letter": 1},
        "lang": {"fr": 2, "en": 1},
        "concept": {"D": 1, "T2": 1},
    }
    assert list(result.facets["type"]) == ["report", "letter"]


def test_concept_facet_ordered_by_count_then_curie() -> None:
    result = DocumentSearch(FakeGraph(PAGED), expander).search(unit_query(criteria=(criterion("D"),)))
    assert list(result.facets["concept"].items()) == [("D", 5), ("T1", 1)]


def test_snippets_are_requested_for_the_page_only() -> None:
    fake = FakeGraph(RANKING)
    result = DocumentSearch(fake, expander).search(
        unit_query(criteria=(criterion("D"),), text="diabète"), offset=1, size=2
    )
    assert ids(result) == ["child", "words"]
    assert fake.snippet_calls == [(["child", "words"], ["D", "M", "T1", "T2", "T2N"])]
    child, words = result.results
    assert [(s.text, [(s.text[h.start : h.end], h.curie) for h in s.highlights]) for s in child.snippets] == [
        ("Patient avec diabète de type 2.", [("diabète de type 2", "T2")])
    ]
    # A document found by its words only gets the passage around the first query word.
    assert [(s.text, [(s.text[h.start : h.end], h.curie) for h in s.highlights]) for s in words.snippets] == [
        ("Le diabète est évoqué.", [("diabète", None)])
    ]


def test_snippet_limit_and_word_passage_not_repeated() -> None:
    doc = document(
        "long",
        "<ent curie=D>Diabète</ent> ancien. <ent curie=T2>Diabète de type 2</ent> ensuite. "
        "Puis <ent curie=I>insuffisance cardiaque</ent>.",
    )
    engine = DocumentSearch(FakeGraph([doc]), expander)
    query = unit_query(criteria=(criterion("I"), criterion("D")), text="diabète")
    (item,) = engine.search(query, snippets=3).results
    # I and D are the contributions (T2 loses to D within its criterion); the word passage would
    # start where the D sentence does, so it is not added again.
    # D and I tie (one mention each, same idf): contributions by criterion, so D's sentence first.
    assert [c.curie for c in item.score.contributions] == ["D", "I"]
    assert [s.text for s in item.snippets] == ["Diabète ancien.", "Puis insuffisance cardiaque."]
    assert [[h.curie for h in s.highlights] for s in item.snippets] == [["D"], ["I"]]
    assert len(engine.search(query, snippets=1).results[0].snippets) == 1
    assert engine.search(query, snippets=0).results[0].snippets == ()


# --- patient search --------------------------------------------------------------------------------

PATIENTS = [
    document(
        "p1a", "<ent curie=D>Diabète</ent> et <ent curie=I>insuffisance cardiaque</ent>.", patient_id="p1"
    ),
    document(
        "p1b", "Suivi du <ent curie=D>diabète</ent>, <ent curie=D>diabète</ent> stable.", patient_id="p1"
    ),
    document("p2a", "<ent curie=T2>Diabète de type 2</ent>.", patient_id="p2"),
    document("p3a", "<ent curie=D>Diabète</ent> et <ent curie=H>HTA</ent>.", patient_id="p3"),
    document("p4a", "<ent curie=I>Insuffisance cardiaque</ent>.", patient_id="p4"),
    document("p5a", "Mère : <ent curie=D family=true>diabète</ent>.", patient_id="p5"),
    document("p6a", "Pas de <ent curie=D negated=true>diabète</ent>.", patient_id="p6"),
    document("orphan", "<ent curie=D>Diabète</ent>."),
]
N = len(PATIENTS)


def patient_search(query: SearchQuery, **kwargs: Any) -> Any:
    return PatientSearch(FakeGraph(PATIENTS), expander).search(query, **kwargs)


def test_patient_any_sums_mentions_over_documents() -> None:
    result = patient_search(unit_query(criteria=(criterion("D"),)))
    assert ids(result) == ["p1", "p3", "p2"]  # no family, negated or patient-less document
    # D is mentioned (with any qualifier) in p1a, p1b, p3a, p5a, p6a and orphan.
    frequencies, _ = FakeGraph(PATIENTS).document_frequencies(["D", "T2"])
    assert frequencies == {"D": 6, "T2": 1}
    d_idf, t2_idf = idf(6, N), idf(1, N)
    # saturate(3) = 3 * 2.2 / 4.2, saturate(1) = 1
    assert [r.score for r in result.results] == pytest.approx([d_idf * 6.6 / 4.2, d_idf, 0.8 * d_idf])
    assert t2_idf > d_idf  # the rare child is capped at D's idf
    assert result.results[2].criteria[0].idf == round(d_idf, 6)
    assert result.total == 3


def test_patient_documents_best_first() -> None:
    result = patient_search(unit_query(criteria=(criterion("D"),)))
    (evidence,) = result.results[0].criteria
    assert (evidence.criterion, evidence.curie, evidence.evidence, evidence.document_count) == (
        "D",
        "D",
        3.0,
        2,
    )
    assert [(d.id, d.evidence) for d in evidence.documents] == [("p1b", 2.0), ("p1a", 1.0)]
    assert evidence.path.curie == "D"
    assert result.results[2].criteria[0].path.path[0].target == "T2"


def test_patient_all_requires_every_criterion() -> None:
    result = patient_search(unit_query(criteria=(criterion("D", ALL), criterion("I", ALL))))
    assert ids(result) == ["p1"]
    # Best first: one mention of I (in 2 of 8 documents) outweighs three of the common D (6 of 8).
    (p1,) = result.results
    assert [e.criterion for e in p1.criteria] == ["I", "D"]
    assert [e.score for e in p1.criteria] == pytest.approx([idf(2, N), idf(6, N) * 3 * 2.2 / 4.2])
    assert p1.score == pytest.approx(sum(e.score for e in p1.criteria))


def test_patient_all_and_any() -> None:
    result = patient_search(unit_query(criteria=(criterion("I", ALL), criterion("D"))))
    assert ids(result) == ["p1", "p4"]
    assert [[e.criterion for e in r.criteria] for r in result.results] == [["I", "D"], ["I"]]


def test_patient_any_of_several() -> None:
    result = patient_search(unit_query(criteria=(criterion("I"), criterion("D"))))
    assert ids(result) == ["p1", "p4", "p3", "p2"]  # I is rarer than D: one I beats one D


def test_patient_excluded_by_none_whatever_the_filters() -> None:
    result = patient_search(unit_query(criteria=(criterion("D"), criterion("H", NONE))))
    assert ids(result) == ["p1", "p2"]
    # The exclusion looks at every document of the patient, not only those the filters keep.
    filters = DocumentFilter(types=("letter",))
    letter = [*PATIENTS, document("p7a", "<ent curie=D>Diabète</ent>.", patient_id="p7", type="letter")]
    letter.append(document("p7b", "<ent curie=H>HTA</ent>.", patient_id="p7"))
    query = unit_query(criteria=(criterion("D"), criterion("H", NONE)), filters=filters)
    assert ids(PatientSearch(FakeGraph(letter), expander).search(query)) == []
    query = unit_query(criteria=(criterion("D"),), filters=filters)
    assert ids(PatientSearch(FakeGraph(letter), expander).search(query)) == ["p7"]


def test_patient_family_criterion() -> None:
    result = patient_search(unit_query(criteria=(criterion("D", ANY, FAMILY),)), snippets=0)
    assert ids(result) == ["p5"]


def test_patient_pagination() -> None:
    query = unit_query(criteria=(criterion("D"),))
    assert [ids(patient_search(query, offset=offset, size=2)) for offset in (0, 2)] == [["p1", "p3"], ["p2"]]
    assert patient_search(query, offset=2, size=2).total == 3


@pytest.mark.parametrize(
    "criteria",
    [(), (ConceptCriterion("H", role=NONE),), (ConceptCriterion("H", role=NONE), criterion("D", NONE))],
)
def test_patient_search_needs_a_positive_criterion(criteria: tuple[ConceptCriterion, ...]) -> None:
    with pytest.raises(ValueError, match="at least one 'all' or 'any' criterion"):
        patient_search(unit_query(criteria=criteria))


def test_patient_snippets_from_the_best_document_per_criterion() -> None:
    fake = FakeGraph(PATIENTS)
    result = PatientSearch(fake, expander).search(unit_query(criteria=(criterion("D"),)), size=1)
    assert fake.snippet_calls == [(["p1b"], ["D"])]
    (evidence,) = result.results[0].criteria
    first, second = evidence.documents
    assert [s.text for s in first.snippets] == ["Suivi du diabète, diabète stable."]
    assert [len(s.highlights) for s in first.snippets] == [2]
    assert second.snippets == ()
    assert (
        PatientSearch(fake, expander)
        .search(unit_query(criteria=(criterion("D"),)), snippets=0)
        .results[0]
        .criteria[0]
        .documents[0]
        .snippets
        == ()
    )


def test_patient_snippets_of_a_page_come_from_one_graph_read() -> None:
    fake = FakeGraph(PATIENTS)
    result = PatientSearch(fake, expander).search(unit_query(criteria=(criterion("D"),)), size=3)
    assert ids(result) == ["p1", "p3", "p2"]
    assert fake.snippet_calls == [(["p1b", "p2a", "p3a"], ["D", "T2"])]
    assert all(hit.criteria[0].documents[0].snippets for hit in result.results)


def test_patient_family_criterion_gets_its_snippet() -> None:
    result = patient_search(unit_query(criteria=(criterion("D", ANY, FAMILY),)))
    (document_evidence,) = result.results[0].criteria[0].documents
    assert [s.text for s in document_evidence.snippets] == ["Mère : diabète."]


def test_patient_all_with_the_same_concept_twice() -> None:
    query = unit_query(criteria=(criterion("D", ALL), criterion("D", ALL, FAMILY)))
    assert ids(patient_search(query)) == []


def test_document_all_with_the_same_concept_twice() -> None:
    # Document search checks each criterion itself: the same query finds nothing.
    query = unit_query(criteria=(criterion("D", ALL), criterion("D", ALL, FAMILY)))
    assert ids(DocumentSearch(FakeGraph(PATIENTS), expander).search(query)) == []


def test_scores_are_finite() -> None:
    result = DocumentSearch(FakeGraph(PATIENTS), expander).search(unit_query(criteria=(criterion("D"),)))
    assert all(math.isfinite(item.score.score) for item in result.results)


def test_the_text_index_of_the_query_language_is_searched() -> None:
    fake = FakeGraph([document("d1", "<ent curie=D>Diabète</ent> connu.")])
    DocumentSearch(fake, expander).search(unit_query(text="diabète", lang="fr"))
    DocumentSearch(fake, expander).search(unit_query(text="diabète"))
    assert fake.text_langs == ["fr", None]


FEEDBACK_CORPUS = [
    document("rickets-1", "Vitamin deficiency causes rickets in children.", lang="en"),
    document("rickets-2", "Rickets follows vitamin deficiency and poor sunlight.", lang="en"),
    # none of the query's words, but the vocabulary of its first results
    document("osteomalacia", "Rickets and osteomalacia: deficiency of sunlight exposure.", lang="en"),
    document("cardiology", "Heart failure treated with diuretics.", lang="en"),
]


def test_feedback_finds_documents_worded_like_the_first_results() -> None:
    fake = FakeGraph(FEEDBACK_CORPUS)
    query = unit_query(text="vitamin", lang="en", feedback=FeedbackPolicy(documents=2, terms=5))
    result = DocumentSearch(fake, expander).search(query)
    assert ids(result)[:2] == ["rickets-1", "rickets-2"]  # the query's own word still ranks first
    assert "osteomalacia" in ids(result) and "cardiology" not in ids(result)
    assert {"vitamin", "deficiency", "rickets"} <= set(result.feedback)
    assert fake.calls.count("document_texts") == 1 and fake.calls.count("weighted_text_hits") == 1


def test_without_feedback_only_the_query_words_match() -> None:
    result = DocumentSearch(FakeGraph(FEEDBACK_CORPUS), expander).search(
        unit_query(text="vitamin", lang="en")
    )
    assert ids(result) == ["rickets-1", "rickets-2"]
    assert result.feedback == {}


def test_long_queries_get_no_feedback() -> None:
    fake = FakeGraph(FEEDBACK_CORPUS)
    text = "vitamin deficiency rickets children sunlight exposure"  # six content words
    result = DocumentSearch(fake, expander).search(
        unit_query(text=text, lang="en", feedback=FeedbackPolicy(max_query_words=5))
    )
    assert result.feedback == {}
    assert "document_texts" not in fake.calls


def test_a_query_with_concepts_gets_no_feedback() -> None:
    # Understood concepts are expanded through the terminologies; feedback words would compete with them.
    fake = FakeGraph(RANKING)
    query = unit_query(criteria=(criterion("D"),), text="diabète", feedback=FeedbackPolicy())
    result = DocumentSearch(fake, expander).search(query)
    assert result.feedback == {}
    assert "document_texts" not in fake.calls


# --- similarity ---------------------------------------------------------------------------------------

# Three English abstracts with the same words of the query ("cholesterol"), two vectors apart; one
# unrelated abstract whose vector is the query's; one report that only denies the query's concept.
SIMILAR = [
    document("near", "Cholesterol and the heart.", lang="en", type="article", vector=(0.8, 0.6)),
    document("far", "Cholesterol in eggs.", lang="en", type="article", vector=(0.0, 1.0)),
    document("none", "Cholesterol values.", lang="en", type="article"),
    document("alike", "Gardening tips.", lang="en", type="article", vector=(1.0, 0.0)),
    document("denied", "No <ent curie=D negated=true>diabetes</ent>.", lang="en", vector=(1.0, 0.0)),
]


def test_similarity_reorders_what_the_words_found() -> None:
    fake = FakeGraph(SIMILAR)
    query = unit_query(text="cholesterol", vector=(1.0, 0.0), similarity_weight=0.5)
    result = DocumentSearch(fake, expander, similar_candidates=0).search(query)
    assert ids(result) == ["near", "far", "none"]  # equal BM25 (1.0); "none" has no vector
    # best score before similarity: 1.0; the cosine adds 0.5 * 1.0 * cosine
    assert [hit.score.cosine for hit in result.results] == [0.8, 0.0, None]
    assert [hit.score.similarity for hit in result.results] == pytest.approx([0.4, 0.0, 0.0])
    assert [hit.score.score for hit in result.results] == pytest.approx([1.4, 1.0, 1.0])
    assert fake.vectors == [(1.0, 0.0)]


def test_the_nearest_documents_are_admitted_on_their_similarity() -> None:
    fake = FakeGraph(SIMILAR)
    query = unit_query(text="cholesterol", vector=(1.0, 0.0), similarity_weight=0.5)
    result = DocumentSearch(fake, expander, similar_candidates=2).search(query)
    # "alike" and "denied" share no word with the query but are its two nearest: admitted, their
    # score all similarity (0.5 * best 1.0 * cosine 1.0), below what the words also found.
    assert ids(result) == ["near", "far", "none", "alike", "denied"]
    alike = result.results[3].score
    assert (alike.text, alike.contributions, alike.cosine, alike.score) == (0.0, (), 1.0, 0.5)
    assert result.total == 5 and result.total_exact
    assert fake.calls.count("similar_hits") == 1


def test_only_the_nearest_are_admitted() -> None:
    query = unit_query(text="roses", vector=(0.0, 1.0))  # a word no document has
    result = DocumentSearch(FakeGraph(SIMILAR), expander, similar_candidates=1).search(query)
    assert ids(result) == ["far"]  # the nearest; "near" (cosine 0.6) is second, beyond the limit


def test_a_denial_is_not_admitted_however_alike() -> None:
    # A report that only denies the query's concept stays out, however alike its vector: "denied" is
    # the nearest, and matches the word "diabetes" too.
    denial = unit_query(criteria=(criterion("D"),), text="diabetes", vector=(1.0, 0.0))
    result = DocumentSearch(FakeGraph(SIMILAR), expander, similar_candidates=2).search(denial)
    assert "denied" not in ids(result)
    assert ids(result) == ["alike"]  # the other nearest, which denies nothing


def test_similar_documents_still_answer_the_filters_and_none() -> None:
    query = unit_query(
        text="cholesterol",
        vector=(1.0, 0.0),
        criteria=(criterion("D", NONE),),
        filters=DocumentFilter(types=("article",)),
    )
    result = DocumentSearch(FakeGraph(SIMILAR), expander).search(query)
    assert "denied" not in ids(result)  # not an article
    assert "alike" in ids(result)


def test_similarity_weight_zero_asks_for_no_vector() -> None:
    fake = FakeGraph(SIMILAR)
    query = unit_query(text="cholesterol", vector=(1.0, 0.0), similarity_weight=0.0)
    result = DocumentSearch(fake, expander).search(query)
    assert ids(result) == ["far", "near", "none"]  # BM25 ties, by id; nothing admitted by similarity
    assert fake.vectors == [None] and "similar_hits" not in fake.calls
    assert {hit.score.cosine for hit in result.results} == {None}


def test_a_query_without_vector_scores_as_before() -> None:
    fake = FakeGraph(SIMILAR)
    result = DocumentSearch(fake, expander).search(unit_query(text="cholesterol"))
    assert [hit.score.score for hit in result.results] == [1.0, 1.0, 1.0]
    assert fake.vectors == [None]
