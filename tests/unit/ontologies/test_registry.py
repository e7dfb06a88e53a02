"""read_source: format dispatch, file-role and file checks, spec metadata and translations applied."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

import pytest

from ontologies.errors import OntologyFormatError, UnknownFormatError
from ontologies.model import OntologyRelease
from ontologies.registry import FORMATS, read_source, read_sources
from ontologies.spec import SourceSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ontologies"
HPO = FIXTURES / "hpo-mini.obo"
BABELON = FIXTURES / "hpo-mini-babelon.tsv"
SSSOM = FIXTURES / "mini.sssom.tsv"
CIM10 = FIXTURES / "mini-cim10.csv"


def _spec(fmt: str, path: Path, **extras: tuple[Path, ...]) -> SourceSpec:
    return SourceSpec(format=fmt, path=path, source_id="test", extras=MappingProxyType(extras))


def _concept_label(release: OntologyRelease, curie: str, lang: str) -> str | None:
    return next(concept for concept in release.concepts if concept.curie == curie).label(lang)


# --- format dispatch ----------------------------------------------------------------------------


def test_unknown_format_raises_unknown_format_error() -> None:
    with pytest.raises(UnknownFormatError, match="Unknown ontology format 'rrf'"):
        read_source(_spec("rrf", HPO))


def test_unknown_format_lists_known_formats() -> None:
    with pytest.raises(UnknownFormatError) as info:
        read_source(_spec("rrf", HPO))
    assert ", ".join(FORMATS) in str(info.value)


def test_unknown_format_checked_before_files(tmp_path: Path) -> None:
    with pytest.raises(UnknownFormatError):
        read_source(_spec("rrf", tmp_path / "absent.obo"))


def test_formats_sorted_and_include_every_loader() -> None:
    assert FORMATS == ("atc", "cim10", "doid-tsv", "icd10", "obo", "owl", "skos", "sssom")


# --- file roles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "path", "role"),
    [("obo", HPO, "hierarchy"), ("sssom", SSSOM, "subsets"), ("cim10", CIM10, "xrefs")],
)
def test_unexpected_role_raises(fmt: str, path: Path, role: str) -> None:
    with pytest.raises(OntologyFormatError, match=f"unexpected file role\\(s\\) {role}"):
        read_source(_spec(fmt, path, **{role: (BABELON,)}))


def test_unexpected_role_error_lists_allowed_roles() -> None:
    with pytest.raises(OntologyFormatError, match="roles among: hierarchy, translations"):
        read_source(_spec("cim10", CIM10, subsets=(BABELON,)))


def test_unexpected_role_is_not_unknown_format() -> None:
    with pytest.raises(OntologyFormatError) as info:
        read_source(_spec("obo", HPO, hierarchy=(BABELON,)))
    assert not isinstance(info.value, UnknownFormatError)


# --- missing files ------------------------------------------------------------------------------


def test_missing_main_file_named(tmp_path: Path) -> None:
    absent = tmp_path / "absent.obo"
    with pytest.raises(OntologyFormatError, match="File not found") as info:
        read_source(_spec("obo", absent))
    assert info.value.path == str(absent)


def test_missing_extra_file_named(tmp_path: Path) -> None:
    absent = tmp_path / "absent.babelon.tsv"
    with pytest.raises(OntologyFormatError, match="File not found") as info:
        read_source(_spec("obo", HPO, translations=(BABELON, absent)))
    assert info.value.path == str(absent)


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(OntologyFormatError, match="File not found"):
        read_source(_spec("obo", tmp_path))


# --- metadata and translations ------------------------------------------------------------------


def test_reads_through_the_format_loader() -> None:
    release = read_source(_spec("obo", HPO))
    assert _concept_label(release, "HP:0001250", "en") == "Seizure"


def test_spec_licence_wins_over_file_licence() -> None:
    spec = SourceSpec(format="sssom", path=SSSOM, source_id="mini", licence="Our own licence")
    assert read_source(spec).release.licence == "Our own licence"


def test_file_licence_kept_without_spec_licence() -> None:
    spec = SourceSpec(format="sssom", path=SSSOM, source_id="mini")
    assert read_source(spec).release.licence == "https://creativecommons.org/publicdomain/zero/1.0/"


def test_spec_licence_set_for_format_without_licence() -> None:
    spec = SourceSpec(format="obo", path=HPO, source_id="hpo", licence="HPO licence")
    assert read_source(spec).release.licence == "HPO licence"


def test_translations_applied() -> None:
    release = read_source(_spec("obo", HPO, translations=(BABELON,)))
    assert _concept_label(release, "HP:0001250", "fr") == "Crise épileptique"


def test_no_translation_without_translations_role() -> None:
    release = read_source(_spec("obo", HPO))
    assert _concept_label(release, "HP:0001250", "fr") is None


# --- several sources --------------------------------------------------------------------------
def test_read_sources_in_parallel_gives_the_releases_of_read_source_in_order() -> None:
    specs = [
        _spec("obo", HPO),
        _spec("sssom", SSSOM),
        _spec("obo", FIXTURES / "doid-mini-subset.obo"),
        _spec("obo", HPO),
    ]
    expected = [read_source(spec) for spec in specs]
    assert read_sources(specs, parallel=True) == expected
    assert read_sources(specs, parallel=False) == expected


def test_read_sources_raises_the_first_malformed_file_in_order() -> None:
    broken = [FIXTURES / "obo-broken-line.obo", FIXTURES / "obo-broken-encoding.obo"]
    specs = [_spec("obo", HPO), _spec("obo", broken[0]), _spec("sssom", SSSOM), _spec("obo", broken[1])]
    for parallel in (True, False):
        with pytest.raises(OntologyFormatError, match=r"obo-broken-line\.obo"):
            read_sources(specs, parallel=parallel)
