"""Cypher of concept lookup. Values are parameters; the full-text index name comes from an allowlist
(``FULLTEXT_INDEXES_BY_LANG``) and is passed as a parameter to the procedure, never spliced."""

from __future__ import annotations

_HIT = """
RETURN c.curie AS curie, c.label AS label, c.source AS source, c.obsolete AS obsolete,
       t.text AS text, t.lang AS lang, t.type AS type
"""

_FILTER = """
($lang IS NULL OR t.lang = $lang) AND ($source IS NULL OR c.source = $source)
AND ($include_obsolete OR NOT coalesce(c.obsolete, false))
"""

LOOKUP_EXACT = f"""
MATCH (t:Term {{norm: $norm}})<-[:HAS_TERM]-(c:Concept)
WHERE {_FILTER}
WITH c, t LIMIT $cap
{_HIT}, 0 AS tier, 1.0 AS score
"""

LOOKUP_PREFIX = f"""
MATCH (t:Term)
WHERE t.norm STARTS WITH $norm AND t.norm <> $norm
WITH t LIMIT 5000
MATCH (t)<-[:HAS_TERM]-(c:Concept)
WHERE {_FILTER}
WITH c, t ORDER BY size(t.norm) ASC LIMIT $cap
{_HIT}, 1 AS tier, 1.0 / size(t.norm) AS score
"""


def _fulltext_hits(tier: int) -> str:
    """The full-text tier's subquery body over ``lucene`` (imported), its hits marked ``tier``."""
    return f"""
  UNWIND $indexes AS index
  CALL (index, lucene) {{
    CALL db.index.fulltext.queryNodes(index, lucene, {{limit: $cap * 4}}) YIELD node AS t, score
    MATCH (t)<-[:HAS_TERM]-(c:Concept)
    WHERE {_FILTER}
    WITH c, t, score LIMIT $cap
    RETURN c, t, score
  }}
  RETURN collect({{curie: c.curie, label: c.label, source: c.source, obsolete: c.obsolete, text: t.text,
                  lang: t.lang, type: t.type, tier: {tier:d}, score: score}}) AS hits
"""


# Every tier of a lookup in one statement (one round trip): exact, prefix, then full-text over each
# index of ``$indexes`` (empty when the text gives no Lucene query); ``rank_hits`` orders by tier.
# The full-text tier searches with fuzzy clauses (``$lucene_fuzzy``) only when the exact and prefix
# tiers found nothing: a query that is a term, or the start of one, is spelt right, and the fuzzy
# clauses are most of a lookup's time (15 of 20 ms at p95 on the shared set). When nothing at all
# was found, a last search requires none of the words (``$lucene_loose``, None for a single word):
# its hits are "partial" matches.
# One row holding the hits as maps (read with graph.driver.fetch_single: up to a few hundred hits,
# which the driver reads faster as one value than as that many rows).
# Tiers as rank_hits (graph.concept_repository) names them: 2 full-text, 3 partial (not every word).
LOOKUP_ALL_TIERS = f"""
CALL () {{
{LOOKUP_EXACT}
UNION ALL
{LOOKUP_PREFIX}
}}
WITH collect({{curie: curie, label: label, source: source, obsolete: obsolete, text: text, lang: lang,
              type: type, tier: tier, score: score}}) AS found
CALL (found) {{
  WITH CASE WHEN size(found) = 0 THEN $lucene_fuzzy ELSE $lucene END AS lucene
{_fulltext_hits(2)}}}
WITH found + hits AS found
CALL (found) {{
  WITH $lucene_loose AS lucene
  WHERE size(found) = 0 AND lucene IS NOT NULL
{_fulltext_hits(3)}}}
RETURN found + hits AS hits
"""

CONCEPT_DETAIL = """
MATCH (c:Concept {curie: $curie})
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_TERM]->(t:Term)
  RETURN collect(t {.text, .lang, .type, .source_type}) AS terms
}
CALL (c) {
  OPTIONAL MATCH (c)-[:IS_A]->(p:Concept)
  RETURN collect(p {.curie, .label, .source, .stub}) AS parents
}
CALL (c) {
  OPTIONAL MATCH (child:Concept)-[:IS_A]->(c)
  RETURN count(child) AS child_count
}
CALL (c) {
  OPTIONAL MATCH (c)-[r:PART_OF|HAS_PART|RELATED_TO]->(o:Concept)
  RETURN collect(CASE WHEN r IS NULL THEN null
                 ELSE {type: r.type, target: o {.curie, .label, .source, .stub}} END) AS relations
}
CALL (c) {
  OPTIONAL MATCH (c)-[m:MAPS_TO]-(o:Concept)
  RETURN collect(CASE WHEN m IS NULL THEN null ELSE {
    predicate: m.predicate, source: m.source, confidence: m.confidence, justification: m.justification,
    negated: m.negated, direction: CASE WHEN startNode(m) = c THEN 'out' ELSE 'in' END,
    target: o {.curie, .label, .source, .stub}} END) AS mappings
}
OPTIONAL MATCH (:Source {id: c.source})-[:HAS_RELEASE]->(r:Release {version: c.release})
RETURN c {.*} AS concept, terms, parents, child_count, relations, mappings,
       CASE WHEN r IS NULL THEN null
            ELSE r {.id, .source, .version, .name, .licence, .status,
                    loaded_at: toString(r.loaded_at)} END AS release
"""

CONCEPT_CHILDREN = """
MATCH (child:Concept)-[:IS_A]->(:Concept {curie: $curie})
RETURN child.curie AS curie, child.label AS label, child.source AS source, child.stub AS stub
ORDER BY child.label, child.curie
SKIP $offset LIMIT $limit
"""

SOURCES = """
MATCH (s:Source)
CALL (s) {
  OPTIONAL MATCH (s)-[:HAS_RELEASE]->(r:Release)
  WITH r ORDER BY r.created_at DESC
  RETURN collect(r {.id, .version, .status, .added, .changed, .obsoleted, .unchanged, .concept_count,
                    .term_count, .mapping_count, loaded_at: toString(r.loaded_at)}) AS releases
}
CALL (s) {
  OPTIONAL MATCH (c:Concept {source: s.id})
  RETURN count(c) AS concepts, count(CASE WHEN c.obsolete THEN 1 END) AS obsolete
}
RETURN s.id AS id, s.name AS name, s.licence AS licence, s.kind AS kind, s.current_release AS current_release,
       releases, concepts, obsolete
ORDER BY s.id
"""
