"""Text in, qualified mentions out: terminology matching, then qualifiers, sections and sentences.

``Annotator`` holds one compiled matcher per language; the qualifier pipelines (EDS-NLP for French,
``hs.context`` for English) are built once per process by ``nlp.qualifiers``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from nlp import embedding
from nlp.language import DECISIVE_MARGIN, language_evidence
from nlp.local_abbreviations import propagate
from nlp.matcher.matcher import TerminologyMatcher
from nlp.model import Mention
from nlp.pipelines import config_path
from nlp.qualifiers import LANGUAGES, qualify_spans

# 0.15: English vectors from bge-small-en-v1.5 (384 dimensions) instead of WordLlama's (256);
# 0.14: English texts get a vector (nlp.embedding);
# 0.13: coordinated complements ("tumeur maligne du poumon" for C34), ICD-10's "partie non précisée";
# 0.12: qualifier rules (childhood diseases, relatives reporting, negated lists...), organ and head
# swaps; 0.11: derived forms ("diabétique"); 0.10: no HPO modifier or history terms; 0.9: family cue kept
PIPELINE_VERSION = "hs-nlp-0.15"

# The data that shapes annotations besides the code: curated lists (abbreviations, derived forms,
# excluded branches, relational adjectives, head synonyms), qualifier cues, post-rules and section
# headers; and the pipeline configs in use.
_NLP_DIR = Path(__file__).resolve().parent
_CURATED_DATA = ("resources/*.tsv", "qualifiers/*.tsv")


@cache
def pipeline_version() -> str:
    """``PIPELINE_VERSION`` and a digest of the curated data, e.g. ``hs-nlp-0.14+3fa2c1d9``.

    Stamped on every mention and document: an ontologist who edits ``abbreviations.tsv`` or a cue
    list, or an operator who points ``HEALTHSEARCH_NLP_CONFIG_FR`` at another config, changes it, so
    ``documents reannotate`` re-runs every document instead of calling them unchanged.
    """
    digest = hashlib.sha256()
    for path in sorted(path for pattern in _CURATED_DATA for path in _NLP_DIR.glob(pattern)):
        digest.update(f"{path.relative_to(_NLP_DIR).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for lang in LANGUAGES:
        config = config_path(lang)
        # A missing config fails when the pipeline loads, naming the file; its path stands in here.
        content = config.read_bytes() if config.is_file() else str(config).encode()
        digest.update(f"config {lang}\n".encode())
        digest.update(hashlib.sha256(content).digest())
    return f"{PIPELINE_VERSION}+{digest.hexdigest()[:8]}"


@dataclass(frozen=True)
class Annotation:
    lang: str
    mentions: tuple[Mention, ...]
    pipeline_version: str
    terminology_version: str
    # The text's unit vector (nlp.embedding), when asked for and the language gets one; else None.
    vector: embedding.Vector | None = None


def canonical_equivalents(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Union-find over exact-match pairs: each CURIE → the smallest CURIE of its equivalence class.

    Concepts equivalent through exact mappings count as one candidate in the matcher.
    """
    parent: dict[str, str] = {}

    def find(curie: str) -> str:
        parent.setdefault(curie, curie)
        while parent[curie] != curie:
            parent[curie] = parent[parent[curie]]
            curie = parent[curie]
        return curie

    for left, right in pairs:
        root_left, root_right = find(left), find(right)
        if root_left != root_right:
            low, high = sorted((root_left, root_right))
            parent[high] = low
    return {curie: find(curie) for curie in parent if find(curie) != curie}


class UnsupportedLanguage(ValueError):
    """No matcher for the language asked."""


class Annotator:
    """Annotates texts with the matchers it was given (one per language)."""

    def __init__(self, matchers: Mapping[str, TerminologyMatcher], *, terminology_version: str) -> None:
        self.matchers = dict(matchers)
        self.terminology_version = terminology_version

    @property
    def languages(self) -> Sequence[str]:
        return tuple(sorted(self.matchers))

    def warm_up(self) -> None:
        """Build every language's qualifier pipeline now (seconds each): before forking workers,
        so that they share it, or before timing. Annotating a text without mentions builds none."""
        for language in self.matchers:
            qualify_spans("x", [(0, 1)], lang=language)
            if embedding.embeds(language):
                embedding.warm_up()

    def detect_language(self, text: str) -> str:
        """``"fr"`` or ``"en"``: from function words when the text leans by ``DECISIVE_MARGIN`` or more;
        otherwise (a query, a title, a list of diagnoses) the language whose terminology matcher covers
        more of the text, then the function words, then French.

        "pulmonary embolism after hip surgery" holds no function word of either list; its English
        terms decide it, where the function words alone made it French.
        """
        return self._detect(text)[0]

    def _detect(self, text: str) -> tuple[str, list[Mention] | None]:
        """The language (``detect_language``) and, when the matchers decided it, the mentions its
        matcher found, which annotation then needs not look for again."""
        french, english = language_evidence(text)
        if abs(french - english) < DECISIVE_MARGIN and {"fr", "en"} <= self.matchers.keys():
            found = {language: self.matchers[language].find_text(text) for language in ("fr", "en")}
            covered = {
                language: sum(mention.end - mention.start for mention in mentions)
                for language, mentions in found.items()
            }
            if covered["fr"] != covered["en"]:
                language = max(covered, key=covered.__getitem__)
                return language, found[language]
        return ("en" if english > french else "fr"), None

    def annotate(self, text: str, *, lang: str | None = None, with_vector: bool = False) -> Annotation:
        """Mentions of ``text`` with candidates, qualifiers, section and sentence offsets; and, with
        ``with_vector``, its vector (``nlp.embedding``: what ingestion stores and search compares;
        other callers, such as ``/api/annotate``, do not pay for it).

        Raises:
            UnsupportedLanguage: ``lang`` (given or detected) has no matcher.
        """
        language, matched = (lang, None) if lang else self._detect(text)
        matcher = self.matchers.get(language)
        if matcher is None:
            raise UnsupportedLanguage(
                f"no terminology matcher for language {language!r}; have {self.languages}"
            )
        found = propagate(text, matcher.find_text(text) if matched is None else matched)
        qualified = qualify_spans(text, [(mention.start, mention.end) for mention in found], lang=language)
        version = pipeline_version()
        mentions = tuple(
            replace(
                mention,
                qualifiers=info.qualifiers,
                section=info.section,
                sentence_start=info.sentence_start,
                sentence_end=info.sentence_end,
                pipeline_version=version,
                terminology_version=self.terminology_version,
            )
            for mention, info in zip(found, qualified, strict=True)
        )
        vector = embedding.text_vector(text, language) if with_vector else None
        return Annotation(language, mentions, version, self.terminology_version, vector)
