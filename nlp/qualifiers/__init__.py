"""Qualifiers of mentions (negated, hypothetical, family, historical) and their section, FR and EN.

French runs EDS-NLP's qualifiers plus the corrections of ``post_rules_fr.tsv``; English runs our
ConText component ``hs.context`` (``context_en.tsv``) and header-based sections (``sections.tsv``).
Both pipelines are assembled from ``nlp/pipelines/fr.cfg`` and ``en.cfg`` (``nlp.pipelines``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from nlp.model import Qualifiers
from nlp.pipelines import load_pipeline
from nlp.qualifiers import french
from nlp.qualifiers.patterns import load_sections

__all__ = ["LANGUAGES", "QualifiedSpan", "qualify", "qualify_spans"]

LANGUAGES = ("fr", "en")
SPAN_GROUP = "hs_targets"  # the span group the qualifiers of both configs read


@cache
def _pipeline(lang: str) -> Any:
    """One pipeline per language, assembled from its config on first use and kept for the process
    (``nlp/pipelines/<lang>.cfg``, or the file ``HEALTHSEARCH_NLP_CONFIG_<LANG>`` names)."""
    return load_pipeline(lang)


def _english(span: Any) -> tuple[Qualifiers, str | None]:
    sections = [s for s in span.doc.spans["hs_sections"] if s.start <= span.start < s.end]
    name = sections[0].label_ if sections else None
    implies = {h.name: h.implies for h in load_sections("en")}.get(name) if name else None
    return (
        Qualifiers(
            negated=span._.hs_negated,
            hypothetical=span._.hs_hypothetical,
            family=span._.hs_family or implies == "family",
            historical=span._.hs_historical or implies == "historical",
        ),
        name,
    )


@dataclass(frozen=True)
class QualifiedSpan:
    qualifiers: Qualifiers
    section: str | None
    sentence_start: int  # character offsets of the sentence holding the span
    sentence_end: int


def qualify(text: str, spans: Sequence[tuple[int, int]], *, lang: str) -> list[tuple[Qualifiers, str | None]]:
    """``(Qualifiers, section)`` per span: ``qualify_spans`` without sentence offsets."""
    return [(found.qualifiers, found.section) for found in qualify_spans(text, spans, lang=lang)]


def qualify_spans(text: str, spans: Sequence[tuple[int, int]], *, lang: str) -> list[QualifiedSpan]:
    """Qualify mentions given by character offsets.

    Args:
        text: the document text.
        spans: ``(start, end)`` character offsets of the mentions (may overlap).
        lang: ``"fr"`` or ``"en"``.

    Returns:
        One ``QualifiedSpan`` (qualifiers, section name or None, sentence offsets) per span, in order.

    Raises:
        ValueError: unknown language, or offsets outside the text or empty.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} (expected one of {LANGUAGES})")
    for start, end in spans:
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span ({start}, {end}) is empty or outside a text of {len(text)} characters")
    if not spans:
        return []
    nlp = _pipeline(lang)
    doc = nlp.make_doc(text)
    targets = []
    for start, end in spans:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:  # offsets inside whitespace only
            raise ValueError(f"span ({start}, {end}) covers no token")
        targets.append(span)
    doc.spans[SPAN_GROUP] = targets
    doc = nlp(doc)
    # Sentence bounds once per document: spaCy's Span.sent scans every sentence on each call.
    sentences = [(sent.start, sent.start_char, sent.end_char) for sent in doc.sents]
    starts = [start for start, _, _ in sentences]
    sections = french.section_bounds(doc) if lang == "fr" else ()
    found = []
    for span in doc.spans[SPAN_GROUP]:
        _, sentence_start, sentence_end = sentences[bisect_right(starts, span.start) - 1]
        if lang == "fr":
            qualifiers, section = french.read_span(span, (sentence_start, sentence_end), text, sections)
        else:
            qualifiers, section = _english(span)
        found.append(QualifiedSpan(qualifiers, section, sentence_start, sentence_end))
    return found
