"""What the NLP pipelines emit: plain frozen dataclasses, no spaCy type."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TermEntry:
    """One surface form of a concept, as the terminology matcher is compiled from (graph export)."""

    curie: str
    text: str
    lang: str  # "fr", "en", ...
    type: str  # "label", "exact", "narrow", "broad", "related", "abbreviation", "layperson"
    source: str  # source id ("hpo", "cim10"...)


@dataclass(frozen=True)
class Candidate:
    """A concept a mention may denote, with the reason it was proposed."""

    curie: str
    score: float  # 1.0 exact label > exact synonym > normalised variant
    matched_text: str  # the term that matched
    match_type: str  # "label", "synonym", "variant", "abbreviation"


@dataclass(frozen=True)
class Qualifiers:
    negated: bool = False
    hypothetical: bool = False
    family: bool = False  # experiencer other than the patient
    historical: bool = False


@dataclass(frozen=True)
class Mention:
    start: int  # character offsets in the document text
    end: int
    text: str
    candidates: tuple[Candidate, ...]
    qualifiers: Qualifiers = field(default_factory=Qualifiers)
    section: str | None = None  # normalised section name ("antecedents", "family_history"...)
    sentence_start: int | None = None
    sentence_end: int | None = None
    pipeline_version: str | None = None
    terminology_version: str | None = None  # digest of the releases the matcher was built from
