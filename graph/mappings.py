"""Which loaded concepts are, or map to, given ids (gold ids of evaluation corpora).

A loaded concept reaches a gold id when it is that concept, or is joined to it by a non-negated
``MAPS_TO`` edge of an exact-match or cross-reference predicate, in either direction. It also reaches
it when it shares a UMLS CUI with such a concept: both cross-reference (or exactly match) the same
``UMLS:`` stub. A CUI is UMLS's identity of one concept across every vocabulary it integrates, so two
concepts naming the same CUI name the same thing; HPO's "Neoplasm" and DOID's "cancer" both name
C0006826, and only DOID's cross-references MeSH. No other stub joins concepts this way: HPO hangs
one NCIT id on dozens of different phenotypes, while no UMLS stub of the shared set is named by
more than seven concepts. Stub concepts (mapping targets only) and obsolete ones are not loaded
concepts.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import partial
from typing import Any

import neo4j

from graph.driver import Graph, fetch

# Allowlist of predicates that count as "the same concept" for evaluation; passed as a parameter.
REACHING_PREDICATES = ("skos:exactMatch", "oboInOwl:hasDbXref")
BATCH = 1000

# The concepts shared CUIs add are collected per directly reaching concept, then flattened.
REACHING = """
UNWIND $ids AS id
MATCH (g:Concept {curie: id})
OPTIONAL MATCH (g)-[m:MAPS_TO]-(c:Concept)
WHERE m.predicate IN $predicates AND NOT coalesce(m.negated, false)
  AND NOT coalesce(c.stub, false) AND NOT coalesce(c.obsolete, false)
WITH id, g, collect(DISTINCT c) AS linked
WITH id, CASE WHEN coalesce(g.stub, false) OR coalesce(g.obsolete, false) THEN linked
              ELSE linked + [g] END AS direct
CALL {
  WITH direct
  UNWIND direct AS d
  MATCH (d)-[x:MAPS_TO]-(u:Concept)-[y:MAPS_TO]-(e:Concept)
  WHERE $pivot IS NOT NULL AND u.curie STARTS WITH $pivot AND coalesce(u.stub, false)
    AND x.predicate IN $predicates AND NOT coalesce(x.negated, false)
    AND y.predicate IN $predicates AND NOT coalesce(y.negated, false)
    AND NOT coalesce(e.stub, false) AND NOT coalesce(e.obsolete, false)
  RETURN collect(DISTINCT e) AS shared
}
WITH id, direct + shared AS reaching
UNWIND reaching AS c
RETURN id, collect(DISTINCT c.curie) AS concepts
"""
# Prefix of the stubs through which a shared identifier joins two concepts (see module doc).
PIVOT_PREFIX = "UMLS:"


def _reaching(tx: neo4j.ManagedTransaction, *, ids: list[str], pivot: str | None) -> list[dict[str, Any]]:
    params = {"ids": ids, "predicates": list(REACHING_PREDICATES), "pivot": pivot}
    return fetch(tx, REACHING, params)


class MappingRepository:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def reaching(self, ids: Collection[str], *, shared_cui: bool = True) -> set[tuple[str, str]]:
        """``(loaded concept curie, id)`` pairs: the concept is ``id`` or maps to it (see module doc).

        Args:
            shared_cui: also join concepts that name the same UMLS CUI; off, one mapping edge only.

        Raises:
            GraphError: the graph is unavailable or the query fails.
        """
        wanted = sorted(ids)
        pairs: set[tuple[str, str]] = set()
        for offset in range(0, len(wanted), BATCH):
            chunk = wanted[offset : offset + BATCH]
            rows = self.graph.read(partial(_reaching, ids=chunk, pivot=PIVOT_PREFIX if shared_cui else None))
            pairs.update((curie, row["id"]) for row in rows for curie in row["concepts"])
        return pairs
