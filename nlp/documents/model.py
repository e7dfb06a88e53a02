"""What the document readers emit: plain frozen dataclasses, no library type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

MetadataValue = str | int | float | bool


def _no_metadata() -> Mapping[str, MetadataValue]:
    return MappingProxyType({})


@dataclass(frozen=True)
class DocumentRecord:
    """One document read from an input, ready for the NLP pipeline.

    ``date`` is an ISO 8601 date or datetime string, as the input gave it. ``metadata`` is
    read-only (a copy of what was passed is wrapped in a ``MappingProxyType``). ``origin`` locates
    the record in its input, e.g. ``"notes.jsonl:12"`` or ``"bundle.json#entry[3]"``.
    """

    id: str
    text: str
    patient_id: str | None = None
    type: str | None = None
    date: str | None = None
    lang: str | None = None
    title: str | None = None
    source: str | None = None
    metadata: Mapping[str, MetadataValue] = field(default_factory=_no_metadata, hash=False)
    origin: str = ""

    def __post_init__(self) -> None:
        # Freeze a copy, so that the caller's dict can neither change the record nor be changed by it.
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))

    def __repr__(self) -> str:
        # Never show the text (logs and tracebacks must not carry document content).
        return (
            f"DocumentRecord(id={self.id!r}, origin={self.origin!r}, type={self.type!r}, "
            f"lang={self.lang!r}, chars={len(self.text)})"
        )


@dataclass(frozen=True)
class Reject:
    """A record that could not be read: where it is, why, and its id when one was found."""

    origin: str
    reason: str
    record_id: str | None = None
