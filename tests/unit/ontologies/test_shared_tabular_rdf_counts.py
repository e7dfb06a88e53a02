"""Counts of the real ICD-10, CIM-10, ATC, Biomappings and OWL files in ../shared/data.

Checked against ../shared/data/README.md. Where the README counts differently from the loader, the
file's truth is asserted and the comment says how the two relate.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from ontologies.loaders.atc import load_atc
from ontologies.loaders.cim10 import load_cim10
from ontologies.loaders.icd10 import load_icd10
from ontologies.loaders.owl import load_owl
from ontologies.loaders.skos import load_skos
from ontologies.loaders.sssom import load_sssom
from ontologies.model import MappingPredicate, OntologyRelease
from ontologies.spec import SourceSpec

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data"
DATA = SHARED / "ontologies"
ICD10_XML = DATA / "icd10" / "icd_10_v2019.xml"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.slow,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared data absent: {SHARED} (a fresh clone has none)"),
]


@pytest.fixture(scope="module")
def icd10() -> OntologyRelease:
    return load_icd10(SourceSpec(format="icd10", path=ICD10_XML))


@pytest.fixture(scope="module")
def cim10() -> OntologyRelease:
    spec = SourceSpec(
        format="cim10", path=DATA / "cim10" / "cim10.csv.gz", extras={"hierarchy": (ICD10_XML,)}
    )
    return load_cim10(spec)


@pytest.fixture(scope="module")
def atc() -> OntologyRelease:
    return load_atc(SourceSpec(format="atc", path=DATA / "atc" / "drugs.json"))


@pytest.fixture(scope="module")
def positive() -> OntologyRelease:
    return load_sssom(SourceSpec(format="sssom", path=DATA / "mappings" / "biomappings-positive.sssom.tsv"))


def _pairs(release: OntologyRelease) -> Counter[tuple[str, str]]:
    return Counter((m.subject.partition(":")[0], m.object.partition(":")[0]) for m in release.mappings)


# --- ICD-10 and CIM-10 ------------------------------------------------------------------------


def test_icd10_has_every_item_of_the_who_xml(icd10: OntologyRelease) -> None:
    kinds = Counter(concept.kind for concept in icd10.concepts)
    assert kinds == {"chapter": 22, "block": 274, "category": 2050, "subcategory": 10196}
    assert icd10.release.version == "2019"


def test_cim10_has_its_42886_codes(cim10: OntologyRelease) -> None:
    codes = [concept for concept in cim10.concepts if concept.kind in ("category", "subcategory")]
    assert len(codes) == 42_886
    # Plus the WHO chapters (22) and blocks (274) that hold them.
    assert len(cim10.concepts) == 42_886 + 22 + 274


def test_cim10_tree_is_connected_under_the_22_chapters(cim10: OntologyRelease) -> None:
    curies = {concept.curie for concept in cim10.concepts}
    roots = [concept.curie for concept in cim10.concepts if not concept.parents]
    assert all(parent in curies for concept in cim10.concepts for parent in concept.parents)
    assert len(roots) == 22
    assert cim10.warnings == ()


def test_cim10_retired_codes_are_obsolete(cim10: OntologyRelease) -> None:
    # 401 rows carry an ATIH "*** SUxx ***" mark (SU06 … SU99).
    assert sum(concept.obsolete for concept in cim10.concepts) == 401


def test_cim10_maps_to_icd10_where_both_have_the_code(cim10: OntologyRelease, icd10: OntologyRelease) -> None:
    icd10_curies = {concept.curie for concept in icd10.concepts}
    assert {mapping.object for mapping in cim10.mappings} <= icd10_curies
    # 12,227 CIM-10 codes are in the WHO XML (the other 30,659 are French extensions or retired),
    # plus the 296 chapters and blocks.
    assert len(cim10.mappings) == 12_227 + 296


# --- ATC ----------------------------------------------------------------------------------------


def test_atc_file_has_1968_codes_and_5789_names() -> None:
    raw = json.loads((DATA / "atc" / "drugs.json").read_text(encoding="utf-8"))
    assert (len(raw), sum(len(names) for names in raw.values())) == (1_968, 5_789)


def test_atc_loader_merges_the_misspelt_code(atc: OntologyRelease) -> None:
    # "JO5AX09" (letter O) is read as J05AX09, which the file also lists: its name CELSENTRI is on
    # both, so the loader has one code and one name fewer than the README's 1,968 / 5,789.
    named = [concept for concept in atc.concepts if concept.labels]
    assert (len(named), sum(len(c.labels) + len(c.synonyms) for c in named)) == (1_967, 5_788)
    assert len(atc.warnings) == 1


def test_atc_tree_is_connected_under_the_14_anatomical_groups(atc: OntologyRelease) -> None:
    levels = Counter(concept.kind for concept in atc.concepts)
    assert levels["atc-level-1"] == 14
    assert len(atc.concepts) == 2_803
    curies = {concept.curie for concept in atc.concepts}
    assert all(parent in curies for concept in atc.concepts for parent in concept.parents)


# --- Biomappings ------------------------------------------------------------------------------


def test_biomappings_positive_pairs_match_the_readme(positive: OntologyRelease) -> None:
    # The README counts one direction: MeSH subject → DOID object (1,363 exactMatch + 1 narrowMatch),
    # MeSH → HP, MONDO → MeSH (321 exact + 2 narrow). 140 more rows go DOID → MeSH.
    pairs = _pairs(positive)
    assert (pairs["MESH", "DOID"], pairs["MESH", "HP"], pairs["MONDO", "MESH"]) == (1_364, 346, 323)
    assert pairs["MESH", "DOID"] + pairs["DOID", "MESH"] == 1_504


def test_biomappings_positive_keeps_the_skos_rows(positive: OntologyRelease) -> None:
    # 11,719 rows: 11,101 with a SKOS predicate; 616 debio:0000003 and 2 ro: rows are skipped.
    predicates = Counter(mapping.predicate for mapping in positive.mappings)
    assert len(positive.mappings) == 11_101
    assert predicates[MappingPredicate.EXACT] == 11_018
    assert positive.release.source == "biomappings-positive"
    assert any("616 in all" in warning for warning in positive.warnings)


def test_biomappings_negative_mappings_are_all_negated() -> None:
    negative = load_sssom(
        SourceSpec(format="sssom", path=DATA / "mappings" / "biomappings-negative.sssom.tsv")
    )
    assert len(negative.mappings) == 1_628  # 1,825 rows less 197 debio:0000003
    assert all(mapping.negated for mapping in negative.mappings)


# --- OWL modules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "prefix", "classes", "labelled", "parents"),
    [("symp_import.owl", "SYMP", 894, 894, 895), ("uberon_import.owl", "UBERON", 844, 836, 1_275)],
)
def test_owl_modules_load_with_plausible_counts(
    name: str, prefix: str, classes: int, labelled: int, parents: int
) -> None:
    release = load_owl(SourceSpec(format="owl", path=DATA / "doid" / "imports" / name))
    assert (release.release.version, release.release.prefixes) == ("2026-07-31", (prefix,))
    assert len(release.concepts) == classes
    assert sum(bool(concept.labels) for concept in release.concepts) == labelled
    assert sum(len(concept.parents) for concept in release.concepts) == parents
    assert release.warnings == ()


def test_symp_xrefs_are_normalised() -> None:
    release = load_owl(SourceSpec(format="owl", path=DATA / "doid" / "imports" / "symp_import.owl"))
    prefixes = Counter(
        xref.object.partition(":")[0] for concept in release.concepts for xref in concept.xrefs
    )
    # UMLS_CUI → UMLS and ICD9CM_2005 → ICD9CM; "url:" web links on definition axioms are not xrefs.
    assert (prefixes["UMLS"], prefixes["ICD9CM"], prefixes["URL"]) == (174, 192, 0)


# --- the demo vocabulary against the real data --------------------------------------------------


def _hp_ids() -> tuple[set[str], set[str]]:
    ids: set[str] = set()
    obsolete: set[str] = set()
    current = ""
    with (DATA / "hpo" / "hp.obo").open(encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("id: "):
                current = line[4:].strip()
                ids.add(current)
            elif line.startswith("is_obsolete: true"):
                obsolete.add(current)
    return ids, obsolete


def test_demo_mapping_targets_exist_in_the_real_data(cim10: OntologyRelease, atc: OntologyRelease) -> None:
    demo = load_skos(SourceSpec(format="skos", path=ROOT / "ontologies" / "demo" / "cardiometabolic.ttl"))
    hp_ids, hp_obsolete = _hp_ids()
    known = (
        (hp_ids - hp_obsolete)
        | {concept.curie for concept in cim10.concepts if not concept.obsolete}
        | {concept.curie for concept in atc.concepts}
    )
    assert len(demo.mappings) == 37
    assert [mapping.object for mapping in demo.mappings if mapping.object not in known] == []


def test_demo_atc_substances_are_named_in_the_file(atc: OntologyRelease) -> None:
    demo = load_skos(SourceSpec(format="skos", path=ROOT / "ontologies" / "demo" / "cardiometabolic.ttl"))
    labels = {concept.curie: concept.labels for concept in atc.concepts}
    substances = [m.object for m in demo.mappings if m.object.startswith("ATC:") and len(m.object) == 11]
    assert len(substances) == 4
    assert all(labels[curie] for curie in substances)
