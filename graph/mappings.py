"""Which loaded concepts are, or map to, given ids (gold ids of evaluation corpora).

A loaded concept reaches a gold id when it is that concept, or is joined to it by a non-negated
``MAPS_TO`` edge of an exact-match or cross-reference predicate, in either direction (a *direct*
reacher). Two shared identifiers also join a concept to a direct reacher, one step, never chained:

- **a UMLS CUI**: both cross-reference (or exactly match) the same ``UMLS:`` stub. A CUI is UMLS's
  identity of one concept across every vocabulary it integrates, so two concepts naming the same CUI
  name the same thing; HPO's "Neoplasm" and DOID's "cancer" both name C0006826, and only DOID's
  cross-references MeSH. No other stub joins concepts this way: HPO hangs one NCIT id on dozens of
  different phenotypes, while no UMLS stub of the shared set is named by more than seven concepts.
- **an ICD-10 code**: the direct reacher cross-references ``ICD10CM:X`` and every other loaded concept
  that does is one of its IS_A descendants (DOID's Parkinson's disease and its subtypes all carry
  G20); then the loaded ICD-10 concepts of the same code (``CIM10:X``, ``ICD10:X``) reach the gold id.
  WHO ICD-10, its French edition CIM-10 and the US ICD-10-CM share their codes. A code is a class:
  it names the concept its other namers descend from, and nothing when unrelated concepts share it.

Stub concepts (mapping targets only) and obsolete ones are not loaded concepts.
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

# The stubs each direct reacher names are read once: a CUI joins every concept naming it; a code joins
# the ICD-10 concepts of that code when the reacher is, or is an IS_A ancestor of, every concept naming it.
REACHING = """
UNWIND $ids AS id
MATCH (g:Concept {curie: id})
OPTIONAL MATCH (g)-[m:MAPS_TO]-(c:Concept)
WHERE m.predicate IN $predicates AND NOT coalesce(m.negated, false)
  AND NOT coalesce(c.stub, false) AND NOT coalesce(c.obsolete, false)
WITH id, g, collect(DISTINCT c) AS linked
WITH id, CASE WHEN coalesce(g.stub, false) OR coalesce(g.obsolete, false) THEN linked
              ELSE linked + [g] END AS direct
CALL (direct) {
  UNWIND direct AS d
  MATCH (d)-[x:MAPS_TO]-(u:Concept)
  WHERE $shared AND coalesce(u.stub, false) AND (u.curie STARTS WITH $cui OR u.curie STARTS WITH $code)
    AND x.predicate IN $predicates AND NOT coalesce(x.negated, false)
  WITH DISTINCT d, u
  MATCH (u)-[y:MAPS_TO]-(o:Concept)
  WHERE y.predicate IN $predicates AND NOT coalesce(y.negated, false)
    AND NOT coalesce(o.stub, false) AND NOT coalesce(o.obsolete, false)
  WITH d, u, collect(DISTINCT o) AS namers
  WITH CASE
    WHEN u.curie STARTS WITH $cui THEN namers
    WHEN all(o IN namers WHERE o = d OR EXISTS { (o)-[:IS_A*]->(d) }) THEN COLLECT {
      MATCH (e:Concept)
      WHERE e.curie IN [system IN $code_systems | system + substring(u.curie, size($code))]
        AND NOT coalesce(e.stub, false) AND NOT coalesce(e.obsolete, false)
      RETURN e
    }
    ELSE [] END AS joined
  UNWIND joined AS e
  RETURN collect(DISTINCT e) AS shared
}
WITH id, direct + shared AS reaching
UNWIND reaching AS c
RETURN id, collect(DISTINCT c.curie) AS concepts
"""
# The shared identifiers (see module doc): UMLS CUIs, and ICD-10-CM codes with the prefixes of the
# loaded ICD-10 editions whose concepts carry the same code.
CUI_PREFIX = "UMLS:"
CODE_PREFIX = "ICD10CM:"
CODE_SYSTEMS = ("CIM10:", "ICD10:")


def _reaching(tx: neo4j.ManagedTransaction, *, ids: list[str], shared: bool) -> list[dict[str, Any]]:
    params = {
        "ids": ids,
        "predicates": list(REACHING_PREDICATES),
        "shared": shared,
        "cui": CUI_PREFIX,
        "code": CODE_PREFIX,
        "code_systems": list(CODE_SYSTEMS),
    }
    return fetch(tx, REACHING, params)


class MappingRepository:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def reaching(self, ids: Collection[str], *, shared_ids: bool = True) -> set[tuple[str, str]]:
        """``(loaded concept curie, id)`` pairs: the concept is ``id`` or maps to it (see module doc).

        Args:
            shared_ids: also join concepts through a shared UMLS CUI or ICD-10 code; off, one
                mapping edge only.

        Raises:
            GraphError: the graph is unavailable or the query fails.
        """
        wanted = sorted(ids)
        pairs: set[tuple[str, str]] = set()
        for offset in range(0, len(wanted), BATCH):
            chunk = wanted[offset : offset + BATCH]
            rows = self.graph.read(partial(_reaching, ids=chunk, shared=shared_ids))
            pairs.update((curie, row["id"]) for row in rows for curie in row["concepts"])
        return pairs
