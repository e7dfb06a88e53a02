"""Registers ``hs.terminology_matcher`` (import this module before building a pipeline).

Registered through EDS-NLP's registry, as ``nlp.qualifiers`` does: spaCy's own ``Language.factory``
rejects dotted names (E853), EDS-NLP's registers them for spaCy pipelines too. Called as a function
rather than used as a decorator so that mypy keeps the factory typed.
"""

from __future__ import annotations

from edsnlp.core.registries import registry
from spacy.language import Language

from nlp.matcher.component import TerminologyMatcherComponent

NAME = "hs.terminology_matcher"
DEFAULT_CONFIG = {"lang": "fr", "min_score": 0.0}


def create_terminology_matcher(
    nlp: Language, name: str, *, lang: str, min_score: float
) -> TerminologyMatcherComponent:
    """Build the component without terms; hand it a matcher with ``component.set_matcher(matcher)``.

    Args:
        nlp: the pipeline.
        name: component name in the pipeline.
        lang: language the matcher was built for ("fr", "en"); checked in ``set_matcher``.
        min_score: candidates scored lower are dropped; a mention left without any is dropped.
    """
    return TerminologyMatcherComponent(nlp, name, lang=lang, min_score=min_score, matcher=None)


registry.factory.register(
    NAME, func=create_terminology_matcher, assigns=["doc.spans"], default_config=DEFAULT_CONFIG
)
