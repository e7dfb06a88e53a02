"""Concept lookup endpoints: search over labels/synonyms, one concept, the loaded sources."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict
from typing import Any

from apiflask import APIBlueprint, abort
from flask import current_app

from api.schemas import (
    CURIE_PATTERN,
    ConceptDetailOut,
    ConceptDetailQuery,
    ConceptSearchOut,
    ConceptSearchQuery,
    SourcesOut,
)
from graph.concept_repository import ConceptRepository
from ontologies.curie import normalise_curie
from ontologies.text import fold

concepts = APIBlueprint("concepts", __name__, url_prefix="/api", tag="Concepts")
_CURIE = re.compile(CURIE_PATTERN)


def repository() -> ConceptRepository:
    repo: ConceptRepository = current_app.extensions["healthsearch"].concepts
    return repo


@concepts.get("/concepts")
@concepts.input(ConceptSearchQuery, location="query", arg_name="query")
@concepts.output(ConceptSearchOut)
@concepts.doc(summary="Find concepts by label or synonym (French and English)", responses=[400, 503])
def search_concepts(query: dict[str, Any]) -> dict[str, Any]:
    """Exact label/synonym matches first, then prefix, then full-text (fuzzy), then partial (some of the
    words, when nothing matched them all); accents and case ignored."""
    hits = repository().search(
        query["q"],
        lang=query.get("lang"),
        source=query.get("source"),
        limit=query["limit"],
        include_obsolete=query["include_obsolete"],
    )
    return {"query": query["q"], "normalised": fold(query["q"]), "hits": [asdict(hit) for hit in hits]}


@concepts.get("/concepts/<path:curie>")
@concepts.input(ConceptDetailQuery, location="query", arg_name="query")
@concepts.output(ConceptDetailOut)
@concepts.doc(
    summary="One concept: labels, synonyms, hierarchy, mappings, release", responses=[400, 404, 503]
)
def get_concept(curie: str, query: dict[str, Any]) -> dict[str, Any]:
    if len(curie) > 100 or not _CURIE.match(curie):
        abort(
            400,
            f"Malformed concept id {curie[:100]!r}: expected PREFIX:local, e.g. HP:0001250 or CIM10:E11.9.",
        )
    detail = repository().get(
        normalise_curie(curie),
        children_offset=query["children_offset"],
        children_limit=query["children_limit"],
    )
    body = asdict(detail)
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for mapping in body["mappings"]:
        grouped[mapping["target"]["curie"].partition(":")[0]].append(mapping)
    body["mappings"] = dict(sorted(grouped.items()))
    body["relations"] = [{"type": rel_type, "target": target} for rel_type, target in body["relations"]]
    body["children"] = {
        "count": detail.child_count,
        "offset": query["children_offset"],
        "items": body["children"],
    }
    return body


@concepts.get("/sources")
@concepts.output(SourcesOut)
@concepts.doc(summary="Loaded terminologies with their releases and counts", responses=[503])
def list_sources() -> dict[str, Any]:
    return {"sources": repository().sources()}
