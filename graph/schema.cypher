// healthsearch graph schema: every statement is idempotent (IF NOT EXISTS), applied in order by
// `healthsearch graph init` (also run before every load).
CREATE CONSTRAINT concept_curie IF NOT EXISTS FOR (c:Concept) REQUIRE c.curie IS UNIQUE;
CREATE CONSTRAINT term_key IF NOT EXISTS FOR (t:Term) REQUIRE t.key IS UNIQUE;
CREATE CONSTRAINT source_id IF NOT EXISTS FOR (s:Source) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT release_id IF NOT EXISTS FOR (r:Release) REQUIRE r.id IS UNIQUE;
CREATE INDEX concept_source IF NOT EXISTS FOR (c:Concept) ON (c.source);
CREATE INDEX concept_iri IF NOT EXISTS FOR (c:Concept) ON (c.iri);
// Exact and prefix lookup of folded labels/synonyms ("diabete" finds "Diabète").
CREATE INDEX term_source IF NOT EXISTS FOR (t:Term) ON (t.source);
CREATE INDEX term_norm IF NOT EXISTS FOR (t:Term) ON (t.norm);
CREATE TEXT INDEX term_norm_text IF NOT EXISTS FOR (t:Term) ON (t.norm);
// Full-text: one accent/case-folding index over every language, and one per language with its stemmer.
CREATE FULLTEXT INDEX term_text_folding IF NOT EXISTS FOR (t:Term) ON EACH [t.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}};
CREATE FULLTEXT INDEX term_text_fr IF NOT EXISTS FOR (t:TermFr) ON EACH [t.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'french'}};
CREATE FULLTEXT INDEX term_text_en IF NOT EXISTS FOR (t:TermEn) ON EACH [t.text]
  OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}}
