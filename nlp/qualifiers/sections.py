"""Sections of English notes from their headers; EDS-NLP section labels to our names (French)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc, Span

from nlp.qualifiers.patterns import SectionHeader


def header_regex(headers: Iterable[SectionHeader]) -> re.Pattern[str]:
    """A header: at a line start, the longest known title, then ":" or the end of the line."""
    titles = sorted({re.escape(h.header) for h in headers}, key=len, reverse=True)
    return re.compile(rf"^[ \t]*(?P<title>{'|'.join(titles)})[ \t]*(?::|$)", re.IGNORECASE | re.MULTILINE)


class EnglishSections:
    """spaCy component: ``doc.spans[group]`` gets one span per section, labelled with its normalised
    name; ``doc.spans[header_group]`` gets the headers. Also splits sentences: spaCy's rule-based
    sentencizer, then a sentence starts at each header, after it, and after each line break.

    The sentencizer is called, not added as a pipe: once a dotted factory is registered through
    EDS-NLP's registry, spaCy 3.8's lazily filled registry may no longer list ``sentencizer``.
    """

    def __init__(
        self, nlp: Language, name: str, *, headers: Iterable[SectionHeader], group: str, header_group: str
    ) -> None:
        self.name = name
        headers = tuple(headers)
        self.names = {h.header.lower(): h.name for h in headers}
        self.regex = header_regex(headers)
        self.group = group
        self.header_group = header_group
        self.sentencizer = Sentencizer()

    def __call__(self, doc: Doc) -> Doc:
        doc = self.sentencizer(doc)
        found: list[tuple[Span, str]] = []
        for match in self.regex.finditer(doc.text):
            header = doc.char_span(match.start("title"), match.end(), alignment_mode="expand")
            if header is not None:
                found.append((header, self.names[match.group("title").lower()]))
        sections = []
        for index, (header, name) in enumerate(found):
            end = found[index + 1][0].start if index + 1 < len(found) else len(doc)
            sections.append(Span(doc, header.start, end, label=name))
            if header.end < len(doc):
                doc[header.end].is_sent_start = True
            doc[header.start].is_sent_start = True
        for token in doc[:-1]:
            if token.is_space and "\n" in token.text:
                doc[token.i + 1].is_sent_start = True
        doc.spans[self.group] = sections
        doc.spans[self.header_group] = [header for header, _ in found]
        return doc
