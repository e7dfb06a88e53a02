"""Concept lookup ranking against the real Neo4j: exact first, then prefix, then full-text."""

from __future__ import annotations

import pytest

from graph.concept_repository import ConceptRepository
from graph.driver import Graph
from graph.ontology_writer import OntologyWriter
from ontologies.model import Concept, Label, OntologyRelease, Release, Synonym, SynonymType


def _concept(
    curie: str, labels: dict[str, str], synonyms: tuple[Synonym, ...] = (), source: str = "tst"
) -> Concept:
    return Concept(
        curie=curie,
        iri=f"http://example.org/{curie}",
        source=source,
        labels=tuple(Label(text, lang) for lang, text in labels.items()),
        synonyms=synonyms,
    )


CONCEPTS = (
    _concept("TST:1", {"fr": "Diabète", "en": "Diabetes"}),
    _concept(
        "TST:2",
        {"fr": "Diabète de type 2", "en": "Type 2 diabetes mellitus"},
        (Synonym("DT2", "fr", SynonymType.ABBREVIATION), Synonym("diabète non insulinodépendant", "fr")),
    ),
    _concept("TST:3", {"fr": "Diabète insipide", "en": "Diabetes insipidus"}),
    _concept(
        "TST:4",
        {"fr": "Insuffisance cardiaque", "en": "Heart failure"},
        (Synonym("IC", "fr", SynonymType.ABBREVIATION), Synonym("cardiac failure", "en")),
    ),
    _concept("TST:5", {"en": "Pre-diabetes"}, (Synonym("diabetes", "en", SynonymType.RELATED),)),
    _concept("TST:6", {"fr": "Épanchement de l'articulation", "en": "Carcinoma in situ of vulva"}),
    _concept("TST:7", {"en": "Vertigo"}),
    _concept("TST:8", {"en": "Vertiga"}),  # one edit from "vertigo": reached only by a fuzzy clause
    _concept("OTH:1", {"en": "Diabetes"}, source="oth"),
)


@pytest.fixture
def repo(graph: Graph) -> ConceptRepository:
    OntologyWriter(graph).load(
        OntologyRelease(release=Release(source="tst", version="1"), concepts=CONCEPTS[:-1])
    )
    OntologyWriter(graph).load(
        OntologyRelease(release=Release(source="oth", version="1"), concepts=CONCEPTS[-1:])
    )
    return ConceptRepository(graph)


@pytest.mark.parametrize("query", ["diabete", "DIABÈTE", "Diabète", "  diabète  ", "diabète."])
def test_accents_case_and_punctuation_do_not_matter(repo: ConceptRepository, query: str) -> None:
    hits = repo.search(query, lang="fr")
    assert hits[0].curie == "TST:1"
    assert hits[0].match == "exact"
    assert hits[0].matched.text == "Diabète"


def test_exact_label_ranks_before_prefix_and_fulltext(repo: ConceptRepository) -> None:
    hits = repo.search("diabète", lang="fr")
    assert [hit.match for hit in hits][:1] == ["exact"]
    assert {hit.curie for hit in hits[1:3]} == {"TST:2", "TST:3"}
    assert all(hit.match == "prefix" for hit in hits[1:3])


def test_preferred_label_beats_a_related_synonym_with_the_same_text(repo: ConceptRepository) -> None:
    hits = repo.search("diabetes", lang="en", source="tst")
    assert [(hit.curie, hit.matched.type) for hit in hits[:2]] == [("TST:1", "label"), ("TST:5", "related")]


def test_each_hit_says_which_term_matched(repo: ConceptRepository) -> None:
    (hit,) = repo.search("DT2", limit=1)
    assert (hit.curie, hit.matched.text, hit.matched.lang, hit.matched.type) == (
        "TST:2",
        "DT2",
        "fr",
        "abbreviation",
    )
    assert hit.label == "Type 2 diabetes mellitus"


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("heart failure", "en", "TST:4"),
        ("insuffisance cardiaque", "fr", "TST:4"),
        ("cardiac failure", None, "TST:4"),
        ("IC", "fr", "TST:4"),
        ("diabete type 2", "fr", "TST:2"),  # no exact or prefix match: full-text over tokens
        ("diabetis insipidus", "en", "TST:3"),  # fuzzy
        ("insuffisances cardiaques", "fr", "TST:4"),  # French stemming / plural
        # Misspelt or inflected, with stop words and an elision the index leaves out: not required.
        ("carcinoma in situ of vulvar", "en", "TST:6"),
        ("epanchements de l'articulation", "fr", "TST:6"),
    ],
)
def test_french_and_english_lookup(
    repo: ConceptRepository, query: str, lang: str | None, expected: str
) -> None:
    assert repo.search(query, lang=lang)[0].curie == expected


def test_fuzzy_clauses_only_when_no_term_is_or_starts_with_the_query(repo: ConceptRepository) -> None:
    # "vertigo" is a term: spelt right, so its one-edit neighbour is no hit (and costs no fuzzy search).
    assert [hit.curie for hit in repo.search("vertigo", lang="en")] == ["TST:7"]
    # "vertigi" is no term and starts none: both terms one edit away are found by the fuzzy clauses.
    hits = repo.search("vertigi", lang="en")
    assert {hit.curie for hit in hits} == {"TST:7", "TST:8"}
    assert {hit.match for hit in hits} == {"fulltext"}


def test_a_word_nothing_matches_leaves_the_others_to_find_partial_hits(repo: ConceptRepository) -> None:
    # "qwertz" is no word of any term, even fuzzily: no term has every word, so the terms with the
    # others come back, marked partial.
    hits = repo.search("carcinoma qwertz situ", lang="en")
    assert [(hit.curie, hit.match) for hit in hits] == [("TST:6", "partial")]
    # A query some term matches in full gets no partial hit; a single unknown word gets nothing.
    assert {hit.match for hit in repo.search("diabete type 2", lang="fr")} == {"fulltext"}
    assert repo.search("qwertz", lang="en") == []


def test_language_filter_applies_to_the_matched_term(repo: ConceptRepository) -> None:
    assert repo.search("insuffisance cardiaque", lang="en") == []
    hits = repo.search("diabetes", lang="en")
    assert hits and {hit.matched.lang for hit in hits} == {"en"}


def test_source_filter(repo: ConceptRepository) -> None:
    hits = repo.search("diabetes", source="oth")
    assert [hit.curie for hit in hits] == ["OTH:1"]


def test_limit_and_one_hit_per_concept(repo: ConceptRepository) -> None:
    hits = repo.search("diab", limit=2)
    assert len(hits) == 2
    assert len({hit.curie for hit in repo.search("diab", limit=20)}) == len(repo.search("diab", limit=20))


def test_nothing_to_look_up(repo: ConceptRepository) -> None:
    assert repo.search("!!!") == []
    assert repo.search("zzzzqqq") == []
