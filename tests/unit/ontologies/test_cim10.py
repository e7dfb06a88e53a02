"""The CIM-10 loader on a hand-written excerpt of cim10.csv(.gz) joined to the mini ICD-10 XML."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path
from typing import Any

import pytest

from ontologies.errors import OntologyFormatError
from ontologies.loaders.cim10 import dotted, load_cim10
from ontologies.model import Concept, Label, Mapping, MappingPredicate, OntologyRelease, Synonym, SynonymType
from ontologies.spec import SourceSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ontologies"
MINI = FIXTURES / "mini-cim10.csv"
ICD10 = FIXTURES / "mini-icd10.xml"
HEADER = "code,type,ssr,psy,short,long\n"


def _load(path: Path = MINI, *, hierarchy: Path = ICD10, **options: Any) -> OntologyRelease:
    return load_cim10(SourceSpec(format="cim10", path=path, extras={"hierarchy": (hierarchy,)}, **options))


@pytest.fixture(scope="module")
def release() -> OntologyRelease:
    return _load()


def _concept(release: OntologyRelease, curie: str) -> Concept:
    return next(concept for concept in release.concepts if concept.curie == curie)


def _write(tmp_path: Path, text: str, name: str = "cim.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- release metadata -------------------------------------------------------------------------


def test_release_metadata_defaults(release: OntologyRelease) -> None:
    meta = release.release
    expected_hash = hashlib.sha256(MINI.read_bytes() + ICD10.read_bytes()).hexdigest()[:12]
    assert (meta.source, meta.version, meta.name, meta.licence) == ("cim10", expected_hash, "CIM-10", None)
    assert (meta.languages, meta.prefixes, meta.files) == (("fr", "en"), ("CIM10",), (str(MINI), str(ICD10)))


def test_spec_metadata_wins() -> None:
    meta = _load(source_id="cim10-atih", version="2024", name="CIM-10 FR", licence="ATIH").release
    assert (meta.source, meta.version, meta.name, meta.licence) == ("cim10-atih", "2024", "CIM-10 FR", "ATIH")


# --- codes --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [("E11", "E11"), ("E119", "E11.9"), ("B1800", "B18.00"), ("B24+0", "B24.+0"), ("C169+0", "C16.9+0")],
)
def test_dotted_inserts_the_dot_after_three_characters(code: str, expected: str) -> None:
    assert dotted(code) == expected


def test_every_field_round_trips(release: OntologyRelease) -> None:
    assert _concept(release, "CIM10:E11.9") == Concept(
        curie="CIM10:E11.9",
        iri="https://healthsearch.local/cim10/E11.9",
        source="cim10",
        labels=(Label("Diabète sucré de type 2, sans complication", "fr"),),
        synonyms=(Synonym("DIABETE TYPE 2, SANS COMPLIC.", "fr", SynonymType.EXACT, "short"),),
        parents=("CIM10:E11",),
        kind="subcategory",
    )


@pytest.mark.parametrize(
    "curie",
    ["CIM10:A00", "CIM10:U07.1"],  # "CHOLERA" / "Choléra"; "MALADIE À CORONAVIRUS 2019 [COVID-19]"
)
def test_short_label_equal_but_for_case_and_accents_is_not_a_synonym(
    release: OntologyRelease, curie: str
) -> None:
    assert _concept(release, curie).synonyms == ()


def test_chapters_and_blocks_are_concepts_with_who_english_titles(release: OntologyRelease) -> None:
    chapter, block = _concept(release, "CIM10:IV"), _concept(release, "CIM10:E10-E14")
    assert (chapter.kind, chapter.parents, chapter.labels) == (
        "chapter",
        (),
        (Label("Endocrine, nutritional and metabolic diseases", "en"),),
    )
    assert (block.kind, block.parents, block.labels) == (
        "block",
        ("CIM10:IV",),
        (Label("Diabetes mellitus", "en"),),
    )


@pytest.mark.parametrize(
    ("curie", "parent", "kind"),
    [
        ("CIM10:E11", "CIM10:E10-E14", "category"),  # WHO parent: a block
        ("CIM10:B18.00", "CIM10:B18.0", "subcategory"),  # WHO 6-character subcategory
        ("CIM10:E11.90", "CIM10:E11.9", "subcategory"),  # French extension: longest prefix code
        ("CIM10:B24.+0", "CIM10:B24", "subcategory"),  # "+" extension
        ("CIM10:C16.9+0", "CIM10:C16.9", "subcategory"),
        ("CIM10:U07.10", "CIM10:U07.1", "subcategory"),
        ("CIM10:A90", "CIM10:I", "category"),  # removed by WHO, no block holds it: its chapter
        ("CIM10:U90", "CIM10:XXII", "category"),  # French code after the last U block
    ],
)
def test_parents_come_from_the_who_tree_else_the_code_prefix(
    release: OntologyRelease, curie: str, parent: str, kind: str
) -> None:
    concept = _concept(release, curie)
    assert (concept.parents, concept.kind) == ((parent,), kind)


def test_a_code_in_a_block_range_but_absent_from_the_who_tree_gets_the_block(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "A85,3,NNNN,3,AUTRES ENCEPHALITES VIRALES,Autres encéphalites virales\n")
    assert _concept(_load(path), "CIM10:A85").parents == ("CIM10:A80-A89",)


def test_who_codes_absent_from_the_csv_are_not_concepts(release: OntologyRelease) -> None:
    assert "CIM10:E11.8" not in {concept.curie for concept in release.concepts}


def test_retired_codes_are_obsolete_without_the_mark(release: OntologyRelease) -> None:
    concept = _concept(release, "CIM10:A90")
    assert (concept.obsolete, concept.labels, concept.synonyms) == (
        True,
        (Label("Dengue [dengue classique]", "fr"),),
        (Synonym("DENGUE", "fr", SynonymType.EXACT, "short"),),
    )


def test_counts(release: OntologyRelease) -> None:
    kinds = [concept.kind for concept in release.concepts]
    assert (len(kinds), kinds.count("chapter"), kinds.count("block")) == (19 + 14, 4, 10)


# --- mappings ---------------------------------------------------------------------------------


def test_exact_matches_link_codes_chapters_and_blocks_present_in_both(release: OntologyRelease) -> None:
    objects = {mapping.object for mapping in release.mappings}
    assert Mapping("CIM10:E11.9", MappingPredicate.EXACT, "ICD10:E11.9", "cim10") in release.mappings
    assert {"ICD10:IV", "ICD10:E10-E14", "ICD10:B18.00"} <= objects
    assert not {"ICD10:E11.90", "ICD10:A90", "ICD10:B24.+0"} & objects
    assert len(release.mappings) == 14 + 13  # chapters and blocks + CSV codes found in the XML


# --- file variants ----------------------------------------------------------------------------


def test_gzip_file_gives_the_same_concepts(tmp_path: Path, release: OntologyRelease) -> None:
    path = tmp_path / "cim10.csv.gz"
    path.write_bytes(gzip.compress(MINI.read_bytes()))
    assert _load(path).concepts == release.concepts


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "\nE11,3,NNNN,3,DIABETE TYPE 2,Diabète sucré de type 2\n\n")
    assert [concept.curie for concept in _load(path).concepts][-1] == "CIM10:E11"


# --- broken files -----------------------------------------------------------------------------


@pytest.mark.parametrize("column", ["code", "short", "long"])
def test_missing_column_is_named(tmp_path: Path, column: str) -> None:
    header = ",".join(name for name in ("code", "type", "short", "long") if name != column)
    path = _write(tmp_path, header + "\n")
    with pytest.raises(OntologyFormatError) as caught:
        _load(path)
    assert (caught.value.line, caught.value.element) == (1, column)
    assert f"column '{column}'" in str(caught.value)


@pytest.mark.parametrize(
    ("rows", "line", "message"),
    [
        ("E11,3,NNNN,3,X,Diabète\nE1.1,3,NNNN,3,X,Y\n", 3, "Malformed code: 'E1.1'"),
        ("E11,3,NNNN,3,X,Diabète\nE11,3,NNNN,3,X,Y\n", 3, "'E11' already at line 2"),
        ("E11,3,NNNN,3,X\n", 2, "5 fields"),
        ("E11,3,NNNN,3,X,\n", 2, "'long' label of E11"),
    ],
)
def test_broken_rows_name_file_and_line(tmp_path: Path, rows: str, line: int, message: str) -> None:
    path = _write(tmp_path, HEADER + rows)
    with pytest.raises(OntologyFormatError) as caught:
        _load(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert message in str(caught.value)


def test_non_utf8_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "cim.csv"
    path.write_bytes(HEADER.encode() + "E11,3,NNNN,3,X,Diab\xe8te\n".encode("latin-1"))
    with pytest.raises(OntologyFormatError) as caught:
        _load(path)
    assert caught.value.line == 2


def test_truncated_gzip_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "cim10.csv.gz"
    path.write_bytes(gzip.compress(MINI.read_bytes())[:40])
    with pytest.raises(OntologyFormatError, match="gzip"):
        _load(path)


def test_missing_hierarchy_is_an_error() -> None:
    with pytest.raises(OntologyFormatError, match=r"hierarchy file"):
        load_cim10(SourceSpec(format="cim10", path=MINI))


def test_broken_hierarchy_xml_names_its_file(tmp_path: Path) -> None:
    xml = _write(tmp_path, "<icd_10_v2019>\n<item type='chapter'>\n</icd_10_v2019>\n", "icd.xml")
    with pytest.raises(OntologyFormatError) as caught:
        _load(hierarchy=xml)
    assert (caught.value.path, caught.value.line) == (str(xml), 3)
