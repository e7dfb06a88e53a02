"""Cypher of search: candidate retrieval from the full-text indexes, evidence, snippets, patients.

Index names are literals chosen from ``TEXT_INDEXES`` by ``graph.search_repository``; every value is a
parameter. The filter clause is shared: each filter is off when its parameter is null.

Queries read on every search return one row holding a list (``collect``) rather than a row per
document: the driver then reads one message instead of hundreds, and ``graph.driver.fetch_single``
leaves the values as decoded (measured: 37 → 22 ms for the 400 candidates of a one-concept search at
100k documents, same rows).
"""

from __future__ import annotations

# The document text indexes of graph/schema.cypher, by the language label they cover.
TEXT_INDEX_BY_LANG = {"fr": "document_text_fr", "en": "document_text_en"}
OTHER_TEXT_INDEX = "document_text_other"
TEXT_INDEXES = (*TEXT_INDEX_BY_LANG.values(), OTHER_TEXT_INDEX)
CONCEPT_INDEX = "document_concepts"
VECTOR_INDEX = "document_vector"

# Dates are ISO strings as given: ``before`` is the day after the window's end, so that a date-time
# on the last day ("2024-03-01T10:00" <= "2024-03-01" is false) stays inside.
_FILTERS = """
  ($types IS NULL OR d.type IN $types)
  AND ($langs IS NULL OR d.lang IN $langs)
  AND ($sources IS NULL OR d.source IN $sources)
  AND ($date_from IS NULL OR d.date >= $date_from)
  AND ($date_before IS NULL OR d.date < $date_before)
  AND ($patients IS NULL OR d.patient_id IN $patients)
"""

# Lucene returns hits best first; the filter runs before LIMIT, so a filter never empties the top k.
# ``[id, score]`` pairs, best first.
FULLTEXT_HITS = f"""
CALL db.index.fulltext.queryNodes($index, $query) YIELD node AS d, score
WHERE {_FILTERS}
WITH d, score
LIMIT $limit
RETURN collect([d.id, score]) AS hits
"""

# The same words in every language's text index, in one round trip: each index gives its own top k.
TEXT_HITS = f"""
UNWIND $indexes AS index
CALL (index) {{
  CALL db.index.fulltext.queryNodes(index, $query) YIELD node AS d, score
  WHERE {_FILTERS}
  RETURN d.id AS id, score
  LIMIT $limit
}}
RETURN collect([id, score]) AS hits
"""

# The documents whose vectors are nearest the query's (approximate: the index is an HNSW graph). The
# index knows no filter: it is asked for ``$nearest`` (more than ``$limit`` when filters are set) and
# the filter applies to those. ``[id, cosine]`` pairs, best first (Neo4j's score is (1 + cosine) / 2).
SIMILAR_HITS = f"""
CALL db.index.vector.queryNodes($index, $nearest, $vector) YIELD node AS d, score
WHERE {_FILTERS}
WITH d, score
LIMIT $limit
RETURN collect([d.id, 2 * score - 1]) AS hits
"""

# Documents with a given qualifier on a concept (family history, negation): not in the concept index,
# so found through the MENTIONS aggregates. Most frequent first.
QUALIFIED_HITS = f"""
UNWIND $curies AS curie
MATCH (:Concept {{curie: curie}})<-[r:MENTIONS]-(d:Document)
WHERE (($family AND r.family > 0) OR ($negated AND r.negated > 0)) AND {_FILTERS}
WITH d, sum(r.count) AS mentions
WITH d.id AS id, toFloat(mentions) AS score
ORDER BY score DESC, id
LIMIT $limit
RETURN collect([id, score]) AS hits
"""

# Each candidate's type and language (for facets), its aggregates for the concepts of the query
# (expanded ones included) and the similarity of its vector to the query's (null when either has
# none): ``[id, type, lang, evidence, cosine]`` per document, as lists (maps cost more to decode).
# Neo4j's cosine is rescaled to [0, 1], as (1 + cosine) / 2: turned back into the cosine here, as
# SIMILAR_HITS does.
CANDIDATES = """
OPTIONAL MATCH (wanted:Concept) WHERE wanted.curie IN $curies
WITH collect(wanted) AS wanted
UNWIND $ids AS id
MATCH (d:Document {id: id})
CALL (d, wanted) {
  // Node identity, not a property read per relationship: documents have tens of MENTIONS.
  OPTIONAL MATCH (d)-[r:MENTIONS]->(c:Concept)
  WHERE c IN wanted
  RETURN collect(CASE WHEN r IS NULL THEN null ELSE [
    c.curie, r.count, r.affirmed, r.negated, r.hypothetical, r.family, r.historical] END) AS evidence
}
// The vector read once (each read of the 1 KiB array costs: 18.5 → 15.2 ms for 600 candidates),
// and only when the query has one; the size check keeps a store whose vectors differ from the query's
// (an upgrade half done) answering.
WITH d, evidence, CASE WHEN $vector IS NULL THEN null ELSE d.vector END AS stored
RETURN collect([d.id, d.type, d.lang, evidence,
  CASE WHEN size(stored) = size($vector) THEN 2 * vector.similarity.cosine(stored, $vector) - 1 END])
  AS candidates
"""

# In how many documents each concept is mentioned (any qualifier): a degree, read from the count store
# rather than by visiting relationships.
DOCUMENT_FREQUENCIES = """
UNWIND $curies AS curie
MATCH (c:Concept {curie: curie})
RETURN collect([curie, COUNT { (c)<-[:MENTIONS]-() }]) AS frequencies
"""

DOCUMENT_COUNT = "MATCH (d:Document) RETURN count(d) AS n"

# Title and text of the top documents of a query, for pseudo-relevance feedback (search/feedback.py).
DOCUMENT_TEXTS = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
RETURN d.id AS id, coalesce(d.title + '\n', '') + coalesce(d.text, '') AS text
"""

# The documents of one result page: the fields shown and, when snippets are wanted ($text), the text
# and the mentions of the given concepts. One round trip per page.
PAGE_DOCUMENTS = """
UNWIND $ids AS id
MATCH (d:Document {id: id})
OPTIONAL MATCH (p:Patient)-[:HAS_DOCUMENT]->(d)
CALL (d) {
  OPTIONAL MATCH (d)-[:HAS_MENTION]->(m:Mention)-[:REFERS_TO {rank: 0}]->(c:Concept)
  WHERE $text AND c.curie IN $curies
  RETURN collect(CASE WHEN m IS NULL THEN null ELSE m {
    .start, .end, .negated, .hypothetical, .family, .historical, .section, .sentence_start,
    .sentence_end, curie: c.curie} END) AS mentions
}
RETURN collect({id: d.id, date: d.date, source: d.source, title: d.title, patient_id: p.id,
                text: CASE WHEN $text THEN d.text END, mentions: mentions}) AS documents
"""

# Patients ranked over their documents under the filters, in one query: only the total and the page
# come back (a broad criterion matches thousands of patients). Each criterion is a map {index, factors:
# {curie: expansion weight * capped idf}, affirmed, hypothetical, family, negated, hypothetical_weight}.
# This is search/scoring.py's formula, per patient rather than per document: the evidence of a concept
# is ``evidence_count`` summed over the patient's documents; a criterion scores its best concept,
# ``factor * saturate(evidence)``; the patient scores the sum over criteria, and needs every index of
# $required. search/patients.py re-scores the page in Python (tests compare both).
PATIENT_RANKING = f"""
UNWIND $criteria AS criterion
UNWIND keys(criterion.factors) AS curie
MATCH (:Concept {{curie: curie}})<-[r:MENTIONS]-(d:Document)
WHERE d.patient_id IS NOT NULL AND {_FILTERS}
WITH criterion, curie, d.patient_id AS patient,
     sum(CASE WHEN criterion.affirmed THEN r.affirmed ELSE 0 END
         + CASE WHEN criterion.hypothetical
             THEN criterion.hypothetical_weight
                  * CASE WHEN r.hypothetical > r.family + r.negated
                      THEN r.hypothetical - r.family - r.negated ELSE 0 END
             ELSE 0 END
         + CASE WHEN criterion.family THEN r.family ELSE 0 END
         + CASE WHEN criterion.negated THEN r.negated ELSE 0 END) AS evidence
WHERE evidence > 0
WITH criterion, patient,
     max(criterion.factors[curie] * evidence * ($k1 + 1) / (evidence + $k1)) AS best
WITH patient, sum(best) AS score, collect(criterion.index) AS found
WHERE all(index IN $required WHERE index IN found) AND NOT patient IN $excluded
WITH patient, score
ORDER BY score DESC, patient
WITH collect([patient, score]) AS ranked
RETURN size(ranked) AS total, ranked[$offset..$offset + $size] AS page
"""

# The aggregates of the given concepts in the documents of the given patients (a result page), under
# the same filters, for explanations.
PATIENTS_EVIDENCE = f"""
UNWIND $page AS patient
MATCH (d:Document {{patient_id: patient}})
WHERE {_FILTERS}
MATCH (d)-[r:MENTIONS]->(c:Concept)
WHERE c.curie IN $curies
RETURN collect({{patient_id: patient, id: d.id, curie: c.curie, date: d.date, count: r.count,
                 affirmed: r.affirmed, negated: r.negated, hypothetical: r.hypothetical,
                 family: r.family}}) AS evidence
"""

# Patients with an affirmed mention of any of the concepts in any document (no filter: exclusion is
# about the patient, whatever the window).
PATIENTS_WITH_AFFIRMED = """
UNWIND $curies AS curie
MATCH (:Concept {curie: curie})<-[r:MENTIONS]-(d:Document)
WHERE r.affirmed > 0 AND d.patient_id IS NOT NULL AND ($patients IS NULL OR d.patient_id IN $patients)
RETURN collect(DISTINCT d.patient_id) AS patients
"""
