"""The current DOID from HumanDO.tsv, its subset OBO files and allXREFinDO.tsv."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest

from ontologies.errors import OntologyFormatError
from ontologies.loaders.doid_tsv import load_doid_reports
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
REPORT = FIXTURES / "doid-mini-HumanDO.tsv"
SUBSETS = (FIXTURES / "doid-mini-subset.obo", FIXTURES / "doid-mini-subset-rare.obo")
XREFS = FIXTURES / "doid-mini-allXREF.tsv"


def _load(path: Path = REPORT, *, subsets: tuple[Path, ...] = (), **options: Any) -> OntologyRelease:
    extras = {"subsets": subsets, "xrefs": options.pop("xrefs", ())}
    return load_doid_reports(SourceSpec(format="doid-tsv", path=path, extras=extras, **options))


@pytest.fixture(scope="module")
def release() -> OntologyRelease:
    return _load(subsets=SUBSETS, xrefs=(XREFS,), name="Human Disease Ontology", licence="CC0")


@pytest.fixture(scope="module")
def report_only() -> OntologyRelease:
    return _load()


def _concept(release: OntologyRelease, curie: str) -> Concept:
    return next(concept for concept in release.concepts if concept.curie == curie)


# --- release metadata -------------------------------------------------------------------------


def test_release_metadata(release: OntologyRelease) -> None:
    meta = release.release
    assert (meta.source, meta.name, meta.licence, meta.languages, meta.prefixes) == (
        "doid",
        "Human Disease Ontology",
        "CC0",
        ("en",),
        ("DOID",),
    )


def test_files_listed_report_subsets_xrefs(release: OntologyRelease) -> None:
    assert release.release.files == tuple(map(str, (REPORT, *SUBSETS, XREFS)))


def test_version_from_subsets_data_version(release: OntologyRelease) -> None:
    assert release.release.version == "2026-07-31"


def test_spec_version_wins() -> None:
    assert _load(subsets=SUBSETS, version="2026").release.version == "2026"


def test_version_without_subsets_is_report_hash(report_only: OntologyRelease) -> None:
    assert report_only.release.version == hashlib.sha256(REPORT.read_bytes()).hexdigest()[:12]


def test_subsets_of_several_versions_give_latest_with_warning(tmp_path: Path) -> None:
    older = tmp_path / "older.obo"
    older.write_text(SUBSETS[1].read_text().replace("2026-07-31", "2025-01-01"), encoding="utf-8")
    loaded = _load(subsets=(SUBSETS[0], older))
    assert loaded.release.version == "2026-07-31"
    assert any("several versions" in warning for warning in loaded.warnings)


def test_source_id_from_spec() -> None:
    loaded = _load(subsets=SUBSETS, source_id="doid-2026")
    assert {concept.source for concept in loaded.concepts} == {"doid-2026"}


# --- terms from the report ----------------------------------------------------------------------


def test_one_concept_per_report_id_then_subset_only_terms(release: OntologyRelease) -> None:
    curies = [concept.curie for concept in release.concepts]
    assert curies[:14] == [
        "DOID:7",
        "DOID:14566",
        "DOID:863",
        "DOID:331",
        "DOID:936",
        "DOID:1826",
        "DOID:162",
        "DOID:0050686",
        "DOID:1612",
        "DOID:9834",
        "DOID:1279",
        "DOID:540",
        "DOID:0040058",
        "DOID:4",
    ]
    assert curies[14:] == ["DOID:0050745", "DOID:0080600"]


def test_label_from_report(release: OntologyRelease) -> None:
    concept = _concept(release, "DOID:0040058")
    assert (concept.labels, concept.iri) == (
        (Label("1,4-phenylenediamine allergic contact dermatitis", "en"),),
        "http://purl.obolibrary.org/obo/DOID_0040058",
    )


@pytest.mark.parametrize(
    ("curie", "parents"),
    [
        ("DOID:863", ("DOID:7",)),
        ("DOID:1612", ("DOID:0050686",)),
        ("DOID:540", ("DOID:9834", "DOID:1279")),  # one report row per parent
        ("DOID:7", ("DOID:4",)),  # the root "disease" is only in the subsets
        ("DOID:1826", ("DOID:936",)),  # the rare slim's is_a DOID:4 is ignored
        ("DOID:4", ()),
    ],
)
def test_parents_resolved_from_labels(release: OntologyRelease, curie: str, parents: tuple[str, ...]) -> None:
    assert _concept(release, curie).parents == parents


def test_unresolvable_parent_left_out_with_warning(release: OntologyRelease) -> None:
    assert _concept(release, "DOID:0040058").parents == ()
    expected = f"{REPORT}:15: parent 'allergic contact dermatitis' of DOID:0040058 matches no label"
    assert any(warning.startswith(expected) for warning in release.warnings)


def test_root_unresolved_without_subsets(report_only: OntologyRelease) -> None:
    assert _concept(report_only, "DOID:7").parents == ()
    assert any("parent 'disease' of DOID:7 matches no label" in warning for warning in report_only.warnings)


def test_ambiguous_parent_label_warns(tmp_path: Path) -> None:
    path = tmp_path / "HumanDO.tsv"
    path.write_text(
        'id\tlabel\tsubClassOf\n"DOID:1"\t"twin"\t""\n"DOID:2"\t"twin"\t""\n"DOID:3"\t"child"\t"twin"\n',
        encoding="utf-8",
    )
    loaded = _load(path)
    assert _concept(loaded, "DOID:3").parents == ()
    assert any("'twin' of DOID:3 is ambiguous (DOID:1, DOID:2)" in warning for warning in loaded.warnings)


def test_report_only_has_no_synonyms(report_only: OntologyRelease) -> None:
    assert all(concept.synonyms == () for concept in report_only.concepts)


# --- subsets -------------------------------------------------------------------------------------


def test_synonyms_merged_across_subsets_once(release: OntologyRelease) -> None:
    assert _concept(release, "DOID:1826").synonyms == (
        Synonym("epilepsy syndrome", "en"),
        Synonym("epileptic syndrome", "en"),
        Synonym("EPI", "en", SynonymType.ABBREVIATION, "acronym"),
    )


@pytest.mark.parametrize(
    ("text", "synonym_type", "source_type"),
    [
        ("malignant neoplasm of breast", SynonymType.EXACT, None),
        ("BC", SynonymType.ABBREVIATION, "OMO:0003012"),
        ("breast tumor", SynonymType.RELATED, None),
    ],
)
def test_subset_synonym_types(
    release: OntologyRelease, text: str, synonym_type: SynonymType, source_type: str | None
) -> None:
    assert Synonym(text, "en", synonym_type, source_type) in _concept(release, "DOID:1612").synonyms


def test_definition_merged_once(release: OntologyRelease) -> None:
    text = "A brain disease that is characterized by the occurrance of at least two unprovoked seizures."
    assert _concept(release, "DOID:1826").definitions == (Definition(text, "en"),)


def test_relation_from_subset(release: OntologyRelease) -> None:
    assert _concept(release, "DOID:540").relations == (Relation("has_symptom", "SYMP:0000001"),)


def test_subset_only_obsolete_term_kept_with_replacement(release: OntologyRelease) -> None:
    concept = _concept(release, "DOID:0050745")
    assert (concept.obsolete, concept.replaced_by) == (True, ("DOID:0050746",))


def test_subset_only_live_terms_kept_with_one_warning(release: OntologyRelease) -> None:
    assert _concept(release, "DOID:0080600").label("en") == "COVID-19"
    warnings = [warning for warning in release.warnings if "absent from it" in warning]
    assert warnings == [
        f"{REPORT}: 2 live terms of the subsets are absent from it (DOID:4, DOID:0080600); kept"
    ]


def test_skos_matches_become_release_mappings(release: OntologyRelease) -> None:
    assert release.mappings == (
        Mapping("DOID:1826", MappingPredicate.EXACT, "ICD10CM:G40", "doid"),
        Mapping("DOID:1826", MappingPredicate.NARROW, "ICD10CM:G40.9", "doid"),
    )


# --- cross-references ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("curie", "objects"),
    [
        (
            "DOID:1826",
            (
                "EFO:0000474",
                "MESH:D004827",
                "UMLS:C0014544",
                "ICD10CM:G40.909",
                "NCIT:C3020",
                "SNOMEDCT:267698007",
            ),
        ),
        ("DOID:1612", ("MESH:D001943", "OMIM:114480", "ORPHANET:180250", "ICD10CM:C50")),
        ("DOID:4", ("MESH:D004194", "NCIT:C2991")),
    ],
)
def test_xrefs_from_subsets_and_report_normalised_once(
    release: OntologyRelease, curie: str, objects: tuple[str, ...]
) -> None:
    assert _concept(release, curie).xrefs == tuple(
        Mapping(curie, MappingPredicate.XREF, target, "doid") for target in objects
    )


def test_xref_of_unknown_term_skipped_with_warning(release: OntologyRelease) -> None:
    expected = f"{XREFS}: 1 rows name terms no other file defines (DOID:9999999); skipped"
    assert expected in release.warnings


def test_xref_not_a_curie_skipped_with_warning(release: OntologyRelease) -> None:
    assert any(warning.startswith(f"{XREFS}:13: xref 'no curie here'") for warning in release.warnings)


def test_all_warnings_accounted_for(release: OntologyRelease) -> None:
    # unresolved parent, live terms absent from the report, unknown xref subject, non-CURIE xref
    assert len(release.warnings) == 4


# --- broken inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("doid-broken-HumanDO-columns.tsv", 3, "expected 3 tab-separated columns"),
        ("doid-broken-HumanDO-header.tsv", 1, "expected columns ['id', 'label', 'subClassOf']"),
        ("doid-broken-HumanDO-id.tsv", 3, "expected a CURIE such as DOID:4"),
    ],
)
def test_broken_report_error_names_file_and_line(name: str, line: int, expected: str) -> None:
    path = FIXTURES / name
    with pytest.raises(OntologyFormatError, match=re.escape(expected)) as caught:
        _load(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_broken_subset_raises_the_obo_error() -> None:
    path = FIXTURES / "obo-broken-no-id.obo"
    with pytest.raises(OntologyFormatError, match=re.escape(f"{path}:8: ")):
        _load(subsets=(path,))


def test_xref_file_with_wrong_header(tmp_path: Path) -> None:
    path = tmp_path / "xrefs.tsv"
    path.write_text('id\tlabel\tmapping\n"DOID:1826"\t"epilepsy"\t"MESH:D004827"\n', encoding="utf-8")
    with pytest.raises(OntologyFormatError, match=re.escape(f"{path}:1: ")):
        _load(xrefs=(path,))


def test_missing_report(tmp_path: Path) -> None:
    with pytest.raises(OntologyFormatError, match="File not found"):
        _load(tmp_path / "HumanDO.tsv")
