"""Request and response schemas of document and patient search (they also generate /openapi.json)."""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import Boolean, Date, Dict, Float, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range, Regexp

from api.expansion import StepOut
from api.schemas import CURIE_PATTERN, LANGUAGES, SOURCE_ID
from search.expansion import DEFAULT_ENABLED, RELATIONS
from search.query import ASSERTIONS, DEFAULT_CONCEPT_WEIGHT, DEFAULT_SIMILARITY_WEIGHT

MAX_QUERY_CHARS = 1000
MAX_CRITERIA = 20
MAX_PAGE_SIZE = 100
MAX_RESULT_WINDOW = 400  # page * size: deeper pages are a crawl, not a search (= candidates per retrieval)
MAX_FILTER_VALUES = 100
_ID = Regexp(r"^[^\x00-\x1f]{1,200}$", error="an id: 1 to 200 printable characters")


class ExpansionIn(Schema):
    relations = List(
        String(validate=OneOf(RELATIONS)),
        validate=Length(max=len(RELATIONS)),
        metadata={"description": f"Relations to follow; default {', '.join(sorted(DEFAULT_ENABLED))}."},
    )
    depth = Integer(validate=Range(min=0, max=6), metadata={"description": "Steps at most (default 3)."})
    max_concepts = Integer(validate=Range(min=1, max=500), metadata={"description": "Default 200."})
    weights = Dict(
        keys=String(validate=OneOf(RELATIONS)),
        values=Float(validate=Range(min=0, max=1)),
        metadata={"description": "Weight per relation type, overriding the defaults."},
    )


class CriterionIn(Schema):
    concept = String(required=True, validate=Regexp(CURIE_PATTERN, error="a concept id, PREFIX:local"))
    expansion = Nested(ExpansionIn, metadata={"description": "Overrides the query's expansion."})
    assertions = List(
        String(validate=OneOf(ASSERTIONS)),
        validate=Length(min=1, max=len(ASSERTIONS)),
        metadata={"description": "Mentions that count as evidence; default affirmed only."},
    )
    hypothetical_weight = Float(validate=Range(min=0, max=1), load_default=0.5)


class FiltersIn(Schema):
    types = List(String(validate=Length(min=1, max=64)), validate=Length(min=1, max=MAX_FILTER_VALUES))
    languages = List(String(validate=Length(min=2, max=8)), validate=Length(min=1, max=MAX_FILTER_VALUES))
    sources = List(String(validate=SOURCE_ID), validate=Length(min=1, max=MAX_FILTER_VALUES))
    patients = List(String(validate=_ID), validate=Length(min=1, max=MAX_FILTER_VALUES))
    date_from = Date(metadata={"description": "Inclusive, ISO date."})
    date_to = Date(metadata={"description": "Inclusive, ISO date."})


_CRITERIA = Length(max=MAX_CRITERIA)


def _query_text(description: str) -> String:
    """The free-text ``query`` of both searches (its reading differs: ``description``)."""
    return String(validate=Length(min=1, max=MAX_QUERY_CHARS), metadata={"description": description})


def _query_lang() -> String:
    return String(validate=OneOf(LANGUAGES), metadata={"description": "Language of `query` (else detected)."})


def _query_match(default: str, description: str) -> String:
    """The role of the affirmed concepts read from ``query``: ``any`` or ``all``."""
    return String(load_default=default, validate=OneOf(("any", "all")), metadata={"description": description})


class SearchIn(Schema):
    query = _query_text(
        "Free text, French or English; read like a document (a concept negated after an exclusion cue, "
        "'sans HTA', → none; a query of exclusions alone, 'pas de fièvre', → the documents stating the "
        "absence)."
    )
    lang = _query_lang()
    understand = Boolean(
        load_default=True,
        metadata={
            "description": "Read `query` for concepts; false: BM25 over the text alone (see `feedback`)."
        },
    )
    feedback = Boolean(
        load_default=True,
        metadata={
            "description": "Search a short text query (at most five content words) from which no "
            "concept was read (no `all` or `any`) again with the words of its first ten results "
            "(pseudo-relevance feedback, RM3); the words added are returned in `query.feedback_terms`."
        },
    )
    match = _query_match("any", "Role of the affirmed concepts read from `query`.")
    all = List(Nested(CriterionIn), metadata={"description": "Each must be evidenced."}, validate=_CRITERIA)
    any = List(Nested(CriterionIn), metadata={"description": "Each adds evidence."}, validate=_CRITERIA)
    none = List(
        Nested(CriterionIn), metadata={"description": "An affirmed mention excludes."}, validate=_CRITERIA
    )
    expansion = Nested(ExpansionIn, metadata={"description": "Default expansion of every concept."})
    filters = Nested(FiltersIn)
    page = Integer(load_default=1, validate=Range(min=1, max=MAX_RESULT_WINDOW))
    size = Integer(load_default=10, validate=Range(min=1, max=MAX_PAGE_SIZE))
    snippets = Integer(load_default=3, validate=Range(min=0, max=5))
    text_weight = Float(load_default=1.0, validate=Range(min=0, max=10))
    concept_weight = Float(load_default=DEFAULT_CONCEPT_WEIGHT, validate=Range(min=0, max=10))
    similarity_weight = Float(
        load_default=DEFAULT_SIMILARITY_WEIGHT,
        validate=Range(min=0, max=10),
        metadata={
            "description": "Weight of the similarity of an English query's vector to each result's: "
            "the cosine adds `similarity_weight * cosine * best` to the score, `best` being the best "
            "score among the results before it. It reorders what text or concepts found, and admits the "
            "English documents nearest the query (cosine 0.6 or more) on their likeness alone, unless "
            "they only deny the query's concepts. 0 turns both off: only text and concept evidence."
        },
    )


class PatientSearchIn(Schema):
    query = _query_text(
        "Free text, French or English, read for concepts as `/api/search` reads it: each concept becomes "
        "a criterion (negated after an exclusion cue → none; a relative's → family mentions; suspected → "
        "suspected or affirmed); words no concept names are returned in `query.free_terms`, not searched."
    )
    lang = _query_lang()
    match = _query_match("all", "Role of the affirmed concepts read from `query` (a cohort: all).")
    all = List(Nested(CriterionIn), validate=_CRITERIA)
    any = List(Nested(CriterionIn), validate=_CRITERIA)
    none = List(Nested(CriterionIn), validate=_CRITERIA)
    expansion = Nested(ExpansionIn)
    filters = Nested(FiltersIn, metadata={"description": "Documents considered (date window...)."})
    page = Integer(load_default=1, validate=Range(min=1, max=MAX_RESULT_WINDOW))
    size = Integer(load_default=10, validate=Range(min=1, max=MAX_PAGE_SIZE))
    snippets = Integer(load_default=1, validate=Range(min=0, max=3))


def _non_empty(field: str) -> dict[str, object]:
    return {"required": [field], "properties": {field: {"minItems": 1}}}


# What the schemas cannot say field by field, said in the OpenAPI document (``api.app`` adds it): a
# search needs text or a positive concept, a patient search a positive concept. The handlers check it.
BODY_CONSTRAINTS: dict[str, list[dict[str, object]]] = {
    "SearchIn": [{"required": ["query"]}, _non_empty("all"), _non_empty("any")],
    "PatientSearchIn": [{"required": ["query"]}, _non_empty("all"), _non_empty("any")],
}


# --- responses --------------------------------------------------------------------------------------
class CriterionOut(Schema):
    concept = String(required=True)
    label = String(allow_none=True)
    role = String(required=True)
    assertions = List(String(), required=True)
    text = String(allow_none=True, metadata={"description": "Words of the query it was read from."})
    start = Integer(allow_none=True)
    end = Integer(allow_none=True)
    relations = List(String(), required=True)
    depth = Integer(required=True)
    expanded = Integer(required=True, metadata={"description": "Concepts it expanded to, itself included."})


class FeedbackTermOut(Schema):
    term = String(required=True)
    weight = Float(required=True, metadata={"description": "Its share of the expanded text query."})


class ParsedQueryOut(Schema):
    text = String(allow_none=True)
    lang = String(allow_none=True)
    bm25_text = String(required=True, metadata={"description": "What the text index was searched for."})
    free_terms = List(String(), required=True)
    all = List(Nested(CriterionOut), required=True)
    any = List(Nested(CriterionOut), required=True)
    none = List(Nested(CriterionOut), required=True)
    feedback_terms = List(
        Nested(FeedbackTermOut),
        required=True,
        metadata={"description": "Words the text search was expanded with (empty: no feedback)."},
    )


class ContributionOut(Schema):
    criterion = String(required=True)
    role = String(required=True)
    concept = String(required=True, metadata={"description": "The concept the document mentions."})
    label = String(allow_none=True)
    score = Float(required=True)
    weight = Float(required=True, metadata={"description": "Expansion weight (1 for the concept itself)."})
    idf = Float(required=True)
    evidence = Float(required=True, metadata={"description": "Mentions counted (hypothetical weighted)."})
    depth = Integer(required=True)
    path = List(Nested(StepOut), required=True)


class BreakdownOut(Schema):
    text = Float(
        required=True,
        metadata={
            "description": "BM25 of the text (of the query expanded by `query.feedback_terms` if any), "
            "before text_weight."
        },
    )
    concepts = List(Nested(ContributionOut), required=True)
    cosine = Float(
        allow_none=True,
        metadata={"description": "Cosine of the query's and the document's vectors (null: either has none)."},
    )
    similarity = Float(required=True, metadata={"description": "What that cosine added to the score."})


class HighlightOut(Schema):
    start = Integer(required=True)
    end = Integer(required=True)
    concept = String(allow_none=True)
    negated = Boolean(required=True)
    hypothetical = Boolean(required=True)
    family = Boolean(required=True)
    historical = Boolean(required=True)


class SnippetOut(Schema):
    text = String(required=True)
    start = Integer(required=True)
    section = String(allow_none=True)
    highlights = List(Nested(HighlightOut), required=True)


class DocumentHitOut(Schema):
    id = String(required=True)
    score = Float(required=True)
    title = String(allow_none=True)
    type = String(allow_none=True)
    lang = String(allow_none=True)
    date = String(allow_none=True)
    source = String(allow_none=True)
    patient_id = String(allow_none=True)
    breakdown = Nested(BreakdownOut, required=True)
    snippets = List(Nested(SnippetOut), required=True)


class ConceptFacetOut(Schema):
    concept = String(required=True)
    label = String(allow_none=True)
    documents = Integer(required=True)


class FacetsOut(Schema):
    type = Dict(keys=String(), values=Integer(), required=True)
    lang = Dict(keys=String(), values=Integer(), required=True)
    concept = List(Nested(ConceptFacetOut), required=True)


class SearchOut(Schema):
    query = Nested(ParsedQueryOut, required=True)
    total = Integer(required=True)
    total_exact = Boolean(
        required=True, metadata={"description": "False when a retrieval reached its cap of candidates."}
    )
    page = Integer(required=True)
    size = Integer(required=True)
    results = List(Nested(DocumentHitOut), required=True)
    facets = Nested(FacetsOut, required=True)


class EvidenceDocumentOut(Schema):
    id = String(required=True)
    date = String(allow_none=True)
    concept = String(required=True)
    evidence = Float(required=True)
    snippets = List(Nested(SnippetOut), required=True)


class CriterionEvidenceOut(Schema):
    criterion = String(required=True)
    role = String(required=True)
    concept = String(required=True)
    label = String(allow_none=True)
    score = Float(required=True)
    weight = Float(required=True)
    idf = Float(required=True)
    evidence = Float(required=True)
    document_count = Integer(required=True)
    documents = List(Nested(EvidenceDocumentOut), required=True)
    depth = Integer(required=True)
    path = List(Nested(StepOut), required=True)


class PatientHitOut(Schema):
    id = String(required=True)
    score = Float(required=True)
    criteria = List(Nested(CriterionEvidenceOut), required=True)


class PatientQueryOut(Schema):
    text = String(allow_none=True, metadata={"description": "The free-text query, if one was given."})
    lang = String(allow_none=True)
    free_terms = List(String(), metadata={"description": "Words of `text` that named no concept."})
    all = List(Nested(CriterionOut), required=True)
    any = List(Nested(CriterionOut), required=True)
    none = List(Nested(CriterionOut), required=True)


class PatientSearchOut(Schema):
    query = Nested(PatientQueryOut, required=True)
    total = Integer(required=True)
    page = Integer(required=True)
    size = Integer(required=True)
    results = List(Nested(PatientHitOut), required=True)
