"""Gold annotations of evaluation corpora: PubTator (NCBI-disease), brat (QUAERO), NegEx TSV.

The document readers (``nlp.documents``) leave annotations aside; these readers take them from the
same files, with the same text (PubTator: title + space + abstract; brat: the ``.txt`` as is).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from ontologies.curie import is_curie, normalise_curie


@dataclass(frozen=True)
class GoldMention:
    start: int
    end: int
    text: str
    ids: frozenset[str]  # normalised CURIEs; a prediction is right if it matches any (composites)
    group: str | None = None  # entity type (PubTator "DiseaseClass", brat "DISO"...)


@dataclass(frozen=True)
class GoldDocument:
    id: str
    text: str
    mentions: tuple[GoldMention, ...]


@dataclass(frozen=True)
class AssertionCase:
    """One row of a NegEx-style TSV; ``hypothetical``/``family`` are None when the column is absent."""

    report: str
    concept: str
    sentence: str
    negated: bool
    hypothetical: bool | None = None
    family: bool | None = None


class GoldFormatError(ValueError):
    """A gold file that cannot be read as its format."""


_PUBTATOR_ID_SPLIT = re.compile(r"[|+,]")
_TRUE = frozenset({"yes", "true", "1", "hypothetical", "possible", "family", "other"})


def gold_curie(raw: str, *, default_prefix: str) -> str:
    """``D003920`` → ``MESH:D003920``, ``OMIM:125853`` kept, ``C0031831`` (UMLS) → ``UMLS:C0031831``."""
    raw = raw.strip()
    return normalise_curie(raw if is_curie(raw) else f"{default_prefix}:{raw}")


def read_pubtator_gold(path: Path) -> list[GoldDocument]:
    """Documents and disease mentions of a PubTator file (blank-line separated abstracts).

    Composite ids (``D001943|D010051``, ``D001943+D010051``) become one mention with several ids;
    mentions without an id (``-1`` or empty) are kept with no id (never linkable).

    Raises:
        GoldFormatError: a line that is neither a title/abstract nor a 6-column annotation.
    """
    documents: list[GoldDocument] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [line.rstrip("\r") for line in block.splitlines() if line.strip()]
        if lines:
            documents.append(_pubtator_document(lines, path))
    return documents


def _pubtator_document(lines: list[str], path: Path) -> GoldDocument:
    parts: dict[str, str] = {}
    pmid = ""
    mentions: list[GoldMention] = []
    for line in lines:
        fields = line.split("|", 2)
        if len(fields) == 3 and fields[1] in {"t", "a"}:
            pmid, parts[fields[1]] = fields[0].strip(), fields[2]
            continue
        columns = line.split("\t")
        if len(columns) < 5:
            raise GoldFormatError(f"{path.name}: unreadable PubTator line for PMID {pmid or '?'}")
        raw_ids = columns[5] if len(columns) > 5 else ""
        ids = frozenset(
            gold_curie(part, default_prefix="MESH")
            for part in _PUBTATOR_ID_SPLIT.split(raw_ids)
            if part.strip() and part.strip() != "-1"
        )
        mentions.append(GoldMention(int(columns[1]), int(columns[2]), columns[3], ids, columns[4]))
    text = f"{parts.get('t', '')} {parts.get('a', '')}"  # offsets count title + one space + abstract
    return GoldDocument(pmid, text, tuple(mentions))


def read_brat_gold(path: Path) -> list[GoldDocument]:
    """Documents of a brat folder (or one ``.txt``) with their text-bound annotations.

    The CUIs of ``AnnotatorNotes`` become ``UMLS:`` ids; the group is the entity type (``DISO``...);
    a discontinuous span (``39 48;53 54``) is read as its outer span.
    """
    files = [path] if path.is_file() else sorted(path.rglob("*.txt"))
    root = path.parent if path.is_file() else path
    documents = []
    for file in files:
        ann = file.with_suffix(".ann")
        text = file.read_text(encoding="utf-8")
        mentions = _brat_mentions(ann.read_text(encoding="utf-8")) if ann.is_file() else ()
        documents.append(GoldDocument(file.relative_to(root).with_suffix("").as_posix(), text, mentions))
    return documents


def _brat_mentions(ann: str) -> tuple[GoldMention, ...]:
    spans: dict[str, tuple[str, int, int, str]] = {}
    notes: dict[str, set[str]] = {}
    for line in ann.splitlines():
        columns = line.split("\t")
        if line.startswith("T") and len(columns) >= 3:
            label, _, offsets = columns[1].partition(" ")
            numbers = [int(n) for n in re.findall(r"\d+", offsets)]
            spans[columns[0]] = (label, min(numbers), max(numbers), columns[2])
        elif line.startswith("#") and len(columns) >= 3 and columns[1].startswith("AnnotatorNotes"):
            target = columns[1].split()[1]
            cuis = re.findall(r"C\d{7}", columns[2])
            notes.setdefault(target, set()).update(gold_curie(cui, default_prefix="UMLS") for cui in cuis)
    return tuple(
        GoldMention(start, end, text, frozenset(notes.get(key, ())), label)
        for key, (label, start, end, text) in sorted(spans.items(), key=lambda item: item[1][1:3])
    )


def read_negex(path: Path) -> list[AssertionCase]:
    """Rows of a NegEx-style TSV: ``Report No.``, ``Concept``, ``Sentence``, ``Negation``
    (``Affirmed``/``Negated``), optional ``Hypothetical`` and ``Family`` (yes/true/1... = True).

    Raises:
        GoldFormatError: a required column is missing or a Negation value is unknown.
    """
    with path.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = {"Report No.", "Concept", "Sentence", "Negation"} - set(header)
        if missing:
            raise GoldFormatError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
        cases = []
        for number, row in enumerate(reader, start=2):
            row = {(key or "").strip(): (value or "").strip() for key, value in row.items()}
            negation = row["Negation"].lower()
            if negation not in {"affirmed", "negated"}:
                raise GoldFormatError(f"{path.name}:{number}: Negation must be Affirmed or Negated")
            cases.append(
                AssertionCase(
                    report=row["Report No."],
                    concept=row["Concept"],
                    sentence=row["Sentence"],
                    negated=negation == "negated",
                    hypothetical=_flag(row, "Hypothetical", header),
                    family=_flag(row, "Family", header),
                )
            )
    return cases


def _flag(row: dict[str, str], column: str, header: list[str]) -> bool | None:
    if column not in header:
        return None
    return row[column].lower() in _TRUE
