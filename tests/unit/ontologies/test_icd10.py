"""The WHO ICD-10 XML loader on a hand-written excerpt of icd_10_v2019.xml and broken variants."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from ontologies.errors import OntologyFormatError
from ontologies.loaders.icd10 import Icd10Entry, load_icd10, read_icd10_tree
from ontologies.model import Concept, Label, OntologyRelease
from ontologies.spec import SourceSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ontologies"
MINI = FIXTURES / "mini-icd10.xml"


def _load(path: Path = MINI, **options: Any) -> OntologyRelease:
    return load_icd10(SourceSpec(format="icd10", path=path, **options))


@pytest.fixture(scope="module")
def release() -> OntologyRelease:
    return _load()


def _concept(release: OntologyRelease, curie: str) -> Concept:
    return next(concept for concept in release.concepts if concept.curie == curie)


def _write(tmp_path: Path, items: str, root: str = "icd_10_v2019") -> Path:
    path = tmp_path / "icd.xml"
    path.write_text(f"<{root}>\n{items}</{root}>\n", encoding="utf-8")
    return path


# --- release metadata -------------------------------------------------------------------------


def test_release_metadata_defaults(release: OntologyRelease) -> None:
    meta = release.release
    assert (meta.source, meta.version, meta.name, meta.licence) == ("icd10", "2019", "ICD-10", None)
    assert (meta.languages, meta.prefixes, meta.files) == (("en",), ("ICD10",), (str(MINI),))


def test_spec_metadata_wins() -> None:
    meta = _load(source_id="who-icd10", version="2019-covid", name="ICD-10 WHO", licence="WHO").release
    assert (meta.source, meta.version, meta.name, meta.licence) == (
        "who-icd10",
        "2019-covid",
        "ICD-10 WHO",
        "WHO",
    )


def test_version_falls_back_to_content_hash_without_year_in_root(tmp_path: Path) -> None:
    path = _write(
        tmp_path, '<item type="chapter"><name>I</name><description>Infections</description></item>\n', "icd"
    )
    assert _load(path).release.version == hashlib.sha256(path.read_bytes()).hexdigest()[:12]


# --- concepts -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("curie", "kind", "parents", "label"),
    [
        ("ICD10:IV", "chapter", (), "Endocrine, nutritional and metabolic diseases"),
        ("ICD10:E10-E14", "block", ("ICD10:IV",), "Diabetes mellitus"),
        ("ICD10:E11", "category", ("ICD10:E10-E14",), "Type 2 diabetes mellitus"),
        ("ICD10:E11.9", "subcategory", ("ICD10:E11",), "Type 2 diabetes mellitus without complications"),
        # Nested blocks (C00-C97 > C00-C75 > C15-C26) and nested subcategories (B18.0 > B18.00).
        ("ICD10:C15-C26", "block", ("ICD10:C00-C75",), "Malignant neoplasms of digestive organs"),
        ("ICD10:C00-C75", "block", ("ICD10:C00-C97",), None),
        ("ICD10:B18.00", "subcategory", ("ICD10:B18.0",), None),
    ],
)
def test_items_become_concepts_with_kind_and_parent(
    release: OntologyRelease, curie: str, kind: str, parents: tuple[str, ...], label: str | None
) -> None:
    concept = _concept(release, curie)
    assert (concept.kind, concept.parents) == (kind, parents)
    if label is not None:
        assert concept.labels == (Label(label, "en"),)


def test_every_field_round_trips(release: OntologyRelease) -> None:
    assert _concept(release, "ICD10:U07.1") == Concept(
        curie="ICD10:U07.1",
        iri="http://id.who.int/icd/release/10/U07.1",
        source="icd10",
        labels=(Label("COVID-19, virus identified", "en"),),
        parents=("ICD10:U07",),
        kind="subcategory",
    )


def test_concepts_follow_document_order(release: OntologyRelease) -> None:
    assert [concept.curie for concept in release.concepts[:5]] == [
        "ICD10:I",
        "ICD10:A00-A09",
        "ICD10:A00",
        "ICD10:A00.0",
        "ICD10:A80-A89",
    ]
    assert len(release.concepts) == 30  # every <item> of the fixture


def test_read_icd10_tree_gives_entries_with_lines() -> None:
    entries, root = read_icd10_tree(MINI)
    assert root == "icd_10_v2019"
    assert entries[2] == Icd10Entry("A00", "category", "Cholera", "A00-A09", 8)


def test_labels_take_the_first_spec_language() -> None:
    assert _concept(_load(languages=("en-x",)), "ICD10:I").labels[0].lang == "en-x"


def test_whitespace_in_titles_is_collapsed(tmp_path: Path) -> None:
    path = _write(
        tmp_path, '<item type="chapter"><name> I </name><description>A\n   b</description></item>\n'
    )
    assert _load(path).concepts[0].labels == (Label("A b", "en"),)


# --- broken files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "line", "message"),
    [
        (
            '<item type="chapter"><name>I</name><description>x</description>\n</chapter>\n',
            3,
            "mismatched tag",
        ),
        (
            '<item type="chapter"><name>I</name><description>x</description></item>\n'
            '<item type="chapitre">\n',
            3,
            "item type",
        ),
        ('<item type="chapter">\n<description>x</description></item>\n', 2, "Missing required <name>"),
        ('<item type="chapter"><name>I</name></item>\n', 2, "Missing required <description>"),
        (
            '<item type="chapter"><name>I</name><description>x</description></item>\n'
            '<item type="chapter"><name>I</name><description>y</description></item>\n',
            3,
            "code 'I' already at line 2",
        ),
    ],
)
def test_broken_xml_names_file_and_line(tmp_path: Path, items: str, line: int, message: str) -> None:
    path = _write(tmp_path, items)
    with pytest.raises(OntologyFormatError) as caught:
        _load(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert message in str(caught.value)


def test_a_file_without_items_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OntologyFormatError, match=r"Missing required <item> element"):
        _load(_write(tmp_path, ""))
