"""GET /api/documents/<id>: a stored document with its metadata, text, mentions and concept counts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from apiflask import APIBlueprint, Schema, abort
from apiflask.fields import Boolean, Dict, Float, Integer, List, Nested, String
from flask import current_app

from graph.document_repository import DocumentRepository

documents_bp = APIBlueprint("documents", __name__, url_prefix="/api", tag="Documents")
MAX_ID_CHARS = 256


class CandidateDetailOut(Schema):
    curie = String(required=True)
    label = String(allow_none=True)
    score = Float(required=True)
    rank = Integer(required=True)
    stub = Boolean(required=True)


class MentionDetailOut(Schema):
    start = Integer(required=True)
    end = Integer(required=True)
    text = String(required=True)
    candidates = List(Nested(CandidateDetailOut), required=True)
    negated = Boolean(required=True)
    hypothetical = Boolean(required=True)
    family = Boolean(required=True)
    historical = Boolean(required=True)
    section = String(allow_none=True)
    sentence_start = Integer(allow_none=True)
    sentence_end = Integer(allow_none=True)


class ConceptMentionsOut(Schema):
    curie = String(required=True)
    label = String(allow_none=True)
    count = Integer(required=True)
    affirmed = Integer(required=True)
    negated = Integer(required=True)
    hypothetical = Integer(required=True)
    family = Integer(required=True)
    historical = Integer(required=True)
    best_score = Float(allow_none=True)


class DocumentOut(Schema):
    id = String(required=True)
    text = String(required=True)
    patient_id = String(allow_none=True)
    type = String(allow_none=True)
    date = String(allow_none=True)
    lang = String(allow_none=True)
    title = String(allow_none=True)
    source = String(allow_none=True)
    metadata = Dict(required=True)
    pipeline_version = String(required=True)
    terminology_version = String(required=True)
    hash = String(required=True)
    mention_count = Integer(required=True)
    mentions = List(Nested(MentionDetailOut), required=True)
    concepts = List(Nested(ConceptMentionsOut), required=True)


@documents_bp.get("/documents/<path:document_id>")
@documents_bp.output(DocumentOut)
@documents_bp.doc(
    summary="A document: metadata, text, qualified mentions, concept counts", responses=[400, 404, 503]
)
def get_document(document_id: str) -> dict[str, Any]:
    if len(document_id) > MAX_ID_CHARS:
        abort(400, f"Document id too long ({len(document_id)} characters; at most {MAX_ID_CHARS}).")
    repository: DocumentRepository = current_app.extensions["healthsearch"].documents
    return asdict(repository.get(document_id))
