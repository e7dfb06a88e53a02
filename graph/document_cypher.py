"""Cypher of documents and mentions. Values are always parameters; labels and types are literals here.

The writer's statements run together in one transaction per batch (see ``DocumentWriter``), so a
document is replaced whole or not at all.
"""

from __future__ import annotations

# The stored version of each document of a batch: its hash and its mentions' signatures, as one row
# holding a list (read with graph.driver.fetch_single: thousands of mention maps per batch).
EXISTING_DOCUMENTS = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
CALL (d) {
  OPTIONAL MATCH (d)-[:HAS_MENTION]->(m:Mention)
  OPTIONAL MATCH (m)-[:REFERS_TO {rank: 0}]->(c:Concept)
  RETURN collect(CASE WHEN m IS NULL THEN null ELSE {
    start: m.start, end: m.end, curie: c.curie, negated: m.negated, hypothetical: m.hypothetical,
    family: m.family, historical: m.historical} END) AS mentions
}
RETURN collect({id: d.id, hash: d.hash, mentions: mentions}) AS documents
"""

# A changed document loses its mentions, aggregates and patient link before the new version is
# written; a patient left without documents goes too.
DELETE_CONTENT = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
CALL (d) {
  OPTIONAL MATCH (d)-[:HAS_MENTION]->(m:Mention)
  DETACH DELETE m
}
CALL (d) {
  OPTIONAL MATCH (d)-[r:MENTIONS]->(:Concept)
  DELETE r
}
CALL (d) {
  OPTIONAL MATCH (p:Patient)-[h:HAS_DOCUMENT]->(d)
  DELETE h
  WITH p WHERE p IS NOT NULL AND NOT (p)--()
  DELETE p
}
"""

# Properties are replaced whole, so that a field the new version drops does not linger; so is the
# language label (a literal from graph.documents.TEXT_LABELS, chosen by value, never interpolated).
# The vector is stored through Neo4j's procedure, as 32-bit floats: half the bytes of a list property.
WRITE_DOCUMENTS = """
UNWIND $rows AS row
MERGE (d:Document {id: row.id})
SET d = row.props
REMOVE d:TextFr:TextEn:TextOther
FOREACH (ignored IN CASE WHEN row.text_label = 'TextFr' THEN [1] ELSE [] END | SET d:TextFr)
FOREACH (ignored IN CASE WHEN row.text_label = 'TextEn' THEN [1] ELSE [] END | SET d:TextEn)
FOREACH (ignored IN CASE WHEN row.text_label = 'TextOther' THEN [1] ELSE [] END | SET d:TextOther)
FOREACH (pid IN CASE WHEN row.patient_id IS NULL THEN [] ELSE [row.patient_id] END |
  MERGE (p:Patient {id: pid})
  MERGE (p)-[:HAS_DOCUMENT]->(d)
)
WITH d, row WHERE row.vector IS NOT NULL
CALL db.create.setNodeVectorProperty(d, 'vector', row.vector)
"""

WRITE_MENTIONS = """
UNWIND $rows AS row
MATCH (d:Document {id: row.doc})
CREATE (d)-[:HAS_MENTION]->(m:Mention)
SET m = row.props
WITH m, row
UNWIND row.candidates AS candidate
MERGE (c:Concept {curie: candidate.curie})
ON CREATE SET c.stub = true, c.iri = candidate.iri, c.source = candidate.source
CREATE (m)-[:REFERS_TO {score: candidate.score, rank: candidate.rank}]->(c)
"""

WRITE_AGGREGATES = """
UNWIND $rows AS row
MATCH (d:Document {id: row.doc})
MERGE (c:Concept {curie: row.curie})
ON CREATE SET c.stub = true, c.iri = row.iri, c.source = row.source
CREATE (d)-[r:MENTIONS]->(c)
SET r = row.props
"""

_LABEL = "CASE WHEN d.lang IS NULL THEN c.label ELSE coalesce(c['label_' + d.lang], c.label) END"

DOCUMENT_DETAIL = f"""
MATCH (d:Document {{id: $id}})
OPTIONAL MATCH (p:Patient)-[:HAS_DOCUMENT]->(d)
CALL (d) {{
  OPTIONAL MATCH (d)-[:HAS_MENTION]->(m:Mention)
  CALL (d, m) {{
    OPTIONAL MATCH (m)-[r:REFERS_TO]->(c:Concept)
    WITH r, c ORDER BY r.rank
    RETURN collect(CASE WHEN r IS NULL THEN null ELSE {{
      curie: c.curie, score: r.score, rank: r.rank, label: {_LABEL}, stub: coalesce(c.stub, false)
    }} END) AS candidates
  }}
  WITH m, candidates ORDER BY m.start, m.end
  RETURN collect(CASE WHEN m IS NULL THEN null ELSE m {{.*, candidates: candidates}} END) AS mentions
}}
CALL (d) {{
  OPTIONAL MATCH (d)-[a:MENTIONS]->(c:Concept)
  WITH d, a, c ORDER BY a.count DESC, c.curie
  RETURN collect(CASE WHEN a IS NULL THEN null ELSE a {{.*, curie: c.curie, label: {_LABEL}}} END)
         AS concepts
}}
RETURN d {{.*, vector: null}} AS document, p.id AS patient_id, mentions, concepts
"""

HASHES = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d.id AS id, d.hash AS hash
"""

# How many documents a reannotation will read: the total of its progress bar.
COUNT = """
MATCH (d:Document)
WHERE $source IS NULL OR d.source = $source
RETURN count(d) AS count
"""

# Keyset pagination over the unique id index: stable while documents are being rewritten.
PAGE_IDS = """
MATCH (d:Document)
WHERE d.id > $after AND ($source IS NULL OR d.source = $source)
RETURN d.id AS id
ORDER BY d.id
LIMIT $page
"""
