"""Pure scoring: span matching (strict, overlap) and precision / recall / F1."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    """A gold or predicted mention: document, character offsets, concept ids (gold: any of them)."""

    doc_id: str
    start: int
    end: int
    ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class PRF:
    """Precision over predictions, recall over gold items, and their harmonic mean."""

    precision: float
    recall: float
    f1: float
    predicted: int = 0
    gold: int = 0

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


SpanMatch = Callable[[Span, Span], bool]  # (gold, predicted) -> counts as a match


def prf(*, correct_predicted: int, predicted: int, found_gold: int, gold: int) -> PRF:
    """PRF from counts; a ratio with an empty denominator is 0.0.

    Args:
        correct_predicted: predictions that match some gold item (precision numerator).
        predicted: all predictions.
        found_gold: gold items matched by some prediction (recall numerator).
        gold: all gold items.
    """
    precision = correct_predicted / predicted if predicted else 0.0
    recall = found_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PRF(precision, recall, f1, predicted, gold)


def strict(gold: Span, predicted: Span) -> bool:
    """Same document and exactly the same offsets."""
    return gold.doc_id == predicted.doc_id and (gold.start, gold.end) == (predicted.start, predicted.end)


def overlap(gold: Span, predicted: Span) -> bool:
    """Same document and at least one character in common."""
    return gold.doc_id == predicted.doc_id and gold.start < predicted.end and predicted.start < gold.end


def score(gold: Sequence[Span], predicted: Sequence[Span], *, match: SpanMatch) -> PRF:
    """Precision (predictions matching some gold span), recall (gold spans matched by some prediction).

    With overlap matching one prediction may cover several gold spans and the reverse; each side is
    counted once, so precision and recall stay within [0, 1].
    """
    by_doc: dict[str, list[tuple[int, Span]]] = defaultdict(list)
    for index, item in enumerate(gold):
        by_doc[item.doc_id].append((index, item))
    matched_gold: set[int] = set()  # indexes: two identical gold spans are two items
    correct = 0
    for guess in predicted:
        hits = [index for index, item in by_doc.get(guess.doc_id, []) if match(item, guess)]
        if hits:
            correct += 1
            matched_gold.update(hits)
    return prf(
        correct_predicted=correct, predicted=len(predicted), found_gold=len(matched_gold), gold=len(gold)
    )


def binary(gold: Sequence[bool], predicted: Sequence[bool]) -> tuple[float, PRF]:
    """Accuracy, and PRF of the positive class, of paired boolean labels.

    Raises:
        ValueError: the sequences differ in length.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    pairs = list(zip(gold, predicted, strict=True))
    accuracy = sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0
    true_positive = sum(g and p for g, p in pairs)
    return accuracy, prf(
        correct_predicted=true_positive,
        predicted=sum(predicted),
        found_gold=true_positive,
        gold=sum(gold),
    )
