"""CURIE prefixes in one spelling, and CURIE <-> IRI conversion."""

from __future__ import annotations

import pytest

from ontologies.curie import OBO_PURL, curie_to_iri, iri_to_curie, is_curie, normalise_curie, normalise_prefix

# --- normalise_prefix ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("MSH", "MESH"),
        ("MESH", "MESH"),
        ("UMLS_CUI", "UMLS"),
        ("ORDO", "ORPHANET"),
        ("ORPHA", "ORPHANET"),
        ("Orphanet", "ORPHANET"),
        ("orphanet.ordo", "ORPHANET"),
        ("SNOMEDCT_US", "SNOMEDCT"),
        ("SCTID", "SNOMEDCT"),
        ("SNOMEDCT_US_2016_03_01", "SNOMEDCT"),
        ("SNOMEDCT_2005_07_31", "SNOMEDCT"),
        ("MIM", "OMIM"),
        ("NCI", "NCIT"),
        ("ICD10WHO", "ICD10"),
        ("ICD-10", "ICD10"),
        ("ICD9CM_2005", "ICD9CM"),
        ("CIM-10", "CIM10"),
        ("ICD10CM", "ICD10CM"),
    ],
)
def test_prefix_synonyms_folded(prefix: str, expected: str) -> None:
    assert normalise_prefix(prefix) == expected


@pytest.mark.parametrize(
    ("prefix", "expected"), [("hp", "HP"), (" doid ", "DOID"), ("msh", "MESH"), ("atc", "ATC")]
)
def test_prefix_upper_cased_and_stripped(prefix: str, expected: str) -> None:
    assert normalise_prefix(prefix) == expected


def test_unknown_prefix_kept_upper_case() -> None:
    assert normalise_prefix("Foo") == "FOO"


@pytest.mark.parametrize("prefix", ["SNOMEDCT_US_2016_03", "SNOMEDCT_US_20160301", "SNOMEDCT_XX_2016_03_01"])
def test_prefix_not_quite_a_dated_snomed_edition_kept(prefix: str) -> None:
    assert normalise_prefix(prefix) == prefix


# --- normalise_curie ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MSH:D003920", "MESH:D003920"),
        ("OMIM:125853", "OMIM:125853"),
        ("UMLS_CUI:C0011860", "UMLS:C0011860"),
        ("SNOMEDCT_US_2016_03_01:41497008", "SNOMEDCT:41497008"),
        ("hp:0001250", "HP:0001250"),
        ("  ORDO:558 ", "ORPHANET:558"),
        ("CIM-10:E11.9", "CIM10:E11.9"),
    ],
)
def test_curie_normalised(text: str, expected: str) -> None:
    assert normalise_curie(text) == expected


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        (OBO_PURL + "HP_0001250", "HP:0001250"),
        (OBO_PURL + "DOID_9352", "DOID:9352"),
        (OBO_PURL + "NCIT_C2991", "NCIT:C2991"),
        (OBO_PURL + "hp_0001250", "HP:0001250"),
    ],
)
def test_obo_purl_becomes_curie(iri: str, expected: str) -> None:
    assert normalise_curie(iri) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "D003920",
        "HP:",
        ":0001250",
        "1HP:0001250",
        "HP: 0001250",
        "HP:0001 250",
        "http://example.org/thing",
        "https://purl.obolibrary.org/obo/HP_0001250",
    ],
)
def test_not_a_curie_raises_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="not a CURIE"):
        normalise_curie(text)


# --- is_curie -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["HP:0001250", "MSH:D003920", "SNOMEDCT_US_2016_03_01:41497008", "ICD-10:E11"]
)
def test_is_curie_true(text: str) -> None:
    assert is_curie(text)


@pytest.mark.parametrize(
    "text", ["", "HP0001250", "HP:", ":1", "1HP:1", "HP: 1", "http://purl.obolibrary.org/obo/HP_0001250"]
)
def test_is_curie_false(text: str) -> None:
    assert not is_curie(text)


# --- curie_to_iri / iri_to_curie ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("curie", "iri"),
    [
        ("HP:0001250", "http://purl.obolibrary.org/obo/HP_0001250"),
        ("DOID:9352", "http://purl.obolibrary.org/obo/DOID_9352"),
        ("MESH:D003920", "http://id.nlm.nih.gov/mesh/D003920"),
        ("CIM10:E11.9", "https://healthsearch.local/cim10/E11.9"),
        ("ATC:A10BA02", "http://www.whocc.no/atc_ddd_index/?code=A10BA02"),
        ("ORPHANET:558", "http://www.orpha.net/ORDO/Orphanet_558"),
        ("NCIT:C2991", "http://purl.obolibrary.org/obo/NCIT_C2991"),
    ],
)
def test_curie_to_iri(curie: str, iri: str) -> None:
    assert curie_to_iri(curie) == iri


@pytest.mark.parametrize(
    "curie",
    [
        "HP:0001250",
        "DOID:9352",
        "MESH:D003920",
        "CIM10:E11.9",
        "ATC:A10BA02",
        "UMLS:C0011860",
        "SNOMEDCT:41497008",
    ],
)
def test_curie_iri_round_trip(curie: str) -> None:
    assert iri_to_curie(curie_to_iri(curie)) == curie


@pytest.mark.parametrize(
    "iri",
    [
        "http://purl.obolibrary.org/obo/HP_0001250",
        "http://purl.obolibrary.org/obo/DOID_9352",
        "http://id.nlm.nih.gov/mesh/D003920",
        "https://healthsearch.local/cim10/E11.9",
        "http://www.whocc.no/atc_ddd_index/?code=A10BA02",
    ],
)
def test_iri_curie_round_trip(iri: str) -> None:
    curie = iri_to_curie(iri)
    assert curie is not None
    assert curie_to_iri(curie) == iri


@pytest.mark.parametrize(
    "iri",
    ["http://example.org/thing/1", "http://id.nlm.nih.gov/mesh/", "not an iri", ""],
)
def test_unknown_iri_gives_none(iri: str) -> None:
    assert iri_to_curie(iri) is None
