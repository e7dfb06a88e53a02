"""Cue lists, section tables and post-rules, loaded from the TSV files beside this module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent

CATEGORIES = (
    "NEGATED_EXISTENCE",
    "POSSIBLE_EXISTENCE",
    "FAMILY",
    "HISTORICAL",
    "PSEUDO",
    "TERMINATION",
)


class Direction(Enum):
    FORWARD = "forward"
    BACKWARD = "backward"
    BIDIRECTIONAL = "bidirectional"


@dataclass(frozen=True)
class Cue:
    """One ConText cue: a phrase, what it signals and which way its scope runs."""

    text: str
    category: str
    direction: Direction


@dataclass(frozen=True)
class SectionHeader:
    lang: str
    header: str  # fr: EDS-NLP section label; en: header text
    name: str  # normalised section name, shared by both languages
    implies: str | None  # "historical", "family" or None


@dataclass(frozen=True)
class PostRule:
    """A correction of the EDS-NLP qualifiers (see post_rules_fr.tsv for the columns)."""

    name: str
    requires: str  # "negated", "not_negated", "any"
    window: str  # "before", "after", "after_cue"
    pattern: re.Pattern[str]
    sets: tuple[tuple[str, bool], ...]


QUALIFIER_FIELDS = ("negated", "hypothetical", "family", "historical")


def _rows(path: Path, *, width: int) -> list[list[str]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != width:
            raise ValueError(
                f"{path.name}:{number}: expected {width} tab-separated columns, got {len(cells)}"
            )
        rows.append(cells)
    return rows


@cache
def load_cues(path: Path = DATA_DIR / "context_en.tsv") -> tuple[Cue, ...]:
    """Read ConText cues (cue, category, direction); raises ValueError on a malformed row."""
    cues = []
    for text, category, direction in _rows(path, width=3):
        if category not in CATEGORIES:
            raise ValueError(f"{path.name}: unknown category {category!r} for cue {text!r}")
        cues.append(Cue(text=text.strip(), category=category, direction=Direction(direction)))
    return tuple(cues)


@cache
def load_sections(lang: str, path: Path = DATA_DIR / "sections.tsv") -> tuple[SectionHeader, ...]:
    """Section headers of one language with their normalised names."""
    return tuple(
        SectionHeader(lang=row_lang, header=header, name=name, implies=None if implies == "-" else implies)
        for row_lang, header, name, implies in _rows(path, width=4)
        if row_lang == lang
    )


def _parse_sets(value: str) -> tuple[tuple[str, bool], ...]:
    pairs = []
    for item in value.split(","):
        key, _, flag = item.partition("=")
        if key not in QUALIFIER_FIELDS or flag not in {"true", "false"}:
            raise ValueError(f"post-rule assignment {item!r} is not <qualifier>=true|false")
        pairs.append((key, flag == "true"))
    return tuple(pairs)


@cache
def load_post_rules(path: Path = DATA_DIR / "post_rules_fr.tsv") -> tuple[PostRule, ...]:
    """Read the French post-rules, in file order."""
    rules = []
    for name, requires, window, pattern, sets in _rows(path, width=5):
        if requires not in {"negated", "not_negated", "any"} or window not in {
            "before",
            "after",
            "after_cue",
        }:
            raise ValueError(f"{path.name}: rule {name!r} has a bad requires/window column")
        rules.append(
            PostRule(
                name=name,
                requires=requires,
                window=window,
                pattern=re.compile(pattern),
                sets=_parse_sets(sets),
            )
        )
    return tuple(rules)
