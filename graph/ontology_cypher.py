"""Cypher of the ontology writer. Values are always parameters; labels and types are literals here."""

from __future__ import annotations

EXISTING_CONCEPTS = """
MATCH (c:Concept {source: $source})
WHERE NOT coalesce(c.stub, false)
RETURN c.curie AS curie, c.hash AS hash, coalesce(c.obsolete, false) AS obsolete
"""

RELEASE_STATE = """
OPTIONAL MATCH (r:Release {id: $release_id})
OPTIONAL MATCH (s:Source {id: $source})
RETURN r.status AS status, r.content_hash AS content_hash, s.set_mappings_hash AS set_mappings_hash
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
# not linger; first_release is carried over. The hash is left unset until FINALIZE_CONCEPTS.
WRITE_CONCEPTS = """
UNWIND $rows AS row
MERGE (c:Concept {curie: row.curie})
WITH c, row, c.first_release AS first_release
SET c = row.props
SET c.curie = row.curie, c.stub = false, c.release = $version,
    c.first_release = coalesce(first_release, $version)
"""

TOUCH_CONCEPTS = """
UNWIND $curies AS curie
MATCH (c:Concept {curie: curie})
SET c.release = $version
"""

# A changed concept loses what its source asserted about it (terms, outgoing edges) before the new
# release writes them again; what other sources or documents link to it is untouched.
CLEAR_CONCEPTS = """
UNWIND $curies AS curie
MATCH (c:Concept {curie: curie})
CALL (c) {
  OPTIONAL MATCH (c)-[:HAS_TERM]->(t:Term)
  DETACH DELETE t
}
CALL (c) {
  OPTIONAL MATCH (c)-[r:IS_A|PART_OF|HAS_PART|RELATED_TO|MAPS_TO]->()
  WITH r WHERE coalesce(r.loaded_by, r.source) = $source AND NOT coalesce(r.set, false)
  DELETE r
}
"""

CREATE_TERMS = """
UNWIND $rows AS row
MATCH (c:Concept {curie: row.curie})
CREATE (c)-[:HAS_TERM]->(t:Term {text: row.text, norm: row.norm, lang: row.lang, type: row.type,
                                 source: $source, release: $version})
SET t.source_type = row.source_type
FOREACH (_ IN CASE WHEN row.stemmed_lang = 'fr' THEN [1] ELSE [] END | SET t:TermFr)
FOREACH (_ IN CASE WHEN row.stemmed_lang = 'en' THEN [1] ELSE [] END | SET t:TermEn)
FOREACH (_ IN CASE WHEN row.stemmed_lang IS NULL THEN [1] ELSE [] END | SET t:TermOther)
"""

CREATE_IS_A = """
UNWIND $rows AS row
MATCH (c:Concept {curie: row.child})
MERGE (p:Concept {curie: row.parent})
ON CREATE SET p.stub = true, p.iri = row.parent_iri, p.source = row.parent_source
CREATE (c)-[:IS_A {source: $source, release: $version}]->(p)
"""

# One statement per relationship type: types cannot be parameters, so they come from this table.
CREATE_RELATION = {
    rel_type: f"""
UNWIND $rows AS row
MATCH (c:Concept {{curie: row.subject}})
MERGE (o:Concept {{curie: row.object}})
ON CREATE SET o.stub = true, o.iri = row.object_iri, o.source = row.object_source
CREATE (c)-[:{rel_type} {{type: row.type, source: $source, release: $version}}]->(o)
"""
    for rel_type in ("PART_OF", "HAS_PART", "RELATED_TO")
}

_MAPPING_ENDS = """
MERGE (s:Concept {curie: row.subject})
ON CREATE SET s.stub = true, s.iri = row.subject_iri, s.source = row.subject_source
MERGE (o:Concept {curie: row.object})
ON CREATE SET o.stub = true, o.iri = row.object_iri, o.source = row.object_source
"""

CREATE_MAPPINGS = f"""
UNWIND $rows AS row
{_MAPPING_ENDS}
CREATE (s)-[m:MAPS_TO {{predicate: row.predicate, source: row.mapping_source, release: $version,
                       negated: row.negated, set: $set, loaded_by: $source}}]->(o)
SET m.confidence = row.confidence, m.justification = row.justification
"""

DELETE_SET_MAPPINGS = """
MATCH ()-[m:MAPS_TO {loaded_by: $source, set: true}]->()
WITH m LIMIT $batch
DELETE m
RETURN count(*) AS deleted
"""

MARK_OBSOLETE = """
UNWIND $curies AS curie
MATCH (c:Concept {curie: curie, source: $source})
SET c.obsolete = true, c.obsoleted_in = $version
"""

# Last: a concept whose hash is stored has all its terms and edges written.
FINALIZE_CONCEPTS = """
UNWIND $rows AS row
MATCH (c:Concept {curie: row.curie})
SET c.hash = row.hash
"""

FINISH_RELEASE = """
MATCH (s:Source {id: $source})-[:HAS_RELEASE]->(r:Release {id: $release_id})
SET r += $stats, r.status = 'complete', r.loaded_at = datetime()
SET s.current_release = $version, s.set_mappings_hash = $set_mappings_hash
"""

FAIL_RELEASE = """
MATCH (r:Release {id: $release_id})
SET r.status = 'failed', r.error = $error
"""

AWAIT_FULLTEXT = "CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()"
