"""EDS-NLP's exact matcher (``eds.matcher``) as the baseline of annotation throughput.

It is fed with the terms our matcher is compiled from: every French label and synonym of every loaded
concept (``graph.terms.TermExport.terms``, as ``api.annotation.AnnotatorProvider`` reads them), plus the
curated abbreviations resolved to concepts through their expansion, as ``TerminologyMatcher.build``
resolves them. One label per concept (its CURIE).

The pipelines (``edsnlp.blank("eds")``, EDS-NLP's own tokenizer):

* exact: ``eds.normalizer`` (lower case, accents, quotes; the ``spaces`` and ``pollution`` taggers off:
  they only mark tokens to skip, which an exact matcher with ``ignore_excluded=False`` never reads),
  ``eds.matcher`` on ``NORM``, and a second ``eds.matcher`` on ``TEXT`` for the short all-caps
  abbreviations that our matcher matches case-sensitively (EDS-NLP's phrase matcher reads one token
  attribute for all its terms). Matches go to ``doc.ents`` (longest, then leftmost, non-overlapping,
  as ours).
* full: the same, plus ``eds.sentences`` and the four qualifiers ``eds.negation``, ``eds.hypothesis``,
  ``eds.family``, ``eds.history`` on ``doc.ents``.

Not reproduced, on purpose: our plural/inflection stripping, stop-word-free keys, hyphen-joined keys,
candidate ranking and document-defined abbreviations; the mention counts differ by that much.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.matcher.abbreviations import Abbreviation, is_acronym
from nlp.matcher.normalise import term_keys
from nlp.model import TermEntry

EXACT_MATCHER = "matcher"
ACRONYM_MATCHER = "matcher_acronyms"
NORMALIZER_CONFIG = {"lowercase": True, "accents": True, "quotes": True, "spaces": False, "pollution": False}
QUALIFIERS = ("eds.negation", "eds.hypothesis", "eds.family", "eds.history")
SENTENCES = "eds.sentences"
# The types of the terms a curated abbreviation is resolved through (as in TerminologyMatcher).
_EXPANSION_TYPES = frozenset({"label", "exact"})


@dataclass
class EdsTerms:
    """``eds.matcher`` terms (``{label: [terms]}``): folded (``NORM``) and case-sensitive (``TEXT``)."""

    norm: dict[str, list[str]] = field(default_factory=dict)
    case_sensitive: dict[str, list[str]] = field(default_factory=dict)

    @property
    def term_count(self) -> int:
        return sum(map(len, self.norm.values())) + sum(map(len, self.case_sensitive.values()))


def _append(terms: dict[str, list[str]], label: str, text: str) -> None:
    texts = terms.setdefault(label, [])
    if text not in texts:
        texts.append(text)


def eds_terms(
    entries: Iterable[TermEntry], *, lang: str, abbreviations: Iterable[Abbreviation] = ()
) -> EdsTerms:
    """Group the terms of ``lang`` by concept, in first-seen order, without repeats.

    An abbreviation-type term that is a short all-caps acronym (``is_acronym``) goes to the
    case-sensitive terms, as ``TerminologyMatcher`` matches it by case; every other term is matched
    folded. A curated abbreviation of ``lang`` becomes a term of each concept that has a label or exact
    synonym with the same normalised form as its expansion (``term_keys``); one whose expansion names
    no loaded concept is left out.
    """
    terms = EdsTerms()
    rows = [row for row in abbreviations if row.lang == lang]
    wanted = {key for row in rows for key in term_keys(row.expansion, lang=lang)}
    by_key: dict[tuple[str, ...], list[str]] = {}

    def add(curie: str, text: str, term_type: str) -> None:
        text = text.strip()
        if not text:
            return
        acronym = term_type == "abbreviation" and is_acronym(text)
        _append(terms.case_sensitive if acronym else terms.norm, curie, text)

    for entry in entries:
        if entry.lang != lang:
            continue
        add(entry.curie, entry.text, entry.type)
        if wanted and entry.type in _EXPANSION_TYPES:
            for key in term_keys(entry.text, lang=lang):
                if key in wanted:
                    by_key.setdefault(key, []).append(entry.curie)
    for row in rows:
        seen: set[str] = set()
        for key in term_keys(row.expansion, lang=lang):
            for curie in by_key.get(key, ()):
                if curie not in seen:
                    seen.add(curie)
                    add(curie, row.abbreviation, "abbreviation")
    return terms


def rss_mib(field: str = "VmRSS") -> float:
    """Resident memory of this process now, in MiB (Linux ``/proc``; 0 elsewhere): ``VmRSS`` in all,
    or one of its parts, ``RssAnon`` (the process's own) and ``RssFile`` (pages of mapped files, shared
    with other processes and given back to the OS under memory pressure)."""
    status = Path("/proc/self/status")
    if not status.exists():
        return 0.0
    for line in status.read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass(frozen=True)
class Built:
    """What building a pipeline cost."""

    seconds: float
    rss_mib: float  # resident memory added (approximate: the allocator may reuse freed memory)

    def __add__(self, other: Built) -> Built:
        return Built(self.seconds + other.seconds, self.rss_mib + other.rss_mib)


def build_eds_pipeline(terms: EdsTerms) -> tuple[Any, Built, Built]:
    """The EDS-NLP pipeline with both matchers, then the sentence splitter and qualifiers.

    Returns:
        The pipeline, the cost of its exact part (tokenizer, normaliser, matchers) and of the
        sentences and qualifiers added after. Run the exact part alone within
        ``nlp.select_pipes(disable=full_only(nlp))``.
    """
    import edsnlp  # slow import (seconds): only when the baseline runs

    before, started = rss_mib(), time.perf_counter()
    nlp = edsnlp.blank("eds")
    nlp.add_pipe("eds.normalizer", config=NORMALIZER_CONFIG)
    nlp.add_pipe("eds.matcher", name=EXACT_MATCHER, config={"terms": terms.norm, "attr": "NORM"})
    if terms.case_sensitive:
        nlp.add_pipe(
            "eds.matcher", name=ACRONYM_MATCHER, config={"terms": terms.case_sensitive, "attr": "TEXT"}
        )
    exact = Built(time.perf_counter() - started, rss_mib() - before)
    before, started = rss_mib(), time.perf_counter()
    nlp.add_pipe(SENTENCES, name="sentences")
    for qualifier in QUALIFIERS:
        nlp.add_pipe(qualifier, name=qualifier.removeprefix("eds."))
    nlp("Pas de fièvre.")  # anything built lazily is built now
    qualifiers = Built(time.perf_counter() - started, rss_mib() - before)
    return nlp, exact, qualifiers


def full_only(nlp: Any) -> list[str]:
    """The components of the full baseline pipeline that the exact baseline leaves out."""
    return [name for name in nlp.pipe_names if name == "sentences" or f"eds.{name}" in QUALIFIERS]


@dataclass(frozen=True)
class Measure:
    """One row of the side-by-side table: a median over rounds of the same documents."""

    name: str
    seconds: tuple[float, ...]  # one per round
    docs: int
    words: int
    mentions: int
    build: Built | None = None

    @property
    def docs_per_s(self) -> float:
        return self.docs / statistics.median(self.seconds)

    @property
    def words_per_s(self) -> float:
        return self.words / statistics.median(self.seconds)


@dataclass(frozen=True)
class Contender:
    """A pipeline to time: ``run`` annotates one text and returns the number of mentions found."""

    name: str
    run: Callable[[str], int]
    build: Built | None = None


def measure(contenders: Sequence[Contender], texts: Sequence[str], *, rounds: int) -> list[Measure]:
    """Time each contender over ``texts``, ``rounds`` times, the rounds interleaved.

    Round ``r`` runs every contender once, in order on even rounds and in reverse on odd ones, so that
    the load of a shared machine drifting over the run falls on all of them alike.

    Returns:
        One measure per contender, in the order given; mentions are those of the last round.
    """
    seconds: dict[str, list[float]] = {contender.name: [] for contender in contenders}
    mentions: dict[str, int] = {}
    for round_ in range(rounds):
        for contender in contenders if round_ % 2 == 0 else contenders[::-1]:
            started = time.perf_counter()
            mentions[contender.name] = sum(contender.run(text) for text in texts)
            seconds[contender.name].append(time.perf_counter() - started)
    words = sum(len(text.split()) for text in texts)
    return [
        Measure(c.name, tuple(seconds[c.name]), len(texts), words, mentions[c.name], c.build)
        for c in contenders
    ]


def side_by_side(rows: Sequence[Measure], *, reference: str) -> str:
    """A Markdown table of ``rows``; the ratio column divides each docs/s by the ``reference`` row's."""
    base = next((row.docs_per_s for row in rows if row.name == reference), None)
    lines = [
        "| pipeline | docs/s (median) | words/s | ratio to EDS-NLP exact | build s | build RSS MiB "
        "| mentions | mentions/doc | docs/s per round |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = f"{row.docs_per_s / base:.2f}" if base else "n/a"
        build = f"{row.build.seconds:.1f}" if row.build else "n/a"
        memory = f"{row.build.rss_mib:,.0f}" if row.build else "n/a"
        rounds = ", ".join(f"{row.docs / s:.1f}" for s in row.seconds)
        lines.append(
            f"| {row.name} | {row.docs_per_s:.1f} | {row.words_per_s:,.0f} | {ratio} | {build} | {memory} "
            f"| {row.mentions:,} | {row.mentions / row.docs:.1f} | {rounds} |"
        )
    return "\n".join(lines)
