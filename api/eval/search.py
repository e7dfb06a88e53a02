"""Search evaluation harness: rankers run on the queries of a qrels set, scored with ``ir_metrics``.

A ranker is a plain function (query text → ranked document ids), so the harness runs offline in
tests; the CLI passes rankers backed by the search service. Only queries with at least one qrel of
score > 0 are run (the BEIR convention, see ``beir.evaluated_queries``).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from api.eval.beir import evaluated_queries
from api.eval.ir_metrics import METRICS, IRScores, mean_scores, score_ranking

Ranker = Callable[[str], Sequence[str]]  # query text -> document ids, best first, at most MAX_RESULTS

MAX_RESULTS = 100  # recall@100 needs no more
TOP_SHOWN = 10  # ids kept per query in the report and the run file
SYSTEM, BASELINE = "system", "baseline"
_QUERIES_KEY = "queries"  # the key of the query count in as_json, so no ranker may be named so
RUN_HEADER = ("query_id", "system", *METRICS, "top10")


@dataclass(frozen=True)
class QueryRow:
    """One query run through one ranker: its scores and its first ``TOP_SHOWN`` ids."""

    query_id: str
    system: str
    scores: IRScores
    top: tuple[str, ...]


@dataclass(frozen=True)
class SearchEvalReport:
    """Mean scores per ranker (in the rankers' order), the number of queries and the per-query rows."""

    systems: Mapping[str, IRScores]
    queries: int
    rows: tuple[QueryRow, ...]

    def as_json(self) -> dict[str, dict[str, float] | int]:
        """``{name: {"ndcg@10", "recall@100", "mrr@10"}, ..., "queries": n}``."""
        shape: dict[str, dict[str, float] | int] = {
            name: scores.as_dict() for name, scores in self.systems.items()
        }
        shape[_QUERIES_KEY] = self.queries
        return shape


def evaluate_search(
    queries: Mapping[str, str],
    qrels: Mapping[str, Mapping[str, int]],
    rankers: Mapping[str, Ranker],
    *,
    progress: Callable[[int], None] | None = None,
) -> SearchEvalReport:
    """Run every evaluated query through every ranker and score the rankings.

    A ranking is cleaned before scoring: a repeated id keeps its first rank only, and the list is
    cut at ``MAX_RESULTS``.

    Args:
        queries: query id → text.
        qrels: query id → {document id → graded relevance}.
        rankers: name → ranker; typically ``"system"`` and ``"baseline"``.
        progress: called after each query with the number of queries done so far.

    Raises:
        ValueError: no ranker, or a ranker named ``"queries"`` (the JSON key of the query count).
    """
    if not rankers:
        raise ValueError("no ranker to evaluate")
    if _QUERIES_KEY in rankers:
        raise ValueError(f"a ranker may not be named {_QUERIES_KEY!r}")
    evaluated = evaluated_queries(queries, qrels)
    rows: list[QueryRow] = []
    per_system: dict[str, list[IRScores]] = {name: [] for name in rankers}
    for done, (query_id, text) in enumerate(evaluated.items(), start=1):
        judged = qrels[query_id]
        for name, ranker in rankers.items():
            ranking = clean_ranking(ranker(text))
            scores = score_ranking(ranking, judged)
            per_system[name].append(scores)
            rows.append(QueryRow(query_id, name, scores, ranking[:TOP_SHOWN]))
        if progress is not None:
            progress(done)
    systems = {name: mean_scores(scores) for name, scores in per_system.items()}
    return SearchEvalReport(systems=systems, queries=len(evaluated), rows=tuple(rows))


def clean_ranking(ranking: Sequence[str], limit: int = MAX_RESULTS) -> tuple[str, ...]:
    """The first ``limit`` distinct ids of ``ranking``, each at its first rank."""
    # dict keeps insertion order: the first occurrence of each id wins.
    return tuple(dict.fromkeys(ranking))[:limit]


def write_run_file(report: SearchEvalReport, path: Path) -> None:
    """Write one TSV line per (query, ranker): scores and top ids, after a header line.

    Columns are ``RUN_HEADER``; ``top10`` holds the ids separated by spaces. This is the per-query
    file for ablations and paired tests; lines follow the report's rows (queries in input order).
    """
    with path.open("w", encoding="utf-8", newline="") as out:
        # csv quotes a field holding a tab or a newline, so an odd id cannot shift the columns.
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(RUN_HEADER)
        for row in report.rows:
            writer.writerow(
                [
                    row.query_id,
                    row.system,
                    *(f"{value:.6f}" for value in row.scores.as_dict().values()),
                    " ".join(row.top),
                ]
            )


def format_report(report: SearchEvalReport) -> str:
    """A side-by-side table: one row per metric, one column per ranker, then system - baseline.

    The delta column appears only when rankers named ``"system"`` and ``"baseline"`` both exist.
    """
    names = list(report.systems)
    with_delta = SYSTEM in report.systems and BASELINE in report.systems
    header = ["metric", *names, *(["delta"] if with_delta else [])]
    table = [header]
    for metric in METRICS:
        values = [report.systems[name].as_dict()[metric] for name in names]
        row = [metric, *(f"{value:.4f}" for value in values)]
        if with_delta:
            delta = report.systems[SYSTEM].as_dict()[metric] - report.systems[BASELINE].as_dict()[metric]
            row.append(f"{delta:+.4f}")
        table.append(row)
    widths = [max(len(row[column]) for row in table) for column in range(len(header))]
    lines = [
        "  ".join(
            [
                row[0].ljust(widths[0]),
                *(cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)),
            ]
        )
        for row in table
    ]
    lines.append(f"queries: {report.queries}")
    return "\n".join(lines)
