"""``hs.pollution``: EDS-NLP's pollution tagger, its costliest patterns run only when they can match.

``eds.normalizer``'s last step tags pollution (boilerplate, page footers, e-mails...) ``EXCLUDED``; the
sentence splitter, ``eds.sections`` and the qualifiers' cue matchers then skip those tokens. Some of its
patterns are tried by the regex engine at every character although each of their matches needs a
piece of text that is rarely there:

- ``footer`` (AP-HP page footers), a single alternation: a line starting with a page number (``1/2``),
  an IPP (``80`` and eight digits) or ``imprim`` (``imprimé le``), one per branch;
- ``information`` (the AP-HP data notice, the tobacco notice): ``recherche.aphp.fr/eds/droit-opposition``
  / ``tabac``;
- ``web``: ``www.`` / ``@`` / ``.fr``, ``.com``, ``.net`` or ``.org``.

On FRACCO, where none of them ever matches, they took 1.5 of the tagger's 2.1 ms per document (the
French qualifier pipeline: 12 ms). This tagger is EDS-NLP's, with those patterns wrapped: each runs on
a document only if one of its guards is found there (``GUARDS``), so the tags and
``doc.spans["pollutions"]`` are the ones EDS-NLP's tagger gives. Patterns other than EDS-NLP's defaults
are not wrapped.
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

# Each default pattern wrapped -> the pieces of text one of which its every match holds (literal parts
# of the pattern, outside any optional group; case-insensitive where the pattern is).
GUARDS: dict[str, tuple[Any, ...]] = {
    patterns.footer: FOOTER_GUARDS,
    patterns.information[0]: (re.compile(re.escape("recherche.aphp.fr/eds/droit-opposition")),),
    patterns.information[1]: (re.compile("tabac", re.IGNORECASE),),
    patterns.web[0]: (re.compile(re.escape("www.")),),
    patterns.web[1]: (re.compile("@"),),
    patterns.web[2]: (re.compile(r"\.(?:fr|com|net|org)"),),
}


class GuardedPollutionTagger(PollutionTagger):  # type: ignore[misc]  # EDS-NLP is untyped
    """``eds.pollution`` (same options) with EDS-NLP's default patterns of ``GUARDS`` guarded."""

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
            compiled = [
                GuardedPattern(pattern, GUARDS[source])
                if (source := getattr(pattern, "pattern", None)) in GUARDS
                else pattern
                for pattern in compiled
            ]
            entries.append((key, compiled, *rest))
        self.regex_matcher.regex = entries

    @property
    def guarded(self) -> frozenset[str]:
        """The sources of the patterns found and wrapped."""
        return frozenset(
            pattern.pattern.pattern
            for _, compiled, *_ in self.regex_matcher.regex
            for pattern in compiled
            if isinstance(pattern, GuardedPattern)
        )
