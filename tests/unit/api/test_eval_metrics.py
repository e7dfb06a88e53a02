"""Pure scoring of the evaluation harness: span matching and PRF on hand-made lists."""

from __future__ import annotations

import pytest

from api.eval.metrics import Span, binary, overlap, prf, score, strict

GOLD = [Span("d1", 0, 5), Span("d1", 10, 20), Span("d2", 0, 4)]


def test_strict_counts_exact_offsets_only() -> None:
    predicted = [Span("d1", 0, 5), Span("d1", 10, 15), Span("d2", 0, 4)]
    result = score(GOLD, predicted, match=strict)
    assert (result.precision, result.recall) == pytest.approx((2 / 3, 2 / 3))


def test_overlap_counts_any_shared_character() -> None:
    predicted = [Span("d1", 3, 12), Span("d1", 30, 35)]
    result = score(GOLD, predicted, match=overlap)
    # one prediction covers two gold spans: precision 1/2, recall 2/3
    assert (result.precision, result.recall) == pytest.approx((0.5, 2 / 3))


def test_spans_of_other_documents_never_match() -> None:
    assert not overlap(Span("d1", 0, 4), Span("d2", 0, 4))


def test_touching_spans_do_not_overlap() -> None:
    assert not overlap(Span("d1", 0, 5), Span("d1", 5, 9))


def test_identical_gold_spans_are_two_items() -> None:
    result = score([Span("d", 0, 3), Span("d", 0, 3)], [Span("d", 0, 3)], match=strict)
    assert result.recall == 1.0


def test_prf_of_nothing_is_zero() -> None:
    assert prf(correct_predicted=0, predicted=0, found_gold=0, gold=0).f1 == 0.0


def test_f1_is_harmonic_mean() -> None:
    assert prf(correct_predicted=1, predicted=2, found_gold=1, gold=1).f1 == pytest.approx(2 / 3)


def test_binary_accuracy_and_positive_class() -> None:
    accuracy, negated = binary([True, False, True, False], [True, True, False, False])
    assert accuracy == 0.5
    assert (negated.precision, negated.recall) == (0.5, 0.5)


def test_binary_rejects_unpaired_labels() -> None:
    with pytest.raises(ValueError, match="2 gold labels"):
        binary([True, False], [True])
