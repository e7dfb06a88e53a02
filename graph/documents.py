"""Annotated documents as plain rows for the graph (pure: no Neo4j).

Graph model written by ``graph.document_repository.DocumentWriter``::

    (:Patient {id})-[:HAS_DOCUMENT]->(:Document {id, patient_id, type, date, lang, title, source, text,
                                                 hash, metadata, pipeline_version, terminology_version,
                                                 mention_count, concept_tokens, hypothesis_tokens})
    (:Document)-[:HAS_MENTION]->(:Mention {start, end, text, negated, hypothetical, family, historical,
                                          section, sentence_start, sentence_end})
    (:Mention)-[:REFERS_TO {score, rank}]->(:Concept)          rank 0 = best candidate
    (:Document)-[:MENTIONS {count, affirmed, negated, hypothetical, family, historical,
                            best_score}]->(:Concept)

- The text is stored once, on the Document; a Mention keeps its offsets and covered text only.
- ``patient_id`` repeats the patient of ``HAS_DOCUMENT`` (absent without one): patient search groups
  mentions by it without a walk from each document to its patient.
- ``metadata`` is a JSON string (sorted keys) of scalar values; ``date`` is the ISO string as given.
- ``MENTIONS`` aggregates a document's mentions per rank-0 (best) concept, for fast retrieval and
  counting: ``count`` mentions, of which ``affirmed`` are not negated, hypothetical nor family;
  ``negated`` / ``hypothetical`` / ``family`` / ``historical`` count each qualifier (they overlap);
  ``best_score`` is the highest rank-0 score.
- A candidate concept absent from the graph becomes a stub ``Concept {curie, stub: true}``, as the
  ontology writer does for the ends of its edges.
- Search fields: a Document also carries one language label (``TextFr``, ``TextEn`` or
  ``TextOther``, see ``text_label``) that puts its title and text in the full-text index analysed for
  that language, and two token strings for the concept index (``concept_tokens``): the
  ``concept_token`` of the best concept of each affirmed mention (once per mention, so that Lucene
  sees counts) and of each hypothetical one. Negated and family mentions are left out: they must
  never make a document a candidate.
- ``hash`` (``content_hash``) covers the document's text, fields, metadata and the pipeline and
  terminology versions, not the mentions: a caller can tell whether a document needs (re-)annotating
  before running the pipeline; a new terminology version makes the same text a change.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from graph.errors import Errors, InvalidDocument
from graph.rows import stub_source
from ontologies.curie import curie_to_iri

MetadataValue = str | int | float | bool
Row = dict[str, Any]
QUALIFIERS = ("negated", "hypothetical", "family", "historical")
# What identifies a mention when comparing two versions of a document: span, best curie, qualifiers.
MentionSignature = tuple[int, int, str | None, bool, bool, bool, bool]
# Bumped when the stored search fields change shape: part of the content hash, so that the next
# ingest rewrites documents stored in an older layout instead of skipping them as unchanged.
SEARCH_FIELDS_VERSION = "search-fields-1"
# Language → the label of the full-text index analysing that language (graph/schema.cypher).
TEXT_LABELS: Mapping[str, str] = {"fr": "TextFr", "en": "TextEn"}
OTHER_TEXT_LABEL = "TextOther"
_TOKEN_UNSAFE = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True)
class MentionRow:
    """One mention of a document: a span, its candidate concepts (best first) and qualifiers."""

    start: int
    end: int
    text: str
    candidates: tuple[tuple[str, float], ...]  # (curie, score), best first
    negated: bool = False
    hypothetical: bool = False
    family: bool = False
    historical: bool = False
    section: str | None = None
    sentence_start: int | None = None
    sentence_end: int | None = None

    @property
    def best(self) -> tuple[str, float] | None:
        return self.candidates[0] if self.candidates else None

    @property
    def affirmed(self) -> bool:
        return not (self.negated or self.hypothetical or self.family)

    def signature(self) -> MentionSignature:
        best = self.best
        return (
            self.start,
            self.end,
            best[0] if best else None,
            self.negated,
            self.hypothetical,
            self.family,
            self.historical,
        )


@dataclass(frozen=True)
class DocumentRow:
    """One annotated document, ready to write."""

    id: str
    text: str
    patient_id: str | None = None
    type: str | None = None
    date: str | None = None  # ISO 8601 date or date-time
    lang: str | None = None
    title: str | None = None
    source: str | None = None
    metadata: Mapping[str, MetadataValue] = field(default_factory=dict)
    pipeline_version: str = ""
    terminology_version: str = ""
    mentions: tuple[MentionRow, ...] = ()
    # The text's unit vector (nlp.embedding), stored as the node's ``vector``; None: no vector.
    vector: tuple[float, ...] | None = None


@dataclass(frozen=True)
class DocumentWriteReport:
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    mentions_added: int = 0
    mentions_removed: int = 0
    mentions_changed: int = 0

    def __add__(self, other: DocumentWriteReport) -> DocumentWriteReport:
        return DocumentWriteReport(
            added=self.added + other.added,
            replaced=self.replaced + other.replaced,
            unchanged=self.unchanged + other.unchanged,
            mentions_added=self.mentions_added + other.mentions_added,
            mentions_removed=self.mentions_removed + other.mentions_removed,
            mentions_changed=self.mentions_changed + other.mentions_changed,
        )


def validate(row: DocumentRow) -> None:
    """Raise InvalidDocument unless ``row`` can be written (checked before any write).

    Checks: a non-empty id, an ISO date, scalar metadata, mention offsets inside the text and
    covering ``mention.text``, candidates with a curie and a score.
    """

    def fail(detail: str) -> InvalidDocument:
        return InvalidDocument(Errors.E114.format(id=row.id, detail=detail))

    if not row.id:
        raise fail("empty id")
    if row.date is not None and not _is_iso(row.date):
        raise fail(f"date {row.date!r} is not ISO 8601")
    for key, value in row.metadata.items():
        if not isinstance(value, (str, int, float, bool)):
            raise fail(f"metadata {key!r} is a {type(value).__name__}, not a str, int, float or bool")
    for mention in row.mentions:
        if not 0 <= mention.start < mention.end <= len(row.text):
            raise fail(f"mention [{mention.start}, {mention.end}) is outside the text")
        if row.text[mention.start : mention.end] != mention.text:
            raise fail(f"mention [{mention.start}, {mention.end}) does not cover {mention.text!r}")
        for curie, _score in mention.candidates:
            if ":" not in curie:
                raise fail(f"candidate {curie!r} is not a CURIE")


def _is_iso(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return False
    return True


def metadata_json(metadata: Mapping[str, MetadataValue]) -> str:
    """The metadata as stored: JSON with sorted keys (equal mappings, equal strings)."""
    return json.dumps(dict(metadata), sort_keys=True, ensure_ascii=False)


def content_hash(row: DocumentRow) -> str:
    """A digest of the document's text, fields, metadata and pipeline/terminology versions.

    Mentions are left out on purpose: they are a function of these inputs, and the hash must be
    computable before annotating (to skip unchanged documents).
    """
    payload = [
        row.id,
        row.text,
        row.patient_id,
        row.type,
        row.date,
        row.lang,
        row.title,
        row.source,
        metadata_json(row.metadata),
        row.pipeline_version,
        row.terminology_version,
        SEARCH_FIELDS_VERSION,
    ]
    encoded = json.dumps(payload, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def concept_token(curie: str) -> str:
    """The token standing for ``curie`` in the concept index: lower case, letters and digits joined by
    ``_`` (``HP:0001250`` → ``hp_0001250``), so that Lucene's whitespace analyzer keeps it whole and a
    query needs no escaping."""
    return _TOKEN_UNSAFE.sub("_", curie.lower()).strip("_")


def text_label(lang: str | None) -> str:
    """The language label of a document (``TEXT_LABELS``; any other language is ``TextOther``)."""
    return TEXT_LABELS.get((lang or "").lower(), OTHER_TEXT_LABEL)


def search_tokens(row: DocumentRow) -> tuple[str, str]:
    """(affirmed, hypothetical) concept tokens of ``row``, space-separated, one per mention.

    A hypothetical mention counts as hypothetical only when it is neither negated nor about a
    relative; a mention both affirmed-looking and historical stays affirmed (history is the patient's).
    """
    affirmed: list[str] = []
    hypothetical: list[str] = []
    for mention in row.mentions:
        best = mention.best
        if best is None:
            continue
        if mention.affirmed:
            affirmed.append(concept_token(best[0]))
        elif mention.hypothetical and not (mention.negated or mention.family):
            hypothetical.append(concept_token(best[0]))
    return " ".join(affirmed), " ".join(hypothetical)


def document_params(row: DocumentRow) -> Row:
    """The UNWIND row of one Document: its id, patient, language label and whole property map."""
    affirmed, hypothetical = search_tokens(row)
    return {
        "id": row.id,
        "patient_id": row.patient_id,
        "text_label": text_label(row.lang),
        "vector": list(row.vector) if row.vector else None,
        "props": {
            "id": row.id,
            "patient_id": row.patient_id,
            "type": row.type,
            "date": row.date,
            "lang": row.lang,
            "title": row.title,
            "source": row.source,
            "text": row.text,
            "hash": content_hash(row),
            "metadata": metadata_json(row.metadata),
            "pipeline_version": row.pipeline_version,
            "terminology_version": row.terminology_version,
            "mention_count": len(row.mentions),
            "concept_tokens": affirmed,
            "hypothesis_tokens": hypothetical,
        },
    }


def mention_params(row: DocumentRow) -> list[Row]:
    """One UNWIND row per mention: properties and ranked candidates (with stub iri/source)."""
    return [
        {
            "doc": row.id,
            "props": {
                "start": mention.start,
                "end": mention.end,
                "text": mention.text,
                "negated": mention.negated,
                "hypothetical": mention.hypothetical,
                "family": mention.family,
                "historical": mention.historical,
                "section": mention.section,
                "sentence_start": mention.sentence_start,
                "sentence_end": mention.sentence_end,
            },
            "candidates": [
                {
                    "curie": curie,
                    "score": float(score),
                    "rank": rank,
                    "iri": curie_to_iri(curie),
                    "source": stub_source(curie),
                }
                for rank, (curie, score) in enumerate(mention.candidates)
            ],
        }
        for mention in row.mentions
    ]


def aggregate_params(row: DocumentRow) -> list[Row]:
    """One UNWIND row per best (rank-0) concept of the document: the ``MENTIONS`` counts."""
    by_curie: dict[str, Row] = {}
    for mention in row.mentions:
        best = mention.best
        if best is None:
            continue
        curie, score = best
        agg = by_curie.setdefault(
            curie,
            {
                "doc": row.id,
                "curie": curie,
                "iri": curie_to_iri(curie),
                "source": stub_source(curie),
                "props": {"count": 0, "affirmed": 0, **dict.fromkeys(QUALIFIERS, 0), "best_score": None},
            },
        )
        props = agg["props"]
        props["count"] += 1
        props["affirmed"] += int(mention.affirmed)
        for qualifier in QUALIFIERS:
            props[qualifier] += int(getattr(mention, qualifier))
        best_score = props["best_score"]
        props["best_score"] = float(score) if best_score is None else max(best_score, float(score))
    return [by_curie[curie] for curie in sorted(by_curie)]


@dataclass(frozen=True)
class MentionDiff:
    added: int
    removed: int
    changed: int


def diff_mentions(before: Iterable[MentionSignature], after: Iterable[MentionSignature]) -> MentionDiff:
    """Compare two versions' mentions by span: same span with another best curie or qualifiers is
    changed, a span only in ``after`` added, only in ``before`` removed (spans counted as multisets)."""
    old, new = Counter(before), Counter(after)
    common = old & new
    old_left, new_left = old - common, new - common
    old_spans = Counter(signature[:2] for signature in old_left.elements())
    new_spans = Counter(signature[:2] for signature in new_left.elements())
    changed = sum((old_spans & new_spans).values())
    return MentionDiff(
        added=sum(new_spans.values()) - changed,
        removed=sum(old_spans.values()) - changed,
        changed=changed,
    )


def signature_of(stored: Mapping[str, Any]) -> MentionSignature:
    """The signature of a mention as read back from the graph (see ``MentionRow.signature``)."""
    return (
        int(stored["start"]),
        int(stored["end"]),
        stored.get("curie"),
        bool(stored.get("negated")),
        bool(stored.get("hypothetical")),
        bool(stored.get("family")),
        bool(stored.get("historical")),
    )
