"""`healthsearch ontologies load/list` and `graph init` against the real test Neo4j."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from api.cli import main
from graph.concept_repository import ConceptRepository
from graph.driver import Graph
from tests.conftest import FIXTURES

ONTOLOGIES = FIXTURES / "ontologies"


def node_count(graph: Graph) -> int:
    return int(graph.read(lambda tx: tx.run("MATCH (n) RETURN count(n) AS n").single()["n"]))


def test_graph_init_is_idempotent(runner: CliRunner, graph: Graph) -> None:
    first = runner.invoke(main, ["graph", "init"])
    second = runner.invoke(main, ["graph", "init"])
    assert (first.exit_code, second.exit_code) == (0, 0)
    assert "Schema applied" in second.output


def test_load_one_file_then_list(runner: CliRunner, graph: Graph) -> None:
    result = runner.invoke(
        main,
        ["ontologies", "load", str(ONTOLOGIES / "hpo-mini.obo"), "--format", "obo", "--source-id", "hpo"],
    )
    assert result.exit_code == 0, result.output
    assert "hpo@" in result.output and "added" in result.output
    listing = runner.invoke(main, ["ontologies", "list"])
    assert listing.exit_code == 0
    assert listing.output.startswith("hpo")


def test_same_file_twice_reports_nothing_changed(runner: CliRunner, graph: Graph) -> None:
    args = ["ontologies", "load", str(ONTOLOGIES / "hpo-mini.obo"), "--format", "obo", "--source-id", "hpo"]
    runner.invoke(main, args)
    before = node_count(graph)
    result = runner.invoke(main, args)
    assert result.exit_code == 0
    assert "nothing changed" in result.output
    assert node_count(graph) == before


def test_translations_attach_french_labels(runner: CliRunner, graph: Graph) -> None:
    result = runner.invoke(
        main,
        [
            "ontologies",
            "load",
            str(ONTOLOGIES / "hpo-mini.obo"),
            "--format",
            "obo",
            "--source-id",
            "hpo",
            "--file",
            f"translations={ONTOLOGIES / 'hpo-mini-babelon.tsv'}",
            "--file",
            f"translations={ONTOLOGIES / 'hpo-mini-fr-synonyms.tsv'}",
        ],
    )
    assert result.exit_code == 0, result.output
    hit = ConceptRepository(graph).search("crise epileptique", lang="fr")[0]
    assert (hit.curie, hit.match, hit.matched.text, hit.matched.type) == (
        "HP:0001250",
        "exact",
        "Crise épileptique",
        "label",
    )


@pytest.mark.parametrize(
    "broken",
    [
        "obo-broken-line.obo",
        "obo-broken-no-id.obo",
        "obo-broken-unterminated-def.obo",
        "obo-broken-encoding.obo",
    ],
)
def test_malformed_file_fails_naming_file_and_line_and_writes_nothing(
    runner: CliRunner, graph: Graph, broken: str
) -> None:
    before = node_count(graph)
    result = runner.invoke(main, ["ontologies", "load", str(ONTOLOGIES / broken), "--format", "obo"])
    assert result.exit_code == 1
    (error,) = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert re.search(rf"{re.escape(broken)}:\d+: ", error), error  # file and line
    assert "Traceback" not in result.output
    assert node_count(graph) == before


def test_a_bad_file_in_a_manifest_writes_nothing_of_the_manifest(
    runner: CliRunner, graph: Graph, tmp_path: Path
) -> None:
    manifest = tmp_path / "m.toml"
    manifest.write_text(
        f'[[sources]]\nid = "hpo"\nformat = "obo"\npath = "{ONTOLOGIES / "hpo-mini.obo"}"\n\n'
        f'[[sources]]\nid = "bad"\nformat = "obo"\npath = "{ONTOLOGIES / "obo-broken-line.obo"}"\n'
    )
    result = runner.invoke(main, ["ontologies", "load", "--manifest", str(manifest)])
    assert result.exit_code == 1
    assert "obo-broken-line.obo" in result.output
    assert node_count(graph) == 0


def test_unknown_format_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ontologies", "load", "x.obo", "--format", "rdfxml"])
    assert result.exit_code == 2
    assert "rdfxml" in result.output


def test_missing_file_is_named(runner: CliRunner, graph: Graph, tmp_path: Path) -> None:
    missing = tmp_path / "nope.obo"
    result = runner.invoke(main, ["ontologies", "load", str(missing), "--format", "obo"])
    assert result.exit_code == 1
    assert str(missing) in result.output


def test_bad_manifest_is_named(runner: CliRunner, tmp_path: Path) -> None:
    manifest = tmp_path / "m.toml"
    manifest.write_text('[[sources]]\nid = "x"\nformat = "obo"\npaht = "typo.obo"\n')
    result = runner.invoke(main, ["ontologies", "load", "--manifest", str(manifest)])
    assert result.exit_code == 1
    assert "m.toml" in result.output and "paht" in result.output
