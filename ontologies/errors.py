"""Coded errors of the ontologies package (spaCy's Errors.E### idea: one catalogue, stable codes)."""

from __future__ import annotations

from pathlib import Path


class Errors:
    E001 = "Unknown ontology format {format!r}; expected one of: {known}."
    E002 = "File not found: {path}."
    E003 = "Malformed {what}: {detail}; expected {expected}."
    E004 = "Missing required {what}."
    E005 = "Could not parse RDF ({rdf_format}): {detail}."
    E006 = "Manifest {path}: {detail}."
    E007 = "Undecodable bytes (not UTF-8): {detail}."


class OntologyFormatError(ValueError):
    """A source file does not have the shape its format requires.

    The message names the file, the line (or element) and what was expected, so that a user can
    fix the input; ``path``/``line``/``element`` are kept for programmatic use.
    """

    def __init__(
        self,
        message: str,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        element: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.element = element
        where = ""
        if self.path is not None:
            where = self.path
            if line is not None:
                where += f":{line}"
            if element is not None:
                where += f" ({element})"
            where += ": "
        super().__init__(f"{where}{message}")


class UnknownFormatError(OntologyFormatError):
    """The format name asked for is not one the project can read."""


class ManifestError(OntologyFormatError):
    """A manifest is malformed or names something that cannot be loaded."""
