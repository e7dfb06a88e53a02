"""Small helpers shared by the OWL, SKOS, ICD-10, CIM-10, ATC and SSSOM loaders.

Reading a file once (its bytes feed both the parser and the content-hash version), the default
language, source-id slugs and a warning collector that keeps thousands of alike messages readable.
The hash format matches the OBO loader's (first 12 hex digits of the sha256).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from ontologies.errors import Errors, OntologyFormatError
from ontologies.spec import SourceSpec

_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SLUG_RE = re.compile(r"[^0-9a-z]+")


def read_bytes(path: Path) -> bytes:
    """The bytes of ``path``.

    Raises:
        OntologyFormatError: the file does not exist (E002).
    """
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError) as e:
        raise OntologyFormatError(Errors.E002.format(path=path), path=path) from e


def decode_utf8(data: bytes, path: Path) -> str:
    """``data`` decoded as UTF-8, a leading BOM dropped.

    Raises:
        OntologyFormatError: the bytes are not UTF-8 (E007, naming the line).
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        detail = f"byte {data[e.start : e.start + 1]!r} at offset {e.start}"
        raise OntologyFormatError(Errors.E007.format(detail=detail), path=path, line=line) from e


def content_hash(*chunks: bytes) -> str:
    """The version used when the files name none: first 12 hex digits of the sha256 of them all."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()[:12]


def default_language(spec: SourceSpec, *, fallback: str = "en") -> str:
    """The language given to untagged text: the first of ``spec.languages``, else ``fallback``."""
    return spec.languages[0] if spec.languages else fallback


def language_tag(tag: str | None, *, default: str) -> str:
    """An ISO 639-1 style code from an RDF/BCP 47 tag: ``en-GB`` → ``en``; None → ``default``."""
    if not tag:
        return default
    return tag.split("-", 1)[0].lower()


def date_in(text: str | None) -> str | None:
    """The first ``YYYY-MM-DD`` date in ``text`` (a version IRI, a header value), or None."""
    if not text:
        return None
    match = _DATE_RE.search(text)
    return match.group(0) if match else None


def slug(text: str) -> str:
    """``text`` as a lower-case source id: runs of other characters become one hyphen."""
    return _SLUG_RE.sub("-", text.lower()).strip("-")


def prefixes_by_count(curies: Iterable[str]) -> tuple[str, ...]:
    """The CURIE prefixes of ``curies``, most frequent first (ties in alphabetical order)."""
    counts = Counter(curie.partition(":")[0] for curie in curies)
    return tuple(prefix for prefix, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


class WarningLog:
    """Non-fatal oddities met while loading, grouped by kind.

    Each kind keeps its first ``examples`` messages verbatim, then one line counting the rest, so that
    10,000 alike warnings stay readable in ``OntologyRelease.warnings``.
    """

    def __init__(self, *, examples: int = 5) -> None:
        self._examples = examples
        self._kept: dict[str, list[str]] = {}
        self._counts: Counter[str] = Counter()

    def add(self, kind: str, message: str) -> None:
        """Record ``message`` under ``kind`` (a short phrase such as "class IRI without CURIE")."""
        self._counts[kind] += 1
        kept = self._kept.setdefault(kind, [])
        if len(kept) < self._examples:
            kept.append(message)

    def count(self, kind: str) -> int:
        """How many messages of ``kind`` were recorded."""
        return self._counts[kind]

    def messages(self) -> tuple[str, ...]:
        """All messages, kinds in the order they first appeared."""
        out: list[str] = []
        for kind, kept in self._kept.items():
            out.extend(kept)
            more = self._counts[kind] - len(kept)
            if more > 0:
                out.append(f"{kind}: {more} more like these ({self._counts[kind]} in all)")
        return tuple(out)
