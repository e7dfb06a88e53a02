"""French qualifiers: EDS-NLP's maintained components, mapped to ``Qualifiers``, then post-rules.

The pipeline itself (EDS-NLP's normaliser, sentences, sections and qualifiers reading
``doc.spans["hs_targets"]``) is assembled from ``nlp/pipelines/fr.cfg``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

from nlp.model import Qualifiers
from nlp.qualifiers.patterns import PostRule, load_post_rules, load_sections


@cache
def section_name(label: str | None) -> tuple[str | None, str | None]:
    """EDS-NLP section label -> (normalised name, implied qualifier); unknown labels are slugified."""
    if label is None:
        return None, None
    for header in load_sections("fr"):
        if header.header == label:
            return header.name, header.implies
    return label.lower().replace(" ", "_"), None


def section_bounds(doc: Any) -> tuple[tuple[int, int, str], ...]:
    """``(start, end, label)`` token bounds of the sections ``eds.sections`` found, in its order.

    Read once per document: each ``Span`` of a span group is built anew on every iteration.
    """
    return tuple((section.start, section.end, section.label_) for section in doc.spans.get("sections", []))


def _window(rule: PostRule, *, before: str, after: str) -> str:
    return before if rule.window == "before" else after


def apply_post_rules(
    qualifiers: Qualifiers, *, before: str, after: str, cues_after_only: bool, rules: tuple[PostRule, ...]
) -> Qualifiers:
    """Correct EDS-NLP's qualifiers with the rules of ``post_rules_fr.tsv``, in order.

    Args:
        before, after: sentence text before / after the mention (lower-cased, straight apostrophes).
        cues_after_only: every negation cue found lies after the mention.
    """
    for rule in rules:
        if rule.requires == "negated" and not qualifiers.negated:
            continue
        if rule.requires == "not_negated" and qualifiers.negated:
            continue
        if rule.window == "after_cue" and not cues_after_only:
            continue
        if rule.pattern.search(_window(rule, before=before, after=after)):
            qualifiers = replace(qualifiers, **dict(rule.sets))
    return qualifiers


def _clean(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u00a0", " ")


def read_span(
    span: Any,
    sentence: tuple[int, int] | None = None,
    text: str | None = None,
    sections: tuple[tuple[int, int, str], ...] | None = None,
) -> tuple[Qualifiers, str | None]:
    """Qualifiers and section name of one span of a processed EDS-NLP doc.

    ``sentence`` (character offsets of the span's sentence), ``text`` (the document text) and
    ``sections`` (``section_bounds(span.doc)``) are passed by callers that have them: spaCy's
    ``Span.sent`` walks every sentence and ``Doc.text`` joins every token, on each call (quadratic over
    a document's mentions; measured 11 docs/s on FRACCO before passing them).
    """
    if sections is None:
        sections = section_bounds(span.doc)
    # eds.sections only sets `span._.section` on doc.ents: look the span up in its span group.
    start = span.start
    label = next((title for first, last, title in sections if first <= start < last), None)
    name, implies = section_name(label)
    extensions = span._  # one Underscore for the five reads below
    qualifiers = Qualifiers(
        negated=bool(extensions.negation),
        hypothetical=bool(extensions.hypothesis),
        family=bool(extensions.family),
        historical=bool(extensions.history),
    )
    if sentence is None:
        sentence = (span.sent.start_char, span.sent.end_char)
    sentence_start, sentence_end = sentence
    if text is None:
        text = span.doc.text
    cues = extensions.negation_cues or []
    span_end = span.end
    qualifiers = apply_post_rules(
        qualifiers,
        before=_clean(text[sentence_start : span.start_char]),
        after=_clean(text[span.end_char : sentence_end]),
        cues_after_only=bool(cues) and all(cue.start >= span_end for cue in cues),
        rules=load_post_rules(),
    )
    # The section's implication comes last: the post-rules correct EDS-NLP's cues, not the section
    # ("Antécédents familiaux : asthme de l'enfant" stays a relative's).
    if implies == "family" and not qualifiers.family:
        qualifiers = replace(qualifiers, family=True)
    elif implies == "historical" and not qualifiers.historical:
        qualifiers = replace(qualifiers, historical=True)
    return qualifiers, name
