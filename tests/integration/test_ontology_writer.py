"""Writing releases into the real Neo4j: round trip, idempotency, release diff, mappings, stubs."""

from __future__ import annotations

from dataclasses import replace

import pytest

from graph.concept_repository import ConceptRepository
from graph.driver import Graph
from graph.errors import GraphUnavailable
from graph.ontology_writer import OntologyWriter
from ontologies.model import (
    Concept,
    Definition,
    Label,
    Mapping,
    MappingPredicate,
    OntologyRelease,
    Relation,
    Release,
    Synonym,
    SynonymType,
)


def concept(curie: str, en: str, fr: str | None = None, **fields: object) -> Concept:
    labels = (Label(en, "en"),) + ((Label(fr, "fr"),) if fr else ())
    return Concept(curie=curie, iri=f"http://example.org/{curie}", source="tst", labels=labels, **fields)  # type: ignore[arg-type]


ROOT = concept("TST:0", "Disease", "Maladie")
DIABETES = concept(
    "TST:1",
    "Diabetes mellitus",
    "Diabète sucré",
    synonyms=(
        Synonym("DM", "en", SynonymType.ABBREVIATION),
        Synonym("sugar diabetes", "en", SynonymType.LAYPERSON, source_type="layperson"),
        Synonym("diabète", "fr", SynonymType.EXACT),
    ),
    definitions=(Definition("A metabolic disease.", "en"), Definition("Une maladie métabolique.", "fr")),
    parents=("TST:0",),
    xrefs=(Mapping("TST:1", MappingPredicate.XREF, "MESH:D003920", "tst"),),
)
T2D = concept(
    "TST:2",
    "Type 2 diabetes",
    "Diabète de type 2",
    parents=("TST:1", "TST:0"),
    relations=(Relation("part_of", "TST:0"),),
)
OLD = concept("TST:9", "Old term", obsolete=True, replaced_by=("TST:1",))
V1 = OntologyRelease(
    release=Release(source="tst", version="v1", name="Test terminology", licence="CC0"),
    concepts=(ROOT, DIABETES, T2D, OLD),
    mappings=(
        Mapping(
            "TST:2",
            MappingPredicate.EXACT,
            "MONDO:0005148",
            "tst",
            confidence=0.95,
            justification="semapv:ManualMappingCuration",
        ),
    ),
)


def counts(graph: Graph) -> dict[str, int]:
    def work(tx):  # type: ignore[no-untyped-def]
        nodes = tx.run("MATCH (n) RETURN count(n) AS n").single()["n"]
        rels = tx.run("MATCH ()-[r]->() RETURN count(r) AS n").single()["n"]
        props = tx.run(
            "MATCH (n) WHERE NOT n:Release AND NOT n:Source RETURN sum(size(keys(n))) AS n"
        ).single()["n"]
        return {"nodes": nodes, "rels": rels, "props": props}

    return graph.read(work)


def test_every_field_round_trips(graph: Graph) -> None:
    OntologyWriter(graph).load(V1)
    detail = ConceptRepository(graph).get("TST:1")
    assert detail.labels == {"en": "Diabetes mellitus", "fr": "Diabète sucré"}
    assert detail.definitions == {"en": "A metabolic disease.", "fr": "Une maladie métabolique."}
    assert {(s.text, s.lang, s.type, s.source_type) for s in detail.synonyms} == {
        ("DM", "en", "abbreviation", None),
        ("sugar diabetes", "en", "layperson", "layperson"),
        ("diabète", "fr", "exact", None),
    }
    assert [parent.curie for parent in detail.parents] == ["TST:0"]
    assert detail.child_count == 1
    assert [child.curie for child in detail.children] == ["TST:2"]
    assert detail.release is not None and detail.release["version"] == "v1"
    assert detail.release["licence"] == "CC0"
    (xref,) = detail.mappings
    assert (xref.predicate, xref.target.curie, xref.target.stub, xref.source) == (
        "oboInOwl:hasDbXref",
        "MESH:D003920",
        True,
        "tst",
    )


def test_multiple_parents_relations_and_mapping_attributes(graph: Graph) -> None:
    OntologyWriter(graph).load(V1)
    detail = ConceptRepository(graph).get("TST:2")
    assert sorted(parent.curie for parent in detail.parents) == ["TST:0", "TST:1"]
    assert [(rel_type, target.curie) for rel_type, target in detail.relations] == [("part_of", "TST:0")]
    (mapping,) = detail.mappings
    assert mapping.predicate == "skos:exactMatch"
    assert mapping.confidence == pytest.approx(0.95)
    assert mapping.justification == "semapv:ManualMappingCuration"
    assert mapping.direction == "out"


def test_obsolete_flag_and_replaced_by_round_trip(graph: Graph) -> None:
    OntologyWriter(graph).load(V1)
    detail = ConceptRepository(graph).get("TST:9")
    assert detail.obsolete is True
    assert detail.replaced_by == ("TST:1",)


def test_edges_and_concepts_carry_provenance(graph: Graph) -> None:
    OntologyWriter(graph).load(V1)
    rows = graph.read(
        lambda tx: tx.run(
            "MATCH (a)-[r]->(b) WHERE type(r) IN ['IS_A', 'PART_OF', 'MAPS_TO'] "
            "RETURN DISTINCT type(r) AS type, r.source AS source, r.release AS release"
        ).data()
    )
    assert {(row["type"], row["source"], row["release"]) for row in rows} == {
        ("IS_A", "tst", "v1"),
        ("PART_OF", "tst", "v1"),
        ("MAPS_TO", "tst", "v1"),
    }
    concepts = graph.read(
        lambda tx: tx.run("MATCH (c:Concept {stub: false}) RETURN DISTINCT c.release AS r").data()
    )
    assert concepts == [{"r": "v1"}]


def test_loading_the_same_release_twice_changes_nothing(graph: Graph) -> None:
    writer = OntologyWriter(graph)
    writer.load(V1)
    before = counts(graph)
    report = writer.load(V1)
    assert report.skipped
    assert counts(graph) == before


def test_forced_reload_of_the_same_release_changes_nothing(graph: Graph) -> None:
    writer = OntologyWriter(graph)
    writer.load(V1)
    before = counts(graph)
    report = writer.load(V1, force=True)
    assert not report.skipped
    assert (report.diff.added, report.diff.changed, report.diff.obsoleted) == (0, 0, 0)
    assert counts(graph) == before


def test_new_release_records_diff_and_obsoletes_removed_concepts(graph: Graph) -> None:
    writer = OntologyWriter(graph)
    writer.load(V1)
    renamed = replace(T2D, labels=(Label("Diabetes mellitus type 2", "en"),))
    added = concept("TST:3", "Type 1 diabetes", parents=("TST:1",))
    v2 = OntologyRelease(release=replace(V1.release, version="v2"), concepts=(ROOT, DIABETES, renamed, added))
    report = writer.load(v2)
    # TST:9, obsolete already in v1, is not obsoleted again.
    assert (report.diff.added, report.diff.changed, report.diff.obsoleted, report.diff.unchanged) == (
        1,
        1,
        0,
        2,
    )
    release = graph.read(
        lambda tx: tx.run("MATCH (r:Release {id: 'tst@v2'}) RETURN r {.*} AS r").single()["r"]
    )
    assert (release["added"], release["changed"], release["obsoleted"], release["status"]) == (
        1,
        1,
        0,
        "complete",
    )
    # TST:9 was already obsolete in v1 and is absent from v2: it stays, marked obsolete, with its terms.
    repo = ConceptRepository(graph)
    assert repo.get("TST:9").obsolete
    assert [hit.curie for hit in repo.search("Old term", include_obsolete=True)] == ["TST:9"]
    # The renamed concept lost its old English label; its stale terms are gone.
    assert repo.get("TST:2").labels == {"en": "Diabetes mellitus type 2"}
    assert all(hit.match != "exact" for hit in repo.search("Type 2 diabetes", lang="en", limit=5))


def test_concept_removed_by_a_new_release_is_kept_obsolete_with_its_links(graph: Graph) -> None:
    writer = OntologyWriter(graph)
    writer.load(V1)
    v2 = OntologyRelease(release=replace(V1.release, version="v2"), concepts=(ROOT, DIABETES))
    report = writer.load(v2)
    assert report.diff.obsoleted == 1
    detail = ConceptRepository(graph).get("TST:2")
    assert detail.obsolete
    assert sorted(parent.curie for parent in detail.parents) == ["TST:0", "TST:1"]  # still reachable
    assert detail.labels["fr"] == "Diabète de type 2"


def test_mapping_target_not_loaded_is_a_stub_that_a_later_load_completes(graph: Graph) -> None:
    writer = OntologyWriter(graph)
    writer.load(V1)
    stub = ConceptRepository(graph).get("MONDO:0005148")
    assert stub.stub and stub.source == "mondo"
    mondo = OntologyRelease(
        release=Release(source="mondo", version="1"),
        concepts=(
            Concept(
                curie="MONDO:0005148",
                iri="http://purl.obolibrary.org/obo/MONDO_0005148",
                source="mondo",
                labels=(Label("type 2 diabetes mellitus", "en"),),
            ),
        ),
    )
    writer.load(mondo)
    loaded = ConceptRepository(graph).get("MONDO:0005148")
    assert not loaded.stub
    assert loaded.labels == {"en": "type 2 diabetes mellitus"}
    assert [(m.direction, m.target.curie) for m in loaded.mappings] == [("in", "TST:2")]


def test_mapping_set_release_replaces_its_own_edges_only(graph: Graph) -> None:
    writer = OntologyWriter(graph)
    writer.load(V1)
    first = OntologyRelease(
        release=Release(source="set", version="1"),
        mappings=(
            Mapping("MESH:D003920", MappingPredicate.EXACT, "TST:1", "set"),
            Mapping("MESH:D003924", MappingPredicate.EXACT, "TST:2", "set"),
        ),
    )
    writer.load(first)
    second = replace(first, release=Release(source="set", version="2"), mappings=first.mappings[:1])
    writer.load(second)
    rows = graph.read(
        lambda tx: tx.run(
            "MATCH (a)-[m:MAPS_TO]->(b) RETURN a.curie AS a, m.source AS s ORDER BY a, s"
        ).data()
    )
    assert rows == [
        {"a": "MESH:D003920", "s": "set"},
        {"a": "TST:1", "s": "tst"},
        {"a": "TST:2", "s": "tst"},
    ]


def test_hierarchy_cycles_are_reported_not_fixed(graph: Graph) -> None:
    a = concept("TST:A", "A", parents=("TST:B",))
    b = concept("TST:B", "B", parents=("TST:A",))
    report = OntologyWriter(graph).load(
        OntologyRelease(release=Release(source="tst", version="c"), concepts=(a, b))
    )
    assert report.hierarchy.cycle_count == 1
    assert any("cycle" in warning for warning in report.warnings)
    assert {p.curie for p in ConceptRepository(graph).get("TST:A").parents} == {"TST:B"}


def test_small_batches_give_the_same_graph(graph: Graph) -> None:
    OntologyWriter(graph, batch_size=1).load(V1)
    one_by_one = counts(graph)
    graph.run_schema("MATCH (n) DETACH DELETE n")
    OntologyWriter(graph).load(V1)
    assert counts(graph) == one_by_one


class _CrashingWriter(OntologyWriter):
    """Fails like a Neo4j restart would, once the given step has started."""

    def __init__(self, graph: Graph, *, crash_at: str) -> None:
        super().__init__(graph, batch_size=2)
        self.crash_at = crash_at

    def _batches(self, step, query, rows, params, progress):  # type: ignore[no-untyped-def]
        if step == self.crash_at:
            raise GraphUnavailable("simulated: Neo4j went away")
        super()._batches(step, query, rows, params, progress)


@pytest.mark.parametrize("crash_at", ["concepts", "terms", "is_a", "mappings"])
def test_interrupted_load_rerun_ends_with_the_uninterrupted_graph(graph: Graph, crash_at: str) -> None:
    OntologyWriter(graph).load(V1)
    expected = counts(graph)
    graph.run_schema("MATCH (n) DETACH DELETE n")
    with pytest.raises(GraphUnavailable):
        _CrashingWriter(graph, crash_at=crash_at).load(V1)
    state = graph.read(
        lambda tx: tx.run("MATCH (r:Release {id: 'tst@v1'}) RETURN r.status AS s").single()["s"]
    )
    assert state == "failed"
    OntologyWriter(graph).load(V1)
    assert counts(graph) == expected
    assert ConceptRepository(graph).get("TST:1").synonyms  # terms rewritten, not lost


def _synonyms(graph: Graph, curie: str) -> set[str]:
    found = ConceptRepository(graph).get(curie)
    assert found is not None
    return {synonym.text for synonym in found.synonyms}


def test_a_load_after_an_unfinished_release_completes_the_concepts_it_wrote(graph: Graph) -> None:
    # v2 adds synonyms to TST:1 and stops before writing them; v3 has the same TST:1 (same hash), so
    # only the stopped load's unfinished release says that TST:1 still lacks them.
    richer = replace(DIABETES, synonyms=(*DIABETES.synonyms, Synonym("diabetes", "en", SynonymType.EXACT)))
    v2 = replace(V1, release=replace(V1.release, version="v2"), concepts=(ROOT, richer, T2D, OLD))
    OntologyWriter(graph).load(V1)
    with pytest.raises(GraphUnavailable):
        _CrashingWriter(graph, crash_at="terms").load(v2)
    assert "diabetes" not in _synonyms(graph, "TST:1")
    report = OntologyWriter(graph).load(replace(v2, release=replace(v2.release, version="v3")))
    assert "diabetes" in _synonyms(graph, "TST:1")
    # Every concept the stopped load wrote (changed or only touched) is compared again, and counted
    # as changed: its hash no longer tells.
    assert report.diff.changed == 4
    graph.run_schema("MATCH (r:Release {id: 'tst@v2'}) DETACH DELETE r")
    recovered = counts(graph)
    graph.run_schema("MATCH (n) DETACH DELETE n")
    OntologyWriter(graph).load(V1)
    OntologyWriter(graph).load(replace(v2, release=replace(v2.release, version="v3")))
    assert counts(graph) == recovered


def test_concept_coming_back_after_removal_is_active_again(graph: Graph) -> None:
    writer = OntologyWriter(graph)
    writer.load(V1)
    writer.load(OntologyRelease(release=replace(V1.release, version="v2"), concepts=(ROOT, DIABETES)))
    report = writer.load(replace(V1, release=replace(V1.release, version="v3")))
    assert report.diff.changed == 1  # TST:2, back from obsolete
    assert not ConceptRepository(graph).get("TST:2").obsolete
