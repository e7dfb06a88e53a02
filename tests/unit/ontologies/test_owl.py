"""The OWL (RDF/XML) loader on a hand-written module shaped like DOID's imports, and broken files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from ontologies.errors import OntologyFormatError
from ontologies.loaders.owl import load_owl
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
MINI = FIXTURES / "mini.owl"

_HEADER = (
    '<?xml version="1.0"?>\n'
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
    '     xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"\n'
    '     xmlns:owl="http://www.w3.org/2002/07/owl#">\n'
)


def _load(path: Path = MINI, **options: Any) -> OntologyRelease:
    return load_owl(SourceSpec(format="owl", path=path, **options))


@pytest.fixture(scope="module")
def release() -> OntologyRelease:
    return _load()


def _concept(release: OntologyRelease, curie: str) -> Concept:
    return next(concept for concept in release.concepts if concept.curie == curie)


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "tmp.owl"
    path.write_text(_HEADER + body + "</rdf:RDF>\n", encoding="utf-8")
    return path


# --- release metadata -------------------------------------------------------------------------


def test_release_metadata_comes_from_the_ontology_header(release: OntologyRelease) -> None:
    meta = release.release
    assert (meta.source, meta.version, meta.name, meta.licence) == (
        "mini_import",
        "2026-07-31",
        "Mini symptom and anatomy module",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    )
    assert (meta.languages, meta.prefixes, meta.files) == (("en", "fr"), ("SYMP", "UBERON"), (str(MINI),))


def test_spec_metadata_wins_over_the_file() -> None:
    meta = _load(source_id="symp", version="v1", name="Symptoms", licence="CC0", languages=("en",)).release
    assert (meta.source, meta.version, meta.name, meta.licence, meta.languages) == (
        "symp",
        "v1",
        "Symptoms",
        "CC0",
        ("en",),
    )


def test_version_info_wins_over_version_iri(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '<owl:Ontology rdf:about="http://purl.obolibrary.org/obo/x.owl">\n'
        '  <owl:versionIRI rdf:resource="http://purl.obolibrary.org/obo/x/releases/2020-01-01/x.owl"/>\n'
        "  <owl:versionInfo>2021-02-02</owl:versionInfo>\n"
        "</owl:Ontology>\n",
    )
    assert _load(path).release.version == "2021-02-02"


def test_version_falls_back_to_content_hash_and_source_to_file_name(tmp_path: Path) -> None:
    path = _write(tmp_path, '<owl:Class rdf:about="http://purl.obolibrary.org/obo/X_1"/>\n')
    meta = _load(path).release
    assert (meta.version, meta.source) == (hashlib.sha256(path.read_bytes()).hexdigest()[:12], "tmp")


# --- concepts -------------------------------------------------------------------------------------


def test_named_classes_with_a_curie_become_concepts(release: OntologyRelease) -> None:
    assert [concept.curie for concept in release.concepts] == [
        "SYMP:0000001",
        "SYMP:0000098",
        "SYMP:0000099",
        "SYMP:0000461",
        "SYMP:0000462",
        "UBERON:0000062",
        "UBERON:0000948",
    ]


def test_every_field_of_a_symptom_round_trips(release: OntologyRelease) -> None:
    assert _concept(release, "SYMP:0000001") == Concept(
        curie="SYMP:0000001",
        iri="http://purl.obolibrary.org/obo/SYMP_0000001",
        source="mini_import",
        labels=(Label("abdominal cramp", "en"),),
        synonyms=(
            Synonym("stomach cramp", "en", SynonymType.EXACT),
            Synonym("epigastric cramp", "en", SynonymType.NARROW),
            Synonym("abdominal pain", "en", SynonymType.BROAD),
            Synonym("colic", "en", SynonymType.RELATED),
        ),
        definitions=(
            Definition("A cramp of the abdominal muscles or organs.", "en"),
            Definition("Crampe des muscles ou des organes de l'abdomen.", "fr"),
        ),
        parents=("SYMP:0000461",),
        xrefs=(
            Mapping("SYMP:0000001", MappingPredicate.XREF, "ICD9CM:789.0", "mini_import"),
            Mapping("SYMP:0000001", MappingPredicate.XREF, "UMLS:C0000729", "mini_import"),
        ),
    )


def test_labels_are_kept_per_language_and_a_second_one_becomes_a_synonym(release: OntologyRelease) -> None:
    concept = _concept(release, "SYMP:0000461")
    assert concept.labels == (Label("digestive symptom", "en"), Label("symptôme abdominal", "fr"))
    assert concept.synonyms[0] == Synonym("abdominal symptom", "en", SynonymType.EXACT, "label")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # EXACT + OMO layperson type → LAYPERSON, the type kept as its CURIE (as the OBO loader does).
        ("tummy trouble", Synonym("tummy trouble", "en", SynonymType.LAYPERSON, "OMO:0003003")),
        # A RELATED scope wins over the layperson type name; the name comes from the IRI fragment.
        ("bellyache", Synonym("bellyache", "en", SynonymType.RELATED, "layperson")),
    ],
)
def test_synonym_types_come_from_axiom_annotations(
    release: OntologyRelease, text: str, expected: Synonym
) -> None:
    synonyms = {synonym.text: synonym for synonym in _concept(release, "SYMP:0000461").synonyms}
    assert synonyms[text] == expected


def test_owl_thing_is_not_a_parent(release: OntologyRelease) -> None:
    assert _concept(release, "SYMP:0000461").parents == ("SYMP:0000462",)


def test_restrictions_become_relations_named_after_the_property(release: OntologyRelease) -> None:
    heart = _concept(release, "UBERON:0000948")
    assert heart.parents == ("UBERON:0000062",)
    assert heart.relations == (
        Relation("overlaps", "UBERON:0002100"),  # the property's rdfs:label in the file
        Relation("part_of", "UBERON:0004535"),  # BFO:0000050
        Relation("ro_0002170", "UBERON:0001009"),  # no label: the CURIE in snake case
    )


@pytest.mark.parametrize(
    ("curie", "replaced_by"),
    [("SYMP:0000099", ("SYMP:0000001",)), ("SYMP:0000098", ("SYMP:0000461",))],
)
def test_deprecated_classes_are_obsolete_with_their_replacement(
    release: OntologyRelease, curie: str, replaced_by: tuple[str, ...]
) -> None:
    concept = _concept(release, curie)
    assert (concept.obsolete, concept.replaced_by) == (True, replaced_by)


def test_untagged_text_takes_the_first_spec_language() -> None:
    concept = _concept(_load(languages=("fr",)), "SYMP:0000462")
    assert concept.labels == (Label("general symptom", "fr"),)


# --- warnings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fragment",
    [
        "<http://example.org/unknown/Thing1> has no CURIE form",
        "xref 'not a curie' is not a CURIE",
        "other than 'P some NamedClass'",
        "1 anonymous owl:Class nodes skipped",
    ],
)
def test_skipped_items_are_reported_in_warnings(release: OntologyRelease, fragment: str) -> None:
    assert any(fragment in warning for warning in release.warnings)


def test_web_link_xrefs_are_skipped_silently(release: OntologyRelease) -> None:
    assert not any("merriam-webster" in warning for warning in release.warnings)


def test_rdflib_warnings_become_release_warnings(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '<owl:Class rdf:about="http://purl.obolibrary.org/obo/X_1">\n'
        '  <owl:deprecated rdf:datatype="http://www.w3.org/2001/XMLSchema#boolean">maybe</owl:deprecated>\n'
        "</owl:Class>\n",
    )
    loaded = _load(path)
    assert loaded.concepts[0].obsolete is False
    assert any("weird boolean" in warning for warning in loaded.warnings)


# --- broken files -----------------------------------------------------------------------------


def test_malformed_xml_names_file_and_line() -> None:
    with pytest.raises(OntologyFormatError) as caught:
        _load(FIXTURES / "broken.owl")
    assert (caught.value.path, caught.value.line) == (str(FIXTURES / "broken.owl"), 9)
    assert "mismatched tag" in str(caught.value)
    assert "expected well-formed RDF/XML" in str(caught.value)


def test_invalid_rdf_names_the_line_rdflib_reports(tmp_path: Path) -> None:
    path = _write(
        tmp_path, '<owl:Class rdf:about="http://x.org/a">\n  <rdf:li rdf:about="x"/>\n</owl:Class>\n'
    )
    with pytest.raises(OntologyFormatError) as caught:
        _load(path)
    assert caught.value.line == 6
    assert "Invalid property attribute URI" in str(caught.value)


def test_a_file_without_triples_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyFormatError, match="no RDF triples"):
        _load(_write(tmp_path, ""))


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyFormatError, match="File not found"):
        _load(tmp_path / "absent.owl")
