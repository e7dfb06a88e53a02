"""Concepts of the common model as UNWIND parameter rows (pure functions, no Neo4j)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from graph.rows import (
    concept_hash,
    concept_row,
    is_a_rows,
    mapping_rows,
    relation_rows,
    release_rows,
    term_rows,
)
from ontologies.model import (
    Concept,
    Definition,
    Label,
    Mapping,
    MappingPredicate,
    OntologyRelease,
    Relation,
    Release,
    Synonym,
    SynonymType,
)

CURIE = "HP:0001250"
IRI = "http://purl.obolibrary.org/obo/HP_0001250"


def _concept(**fields: Any) -> Concept:
    return Concept(curie=CURIE, iri=IRI, source="hpo", **fields)


def _xref(obj: str, *, subject: str = CURIE, source: str = "hpo", **fields: Any) -> Mapping:
    return Mapping(subject=subject, predicate=MappingPredicate.XREF, object=obj, source=source, **fields)


def _release(*concepts: Concept, mappings: tuple[Mapping, ...] = ()) -> OntologyRelease:
    return OntologyRelease(release=Release(source="hpo", version="1"), concepts=concepts, mappings=mappings)


SEIZURE = _concept(
    labels=(Label("Seizure", "en"), Label("Crise épileptique", "fr")),
    synonyms=(Synonym("Epilepsy", "en", SynonymType.RELATED, "layperson"),),
    definitions=(Definition("A seizure.", "en"),),
    parents=("HP:0012638",),
    relations=(Relation("part_of", "HP:0000707"),),
    xrefs=(_xref("MESH:D012640"),),
)


# --- concept_row --------------------------------------------------------------------------------


def test_concept_row_keyed_by_curie() -> None:
    assert concept_row(SEIZURE)["curie"] == CURIE


def test_concept_row_core_properties() -> None:
    props = concept_row(_concept(kind="category", obsolete=True, replaced_by=("HP:1", "HP:2")))["props"]
    assert (props["iri"], props["source"], props["kind"], props["obsolete"], props["replaced_by"]) == (
        IRI,
        "hpo",
        "category",
        True,
        ["HP:1", "HP:2"],
    )


def test_label_prefers_english() -> None:
    concept = _concept(labels=(Label("Crise épileptique", "fr"), Label("Seizure", "en")))
    assert concept_row(concept)["props"]["label"] == "Seizure"


def test_label_falls_back_to_first_label() -> None:
    concept = _concept(labels=(Label("Crise épileptique", "fr"), Label("Anfall", "de")))
    assert concept_row(concept)["props"]["label"] == "Crise épileptique"


def test_no_label_gives_none() -> None:
    assert concept_row(_concept())["props"]["label"] is None


def test_label_and_definition_per_language() -> None:
    concept = _concept(
        labels=(Label("Seizure", "en"), Label("Crise épileptique", "fr")),
        definitions=(Definition("A seizure.", "en"), Definition("Une crise.", "fr")),
    )
    props = concept_row(concept)["props"]
    assert {key: value for key, value in props.items() if key.startswith(("label_", "definition_"))} == {
        "label_en": "Seizure",
        "label_fr": "Crise épileptique",
        "definition_en": "A seizure.",
        "definition_fr": "Une crise.",
    }


def test_first_label_of_a_language_kept() -> None:
    concept = _concept(labels=(Label("Crise épileptique", "fr"), Label("Convulsions", "fr")))
    assert concept_row(concept)["props"]["label_fr"] == "Crise épileptique"


@pytest.mark.parametrize("lang", ["x-y", "en-GB", "EN", "e", "engl", "", "fr;", "en fr", "__"])
def test_invalid_language_makes_no_label_key(lang: str) -> None:
    props = concept_row(_concept(labels=(Label("text", lang),)))["props"]
    assert [key for key in props if key.startswith("label_")] == []


@pytest.mark.parametrize("lang", ["x-y", "EN", "fr)"])
def test_invalid_language_makes_no_definition_key(lang: str) -> None:
    props = concept_row(_concept(definitions=(Definition("text", lang),)))["props"]
    assert [key for key in props if key.startswith("definition_")] == []


def test_language_with_trailing_newline_makes_no_key() -> None:
    props = concept_row(_concept(labels=(Label("text", "en\n"),)))["props"]
    assert [key for key in props if key.startswith("label_")] == []


@pytest.mark.parametrize("lang", ["en", "fr", "deu"])
def test_valid_language_makes_a_key(lang: str) -> None:
    assert concept_row(_concept(labels=(Label("text", lang),)))["props"][f"label_{lang}"] == "text"


# --- term_rows ----------------------------------------------------------------------------------


def test_one_term_per_label_and_synonym() -> None:
    rows = list(term_rows(SEIZURE))
    assert [(row["type"], row["lang"], row["text"]) for row in rows] == [
        ("label", "en", "Seizure"),
        ("label", "fr", "Crise épileptique"),
        ("related", "en", "Epilepsy"),
    ]


def test_term_row_fields() -> None:
    (row,) = [row for row in term_rows(SEIZURE) if row["type"] == "related"]
    assert {key: value for key, value in row.items() if key != "key"} == {
        "curie": CURIE,
        "text": "Epilepsy",
        "norm": "epilepsy",
        "lang": "en",
        "type": "related",
        "source_type": "layperson",
        "stemmed_lang": "en",
    }


def test_duplicate_terms_once() -> None:
    concept = _concept(
        labels=(Label("Seizure", "en"), Label("Seizure", "en")),
        synonyms=(Synonym("Fits", "en"), Synonym("Fits", "en")),
    )
    assert [(row["type"], row["text"]) for row in term_rows(concept)] == [
        ("label", "Seizure"),
        ("exact", "Fits"),
    ]


@pytest.mark.parametrize(
    "other",
    [
        Synonym("Seizure", "en", SynonymType.EXACT),  # other kind
        Synonym("Seizure", "fr", SynonymType.EXACT),  # other language
    ],
)
def test_same_text_of_other_kind_or_language_kept(other: Synonym) -> None:
    concept = _concept(labels=(Label("Seizure", "en"),), synonyms=(other,))
    assert len(list(term_rows(concept))) == 2


def test_same_text_as_label_and_synonym_gives_two_terms() -> None:
    concept = _concept(labels=(Label("Seizure", "en"),), synonyms=(Synonym("Seizure", "en"),))
    assert [row["type"] for row in term_rows(concept)] == ["label", "exact"]


def test_norm_is_folded() -> None:
    (row,) = term_rows(_concept(labels=(Label("Diabète  de type-2", "fr"),)))
    assert (row["text"], row["norm"]) == ("Diabète  de type-2", "diabete de type 2")


@pytest.mark.parametrize(
    ("lang", "stemmed"), [("fr", "fr"), ("en", "en"), ("de", None), ("es", None), ("x-y", None)]
)
def test_stemmed_lang_only_for_french_and_english(lang: str, stemmed: str | None) -> None:
    (row,) = term_rows(_concept(labels=(Label("Seizure", lang),)))
    assert row["stemmed_lang"] == stemmed


@pytest.mark.parametrize("text", ["", "   ", "—", "(!)", "'-'"])
def test_text_empty_after_folding_skipped(text: str) -> None:
    concept = _concept(labels=(Label(text, "en"),), synonyms=(Synonym(text, "en"),))
    assert list(term_rows(concept)) == []


# --- concept_hash -------------------------------------------------------------------------------


def test_hash_equal_for_equal_concepts() -> None:
    assert concept_hash(SEIZURE) == concept_hash(replace(SEIZURE))


@pytest.mark.parametrize(
    "changes",
    [
        {"curie": "HP:0001251"},
        {"iri": IRI + "x"},
        {"source": "hpo2"},
        {"labels": (Label("Seizures", "en"), Label("Crise épileptique", "fr"))},
        {"labels": (Label("Seizure", "en-GB"), Label("Crise épileptique", "fr"))},
        {"synonyms": (Synonym("Epilepsy", "en", SynonymType.EXACT, "layperson"),)},
        {"synonyms": (Synonym("Epilepsy", "en", SynonymType.RELATED, None),)},
        {"synonyms": ()},
        {"definitions": (Definition("A seizure!", "en"),)},
        {"parents": ("HP:0012638", "HP:0000707")},
        {"relations": (Relation("has_part", "HP:0000707"),)},
        {"xrefs": (_xref("MESH:D012640", confidence=0.5),)},
        {"xrefs": ()},
        {"obsolete": True},
        {"replaced_by": ("HP:0000001",)},
        {"kind": "category"},
    ],
    ids=lambda changes: next(iter(changes)),
)
def test_hash_changes_with_any_field(changes: dict[str, Any]) -> None:
    assert concept_hash(replace(SEIZURE, **changes)) != concept_hash(SEIZURE)


def test_hash_beside_the_properties_not_among_them() -> None:
    row = concept_row(SEIZURE)
    assert row["hash"] == concept_hash(SEIZURE)
    assert "hash" not in row["props"]


def test_hash_covers_the_release_mappings_a_concept_owns() -> None:
    owned = _xref("MONDO:0001")
    assert concept_row(SEIZURE, (owned,))["hash"] != concept_row(SEIZURE)["hash"]


# --- is_a_rows ----------------------------------------------------------------------------------


def test_is_a_row_fields() -> None:
    assert list(is_a_rows(_concept(parents=("DOID:9352",)))) == [
        {
            "child": CURIE,
            "parent": "DOID:9352",
            "parent_iri": "http://purl.obolibrary.org/obo/DOID_9352",
            "parent_source": "doid",
        },
    ]


@pytest.mark.parametrize(
    ("parent", "source"), [("HP:0012638", "hp"), ("MESH:D012640", "mesh"), ("CIM10:G40", "cim10")]
)
def test_stub_source_is_lower_prefix(parent: str, source: str) -> None:
    (row,) = is_a_rows(_concept(parents=(parent,)))
    assert row["parent_source"] == source


def test_parent_iri_from_curie() -> None:
    (row,) = is_a_rows(_concept(parents=("MESH:D012640",)))
    assert row["parent_iri"] == "http://id.nlm.nih.gov/mesh/D012640"


def test_self_parent_dropped() -> None:
    rows = list(is_a_rows(_concept(parents=(CURIE, "HP:0012638"))))
    assert [row["parent"] for row in rows] == ["HP:0012638"]


def test_duplicate_parents_once() -> None:
    rows = list(is_a_rows(_concept(parents=("HP:0012638", "HP:0000707", "HP:0012638"))))
    assert [row["parent"] for row in rows] == ["HP:0012638", "HP:0000707"]


def test_no_parents_no_rows() -> None:
    assert list(is_a_rows(_concept())) == []


# --- relation_rows ------------------------------------------------------------------------------


@pytest.mark.parametrize(("rel", "rel_type"), [("part_of", "PART_OF"), ("has_part", "HAS_PART")])
def test_typed_relations(rel: str, rel_type: str) -> None:
    ((got_type, row),) = relation_rows(_concept(relations=(Relation(rel, "HP:0000707"),)))
    assert (got_type, row["type"]) == (rel_type, rel)


@pytest.mark.parametrize("rel", ["located_in", "has_phenotype", "PART_OF"])
def test_other_relation_is_related_to_with_type_kept(rel: str) -> None:
    ((got_type, row),) = relation_rows(_concept(relations=(Relation(rel, "HP:0000707"),)))
    assert (got_type, row["type"]) == ("RELATED_TO", rel)


def test_relation_row_fields() -> None:
    ((_, row),) = relation_rows(_concept(relations=(Relation("part_of", "UBERON:0001016"),)))
    assert row == {
        "subject": CURIE,
        "object": "UBERON:0001016",
        "object_iri": "http://purl.obolibrary.org/obo/UBERON_0001016",
        "object_source": "uberon",
        "type": "part_of",
    }


def test_duplicate_relations_once() -> None:
    relation = Relation("part_of", "HP:0000707")
    assert len(list(relation_rows(_concept(relations=(relation, relation))))) == 1


# --- mapping_rows -------------------------------------------------------------------------------


def test_xrefs_and_release_mappings_both_written() -> None:
    release = _release(
        _concept(xrefs=(_xref("MESH:D012640"),)),
        mappings=(_xref("UMLS:C0036572", source="biomappings"),),
    )
    assert [(row["object"], row["mapping_source"]) for row in mapping_rows(release)] == [
        ("MESH:D012640", "hpo"),
        ("UMLS:C0036572", "biomappings"),
    ]


def test_mapping_row_fields() -> None:
    mapping = Mapping(
        subject="MESH:D003924",
        predicate=MappingPredicate.EXACT,
        object="DOID:9352",
        source="biomappings",
        confidence=0.95,
        justification="semapv:ManualMappingCuration",
        negated=True,
    )
    (row,) = mapping_rows(_release(mappings=(mapping,)))
    assert row == {
        "subject": "MESH:D003924",
        "subject_iri": "http://id.nlm.nih.gov/mesh/D003924",
        "subject_source": "mesh",
        "object": "DOID:9352",
        "object_iri": "http://purl.obolibrary.org/obo/DOID_9352",
        "object_source": "doid",
        "predicate": "skos:exactMatch",
        "mapping_source": "biomappings",
        "confidence": 0.95,
        "justification": "semapv:ManualMappingCuration",
        "negated": True,
    }


def test_same_mapping_from_xref_and_mapping_set_once() -> None:
    release = _release(
        _concept(xrefs=(_xref("MESH:D012640"),)), mappings=(_xref("MESH:D012640", confidence=0.9),)
    )
    rows = list(mapping_rows(release))
    assert [(row["object"], row["confidence"]) for row in rows] == [("MESH:D012640", None)]


@pytest.mark.parametrize(
    "other",
    [
        _xref("MESH:D012640", source="biomappings"),
        _xref("MESH:D012640", subject="HP:0000707"),
        _xref("MESH:D999999"),
        Mapping(subject=CURIE, predicate=MappingPredicate.EXACT, object="MESH:D012640", source="hpo"),
    ],
    ids=["source", "subject", "object", "predicate"],
)
def test_mappings_differing_in_one_of_s_p_o_source_kept(other: Mapping) -> None:
    release = _release(_concept(xrefs=(_xref("MESH:D012640"),)), mappings=(other,))
    assert len(list(mapping_rows(release))) == 2


def test_self_mapping_dropped() -> None:
    release = _release(_concept(xrefs=(_xref(CURIE),)), mappings=(_xref(CURIE, source="biomappings"),))
    assert list(mapping_rows(release)) == []


# --- release_rows -------------------------------------------------------------------------------


def test_release_rows_collects_every_kind() -> None:
    rows = release_rows(_release(SEIZURE))
    counts = (len(rows.concepts), len(rows.terms), len(rows.is_a), sorted(rows.relations), len(rows.mappings))
    assert counts == (1, 3, 1, ["PART_OF"], 1)


def test_relations_grouped_by_type() -> None:
    concept = _concept(
        relations=(Relation("part_of", "HP:1"), Relation("located_in", "HP:2"), Relation("x", "HP:3"))
    )
    rows = release_rows(_release(concept))
    assert {rel_type: len(items) for rel_type, items in rows.relations.items()} == {
        "PART_OF": 1,
        "RELATED_TO": 2,
    }


def test_content_hash_stable_across_calls() -> None:
    release = _release(SEIZURE, mappings=(_xref("UMLS:C0036572", source="biomappings"),))
    assert release_rows(release).content_hash == release_rows(release).content_hash


@pytest.mark.parametrize(
    "mapping",
    [
        _xref("UMLS:C0036572", source="biomappings", confidence=0.5),
        _xref("UMLS:C0036573", source="biomappings"),
        _xref("UMLS:C0036572", source="biomappings", negated=True),
    ],
    ids=["confidence", "object", "negated"],
)
def test_content_hash_changes_with_a_mapping(mapping: Mapping) -> None:
    before = _release(SEIZURE, mappings=(_xref("UMLS:C0036572", source="biomappings"),))
    after = replace(before, mappings=(mapping,))
    assert release_rows(after).content_hash != release_rows(before).content_hash


def test_content_hash_changes_with_a_concept() -> None:
    before = _release(SEIZURE)
    after = _release(replace(SEIZURE, definitions=(Definition("Changed.", "en"),)))
    assert release_rows(after).content_hash != release_rows(before).content_hash
