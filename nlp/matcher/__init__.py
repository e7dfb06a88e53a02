"""Terminology matcher: terms (``TermEntry``) → mentions with ranked concept candidates.

``matcher`` is the pure-Python core, ``factory`` registers the spaCy component
``hs.terminology_matcher``, ``matcher_cache`` keeps compiled matchers on disk per release set.
"""

from __future__ import annotations

from nlp.matcher.abbreviations import Abbreviation, load_abbreviations
from nlp.matcher.matcher import Match, TerminologyMatcher

__all__ = ["Abbreviation", "Match", "TerminologyMatcher", "load_abbreviations"]
