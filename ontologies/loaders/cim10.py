"""CIM-10 (the French ICD-10 of ATIH, as shipped by ``edsnlp``: ``cim10.csv.gz``) into the common model.

The CSV (gzip or plain, UTF-8) has the columns ``code,type,ssr,psy,short,long``; codes have no dot
(``E119``). ``type``, ``ssr`` and ``psy`` are PMSI coding rules (which codes a hospital stay may use
as main diagnosis, in rehabilitation, in psychiatry), not terminology: they are not kept.

Decisions:

* CURIE ``CIM10:<dotted code>``: the dot goes after the third character, as ATIH writes them
  (``E119`` → ``E11.9``, ``B1800`` → ``B18.00``, French extensions ``B24+0`` → ``B24.+0``,
  ``C169+0`` → ``C16.9+0``); three-character codes stay as they are.
* ``long`` → preferred Label(fr); ``short`` (upper case, often abbreviated) → EXACT Synonym(fr) with
  ``source_type="short"`` only when it differs from ``long`` other than by case and accents (it adds
  nothing to search otherwise: "CHOLERA" for "Choléra").
* Labels starting ``*** SU17 ***`` (ATIH's mark for a code no longer usable since 2017, 401 codes)
  → ``obsolete=True``, the mark removed from the text.
* Hierarchy from the WHO ICD-10 XML (``spec.extras["hierarchy"]``): chapters and blocks become
  CIM10 concepts too (``CIM10:IV``, ``CIM10:E10-E14``) with the WHO English titles as Label(en), and
  a code the XML has gets the XML parent. A CIM-10 code absent from the XML (30,659 of 42,886:
  French extensions such as ``A63.00`` or ``U07.10``, and a few codes WHO removed such as ``A90``)
  gets as parent the longest prefix of its code that is a CIM-10 code (``C16.9+0`` → ``C16.9``), else
  the innermost block whose range holds its first three characters (``I84`` → ``I80-I89``), else
  (7 codes: ``A90``, ``A91``, ``U80``, ``U81``, ``U88``, ``U89``, ``U90``) the chapter of the last block
  of its letter that starts before it (``A90`` → ``I``, ``U90`` → ``XXII``).
* ``skos:exactMatch`` mappings CIM10:X → ICD10:X (source "cim10") for every code, chapter and block
  present in both, in ``OntologyRelease.mappings``.
"""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ontologies.curie import curie_to_iri
from ontologies.errors import Errors, OntologyFormatError
from ontologies.loaders._support import WarningLog, content_hash, decode_utf8, read_bytes
from ontologies.loaders.icd10 import Icd10Entry, read_icd10_tree
from ontologies.model import Concept, Label, Mapping, MappingPredicate, OntologyRelease, Release, Synonym
from ontologies.spec import SourceSpec

REQUIRED_COLUMNS = ("code", "short", "long")
_CODE_RE = re.compile(r"^[A-Z][0-9]{2}[0-9A-Z+]{0,4}$")
_RETIRED_RE = re.compile(r"^\*{3}\s*(SU\d{2})\s*\*{3}\s*")
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class _Row:
    code: str  # dotted
    line: int
    long: str
    short: str
    retired: bool


def dotted(code: str) -> str:
    """A CIM-10 code as ATIH and WHO write it: ``E119`` → ``E11.9``; ``E11`` unchanged."""
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def load_cim10(spec: SourceSpec) -> OntologyRelease:
    """Read the CIM-10 CSV ``spec.path`` with the ICD-10 XML ``spec.extras["hierarchy"][0]``.

    Raises:
        OntologyFormatError: missing file or hierarchy, a missing column (named), a malformed or
            duplicate code, an empty label (each naming the line), or an invalid ICD-10 XML.
    """
    hierarchy = spec.extras.get("hierarchy", ())
    if not hierarchy:
        raise OntologyFormatError(
            Errors.E004.format(what='hierarchy file (spec.extras["hierarchy"]: the WHO ICD-10 XML)'),
            path=spec.path,
        )
    data = read_bytes(spec.path)
    rows = _read_rows(spec.path, data)
    entries, _ = read_icd10_tree(hierarchy[0])
    source = spec.source_id or "cim10"
    lang = spec.languages[0] if spec.languages else "fr"
    log = WarningLog()
    builder = _Builder(entries, rows, source=source, lang=lang, log=log)
    concepts = builder.concepts()
    release = Release(
        source=source,
        version=spec.version or content_hash(data, read_bytes(hierarchy[0])),
        name=spec.name or "CIM-10",
        licence=spec.licence,
        languages=spec.languages or (lang, "en"),
        prefixes=("CIM10",),
        files=(str(spec.path), str(hierarchy[0])),
    )
    return OntologyRelease(
        release=release, concepts=concepts, mappings=builder.mappings(), warnings=log.messages()
    )


def _read_rows(path: Path, data: bytes) -> list[_Row]:
    if data.startswith(_GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as e:
            detail = str(e) or type(e).__name__
            raise OntologyFormatError(
                Errors.E003.format(what="gzip file", detail=detail, expected="a complete gzip stream"),
                path=path,
            ) from e
    reader = csv.reader(decode_utf8(data, path).splitlines())
    header = next(reader, None)
    if header is None:
        raise OntologyFormatError(Errors.E004.format(what="header line"), path=path, line=1)
    columns = {name.strip(): index for index, name in enumerate(header)}
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            raise OntologyFormatError(
                Errors.E004.format(what=f"column {column!r}"), path=path, line=1, element=column
            )
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            detail = f"{len(record)} fields"
            raise _error(path, line, "row", detail, f"{len(header)} fields as in the header")
        code = record[columns["code"]].strip().upper()
        if not _CODE_RE.match(code):
            raise _error(path, line, "code", repr(code), "a letter, two digits and up to 4 more characters")
        if code in seen:
            raise _error(path, line, "code", f"{code!r} already at line {seen[code]}", "each code once")
        seen[code] = line
        long_text, short_text = record[columns["long"]].strip(), record[columns["short"]].strip()
        if not long_text:
            raise OntologyFormatError(
                Errors.E004.format(what=f"'long' label of {code}"), path=path, line=line
            )
        retired = bool(_RETIRED_RE.match(long_text))
        rows.append(
            _Row(dotted(code), line, _RETIRED_RE.sub("", long_text), _RETIRED_RE.sub("", short_text), retired)
        )
    return rows


def _error(path: Path, line: int, what: str, detail: str, expected: str) -> OntologyFormatError:
    return OntologyFormatError(
        Errors.E003.format(what=what, detail=detail, expected=expected), path=path, line=line
    )


def _folded(text: str) -> str:
    # Accents off by decomposition, then ASCII only: C-speed on 85k labels. Letters without an ASCII
    # decomposition ("œ") drop out on both sides alike; at worst a useful short label is kept.
    ascii_text = unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")
    return " ".join(ascii_text.split())


class _Builder:
    """Joins the CSV rows to the ICD-10 tree and builds concepts and mappings."""

    def __init__(
        self, entries: tuple[Icd10Entry, ...], rows: list[_Row], *, source: str, lang: str, log: WarningLog
    ) -> None:
        self.entries = {entry.code: entry for entry in entries}
        self.structure = [entry for entry in entries if entry.kind in ("chapter", "block")]
        self.rows = rows
        self.codes = {row.code for row in rows}
        self.source = source
        self.lang = lang
        self.log = log
        # Blocks by depth (deepest first), to find the innermost block holding a code.
        depth: dict[str, int] = {}
        for entry in entries:
            depth[entry.code] = depth.get(entry.parent or "", -1) + 1
        self.blocks = sorted(
            (entry for entry in entries if entry.kind == "block" and "-" in entry.code),
            key=lambda entry: -depth[entry.code],
        )
        chapter_of: dict[str, str] = {}
        for entry in entries:
            if entry.kind == "chapter":
                chapter_of[entry.code] = entry.code
            elif entry.parent is not None and entry.parent in chapter_of:
                chapter_of[entry.code] = chapter_of[entry.parent]
        self.chapter_starts = [
            (block.code.partition("-")[0], chapter_of[block.code])
            for block in self.blocks
            if block.code in chapter_of
        ]

    def concepts(self) -> tuple[Concept, ...]:
        concepts = [
            Concept(
                curie=f"CIM10:{entry.code}",
                iri=curie_to_iri(f"CIM10:{entry.code}"),
                source=self.source,
                labels=(Label(entry.title, "en"),),
                parents=(f"CIM10:{entry.parent}",) if entry.parent else (),
                kind=entry.kind,
            )
            for entry in self.structure
        ]
        for row in self.rows:
            synonyms: tuple[Synonym, ...] = ()
            if row.short and _folded(row.short) != _folded(row.long):
                synonyms = (Synonym(row.short, self.lang, source_type="short"),)
            parent = self._parent(row.code)
            if parent is None:
                self.log.add("code without parent", f"{row.code} (line {row.line}): no parent code or block")
            entry = self.entries.get(row.code)
            concepts.append(
                Concept(
                    curie=f"CIM10:{row.code}",
                    iri=curie_to_iri(f"CIM10:{row.code}"),
                    source=self.source,
                    labels=(Label(row.long, self.lang),),
                    synonyms=synonyms,
                    parents=(f"CIM10:{parent}",) if parent else (),
                    obsolete=row.retired,
                    kind=entry.kind if entry else ("category" if len(row.code) == 3 else "subcategory"),
                )
            )
        return tuple(concepts)

    def mappings(self) -> tuple[Mapping, ...]:
        codes = [entry.code for entry in self.structure] + [
            row.code for row in self.rows if row.code in self.entries
        ]
        return tuple(
            Mapping(f"CIM10:{code}", MappingPredicate.EXACT, f"ICD10:{code}", self.source) for code in codes
        )

    def _parent(self, code: str) -> str | None:
        entry = self.entries.get(code)
        if entry is not None and entry.parent is not None:
            parent = self.entries[entry.parent]
            if parent.kind in ("chapter", "block") or parent.code in self.codes:
                return parent.code
        # Not in the WHO tree (or its WHO parent is not a CIM-10 code): longest prefix, ignoring the dot.
        bare = code.replace(".", "")
        for end in range(len(bare) - 1, 2, -1):
            prefix = dotted(bare[:end])
            if prefix in self.codes:
                return prefix
        head = bare[:3]
        for block in self.blocks:
            start, _, stop = block.code.partition("-")
            if start <= head <= stop:
                return block.code
        # No block holds it (A90, A91, U80…U90): the chapter of the last block starting before it.
        before = [(start, chapter) for start, chapter in self.chapter_starts if start[0] == head[0]]
        earlier = [item for item in before if item[0] <= head]
        return max(earlier)[1] if earlier else (min(before)[1] if before else None)
