"""What to load: one source, its files and the metadata a user or a manifest declares."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType


def _empty() -> Mapping[str, tuple[Path, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True)
class SourceSpec:
    """A source to load.

    ``path`` is the main file. ``extras`` holds the other files by role, for formats that combine
    several (``{"hierarchy": (icd10.xml,)}`` for CIM-10, ``{"translations": (...)}`` for HPO,
    ``{"subsets": (...), "xrefs": (...)}`` for the DOID TSV reports). Metadata given here wins over
    what the file says; a loader fills what is missing from the file itself.
    """

    format: str
    path: Path
    source_id: str | None = None
    version: str | None = None
    name: str | None = None
    licence: str | None = None
    languages: tuple[str, ...] = ()
    extras: Mapping[str, tuple[Path, ...]] = field(default_factory=_empty)
