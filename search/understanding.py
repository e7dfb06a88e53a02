"""Reading a free-text query with the document pipeline: concepts, their roles, remaining words.

The query goes through the same annotator as documents, so "sans HTA" or "no history of stroke" are
negated mentions like in a report. Each recognised concept becomes a criterion:

- negated → ``none`` (documents affirming it are excluded), and its words leave the BM25 text: a
  report about hypertension must not rank higher because the query excludes hypertension;
- about a relative ("family history of colon cancer") → ``any``, counting family mentions only;
- suspected ("suspicion d'embolie pulmonaire") → ``any``, counting suspected and affirmed mentions;
- otherwise → ``all`` or ``any`` as the caller asks (``any`` by default: ranking by how much of the
  query a document evidences is more forgiving of a concept the matcher got wrong).
"""

from __future__ import annotations

import re
from dataclasses import replace

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP_WORDS
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP_WORDS

from nlp.pipeline import Annotation
from search.expansion import ExpansionPolicy
from search.query import (
    AFFIRMED,
    ANY,
    FAMILY,
    HYPOTHETICAL,
    NONE,
    ConceptCriterion,
    ParsedQuery,
    SearchQuery,
)

_WORD = re.compile(r"\w[\w'\u2019-]*")
_STOP_WORDS = {"fr": FR_STOP_WORDS, "en": EN_STOP_WORDS}


def understand(
    text: str,
    annotation: Annotation,
    *,
    match: str = ANY,
    policy: ExpansionPolicy | None = None,
    base: SearchQuery | None = None,
) -> ParsedQuery:
    """The criteria and BM25 text of the free-text query ``text`` from its ``annotation``.

    Args:
        match: role of plain (affirmed) concepts, ``"all"`` or ``"any"``.
        policy: expansion policy of every criterion read from the text.
        base: a query whose filters, weights and criteria the parsed ones are added to.
    """
    policy = policy or ExpansionPolicy()
    criteria: list[ConceptCriterion] = []
    seen: set[tuple[str, str, frozenset[str]]] = set()
    excluded_spans: list[tuple[int, int]] = []
    covered: list[tuple[int, int]] = []
    for mention in annotation.mentions:
        if not mention.candidates:
            continue
        covered.append((mention.start, mention.end))
        qualifiers = mention.qualifiers
        if qualifiers.negated:
            role, assertions = NONE, frozenset({AFFIRMED})
            excluded_spans.append((mention.start, mention.end))
        elif qualifiers.family:
            role, assertions = ANY, frozenset({FAMILY})
        elif qualifiers.hypothetical:
            role, assertions = ANY, frozenset({AFFIRMED, HYPOTHETICAL})
        else:
            role, assertions = match, frozenset({AFFIRMED})
        curie = mention.candidates[0].curie
        key = (curie, role, assertions)
        if key in seen:
            continue
        seen.add(key)
        criteria.append(
            ConceptCriterion(
                curie=curie,
                role=role,
                policy=policy,
                assertions=assertions,
                text=mention.text,
                start=mention.start,
                end=mention.end,
            )
        )
    base = base or SearchQuery()
    query = replace(
        base,
        criteria=(*base.criteria, *criteria),
        text=" ".join(part for part in (base.text, _without(text, excluded_spans)) if part.strip()),
    )
    stop_words: set[str] = _STOP_WORDS.get(annotation.lang, set())
    free_terms = tuple(
        word
        for word in _WORD.findall(_without(text, covered))
        if word.lower() not in stop_words and len(word) > 1
    )
    return ParsedQuery(text=text, lang=annotation.lang, query=query, free_terms=free_terms)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span blanked out (offsets of the rest kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return " ".join("".join(chars).split())
