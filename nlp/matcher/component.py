"""spaCy component wrapping :class:`TerminologyMatcher`: spaCy tokens → normalised tokens → spans.

The matcher is handed in with :meth:`TerminologyMatcherComponent.set_matcher` after the pipeline is
assembled (usually from :func:`nlp.matcher.matcher_cache.load_or_build`): a spaCy config can hold
options, not 300k terms, and the matcher is cached on disk by terminology release rather than
serialised with the pipeline.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.matcher.errors import Errors, MatcherLanguageMismatch, MatcherNotSet
from nlp.matcher.matcher import TerminologyMatcher
from nlp.matcher.normalise import NormToken, tokenize
from nlp.model import Candidate, Mention

SPAN_KEY = "hs_mentions"
CANDIDATES_EXTENSION = "hs_candidates"


def register_extensions() -> None:
    """Register ``Span._.hs_candidates`` (a tuple of ``Candidate``, best first) once."""
    if not Span.has_extension(CANDIDATES_EXTENSION):
        Span.set_extension(CANDIDATES_EXTENSION, default=None)


class TerminologyMatcherComponent:
    """Writes ``doc.spans["hs_mentions"]``; each span carries ``span._.hs_candidates``."""

    def __init__(
        self, nlp: Language, name: str, *, lang: str, min_score: float, matcher: TerminologyMatcher | None
    ) -> None:
        self.name = name
        self.lang = lang
        self.min_score = min_score
        self.matcher: TerminologyMatcher | None = None
        register_extensions()
        if matcher is not None:
            self.set_matcher(matcher)

    def set_matcher(self, matcher: TerminologyMatcher) -> None:
        """Hand in the compiled matcher.

        Raises:
            MatcherLanguageMismatch: when the matcher normalises another language.
        """
        if matcher.lang != self.lang:
            raise MatcherLanguageMismatch(Errors.E002.format(matcher=matcher.lang, component=self.lang))
        self.matcher = matcher

    def __call__(self, doc: Doc) -> Doc:
        if self.matcher is None:
            raise MatcherNotSet(Errors.E001)
        tokens: list[NormToken] = [
            norm for token in doc for norm in tokenize(token.text, lang=self.lang, offset=token.idx)
        ]
        matches = self.matcher.find_phrases(doc.text, tokens)
        spans: list[Span] = []
        for match in matches:
            candidates = tuple(c for c in match.candidates if c.score >= self.min_score)
            if not candidates:
                continue
            span = doc.char_span(
                tokens[match.start].start, tokens[match.end - 1].end, alignment_mode="expand"
            )
            if span is None:
                continue
            span._.set(CANDIDATES_EXTENSION, candidates)
            spans.append(span)
        doc.spans[SPAN_KEY] = spans
        return doc


def doc_mentions(doc: Doc) -> list[Mention]:
    """The matcher's spans of ``doc`` as :class:`~nlp.model.Mention` (no spaCy type leaves ``nlp``)."""
    mentions = []
    for span in doc.spans.get(SPAN_KEY, []):
        candidates: tuple[Candidate, ...] = span._.get(CANDIDATES_EXTENSION) or ()
        mentions.append(
            Mention(start=span.start_char, end=span.end_char, text=span.text, candidates=candidates)
        )
    return mentions
