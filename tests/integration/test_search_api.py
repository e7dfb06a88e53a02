"""POST /api/search and /api/patients/search on the real test Neo4j, over a small bilingual corpus.

The corpus is annotated by the real pipeline (the demo cardio-metabolic vocabulary), so negation,
family and hypothesis come from the qualifiers, not from hand-set flags. Expected rankings are known.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from api.cli import main
from graph.driver import Graph
from graph.expansion import ExpansionRepository
from graph.search_repository import SearchRepository
from nlp.embedding import DIMENSIONS
from search.engine import SIMILAR_MIN_COSINE, graph_expander
from search.patients import PatientSearch
from search.query import (
    AFFIRMED,
    ALL,
    ANY,
    DEFAULT_SIMILARITY_WEIGHT,
    FAMILY,
    HYPOTHETICAL,
    NONE,
    ConceptCriterion,
    SearchQuery,
)

REPO = Path(__file__).resolve().parents[2]
DEMO_VOCABULARY = REPO / "ontologies" / "demo" / "cardiometabolic.ttl"
HF, DM, T2D, HTA = (
    "HSDEMO:heart-failure",
    "HSDEMO:diabetes-mellitus",
    "HSDEMO:type-2-diabetes",
    "HSDEMO:hypertension",
)

CORPUS = [
    # The exact concepts, affirmed: the best evidence.
    ("fr-exact", "p1", "fr", "compte_rendu", "2025-01-10",
     "Motif : insuffisance cardiaque décompensée.\nAntécédents : diabète sucré traité par metformine."),
    # A descendant of diabetes (type 2): found below the exact concept.
    ("fr-desc", "p2", "fr", "compte_rendu", "2025-02-10",
     "Insuffisance cardiaque à fraction d'éjection préservée. Diabète de type 2 équilibré."),
    # Heart failure negated: must not be evidence of heart failure.
    ("fr-neg", "p3", "fr", "consultation", "2025-03-10",
     "Diabète sucré. Pas d'insuffisance cardiaque. Examen cardiaque normal."),
    # Diabetes of a relative only.
    ("fr-family", "p4", "fr", "consultation", "2025-04-10",
     "Insuffisance cardiaque. Antécédents familiaux : mère atteinte de diabète sucré."),
    # Hypertension affirmed: excluded by "sans HTA".
    ("fr-hta", "p5", "fr", "compte_rendu", "2025-05-10",
     "Insuffisance cardiaque et diabète sucré. Hypertension artérielle connue."),
    # English, the same ideas: found by concept across languages.
    ("en-exact", "p6", "en", "discharge_summary", "2025-06-10",
     "Admitted for heart failure. Known diabetes mellitus on insulin."),
    # Suspected heart failure only.
    ("en-hypo", "p7", "en", "discharge_summary", "2025-07-10",
     "Possible heart failure. Diabetes mellitus."),
    # Heart failure denied: alike in words and vector, never evidence.
    ("en-neg", "p9", "en", "discharge_summary", "2025-09-10", "No heart failure. Diabetes mellitus."),
    # Nothing of the query.
    ("en-other", "p8", "en", "discharge_summary", "2025-08-10", "Atrial fibrillation treated with ramipril."),
]  # fmt: skip


@pytest.fixture
def corpus(graph: Graph, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Graph:
    monkeypatch.setenv("HEALTHSEARCH_CACHE_DIR", str(tmp_path / "cache"))
    loaded = runner.invoke(
        main, ["ontologies", "load", str(DEMO_VOCABULARY), "--format", "skos", "--source-id", "hs-demo"]
    )
    assert loaded.exit_code == 0, loaded.output
    notes = tmp_path / "notes.jsonl"
    notes.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": id,
                    "patient_id": p,
                    "lang": lang,
                    "type": type,
                    "date": day,
                    "text": text,
                    "source": "t",
                },
                ensure_ascii=False,
            )
            for id, p, lang, type, day, text in CORPUS
        )
    )
    ingested = runner.invoke(
        main, ["documents", "ingest", str(notes), "--format", "jsonl", "--processes", "1"]
    )
    assert ingested.exit_code == 0, ingested.output
    return graph


def search(client: FlaskClient, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = client.post("/api/search", json=body)
    assert response.status_code == status, response.get_json()
    result: dict[str, Any] = response.get_json()
    return result


def ids(body: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in body["results"]]


def test_a_short_query_without_concepts_is_expanded_by_feedback(client: FlaskClient, corpus: Graph) -> None:
    # "décompensée" names no concept of the demo vocabulary: the words of its first result (a heart
    # failure and diabetes report) find the documents worded like it, below it.
    body = search(client, {"query": "décompensée", "lang": "fr"})
    assert body["query"]["any"] == []
    terms = {item["term"]: item["weight"] for item in body["query"]["feedback_terms"]}
    assert {"décompensée", "insuffisance", "cardiaque"} <= set(terms)
    assert sum(terms.values()) == pytest.approx(0.5, abs=1e-4)  # the feedback words' share
    found = ids(body)
    assert found[0] == "fr-exact" and len(found) > 1
    plain = search(client, {"query": "décompensée", "lang": "fr", "feedback": False})
    assert ids(plain) == ["fr-exact"] and plain["query"]["feedback_terms"] == []


@pytest.mark.parametrize("text", ["pas d'insuffisance cardiaque", "sans insuffisance cardiaque"])
def test_a_query_that_only_excludes_finds_the_stated_absence(
    client: FlaskClient, corpus: Graph, text: str
) -> None:
    body = search(client, {"query": text, "lang": "fr"})
    query = body["query"]
    assert query["none"] == [] and query["bm25_text"] == ""
    assert [(c["concept"], c["assertions"]) for c in query["any"]] == [(HF, ["negated"])]
    # The two reports saying there is no heart failure (the concept crosses languages).
    assert sorted(ids(body)) == ["en-neg", "fr-neg"]
    highlights = [h for s in body["results"][0]["snippets"] for h in s["highlights"] if h["concept"]]
    assert highlights and all(h["negated"] for h in highlights)


def test_free_text_query_is_understood_and_explained(client: FlaskClient, corpus: Graph) -> None:
    body = search(client, {"query": "insuffisance cardiaque et diabète sans HTA", "match": "all"})
    query = body["query"]
    assert query["lang"] == "fr"
    assert [c["concept"] for c in query["all"]] == [HF, DM]
    assert [c["concept"] for c in query["none"]] == [HTA]
    assert "HTA" not in query["bm25_text"]  # an exclusion is not searched as text
    found = ids(body)
    # Negated heart failure, a relative's diabetes, affirmed hypertension and a suspicion: all out.
    assert set(found) == {"fr-exact", "fr-desc", "en-exact"}
    # The descendant ranks below the documents citing the exact concepts.
    assert found.index("fr-desc") > found.index("fr-exact")
    desc = next(hit for hit in body["results"] if hit["id"] == "fr-desc")
    diabetes = next(c for c in desc["breakdown"]["concepts"] if c["criterion"] == DM)
    assert diabetes["concept"] == T2D and diabetes["weight"] == pytest.approx(0.8)
    assert diabetes["path"] == [{"relation": "descendant", "source": DM, "target": T2D, "detail": None}]
    snippet_texts = [s["text"] for s in desc["snippets"]]
    assert any("Diabète de type 2" in text for text in snippet_texts)
    highlighted = {
        s["text"][h["start"] : h["end"]] for s in desc["snippets"] for h in s["highlights"] if h["concept"]
    }
    assert "Diabète de type 2" in highlighted
    assert body["total"] == 3 and body["total_exact"] is True
    assert body["facets"]["lang"] == {"fr": 2, "en": 1}


def test_the_diabetic_patient_of_a_query_is_diabetes(client: FlaskClient, corpus: Graph) -> None:
    # Issue 4's example, word for word: "diabétique" names diabetes (nlp/resources/derived_forms.tsv).
    body = search(client, {"query": "insuffisance cardiaque chez le diabétique sans HTA", "match": "all"})
    assert [(c["concept"], c["text"]) for c in body["query"]["all"]] == [
        (HF, "insuffisance cardiaque"),
        (DM, "diabétique"),
    ]
    assert [c["concept"] for c in body["query"]["none"]] == [HTA]
    assert set(ids(body)) == {"fr-exact", "fr-desc", "en-exact"}


def test_an_english_query_without_function_words_is_read_as_english(
    client: FlaskClient, corpus: Graph
) -> None:
    # No word of either function-word list: the English terms decide (French before, and no concept).
    body = search(client, {"query": "heart failure diabetes mellitus", "match": "all"})
    assert body["query"]["lang"] == "en"
    assert [c["concept"] for c in body["query"]["all"]] == [HF, DM]
    assert set(ids(body)) >= {"fr-exact", "en-exact"}


def test_structured_query_with_hypothesis_and_filters(client: FlaskClient, corpus: Graph) -> None:
    affirmed_only = ids(search(client, {"all": [{"concept": HF}]}))
    assert "en-hypo" not in affirmed_only and "fr-neg" not in affirmed_only
    with_suspicions = search(client, {"all": [{"concept": HF, "assertions": ["affirmed", "hypothetical"]}]})
    assert "en-hypo" in ids(with_suspicions)
    # A suspicion weighs less than an affirmation.
    assert ids(with_suspicions)[-1] == "en-hypo"
    english = search(client, {"all": [{"concept": HF}], "filters": {"languages": ["en"]}})
    assert ids(english) == ["en-exact"]
    window = search(
        client, {"all": [{"concept": HF}], "filters": {"date_from": "2025-02-01", "date_to": "2025-04-10"}}
    )
    assert set(ids(window)) == {"fr-desc", "fr-family"}
    family = search(client, {"all": [{"concept": DM, "assertions": ["family"]}]})
    assert ids(family) == ["fr-family"]


def test_descendants_can_be_switched_off(client: FlaskClient, corpus: Graph) -> None:
    body = search(client, {"all": [{"concept": DM, "expansion": {"relations": ["exact"]}}]})
    assert "fr-desc" not in ids(body)
    assert "fr-desc" in ids(search(client, {"all": [{"concept": DM}]}))


def test_pagination_is_stable_and_bounded(client: FlaskClient, corpus: Graph) -> None:
    everything = ids(search(client, {"any": [{"concept": HF}, {"concept": DM}], "size": 100}))
    pages = [
        ids(search(client, {"any": [{"concept": HF}, {"concept": DM}], "size": 2, "page": page}))
        for page in (1, 2, 3, 4)
    ]
    assert [doc for page in pages for doc in page] == everything
    error = search(client, {"query": "diabète", "page": 20, "size": 100}, status=400)
    assert "exceed 400" in error["error"]["message"]


def test_bad_requests_are_clear_4xx(client: FlaskClient, corpus: Graph) -> None:
    assert "query" in search(client, {}, status=400)["error"]["message"]
    unknown = search(client, {"all": [{"concept": "HSDEMO:nope"}]}, status=404)
    assert "HSDEMO:nope" in unknown["error"]["message"] and "'all'" in unknown["error"]["message"]
    search(client, {"query": "x" * 1001}, status=400)
    search(client, {"all": [{"concept": HF}] * 21}, status=400)
    search(client, {"all": [{"concept": HF, "expansion": {"depth": 7}}]}, status=400)
    dates = search(
        client,
        {"all": [{"concept": HF}], "filters": {"date_from": "2025-05-01", "date_to": "2025-01-01"}},
        400,
    )
    assert "date_from" in dates["error"]["message"]


def test_patient_search_all_any_none(client: FlaskClient, corpus: Graph) -> None:
    response = client.post(
        "/api/patients/search", json={"all": [{"concept": HF}, {"concept": DM}], "none": [{"concept": HTA}]}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    patients = [hit["id"] for hit in body["results"]]
    assert set(patients) == {"p1", "p2", "p6"}
    assert body["total"] == 3
    top = body["results"][0]
    assert {c["criterion"] for c in top["criteria"]} == {HF, DM}
    evidence = top["criteria"][0]["documents"][0]
    assert evidence["snippets"] and evidence["snippets"][0]["highlights"]
    excluded = client.post("/api/patients/search", json={"any": [{"concept": HF}], "none": [{"concept": DM}]})
    # p3 negates heart failure, p4's diabetes is her mother's: p4 stays; every affirmed diabetic goes.
    assert {hit["id"] for hit in excluded.get_json()["results"]} == {"p4"}
    missing = client.post("/api/patients/search", json={"none": [{"concept": DM}]})
    assert missing.status_code == 400


def test_patient_search_reads_a_free_text_query(client: FlaskClient, corpus: Graph) -> None:
    response = client.post(
        "/api/patients/search", json={"query": "insuffisance cardiaque et diabète sans HTA chez l'adulte"}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    query = body["query"]
    assert (query["text"], query["lang"]) == (
        "insuffisance cardiaque et diabète sans HTA chez l'adulte",
        "fr",
    )
    # A cohort: every concept read is required ("match": "all" by default), the exclusion excludes.
    assert [c["concept"] for c in query["all"]] == [HF, DM] and query["any"] == []
    assert [c["concept"] for c in query["none"]] == [HTA]
    assert query["free_terms"] == ["adulte"]  # shown, not searched: patients are matched on concepts
    assert {hit["id"] for hit in body["results"]} == {"p1", "p2", "p6"}
    # The same as the structured form, and a structured criterion joins the text's.
    either = client.post(
        "/api/patients/search",
        json={"query": "insuffisance cardiaque", "match": "any", "any": [{"concept": DM}]},
    ).get_json()
    assert [c["concept"] for c in either["query"]["any"]] == [DM, HF]
    assert {hit["id"] for hit in either["results"]} >= {"p1", "p2", "p4", "p5", "p6"}


def test_patient_search_query_naming_no_concept_is_a_clear_400(client: FlaskClient, corpus: Graph) -> None:
    response = client.post("/api/patients/search", json={"query": "patients hospitalisés en urgence"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request"
    assert "No concept to look for" in error["message"] and "'urgence'" in error["message"]


class RecordingRanking:
    """The real repository, keeping what the graph's patient ranking returned."""

    def __init__(self, graph: Graph) -> None:
        self.repository = SearchRepository(graph)
        self.ranked: list[tuple[str, float]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.repository, name)

    def rank_patients(self, *args: Any, **kwargs: Any) -> tuple[int, list[tuple[str, float]]]:
        total, page = self.repository.rank_patients(*args, **kwargs)
        self.ranked = page
        return total, page


@pytest.mark.parametrize(
    "criteria",
    [
        (ConceptCriterion(DM, role=ANY),),
        (ConceptCriterion(HF, role=ALL), ConceptCriterion(DM, role=ANY)),
        (ConceptCriterion(HF, assertions=frozenset({AFFIRMED, HYPOTHETICAL}), hypothetical_weight=0.4),),
        (ConceptCriterion(DM, role=ANY, assertions=frozenset({FAMILY})), ConceptCriterion(HTA, role=NONE)),
    ],
)
def test_patient_ranking_in_cypher_scores_as_the_python_explanation(
    corpus: Graph, criteria: tuple[ConceptCriterion, ...]
) -> None:
    # PATIENT_RANKING repeats search/scoring.py's formula in Cypher: both must agree on every
    # patient of the page, whatever the assertions, expansion and exclusions.
    backend = RecordingRanking(corpus)
    expander = graph_expander(ExpansionRepository(corpus))
    result = PatientSearch(backend, expander).search(SearchQuery(criteria=criteria), size=20)
    assert result.results, "the corpus has patients for every criterion set"
    assert [hit.id for hit in result.results] == [patient for patient, _ in backend.ranked]
    for hit, (_, score) in zip(result.results, backend.ranked, strict=True):
        assert hit.score == pytest.approx(score, rel=1e-9)
    scores = [hit.score for hit in result.results]
    assert scores == sorted(scores, reverse=True)


def test_plain_text_search_skips_understanding(client: FlaskClient, corpus: Graph) -> None:
    body = search(client, {"query": "insuffisance cardiaque", "understand": False})
    assert body["query"]["any"] == [] and body["query"]["bm25_text"] == "insuffisance cardiaque"
    # Words alone cannot tell a negated mention: the negated report is found too, by its text.
    assert "fr-neg" in ids(body)
    assert all(hit["breakdown"]["concepts"] == [] for hit in body["results"])
    # Understood, the query knows that report only denies heart failure: it is not evidence.
    assert "fr-neg" not in ids(search(client, {"query": "insuffisance cardiaque"}))


def test_english_documents_carry_a_vector_and_french_ones_none(corpus: Graph) -> None:
    rows = corpus.read(
        lambda tx: [
            (record["id"], record["dims"])
            for record in tx.run("MATCH (d:Document) RETURN d.id AS id, size(d.vector) AS dims ORDER BY id")
        ]
    )
    assert dict(rows) == {
        **{doc_id: None for doc_id, *_ in CORPUS if doc_id.startswith("fr-")},
        **{doc_id: DIMENSIONS for doc_id, *_ in CORPUS if doc_id.startswith("en-")},
    }


def test_an_english_query_is_reranked_by_similarity_and_says_so(client: FlaskClient, corpus: Graph) -> None:
    body = search(client, {"query": "heart failure", "lang": "en", "understand": False})
    english = [hit for hit in body["results"] if hit["lang"] == "en"]
    assert english and all(-1 <= hit["breakdown"]["cosine"] <= 1 for hit in english)
    best = max(hit["score"] - hit["breakdown"]["similarity"] for hit in body["results"])
    for hit in english:  # the cosine's part: similarity_weight * cosine * best score before it
        expected = DEFAULT_SIMILARITY_WEIGHT * hit["breakdown"]["cosine"] * best
        assert hit["breakdown"]["similarity"] == pytest.approx(expected, abs=1e-4)
    off = search(
        client, {"query": "heart failure", "lang": "en", "understand": False, "similarity_weight": 0}
    )
    assert all(hit["breakdown"]["cosine"] is None for hit in off["results"])
    assert all(hit["breakdown"]["similarity"] == 0 for hit in off["results"])
    # Similarity keeps what the words found and admits near English documents on their likeness alone:
    # "en-other" (atrial fibrillation) shares no word with the query.
    assert set(ids(off)) == {"en-exact", "en-hypo", "en-neg"}
    assert "en-other" in ids(body)
    admitted = body["results"][ids(body).index("en-other")]
    assert admitted["breakdown"]["text"] == 0 and admitted["breakdown"]["concepts"] == []
    assert admitted["breakdown"]["cosine"] >= SIMILAR_MIN_COSINE
    assert ids(body)[-1] == "en-other"  # below every document the words found


def test_a_denial_is_not_admitted_by_similarity(client: FlaskClient, corpus: Graph) -> None:
    # "en-neg" is among the nearest by vector (and has the query's words), but it only denies the
    # concept the query was understood as: not evidence. Plain words cannot tell (previous test).
    body = search(client, {"query": "heart failure", "lang": "en"})
    assert body["query"]["any"] and "en-neg" not in ids(body)
    assert {"en-exact", "en-hypo"} <= set(ids(body))


def test_a_french_query_has_no_similarity(client: FlaskClient, corpus: Graph) -> None:
    body = search(client, {"query": "insuffisance cardiaque"})
    assert body["results"] and all(hit["breakdown"]["cosine"] is None for hit in body["results"])


def test_the_document_view_does_not_return_the_vector(client: FlaskClient, corpus: Graph) -> None:
    response = client.get("/api/documents/en-exact")
    assert response.status_code == 200
    assert "vector" not in json.dumps(response.get_json())
