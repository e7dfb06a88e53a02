"""Concept lookup endpoints: search over labels/synonyms, one concept, the loaded sources."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, replace
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
from graph.concept_repository import TIER_NAMES, TIER_PARTIAL, ConceptHit, ConceptRepository
from ontologies.curie import normalise_curie
from ontologies.text import fold

concepts = APIBlueprint("concepts", __name__, url_prefix="/api", tag="Concepts")
_CURIE = re.compile(CURIE_PATTERN)
PARTIAL = TIER_NAMES[TIER_PARTIAL]
_WORD = re.compile(r"\w")
MAX_VARIANT_SEARCHES = 3


def repository() -> ConceptRepository:
    repo: ConceptRepository = current_app.extensions["healthsearch"].concepts
    return repo


@concepts.get("/concepts")
@concepts.input(ConceptSearchQuery, location="query", arg_name="query")
@concepts.output(ConceptSearchOut)
@concepts.doc(summary="Find concepts by label or synonym (French and English)", responses=[400, 503])
def search_concepts(query: dict[str, Any]) -> dict[str, Any]:
    """Exact label/synonym matches first, then prefix, then full-text (fuzzy); when no term holds every
    word, the hits of the query's other wordings (an organ's adjective, "cancer" for "tumeur maligne"),
    then partial hits (some of the words); accents and case ignored."""

    def search(text: str) -> list[ConceptHit]:
        return repository().search(
            text,
            lang=query.get("lang"),
            source=query.get("source"),
            limit=query["limit"],
            include_obsolete=query["include_obsolete"],
        )

    hits = search(query["q"])
    if all(hit.match == PARTIAL for hit in hits):
        hits = _with_variants(query["q"], query.get("lang"), hits, search, limit=query["limit"])
    return {"query": query["q"], "normalised": fold(query["q"]), "hits": [asdict(hit) for hit in hits]}


def _with_variants(
    text: str,
    lang: str | None,
    hits: list[ConceptHit],
    search: Callable[[str], list[ConceptHit]],
    *,
    limit: int,
) -> list[ConceptHit]:
    """The concepts the query names in other words, marked ``variant``, before the partial hits it had:
    asked only when no term held every word of the query.

    First the concepts the terminology matcher links the whole query to, as it would in a document
    ("cancer du poumon" → C34 "Tumeur maligne des bronches et du poumon", "cancer pulmonaire" too);
    then the hits of the query's other wordings ("métastases du foie" → "métastases hépatiques",
    "cancer du côlon" → "tumeur maligne du côlon"). Three more searches at most: a lookup that found
    nothing stays fast.
    """
    from nlp.matcher.relational_adjectives import variant_texts  # the matcher's lists; loaded on need

    found: dict[str, ConceptHit] = {}
    langs = (lang,) if lang else ("fr", "en")
    terms = _matched_terms(text, lang)
    wordings = [variant for variant_lang in langs for variant in variant_texts(text, variant_lang)]
    for wording in [*terms, *(w for w in wordings if w not in terms)][:MAX_VARIANT_SEARCHES]:
        for hit in search(wording):
            # A matched term is searched by its text: keep the concepts holding that very term.
            if wording in terms and fold(hit.matched.text) != fold(wording):
                continue
            if hit.match != PARTIAL and hit.curie not in found:
                found[hit.curie] = replace(hit, match="variant")
    partial = [hit for hit in hits if hit.curie not in found]
    return [*found.values(), *partial][:limit]


def _matched_terms(text: str, lang: str | None) -> list[str]:
    """The terms of the concepts the matcher links ``text`` to, when one mention covers all of it.

    Only once this process's matchers are loaded (``Services.warm``): a lookup never waits for them.
    """
    services = current_app.extensions["healthsearch"]
    if not services.warm.is_set():
        return []
    annotator = services.annotator.get()
    terms: list[str] = []
    for language in (lang,) if lang else annotator.languages:
        matcher = annotator.matchers.get(language)
        mentions = matcher.find_text(text) if matcher is not None else []
        if len(mentions) != 1:
            continue
        (mention,) = mentions
        if _WORD.search(text[: mention.start]) or _WORD.search(text[mention.end :]):
            continue  # the mention names part of the query only
        terms.extend(candidate.matched_text for candidate in mention.candidates)
    return list(dict.fromkeys(terms))[:MAX_VARIANT_SEARCHES]


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
