"""What the terminology matcher is compiled from: every active term, exact-match pairs, releases.

Plain tuples leave this package (graph must not import nlp): the composition root turns them into
``nlp.model.TermEntry``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from functools import partial
from typing import Any

import neo4j

from graph.driver import Graph, fetch, fetch_single

PAGE = 5000
# Term types in the order a concept's terms are exported; others after them, by name.
TYPE_ORDER = ("label", "exact", "layperson", "abbreviation", "related", "narrow", "broad")
_TYPE_RANK = {term_type: rank for rank, term_type in enumerate(TYPE_ORDER)}


def _term_order(term: Sequence[Any]) -> tuple[int, str, str, str]:
    text, lang, term_type = term
    return _TYPE_RANK.get(term_type, len(TYPE_ORDER)), term_type or "", lang or "", text


TERMS_PAGE = """
MATCH (c:Concept)
WHERE c.curie > $after AND NOT coalesce(c.stub, false) AND NOT coalesce(c.obsolete, false)
WITH c ORDER BY c.curie LIMIT $page
OPTIONAL MATCH (c)-[:HAS_TERM]->(t:Term)
WHERE t.lang IN $langs
WITH c, collect([t.text, t.lang, t.type]) AS terms
ORDER BY c.curie
RETURN collect([c.curie, c.source, terms]) AS concepts
"""

EXACT_PAIRS = """
MATCH (a:Concept)-[m:MAPS_TO {predicate: 'skos:exactMatch'}]->(b:Concept)
WHERE NOT coalesce(m.negated, false) AND NOT coalesce(a.stub, false) AND NOT coalesce(b.stub, false)
RETURN collect([a.curie, b.curie]) AS pairs
"""

# Concepts a loaded concept is mapped to (exact matches and cross-references, either direction):
# the matcher prefers the better connected of two equally good candidates.
LINK_COUNTS = """
MATCH (c:Concept)-[m:MAPS_TO]-(o:Concept)
WHERE m.predicate IN $predicates AND NOT coalesce(m.negated, false)
  AND NOT coalesce(c.stub, false) AND NOT coalesce(c.obsolete, false)
WITH c, count(DISTINCT o) AS links
RETURN collect([c.curie, links]) AS counts
"""
LINK_PREDICATES = ("skos:exactMatch", "oboInOwl:hasDbXref")

# Active parents of given concepts: the matcher names several subtypes' common parent.
PARENTS = """
UNWIND $curies AS curie
MATCH (:Concept {curie: curie})-[:IS_A]->(p:Concept)
WHERE NOT coalesce(p.stub, false) AND NOT coalesce(p.obsolete, false)
RETURN curie, collect(p.curie) AS parents
"""

# A branch: given roots and every concept under them through IS_A (the matcher leaves some out).
BRANCH = """
MATCH (r:Concept) WHERE r.curie IN $roots
WITH r
MATCH (r)<-[:IS_A*0..]-(c:Concept)
RETURN collect(DISTINCT c.curie) AS curies
"""

RELEASES = """
MATCH (r:Release {status: 'complete'})
RETURN r.id AS id, r.content_hash AS hash ORDER BY id
"""

# (curie, text, lang, type, source)
TermTuple = tuple[str, str, str, str, str]


def _page(tx: neo4j.ManagedTransaction, *, params: dict[str, Any]) -> list[list[Any]]:
    # One row holding the page (fetch_single): Record.data() would walk each of its nested values.
    page: list[list[Any]] = fetch_single(tx, TERMS_PAGE, params)
    return page


def _parents(tx: neo4j.ManagedTransaction, *, params: dict[str, Any]) -> list[dict[str, Any]]:
    return fetch(tx, PARENTS, params)


class TermExport:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def terms(self, langs: Sequence[str]) -> Iterator[TermTuple]:
        """Every label and synonym in ``langs`` of every active, loaded concept, page by page."""
        after = ""
        while True:
            params = {"after": after, "page": PAGE, "langs": list(langs)}
            concepts = self.graph.read(partial(_page, params=params))
            if not concepts:
                return
            for curie, source, terms in concepts:
                # A concept's terms come in the order the store holds them, which a reload changes:
                # labels first, then by type and text, so that a matcher built from the same
                # terminologies names the same term of a concept ("Paludisme, sans précision", not
                # its "PALUDISME, SAI" after one load and the label after another).
                for text, lang, term_type in sorted(
                    (term for term in terms if term[0] is not None), key=_term_order
                ):
                    yield curie, text, lang, term_type, source
            after = concepts[-1][0]

    def exact_pairs(self) -> list[tuple[str, str]]:
        """Pairs of loaded concepts joined by a (non-negated) skos:exactMatch mapping."""
        return [(a, b) for a, b in self.graph.read(lambda tx: fetch_single(tx, EXACT_PAIRS, {}))]

    def link_counts(self) -> dict[str, int]:
        """Loaded concept → number of concepts it is joined to by an exact match or a cross-reference."""
        params = {"predicates": list(LINK_PREDICATES)}
        return dict(self.graph.read(lambda tx: fetch_single(tx, LINK_COUNTS, params)))

    def parents(self, curies: Sequence[str]) -> dict[str, list[str]]:
        """The active IS_A parents of each of ``curies`` that has any."""
        found: dict[str, list[str]] = {}
        for offset in range(0, len(curies), PAGE):
            params = {"curies": list(curies[offset : offset + PAGE])}
            rows = self.graph.read(partial(_parents, params=params))
            found.update((row["curie"], row["parents"]) for row in rows)
        return found

    def branch(self, roots: Sequence[str]) -> frozenset[str]:
        """``roots`` (those loaded) and every concept under them through IS_A."""
        if not roots:
            return frozenset()
        curies = self.graph.read(lambda tx: fetch_single(tx, BRANCH, {"roots": list(roots)}))
        return frozenset(curies)

    def releases(self) -> list[str]:
        """``source@version:hash`` of every complete release: the matcher cache key."""
        rows = self.graph.read(lambda tx: fetch(tx, RELEASES, {}))
        return [f"{row['id']}:{row['hash']}" for row in rows]


def terminology_version(releases: Sequence[str]) -> str:
    """A short digest of ``TermExport.releases()``: the terminology version stamped on mentions."""
    return hashlib.sha256("\n".join(releases).encode()).hexdigest()[:12]
