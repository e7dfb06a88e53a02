"""Cypher of the ontology writer. Values are always parameters; labels and types are literals here."""

from __future__ import annotations

# One record holding a list per concept: the driver builds one record per row, slowly (a second for
# 40,000 rows), lists of values it builds fast.
EXISTING_CONCEPTS = """
MATCH (c:Concept {source: $source})
WHERE NOT coalesce(c.stub, false)
RETURN collect([c.curie, c.hash, coalesce(c.obsolete, false), c.release]) AS concepts
"""

# ``unfinished``: versions of the source whose load did not complete (interrupted, failed): the concepts
# such a load wrote may lack terms or edges (see WRITE_CONCEPTS).
RELEASE_STATE = """
OPTIONAL MATCH (r:Release {id: $release_id})
OPTIONAL MATCH (s:Source {id: $source})
CALL (s) {
  OPTIONAL MATCH (s)-[:HAS_RELEASE]->(other:Release)
  WHERE other.status <> 'complete'
  RETURN collect(other.version) AS unfinished
}
RETURN r.status AS status, r.content_hash AS content_hash, s.set_mappings_hash AS set_mappings_hash,
       unfinished
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
# not linger; first_release is carried over. A concept is written (with its hash and release) before
# any of its terms or edges change: until its release completes, the hash vouches for nothing, and the
# next load rewrites every concept whose ``release`` is unfinished (RELEASE_STATE).
WRITE_CONCEPTS = """
UNWIND $rows AS row
MERGE (c:Concept {curie: row.curie})
WITH c, row, c.first_release AS first_release
SET c = row.props
SET c.curie = row.curie, c.stub = false, c.release = $version,
    c.first_release = coalesce(first_release, $version), c.hash = row.hash
"""

# Concepts of a release that have no node yet (neither a stub nor another source's): created, not
# merged (a fifth less work for Neo4j, measured); the others go through WRITE_CONCEPTS.
PRESENT_CONCEPTS = """
UNWIND $curies AS curie
MATCH (c:Concept {curie: curie})
RETURN collect(curie) AS present
"""

CREATE_CONCEPTS = """
UNWIND $rows AS row
CREATE (c:Concept {curie: row.curie, stub: false, release: $version, first_release: $version,
                   hash: row.hash})
SET c += row.props
"""

TOUCH_CONCEPTS = """
UNWIND $curies AS curie
MATCH (c:Concept {curie: curie})
SET c.release = $version
"""

# What a changed concept holds from its source before a new release: its terms and the outgoing edges
# its source asserted (not a mapping set's edges, nor what other sources or documents link to it). The
# writer compares them with the new release's rows and deletes only those the release no longer has.
TERMS_OF_CONCEPTS = """
UNWIND $curies AS curie
MATCH (:Concept {curie: curie})-[:HAS_TERM]->(t:Term)
RETURN collect([curie, elementId(t), t.text, t.norm, t.lang, t.type, t.source_type]) AS terms
"""

EDGES_OF_CONCEPTS = """
UNWIND $curies AS curie
MATCH (:Concept {curie: curie})-[r:IS_A|PART_OF|HAS_PART|RELATED_TO|MAPS_TO]->(o:Concept)
WHERE coalesce(r.loaded_by, r.source) = $source AND NOT coalesce(r.set, false)
RETURN collect([curie, elementId(r), type(r), o.curie, r.type, r.predicate, r.source, r.negated,
                r.confidence, r.justification]) AS edges
"""

DELETE_TERMS = """
UNWIND $curies AS id
MATCH (t:Term) WHERE elementId(t) = id
DETACH DELETE t
"""

DELETE_EDGES = """
UNWIND $curies AS id
MATCH ()-[r]->() WHERE elementId(r) = id
DELETE r
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

_MAPPING_EDGE = """
CREATE (s)-[m:MAPS_TO {predicate: row.predicate, source: row.mapping_source, release: $version,
                       negated: row.negated, set: $set, loaded_by: $source}]->(o)
SET m.confidence = row.confidence, m.justification = row.justification
"""

# A mapping set's subjects may be anywhere (or nowhere yet); a release's own mappings start from one of
# its concepts, written by then.
CREATE_MAPPINGS = f"""
UNWIND $rows AS row
{_MAPPING_ENDS}
{_MAPPING_EDGE}"""

CREATE_OWN_MAPPINGS = f"""
UNWIND $rows AS row
MATCH (s:Concept {{curie: row.subject}})
MERGE (o:Concept {{curie: row.object}})
ON CREATE SET o.stub = true, o.iri = row.object_iri, o.source = row.object_source
{_MAPPING_EDGE}"""

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
