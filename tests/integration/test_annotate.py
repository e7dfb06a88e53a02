"""POST /api/annotate on the real test Neo4j: terms exported from the graph, matched, qualified."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from api.annotation import AnnotatorProvider, excluded_concepts
from graph.driver import Graph
from graph.ontology_writer import OntologyWriter
from graph.terms import TermExport, terminology_version
from ontologies.model import (
    Concept,
    Label,
    Mapping,
    MappingPredicate,
    OntologyRelease,
    Release,
    Synonym,
    SynonymType,
)


def _concept(curie: str, labels: dict[str, str], synonyms: tuple[Synonym, ...] = ()) -> Concept:
    return Concept(
        curie=curie,
        iri=f"https://example.org/{curie}",
        source=curie.split(":")[0].lower(),
        labels=tuple(Label(text, lang) for lang, text in labels.items()),
        synonyms=synonyms,
    )


HF = _concept(
    "HS:1",
    {"fr": "Insuffisance cardiaque", "en": "Heart failure"},
    (Synonym("IC", "fr", SynonymType.ABBREVIATION),),
)
FEVER = _concept("HS:2", {"fr": "Fièvre", "en": "Fever"})
PE = _concept("HS:3", {"fr": "Embolie pulmonaire", "en": "Pulmonary embolism"})
BREAST = _concept("HS:4", {"fr": "Cancer du sein", "en": "Breast cancer"})
OTHER_HF = _concept("XX:9", {"en": "Heart failure"})


@pytest.fixture
def loaded(graph: Graph, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Graph:
    monkeypatch.setenv("HEALTHSEARCH_CACHE_DIR", str(tmp_path))
    writer = OntologyWriter(graph)
    writer.load(
        OntologyRelease(
            release=Release(source="hs", version="1"),
            concepts=(HF, FEVER, PE, BREAST),
            mappings=(Mapping("HS:1", MappingPredicate.EXACT, "XX:9", "hs"),),
        )
    )
    writer.load(OntologyRelease(release=Release(source="xx", version="1"), concepts=(OTHER_HF,)))
    return graph


def mentions(client: FlaskClient, text: str, lang: str | None = None) -> list[dict[str, Any]]:
    body: dict[str, Any] = {"text": text} | ({"lang": lang} if lang else {})
    response = client.post("/api/annotate", json=body)
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["mentions"])


def test_export_gives_active_terms_and_exact_pairs(loaded: Graph) -> None:
    export = TermExport(loaded)
    terms = set(export.terms(["fr"]))
    assert ("HS:1", "IC", "fr", "abbreviation", "hs") in terms
    assert all(term[2] == "fr" for term in terms)
    assert export.exact_pairs() == [("HS:1", "XX:9")]
    assert export.link_counts() == {"HS:1": 1, "XX:9": 1}
    assert len(terminology_version(export.releases())) == 12


def test_a_concepts_terms_are_exported_labels_first_then_by_type_and_text(graph: Graph) -> None:
    # The store hands a concept's terms back in an order a reload may change; the matcher names the
    # first of a concept's equal terms, so the export sorts them.
    synonyms = tuple(
        Synonym(text, "fr", kind)
        for text, kind in [
            ("PALUDISME, SAI", SynonymType.EXACT),
            ("malaria", SynonymType.RELATED),
            ("Impaludation", SynonymType.EXACT),
            ("PALU", SynonymType.ABBREVIATION),
            ("Fièvre des marais", SynonymType.EXACT),
        ]
    )
    OntologyWriter(graph).load(
        OntologyRelease(
            release=Release(source="hs", version="1"),
            concepts=(_concept("HS:7", {"fr": "Paludisme, sans précision"}, synonyms),),
        )
    )
    assert [(text, kind) for _, text, _, kind, _ in TermExport(graph).terms(["fr"])] == [
        ("Paludisme, sans précision", "label"),
        ("Fièvre des marais", "exact"),
        ("Impaludation", "exact"),
        ("PALUDISME, SAI", "exact"),
        ("PALU", "abbreviation"),
        ("malaria", "related"),
    ]


def test_subtypes_sharing_a_name_link_it_to_their_parent_read_from_the_graph(
    graph: Graph, tmp_path: Path
) -> None:
    def concept(curie: str, label: str, parents: tuple[str, ...] = (), obsolete: bool = False) -> Concept:
        return replace(_concept(curie, {"en": label}), parents=parents, obsolete=obsolete)

    OntologyWriter(graph).load(
        OntologyRelease(
            release=Release(source="do", version="1"),
            concepts=(
                concept("DO:0", "myotonic disease"),
                concept("DO:9", "muscle disease", obsolete=True),
                concept("DO:1", "myotonic dystrophy type 1", ("DO:0", "DO:9")),
                concept("DO:2", "myotonic dystrophy type 2", ("DO:0",)),
            ),
        )
    )
    # The obsolete parent is no parent: DO:0 is the only one the two types share.
    parents = TermExport(graph).parents(["DO:1", "DO:2", "DO:0", "DO:404"])
    assert parents == {"DO:1": ["DO:0"], "DO:2": ["DO:0"]}
    annotator = AnnotatorProvider(graph, cache_dir=tmp_path / "matchers").get()
    (mention,) = annotator.annotate("Known myotonic dystrophy.", lang="en").mentions
    assert mention.text == "myotonic dystrophy"
    assert mention.candidates[0].curie == "DO:0"


def test_branches_that_name_no_finding_are_left_out_of_the_matcher(graph: Graph, tmp_path: Path) -> None:
    # Roots listed in nlp/resources/excluded_branches.tsv: HPO's modifiers and past history items.
    def concept(curie: str, label: str, parents: tuple[str, ...] = ()) -> Concept:
        return replace(_concept(curie, {"en": label}), parents=parents)

    OntologyWriter(graph).load(
        OntologyRelease(
            release=Release(source="hp", version="1"),
            concepts=(
                concept("HP:0012823", "Clinical modifier"),
                concept("HP:0012825", "Mild", ("HP:0012823",)),
                concept("HP:0032443", "Past medical history"),
                concept("HP:0032316", "Family history", ("HP:0032443",)),
                concept("HP:0002099", "Asthma"),
            ),
        )
    )
    export = TermExport(graph)
    assert excluded_concepts(export) == {"HP:0012823", "HP:0012825", "HP:0032443", "HP:0032316"}
    annotator = AnnotatorProvider(graph, cache_dir=tmp_path / "matchers").get()
    found = annotator.annotate("Family history of mild asthma.", lang="en").mentions
    assert [(m.text, m.candidates[0].curie, m.qualifiers.family) for m in found] == [
        ("asthma", "HP:0002099", True)
    ]


def test_provider_builds_with_the_mapping_counts_and_reads_them_only_to_build(
    loaded: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = AnnotatorProvider(loaded, cache_dir=tmp_path / "matchers").get()
    # XX:9 (mapped to HS:1) is merged into HS:1's exact-match class: its count stays with HS:1's
    assert built.matchers["en"].links["HS:1"] == 1

    def unexpected(self: TermExport) -> None:
        raise AssertionError("graph-wide mapping reads on a cache hit")

    monkeypatch.setattr(TermExport, "exact_pairs", unexpected)
    monkeypatch.setattr(TermExport, "link_counts", unexpected)
    cached = AnnotatorProvider(loaded, cache_dir=tmp_path / "matchers").get()
    assert cached.matchers["en"].links == built.matchers["en"].links


def test_french_mentions_with_qualifiers(client: FlaskClient, loaded: Graph) -> None:
    text = (
        "Patient avec IC décompensée. Pas de fièvre. Suspicion d'embolie pulmonaire. Mère : cancer du sein."
    )
    found = {m["text"]: m for m in mentions(client, text, "fr")}
    assert found["IC"]["candidates"][0]["curie"] == "HS:1"
    assert found["IC"]["qualifiers"] == {
        "negated": False,
        "hypothetical": False,
        "family": False,
        "historical": False,
    }
    assert found["fièvre"]["qualifiers"]["negated"] is True
    assert found["embolie pulmonaire"]["qualifiers"]["hypothetical"] is True
    sentence = found["fièvre"]["sentence"]
    assert text[sentence["start"] : sentence["end"]].startswith("Pas de fièvre")


def test_language_is_detected(client: FlaskClient, loaded: Graph) -> None:
    response = client.post("/api/annotate", json={"text": "No fever. The patient has heart failure."})
    body = response.get_json()
    assert body["lang"] == "en"
    found = {m["text"]: m for m in body["mentions"]}
    assert found["fever"]["qualifiers"]["negated"] is True
    assert found["heart failure"]["qualifiers"]["negated"] is False


def test_exactly_mapped_concepts_count_as_one_candidate(client: FlaskClient, loaded: Graph) -> None:
    (mention,) = [
        m for m in mentions(client, "The patient has heart failure.", "en") if m["text"] == "heart failure"
    ]
    assert [c["curie"] for c in mention["candidates"]] == ["HS:1"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "text"),
        ({"text": ""}, "text"),
        ({"text": "x", "lang": "de"}, "lang"),
        ({"text": "x" * 100_001}, "text"),
    ],
)
def test_bad_requests_are_400(client: FlaskClient, loaded: Graph, body: dict[str, Any], field: str) -> None:
    response = client.post("/api/annotate", json=body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["details"]["json"]


def test_a_matcher_that_cannot_be_built_is_a_503_naming_the_fix(
    loaded: Graph, client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cold matcher cache (``loaded``, set up before the app, points it at an empty folder), and
    # TMPDIR points nowhere.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-tmp"))
    response = client.post("/api/annotate", json={"text": "Insuffisance cardiaque.", "lang": "fr"})
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "matcher_build_failed"
    assert "no-such-tmp" in error["message"] and "TMPDIR" in error["message"]


def test_text_vectors_that_cannot_be_loaded_are_a_503_naming_the_fix(
    loaded: Graph, client: FlaskClient, no_text_model: Path
) -> None:
    # Annotating returns no vector, so it does not need the model; a search compares vectors.
    annotated = client.post("/api/annotate", json={"text": "Heart failure.", "lang": "en"})
    response = client.post("/api/search", json={"query": "Heart failure.", "lang": "en"})
    assert annotated.status_code == 200
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "embedder_unavailable"
    assert "make install" in error["message"]
