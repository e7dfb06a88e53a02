"""Every ontology and mapping set of ../shared/data, loaded through the CLI into the real test Neo4j.

Counts are checked against ../shared/data/README.md; where the README counts differently (header
lines, one mapping direction), the comment says how. Skipped, with the reason, without shared data.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from api.cli import main
from graph.driver import Graph
from tests.conftest import REPO, wipe

pytestmark = [pytest.mark.shared_data, pytest.mark.slow]


def one(graph: Graph, query: str, **params: Any) -> Any:
    return graph.read(lambda tx: tx.run(query, params).single()[0])


@pytest.fixture(scope="module")
def loaded(graph_session: Graph, shared_data: Path) -> Iterator[Graph]:
    wipe(graph_session)
    runner = CliRunner()
    environ = {"HEALTHSEARCH_SHARED_DATA": str(shared_data)}
    old = {key: os.environ.get(key) for key in environ}
    os.environ.update(environ)
    try:
        result = runner.invoke(
            main, ["ontologies", "load", "--manifest", str(REPO / "ontologies/manifests/shared.toml")]
        )
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.exit_code == 0, result.output
    yield graph_session
    wipe(graph_session)


def concepts(graph: Graph, source: str, where: str = "true") -> int:
    """Loaded (non-stub) concepts of a source; stubs are mapping or parent targets of other sources."""
    query = f"MATCH (c:Concept {{source: $source, stub: false}}) WHERE {where} RETURN count(c)"
    return int(one(graph, query, source=source))


def test_hpo_terms_obsolete_and_synonyms(loaded: Graph) -> None:
    assert concepts(loaded, "hpo") == 19_484
    assert concepts(loaded, "hpo", "c.obsolete") == 450
    english_synonyms = one(
        loaded,
        "MATCH (:Concept {source: 'hpo'})-[:HAS_TERM]->(t:Term {lang: 'en'}) "
        "WHERE t.type <> 'label' RETURN count(t)",
    )
    assert english_synonyms == 23_519


def test_hpo_french_labels_and_synonyms(loaded: Graph) -> None:
    # 12,595 OFFICIAL label rows give 12,376 concepts with a French label (some rows repeat a concept).
    assert concepts(loaded, "hpo", "c.label_fr IS NOT NULL") == 12_376
    french_synonyms = one(
        loaded,
        "MATCH (:Concept {source: 'hpo'})-[:HAS_TERM]->(t:Term {lang: 'fr'}) "
        "WHERE t.type <> 'label' RETURN count(t)",
    )
    assert french_synonyms >= 11_815  # the synonym file's 11,815 data rows, plus CANDIDATE labels


def test_doid_history_2016_then_2026(loaded: Graph) -> None:
    old = one(loaded, "MATCH (r:Release {id: 'doid@2016-09-01'}) RETURN r {.*}")
    new = one(loaded, "MATCH (r:Release {id: 'doid@2026-07-31'}) RETURN r {.*}")
    assert old["added"] == 9_344 and old["status"] == "complete"
    assert new["status"] == "complete"
    assert new["added"] > 1_000  # thousands added in ten years
    assert 0 < new["obsoleted"] < 1_000
    assert new["changed"] > 0
    # No 2016 concept vanished: every one is still there, active or obsolete.
    assert concepts(loaded, "doid", "c.first_release = '2016-09-01'") == 9_344
    assert concepts(loaded, "doid", "c.obsoleted_in = '2026-07-31'") == new["obsoleted"]
    # HumanDO.tsv lists 12,246 terms; the subsets add obsolete ones and the root (DOID:4).
    assert concepts(loaded, "doid", "c.release = '2026-07-31' AND NOT c.obsolete") >= 12_246


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("symp", 894),
        ("uberon", 844),
        ("icd10", 12_542),  # chapters, blocks, categories and subcategories of the WHO 2019 XML
        ("cim10", 43_182),  # 42,886 codes + the ICD-10 chapters and blocks they hang from
    ],
)
def test_concept_counts(loaded: Graph, source: str, expected: int) -> None:
    assert concepts(loaded, source) == expected


def test_cim10_codes_and_french_hierarchy(loaded: Graph) -> None:
    codes = one(loaded, "MATCH (c:Concept {source: 'cim10'}) WHERE c.label_fr IS NOT NULL RETURN count(c)")
    assert codes == 42_886
    path = one(
        loaded,
        "MATCH p = (:Concept {curie: 'CIM10:E11.9'})-[:IS_A*]->(root:Concept {source: 'cim10'}) "
        "WHERE NOT (root)-[:IS_A]->() RETURN [n IN nodes(p) | n.curie]",
    )
    assert path[:2] == ["CIM10:E11.9", "CIM10:E11"]
    assert path[-1] == "CIM10:IV"


def test_atc_codes_and_names(loaded: Graph) -> None:
    # 1,968 codes and 5,789 names in drugs.json, one of them a typo (JO5AX09) merged into J05AX09.
    assert concepts(loaded, "atc", "c.label IS NOT NULL") == 1_967
    names = one(loaded, "MATCH (:Concept {source: 'atc'})-[:HAS_TERM]->(t:Term) RETURN count(t)")
    assert names == 5_788


def test_biomappings_edges(loaded: Graph) -> None:
    # The README counts one direction: MeSH -> DOID 1,364, MeSH -> HP 346, MONDO -> MeSH 323.
    def pairs(subject: str, object_: str) -> int:
        return int(
            one(
                loaded,
                "MATCH (s:Concept)-[m:MAPS_TO {loaded_by: 'biomappings'}]->(o:Concept) "
                "WHERE s.curie STARTS WITH $s AND o.curie STARTS WITH $o RETURN count(m)",
                s=subject,
                o=object_,
            )
        )

    assert pairs("MESH:", "DOID:") == 1_364
    assert pairs("MESH:", "HP:") == 346
    assert pairs("MONDO:", "MESH:") == 323
    negated = one(loaded, "MATCH ()-[m:MAPS_TO {loaded_by: 'biomappings-negative'}]->() RETURN count(m)")
    assert negated == 1_628
    assert one(loaded, "MATCH ()-[m:MAPS_TO {loaded_by: 'biomappings-negative'}]->() RETURN min(m.negated)")


def test_mapping_targets_meet_loaded_concepts(loaded: Graph) -> None:
    # A MeSH id mapped by DOID xrefs and by Biomappings is one stub concept both reach.
    shared_stubs = one(
        loaded,
        "MATCH (d:Concept {source: 'doid'})-[:MAPS_TO]->(m:Concept {stub: true})"
        "<-[:MAPS_TO]-(:Concept {source: 'hpo'}) "
        "RETURN count(DISTINCT m)",
    )
    assert shared_stubs > 100


def test_lookup_over_the_shared_set(loaded: Graph) -> None:
    from graph.concept_repository import ConceptRepository

    repo = ConceptRepository(loaded)
    hit = repo.search("diabete de type 2", lang="fr")[0]
    assert hit.match == "exact" and hit.curie.startswith(("CIM10:", "HP:"))
    assert repo.search("Seizure", lang="en")[0].curie == "HP:0001250"
