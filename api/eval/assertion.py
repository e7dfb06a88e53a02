"""Assertion evaluation (negation, and hypothetical / family when the gold has them) on NegEx TSVs.

Each row's concept phrase is located in its sentence (case-insensitive, whitespace collapsed) and that
span is qualified by ``nlp.qualifiers.qualify_spans``. Baselines, on the same located spans: EDS-NLP's
``eds.negation`` alone for French (none of our post-rules); negspacy's ``negex`` component with its
clinical English termset (``en_clinical``) for English, on a blank English pipeline where the phrase is
the doc's only entity.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from api.eval.gold import AssertionCase
from api.eval.metrics import PRF, binary
from nlp.qualifiers import qualify_spans

NEGSPACY_TERMSET = "en_clinical"
_NEGEX_EXTENSION = "negex"  # negspacy's default: ``span._.negex``
_TARGET_LABEL = "EVAL_TARGET"

Negation = Callable[[str, tuple[int, int]], bool]  # (sentence, span) -> negated


def locate(sentence: str, concept: str) -> tuple[int, int] | None:
    """Character span of the first occurrence of ``concept`` in ``sentence`` (case, spacing ignored)."""
    words = concept.split()
    if not words:
        return None
    found = re.search(r"\s+".join(re.escape(word) for word in words), sentence, flags=re.IGNORECASE)
    return (found.start(), found.end()) if found else None


@cache
def _negspacy_pipeline() -> tuple[Any, tuple[Callable[[Any], Any], ...]]:
    """A blank English pipeline and its steps: spaCy's sentencizer, then negspacy's ``Negex``.

    The components are built and called directly rather than added with ``add_pipe``: once a dotted
    factory is registered through EDS-NLP's registry (as ``nlp.qualifiers`` does), spaCy 3.8's lazily
    filled registry may no longer list ``sentencizer`` (see ``nlp.qualifiers.sections``).
    """
    import spacy  # slow imports: only when the English baseline runs
    from negspacy.negation import Negex
    from negspacy.termsets import termset
    from spacy.pipeline import Sentencizer

    patterns = termset(NEGSPACY_TERMSET).get_patterns()  # type: ignore[no-untyped-call]  # unannotated
    nlp = spacy.blank("en")
    negex = Negex(
        nlp,
        "negex",
        neg_termset={kind: list(terms) for kind, terms in patterns.items()},
        ent_types=None,  # every entity; the doc holds only the marked phrase
        extension_name=_NEGEX_EXTENSION,
        chunk_prefix=None,  # no "no pneumonia"-style entities: the gold phrase is the span
    )
    return nlp, (Sentencizer(), negex)  # negex scopes by sentence: a blank doc has no boundaries


def negspacy_baseline(sentence: str, span: tuple[int, int]) -> bool:
    """negspacy's ``negex`` (clinical English termset) on the span, given as the doc's only entity."""
    nlp, steps = _negspacy_pipeline()
    doc = nlp.make_doc(sentence)
    target = doc.char_span(span[0], span[1], label=_TARGET_LABEL, alignment_mode="expand")
    if target is None:
        return False
    doc.ents = [target]
    for step in steps:
        doc = step(doc)
    return bool(doc.ents[0]._.get(_NEGEX_EXTENSION))


@cache
def _eds_negation_pipeline() -> Any:
    import edsnlp  # slow import: only when the French baseline runs

    nlp = edsnlp.blank("eds")
    nlp.add_pipe("eds.normalizer")
    nlp.add_pipe("eds.sentences")
    nlp.add_pipe("eds.negation", config={"span_getter": {"eval_targets": True}})
    return nlp


def eds_negation_baseline(sentence: str, span: tuple[int, int]) -> bool:
    """EDS-NLP's ``eds.negation`` alone on the span (no hs post-rules)."""
    nlp = _eds_negation_pipeline()
    doc = nlp.make_doc(sentence)
    target = doc.char_span(span[0], span[1], alignment_mode="expand")
    if target is None:
        return False
    doc.spans["eval_targets"] = [target]
    doc = nlp(doc)
    return bool(doc.spans["eval_targets"][0]._.negation)


def baseline_for(lang: str) -> Negation:
    """The baseline negation detector of ``lang``; raises ValueError for another language."""
    if lang == "fr":
        return eds_negation_baseline
    if lang == "en":
        return negspacy_baseline
    raise ValueError(f"no assertion baseline for language {lang!r} (expected 'fr' or 'en')")


@dataclass(frozen=True)
class ClassScore:
    accuracy: float
    positive: PRF

    def as_dict(self, name: str) -> dict[str, Any]:
        return {"accuracy": self.accuracy, name: self.positive.as_dict()}


@dataclass(frozen=True)
class AssertionReport:
    system: dict[str, ClassScore]  # "negated", and "hypothetical" / "family" when in the gold
    baseline: dict[str, ClassScore]  # "negated" only
    coverage: float  # share of rows whose concept was found in the sentence
    cases: int

    def as_dict(self) -> dict[str, Any]:
        system = self.system["negated"].as_dict("negated")
        for name in ("hypothetical", "family"):
            if name in self.system:
                score = self.system[name]
                system[name] = {"accuracy": score.accuracy, **score.positive.as_dict()}
        return {
            "system": system,
            "baseline": self.baseline["negated"].as_dict("negated"),
            "coverage": self.coverage,
        }


def evaluate_assertion(
    cases: Sequence[AssertionCase], *, lang: str, baseline: Negation | None = None
) -> AssertionReport:
    """Qualify each located concept with the pipeline and the baseline, and score them.

    Rows whose concept is not found in the sentence are left out (``coverage`` says how many stayed).

    Raises:
        ValueError: unsupported language.
    """
    detect = baseline or baseline_for(lang)
    located = [(case, locate(case.sentence, case.concept)) for case in cases]
    kept = [(case, span) for case, span in located if span is not None]
    found = [qualify_spans(case.sentence, [span], lang=lang)[0].qualifiers for case, span in kept]
    gold_negated = [case.negated for case, _ in kept]
    system = {"negated": ClassScore(*binary(gold_negated, [q.negated for q in found]))}
    for name in ("hypothetical", "family"):
        pairs = [
            (getattr(case, name), getattr(qualifiers, name))
            for (case, _), qualifiers in zip(kept, found, strict=True)
            if getattr(case, name) is not None
        ]
        if pairs:
            system[name] = ClassScore(*binary([g for g, _ in pairs], [p for _, p in pairs]))
    guesses = [detect(case.sentence, span) for case, span in kept]
    base = {"negated": ClassScore(*binary(gold_negated, guesses))}
    coverage = len(kept) / len(cases) if cases else 0.0
    return AssertionReport(system, base, coverage, len(cases))
