"""POST /api/annotate: text in, qualified mentions out; nothing stored."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint, Schema
from apiflask.fields import Boolean, Float, Integer, List, Nested, String
from apiflask.validators import Length, OneOf
from flask import current_app

from nlp.pipeline import Annotation

annotate_bp = APIBlueprint("annotate", __name__, url_prefix="/api", tag="Annotation")
MAX_TEXT_CHARS = 100_000


class AnnotateIn(Schema):
    text = String(required=True, validate=Length(min=1, max=MAX_TEXT_CHARS))
    lang = String(validate=OneOf(("fr", "en")), metadata={"description": "Detected when absent."})


class CandidateOut(Schema):
    curie = String(required=True)
    score = Float(required=True)
    matched_text = String(required=True)
    match_type = String(required=True)


class QualifiersOut(Schema):
    negated = Boolean(required=True)
    hypothetical = Boolean(required=True)
    family = Boolean(required=True)
    historical = Boolean(required=True)


class SentenceOut(Schema):
    start = Integer(allow_none=True)
    end = Integer(allow_none=True)


class MentionOut(Schema):
    start = Integer(required=True)
    end = Integer(required=True)
    text = String(required=True)
    candidates = List(Nested(CandidateOut), required=True)
    qualifiers = Nested(QualifiersOut, required=True)
    section = String(allow_none=True)
    sentence = Nested(SentenceOut, required=True)


class AnnotateOut(Schema):
    lang = String(required=True)
    mentions = List(Nested(MentionOut), required=True)
    pipeline_version = String(required=True)
    terminology_version = String(required=True)


def annotation_body(annotation: Annotation) -> dict[str, Any]:
    return {
        "lang": annotation.lang,
        "pipeline_version": annotation.pipeline_version,
        "terminology_version": annotation.terminology_version,
        "mentions": [
            {
                "start": mention.start,
                "end": mention.end,
                "text": mention.text,
                "candidates": [vars(candidate) for candidate in mention.candidates],
                "qualifiers": vars(mention.qualifiers),
                "section": mention.section,
                "sentence": {"start": mention.sentence_start, "end": mention.sentence_end},
            }
            for mention in annotation.mentions
        ],
    }


@annotate_bp.post("/annotate")
@annotate_bp.input(AnnotateIn, arg_name="body")
@annotate_bp.output(AnnotateOut)
@annotate_bp.doc(
    summary="Concepts mentioned in a text, with negation, hypothesis, family, history",
    responses=[400, 413, 503],
)
def annotate(body: dict[str, Any]) -> dict[str, Any]:
    annotator = current_app.extensions["healthsearch"].annotator.get()
    return annotation_body(annotator.annotate(body["text"], lang=body.get("lang")))
