"""Reading a free-text query with the document pipeline: concepts, their roles, remaining words.

The query goes through the same annotator as documents, so "sans HTA" or "no history of stroke" are
negated mentions like in a report. Each recognised concept becomes a criterion:

- negated right after an exclusion cue ("sans HTA", "without diabetes", "no history of stroke",
  "pas de fièvre") → ``none`` (documents affirming it are excluded), and its words leave the BM25
  text: a report about hypertension must not rank higher because the query excludes hypertension.
  The cue's words stay: a report worded like the query ("without hypertension") is the one asked
  for (on SciFact, the one claim with an exclusion lost its relevant abstract without "without");
  they are not free terms;
  A negation elsewhere in the sentence is a statement, not a filter ("folic acid does not affect
  chronic kidney disease" is a question about kidney disease): the concept stays a plain criterion;
- about a relative ("family history of colon cancer") → ``any``, counting family mentions only;
- suspected ("suspicion d'embolie pulmonaire") → ``any``, counting suspected and affirmed mentions;
- otherwise → ``all`` or ``any`` as the caller asks (``any`` by default: ranking by how much of the
  query a document evidences is more forgiving of a concept the matcher got wrong).

A query that only excludes ("pas de fièvre", "no history of stroke": no other concept, no other word)
would exclude from nothing. It is read as asking for the documents that state the absence: each of its
concepts becomes ``any``, counting negated mentions only, and nothing is searched as text (the cue's
words alone, "history", would bring in every report with a history section).
"""

from __future__ import annotations

import re
from dataclasses import replace

from nlp.embedding import text_vector
from nlp.language import stop_words
from nlp.pipeline import Annotation
from search.expansion import ExpansionPolicy
from search.query import (
    AFFIRMED,
    ANY,
    FAMILY,
    HYPOTHETICAL,
    NEGATED,
    NONE,
    ConceptCriterion,
    ParsedQuery,
    SearchQuery,
)

# An exclusion cue ends the text before the concept, possibly followed by a few linking words.
_EXCLUSION_CUE = re.compile(
    r"(?:\b(?:sans|without|no|excluding|except|exclude|hors|aucune?|ni|non|not)"
    r"|\bpas\s+d[e'\u2019]|\babsence\s+d[e'\u2019]|\bw/o)"
    r"(?:\s+(?:any|history\s+of|personal\s+history\s+of|signs?\s+of|of|d[e'\u2019]|du|des|la|le|les|l['\u2019]"
    r"|ant[ée]c[ée]dents?\s+d[e'\u2019]|notion\s+d[e'\u2019]))*\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w[\w'\u2019-]*")
# A French elided article or pronoun before a word ("l'enfant", "d'exclure"): not part of the word.
_ELISION = re.compile(r"^(?:qu|[cdjlmnst])['\u2019](?=\w)", re.IGNORECASE)


def understand(
    text: str,
    annotation: Annotation,
    *,
    match: str = ANY,
    policy: ExpansionPolicy | None = None,
    base: SearchQuery | None = None,
    with_vector: bool = False,
) -> ParsedQuery:
    """The criteria and BM25 text of the free-text query ``text`` from its ``annotation``.

    Args:
        match: role of plain (affirmed) concepts, ``"all"`` or ``"any"``.
        policy: expansion policy of every criterion read from the text.
        base: a query whose filters, weights and criteria the parsed ones are added to.
        with_vector: give the query its vector (``nlp.embedding``, read as a query), for document
            search's similarity.
    """
    policy = policy or ExpansionPolicy()
    criteria: list[ConceptCriterion] = []
    seen: set[tuple[str, str, frozenset[str]]] = set()
    excluded_spans: list[tuple[int, int]] = []
    cues: list[tuple[int, int]] = []
    covered: list[tuple[int, int]] = []
    for mention in annotation.mentions:
        if not mention.candidates:
            continue
        covered.append((mention.start, mention.end))
        qualifiers = mention.qualifiers
        cue = exclusion_cue(text, mention.start) if qualifiers.negated else None
        if cue is not None:
            role, assertions = NONE, frozenset({AFFIRMED})
            excluded_spans.append((mention.start, mention.end))
            cues.append(cue)
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
    ignored = stop_words(annotation.lang)
    words = (_ELISION.sub("", word) for word in _WORD.findall(_without(text, covered + cues)))
    free_terms = tuple(word for word in words if word.lower() not in ignored and len(word) > 1)
    searched = _without(text, excluded_spans)
    only_excludes = (
        bool(criteria)
        and not free_terms
        and not base.text.strip()
        and all(c.role == NONE for c in (*base.criteria, *criteria))
    )
    if only_excludes:
        criteria = [replace(c, role=ANY, assertions=frozenset({NEGATED})) for c in criteria]
        searched = ""
    query = replace(
        base,
        criteria=(*base.criteria, *criteria),
        text=" ".join(part for part in (base.text, searched) if part.strip()),
        lang=base.lang or annotation.lang,
        # What is excluded is no part of what the query is like: "heart failure without hypertension"
        # is compared as "heart failure without".
        vector=text_vector(searched, annotation.lang, query=True) if with_vector else None,
    )
    return ParsedQuery(text=text, lang=annotation.lang, query=query, free_terms=free_terms)


def exclusion_cue(text: str, start: int) -> tuple[int, int] | None:
    """The offsets of the exclusion cue (``_EXCLUSION_CUE``) ending just before ``start``, if any."""
    window = max(0, start - 60)
    found = _EXCLUSION_CUE.search(text[window:start])
    return None if found is None else (window + found.start(), start)


def _without(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each span blanked out (offsets of the rest kept)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return " ".join("".join(chars).split())
