"""GET /api/concepts/<curie>/expansion: the weighted expansion of a concept, with explanation paths."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from apiflask import APIBlueprint, Schema, abort
from apiflask.fields import Boolean, Float, Integer, List, Nested, String
from apiflask.validators import Length, Range, Regexp
from flask import current_app

from api.schemas import CURIE_PATTERN
from graph.errors import ConceptNotFound, Errors
from graph.expansion import ExpansionRepository
from ontologies.curie import normalise_curie
from search.expansion import DEFAULT_ENABLED, RELATIONS, ExpansionPolicy

expansion_bp = APIBlueprint("expansion", __name__, url_prefix="/api", tag="Concepts")
_CURIE = re.compile(CURIE_PATTERN)
_RELATION = "(" + "|".join(RELATIONS) + ")"
_RELATIONS_PATTERN = rf"^{_RELATION}(,{_RELATION})*$"


class ExpansionQuery(Schema):
    depth = Integer(load_default=3, validate=Range(min=0, max=6))
    relations = String(
        validate=[
            Length(max=200),
            Regexp(_RELATIONS_PATTERN, error=f"comma-separated relation names among {', '.join(RELATIONS)}"),
        ],
        metadata={
            "description": f"Relations to follow, among {', '.join(RELATIONS)}; default: "
            f"{', '.join(sorted(DEFAULT_ENABLED))}."
        },
    )
    max = Integer(
        load_default=100, validate=Range(min=1, max=1000), metadata={"description": "Concepts at most."}
    )


class StepOut(Schema):
    relation = String(required=True)
    source = String(required=True)
    target = String(required=True)
    detail = String(allow_none=True)


class ExpandedOut(Schema):
    curie = String(required=True)
    label = String(allow_none=True)
    source = String(allow_none=True)
    stub = Boolean(required=True)
    weight = Float(required=True)
    depth = Integer(required=True)
    path = List(Nested(StepOut), required=True)


class ExpansionOut(Schema):
    concept = String(required=True)
    relations = List(String(), required=True)
    depth = Integer(required=True)
    expansion = List(Nested(ExpandedOut), required=True)


@expansion_bp.get("/concepts/<curie>/expansion")
@expansion_bp.input(ExpansionQuery, location="query", arg_name="query")
@expansion_bp.output(ExpansionOut)
@expansion_bp.doc(
    summary="Concepts a query concept expands to, weighted, with the path that explains each",
    responses=[400, 404, 503],
)
def concept_expansion(curie: str, query: dict[str, Any]) -> dict[str, Any]:
    if len(curie) > 100 or not _CURIE.match(curie):
        abort(400, f"Malformed concept id {curie[:100]!r}: expected PREFIX:local, e.g. HP:0001250.")
    root = normalise_curie(curie)
    relations = query["relations"].split(",") if query.get("relations") else sorted(DEFAULT_ENABLED)
    try:
        policy = ExpansionPolicy(max_depth=query["depth"], max_concepts=query["max"]).with_relations(
            relations
        )
    except ValueError as error:
        abort(400, str(error))
    services = current_app.extensions["healthsearch"]
    repository: ExpansionRepository = services.expansion
    expanded = services.expander()(root, policy)
    # The root is always the first item: one query gives every label and says whether the root exists.
    summaries = repository.summaries([item.curie for item in expanded])
    if root not in summaries:
        raise ConceptNotFound(Errors.E111.format(curie=root))
    return {
        "concept": root,
        "relations": sorted(policy.enabled),
        "depth": policy.max_depth,
        "expansion": [
            {
                **asdict(item),
                "label": summaries.get(item.curie, {}).get("label"),
                "source": summaries.get(item.curie, {}).get("source"),
                "stub": bool(summaries.get(item.curie, {}).get("stub")),
            }
            for item in expanded
        ],
    }
