"""POST /api/search and POST /api/patients/search: concept-aware search with explained evidence."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from apiflask import APIBlueprint, abort
from flask import current_app

from api.search_schemas import MAX_RESULT_WINDOW, PatientSearchIn, PatientSearchOut, SearchIn, SearchOut
from graph.errors import ConceptNotFound, Errors
from graph.expansion import ExpansionRepository
from graph.search_repository import DocumentFilter, SearchRepository
from nlp.embedding import text_vector
from ontologies.curie import normalise_curie
from search.engine import DocumentSearch
from search.expansion import DEFAULT_WEIGHTS, ExpandedConcept, ExpansionPolicy, PathStep
from search.feedback import FeedbackPolicy
from search.patients import CriterionEvidence, PatientSearch
from search.query import AFFIRMED, ROLES, ConceptCriterion, SearchQuery
from search.scoring import ConceptContribution, ExpandedCriterion
from search.snippets import Snippet
from search.understanding import understand

search_bp = APIBlueprint("search", __name__, url_prefix="/api", tag="Search")


def policy_from(body: Mapping[str, Any] | None, default: ExpansionPolicy) -> ExpansionPolicy:
    """An expansion policy from a request's ``expansion`` object, over ``default``."""
    if not body:
        return default
    changes: dict[str, Any] = {}
    if "relations" in body:
        changes["enabled"] = frozenset(body["relations"])
    if "depth" in body:
        changes["max_depth"] = body["depth"]
    if "max_concepts" in body:
        changes["max_concepts"] = body["max_concepts"]
    if "weights" in body:
        changes["weights"] = {**default.weights, **body["weights"]}
    try:
        return replace(default, **changes)
    except ValueError as error:
        abort(400, str(error))


def criteria_from(body: Mapping[str, Any], default: ExpansionPolicy) -> list[ConceptCriterion]:
    criteria = []
    for role in ROLES:
        for item in body.get(role) or ():
            criteria.append(
                ConceptCriterion(
                    curie=normalise_curie(item["concept"]),
                    role=role,
                    policy=policy_from(item.get("expansion"), default),
                    assertions=frozenset(item.get("assertions") or (AFFIRMED,)),
                    hypothetical_weight=item.get("hypothetical_weight", 0.5),
                )
            )
    return criteria


def filters_from(body: Mapping[str, Any] | None) -> DocumentFilter:
    body = body or {}

    def values(key: str) -> tuple[str, ...] | None:
        return tuple(body[key]) if body.get(key) else None

    date_from, date_to = body.get("date_from"), body.get("date_to")
    if date_from and date_to and date_from > date_to:
        abort(400, f"filters.date_from ({date_from}) is after filters.date_to ({date_to}).")
    return DocumentFilter(
        types=values("types"),
        langs=values("languages"),
        sources=values("sources"),
        patients=values("patients"),
        date_from=date_from,
        date_to=date_to,
    )


def _window(body: Mapping[str, Any]) -> int:
    offset: int = (body["page"] - 1) * body["size"]
    if offset + body["size"] > MAX_RESULT_WINDOW:
        abort(400, f"page * size may not exceed {MAX_RESULT_WINDOW}: narrow the query or use filters.")
    return offset


def _labels(criteria: Sequence[ConceptCriterion], extra: Sequence[str] = ()) -> dict[str, str | None]:
    """Labels of the criteria's concepts and of ``extra``; an unknown criterion concept is a 404."""
    repository: ExpansionRepository = current_app.extensions["healthsearch"].expansion
    wanted = sorted({criterion.curie for criterion in criteria} | set(extra))
    summaries = repository.summaries(wanted)
    for criterion in criteria:
        if criterion.curie not in summaries:
            raise ConceptNotFound(Errors.E111.format(curie=criterion.curie) + f" (in '{criterion.role}')")
    return {curie: summary.get("label") for curie, summary in summaries.items()}


def _steps(path: Sequence[PathStep]) -> list[dict[str, Any]]:
    return [
        {"relation": step.relation, "source": step.source, "target": step.target, "detail": step.detail}
        for step in path
    ]


def _criteria_out(
    criteria: Sequence[ExpandedCriterion], labels: Mapping[str, str | None]
) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {role: [] for role in ROLES}
    for item in criteria:
        criterion = item.criterion
        out[criterion.role].append(
            {
                "concept": criterion.curie,
                "label": labels.get(criterion.curie),
                "role": criterion.role,
                "assertions": sorted(criterion.assertions),
                "text": criterion.text,
                "start": criterion.start,
                "end": criterion.end,
                "relations": sorted(criterion.policy.enabled),
                "depth": criterion.policy.max_depth,
                "expanded": len(item.concepts),
            }
        )
    return out


def _snippet_out(snippet: Snippet) -> dict[str, Any]:
    return {
        "text": snippet.text,
        "start": snippet.start,
        "section": snippet.section,
        "highlights": [
            {
                "start": h.start,
                "end": h.end,
                "concept": h.curie,
                "negated": h.negated,
                "hypothetical": h.hypothetical,
                "family": h.family,
                "historical": h.historical,
            }
            for h in snippet.highlights
        ],
    }


def _evidence_out(
    item: ConceptContribution | CriterionEvidence, expanded: ExpandedConcept, labels: Mapping[str, str | None]
) -> dict[str, Any]:
    """What one criterion's evidence says: the concept matched, its weight and idf, the mentions
    counted, and the expansion path from the query concept."""
    return {
        "criterion": item.criterion,
        "role": item.role,
        "concept": item.curie,
        "label": labels.get(item.curie),
        "score": round(item.score, 6),
        "weight": item.weight,
        "idf": item.idf,
        "evidence": item.evidence,
        "depth": expanded.depth,
        "path": _steps(expanded.path),
    }


def default_policy(body: Mapping[str, Any]) -> ExpansionPolicy:
    return policy_from(body.get("expansion"), ExpansionPolicy(weights=DEFAULT_WEIGHTS))


@search_bp.post("/search")
@search_bp.input(SearchIn, arg_name="body")
@search_bp.output(SearchOut)
@search_bp.doc(
    summary="Documents that evidence a medical query, ranked, with why each matched",
    description="Free text (French or English) and/or concepts in all/any/none, expanded through "
    "synonyms, descendants and mappings; negated, hypothetical and family mentions do not count unless "
    "asked for. Each result says its score's parts and shows the sentences that support it.",
    responses=[400, 404, 503],
)
def search_documents(body: dict[str, Any]) -> dict[str, Any]:
    services = current_app.extensions["healthsearch"]
    policy = default_policy(body)
    structured = SearchQuery(
        criteria=tuple(criteria_from(body, policy)),
        filters=filters_from(body.get("filters")),
        text_weight=body["text_weight"],
        concept_weight=body["concept_weight"],
        similarity_weight=body["similarity_weight"],
        feedback=FeedbackPolicy(enabled=body["feedback"]),
    )
    if not body.get("query") and not structured.criteria:
        abort(400, "Give a 'query' text, or concepts in 'all', 'any' or 'none'.")
    if structured.criteria and all(c.role == "none" for c in structured.criteria) and not body.get("query"):
        abort(400, "'none' alone excludes from nothing: add a 'query' text or concepts in 'all' or 'any'.")
    offset = _window(body)
    text, lang = body.get("query"), body.get("lang")
    free_terms: tuple[str, ...] = ()
    query = structured
    if text and not body["understand"]:
        vector = text_vector(text, lang, query=True) if structured.similarity_weight > 0 else None
        query = replace(structured, text=text, lang=lang, vector=vector)
    elif text:
        annotation = services.annotator.get().annotate(text, lang=lang)
        parsed = understand(
            text,
            annotation,
            match=body["match"],
            policy=policy,
            base=structured,
            with_vector=structured.similarity_weight > 0,
        )
        query, lang, free_terms = parsed.query, parsed.lang, parsed.free_terms
    engine = DocumentSearch(SearchRepository(services.graph), services.expander())
    result = engine.search(query, offset=offset, size=body["size"], snippets=body["snippets"])
    matched = {c.curie for hit in result.results for c in hit.score.contributions} | set(
        result.facets["concept"]
    )
    # One lookup after the search: it says whether the query's concepts exist (an unknown one finds
    # nothing, cheaply) and labels everything shown.
    labels = _labels(query.criteria, sorted(matched))
    return {
        "query": {
            "text": text,
            "lang": lang,
            "bm25_text": query.text,
            "free_terms": list(free_terms),
            **_criteria_out(result.criteria, labels),
            "feedback_terms": [
                {"term": term, "weight": round(weight, 6)} for term, weight in result.feedback.items()
            ],
        },
        "total": result.total,
        "total_exact": result.total_exact,
        "page": body["page"],
        "size": body["size"],
        "results": [
            {
                "id": hit.id,
                "score": round(hit.score.score, 6),
                **hit.fields,
                "breakdown": {
                    "text": round(hit.score.text, 6),
                    "concepts": [_evidence_out(c, c.expansion, labels) for c in hit.score.contributions],
                    "cosine": None if hit.score.cosine is None else round(hit.score.cosine, 6),
                    "similarity": round(hit.score.similarity, 6),
                },
                "snippets": [_snippet_out(snippet) for snippet in hit.snippets],
            }
            for hit in result.results
        ],
        "facets": {
            "type": dict(result.facets["type"]),
            "lang": dict(result.facets["lang"]),
            "concept": [
                {"concept": curie, "label": labels.get(curie), "documents": count}
                for curie, count in result.facets["concept"].items()
            ],
        },
    }


@search_bp.post("/patients/search")
@search_bp.input(PatientSearchIn, arg_name="body")
@search_bp.output(PatientSearchOut)
@search_bp.doc(
    summary="Patients whose documents evidence all/any criteria and none of the exclusions",
    description="Each criterion is a concept with its expansion and the assertions that count. A "
    "patient is excluded by 'none' when any of their documents affirms a matching concept.",
    responses=[400, 404, 503],
)
def search_patients(body: dict[str, Any]) -> dict[str, Any]:
    services = current_app.extensions["healthsearch"]
    policy = default_policy(body)
    query = SearchQuery(
        criteria=tuple(criteria_from(body, policy)), filters=filters_from(body.get("filters"))
    )
    text, lang = body.get("query"), body.get("lang")
    free_terms: tuple[str, ...] = ()
    if text:
        annotation = services.annotator.get().annotate(text, lang=lang)
        parsed = understand(text, annotation, match=body["match"], policy=policy, base=query)
        # Only the concepts count for patients: the words are shown, not searched.
        query, lang, free_terms = replace(parsed.query, text=""), parsed.lang, parsed.free_terms
    if not (query.role("all") or query.role("any")):
        if text:
            words = ", ".join(repr(word) for word in free_terms) or "none"
            abort(
                400,
                f"No concept to look for was read from 'query' (words left: {words}): name a "
                "concept, or give one in 'all' or 'any'.",
            )
        abort(400, "Give a 'query' text, or at least one concept in 'all' or 'any'.")
    offset = _window(body)
    engine = PatientSearch(SearchRepository(services.graph), services.expander())
    result = engine.search(query, offset=offset, size=body["size"], snippets=body["snippets"])
    labels = _labels(query.criteria, sorted({c.curie for hit in result.results for c in hit.criteria}))
    return {
        "query": {
            "text": text,
            "lang": lang,
            "free_terms": list(free_terms),
            **_criteria_out(result.criteria, labels),
        },
        "total": result.total,
        "page": body["page"],
        "size": body["size"],
        "results": [
            {
                "id": hit.id,
                "score": round(hit.score, 6),
                "criteria": [
                    {
                        **_evidence_out(c, c.path, labels),
                        "document_count": c.document_count,
                        "documents": [
                            {
                                "id": d.id,
                                "date": d.date,
                                "concept": d.curie,
                                "evidence": d.evidence,
                                "snippets": [_snippet_out(s) for s in d.snippets],
                            }
                            for d in c.documents
                        ],
                    }
                    for c in hit.criteria
                ],
            }
            for hit in result.results
        ],
    }
