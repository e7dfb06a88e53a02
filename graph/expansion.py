"""The graph side of query expansion: the relations leaving a frontier of concepts, as plain tuples.

``search.expansion`` decides what to follow and how much it weighs; this module only answers "what
is next to these concepts" in one query per frontier (the relation names are search's).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from graph.driver import Graph, fetch_single

NEIGHBOURS = """
UNWIND $curies AS curie
MATCH (c:Concept {curie: curie})
// Only the relations asked for ($relations): a deep expansion otherwise ships thousands of parent and
// cross-reference edges it will not follow.
CALL (c) {
  MATCH (child:Concept)-[:IS_A]->(c)
  WHERE 'descendant' IN $relations AND NOT coalesce(child.obsolete, false)
  RETURN child.curie AS target, 'descendant' AS relation, null AS detail
  UNION
  MATCH (c)-[:IS_A]->(parent:Concept)
  WHERE 'ancestor' IN $relations
  RETURN parent.curie AS target, 'ancestor' AS relation, null AS detail
  UNION
  MATCH (c)-[m:MAPS_TO]-(other:Concept)
  WHERE NOT coalesce(m.negated, false) AND NOT coalesce(other.obsolete, false)
  WITH other, m, startNode(m) = c AS outgoing
  WITH other, m,
       CASE m.predicate
         WHEN 'skos:exactMatch' THEN 'exact'
         WHEN 'oboInOwl:hasDbXref' THEN 'xref'
         WHEN 'skos:closeMatch' THEN 'close'
         WHEN 'skos:narrowMatch' THEN CASE WHEN outgoing THEN 'narrow' ELSE 'broad' END
         WHEN 'skos:broadMatch' THEN CASE WHEN outgoing THEN 'broad' ELSE 'narrow' END
         ELSE 'related'
       END AS relation
  WHERE relation IN $relations
  RETURN other.curie AS target, relation, m.predicate + ' (' + coalesce(m.source, '?') + ')' AS detail
}
RETURN collect([curie, target, relation, detail]) AS edges
"""

# What expansions depend on: the releases loaded (each reload stamps loaded_at) and the mapping sets
# of each source. search.expansion_cache keys its entries by a digest of this.
TERMINOLOGY_STATE = """
CALL () {
  MATCH (r:Release)
  WITH r ORDER BY r.id
  RETURN collect([r.id, r.status, r.content_hash, toString(r.loaded_at)]) AS releases
}
CALL () {
  MATCH (s:Source)
  WITH s ORDER BY s.id
  RETURN collect([s.id, s.set_mappings_hash]) AS sources
}
RETURN [releases, sources] AS state
"""

CONCEPT_SUMMARIES = """
UNWIND $curies AS curie
MATCH (c:Concept {curie: curie})
RETURN collect({curie: c.curie, label: c.label, source: c.source, stub: coalesce(c.stub, false)}) AS summaries
"""

# The relation names this module can return (search.expansion.RELATIONS; graph may not import search).
RELATION_NAMES = ("descendant", "ancestor", "exact", "xref", "close", "narrow", "broad", "related")

# (source curie, target curie, relation, detail)
EdgeTuple = tuple[str, str, str, str | None]


class ExpansionRepository:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def neighbours(self, curies: Sequence[str], relations: Iterable[str] = RELATION_NAMES) -> list[EdgeTuple]:
        """The IS_A (either direction) and non-negated mapping edges of ``curies`` whose relation
        name (``search.expansion.RELATIONS``) is among ``relations``."""
        params = {"curies": list(curies), "relations": sorted(set(relations))}
        # One row holding the edges (graph.driver.fetch_single): a deep expansion reads thousands.
        edges = self.graph.read(lambda tx: fetch_single(tx, NEIGHBOURS, params))
        return [(source, target, relation, detail) for source, target, relation, detail in edges]

    def summaries(self, curies: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Label, source and stub flag of each CURIE that exists."""
        summaries = self.graph.read(lambda tx: fetch_single(tx, CONCEPT_SUMMARIES, {"curies": list(curies)}))
        return {summary["curie"]: summary for summary in summaries}

    def version(self) -> str:
        """A digest of the terminology state expansions depend on (``TERMINOLOGY_STATE``)."""
        state = json.dumps(self.graph.read(lambda tx: fetch_single(tx, TERMINOLOGY_STATE, {})), default=str)
        return hashlib.sha256(state.encode()).hexdigest()[:16]
