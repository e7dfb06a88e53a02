"""`healthsearch eval linking` on a tiny PubTator corpus, against the real test Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from concept_builders import concept

from api.cli import main
from graph.driver import Graph
from graph.ontology_writer import OntologyWriter
from ontologies.model import OntologyRelease, Release

# The gold id (MeSH asthma) is cross-referenced by a disease concept whose label is not in the text;
# the phenotype that the text names shares a UMLS CUI with it and nothing else.
CORPUS = (
    "3000|t|Asthma in children.",
    "3000|a|Wheezing was seen.",
    "3000\t0\t6\tAsthma\tSpecificDisease\tD001249",
)


@pytest.fixture
def corpus(graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HEALTHSEARCH_CACHE_DIR", str(tmp_path / "cache"))
    release = OntologyRelease(
        release=Release(source="tst", version="v1"),
        concepts=(
            concept("PHENO:1", "UMLS:C1", label="Asthma"),
            concept("DIS:1", "MESH:D001249", "UMLS:C1", label="Reactive airway disorder"),
        ),
    )
    OntologyWriter(graph).load(release)
    path = tmp_path / "tiny.txt"
    path.write_text("\n".join(CORPUS) + "\n\n")
    return path


def linkable_f1(runner: CliRunner, corpus: Path, *options: str) -> float:
    args = ["eval", "linking", "--corpus", str(corpus), "--format", "pubtator", "--lang", "en", "--json"]
    result = runner.invoke(main, [*args, *options])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.strip().splitlines()[-1])
    assert set(scores) == {"system", "baseline", "coverage"} and scores["coverage"] == 1.0
    return float(scores["system"]["span_concept_linkable"]["f1"])


def test_a_concept_sharing_the_gold_concepts_cui_is_right_unless_one_hop_is_asked(
    runner: CliRunner, corpus: Path
) -> None:
    assert linkable_f1(runner, corpus) == 1.0
    assert linkable_f1(runner, corpus, "--one-hop") == 0.0
