"""Cypher of the ontology writer. Values are always parameters; labels and types are literals here."""

from __future__ import annotations

EXISTING_CONCEPTS = """
MATCH (c:Concept {source: $source})
WHERE NOT coalesce(c.stub, false)
RETURN c.curie AS curie, c.hash AS hash, coalesce(c.obsolete, false) AS obsolete
"""

RELEASE_STATE = """
OPTIONAL MATCH (r:Release {id: $release_id})
RETURN r.status AS status, r.content_hash AS content_hash
"""

BEGIN_RELEASE = """
MERGE (s:Source {id: $source})
SET s += $source_props
MERGE (r:Release {id: $release_id})
ON CREATE SET r.created_at = datetime()
SET r += $release_props, r.status = 'loading', r.started_at = datetime()
MERGE (s)-[:HAS_RELEASE]->(r)
"""

# Properties are replaced whole (not merged) so that a label or definition a new release drops does
# not linger; first_release is carried over.
WRITE_CONCEPTS = """
UNWIND $rows AS row
MERGE (c:Concept {curie: row.curie})
WITH c, row, c.first_release AS first_release
SET c = row.props
SET c.curie = row.curie, c.stub = false, c.release = $version, c.load = $load,
    c.first_release = coalesce(first_release, $version)
"""

WRITE_TERMS = """
UNWIND $rows AS row
MATCH (c:Concept {curie: row.curie})
MERGE (t:Term {key: row.key})
SET t.text = row.text, t.norm = row.norm, t.lang = row.lang, t.type = row.type,
    t.source_type = row.source_type, t.source = $source, t.release = $version, t.load = $load
MERGE (c)-[:HAS_TERM]->(t)
FOREACH (_ IN CASE WHEN row.stemmed_lang = 'fr' THEN [1] ELSE [] END | SET t:TermFr)
FOREACH (_ IN CASE WHEN row.stemmed_lang = 'en' THEN [1] ELSE [] END | SET t:TermEn)
"""

WRITE_IS_A = """
UNWIND $rows AS row
MATCH (c:Concept {curie: row.child})
MERGE (p:Concept {curie: row.parent})
ON CREATE SET p.stub = true, p.iri = row.parent_iri, p.source = row.parent_source
MERGE (c)-[r:IS_A]->(p)
SET r.source = $source, r.release = $version, r.load = $load
"""

# One statement per relationship type: types cannot be parameters, so they come from this table.
WRITE_RELATION = {
    rel_type: f"""
UNWIND $rows AS row
MATCH (c:Concept {{curie: row.subject}})
MERGE (o:Concept {{curie: row.object}})
ON CREATE SET o.stub = true, o.iri = row.object_iri, o.source = row.object_source
MERGE (c)-[r:{rel_type} {{type: row.type}}]->(o)
SET r.source = $source, r.release = $version, r.load = $load
"""
    for rel_type in ("PART_OF", "HAS_PART", "RELATED_TO")
}

WRITE_MAPPINGS = """
UNWIND $rows AS row
MERGE (s:Concept {curie: row.subject})
ON CREATE SET s.stub = true, s.iri = row.subject_iri, s.source = row.subject_source
MERGE (o:Concept {curie: row.object})
ON CREATE SET o.stub = true, o.iri = row.object_iri, o.source = row.object_source
MERGE (s)-[m:MAPS_TO {predicate: row.predicate, source: row.mapping_source}]->(o)
SET m.confidence = row.confidence, m.justification = row.justification, m.negated = row.negated,
    m.release = $version, m.load = $load
"""

# Stale parts of an earlier release of the same source, for concepts in the new release only: concepts
# the new release obsoletes keep their last terms and edges, so that lookups (and documents linked to
# them) still reach them. A mapping set's edges (subjects from other sources) are replaced whole.
DELETE_STALE_TERMS = """
MATCH (c:Concept {source: $source, load: $load})-[:HAS_TERM]->(t:Term)
WHERE t.load <> $load
WITH t LIMIT $batch
DETACH DELETE t
RETURN count(*) AS deleted
"""

DELETE_STALE_EDGES = {
    rel_type: f"""
MATCH (a:Concept)-[r:{rel_type}]->(:Concept)
WHERE r.source = $source AND r.load <> $load AND (a.source <> $source OR a.load = $load)
WITH r LIMIT $batch
DELETE r
RETURN count(*) AS deleted
"""
    for rel_type in ("IS_A", "PART_OF", "HAS_PART", "RELATED_TO", "MAPS_TO")
}

MARK_OBSOLETE = """
UNWIND $curies AS curie
MATCH (c:Concept {curie: curie, source: $source})
SET c.obsolete = true, c.obsoleted_in = $version
"""

FINISH_RELEASE = """
MATCH (s:Source {id: $source})-[:HAS_RELEASE]->(r:Release {id: $release_id})
SET r += $stats, r.status = 'complete', r.loaded_at = datetime()
SET s.current_release = $version
"""

FAIL_RELEASE = """
MATCH (r:Release {id: $release_id})
SET r.status = 'failed', r.error = $error
"""
