"""The curated abbreviation list (``nlp/resources/abbreviations.tsv``) as data."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "resources" / "abbreviations.tsv"
# Short all-caps tokens (digits allowed, at least two letters): matched case-sensitively.
_ACRONYM = re.compile(r"^(?=(?:[^\W\d_]\d*){2})[^\W_]{2,8}$")


@dataclass(frozen=True)
class Abbreviation:
    """One abbreviation and the text of the concept it stands for (an exact label or synonym)."""

    abbreviation: str
    lang: str
    expansion: str
    note: str = ""


def is_acronym(text: str) -> bool:
    """True for short single-token all-caps forms (``"IC"``, ``"DT2"``, ``"T2DM"``), matched by case."""
    return bool(_ACRONYM.match(text)) and text.isupper()


def load_abbreviations(path: Path | None = None) -> list[Abbreviation]:
    """Read an abbreviation TSV (columns abbreviation, lang, expansion, note; header line first).

    Args:
        path: the file; the curated list shipped with the package when ``None``.

    Returns:
        The rows in file order, blank rows and ``#`` comments skipped.
    """
    with (path or DEFAULT_PATH).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        return [
            Abbreviation(
                abbreviation=row["abbreviation"].strip(),
                lang=row["lang"].strip(),
                expansion=row["expansion"].strip(),
                note=(row.get("note") or "").strip(),
            )
            for row in reader
            if row.get("abbreviation") and not row["abbreviation"].startswith("#")
        ]
