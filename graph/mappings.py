"""Which loaded concepts are, or map to, given ids (gold ids of evaluation corpora).

A loaded concept reaches a gold id when it is that concept, or is joined to it by a non-negated
``MAPS_TO`` edge of an exact-match or cross-reference predicate, in either direction. Stub concepts
(mapping targets only) and obsolete ones are not loaded concepts.
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

REACHING = """
UNWIND $ids AS id
MATCH (g:Concept {curie: id})
OPTIONAL MATCH (g)-[m:MAPS_TO]-(c:Concept)
WHERE m.predicate IN $predicates AND NOT coalesce(m.negated, false)
  AND NOT coalesce(c.stub, false) AND NOT coalesce(c.obsolete, false)
WITH id, g, collect(DISTINCT c.curie) AS linked
RETURN id, CASE WHEN coalesce(g.stub, false) OR coalesce(g.obsolete, false) THEN linked
                ELSE linked + [g.curie] END AS concepts
"""


def _reaching(tx: neo4j.ManagedTransaction, *, ids: list[str]) -> list[dict[str, Any]]:
    params = {"ids": ids, "predicates": list(REACHING_PREDICATES)}
    return fetch(tx, REACHING, params)


class MappingRepository:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def reaching(self, ids: Collection[str]) -> set[tuple[str, str]]:
        """``(loaded concept curie, id)`` pairs: the concept is ``id`` or maps to it (see module doc).

        Raises:
            GraphError: the graph is unavailable or the query fails.
        """
        wanted = sorted(ids)
        pairs: set[tuple[str, str]] = set()
        for offset in range(0, len(wanted), BATCH):
            chunk = wanted[offset : offset + BATCH]
            rows = self.graph.read(partial(_reaching, ids=chunk))
            pairs.update((curie, row["id"]) for row in rows for curie in row["concepts"])
        return pairs
