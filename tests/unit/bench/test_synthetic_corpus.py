"""The synthetic corpus generator: deterministic, readable by our jsonl reader, counts that add up."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from bench import synthetic_corpus as sc
from nlp.documents import DocumentRecord, Reject, read_documents
from ontologies.model import Concept, Label

DOCS = 400

# Distinct words per language, so that a label of one language found in the other is a bug.
TERMS = """curie\tlang\ttext
# kind defaults to finding
T:1\tfr\tHypertension artérielle
T:1\tfr\tHTA
T:1\ten\tHigh blood pressure
T:1\ten\tHBP
T:2\tfr\tDiabète sucré
T:2\ten\tDiabetes mellitus
T:3\tfr\tInsuffisance cardiaque
T:3\ten\tHeart failure
T:3\ten\tCardiac failure
T:4\tfr\tPneumopathie
T:4\ten\tPneumonia
T:5\tfr\tFibrillation atriale
T:5\tfr\tFA
T:5\ten\tAtrial fibrillation
T:6\tfr\tAnémie ferriprive
T:6\ten\tIron deficiency anaemia
T:7\tfr\tColique néphrétique
T:7\ten\tRenal colic
T:8\tfr\tÉpilepsie
T:8\ten\tEpilepsy
D:1\tfr\tMetformine\tdrug
D:1\ten\tMetformin\tdrug
D:2\tfr\tRamipril\tdrug
D:2\ten\tRamipril\tdrug
"""
FR_LABELS = ("Hypertension artérielle", "Diabète sucré", "Insuffisance cardiaque", "Pneumopathie")
EN_LABELS = ("High blood pressure", "Diabetes mellitus", "Heart failure", "Pneumonia")


@pytest.fixture(scope="module")
def terms_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("terms") / "terms.tsv"
    path.write_text(TERMS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, terms_file: Path) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("corpus") / "synth.jsonl"
    manifest = sc.generate(out, docs=DOCS, seed=7, terms_tsv=terms_file)
    return out, manifest


@pytest.fixture(scope="module")
def records(corpus: tuple[Path, dict[str, object]]) -> list[DocumentRecord]:
    items = list(read_documents(corpus[0], format="jsonl"))
    rejects = [item for item in items if isinstance(item, Reject)]
    assert rejects == []
    return [item for item in items if isinstance(item, DocumentRecord)]


def test_same_seed_same_bytes(tmp_path: Path, terms_file: Path) -> None:
    first, second = tmp_path / "a" / "synth.jsonl", tmp_path / "b" / "synth.jsonl"
    sc.generate(first, docs=150, seed=3, terms_tsv=terms_file)
    sc.generate(second, docs=150, seed=3, terms_tsv=terms_file)
    assert first.read_bytes() == second.read_bytes()
    assert sc.manifest_path(first).read_bytes() == sc.manifest_path(second).read_bytes()


def test_other_seed_other_corpus(tmp_path: Path, terms_file: Path) -> None:
    sc.generate(tmp_path / "a.jsonl", docs=50, seed=3, terms_tsv=terms_file)
    sc.generate(tmp_path / "b.jsonl", docs=50, seed=4, terms_tsv=terms_file)
    assert (tmp_path / "a.jsonl").read_bytes() != (tmp_path / "b.jsonl").read_bytes()


def test_reader_reads_every_document(records: list[DocumentRecord]) -> None:
    assert len(records) == DOCS
    assert [record.id for record in records] == [f"syn-{n:06d}" for n in range(1, DOCS + 1)]
    for record in records:
        assert record.source == "synthetic"
        assert record.metadata["synthetic"] is True
        assert record.metadata["seed"] == 7
        assert record.patient_id is not None and record.patient_id.startswith("synp-")
        assert record.date is not None and record.title
        assert len(record.text.split()) >= 50


def test_patients_have_several_documents_over_time(records: list[DocumentRecord]) -> None:
    by_patient: dict[str, list[DocumentRecord]] = {}
    for record in records:
        by_patient.setdefault(str(record.patient_id), []).append(record)
    sizes = [len(docs) for docs in by_patient.values()]
    assert max(sizes) <= sc.MAX_DOCS_PER_PATIENT
    assert 3.0 <= DOCS / len(by_patient) <= 5.0
    assert sum(size > 1 for size in sizes) > len(sizes) / 2
    for docs in by_patient.values():
        assert len({record.lang for record in docs}) == 1  # a patient's notes share a language
        dates = [str(record.date) for record in docs]
        assert dates == sorted(dates)
    years = [{str(record.date)[:4] for record in docs} for docs in by_patient.values()]
    assert max(len(found) for found in years) >= 3  # dates spread over a few years


def test_languages_and_types_all_appear(records: list[DocumentRecord]) -> None:
    languages = Counter(record.lang for record in records)
    assert set(languages) == {"fr", "en"}
    assert min(languages.values()) > DOCS / 4
    assert set(Counter(record.type for record in records)) == set(sc.TYPES)


def test_each_language_uses_its_own_labels(records: list[DocumentRecord]) -> None:
    french = "\n".join(record.text for record in records if record.lang == "fr")
    english = "\n".join(record.text for record in records if record.lang == "en")
    assert not any(label.lower() in french.lower() for label in EN_LABELS)
    assert not any(label.lower() in english.lower() for label in FR_LABELS)
    assert any(label.lower() in french.lower() for label in FR_LABELS)
    assert any(label.lower() in english.lower() for label in EN_LABELS)
    assert "HTA" in french or "FA" in french  # synonyms are used too
    assert "Motif d'hospitalisation :" in french and "Antécédents familiaux :" in french
    assert "Reason for admission:" in english and "Family history:" in english


@pytest.mark.parametrize(
    ("lang", "kind", "cues"),
    [
        ("fr", "negation", ("Pas de ", "Pas d'", "Absence de ", "Absence d'")),
        ("fr", "hypothesis", ("Suspicion de ", "Suspicion d'", "Probable ", " possible.")),
        ("fr", "family", ("Mère : ", "Père : ", "Antécédent familial ")),
        ("fr", "history", ("Antécédent de ", "Antécédent d'", "Antécédents :")),
        ("en", "negation", ("No ", "Denies ", "denies ")),
        ("en", "hypothesis", ("Possible ", "Probable ", "Rule out ", "Suspected ")),
        ("en", "family", ("Mother: ", "Father: ", "Family history of ")),
        ("en", "history", ("History of ", "Past medical history:")),
    ],
)
def test_qualifier_cues_are_written(
    records: list[DocumentRecord], lang: str, kind: str, cues: tuple[str, ...]
) -> None:
    texts = [record.text for record in records if record.lang == lang]
    found = {cue: sum(cue in text for text in texts) for cue in cues}
    assert sum(found.values()) > 0, f"no {kind} cue in {lang} documents: {found}"


def test_manifest_counts_match_the_file(
    corpus: tuple[Path, dict[str, object]], records: list[DocumentRecord]
) -> None:
    out, returned = corpus
    manifest = json.loads(sc.manifest_path(out).read_text(encoding="utf-8"))
    assert manifest == returned
    assert manifest["note"] == sc.NOTE
    assert manifest["seed"] == 7
    assert manifest["documents"] == len(records)
    assert manifest["patients"] == len({record.patient_id for record in records})
    assert manifest["languages"] == {
        lang: sum(record.lang == lang for record in records) for lang in sc.LANGS
    }
    assert manifest["types"] == {kind: sum(record.type == kind for record in records) for kind in sc.TYPES}
    mentions = {
        category: sum(int(record.metadata[f"mentions_{category}"]) for record in records)
        for category in sc.CATEGORIES
    }
    assert manifest["mentions"] == mentions
    assert all(mentions[category] > 0 for category in sc.CATEGORIES)
    surfaces = manifest["surface_forms"]
    assert sum(surfaces.values()) == sum(mentions.values())
    assert surfaces["synonym"] > 0
    assert manifest["term_source"]["kind"] == "terms"
    assert manifest["term_source"]["findings"] == {"en": 8, "fr": 8}
    words = [len(record.text.split()) for record in records]
    assert manifest["words_per_document"]["min"] == min(words)
    assert manifest["words_per_document"]["max"] == max(words)


def test_one_document_per_patient_at_ratio_one(tmp_path: Path, terms_file: Path) -> None:
    manifest = sc.generate(
        tmp_path / "c.jsonl", docs=30, seed=1, terms_tsv=terms_file, patients_per_doc_ratio=1
    )
    assert manifest["patients"] == 30
    assert manifest["documents_per_patient"]["max"] == 1


def test_main_writes_corpus_and_manifest(tmp_path: Path, terms_file: Path) -> None:
    out = tmp_path / "main.jsonl"
    assert sc.main(["--docs", "20", "--out", str(out), "--seed", "5", "--terms", str(terms_file)]) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 20
    assert json.loads(sc.manifest_path(out).read_text(encoding="utf-8"))["documents"] == 20


@pytest.mark.parametrize("ratio", ["0", "1.5", "-1"])
def test_main_rejects_a_bad_ratio(tmp_path: Path, terms_file: Path, ratio: str) -> None:
    argv = ["--docs", "5", "--out", str(tmp_path / "x.jsonl"), "--terms", str(terms_file)]
    with pytest.raises(SystemExit):
        sc.main([*argv, "--patients-per-doc-ratio", ratio])


def test_terms_tsv_first_row_is_the_label(terms_file: Path) -> None:
    pools = sc.load_terms_tsv(terms_file)
    by_curie = {term.curie: term for term in pools.findings["en"]}
    assert by_curie["T:1"] == sc.Term("T:1", "High blood pressure", ("HBP",))
    assert [term.curie for term in pools.drugs["fr"]] == ["D:1", "D:2"]


def test_classify_keeps_findings_and_drug_substances() -> None:
    def concept(curie: str, label: str, *parents: str, kind: str | None = None) -> Concept:
        return Concept(
            curie=curie, iri=curie, source="s", labels=(Label(label, "en"),), parents=parents, kind=kind
        )

    concepts = [
        concept("HP:0000118", "Phenotypic abnormality"),
        concept("HP:1", "Seizure", "HP:0000118"),
        concept("HP:5", "Mode of inheritance"),
        concept("HP:2", "Adverse drug response", "HP:0000118"),
        concept("X:drug", "Cardiometabolic drug"),
        concept("X:class", "Statin", "X:drug"),
        concept("X:atorva", "Atorvastatin", "X:class"),
        concept("X:d", "Diabetes"),
        concept("ICD10:I10", "Essential hypertension", kind="category"),
        concept("ICD10:S72", "Fracture of femur", kind="category"),
        concept("ICD10:IX", "Diseases of the circulatory system", kind="chapter"),
    ]
    kinds = sc._classify(concepts, "obo")
    assert kinds["HP:1"] == kinds["HP:2"] == kinds["X:d"] == kinds["ICD10:I10"] == "finding"
    assert kinds["HP:5"] == "other"
    assert kinds["X:atorva"] == "drug"
    assert kinds["X:class"] == kinds["ICD10:S72"] == kinds["ICD10:IX"] == "none"


@pytest.mark.parametrize(
    ("label", "usable"),
    [
        ("Hypertension", True),
        ("Acute renal failure, unspecified", False),
        ("Absent thumb", False),
        ("Polypose familiale", False),
        ("Other sepsis", False),
        ("Bursite - Sièges multiples", False),
    ],
)
def test_usable_label(label: str, usable: bool) -> None:
    assert sc.usable_label(label) is usable
