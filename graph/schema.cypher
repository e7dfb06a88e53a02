// healthsearch graph schema: every statement is idempotent (IF NOT EXISTS), applied in order by
// `healthsearch graph init` (also run before every load).
CREATE CONSTRAINT concept_curie IF NOT EXISTS FOR (c:Concept) REQUIRE c.curie IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT release_id IF NOT EXISTS FOR (r:Release) REQUIRE r.id IS UNIQUE;
CREATE INDEX concept_source IF NOT EXISTS FOR (c:Concept) ON (c.source);
CREATE INDEX concept_iri IF NOT EXISTS FOR (c:Concept) ON (c.iri);
// Replacing a mapping set's edges finds them by the source that loaded them.
CREATE INDEX maps_to_loaded_by IF NOT EXISTS FOR ()-[m:MAPS_TO]-() ON (m.loaded_by);
// Exact and prefix lookup of folded labels/synonyms ("diabete" finds "Diabète").
CREATE INDEX term_norm IF NOT EXISTS FOR (t:Term) ON (t.norm);
// Full-text: French and English terms in an index with their language's analyzer (lower case, elision,
// stemming; the French light stemmer also folds accents); terms in any other language in an
// accent/case-folding index. One Lucene document per term: a second, folding index over every term
// doubled the cost of writing terms (measured) for no lookup it alone could answer.
// Eventually consistent: Lucene updates leave the commit path (they halved term write throughput when
// synchronous); lookups wait for them only through db.awaitIndexes after a load.
CREATE FULLTEXT INDEX term_text_other IF NOT EXISTS FOR (t:TermOther) ON EACH [t.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: true}};
CREATE FULLTEXT INDEX term_text_fr IF NOT EXISTS FOR (t:TermFr) ON EACH [t.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'french', `fulltext.eventually_consistent`: true}};
CREATE FULLTEXT INDEX term_text_en IF NOT EXISTS FOR (t:TermEn) ON EACH [t.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'english', `fulltext.eventually_consistent`: true}};
// Documents and patients (graph/documents.py describes the model). Mentions need no key: they are
// only reached from their document.
CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE;
CREATE CONSTRAINT patient_id IF NOT EXISTS FOR (p:Patient) REQUIRE p.id IS UNIQUE;
CREATE INDEX document_source IF NOT EXISTS FOR (d:Document) ON (d.source);
CREATE INDEX document_date IF NOT EXISTS FOR (d:Document) ON (d.date);
CREATE INDEX document_type IF NOT EXISTS FOR (d:Document) ON (d.type);
// A document's patient as a property too: patient search groups mentions by it without walking each
// document's relationship chain to its HAS_DOCUMENT (300k db hits for 13k mentions at 100k documents).
CREATE INDEX document_patient IF NOT EXISTS FOR (d:Document) ON (d.patient_id);
// Search (graph/search_cypher.py). Document text and title in the index of the document's language
// (label set by the writer); synchronous, so that a document is searchable once its batch commits.
CREATE FULLTEXT INDEX document_text_fr IF NOT EXISTS FOR (d:TextFr) ON EACH [d.title, d.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'french'}};
CREATE FULLTEXT INDEX document_text_en IF NOT EXISTS FOR (d:TextEn) ON EACH [d.title, d.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}};
CREATE FULLTEXT INDEX document_text_other IF NOT EXISTS FOR (d:TextOther) ON EACH [d.title, d.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};
// Concept evidence as tokens: an expanded query becomes one weighted Lucene query whose BM25 brings
// specificity (IDF) and saturating counts; only affirmed and hypothetical mentions are indexed.
CREATE FULLTEXT INDEX document_concepts IF NOT EXISTS FOR (d:Document) ON EACH [d.concept_tokens, d.hypothesis_tokens]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}};
// English documents' vectors (nlp/embedding.py: bge-small-en-v1.5, 384 dimensions, unit length): the
// nearest ones join search's candidates. A vector of another size (an older model, before
// `documents reannotate`) is left out of the index, not refused.
CREATE VECTOR INDEX document_vector IF NOT EXISTS FOR (d:Document) ON d.vector
  OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}}
