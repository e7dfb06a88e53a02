"""The concept lookup API through the Flask test client, on the real test Neo4j."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from graph.driver import Graph
from graph.ontology_writer import OntologyWriter
from ontologies.model import (
    Concept,
    Definition,
    Label,
    Mapping,
    MappingPredicate,
    OntologyRelease,
    Release,
    Synonym,
    SynonymType,
)

HF = Concept(
    curie="HS:0002",
    iri="https://example.org/HS_0002",
    source="hs",
    labels=(Label("Insuffisance cardiaque", "fr"), Label("Heart failure", "en")),
    synonyms=(Synonym("IC", "fr", SynonymType.ABBREVIATION), Synonym("CHF", "en", SynonymType.ABBREVIATION)),
    definitions=(Definition("Le cœur ne pompe plus assez.", "fr"),),
    parents=("HS:0001",),
    xrefs=(
        Mapping("HS:0002", MappingPredicate.EXACT, "CIM10:I50", "hs"),
        Mapping("HS:0002", MappingPredicate.CLOSE, "HP:0001635", "hs", confidence=0.8),
    ),
)
ROOT = Concept(
    curie="HS:0001",
    iri="https://example.org/HS_0001",
    source="hs",
    labels=(Label("Maladie cardiaque", "fr"), Label("Heart disease", "en")),
)
CHILDREN = tuple(
    Concept(
        curie=f"HS:01{i:02d}",
        iri=f"https://example.org/HS_01{i:02d}",
        source="hs",
        labels=(Label(f"Sous-type {i:02d}", "fr"),),
        parents=("HS:0002",),
    )
    for i in range(25)
)


@pytest.fixture
def loaded(graph: Graph) -> Graph:
    release = OntologyRelease(
        release=Release(source="hs", version="1", name="Demo", licence="CC0"), concepts=(ROOT, HF, *CHILDREN)
    )
    OntologyWriter(graph).load(release)
    return graph


def error_of(response: Any) -> dict[str, Any]:
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    return dict(body["error"])


def test_healthz_answers_without_touching_neo4j(client: FlaskClient) -> None:
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_says_neo4j_answers(client: FlaskClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready"}


def test_readyz_is_503_while_the_worker_warms_up(app: Flask, client: FlaskClient) -> None:
    warm = app.extensions["healthsearch"].warm
    warm.clear()
    try:
        response = client.get("/readyz")
    finally:
        warm.set()
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "warming_up"
    assert response.headers["Retry-After"] == "2"
    assert client.get("/readyz").status_code == 200


def test_search_returns_exact_match_first_with_the_matched_label(client: FlaskClient, loaded: Graph) -> None:
    body = client.get("/api/concepts?q=insuffisance%20cardiaque&lang=fr").get_json()
    first = body["hits"][0]
    assert (first["curie"], first["match"], first["matched"]["text"]) == (
        "HS:0002",
        "exact",
        "Insuffisance cardiaque",
    )
    assert body["normalised"] == "insuffisance cardiaque"


def test_search_finds_abbreviations(client: FlaskClient, loaded: Graph) -> None:
    first = client.get("/api/concepts?q=chf").get_json()["hits"][0]
    assert (first["curie"], first["matched"]["type"]) == ("HS:0002", "abbreviation")


def test_concept_detail(client: FlaskClient, loaded: Graph) -> None:
    body = client.get("/api/concepts/HS:0002?children_limit=10").get_json()
    assert body["labels"] == {"en": "Heart failure", "fr": "Insuffisance cardiaque"}
    assert body["definitions"] == {"fr": "Le cœur ne pompe plus assez."}
    assert {(s["text"], s["type"]) for s in body["synonyms"]} == {
        ("IC", "abbreviation"),
        ("CHF", "abbreviation"),
    }
    assert [p["curie"] for p in body["parents"]] == ["HS:0001"]
    assert body["children"]["count"] == 25
    assert [c["curie"] for c in body["children"]["items"]] == [f"HS:01{i:02d}" for i in range(10)]
    assert sorted(body["mappings"]) == ["CIM10", "HP"]
    assert body["mappings"]["HP"][0]["predicate"] == "skos:closeMatch"
    assert body["mappings"]["HP"][0]["confidence"] == pytest.approx(0.8)
    assert body["release"]["version"] == "1" and body["release"]["licence"] == "CC0"


def test_children_are_paged(client: FlaskClient, loaded: Graph) -> None:
    body = client.get("/api/concepts/HS:0002?children_offset=20&children_limit=10").get_json()
    assert [c["curie"] for c in body["children"]["items"]] == [f"HS:01{i:02d}" for i in range(20, 25)]


def test_curie_prefix_spellings_are_normalised(client: FlaskClient, graph: Graph) -> None:
    mesh = OntologyRelease(
        release=Release(source="m", version="1"),
        mappings=(Mapping("HS:0002", MappingPredicate.EXACT, "MESH:D006333", "m"),),
    )
    OntologyWriter(graph).load(mesh)
    assert client.get("/api/concepts/MSH:D006333").get_json()["curie"] == "MESH:D006333"


def test_unknown_concept_is_404_in_the_error_format(client: FlaskClient, loaded: Graph) -> None:
    response = client.get("/api/concepts/HS:9999")
    assert response.status_code == 404
    assert error_of(response)["code"] == "concept_not_found"


@pytest.mark.parametrize("curie", ["nocolon", "HS:", ":123", "HS:12 34", "1HS:12", "HS:" + "1" * 200])
def test_malformed_concept_id_is_400(client: FlaskClient, curie: str) -> None:
    response = client.get(f"/api/concepts/{curie}")
    assert response.status_code == 400
    assert "PREFIX:local" in error_of(response)["message"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("", "q"),
        ("q=", "q"),
        ("q=" + "x" * 201, "q"),
        ("q=diabete&lang=de", "lang"),
        ("q=diabete&limit=0", "limit"),
        ("q=diabete&limit=101", "limit"),
        ("q=diabete&limit=ten", "limit"),
        ("q=diabete&source=bad%20source", "source"),
    ],
)
def test_invalid_parameters_are_400_naming_the_parameter(client: FlaskClient, query: str, field: str) -> None:
    response = client.get(f"/api/concepts?{query}")
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_request"
    assert field in error["details"]["query"]


def test_cypher_looking_input_is_just_text(client: FlaskClient, loaded: Graph) -> None:
    response = client.get("/api/concepts?q=%22)%20MATCH%20(n)%20DETACH%20DELETE%20n%20//")
    assert response.status_code == 200
    assert client.get("/api/concepts/HS:0002").status_code == 200


def test_sources_list_releases_and_counts(client: FlaskClient, loaded: Graph) -> None:
    (source,) = client.get("/api/sources").get_json()["sources"]
    assert (source["id"], source["concepts"], source["current_release"]) == ("hs", 27, "1")
    assert source["releases"][0]["added"] == 27


def test_openapi_document_lists_the_endpoints(client: FlaskClient) -> None:
    spec = client.get("/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/concepts", "/api/concepts/{curie}", "/api/sources", "/healthz", "/readyz"} <= set(
        spec["paths"]
    )


def load_french_labels(graph: Graph, labels: dict[str, str]) -> None:
    """One concept of source ``hs`` per CURIE, with that French label only."""
    concepts = tuple(
        Concept(curie=curie, iri=f"https://example.org/{curie}", source="hs", labels=(Label(label, "fr"),))
        for curie, label in labels.items()
    )
    OntologyWriter(graph).load(OntologyRelease(release=Release(source="hs", version="1"), concepts=concepts))


def test_another_wording_is_looked_up_when_no_term_has_every_word(client: FlaskClient, graph: Graph) -> None:
    load_french_labels(
        graph,
        {"HS:M1": "Métastases hépatiques", "HS:C1": "Tumeur maligne du côlon", "HS:F1": "Abcès du foie"},
    )

    def hits(query: str) -> list[tuple[str, str, str]]:
        response = client.get("/api/concepts", query_string={"q": query, "lang": "fr"})
        assert response.status_code == 200, response.get_json()
        return [(hit["curie"], hit["match"], hit["matched"]["text"]) for hit in response.get_json()["hits"]]

    # No term holds "métastases" and "foie": the adjective's wording first, then the partial hits.
    assert hits("métastases du foie") == [
        ("HS:M1", "variant", "Métastases hépatiques"),
        ("HS:F1", "partial", "Abcès du foie"),
    ]
    assert hits("cancer du côlon")[0] == ("HS:C1", "variant", "Tumeur maligne du côlon")
    # A query some term matches in full is not reworded.
    assert hits("métastases hépatiques") == [("HS:M1", "exact", "Métastases hépatiques")]


def test_the_concepts_the_matcher_links_the_query_to_come_first(
    app: Flask, client: FlaskClient, graph: Graph
) -> None:
    load_french_labels(
        graph,
        {
            "HS:C34": "Tumeur maligne des bronches et du poumon",
            "HS:C78": "Tumeur maligne secondaire du poumon",
        },
    )

    def first(query: str) -> tuple[str, str]:
        response = client.get("/api/concepts", query_string={"q": query})
        assert response.status_code == 200, response.get_json()
        hit = response.get_json()["hits"][0]
        return hit["curie"], hit["match"]

    # "cancer du poumon" is a part of C34's name, as a report's mention is linked; no term holds its words.
    assert first("cancer du poumon") == ("HS:C34", "variant")
    assert first("Cancer pulmonaire.") == ("HS:C34", "variant")
    # While the worker warms up, the lookup does not wait for the matchers: full-text ranks the
    # shorter name first.
    warm = app.extensions["healthsearch"].warm
    warm.clear()
    try:
        assert first("cancer du poumon") == ("HS:C78", "variant")
    finally:
        warm.set()
