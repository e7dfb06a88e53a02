"""Branches of the terminologies that name no finding, left out of the matcher (data:
``nlp/resources/excluded_branches.tsv``, one root per row with the reason).

HPO's root holds, beside "Phenotypic abnormality", modifiers ("Severe", "Mild", "Onset"), frequencies
("Frequent", "Excluded"), modes of inheritance and past history items ("Family history of cancer").
Read as mentions they are noise, and the history items hide the finding from the qualifiers: "family
history of cancer" must be a mention of cancer, qualified as the family's.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nlp.matcher.errors import ExclusionListError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "resources" / "excluded_branches.tsv"
COLUMNS = ("curie", "label", "why")


def load_excluded_roots(path: Path | None = None) -> tuple[str, ...]:
    """The root curies of the excluded branches (the concepts under them are excluded too).

    Raises:
        ExclusionListError: the file lacks the columns, or a row has no curie or no reason (file and line).
    """
    source = path or DEFAULT_PATH
    with source.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ExclusionListError(f"{source}:1: expected the columns {', '.join(COLUMNS)}")
        roots = []
        for line, row in enumerate(reader, start=2):
            curie, why = (row.get("curie") or "").strip(), (row.get("why") or "").strip()
            if curie.startswith("#") or not any((row.get(column) or "").strip() for column in COLUMNS):
                continue
            if ":" not in curie or not why:
                raise ExclusionListError(f"{source}:{line}: a row needs a curie (PREFIX:ID) and a reason")
            roots.append(curie)
    return tuple(roots)
