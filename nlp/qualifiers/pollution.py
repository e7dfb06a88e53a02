"""``hs.pollution``: EDS-NLP's pollution tagger, its page-footer pattern run only when it can match.

``eds.normalizer``'s last step tags pollution (boilerplate, page footers, e-mails...) ``EXCLUDED``; the
sentence splitter, ``eds.sections`` and the qualifiers' cue matchers then skip those tokens. Its
``footer`` pattern (AP-HP page footers) is a single alternation that the regex engine tries at every
character: the costliest step of the normaliser (about 8 % of the French qualifier pipeline on FRACCO,
where it never matches). Each of its three branches needs one piece of text: a line starting with a
page number (``1/2``), an IPP (``80`` and eight digits) or ``imprim`` (``imprimé le``). This tagger is
EDS-NLP's, with that pattern wrapped: the pattern runs on a document only if one of those three pieces
is there (``FOOTER_GUARDS``), so the tags and ``doc.spans["pollutions"]`` are the ones EDS-NLP's tagger
gives. A ``footer`` other than EDS-NLP's default is not wrapped.
"""

# No `from __future__ import annotations`: EDS-NLP's registry validates the factory (this class) with
# its annotations, and rejects annotations kept as strings.
import re
from collections.abc import Iterator, Sequence
from typing import Any

from edsnlp.pipes.core.normalizer.pollution import patterns
from edsnlp.pipes.core.normalizer.pollution.pollution import PollutionTagger


class GuardedPattern:
    """A compiled pattern whose ``finditer`` finds nothing at once when none of ``guards`` is in the
    text (each guard must be part of every match of the pattern)."""

    def __init__(self, pattern: Any, guards: Sequence[Any]) -> None:
        self.pattern = pattern
        self.guards = tuple(guards)

    def finditer(self, text: str) -> Iterator[Any]:
        if any(guard.search(text) for guard in self.guards):
            return iter(self.pattern.finditer(text))
        return iter(())

    def __getattr__(self, name: str) -> Any:  # .pattern, .flags...: those of the wrapped pattern
        return getattr(self.pattern, name)


# What each branch of EDS-NLP's `footer` needs: a page number at a line start ("1/2"; both forms of
# its `page`), the IPP, "imprim". Compiled with `re`, whose case folding accepts at least the characters
# the `regex` module's (which compiles `footer`) does for these letters, and \d and ^ alike: every text
# the footer pattern matches holds one of them.
FOOTER_GUARDS = (
    re.compile(r"^\d\d?/\d", re.MULTILINE),
    re.compile(r"80\d{8}"),
    re.compile(r"[i\u0131]mpr[i\u0131]m", re.IGNORECASE),
)


class GuardedPollutionTagger(PollutionTagger):  # type: ignore[misc]  # EDS-NLP is untyped
    """``eds.pollution`` (same options) with EDS-NLP's ``footer`` pattern guarded."""

    def __init__(
        self,
        nlp: Any,
        name: str = "pollution",
        *,
        pollution: dict[str, Any] | None = None,  # None: EDS-NLP's default patterns
    ) -> None:
        super().__init__(
            nlp, name, pollution=dict(patterns.default_enabled if pollution is None else pollution)
        )
        entries = []
        for key, compiled, *rest in self.regex_matcher.regex:
            if key == "footer":
                compiled = [
                    GuardedPattern(pattern, FOOTER_GUARDS)
                    if getattr(pattern, "pattern", None) == patterns.footer
                    else pattern
                    for pattern in compiled
                ]
            entries.append((key, compiled, *rest))
        self.regex_matcher.regex = entries

    @property
    def guarded(self) -> bool:
        """Whether EDS-NLP's footer pattern was found and wrapped."""
        return any(
            isinstance(pattern, GuardedPattern)
            for key, compiled, *_ in self.regex_matcher.regex
            if key == "footer"
            for pattern in compiled
        )
