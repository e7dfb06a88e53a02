"""Annotation throughput on FRACCO, one process, warm, side by side with EDS-NLP's exact matcher.

    HEALTHSEARCH_STATE_DIR=.state/bench .venv/bin/python -m bench.annotation [N] [--rounds R]
        [--no-baseline] [--profile LINES]

Needs the bench Neo4j with the shared terminologies loaded and ../shared/data/corpora/fracco.
On the first N documents (default 400), in R interleaved rounds (default 3; medians reported): our full
annotation, our terminology matcher alone, our qualifiers alone (on the matcher's spans), then the
baseline of ``bench.annotation_baseline``: EDS-NLP's ``eds.matcher`` fed with the same French terms,
alone and with EDS-NLP's qualifiers. Prints one Markdown table. ``--profile`` runs cProfile over one
more pass of our full annotation and prints the top functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from api.annotation import AnnotatorProvider, excluded_concepts, matcher_terms
from bench.annotation_baseline import (
    Built,
    Contender,
    build_eds_pipeline,
    eds_terms,
    full_only,
    measure,
    rss_mib,
    side_by_side,
)
from graph.driver import Graph
from graph.settings import Neo4jSettings, state_dir_from_env
from graph.terms import TermExport
from nlp.matcher.abbreviations import load_abbreviations
from nlp.matcher.matcher import TerminologyMatcher
from nlp.pipeline import Annotator, canonical_equivalents
from nlp.qualifiers import qualify_spans

FRACCO = Path(
    os.environ.get("HEALTHSEARCH_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
FRACCO = FRACCO / "corpora" / "fracco"
LANG = "fr"
REFERENCE = "EDS-NLP exact matcher"


def _timed(step: str, started: float) -> float:
    seconds = time.perf_counter() - started
    print(f"{step}: {seconds:.1f} s")
    return seconds


def ours(annotator: Annotator, texts: Sequence[str], *, matcher_build: Built | None) -> list[Contender]:
    """Our full annotation, our matcher alone and our qualifiers alone (on the matcher's spans)."""
    before, started = rss_mib(), time.perf_counter()
    qualify_spans("x", [(0, 1)], lang=LANG)  # builds the French qualifier pipeline
    qualifier_build = Built(time.perf_counter() - started, rss_mib() - before)
    annotator.warm_up()
    matcher = annotator.matchers[LANG]
    spans = {text: [(m.start, m.end) for m in matcher.find_text(text)] for text in texts}
    return [
        Contender(
            "healthsearch full annotation",
            lambda text: len(annotator.annotate(text, lang=LANG).mentions),
            matcher_build + qualifier_build if matcher_build else None,
        ),
        Contender(
            "healthsearch terminology matcher alone", lambda text: len(matcher.find_text(text)), matcher_build
        ),
        Contender(
            "healthsearch qualifiers alone (on the matcher's spans)",
            lambda text: len(qualify_spans(text, spans[text], lang=LANG)),
            qualifier_build,
        ),
    ]


def baseline(graph: Graph, annotator: Annotator) -> tuple[Built, list[Contender]]:
    """Export the French terms once; compile our matcher from them (timed), then EDS-NLP's pipelines.

    Returns:
        Our matcher's build cost, and the two EDS-NLP contenders.
    """
    export = TermExport(graph)
    started = time.perf_counter()
    entries = list(matcher_terms(export, LANG, excluded=excluded_concepts(export)))
    equivalents = canonical_equivalents(export.exact_pairs())
    _timed(f"term export ({len(entries):,} {LANG} terms, {len(equivalents):,} equivalences)", started)

    gc.collect()
    before, started = rss_mib(), time.perf_counter()
    compiled = TerminologyMatcher.build(entries, lang=LANG, equivalents=equivalents, parents=export.parents)
    ours_built = Built(time.perf_counter() - started, rss_mib() - before)
    cached = annotator.matchers[LANG].term_count
    print(
        f"our matcher compiled from them: {compiled.term_count:,} terms with the curated abbreviations "
        f"(the cached one: {cached:,}), {ours_built.seconds:.1f} s, +{ours_built.rss_mib:,.0f} MiB"
    )

    started = time.perf_counter()
    terms = eds_terms(entries, lang=LANG, abbreviations=load_abbreviations())
    _timed(
        f"EDS-NLP terms: {len(terms.norm):,} concepts, {terms.term_count:,} distinct terms "
        f"({sum(map(len, terms.case_sensitive.values()))} case-sensitive acronyms)",
        started,
    )
    gc.collect()
    nlp, exact_built, qualifiers_built = build_eds_pipeline(terms)
    print(
        f"EDS-NLP pipeline on all {terms.term_count:,} terms (no subset needed): exact part "
        f"{exact_built.seconds:.1f} s, +{exact_built.rss_mib:,.0f} MiB; sentences and qualifiers "
        f"{qualifiers_built.seconds:.1f} s; components {', '.join(nlp.pipe_names)}"
    )
    del compiled  # kept alive until now so that both RSS deltas are fresh growth
    skipped = full_only(nlp)

    def exact(text: str) -> int:
        with nlp.select_pipes(disable=skipped):
            return len(nlp(text).ents)

    return ours_built, [
        Contender(REFERENCE, exact, exact_built),
        Contender(
            "EDS-NLP exact matcher + sentences + qualifiers",
            lambda text: len(nlp(text).ents),
            exact_built + qualifiers_built,
        ),
    ]


def profile(annotator: Annotator, texts: Sequence[str], *, lines: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for text in texts:
        annotator.annotate(text, lang=LANG)
    profiler.disable()
    stats = pstats.Stats(profiler)
    for order in ("cumulative", "tottime"):
        print(f"\ncProfile of our full annotation, {len(texts)} docs, by {order}:")
        stats.sort_stats(order).print_stats(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("count", nargs="?", type=int, default=400, help="first N FRACCO documents")
    parser.add_argument(
        "--rounds", type=int, default=3, help="timed passes of every pipeline, interleaved (median kept)"
    )
    parser.add_argument("--no-baseline", action="store_true", help="our pipeline only, no EDS-NLP rows")
    parser.add_argument("--profile", type=int, default=0, metavar="LINES", help="cProfile our annotation")
    args = parser.parse_args(argv)
    texts = [path.read_text() for path in sorted(FRACCO.rglob("*.txt"))]
    if not texts:
        # make bench runs this after the load benchmark: say why it measures nothing, and go on.
        print(f"annotation throughput skipped: no FRACCO texts under {FRACCO} (shared data absent)")
        return
    sample = texts[: args.count]
    print(
        f"{date.today()}: first {len(sample)} FRACCO documents, one process, {args.rounds} interleaved rounds"
    )
    graph = Graph.connect(Neo4jSettings.from_env())
    try:
        started = time.perf_counter()
        annotator = AnnotatorProvider(graph, cache_dir=state_dir_from_env() / "cache" / "matchers").get()
        _timed("our matchers loaded from their disk cache (fr and en)", started)
        theirs: list[Contender] = []
        matcher_build = None
        if not args.no_baseline:
            matcher_build, theirs = baseline(graph, annotator)
        contenders = [*ours(annotator, sample, matcher_build=matcher_build), *theirs]
        rows = measure(contenders, sample, rounds=args.rounds)
        print()
        print(side_by_side(rows, reference=REFERENCE))
        if args.profile:
            profile(annotator, sample, lines=args.profile)
    finally:
        graph.close()


if __name__ == "__main__":
    main()
