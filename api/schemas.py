"""Request and response schemas: they validate requests and generate /openapi.json (apiflask)."""

from __future__ import annotations

from apiflask import Schema
from apiflask.fields import Boolean, Dict, Float, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range, Regexp

LANGUAGES = ("fr", "en")
SOURCE_ID = Regexp(r"^[A-Za-z0-9_.\-]{1,64}$", error="a source id: letters, digits, _ . - (at most 64)")
# PREFIX:local, as used in the graph (e.g. HP:0001250, CIM10:E11.9, MESH:D003920).
CURIE_PATTERN = r"^[A-Za-z][A-Za-z0-9_.\-]{0,31}:[A-Za-z0-9_.\-]{1,64}$"


class ConceptSearchQuery(Schema):
    q = String(required=True, validate=Length(min=1, max=200), metadata={"description": "Text to look up."})
    lang = String(
        validate=OneOf(LANGUAGES), metadata={"description": "Only labels/synonyms in this language."}
    )
    source = String(validate=SOURCE_ID, metadata={"description": "Only concepts of this source (e.g. hpo)."})
    limit = Integer(load_default=20, validate=Range(min=1, max=100))
    include_obsolete = Boolean(load_default=False)


class ConceptDetailQuery(Schema):
    children_offset = Integer(load_default=0, validate=Range(min=0, max=100_000))
    children_limit = Integer(load_default=20, validate=Range(min=1, max=200))


class MatchedTermOut(Schema):
    text = String(required=True)
    lang = String(required=True)
    type = String(
        required=True, metadata={"description": "label, exact, narrow, broad, related, abbreviation..."}
    )


class ConceptHitOut(Schema):
    curie = String(required=True)
    label = String(allow_none=True)
    source = String(allow_none=True)
    obsolete = Boolean(required=True)
    matched = Nested(MatchedTermOut, required=True)
    match = String(
        required=True,
        metadata={
            "description": (
                "exact, prefix, fulltext, variant (another wording of the query: 'métastases du foie' as"
                " 'métastases hépatiques', when no term has every word) or partial (some of the words"
                " only): ranked in that order."
            )
        },
    )
    score = Float(required=True)


class ConceptSearchOut(Schema):
    query = String(required=True)
    normalised = String(required=True)
    hits = List(Nested(ConceptHitOut), required=True)


class ConceptRefOut(Schema):
    curie = String(required=True)
    label = String(allow_none=True)
    source = String(allow_none=True)
    stub = Boolean(required=True)


class TermOut(Schema):
    text = String(required=True)
    lang = String(required=True)
    type = String(required=True)
    source_type = String(allow_none=True)


class MappingOut(Schema):
    predicate = String(required=True)
    direction = String(required=True)
    target = Nested(ConceptRefOut, required=True)
    source = String(allow_none=True)
    confidence = Float(allow_none=True)
    justification = String(allow_none=True)
    negated = Boolean(required=True)


class RelationOut(Schema):
    type = String(required=True)
    target = Nested(ConceptRefOut, required=True)


class ChildrenOut(Schema):
    count = Integer(required=True)
    offset = Integer(required=True)
    items = List(Nested(ConceptRefOut), required=True)


class ReleaseOut(Schema):
    id = String()
    source = String()
    version = String()
    name = String(allow_none=True)
    licence = String(allow_none=True)
    status = String(allow_none=True)
    loaded_at = String(allow_none=True)


class ConceptDetailOut(Schema):
    curie = String(required=True)
    iri = String(allow_none=True)
    source = String(allow_none=True)
    stub = Boolean(required=True)
    kind = String(allow_none=True)
    obsolete = Boolean(required=True)
    replaced_by = List(String(), required=True)
    labels = Dict(keys=String(), values=String(), required=True)
    definitions = Dict(keys=String(), values=String(), required=True)
    synonyms = List(Nested(TermOut), required=True)
    parents = List(Nested(ConceptRefOut), required=True)
    children = Nested(ChildrenOut, required=True)
    relations = List(Nested(RelationOut), required=True)
    mappings = Dict(
        keys=String(),
        values=List(Nested(MappingOut)),
        required=True,
        metadata={"description": "Mappings grouped by the target's ontology (CURIE prefix)."},
    )
    release = Nested(ReleaseOut, allow_none=True)


class SourceReleaseOut(Schema):
    id = String()
    version = String()
    status = String(allow_none=True)
    added = Integer(allow_none=True)
    changed = Integer(allow_none=True)
    obsoleted = Integer(allow_none=True)
    unchanged = Integer(allow_none=True)
    concept_count = Integer(allow_none=True)
    term_count = Integer(allow_none=True)
    mapping_count = Integer(allow_none=True)
    loaded_at = String(allow_none=True)


class SourceOut(Schema):
    id = String(required=True)
    name = String(allow_none=True)
    licence = String(allow_none=True)
    kind = String(allow_none=True)
    current_release = String(allow_none=True)
    concepts = Integer(required=True)
    obsolete = Integer(required=True)
    releases = List(Nested(SourceReleaseOut), required=True)


class SourcesOut(Schema):
    sources = List(Nested(SourceOut), required=True)


class HealthOut(Schema):
    status = String(required=True)


class ErrorDetail(Schema):
    code = String(required=True)
    message = String(required=True)
    details = Dict(required=True)


class ErrorOut(Schema):
    error = Nested(ErrorDetail, required=True)
