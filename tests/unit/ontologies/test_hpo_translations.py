"""French HPO translations (Babelon TSV and ROBOT-template synonyms) attached to a loaded release."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ontologies.errors import OntologyFormatError
from ontologies.loaders.hpo_translations import apply_translations
from ontologies.loaders.obo import load_obo
from ontologies.model import Concept, Definition, Label, OntologyRelease, Synonym, SynonymType
from ontologies.spec import SourceSpec

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "ontologies"
BABELON = FIXTURES / "hpo-mini-babelon.tsv"
SYNONYMS = FIXTURES / "hpo-mini-fr-synonyms.tsv"


@pytest.fixture(scope="module")
def english() -> OntologyRelease:
    return load_obo(SourceSpec(format="obo", path=FIXTURES / "hpo-mini.obo", source_id="hpo"))


@pytest.fixture(scope="module")
def translated(english: OntologyRelease) -> OntologyRelease:
    return apply_translations(english, [BABELON, SYNONYMS])


def _concept(release: OntologyRelease, curie: str) -> Concept:
    return next(concept for concept in release.concepts if concept.curie == curie)


def _french_synonyms(release: OntologyRelease, curie: str) -> list[Synonym]:
    return [synonym for synonym in _concept(release, curie).synonyms if synonym.lang == "fr"]


# --- Babelon ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("curie", "label"),
    [
        ("HP:0000001", "Tous"),
        ("HP:0000118", "Anomalie phénotypique"),
        ("HP:0001250", "Crise épileptique"),  # trailing space in the file stripped
    ],
)
def test_official_label_becomes_french_label(translated: OntologyRelease, curie: str, label: str) -> None:
    assert _concept(translated, curie).label("fr") == label


def test_english_label_kept_first(translated: OntologyRelease) -> None:
    labels = _concept(translated, "HP:0001250").labels
    assert labels == (Label("Seizure", "en"), Label("Crise épileptique", "fr"))


def test_repeated_official_label_added_once(translated: OntologyRelease) -> None:
    concept = _concept(translated, "HP:0000118")
    assert [label for label in concept.labels if label.lang == "fr"] == [Label("Anomalie phénotypique", "fr")]


def test_second_official_label_becomes_official_synonym(translated: OntologyRelease) -> None:
    synonym = Synonym("Convulsions", "fr", SynonymType.EXACT, "OFFICIAL")
    assert synonym in _concept(translated, "HP:0001250").synonyms


def test_candidate_label_becomes_synonym_not_label(translated: OntologyRelease) -> None:
    concept = _concept(translated, "HP:0000707")
    assert concept.label("fr") is None
    assert Synonym("Anomalie du système nerveux", "fr", SynonymType.EXACT, "CANDIDATE") in concept.synonyms


def test_official_definition_unquoted(translated: OntologyRelease) -> None:
    definitions = [d for d in _concept(translated, "HP:0001250").definitions if d.lang == "fr"]
    text = 'Une crise d\'épilepsie est une anomalie "intermittente" de la physiologie du système nerveux.'
    assert definitions == [Definition(text, "fr")]


def test_candidate_definition_left_out(translated: OntologyRelease) -> None:
    assert [d.lang for d in _concept(translated, "HP:0000707").definitions] == ["en"]


def test_not_translated_rows_skipped(translated: OntologyRelease) -> None:
    concept = _concept(translated, "HP:0012638")
    assert (concept.label("fr"), _french_synonyms(translated, "HP:0012638")) == (None, [])


# --- ROBOT-template synonyms --------------------------------------------------------------------


def test_template_synonyms_split_on_pipe_deduplicated_and_typed(translated: OntologyRelease) -> None:
    assert _french_synonyms(translated, "HP:0001250") == [
        Synonym("Convulsions", "fr", SynonymType.EXACT, "OFFICIAL"),
        Synonym("Crise convulsive", "fr", SynonymType.EXACT, "CANDIDATE"),
        Synonym("Convulsion", "fr", SynonymType.EXACT, "CANDIDATE"),
    ]  # "Crise épileptique" is the French label already


def test_official_status_kept_as_source_type(translated: OntologyRelease) -> None:
    assert _french_synonyms(translated, "HP:0000118") == [
        Synonym("Anomalie d'organe", "fr", SynonymType.EXACT, "OFFICIAL")
    ]


def test_template_row_is_not_read_as_a_term(translated: OntologyRelease) -> None:
    warning = next(warning for warning in translated.warnings if warning.startswith(f"{SYNONYMS}:"))
    assert "(e.g. HP:0077777)" in warning


def test_template_row_gives_scope_and_language(english: OntologyRelease, tmp_path: Path) -> None:
    path = tmp_path / "es.tsv"
    path.write_text(
        "subject_id\ttranslation_value\tStatus\nID\tAL oboInOwl:hasNarrowSynonym@es\t\n"
        "HP:0001250\tConvulsión\tCANDIDATE\n",
        encoding="utf-8",
    )
    synonyms = _concept(apply_translations(english, [path]), "HP:0001250").synonyms
    assert synonyms[-1] == Synonym("Convulsión", "es", SynonymType.NARROW, "CANDIDATE")


def test_english_synonyms_untouched(english: OntologyRelease, translated: OntologyRelease) -> None:
    before = _concept(english, "HP:0001250").synonyms
    assert _concept(translated, "HP:0001250").synonyms[: len(before)] == before


# --- release and warnings -----------------------------------------------------------------------


def test_languages_gain_french(translated: OntologyRelease) -> None:
    assert translated.release.languages == ("en", "fr")


def test_files_gain_translation_paths(translated: OntologyRelease, english: OntologyRelease) -> None:
    assert translated.release.files == (*english.release.files, str(BABELON), str(SYNONYMS))


def test_other_metadata_unchanged(translated: OntologyRelease, english: OntologyRelease) -> None:
    meta, before = translated.release, english.release
    assert (meta.source, meta.version, meta.prefixes) == (before.source, before.version, before.prefixes)


def test_concept_count_and_order_unchanged(translated: OntologyRelease, english: OntologyRelease) -> None:
    assert [c.curie for c in translated.concepts] == [c.curie for c in english.concepts]


@pytest.mark.parametrize(("path", "count"), [(BABELON, 2), (SYNONYMS, 1)])
def test_unknown_subjects_counted_in_one_warning(translated: OntologyRelease, path: Path, count: int) -> None:
    warnings = [warning for warning in translated.warnings if warning.startswith(f"{path}:")]
    assert len(warnings) == 1
    assert f"{count} rows name terms absent from the release" in warnings[0]


def test_file_order_does_not_matter(english: OntologyRelease, translated: OntologyRelease) -> None:
    assert apply_translations(english, [SYNONYMS, BABELON]).concepts == translated.concepts


def test_input_release_not_modified(english: OntologyRelease, translated: OntologyRelease) -> None:
    assert _concept(english, "HP:0001250").label("fr") is None


# --- broken inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        ("hpo-broken-babelon-columns.tsv", 3, "expected 8 tab-separated columns"),
        ("hpo-broken-unknown-header.tsv", 1, "expected a Babelon header"),
    ],
)
def test_broken_file_error_names_file_and_line(
    english: OntologyRelease, name: str, line: int, expected: str
) -> None:
    path = FIXTURES / name
    with pytest.raises(OntologyFormatError, match=re.escape(expected)) as caught:
        apply_translations(english, [path])
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_missing_file(english: OntologyRelease, tmp_path: Path) -> None:
    with pytest.raises(OntologyFormatError, match="File not found"):
        apply_translations(english, [tmp_path / "absent.tsv"])
