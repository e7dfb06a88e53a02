"""The ``healthsearch`` command line: local Neo4j, schema, terminology loading, serving.

Domain errors are printed as one clear line (``error: ...``) with a non-zero exit; never a traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click

from api.progress import TqdmProgress
from graph.driver import Graph
from graph.errors import GraphError
from graph.ontology_writer import LoadReport, OntologyWriter
from graph.runtime.local import LocalNeo4j
from graph.schema import apply_schema
from graph.settings import Neo4jSettings
from ontologies.errors import OntologyFormatError
from ontologies.manifest import read_manifest
from ontologies.registry import FORMATS, check_spec, read_source
from ontologies.spec import SourceSpec

P = ParamSpec("P")
R = TypeVar("R")


def _fail(message: str, code: int = 1) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def handles_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn domain errors into one line on stderr and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (GraphError, OntologyFormatError) as error:
            _fail(str(error))
            raise AssertionError("unreachable") from error
        except KeyboardInterrupt:
            _fail("interrupted; run the same command again to finish (loads are idempotent)", 130)
            raise AssertionError("unreachable") from None

    return wrapper


@contextmanager
def connected_graph() -> Iterator[Graph]:
    graph = Graph.connect(Neo4jSettings.from_env())
    try:
        yield graph
    finally:
        graph.close()


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log operations (never document text).")
def main(verbose: bool) -> None:
    """healthsearch: knowledge-graph semantic search for health."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


# -- neo4j -------------------------------------------------------------------------------------
@main.group()
def neo4j() -> None:
    """The local Neo4j 5.26 (from Maven Central jars; state in HEALTHSEARCH_STATE_DIR, default .state)."""


@neo4j.command("start")
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for Bolt.")
@handles_errors
def neo4j_start(timeout: float) -> None:
    """Start the local Neo4j unless it runs; wait until Bolt answers."""
    if os.environ.get("NEO4J_URI"):
        click.echo(
            f"NEO4J_URI is set ({os.environ['NEO4J_URI']}): using that Neo4j, not starting a local one."
        )
        return
    local = LocalNeo4j.from_env()
    click.echo(
        f"Starting local Neo4j (state in {local.state_dir}); the first run fetches jars from Maven Central..."
    )
    status = local.start(timeout=timeout)
    click.echo(f"Neo4j {status.describe()}")


@neo4j.command("stop")
@handles_errors
def neo4j_stop() -> None:
    """Stop the local Neo4j (idempotent)."""
    status = LocalNeo4j.from_env().stop()
    click.echo(f"Neo4j {status.describe()}")


@neo4j.command("status")
@handles_errors
def neo4j_status() -> None:
    """Say whether the local Neo4j runs (exit 3 when it does not)."""
    status = LocalNeo4j.from_env().status()
    click.echo(f"Neo4j {status.describe()}")
    if not status.running:
        sys.exit(3)


# -- graph ---------------------------------------------------------------------------------------
@main.group("graph")
def graph_group() -> None:
    """The graph schema."""


@graph_group.command("init")
@handles_errors
def graph_init() -> None:
    """Create constraints and indexes (idempotent)."""
    with connected_graph() as graph:
        count = apply_schema(graph)
    click.echo(f"Schema applied ({count} statements, all idempotent).")


# -- ontologies ----------------------------------------------------------------------------------
@main.group()
def ontologies() -> None:
    """Load and list terminologies."""


def _parse_files(values: tuple[str, ...]) -> dict[str, tuple[Path, ...]]:
    extras: dict[str, list[Path]] = {}
    for value in values:
        role, sep, path = value.partition("=")
        if not sep or not role or not path:
            raise click.BadParameter(f"{value!r}: expected ROLE=PATH, e.g. translations=hp-fr.babelon.tsv")
        extras.setdefault(role, []).append(Path(path))
    return {role: tuple(paths) for role, paths in extras.items()}


def _print_report(report: LoadReport) -> None:
    if report.skipped:
        click.echo(
            f"{report.source}@{report.version}: already loaded with the same content; nothing changed."
        )
        return
    diff = report.diff
    click.echo(
        f"{report.source}@{report.version}: {report.concepts} concepts, {report.terms} terms, "
        f"{report.is_a} IS_A, {report.relations} other relations, {report.mappings} mappings "
        f"in {report.seconds:.1f} s "
        f"({report.rows / max(report.seconds, 1e-9):,.0f} rows/s); "
        f"added {diff.added}, changed {diff.changed}, obsoleted {diff.obsoleted}, unchanged {diff.unchanged}"
    )
    click.echo(f"  hierarchy: {report.hierarchy.summary()}")
    for warning in report.warnings[:10]:
        click.echo(f"  warning: {warning}", err=True)
    if len(report.warnings) > 10:
        click.echo(f"  ... and {len(report.warnings) - 10} more warnings", err=True)


@ontologies.command("load")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Format of PATH.")
@click.option("--source-id", help="Source id (default: from the file).")
@click.option("--version", "version", help="Release version (default: from the file, else a content hash).")
@click.option("--name", help="Human name of the source.")
@click.option("--licence", help="Licence of the source.")
@click.option("--lang", "languages", multiple=True, help="Language(s) of the labels (repeatable).")
@click.option(
    "--file",
    "files",
    multiple=True,
    metavar="ROLE=PATH",
    help="Extra file by role: translations=..., hierarchy=..., subsets=..., xrefs=... (repeatable).",
)
@click.option("--manifest", type=click.Path(path_type=Path), help="Load every source a manifest lists.")
@click.option("--force", is_flag=True, help="Rewrite a release even if the same content is loaded.")
@handles_errors
def ontologies_load(
    path: Path | None,
    fmt: str | None,
    source_id: str | None,
    version: str | None,
    name: str | None,
    licence: str | None,
    languages: tuple[str, ...],
    files: tuple[str, ...],
    manifest: Path | None,
    force: bool,
) -> None:
    """Load one terminology file (PATH --format ...) or every source of --manifest FILE.

    Every file is parsed and checked before anything is written: a malformed file writes nothing.
    """
    if manifest is not None:
        if path is not None or fmt is not None:
            raise click.UsageError("give either PATH --format FORMAT or --manifest FILE, not both")
        specs = list(read_manifest(manifest).sources)
    else:
        if path is None or fmt is None:
            raise click.UsageError("give PATH and --format FORMAT (or --manifest FILE)")
        specs = [
            SourceSpec(
                format=fmt,
                path=path,
                source_id=source_id,
                version=version,
                name=name,
                licence=licence,
                languages=languages,
                extras=_parse_files(files),
            )
        ]
    for spec in specs:  # every file present before minutes of parsing
        check_spec(spec)
    releases = []
    for spec in specs:
        click.echo(f"Reading {spec.source_id or spec.path.name} ({spec.format}) from {spec.path}", err=True)
        releases.append(read_source(spec))
    with connected_graph() as graph:
        writer = OntologyWriter(graph)
        for release in releases:
            with TqdmProgress(f"{release.release.source}@{release.release.version}") as progress:
                report = writer.load(release, progress=progress, force=force, wait_for_indexes=False)
            _print_report(report)
        writer.wait_for_indexes()  # once for the whole manifest: lookups see everything on return


@ontologies.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@handles_errors
def ontologies_list(as_json: bool) -> None:
    """Sources, their releases and counts."""
    from graph.concept_repository import ConceptRepository

    with connected_graph() as graph:
        sources = ConceptRepository(graph).sources()
    if as_json:
        click.echo(json.dumps(sources, indent=2, default=str))
        return
    if not sources:
        click.echo(
            "No terminology loaded yet: "
            "healthsearch ontologies load --manifest ontologies/manifests/demo.toml"
        )
    for source in sources:
        click.echo(
            f"{source['id']:<24} {source['concepts']:>8} concepts ({source['obsolete']} obsolete)  "
            f"current release {source['current_release']}  {source['name'] or ''}"
        )
        for release in source["releases"]:
            click.echo(_release_line(release))


def _release_line(release: dict[str, Any]) -> str:
    return (
        f"    {release['version']:<20} {release['status']:<9} added {release.get('added')}, "
        f"changed {release.get('changed')}, obsoleted {release.get('obsoleted')}  "
        f"loaded {release.get('loaded_at')}"
    )


# -- serve ---------------------------------------------------------------------------------------
@main.command("serve")
@click.option(
    "--host", default=lambda: os.environ.get("HEALTHSEARCH_HOST", "127.0.0.1"), show_default="127.0.0.1"
)
@click.option(
    "--port", type=int, default=lambda: int(os.environ.get("HEALTHSEARCH_PORT", "8000")), show_default="8000"
)
@click.option(
    "--workers", type=int, default=lambda: int(os.environ.get("HEALTHSEARCH_WORKERS", "2")), show_default="2"
)
@handles_errors
def serve(host: str, port: int, workers: int) -> None:
    """Serve the API with gunicorn (checks Neo4j first)."""
    with connected_graph():
        pass
    click.echo(f"healthsearch API on http://{host}:{port}/ (readiness: http://{host}:{port}/readyz)")
    os.execvp(  # replace this process: gunicorn handles signals and workers
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            "api.app:create_app()",
        ],
    )


if __name__ == "__main__":  # `python -m api.cli`
    main()
