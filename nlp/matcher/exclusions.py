"""Branches of the terminologies that name no finding, left out of the matcher (data:
``nlp/resources/excluded_branches.tsv``, one root per row with the reason).

HPO's root holds, beside "Phenotypic abnormality", modifiers ("Severe", "Mild", "Onset"), frequencies
("Frequent", "Excluded"), modes of inheritance and past history items ("Family history of cancer").
Read as mentions they are noise, and the history items hide the finding from the qualifiers: "family
history of cancer" must be a mention of cancer, qualified as the family's.
"""

from __future__ import annotations

from pathlib import Path

from nlp.matcher.curated_lists import curated_rows
from nlp.matcher.errors import ExclusionListError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "resources" / "excluded_branches.tsv"
COLUMNS = ("curie", "label", "why")


def load_excluded_roots(path: Path | None = None) -> tuple[str, ...]:
    """The root curies of the excluded branches (the concepts under them are excluded too).

    Raises:
        ExclusionListError: the file lacks the columns, or a row has no curie or no reason (file and line).
    """
    source = path or DEFAULT_PATH
    roots = []
    for line, row in curated_rows(source, COLUMNS, ExclusionListError):
        if ":" not in row["curie"] or not row["why"]:
            raise ExclusionListError(f"{source}:{line}: a row needs a curie (PREFIX:ID) and a reason")
        roots.append(row["curie"])
    return tuple(roots)
