"""The OBO loader on hand-written excerpts of hp.obo and on broken files."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from ontologies.errors import OntologyFormatError
from ontologies.loaders.obo import load_obo, obo_header, version_from_data_version
from ontologies.model import (
    Concept,
    Definition,
    Label,
    Mapping,
    MappingPredicate,
    OntologyRelease,
    Relation,
    Synonym,
    SynonymType,
)
from ontologies.spec import SourceSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ontologies"
MINI = FIXTURES / "hpo-mini.obo"


def _load(path: Path = MINI, **options: Any) -> OntologyRelease:
    return load_obo(SourceSpec(format="obo", path=path, **options))


@pytest.fixture(scope="module")
def release() -> OntologyRelease:
    return _load(source_id="hpo", name="Human Phenotype Ontology", licence="HPO licence")


def _concept(release: OntologyRelease, curie: str) -> Concept:
    return next(concept for concept in release.concepts if concept.curie == curie)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tmp.obo"
    path.write_text(text, encoding="utf-8")
    return path


# --- release metadata -------------------------------------------------------------------------


def test_release_metadata_comes_from_spec_and_header(release: OntologyRelease) -> None:
    meta = release.release
    assert (meta.source, meta.version, meta.name, meta.licence) == (
        "hpo",
        "2025-01-16",
        "Human Phenotype Ontology",
        "HPO licence",
    )
    assert (meta.languages, meta.prefixes, meta.files) == (("en",), ("HP",), (str(MINI),))


def test_source_defaults_to_ontology_header_without_obo_suffix() -> None:
    assert _load().release.source == "hp"


def test_spec_version_wins_over_header() -> None:
    assert _load(version="v9").release.version == "v9"


def test_version_falls_back_to_content_hash(tmp_path: Path) -> None:
    path = _write(tmp_path, "format-version: 1.2\n\n[Term]\nid: HP:0000001\nname: All\n")
    expected = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert _load(path).release.version == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("hp/releases/2025-01-16", "2025-01-16"),
        ("releases/2016-09-01", "2016-09-01"),
        ("doid/releases/2026-07-31/subsets/DO_AGR_slim.obo", "2026-07-31"),
        ("v1.4", "v1.4"),
        ("  ", None),
        (None, None),
    ],
)
def test_version_from_data_version(value: str | None, expected: str | None) -> None:
    assert version_from_data_version(value) == expected


def test_obo_header_reads_tags_up_to_first_stanza() -> None:
    header = obo_header(MINI)
    assert (header["data-version"], header["ontology"]) == ("hp/releases/2025-01-16", "hp.obo")
    assert "id" not in header


# --- terms --------------------------------------------------------------------------------------


def test_terms_in_file_order_typedef_and_instance_skipped(release: OntologyRelease) -> None:
    assert [concept.curie for concept in release.concepts] == [
        "HP:0000001",
        "HP:0000118",
        "HP:0000707",
        "HP:0012638",
        "HP:0001250",
        "HP:0002373",
        "HP:0000005",
    ]


def test_iri_is_obo_purl(release: OntologyRelease) -> None:
    assert _concept(release, "HP:0001250").iri == "http://purl.obolibrary.org/obo/HP_0001250"


def test_source_set_on_concepts(release: OntologyRelease) -> None:
    assert {concept.source for concept in release.concepts} == {"hpo"}


def test_name_becomes_english_label(release: OntologyRelease) -> None:
    assert _concept(release, "HP:0001250").labels == (Label("Seizure", "en"),)


def test_languages_in_spec_set_label_language() -> None:
    concept = _concept(_load(languages=("fr",)), "HP:0001250")
    assert concept.labels == (Label("Seizure", "fr"),)
    assert {synonym.lang for synonym in concept.synonyms} == {"fr"}


def test_definition_text_without_references(release: OntologyRelease) -> None:
    definition = _concept(release, "HP:0001250").definitions
    assert definition == (
        Definition(
            "A seizure is an intermittent abnormality of nervous system physiology characterized by a"
            " transient occurrence of signs and/or symptoms due to abnormal excessive or synchronous"
            " neuronal activity in the brain.",
            "en",
        ),
    )


def test_definition_escapes_are_unescaped(release: OntologyRelease) -> None:
    text = _concept(release, "HP:0000707").definitions[0].text
    assert text == 'An abnormality of the "nervous system", that is\nits structure or function.'


def test_term_without_definition_has_none(release: OntologyRelease) -> None:
    assert _concept(release, "HP:0012638").definitions == ()


@pytest.mark.parametrize(
    ("text", "synonym_type", "source_type"),
    [
        ("Epilepsy", SynonymType.RELATED, "layperson"),  # a non-EXACT scope wins over the type name
        ("Epileptic seizure", SynonymType.EXACT, None),
        ("Seizures", SynonymType.EXACT, "plural_form"),
        ("Fits", SynonymType.LAYPERSON, "layperson"),
        ("Sz", SynonymType.ABBREVIATION, "abbreviation"),
        ("Convulsion", SynonymType.RELATED, "obsolete_synonym"),  # kept, downgraded
        ("Seizure disorder", SynonymType.NARROW, None),
        ("Paroxysmal event", SynonymType.BROAD, None),
    ],
)
def test_synonym_scope_and_type(
    release: OntologyRelease, text: str, synonym_type: SynonymType, source_type: str | None
) -> None:
    assert Synonym(text, "en", synonym_type, source_type) in _concept(release, "HP:0001250").synonyms


def test_synonyms_keep_file_order(release: OntologyRelease) -> None:
    texts = [synonym.text for synonym in _concept(release, "HP:0001250").synonyms]
    assert texts[:3] == ["Epilepsy", "Epileptic seizure", "Seizures"]
    assert len(texts) == 8


def test_uk_spelling_type_keeps_exact_scope(release: OntologyRelease) -> None:
    synonym = Synonym("Neurological abnormality", "en", SynonymType.EXACT, "uk_spelling")
    assert synonym in _concept(release, "HP:0000707").synonyms


@pytest.mark.parametrize(
    ("text", "synonym_type"),
    [("Fever fits", SynonymType.EXACT), ("Febrile convulsions", SynonymType.RELATED)],
)
def test_obo_1_2_synonym_tags(release: OntologyRelease, text: str, synonym_type: SynonymType) -> None:
    assert Synonym(text, "en", synonym_type) in _concept(release, "HP:0002373").synonyms


def test_unknown_scope_read_as_related_with_warning(release: OntologyRelease) -> None:
    assert Synonym("Feverish seizure", "en", SynonymType.RELATED) in _concept(release, "HP:0002373").synonyms
    assert any(
        "unknown synonym scope 'OFTEN'" in warning and ":75:" in warning for warning in release.warnings
    )


def test_synonym_type_from_trailing_qualifier(tmp_path: Path) -> None:
    text = '[Term]\nid: DOID:1826\nname: epilepsy\nsynonym: "EPI" EXACT [] {synonymtypedef="acronym"}\n'
    concept = _load(_write(tmp_path, text)).concepts[0]
    assert concept.synonyms == (Synonym("EPI", "en", SynonymType.ABBREVIATION, "acronym"),)


def test_synonym_without_scope_is_related(tmp_path: Path) -> None:
    concept = _load(_write(tmp_path, '[Term]\nid: HP:1\nname: x\nsynonym: "y" []\n')).concepts[0]
    assert concept.synonyms == (Synonym("y", "en", SynonymType.RELATED),)


def test_several_parents_with_comments_and_qualifiers_stripped(release: OntologyRelease) -> None:
    assert _concept(release, "HP:0001250").parents == ("HP:0012638", "HP:0000707")


def test_root_has_no_parent(release: OntologyRelease) -> None:
    assert _concept(release, "HP:0000001").parents == ()


def test_relationship_becomes_relation(release: OntologyRelease) -> None:
    assert _concept(release, "HP:0001250").relations == (Relation("part_of", "HP:0000707"),)


def test_xrefs_normalised_and_urls_skipped(release: OntologyRelease) -> None:
    xrefs = _concept(release, "HP:0001250").xrefs
    assert xrefs == tuple(
        Mapping("HP:0001250", MappingPredicate.XREF, target, "hpo")
        for target in ("MESH:D012640", "SNOMEDCT:91175000", "UMLS:C0014544")
    )


def test_dated_snomed_prefix_normalised(release: OntologyRelease) -> None:
    assert [xref.object for xref in _concept(release, "HP:0002373").xrefs] == ["SNOMEDCT:41497008"]


def test_xref_not_a_curie_skipped_with_warning(release: OntologyRelease) -> None:
    assert any("xref '12345' is not a CURIE" in warning for warning in release.warnings)


def test_obsolete_with_several_replacements(release: OntologyRelease) -> None:
    concept = _concept(release, "HP:0000005")
    assert (concept.obsolete, concept.replaced_by) == (True, ("HP:0000001", "HP:0000118"))


def test_live_term_is_not_obsolete(release: OntologyRelease) -> None:
    assert _concept(release, "HP:0001250").obsolete is False


def test_skos_match_annotation_becomes_release_mapping(release: OntologyRelease) -> None:
    assert release.mappings == (Mapping("HP:0001250", MappingPredicate.EXACT, "MESH:D012640", "hpo"),)


def test_clean_file_only_warns_about_its_oddities(release: OntologyRelease) -> None:
    assert len(release.warnings) == 2  # the unknown scope and the non-CURIE xref


def test_duplicate_stanzas_merged_with_warning(tmp_path: Path) -> None:
    text = "[Term]\nid: HP:1\nname: x\nis_a: HP:2\n\n[Term]\nid: HP:1\nis_a: HP:3\n"
    loaded = _load(_write(tmp_path, text))
    assert [concept.parents for concept in loaded.concepts] == [("HP:2", "HP:3")]
    assert any("HP:1 defined again" in warning for warning in loaded.warnings)


def test_unknown_stanza_skipped_with_warning(tmp_path: Path) -> None:
    loaded = _load(_write(tmp_path, "[Term]\nid: HP:1\nname: x\n\n[Axiom]\nid: a\n"))
    assert [concept.curie for concept in loaded.concepts] == ["HP:1"]
    assert any("unknown stanza [Axiom]" in warning for warning in loaded.warnings)


def test_crlf_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "crlf.obo"
    path.write_bytes(b'[Term]\r\nid: HP:1\r\nname: x\r\ndef: "d" []\r\n')
    concept = _load(path).concepts[0]
    assert (concept.labels, concept.definitions) == ((Label("x", "en"),), (Definition("d", "en"),))


# --- broken inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("obo-broken-line.obo", 12, "expected 'tag: value'"),
        ("obo-broken-no-id.obo", 8, "Missing required 'id:' tag"),
        ("obo-broken-unterminated-def.obo", 7, "expected a closing double quote"),
        ("obo-broken-synonym.obo", 7, "expected a double-quoted text"),
        ("obo-broken-stanza.obo", 4, "expected a header such as [Term]"),
        ("obo-broken-encoding.obo", 6, "not UTF-8"),
    ],
)
def test_broken_file_error_names_file_and_line(name: str, line: int, expected: str) -> None:
    path = FIXTURES / name
    with pytest.raises(OntologyFormatError, match=re.escape(expected)) as caught:
        _load(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.obo"
    with pytest.raises(OntologyFormatError, match="File not found") as caught:
        _load(path)
    assert caught.value.path == str(path)
