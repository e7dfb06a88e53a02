"""Checks shared by every reader: decoding, text limits, ids, dates, metadata. Pure functions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from nlp.documents.errors import Reasons
from nlp.documents.model import MetadataValue, Reject


@dataclass(frozen=True)
class Options:
    """The caller's options, passed down to every reader."""

    lang: str | None
    source: str | None
    max_chars: int


@dataclass
class SeenIds:
    """Ids read so far in one input (ids only, never text), to reject the second of a duplicate."""

    first_origin: dict[str, str] = field(default_factory=dict)

    def check(self, record_id: str, origin: str) -> Reject | None:
        """Return a ``Reject`` if ``record_id`` was already read, else remember it and return None."""
        first = self.first_origin.get(record_id)
        if first is not None:
            return Reject(origin, Reasons.R008.format(record_id=record_id, first=first), record_id)
        self.first_origin[record_id] = origin
        return None


def decode(
    data: bytes, *, origin: str, record_id: str | None = None, encoding: str = "utf-8"
) -> str | Reject:
    """Decode ``data`` strictly; a ``Reject`` naming the first bad byte (0-based) if it cannot be."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        bad = data[error.start : error.end].hex(" ")
        reason = Reasons.R002.format(
            encoding=_encoding_name(encoding), position=error.start, detail=f"0x{bad} {error.reason}"
        )
        return Reject(origin, reason, record_id)


def _encoding_name(encoding: str) -> str:
    return "UTF-8" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding


def check_text(text: str, *, origin: str, record_id: str, max_chars: int) -> Reject | None:
    """Reject empty (whitespace-only) text and text longer than ``max_chars``."""
    if not text.strip():
        return Reject(origin, Reasons.R001, record_id)
    if len(text) > max_chars:
        return Reject(origin, Reasons.R004.format(size=len(text), limit=max_chars), record_id)
    return None


def check_size(size: int, *, origin: str, record_id: str, max_chars: int) -> Reject | None:
    """Reject a file too big to hold ``max_chars`` characters before reading it (a character is 1-4 bytes)."""
    if size > 4 * max_chars:
        return Reject(origin, Reasons.R005.format(size=size, limit=max_chars), record_id)
    return None


def is_iso_date(value: str) -> bool:
    """True for an ISO 8601 date (``2024-03-01``) or datetime (``2024-03-01T10:00:00+01:00``, ``...Z``)."""
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            parse(value)
        except ValueError:
            continue
        return True
    return False


def scalar_metadata(value: object) -> tuple[dict[str, MetadataValue], str | None]:
    """Check that ``value`` maps strings to str/int/float/bool; return the copy or the problem."""
    if not isinstance(value, Mapping):
        return {}, f"metadata is a {type(value).__name__}, expected an object"
    metadata: dict[str, MetadataValue] = {}
    for key, item in value.items():
        if not isinstance(item, str | int | float | bool):
            return {}, f"metadata value for key {key!r} is a {type(item).__name__}, expected a scalar"
        metadata[str(key)] = item
    return metadata, None
