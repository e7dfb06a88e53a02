"""The SKOS loader on a hand-written scheme, the demo vocabulary, other RDF syntaxes and broken files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from ontologies.errors import OntologyFormatError
from ontologies.loaders.skos import load_skos
from ontologies.model import (
    Concept,
    Definition,
    Label,
    Mapping,
    MappingPredicate,
    OntologyRelease,
    Synonym,
    SynonymType,
)
from ontologies.spec import SourceSpec

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "tests" / "fixtures" / "ontologies"
MINI = FIXTURES / "mini-skos.ttl"
DEMO = ROOT / "ontologies" / "demo" / "cardiometabolic.ttl"


def _load(path: Path = MINI, **options: Any) -> OntologyRelease:
    return load_skos(SourceSpec(format="skos", path=path, **options))


@pytest.fixture(scope="module")
def release() -> OntologyRelease:
    return _load()


@pytest.fixture(scope="module")
def demo() -> OntologyRelease:
    return _load(DEMO)


def _concept(release: OntologyRelease, curie: str) -> Concept:
    return next(concept for concept in release.concepts if concept.curie == curie)


# --- release metadata -------------------------------------------------------------------------


def test_release_metadata_comes_from_the_concept_scheme(release: OntologyRelease) -> None:
    meta = release.release
    assert (meta.source, meta.version, meta.name, meta.licence) == (
        "mini-skos",  # dct:identifier "Mini SKOS", slugged
        "1.2",
        "Mini vocabulary",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    )
    assert (meta.languages, meta.prefixes, meta.files) == (("en", "fr"), ("HSMINI",), (str(MINI),))


def test_spec_metadata_wins_over_the_scheme() -> None:
    meta = _load(source_id="mini", version="v2", name="Mini", licence="CC0", languages=("fr",)).release
    assert (meta.source, meta.version, meta.name, meta.licence, meta.languages) == (
        "mini",
        "v2",
        "Mini",
        "CC0",
        ("fr",),
    )


def test_without_scheme_the_version_is_a_content_hash_and_the_source_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "My Vocab.ttl"
    path.write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        '<http://purl.obolibrary.org/obo/HP_0000118> a skos:Concept ; skos:prefLabel "Phenotype"@en .\n',
        encoding="utf-8",
    )
    meta = _load(path).release
    assert (meta.version, meta.source) == (hashlib.sha256(path.read_bytes()).hexdigest()[:12], "my-vocab")


# --- concepts -------------------------------------------------------------------------------------


def test_every_field_of_a_concept_round_trips(release: OntologyRelease) -> None:
    assert _concept(release, "HSMINI:diabetes") == Concept(
        curie="HSMINI:diabetes",
        iri="https://healthsearch.local/mini/diabetes",
        source="mini-skos",
        labels=(Label("Diabetes mellitus", "en"), Label("Diabète sucré", "fr")),
        synonyms=(
            Synonym("DM", "en", SynonymType.ABBREVIATION),
            Synonym("diabète", "fr", SynonymType.EXACT),
            Synonym("diabete sucre", "fr", SynonymType.EXACT, "hidden"),
        ),
        definitions=(
            Definition("A disorder of glucose metabolism.", "en"),
            Definition("Trouble du métabolisme du glucose.", "fr"),
        ),
        parents=("HSMINI:disease",),  # from the inverse skos:narrower on the parent
    )


def test_broader_gives_every_parent(release: OntologyRelease) -> None:
    assert _concept(release, "HSMINI:t2d").parents == ("HSMINI:diabetes", "HSMINI:metabolic")


def test_region_subtags_are_dropped_from_languages(release: OntologyRelease) -> None:
    assert _concept(release, "HSMINI:t2d").labels[0] == Label("Type 2 diabetes", "en")


def test_a_second_pref_label_in_one_language_becomes_a_synonym(release: OntologyRelease) -> None:
    concept = _concept(release, "HSMINI:metabolic")
    assert concept.labels == (Label("metabolic disease", "en"), Label("Maladie du métabolisme", "fr"))
    assert concept.synonyms == (Synonym("Maladie métabolique", "fr", SynonymType.EXACT, "prefLabel"),)


def test_untagged_literals_take_the_first_spec_language() -> None:
    concept = _concept(_load(languages=("fr",)), "HSMINI:metabolic")
    assert Label("metabolic disease", "fr") in concept.labels


def test_deprecated_concepts_are_obsolete_with_their_replacement(release: OntologyRelease) -> None:
    concept = _concept(release, "HSMINI:niddm")
    assert (concept.obsolete, concept.replaced_by) == (True, ("HSMINI:t2d",))


def test_notation_is_not_kept_as_a_synonym(release: OntologyRelease) -> None:
    assert all(synonym.text != "E10-E14" for synonym in _concept(release, "HSMINI:diabetes").synonyms)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HTA", SynonymType.ABBREVIATION),
        ("IDM", SynonymType.ABBREVIATION),
        ("crise cardiaque", SynonymType.EXACT),
    ],
)
def test_short_upper_case_alt_labels_are_abbreviations(
    demo: OntologyRelease, text: str, expected: SynonymType
) -> None:
    synonyms = {synonym.text: synonym.type for concept in demo.concepts for synonym in concept.synonyms}
    assert synonyms[text] is expected


# --- mappings ---------------------------------------------------------------------------------


def test_matches_become_release_mappings_with_their_predicate(release: OntologyRelease) -> None:
    assert release.mappings == (
        Mapping("HSMINI:diabetes", MappingPredicate.EXACT, "MESH:D003920", "mini-skos"),
        Mapping("HSMINI:diabetes", MappingPredicate.EXACT, "HP:0000819", "mini-skos"),
        Mapping("HSMINI:diabetes", MappingPredicate.CLOSE, "CIM10:E10-E14", "mini-skos"),
        Mapping("HSMINI:t2d", MappingPredicate.EXACT, "CIM10:E11", "mini-skos"),
        Mapping("HSMINI:t2d", MappingPredicate.BROAD, "HSMINI:diabetes", "mini-skos"),
        Mapping("HSMINI:t2d", MappingPredicate.NARROW, "CIM10:E11.9", "mini-skos"),
        Mapping("HSMINI:t2d", MappingPredicate.RELATED, "ATC:A10BA02", "mini-skos"),
    )


def test_concepts_carry_no_xrefs(release: OntologyRelease) -> None:
    assert all(concept.xrefs == () for concept in release.concepts)


# --- warnings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fragment",
    [
        "<http://unbound.example.org/vocab/x1> has no CURIE form; skipped",
        "HSMINI:orphan has no skos:prefLabel",
        "HSMINI:orphan broader http://unbound.example.org/vocab/x1: no CURIE",
        "HSMINI:metabolic has several prefLabels in 'fr'",
    ],
)
def test_skipped_items_are_reported_in_warnings(release: OntologyRelease, fragment: str) -> None:
    assert any(fragment in warning for warning in release.warnings)


# --- other syntaxes ---------------------------------------------------------------------------

_NT = (
    "<https://healthsearch.local/cim10/E11> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    "<http://www.w3.org/2004/02/skos/core#Concept> .\n"
    '<https://healthsearch.local/cim10/E11> <http://www.w3.org/2004/02/skos/core#prefLabel> "Diabète"@fr .\n'
)
_JSONLD = (
    '{"@id": "https://healthsearch.local/cim10/E11",'
    ' "@type": "http://www.w3.org/2004/02/skos/core#Concept",'
    ' "http://www.w3.org/2004/02/skos/core#prefLabel": {"@value": "Diabète", "@language": "fr"}}'
)
_RDFXML = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns:skos="http://www.w3.org/2004/02/skos/core#">'
    '<skos:Concept rdf:about="https://healthsearch.local/cim10/E11">'
    '<skos:prefLabel xml:lang="fr">Diabète</skos:prefLabel></skos:Concept></rdf:RDF>'
)


@pytest.mark.parametrize(
    ("name", "text"), [("v.nt", _NT), ("v.jsonld", _JSONLD), ("v.rdf", _RDFXML), ("v.xml", _RDFXML)]
)
def test_the_syntax_follows_the_extension(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    concept = _load(path).concepts[0]
    assert (concept.curie, concept.labels) == ("CIM10:E11", (Label("Diabète", "fr"),))


# --- the demo vocabulary ----------------------------------------------------------------------


def test_demo_vocabulary_loads_cleanly(demo: OntologyRelease) -> None:
    meta = demo.release
    assert (meta.source, meta.version, meta.languages, len(demo.concepts)) == (
        "hs-demo",
        "2025.1",
        ("en", "fr"),
        29,
    )
    assert demo.warnings == ()


def test_demo_concepts_all_have_french_and_english_labels(demo: OntologyRelease) -> None:
    assert all({label.lang for label in concept.labels} == {"en", "fr"} for concept in demo.concepts)


def test_demo_hierarchy_has_two_roots_and_three_levels(demo: OntologyRelease) -> None:
    parents = {concept.curie: concept.parents for concept in demo.concepts}
    roots = sorted(curie for curie, found in parents.items() if not found)
    assert roots == ["HSDEMO:cardiometabolic-disease", "HSDEMO:cardiometabolic-drug"]
    assert parents["HSDEMO:myocardial-infarction"] == ("HSDEMO:ischaemic-heart-disease",)
    assert parents["HSDEMO:ischaemic-heart-disease"] == ("HSDEMO:cardiovascular-disease",)
    assert parents["HSDEMO:cardiovascular-disease"] == ("HSDEMO:cardiometabolic-disease",)


def test_demo_maps_to_hp_cim10_and_atc(demo: OntologyRelease) -> None:
    prefixes = {mapping.object.partition(":")[0] for mapping in demo.mappings}
    assert prefixes == {"HP", "CIM10", "ATC"}
    assert Mapping("HSDEMO:type-2-diabetes", MappingPredicate.EXACT, "CIM10:E11", "hs-demo") in demo.mappings


# --- broken files -----------------------------------------------------------------------------


def test_turtle_syntax_error_names_file_and_line() -> None:
    with pytest.raises(OntologyFormatError) as caught:
        _load(FIXTURES / "broken-skos.ttl")
    assert (caught.value.path, caught.value.line) == (str(FIXTURES / "broken-skos.ttl"), 8)
    assert "expected valid Turtle" in str(caught.value)


def test_json_ld_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "v.jsonld"
    path.write_text('{"@id": "http://a",\n "http://b": [\n', encoding="utf-8")
    with pytest.raises(OntologyFormatError) as caught:
        _load(path)
    assert caught.value.line == 3


def test_unknown_extension_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(OntologyFormatError, match=r"extension '\.csv'; expected one of"):
        _load(path)


def test_a_file_without_concepts_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "v.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    with pytest.raises(OntologyFormatError, match="Missing required skos:Concept"):
        _load(path)
