"""ConText (Harkema et al., 2009) for English: negation, hypothesis, experiencer and history of spans.

Cues come from ``context_en.tsv``. A cue's scope stays within its sentence, runs forward and/or backward
from the cue, and stops at a TERMINATION cue; PSEUDO cues are matched only to shadow the shorter cues
they contain ("no increase in"). A target span is modified when it lies wholly inside a scope, so lists
("No fever, chills or cough") are covered by one cue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.qualifiers.patterns import Cue, Direction

# Span extensions this component writes (prefixed: EDS-NLP owns `family`, `history`...).
ATTRIBUTES = {
    "NEGATED_EXISTENCE": "hs_negated",
    "POSSIBLE_EXISTENCE": "hs_hypothetical",
    "FAMILY": "hs_family",
    "HISTORICAL": "hs_historical",
}
MODIFIER_CATEGORIES = frozenset(ATTRIBUTES)


def register_extensions() -> None:
    """Declare the Span extensions once per process (idempotent)."""
    for attribute in ATTRIBUTES.values():
        if not Span.has_extension(attribute):
            Span.set_extension(attribute, default=False)
    if not Span.has_extension("hs_cues"):
        Span.set_extension("hs_cues", default=None)


@dataclass(frozen=True)
class _Match:
    start: int  # token offsets
    end: int
    cue: Cue


class ConText:
    """spaCy component: qualifies the spans of ``doc.spans[span_group]`` from cue scopes."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        cues: Iterable[Cue],
        span_group: str,
        exclude_group: str | None,
        max_scope: int | None,
    ) -> None:
        self.name = name
        self.span_group = span_group
        self.exclude_group = exclude_group
        self.max_scope = max_scope
        self._cues: dict[str, Cue] = {}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for cue in cues:
            key = f"{cue.category}:{cue.text.lower()}"
            self._cues[key] = cue
            self.matcher.add(key, [nlp.make_doc(cue.text)])
        register_extensions()

    def _matches(self, doc: Doc, targets: list[Span]) -> list[_Match]:
        excluded = [(span.start, span.end) for span in targets]
        if self.exclude_group and self.exclude_group in doc.spans:
            excluded += [(span.start, span.end) for span in doc.spans[self.exclude_group]]
        # A cue whose words belong to a longer name ("history" in "History of recurrent infections",
        # or in a section header) is no cue. A target made of the cue's own words leaves it standing:
        # HPO names "Family history", and "Family history of diabetes" must make diabetes the family's.
        own_words = {(span.start, span.end) for span in targets}

        def blocked(start: int, end: int) -> bool:
            return any(
                start < b_end
                and b_start < end
                and not ((b_start, b_end) in own_words and start <= b_start and b_end <= end)
                for b_start, b_end in excluded
            )

        spans = [
            Span(doc, start, end, label=match_id)
            for match_id, start, end in self.matcher(doc)
            if not blocked(start, end)
        ]
        # Longest cue wins where cues overlap: "no increase in" (PSEUDO) shadows "no".
        return [_Match(span.start, span.end, self._cues[span.label_]) for span in filter_spans(spans)]

    def _scope(self, match: _Match, sentence: Span, matches: list[_Match]) -> list[tuple[int, int]]:
        scopes = []
        stops = [m for m in matches if m.cue.category == "TERMINATION"]
        if match.cue.direction in (Direction.FORWARD, Direction.BIDIRECTIONAL):
            end = min([m.start for m in stops if m.start >= match.end] + [sentence.end])
            if self.max_scope is not None:
                end = min(end, match.end + self.max_scope)
            scopes.append((match.end, end))
        if match.cue.direction in (Direction.BACKWARD, Direction.BIDIRECTIONAL):
            start = max([m.end for m in stops if m.end <= match.start] + [sentence.start])
            if self.max_scope is not None:
                start = max(start, match.start - self.max_scope)
            scopes.append((start, match.start))
        return scopes

    def __call__(self, doc: Doc) -> Doc:
        targets = list(doc.spans[self.span_group]) if self.span_group in doc.spans else []
        if not targets:
            return doc
        matches = self._matches(doc, targets)
        for span in targets:
            sentence = span.sent
            in_sentence = [m for m in matches if sentence.start <= m.start and m.end <= sentence.end]
            cues = []
            for match in in_sentence:
                if match.cue.category not in MODIFIER_CATEGORIES:
                    continue
                scopes = self._scope(match, sentence, in_sentence)
                if any(start <= span.start and span.end <= end for start, end in scopes):
                    span._.set(ATTRIBUTES[match.cue.category], True)
                    cues.append(doc[match.start : match.end])
            span._.hs_cues = cues
        return doc
