"""The query model: what a search asks for, whether typed as free text or given as structure.

A query is a set of concept criteria in three roles (``all``: each must be evidenced, ``any``: each
adds evidence, ``none``: excludes), free text for BM25, and document filters. Each criterion carries
its own expansion policy and the assertions that count as evidence. ``ParsedQuery`` is what is
returned to the user, so that they can see (and correct, by sending it back as structure) how a
free-text query was understood.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.search_repository import DocumentFilter
from search.expansion import ExpansionPolicy
from search.feedback import FeedbackPolicy

DEFAULT_CONCEPT_WEIGHT = 0.15
# Chosen on the shared training splits (docs/evaluation.md): see SearchQuery.similarity_weight.
DEFAULT_SIMILARITY_WEIGHT = 4.0

ALL = "all"
ANY = "any"
NONE = "none"
ROLES = (ALL, ANY, NONE)

# Assertions a mention can have, as far as evidence goes. "affirmed": about the patient, neither
# negated nor hypothetical; "hypothetical": suspected; "family": about a relative; "negated".
AFFIRMED = "affirmed"
HYPOTHETICAL = "hypothetical"
FAMILY = "family"
NEGATED = "negated"
ASSERTIONS = (AFFIRMED, HYPOTHETICAL, FAMILY, NEGATED)


@dataclass(frozen=True)
class ConceptCriterion:
    """One concept of the query, how far it expands, and which of its mentions count."""

    curie: str
    role: str = ANY
    policy: ExpansionPolicy = field(default_factory=ExpansionPolicy)
    assertions: frozenset[str] = frozenset({AFFIRMED})
    # Weight of hypothetical mentions relative to affirmed ones, when "hypothetical" is asked for.
    hypothetical_weight: float = 0.5
    text: str | None = None  # the words of a free-text query it was read from
    start: int | None = None
    end: int | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, not {self.role!r}")
        unknown = sorted(set(self.assertions) - set(ASSERTIONS))
        if unknown or not self.assertions:
            raise ValueError(f"assertions must be a non-empty subset of {', '.join(ASSERTIONS)}")


@dataclass(frozen=True)
class SearchQuery:
    """A whole query: concept criteria, BM25 text, filters and the weight of each part."""

    criteria: tuple[ConceptCriterion, ...] = ()
    text: str = ""  # words for BM25 (exclusions already taken out)
    lang: str | None = None  # language of ``text``: its text index is searched (None: every one)
    filters: DocumentFilter = field(default_factory=DocumentFilter)
    text_weight: float = 1.0
    # Tuned on the shared training splits (docs/evaluation.md), SciFact train nDCG@10: 0.697 at 0.1,
    # 0.699 at 0.15, 0.698 at 0.2, 0.696 at 0.3, 0.691 at 0.5 (BM25 alone 0.696); concept scores are
    # on BM25's scale (idf x saturated counts).
    concept_weight: float = DEFAULT_CONCEPT_WEIGHT
    # Short text queries are searched again with words of their first results (search/feedback.py).
    feedback: FeedbackPolicy = field(default_factory=FeedbackPolicy)
    # The query's unit vector (nlp.embedding; English only), compared with each candidate's. Its
    # cosine adds ``similarity_weight * cosine * best`` to the score, ``best`` being the best score of
    # the candidates before similarity, so that the weight means the same whatever BM25's scale.
    # 4.0: nDCG@10 0.361 on NFCorpus dev and 0.757 on SciFact train (0.354 / 0.745 at 2, 0.363 / 0.770
    # at 8): past 4, NFCorpus gains under 0.003 while the cosine outweighs more of the concept evidence
    # the clinical rules rest on. 0 turns similarity off, and with it the nearest documents' admission.
    vector: tuple[float, ...] | None = None
    similarity_weight: float = DEFAULT_SIMILARITY_WEIGHT

    def role(self, role: str) -> tuple[ConceptCriterion, ...]:
        return tuple(criterion for criterion in self.criteria if criterion.role == role)


@dataclass(frozen=True)
class ParsedQuery:
    """How a free-text query was read: its language, concepts by role, and remaining words."""

    text: str
    lang: str | None
    query: SearchQuery
    free_terms: tuple[str, ...] = ()  # words outside every recognised concept
