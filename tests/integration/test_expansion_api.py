"""GET /api/concepts/<curie>/expansion on the real test Neo4j."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from graph.driver import Graph
from graph.ontology_writer import OntologyWriter
from ontologies.model import Concept, Label, Mapping, MappingPredicate, OntologyRelease, Release


def _concept(curie: str, label: str, parents: tuple[str, ...] = (), obsolete: bool = False) -> Concept:
    return Concept(
        curie=curie,
        iri=f"https://example.org/{curie}",
        source="hs",
        labels=(Label(label, "en"),),
        parents=parents,
        obsolete=obsolete,
    )


@pytest.fixture
def loaded(graph: Graph) -> Graph:
    release = OntologyRelease(
        release=Release(source="hs", version="1"),
        concepts=(
            _concept("HS:D", "Diabetes", ("HS:P",)),
            _concept("HS:T2", "Type 2 diabetes", ("HS:D",)),
            _concept("HS:T2N", "Type 2 diabetes with neuropathy", ("HS:T2",)),
            _concept("HS:OLD", "Old diabetes", ("HS:D",), obsolete=True),
            _concept("HS:P", "Metabolic disease"),
        ),
        mappings=(
            Mapping("HS:D", MappingPredicate.EXACT, "MESH:D003920", "biomappings"),
            # Followed, this would bring HS:X in at 0.95 x 0.95: it is a curated *incorrect* mapping.
            Mapping("MESH:D003920", MappingPredicate.EXACT, "HS:X", "other", negated=True),
        ),
    )
    OntologyWriter(graph).load(release)
    return graph


def expansion(client: FlaskClient, query: str) -> dict[str, Any]:
    response = client.get(f"/api/concepts/HS:D/expansion{query}")
    assert response.status_code == 200, response.get_json()
    return {item["curie"]: item for item in response.get_json()["expansion"]}


def test_descendants_and_exact_mappings_with_paths(client: FlaskClient, loaded: Graph) -> None:
    found = expansion(client, "")
    assert found["HS:D"]["weight"] == 1.0
    assert found["HS:T2"]["weight"] == pytest.approx(0.8)
    assert found["HS:T2N"]["weight"] == pytest.approx(0.64)
    mesh = found["MESH:D003920"]
    assert mesh["stub"] is True and mesh["weight"] == pytest.approx(0.95)
    assert mesh["path"] == [
        {
            "relation": "exact",
            "source": "HS:D",
            "target": "MESH:D003920",
            "detail": "skos:exactMatch (biomappings)",
        }
    ]
    assert found["HS:T2N"]["label"] == "Type 2 diabetes with neuropathy"


def test_obsolete_ancestors_and_negated_mappings_are_not_followed(client: FlaskClient, loaded: Graph) -> None:
    found = expansion(client, "")
    assert "HS:OLD" not in found
    assert "HS:P" not in found  # ancestors off by default
    assert "HS:X" not in found  # negated mapping


def test_depth_and_relations_are_query_options(client: FlaskClient, loaded: Graph) -> None:
    assert set(expansion(client, "?depth=1&relations=descendant")) == {"HS:D", "HS:T2"}
    assert "HS:P" in expansion(client, "?relations=ancestor")


@pytest.mark.parametrize("query", ["?depth=7", "?relations=cousin", "?relations=DROP%20ALL", "?max=0"])
def test_invalid_options_are_400(client: FlaskClient, loaded: Graph, query: str) -> None:
    response = client.get(f"/api/concepts/HS:D/expansion{query}")
    assert response.status_code == 400
    assert set(response.get_json()["error"]) == {"code", "message", "details"}


def test_unknown_concept_is_404(client: FlaskClient, loaded: Graph) -> None:
    assert client.get("/api/concepts/HS:NOPE/expansion").status_code == 404


def test_a_new_release_is_expanded_at_once_despite_the_cache(client: FlaskClient, loaded: Graph) -> None:
    assert "HS:T1" not in expansion(client, "")
    assert "HS:T1" not in expansion(client, "")  # now answered from the process's cache
    release = OntologyRelease(
        release=Release(source="hs", version="2"),
        concepts=(
            _concept("HS:D", "Diabetes", ("HS:P",)),
            _concept("HS:T1", "Type 1 diabetes", ("HS:D",)),
            _concept("HS:T2", "Type 2 diabetes", ("HS:D",)),
            _concept("HS:P", "Metabolic disease"),
        ),
    )
    OntologyWriter(loaded).load(release)
    found = expansion(client, "")
    assert "HS:T1" in found and "HS:T2N" not in found
