"""Entity-linking evaluation: the pipeline and a baseline (``api.eval.eds_exact``) against gold mentions.

A predicted concept is right for a gold mention when it is one of the gold ids or reaches one through
an exact-match mapping or a cross-reference in the graph (either direction): ``reachable`` says
which. It is a plain function so that tests run without Neo4j; ``api.cli`` passes the graph's.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from api.eval.gold import GoldDocument, GoldMention
from api.eval.metrics import PRF, Span, overlap, score, strict
from nlp.pipeline import Annotator

# gold ids -> (loaded concept curie, gold id) pairs: the concept is, or maps to, the gold id.
Reachable = Callable[[frozenset[str]], set[tuple[str, str]]]

MEASURES = ("span_strict", "span_overlap", "span_concept", "span_concept_linkable")


class Baseline(Protocol):
    """A baseline linker: ``(start, end, curie)`` of each match in ``text``."""

    def find(self, text: str) -> list[tuple[int, int, str]]: ...


@dataclass(frozen=True)
class LinkingReport:
    system: dict[str, PRF]
    baseline: dict[str, PRF]
    coverage: float
    gold_mentions: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "system": {name: value.as_dict() for name, value in self.system.items()},
            "baseline": {name: value.as_dict() for name, value in self.baseline.items()},
            "coverage": self.coverage,
        }


def evaluate_linking(
    documents: Sequence[GoldDocument],
    *,
    annotator: Annotator,
    baseline: Baseline,
    reachable: Reachable,
    lang: str,
    groups: Collection[str] | None = None,
) -> LinkingReport:
    """Score the annotator and the baseline on ``documents``.

    Args:
        groups: keep only gold mentions of these types (``DISO``...); predictions overlapping only
            gold mentions of other types are then left out (neither right nor wrong), since
            predictions carry no type. Predictions overlapping no gold mention still count.

    Returns:
        PRF per measure (``MEASURES``) for both systems, and the share of gold mentions linkable.
    """
    gold: list[Span] = []
    other: list[Span] = []
    system: list[Span] = []
    base: list[Span] = []
    for document in documents:
        for mention in document.mentions:
            target = gold if _kept(mention, groups) else other
            target.append(Span(document.id, mention.start, mention.end, mention.ids))
        annotation = annotator.annotate(document.text, lang=lang)
        system.extend(
            Span(document.id, m.start, m.end, frozenset({m.candidates[0].curie}))
            for m in annotation.mentions
            if m.candidates
        )
        base.extend(Span(document.id, s, e, frozenset({c})) for s, e, c in baseline.find(document.text))
    pairs = reachable(frozenset().union(*(item.ids for item in gold))) if gold else set()
    linkable_ids = {gold_id for _, gold_id in pairs}
    linkable = [item for item in gold if item.ids & linkable_ids]
    coverage = len(linkable) / len(gold) if gold else 0.0

    gold_by_doc, other_by_doc, linkable_by_doc = _by_doc(gold), _by_doc(other), _by_doc(linkable)

    def concept_match(item: Span, guess: Span) -> bool:
        if not overlap(item, guess):
            return False
        curie = next(iter(guess.ids))
        return curie in item.ids or any((curie, gold_id) in pairs for gold_id in item.ids)

    def measures(predicted: list[Span]) -> dict[str, PRF]:
        if groups is not None:
            predicted = [
                guess
                for guess in predicted
                if _touches(gold_by_doc, guess) or not _touches(other_by_doc, guess)
            ]
        in_scope = [guess for guess in predicted if _touches(linkable_by_doc, guess)]
        return {
            "span_strict": score(gold, predicted, match=strict),
            "span_overlap": score(gold, predicted, match=overlap),
            "span_concept": score(gold, predicted, match=concept_match),
            "span_concept_linkable": score(linkable, in_scope, match=concept_match),
        }

    return LinkingReport(measures(system), measures(base), coverage, len(gold))


def _by_doc(spans: Iterable[Span]) -> dict[str, list[Span]]:
    index: dict[str, list[Span]] = {}
    for item in spans:
        index.setdefault(item.doc_id, []).append(item)
    return index


def _touches(index: dict[str, list[Span]], guess: Span) -> bool:
    return any(overlap(item, guess) for item in index.get(guess.doc_id, ()))


def _kept(mention: GoldMention, groups: Collection[str] | None) -> bool:
    return groups is None or mention.group in groups


__all__ = ["MEASURES", "Baseline", "LinkingReport", "Reachable", "evaluate_linking"]
