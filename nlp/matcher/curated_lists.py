"""Reading the curated lists kept as data (``nlp/resources/*.tsv``): one header, then rows."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path


def curated_rows(
    path: Path, columns: tuple[str, ...], error: type[ValueError]
) -> Iterator[tuple[int, dict[str, str]]]:
    """``(line, row)`` for each row of the TSV ``path``, its values stripped; rows whose first value
    starts with ``#`` (comments) or that are blank are skipped.

    Raises:
        error: the header is not exactly ``columns`` (``path:1`` in the message).
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        if tuple(reader.fieldnames or ()) != columns:
            raise error(f"{path}:1: expected the columns {', '.join(columns)}")
        for line, raw in enumerate(reader, start=2):
            row = {column: (raw.get(column) or "").strip() for column in columns}
            if row[columns[0]].startswith("#") or not any(row.values()):
                continue
            yield line, row
