"""Coded messages and errors of the terminology matcher."""

from __future__ import annotations


class Errors:
    E001 = "The terminology matcher component has no matcher: call `set_matcher(matcher)` first."
    E002 = "Matcher language {matcher!r} differs from the component's configured language {component!r}."
    E003 = (
        "The terminology matcher build could not write its scratch file in {folder} ({error}); set TMPDIR "
        "to a folder with free space (about 400 bytes per term)."
    )


class MatcherNotSet(RuntimeError):
    """The spaCy component ran before a matcher was handed to it."""


class MatcherLanguageMismatch(ValueError):
    """A matcher built for one language was handed to a component configured for another."""


class MatcherBuildError(RuntimeError):
    """The matcher build could not use its scratch file (folder missing or unwritable, disk full)."""


class ExclusionListError(ValueError):
    """The list of excluded terminology branches is malformed (file and line in the message)."""


class DerivedFormsError(ValueError):
    """The list of derived forms (adjectives naming a disease) is malformed (file and line in the message)."""


class WordSwapsError(ValueError):
    """A list of word swaps (relational adjectives, head synonyms) is malformed (file and line in the
    message)."""
