"""The SSSOM loader on a hand-written mapping set in Biomappings' shape, and broken files."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from ontologies.errors import OntologyFormatError
from ontologies.loaders.sssom import load_sssom
from ontologies.model import Mapping, MappingPredicate, OntologyRelease
from ontologies.spec import SourceSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ontologies"
MINI = FIXTURES / "mini.sssom.tsv"
SOURCE = "biomappings-mini"
MANUAL = "semapv:ManualMappingCuration"
COLUMNS = "subject_id\tpredicate_id\tobject_id\tmapping_justification"


def _load(path: Path = MINI, **options: Any) -> OntologyRelease:
    return load_sssom(SourceSpec(format="sssom", path=path, **options))


@pytest.fixture(scope="module")
def release() -> OntologyRelease:
    return _load()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.sssom.tsv"
    path.write_text(text, encoding="utf-8")
    return path


# --- release metadata -------------------------------------------------------------------------


def test_release_metadata_comes_from_the_yaml_header(release: OntologyRelease) -> None:
    meta = release.release
    assert (meta.source, meta.version, meta.name, meta.licence) == (
        SOURCE,  # slug of mapping_set_id .../biomappings/sssom/mini.sssom.tsv
        "2025-03-01",
        "Mini mappings",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    )
    assert (meta.languages, meta.prefixes, meta.files) == ((), (), (str(MINI),))


def test_spec_metadata_wins_over_the_header() -> None:
    meta = _load(source_id="bm", version="v1", name="BM", licence="CC0").release
    assert (meta.source, meta.version, meta.name, meta.licence) == ("bm", "v1", "BM", "CC0")


def test_without_version_or_set_id_the_hash_and_file_name_are_used(tmp_path: Path) -> None:
    path = _write(tmp_path, f"{COLUMNS}\nmesh:D1\tskos:exactMatch\tdoid:1\t{MANUAL}\n")
    meta = _load(path).release
    assert (meta.source, meta.version, meta.licence) == (
        "set",
        hashlib.sha256(path.read_bytes()).hexdigest()[:12],
        None,
    )


@pytest.mark.parametrize(
    ("set_id", "source"),
    [
        ("https://w3id.org/biopragmatics/biomappings/sssom/positive.sssom.tsv", "biomappings-positive"),
        ("https://w3id.org/biopragmatics/biomappings/sssom/negative.sssom.tsv", "biomappings-negative"),
        ("https://w3id.org/sssom/mappings/mondo/mondo_exactmatch_ncit.sssom.tsv", "mondo-exactmatch-ncit"),
        ("my-set", "my-set"),
    ],
)
def test_source_is_a_slug_of_the_mapping_set_id(tmp_path: Path, set_id: str, source: str) -> None:
    path = _write(
        tmp_path, f"#mapping_set_id: {set_id}\n{COLUMNS}\nmesh:D1\tskos:exactMatch\tdoid:1\t{MANUAL}\n"
    )
    assert _load(path).release.source == source


# --- mappings ---------------------------------------------------------------------------------


def test_every_row_round_trips(release: OntologyRelease) -> None:
    assert release.mappings == (
        Mapping("MESH:D003924", MappingPredicate.EXACT, "DOID:9352", SOURCE, 0.95, MANUAL),
        Mapping("MESH:D006973", MappingPredicate.CLOSE, "HP:0000822", SOURCE, 0.7, "semapv:LexicalMatching"),
        Mapping("MONDO:0005148", MappingPredicate.NARROW, "MESH:D003924", SOURCE, None, MANUAL),
        Mapping("UMLS:C0011860", MappingPredicate.BROAD, "MONDO:0005015", SOURCE, 1.0, MANUAL),
        Mapping("MESH:D009203", MappingPredicate.RELATED, "HP:0001658", SOURCE, 0.0, MANUAL),
        Mapping("DOID:5844", MappingPredicate.XREF, "ORPHANET:1234", SOURCE, None, MANUAL),
        Mapping("MESH:D003920", MappingPredicate.EXACT, "HP:0005978", SOURCE, None, MANUAL, negated=True),
        # Full IRIs compacted with the OBO PURL rule and the set's curie_map; trailing cells dropped.
        Mapping("DOID:9351", MappingPredicate.EXACT, "MESH:D003920", SOURCE, None, MANUAL),
    )


def test_the_result_has_no_concepts(release: OntologyRelease) -> None:
    assert release.concepts == ()


def test_a_predicate_outside_the_model_skips_the_row_with_a_warning(release: OntologyRelease) -> None:
    assert release.warnings == (
        f"{MINI}:25: predicate 'debio:0000003' is not a SKOS mapping or xref predicate; row skipped",
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("skos:exactMatch", MappingPredicate.EXACT), ("oboinowl:hasDbXref", MappingPredicate.XREF)],
)
def test_predicates_match_whatever_the_prefix_case(
    tmp_path: Path, value: str, expected: MappingPredicate
) -> None:
    path = _write(tmp_path, f"{COLUMNS}\nmesh:D1\t{value}\tdoid:1\t{MANUAL}\n")
    assert _load(path).mappings[0].predicate is expected


# --- broken files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "element", "message"),
    [
        ("broken-predicate.sssom.tsv", 7, "predicate_id", "Malformed predicate_id: 'skos:exactMatc'"),
        ("broken-column.sssom.tsv", 5, "object_id", "Missing required column 'object_id'"),
        ("broken-header.sssom.tsv", 3, None, "Malformed YAML metadata header"),
        ("broken-confidence.sssom.tsv", 4, "confidence", "Malformed confidence: 'high'"),
    ],
)
def test_broken_fixtures_name_file_line_and_column(
    name: str, line: int, element: str | None, message: str
) -> None:
    with pytest.raises(OntologyFormatError) as caught:
        _load(FIXTURES / name)
    assert (caught.value.path, caught.value.line, caught.value.element) == (
        str(FIXTURES / name),
        line,
        element,
    )
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("row", "element", "message"),
    [
        (f"mesh:D1\tnot a predicate\tdoid:1\t{MANUAL}", "predicate_id", "Malformed predicate_id"),
        (f"mesh:D1\tskos:exactMatch\tD0001\t{MANUAL}", "object_id", "Malformed object_id: 'D0001'"),
        (f"http://unknown.org/x\tskos:exactMatch\tdoid:1\t{MANUAL}", "subject_id", "Malformed subject_id"),
        (
            "mesh:D1\tskos:exactMatch\tdoid:1\t",
            "mapping_justification",
            "value in column 'mapping_justification'",
        ),
        (f"mesh:D1\tskos:exactMatch\tdoid:1\t{MANUAL}\textra", None, "5 fields"),
    ],
)
def test_broken_rows_name_the_line(tmp_path: Path, row: str, element: str | None, message: str) -> None:
    path = _write(tmp_path, f"#mapping_set_id: x\n{COLUMNS}\n{row}\n")
    with pytest.raises(OntologyFormatError) as caught:
        _load(path)
    assert (caught.value.line, caught.value.element) == (3, element)
    assert message in str(caught.value)


@pytest.mark.parametrize(("value", "message"), [("1.5", "between 0 and 1"), ("nan", "between 0 and 1")])
def test_confidence_outside_zero_one_is_an_error(tmp_path: Path, value: str, message: str) -> None:
    path = _write(tmp_path, f"{COLUMNS}\tconfidence\nmesh:D1\tskos:exactMatch\tdoid:1\t{MANUAL}\t{value}\n")
    with pytest.raises(OntologyFormatError, match=message):
        _load(path)


def test_unknown_predicate_modifier_is_an_error(tmp_path: Path) -> None:
    path = _write(
        tmp_path, f"{COLUMNS}\tpredicate_modifier\nmesh:D1\tskos:exactMatch\tdoid:1\t{MANUAL}\tMaybe\n"
    )
    with pytest.raises(OntologyFormatError, match="'Not' or nothing"):
        _load(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (f"#- a\n#- b\n{COLUMNS}\n", "expected a mapping of keys"),
        (f"#curie_map: [a, b]\n{COLUMNS}\n", "Malformed curie_map"),
        ("#mapping_set_id: x\n", "Missing required column header line"),
    ],
)
def test_malformed_headers_are_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(OntologyFormatError, match=message):
        _load(_write(tmp_path, text))
