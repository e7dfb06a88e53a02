"""The ATC loader on a hand-written excerpt of edsnlp's drugs.json and broken variants."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from ontologies.errors import OntologyFormatError
from ontologies.loaders.atc import atc_ancestors, atc_level, load_atc
from ontologies.model import Concept, Label, OntologyRelease, Synonym, SynonymType
from ontologies.spec import SourceSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ontologies"
MINI = FIXTURES / "mini-drugs.json"


def _load(path: Path = MINI, **options: Any) -> OntologyRelease:
    return load_atc(SourceSpec(format="atc", path=path, **options))


@pytest.fixture(scope="module")
def release() -> OntologyRelease:
    return _load()


def _concept(release: OntologyRelease, curie: str) -> Concept:
    return next(concept for concept in release.concepts if concept.curie == curie)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "drugs.json"
    path.write_text(text, encoding="utf-8")
    return path


# --- release metadata -------------------------------------------------------------------------


def test_release_metadata_defaults(release: OntologyRelease) -> None:
    meta = release.release
    expected_hash = hashlib.sha256(MINI.read_bytes()).hexdigest()[:12]
    assert (meta.source, meta.version, meta.name, meta.licence) == ("atc", expected_hash, "ATC", None)
    assert (meta.languages, meta.prefixes, meta.files) == (("fr",), ("ATC",), (str(MINI),))


def test_spec_metadata_wins() -> None:
    meta = _load(source_id="atc-fr", version="2023", name="ATC FR", licence="WHO", languages=("fr",)).release
    assert (meta.source, meta.version, meta.name, meta.licence) == ("atc-fr", "2023", "ATC FR", "WHO")


# --- code structure ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level", "ancestors"),
    [
        ("A", 1, ()),
        ("A10", 2, ("A",)),
        ("A10B", 3, ("A10", "A")),
        ("A10BA", 4, ("A10B", "A10", "A")),
        ("A10BA02", 5, ("A10BA", "A10B", "A10", "A")),
    ],
)
def test_levels_and_ancestors_follow_the_code_length(
    code: str, level: int, ancestors: tuple[str, ...]
) -> None:
    assert (atc_level(code), atc_ancestors(code)) == (level, ancestors)


# --- concepts -------------------------------------------------------------------------------------


def test_every_field_round_trips(release: OntologyRelease) -> None:
    assert _concept(release, "ATC:A10BA02") == Concept(
        curie="ATC:A10BA02",
        iri="http://www.whocc.no/atc_ddd_index/?code=A10BA02",
        source="atc",
        labels=(Label("metformine", "fr"),),
        synonyms=(
            Synonym("GLUCOPHAGE", "fr", SynonymType.EXACT, "brand"),
            Synonym("STAGID", "fr", SynonymType.EXACT, "brand"),
        ),
        parents=("ATC:A10BA",),
        kind="atc-level-5",
    )


@pytest.mark.parametrize(
    ("curie", "label", "synonyms"),
    [
        ("ATC:A02BB01", "CYTOTEC", ()),  # brand names only: the first is the label
        ("ATC:V09AA01", "99mtc-technetium exametazime", ("CERESTAB", "CERETEC")),  # lower-case name first
        ("ATC:A01A", "preparations stomatologiques", ("ENZYMICINE",)),  # a group code listed in the file
    ],
)
def test_the_lower_case_name_is_the_label(
    release: OntologyRelease, curie: str, label: str, synonyms: tuple[str, ...]
) -> None:
    concept = _concept(release, curie)
    assert (concept.labels, tuple(synonym.text for synonym in concept.synonyms)) == (
        (Label(label, "fr"),),
        synonyms,
    )


@pytest.mark.parametrize(
    ("curie", "parents", "kind"),
    [
        ("ATC:A10BA", ("ATC:A10B",), "atc-level-4"),
        ("ATC:A10B", ("ATC:A10",), "atc-level-3"),
        ("ATC:A10", ("ATC:A",), "atc-level-2"),
        ("ATC:A", (), "atc-level-1"),
    ],
)
def test_missing_intermediate_levels_are_unlabelled_concepts(
    release: OntologyRelease, curie: str, parents: tuple[str, ...], kind: str
) -> None:
    concept = _concept(release, curie)
    assert (concept.labels, concept.parents, concept.kind) == ((), parents, kind)


def test_a_level_listed_in_the_file_keeps_its_names(release: OntologyRelease) -> None:
    concept = _concept(release, "ATC:A15")
    assert (concept.labels, concept.parents, concept.kind) == (
        (Label("stimulants de l'appetit", "fr"),),
        ("ATC:A",),
        "atc-level-2",
    )


def test_the_tree_is_connected(release: OntologyRelease) -> None:
    curies = {concept.curie for concept in release.concepts}
    roots = sorted(concept.curie for concept in release.concepts if not concept.parents)
    assert all(parent in curies for concept in release.concepts for parent in concept.parents)
    assert roots == ["ATC:A", "ATC:J", "ATC:V"]


def test_letter_o_for_zero_is_corrected_and_merged(release: OntologyRelease) -> None:
    concept = _concept(release, "ATC:J05AX09")
    assert [synonym.text for synonym in concept.synonyms] == ["CELSENTRI", "MARAVIROC VIIV"]
    assert "ATC:JO5AX09" not in {concept.curie for concept in release.concepts}
    assert release.warnings == (f"{MINI}:8: ATC code 'JO5AX09' read as 'J05AX09' (letter O for zero)",)


def test_labels_take_the_first_spec_language() -> None:
    assert _concept(_load(languages=("fr-x",)), "ATC:A10BA02").labels[0].lang == "fr-x"


# --- broken files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "element", "message"),
    [
        (
            '{\n  "A10BA02": ["metformine"],\n  "A10BA0": ["x"]\n}\n',
            3,
            "A10BA0",
            "Malformed ATC code: 'A10BA0'",
        ),
        ('{\n  "A10BA02": "metformine"\n}\n', 2, "A10BA02", "expected a list of names"),
        ('{\n  "A10BA02": ["metformine", 3]\n}\n', 2, "A10BA02", "expected a list of names"),
        ('["A10BA02"]\n', 1, None, "Malformed top level: list"),
        ('{\n  "A10BA02": ["metformine"]\n  "A10BA03": []\n}\n', 3, None, "Malformed JSON"),
    ],
)
def test_broken_json_names_file_line_and_code(
    tmp_path: Path, text: str, line: int, element: str | None, message: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(OntologyFormatError) as caught:
        _load(path)
    assert (caught.value.path, caught.value.line, caught.value.element) == (str(path), line, element)
    assert message in str(caught.value)


def test_an_empty_name_list_gives_an_unlabelled_concept(tmp_path: Path) -> None:
    path = _write(tmp_path, json.dumps({"A10BA02": []}))
    assert _concept(_load(path), "ATC:A10BA02").labels == ()
