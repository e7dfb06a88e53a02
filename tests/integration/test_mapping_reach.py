"""Which loaded concepts reach a gold id (the linking evaluation's notion of "the same concept")."""

from __future__ import annotations

from concept_builders import concept

from graph.driver import Graph
from graph.mappings import MappingRepository
from graph.ontology_writer import OntologyWriter
from ontologies.model import Mapping, MappingPredicate, OntologyRelease, Release

# DIS names the gold id MESH:1 and shares UMLS:C1 with PHENO (as DOID "cancer" and HPO "Neoplasm"
# share C0006826); NOISY shares only an NCIT id with DIS; NEGATED's tie to C1 is a curated wrong
# mapping; OLD is obsolete. DIS alone names the ICD-10-CM code A01.0, which CIM-10 and ICD-10 concepts
# carry; A02 is named by DIS and its subtype SUB (the code is DIS's class); B99 by DIS and NOISY, two
# unrelated concepts: a class of neither.
RELEASE = OntologyRelease(
    release=Release(source="tst", version="v1"),
    concepts=(
        concept("DIS:1", "MESH:1", "UMLS:C1", "NCIT:N1", "ICD10CM:A01.0", "ICD10CM:A02", "ICD10CM:B99"),
        concept("SUB:1", "MESH:2", "ICD10CM:A02", parents=("DIS:1",)),
        concept("CIM10:A02"),
        concept("PHENO:1", "UMLS:C1", "UMLS:C2"),
        concept("NOISY:1", "NCIT:N1", "ICD10CM:B99"),
        concept("CIM10:A01.0"),
        concept("ICD10:A01.0"),
        concept("CIM10:B99"),
        concept("CIM10:A01.1"),
        concept("NEGATED:1"),
        concept("OLD:1", "UMLS:C1", obsolete=True),
        concept("OTHER:1", "UMLS:C2"),
    ),
    mappings=(Mapping("NEGATED:1", MappingPredicate.EXACT, "UMLS:C1", "curated", negated=True),),
)


def reaching(graph: Graph, *ids: str) -> set[tuple[str, str]]:
    OntologyWriter(graph).load(RELEASE)
    return MappingRepository(graph).reaching(ids)


def test_a_concept_reaches_what_it_cross_references_and_itself(graph: Graph) -> None:
    pairs = reaching(graph, "MESH:1", "DIS:1")
    assert {("DIS:1", "MESH:1"), ("DIS:1", "DIS:1")} <= pairs


def test_a_shared_umls_cui_joins_two_concepts_but_only_one_step(graph: Graph) -> None:
    pairs = reaching(graph, "MESH:1")
    assert ("PHENO:1", "MESH:1") in pairs
    # OTHER shares C2 with PHENO, which reaches MESH:1 only through C1: shared CUIs do not chain.
    assert ("OTHER:1", "MESH:1") not in pairs


def test_other_stubs_negated_mappings_and_obsolete_concepts_join_nothing(graph: Graph) -> None:
    reached = {curie for curie, _ in reaching(graph, "MESH:1")}
    assert reached == {"DIS:1", "PHENO:1", "CIM10:A01.0", "ICD10:A01.0", "CIM10:A02"}


def test_an_icd10_code_joins_the_concept_that_all_its_namers_descend_from(graph: Graph) -> None:
    pairs = reaching(graph, "MESH:1", "MESH:2")
    assert {("CIM10:A01.0", "MESH:1"), ("ICD10:A01.0", "MESH:1"), ("CIM10:A02", "MESH:1")} <= pairs
    # B99 is named by two unrelated concepts; A01.1 is another code; A02 is not SUB's own code.
    assert not {("CIM10:B99", "MESH:1"), ("CIM10:A01.1", "MESH:1"), ("CIM10:A02", "MESH:2")} & pairs


def test_a_gold_cui_is_reached_by_every_concept_naming_it(graph: Graph) -> None:
    pairs = reaching(graph, "UMLS:C2", "UMLS:404")
    assert {curie for curie, gold in pairs if gold == "UMLS:C2"} == {"PHENO:1", "OTHER:1", "DIS:1"}
    assert not any(gold == "UMLS:404" for _, gold in pairs)


def test_one_hop_mode_leaves_shared_identifiers_out(graph: Graph) -> None:
    OntologyWriter(graph).load(RELEASE)
    pairs = MappingRepository(graph).reaching(["MESH:1"], shared_ids=False)
    assert pairs == {("DIS:1", "MESH:1")}
