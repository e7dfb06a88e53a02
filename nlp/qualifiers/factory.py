"""Factories of the qualifier components: ``hs.context``, ``hs.sections_en`` (English, spaCy) and
``hs.lexeme_norms`` with its table ``hs.accents_and_quotes``, ``hs.pollution`` and ``hs.family`` (French,
EDS-NLP).

Registered through EDS-NLP's registry: spaCy's own ``Language.factory`` rejects dotted names (E853),
while EDS-NLP's registers them for spaCy pipelines too (``spacy.blank("en").add_pipe("hs.context")``).
"""

from __future__ import annotations

from edsnlp.core.registries import registry
from edsnlp.pipes.core.normalizer.accents.patterns import accents
from edsnlp.pipes.core.normalizer.pollution.patterns import default_enabled as pollution_defaults
from edsnlp.pipes.core.normalizer.quotes.patterns import quotes_and_apostrophes
from edsnlp.pipes.qualifiers.family.factory import DEFAULT_CONFIG as FAMILY_DEFAULTS
from spacy.language import Language

from nlp.qualifiers.context import ConText
from nlp.qualifiers.family import GuardedFamily
from nlp.qualifiers.normalizer import LexemeNorms
from nlp.qualifiers.patterns import DATA_DIR, load_cues, load_sections
from nlp.qualifiers.pollution import GuardedPollutionTagger
from nlp.qualifiers.sections import EnglishSections

CONTEXT_ASSIGNS = [
    "span._.hs_negated",
    "span._.hs_hypothetical",
    "span._.hs_family",
    "span._.hs_historical",
    "span._.hs_cues",
]


def create_context(
    nlp: Language,
    name: str,
    *,
    cues_path: str | None,
    span_group: str,
    exclude_group: str | None,
    max_scope: int | None,
) -> ConText:
    """ConText qualifiers for the spans of ``doc.spans[span_group]`` (English cues by default)."""
    path = DATA_DIR / "context_en.tsv" if cues_path is None else DATA_DIR.joinpath(cues_path)
    return ConText(
        nlp,
        name,
        cues=load_cues(path),
        span_group=span_group,
        exclude_group=exclude_group,
        max_scope=max_scope,
    )


def create_sections_en(nlp: Language, name: str, *, group: str, header_group: str) -> EnglishSections:
    """English section headers (``sections.tsv``) to section spans labelled with normalised names."""
    return EnglishSections(nlp, name, headers=load_sections("en"), group=group, header_group=header_group)


# Registered by call rather than as decorators: EDS-NLP's registry is untyped for mypy.
registry.factory.register(
    "hs.context",
    func=create_context,
    assigns=CONTEXT_ASSIGNS,
    default_config={
        "cues_path": None,
        "span_group": "hs_targets",
        "exclude_group": "hs_headers",
        "max_scope": None,
    },
)
registry.factory.register(
    "hs.sections_en",
    func=create_sections_en,
    assigns=["doc.spans", "token.is_sent_start"],
    default_config={"group": "hs_sections", "header_group": "hs_headers"},
)


def accents_and_quotes() -> list[tuple[str, str]]:
    """EDS-NLP's accent table followed by its quote and apostrophe table (``eds.normalizer``'s accents,
    then quotes converters), as one table.

    One translation with it equals the two in a row: the tables' characters are disjoint and no
    replacement (``a``... ``U``, ``"``, ``'``) is itself replaced.
    """
    return [*accents, *quotes_and_apostrophes]


registry.misc.register("hs.accents_and_quotes", func=accents_and_quotes)
registry.factory.register(
    "hs.lexeme_norms",
    func=LexemeNorms,  # the class itself: EDS-NLP's registry rejects a factory annotated with strings
    # Declared as writing NORM: EDS-NLP's phrase matchers then run it on their cue patterns too.
    assigns=["token.norm"],
    default_config={"table": {"@misc": "hs.accents_and_quotes"}},
)
registry.factory.register(
    "hs.pollution",
    func=GuardedPollutionTagger,
    assigns=["doc.spans", "token.tag"],
    default_config={"pollution": dict(pollution_defaults)},
)
registry.factory.register(
    "hs.family",
    func=GuardedFamily,
    assigns=["span._.family"],
    default_config=dict(FAMILY_DEFAULTS),  # eds.family's own
)
