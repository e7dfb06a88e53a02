"""Concept lookup: search over labels and synonyms, and one concept with its neighbourhood."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.concept_cypher import (
    CONCEPT_CHILDREN,
    CONCEPT_DETAIL,
    LOOKUP_ALL_TIERS,
    SOURCES,
)
from graph.driver import Graph, fetch, fetch_single
from graph.errors import ConceptNotFound, Errors
from ontologies.text import fold

# Rank tiers: an exact label/synonym match always comes first, then a prefix, then full-text.
# Partial: some of the words only, when no term holds them all (``loose_lucene_query``).
TIER_EXACT, TIER_PREFIX, TIER_FULLTEXT, TIER_PARTIAL = 0, 1, 2, 3
TIER_NAMES = {TIER_EXACT: "exact", TIER_PREFIX: "prefix", TIER_FULLTEXT: "fulltext", TIER_PARTIAL: "partial"}
# Within a tier, a preferred label beats a synonym, an exact synonym beats the others.
TERM_TYPE_RANK = {
    "label": 0,
    "exact": 1,
    "abbreviation": 2,
    "layperson": 2,
    "narrow": 3,
    "broad": 3,
    "related": 4,
}
# Full-text indexes to query per lookup language (an allowlist: index names never come from requests).
FULLTEXT_INDEXES_BY_LANG: dict[str | None, tuple[str, ...]] = {
    "fr": ("term_text_fr",),
    "en": ("term_text_en",),
    None: ("term_text_fr", "term_text_en", "term_text_other"),
}
OTHER_LANGUAGE_INDEXES = ("term_text_other",)


@dataclass(frozen=True)
class MatchedTerm:
    text: str
    lang: str
    type: str


@dataclass(frozen=True)
class ConceptHit:
    curie: str
    label: str | None
    source: str
    obsolete: bool
    matched: MatchedTerm
    match: str  # "exact" | "prefix" | "fulltext" | "partial" (and "variant", set by the API)
    score: float


@dataclass(frozen=True)
class ConceptRef:
    curie: str
    label: str | None
    source: str | None
    stub: bool = False


@dataclass(frozen=True)
class TermInfo:
    text: str
    lang: str
    type: str
    source_type: str | None


@dataclass(frozen=True)
class MappingInfo:
    predicate: str
    direction: str  # "out" (this concept is the subject) or "in"
    target: ConceptRef
    source: str
    confidence: float | None
    justification: str | None
    negated: bool


@dataclass(frozen=True)
class ConceptDetail:
    curie: str
    iri: str | None
    source: str | None
    stub: bool
    kind: str | None
    obsolete: bool
    replaced_by: tuple[str, ...]
    labels: dict[str, str]  # language -> preferred label
    definitions: dict[str, str]
    synonyms: tuple[TermInfo, ...]
    parents: tuple[ConceptRef, ...]
    children: tuple[ConceptRef, ...]
    child_count: int
    relations: tuple[tuple[str, ConceptRef], ...]  # (type, target)
    mappings: tuple[MappingInfo, ...]
    release: dict[str, Any] | None


def lucene_query(text: str, *, fuzzy: bool = True) -> str | None:
    """A Lucene query over folded tokens: each token exact (boosted), as a prefix, or (``fuzzy``)
    within one or two edits.

    Every token is required, except short ones (under four characters) beside longer ones: those
    only add to the score.

    Tokens are letters and digits only after folding (``fold`` turns everything else into spaces),
    so no Lucene operator can survive. The exact part is analysed (stemmed) like the index; fuzzy
    and prefix parts are not, so a long unstemmed token gets two edits to reach its stem
    ("diabetis" → indexed "diabet").
    """
    tokens = fold(text).split()
    if not tokens:
        return None
    long = [len(token) >= _LONG_TOKEN for token in tokens]
    if all(long) or not any(long):
        return " AND ".join(_token_query(token, fuzzy=fuzzy) for token in tokens)
    # Short words beside long ones are optional: "in", "de", the "l" of "l'annulaire" are stop words
    # or elisions the analyzers leave out of the index, so requiring them (a required "in*" needs
    # another word starting with "in") found nothing for "carcinoma in situ vulvar".
    clauses = zip(long, (_token_query(token, fuzzy=fuzzy) for token in tokens), strict=True)
    return " ".join(("+" if required else "") + clause for required, clause in clauses)


_LONG_TOKEN = 4  # characters from which a token is required (beside short ones) and fuzzy


def loose_lucene_query(text: str) -> str | None:
    """The last resort of a lookup that found nothing: the long tokens of ``text``, none required,
    each exact or as a prefix; ``None`` under two long tokens (``lucene_query`` already searched
    for the one).

    A misspelt word beyond the fuzzy clause's reach ("prforation": its two edits do not reach the
    indexed stem "perfor") made the whole query fail, every long token being required; the terms
    holding most of the other words ("Spontaneous esophageal perforation") rank first here. No
    fuzzy clause: they cost as much again (p95 of the bench lookups 14 → 21 ms in process) and
    found nothing more there.
    """
    tokens = _long_words(fold(text))
    if len(tokens) < 2:
        return None
    return " ".join(_token_query(token, fuzzy=False) for token in tokens)


def _long_words(norm: str) -> list[str]:
    """The words of a folded text that the full-text tier requires (four characters or more)."""
    return [word for word in norm.split() if len(word) >= _LONG_TOKEN]


def _words_held(text: str, words: Sequence[str]) -> int:
    """How many of ``words`` (folded) begin a word of ``text``, as the prefix clauses match them."""
    held = fold(text).split()
    return sum(1 for word in words if any(token.startswith(word) for token in held))


def _token_query(token: str, *, fuzzy: bool) -> str:
    if len(token) < _LONG_TOKEN or not fuzzy:
        return f"({token}^3 OR {token}*)"
    edits = 2 if len(token) >= 7 else 1
    return f"({token}^3 OR {token}* OR {token}~{edits})"


def rank_hits(rows: Sequence[dict[str, Any]], *, limit: int, words: Sequence[str] = ()) -> list[ConceptHit]:
    """Keep each concept's best hit, ordered by tier, term type, then score and shorter label.

    Partial hits (some of the query's ``words`` only) go by how many of the words they hold first:
    the term with two of three words before the one with a single word, whatever their types.
    """
    best: dict[str, tuple[tuple[Any, ...], dict[str, Any]]] = {}
    for row in rows:
        key = (
            row["tier"],
            -_words_held(row["text"], words) if row["tier"] == TIER_PARTIAL else 0,
            TERM_TYPE_RANK.get(row["type"], 5),
            -float(row.get("score") or 0.0),
            len(row["text"]),
            row["curie"],
        )
        current = best.get(row["curie"])
        if current is None or key < current[0]:
            best[row["curie"]] = (key, row)
    ordered = sorted(best.values(), key=lambda item: item[0])[:limit]
    return [
        ConceptHit(
            curie=row["curie"],
            label=row["label"],
            source=row["source"],
            obsolete=bool(row.get("obsolete")),
            matched=MatchedTerm(text=row["text"], lang=row["lang"], type=row["type"]),
            match=TIER_NAMES[row["tier"]],
            score=round(float(row.get("score") or 0.0), 4),
        )
        for _, row in ordered
    ]


class ConceptRepository:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def search(
        self,
        text: str,
        *,
        lang: str | None = None,
        source: str | None = None,
        limit: int = 20,
        include_obsolete: bool = False,
    ) -> list[ConceptHit]:
        """Concepts whose labels or synonyms match ``text``, best first (exact, prefix, full-text)."""
        norm = fold(text)
        if not norm:
            return []
        # Each tier fetches more than ``limit`` rows because several terms may hit one concept.
        cap = max(limit * 5, 50)
        params: dict[str, Any] = {
            "norm": norm,
            "lang": lang,
            "source": source,
            "cap": cap,
            "include_obsolete": include_obsolete,
        }
        lucene = lucene_query(text, fuzzy=False)
        # Full-text over the language's index (all of them without a language); none without a query.
        indexes = list(FULLTEXT_INDEXES_BY_LANG.get(lang, OTHER_LANGUAGE_INDEXES)) if lucene else []
        # One statement for the three tiers: one round trip instead of up to five. The statement
        # chooses between the two Lucene queries (fuzzy only when no term is or starts with the text).
        params |= {
            "lucene": lucene,
            "lucene_fuzzy": lucene_query(text),
            "lucene_loose": loose_lucene_query(text),
            "indexes": indexes,
        }
        hits = self.graph.read(lambda tx: fetch_single(tx, LOOKUP_ALL_TIERS, params))
        return rank_hits(hits, limit=limit, words=_long_words(norm))

    def get(self, curie: str, *, children_offset: int = 0, children_limit: int = 20) -> ConceptDetail:
        """One concept with terms, parents, a page of children, relations, mappings and release.

        Raises:
            ConceptNotFound: no concept (not even a stub) has this CURIE.
        """
        rows = self.graph.read(lambda tx: fetch(tx, CONCEPT_DETAIL, {"curie": curie}))
        if not rows:
            raise ConceptNotFound(Errors.E111.format(curie=curie))
        row = rows[0]
        children = self.graph.read(
            lambda tx: fetch(
                tx, CONCEPT_CHILDREN, {"curie": curie, "offset": children_offset, "limit": children_limit}
            )
        )
        node = row["concept"]
        return ConceptDetail(
            curie=node["curie"],
            iri=node.get("iri"),
            source=node.get("source"),
            stub=bool(node.get("stub")),
            kind=node.get("kind"),
            obsolete=bool(node.get("obsolete")),
            replaced_by=tuple(node.get("replaced_by") or ()),
            labels={
                key[len("label_") :]: value for key, value in sorted(node.items()) if key.startswith("label_")
            },
            definitions={
                key[len("definition_") :]: value
                for key, value in sorted(node.items())
                if key.startswith("definition_")
            },
            synonyms=tuple(
                TermInfo(text=t["text"], lang=t["lang"], type=t["type"], source_type=t.get("source_type"))
                for t in sorted(
                    row["terms"], key=lambda t: (t["lang"], TERM_TYPE_RANK.get(t["type"], 5), t["text"])
                )
                if t["type"] != "label"
            ),
            parents=tuple(_ref(parent) for parent in row["parents"]),
            children=tuple(_ref(child) for child in children),
            child_count=int(row["child_count"]),
            relations=tuple((rel["type"], _ref(rel["target"])) for rel in row["relations"]),
            mappings=tuple(
                MappingInfo(
                    predicate=m["predicate"],
                    direction=m["direction"],
                    target=_ref(m["target"]),
                    source=m["source"],
                    confidence=m.get("confidence"),
                    justification=m.get("justification"),
                    negated=bool(m.get("negated")),
                )
                for m in row["mappings"]
            ),
            release=row["release"],
        )

    def sources(self) -> list[dict[str, Any]]:
        """Every loaded source with its releases (newest first) and concept counts."""
        return self.graph.read(lambda tx: fetch(tx, SOURCES, {}))


def _ref(node: dict[str, Any]) -> ConceptRef:
    return ConceptRef(
        curie=node["curie"], label=node.get("label"), source=node.get("source"), stub=bool(node.get("stub"))
    )
