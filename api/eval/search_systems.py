"""The two systems `healthsearch eval search` compares, as rankers over one evaluation source.

- ``baseline``: plain BM25 over the documents' text (the same Lucene indexes), no concept at all.
- ``system``: the full search: the query read by the pipeline, concepts expanded and scored with
  their evidence, plus the same BM25 (with feedback on short queries), as ``POST /api/search`` does.

Both are restricted to the documents of the evaluation's source, so that other documents in the
graph do not take part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from api.eval.search import Ranker
from graph.expansion import ExpansionRepository
from graph.search_repository import DocumentFilter, SearchRepository
from nlp.pipeline import Annotation, Annotator
from search.engine import SIMILAR_CANDIDATES, SIMILAR_MIN_COSINE, DocumentSearch, Expander, graph_expander
from search.expansion import ExpansionPolicy
from search.expansion_cache import ExpansionCache
from search.feedback import FeedbackPolicy
from search.query import DEFAULT_CONCEPT_WEIGHT, DEFAULT_SIMILARITY_WEIGHT, SearchQuery
from search.understanding import understand

TOP = 100


@dataclass(frozen=True)
class SystemOptions:
    """What an ablation varies: expansion, the role of query concepts, the three weights, feedback,
    how many nearest documents by vector are admitted."""

    policy: ExpansionPolicy = field(default_factory=ExpansionPolicy)
    match: str = "any"
    text_weight: float = 1.0
    concept_weight: float = DEFAULT_CONCEPT_WEIGHT
    similarity_weight: float = DEFAULT_SIMILARITY_WEIGHT
    lang: str = "en"
    feedback: FeedbackPolicy = field(default_factory=FeedbackPolicy)
    similar_candidates: int = SIMILAR_CANDIDATES
    similar_min_cosine: float = SIMILAR_MIN_COSINE


def baseline_ranker(repository: SearchRepository, source: str, lang: str) -> Ranker:
    filters = DocumentFilter(sources=(source,))

    def rank(text: str) -> Sequence[str]:
        return list(repository.text_hits(text, filters, limit=TOP, lang=lang))

    return rank


def system_ranker(
    repository: SearchRepository,
    expander: Expander,
    annotate: Callable[[str, str], Annotation],
    source: str,
    options: SystemOptions,
) -> Ranker:
    engine = DocumentSearch(
        repository,
        expander,
        similar_candidates=options.similar_candidates,
        similar_min_cosine=options.similar_min_cosine,
    )
    base = SearchQuery(
        filters=DocumentFilter(sources=(source,)),
        text_weight=options.text_weight,
        concept_weight=options.concept_weight,
        similarity_weight=options.similarity_weight,
        feedback=options.feedback,
    )

    def rank(text: str) -> Sequence[str]:
        annotation = annotate(text, options.lang)
        parsed = understand(
            text,
            annotation,
            match=options.match,
            policy=options.policy,
            base=base,
            with_vector=options.similarity_weight > 0,
        )
        result = engine.search(parsed.query, size=TOP, snippets=0)
        return [hit.id for hit in result.results]

    return rank


def build_rankers(
    repository: SearchRepository,
    expansion: ExpansionRepository,
    annotator: Annotator,
    source: str,
    options: SystemOptions,
) -> dict[str, Ranker]:
    return {
        "system": system_ranker(
            repository,
            # Evaluation queries repeat concepts; the terminologies do not change during a run.
            ExpansionCache(graph_expander(expansion), max_entries=100_000).expander(expansion.version()),
            lambda text, lang: annotator.annotate(text, lang=lang),
            source,
            options,
        ),
        "baseline": baseline_ranker(repository, source, options.lang),
    }
