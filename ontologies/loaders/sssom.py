"""SSSOM mapping sets (TSV with a ``#``-prefixed YAML metadata header) into the common model.

The header (``curie_map``, ``mapping_set_id``, ``license``, ``mapping_set_version`` …) is read with
PyYAML; rows need ``subject_id``, ``predicate_id``, ``object_id`` and ``mapping_justification`` (the
slots SSSOM requires); ``confidence`` and ``predicate_modifier`` are read when present
(``Not`` → ``Mapping.negated``: a curated *incorrect* mapping). Labels, authors, dates and
``subject_source``/``object_source`` are not kept: the model's Mapping has no slot for them (the
loaded concepts carry labels, and ``Mapping.source`` names the set).

Subjects and objects are normalised to the project's CURIEs (Biomappings' bioregistry prefixes
``mesh:D000`` → ``MESH:D000``, ``umls`` → ``UMLS``); a full IRI is compacted with the set's
``curie_map`` first.

Predicates. The SKOS mapping predicates and ``oboInOwl:hasDbXref`` map to MappingPredicate. A
predicate in those namespaces that is none of them (``skos:exactMatc``), or a value that is not a
CURIE, is an error naming the line. A well-formed CURIE of another vocabulary is a relation the model
does not represent (Biomappings uses ``debio:0000003`` and ``ro:`` terms on about 620 rows): those
rows are skipped and counted in the warnings.

The result has no concepts: ``OntologyRelease.mappings`` only. Source id: ``spec.source_id``, else
a slug of ``mapping_set_id`` (``…/biomappings/sssom/positive.sssom.tsv`` → ``biomappings-positive``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from ontologies.curie import is_curie, normalise_curie
from ontologies.errors import Errors, OntologyFormatError
from ontologies.loaders._support import WarningLog, content_hash, decode_utf8, read_bytes, slug
from ontologies.model import Mapping, MappingPredicate, OntologyRelease, Release
from ontologies.spec import SourceSpec

REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification")
_PREDICATES: dict[str, MappingPredicate] = {
    predicate.value.lower(): predicate for predicate in MappingPredicate
}
# Namespaces whose every valid term is in _PREDICATES: another term there is a typo, not a relation.
_STRICT_PREFIXES = ("skos", "oboinowl")
_FILE_SUFFIXES = (".sssom.tsv", ".sssom.yml", ".tsv", ".sssom", ".yml", ".yaml", ".json")
_GENERIC_SEGMENTS = frozenset(
    {"sssom", "mappings", "mapping", "mapping-sets", "releases", "latest", "main", ""}
)


def load_sssom(spec: SourceSpec) -> OntologyRelease:
    """Read the SSSOM TSV ``spec.path`` into an OntologyRelease holding its mappings.

    Raises:
        OntologyFormatError: missing file, malformed YAML header (naming the line), a missing
            required column (named), a row with too many fields, an empty required cell, a subject,
            object or predicate that is not a CURIE, an unknown SKOS/oboInOwl predicate, a
            confidence outside [0, 1] or a predicate modifier other than ``Not`` (each naming the line).
    """
    data = read_bytes(spec.path)
    lines = decode_utf8(data, spec.path).splitlines()
    header_size = next((index for index, line in enumerate(lines) if not line.startswith("#")), len(lines))
    metadata = _metadata(spec.path, lines[:header_size])
    curie_map = {str(prefix): str(base) for prefix, base in (metadata.get("curie_map") or {}).items()}
    set_id = str(metadata.get("mapping_set_id") or "")
    source = spec.source_id or _source_from_set_id(set_id) or slug(spec.path.name.split(".", 1)[0])
    log = WarningLog()
    reader = _RowReader(spec.path, curie_map, source, log)
    mappings = reader.read(lines, header_size)
    version = metadata.get("mapping_set_version") or metadata.get("publication_date")
    licence = metadata.get("license")
    release = Release(
        source=source,
        version=spec.version or (str(version) if version else content_hash(data)),
        name=spec.name or (str(metadata["mapping_set_title"]) if metadata.get("mapping_set_title") else None),
        licence=spec.licence or (str(licence) if licence else None),
        languages=spec.languages,
        files=(str(spec.path),),
    )
    return OntologyRelease(release=release, mappings=mappings, warnings=log.messages())


def _metadata(path: Path, header_lines: list[str]) -> dict[str, Any]:
    text = "\n".join(line[1:] for line in header_lines)
    try:
        loaded = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        detail = str(getattr(e, "problem", None) or e).strip()
        message = Errors.E003.format(what="YAML metadata header", detail=detail, expected="'#'-prefixed YAML")
        raise OntologyFormatError(message, path=path, line=line) from e
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        detail = type(loaded).__name__
        message = Errors.E003.format(what="YAML metadata header", detail=detail, expected="a mapping of keys")
        raise OntologyFormatError(message, path=path, line=1)
    curie_map = loaded.get("curie_map")
    if curie_map is not None and not isinstance(curie_map, dict):
        message = Errors.E003.format(
            what="curie_map", detail=type(curie_map).__name__, expected="prefix: IRI base"
        )
        raise OntologyFormatError(message, path=path, line=1, element="curie_map")
    return loaded


def _source_from_set_id(set_id: str) -> str:
    # ".../biomappings/sssom/positive.sssom.tsv" → "biomappings-positive"; a stem that already names
    # its project (".../mondo/mondo_exactmatch_ncit.sssom.tsv") is kept alone.
    if not set_id:
        return ""
    segments = set_id.split("?")[0].split("#")[0].rstrip("/").split("/")
    stem = segments[-1]
    for suffix in _FILE_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    stem = slug(stem)
    project = next((slug(s) for s in reversed(segments[3:-1]) if slug(s) not in _GENERIC_SEGMENTS), "")
    if project and project not in stem:
        return f"{project}-{stem}" if stem else project
    return stem or project


class _RowReader:
    """Validates the table rows and turns them into mappings."""

    def __init__(self, path: Path, curie_map: dict[str, str], source: str, log: WarningLog) -> None:
        self.path = path
        self.source = source
        self.log = log
        self.bases = sorted(
            ((base, prefix) for prefix, base in curie_map.items()), key=lambda item: -len(item[0])
        )

    def read(self, lines: list[str], header_size: int) -> tuple[Mapping, ...]:
        if header_size >= len(lines):
            raise OntologyFormatError(Errors.E004.format(what="column header line"), path=self.path)
        columns = [name.strip() for name in lines[header_size].split("\t")]
        header_line = header_size + 1
        index = {name: position for position, name in enumerate(columns)}
        for column in REQUIRED_COLUMNS:
            if column not in index:
                raise OntologyFormatError(
                    Errors.E004.format(what=f"column {column!r}"),
                    path=self.path,
                    line=header_line,
                    element=column,
                )
        mappings: list[Mapping] = []
        for number, line in enumerate(lines[header_size + 1 :], header_line + 1):
            if not line.strip():
                continue
            cells = line.split("\t")
            if len(cells) > len(columns):
                raise self._error(
                    number, "row", f"{len(cells)} fields", f"at most {len(columns)} as in the header"
                )
            # Writers often drop trailing empty cells.
            row = dict(zip(columns, [*cells, *[""] * (len(columns) - len(cells))], strict=True))
            mapping = self._mapping(number, row)
            if mapping is not None:
                mappings.append(mapping)
        return tuple(mappings)

    def _mapping(self, number: int, row: dict[str, str]) -> Mapping | None:
        for column in REQUIRED_COLUMNS:
            if not row[column].strip():
                raise OntologyFormatError(
                    Errors.E004.format(what=f"value in column {column!r}"),
                    path=self.path,
                    line=number,
                    element=column,
                )
        predicate = self._predicate(number, row["predicate_id"].strip())
        if predicate is None:
            return None
        modifier = row.get("predicate_modifier", "").strip()
        if modifier not in ("", "Not"):
            raise self._error(number, "predicate_modifier", repr(modifier), "'Not' or nothing")
        return Mapping(
            subject=self._curie(number, "subject_id", row["subject_id"]),
            predicate=predicate,
            object=self._curie(number, "object_id", row["object_id"]),
            source=self.source,
            confidence=self._confidence(number, row.get("confidence", "")),
            justification=row["mapping_justification"].strip(),
            negated=modifier == "Not",
        )

    def _predicate(self, number: int, value: str) -> MappingPredicate | None:
        predicate = _PREDICATES.get(value.lower())
        if predicate is not None:
            return predicate
        prefix = value.partition(":")[0].lower()
        if not is_curie(value) or prefix in _STRICT_PREFIXES:
            known = ", ".join(p.value for p in MappingPredicate)
            raise self._error(number, "predicate_id", repr(value), f"one of {known}", element="predicate_id")
        self.log.add(
            f"predicate {value} not a mapping predicate",
            f"{self.path}:{number}: predicate {value!r} is not a SKOS mapping or xref predicate; row skipped",
        )
        return None

    def _curie(self, number: int, column: str, value: str) -> str:
        value = value.strip()
        for base, prefix in self.bases:
            if value.startswith(base) and len(value) > len(base) and "://" in base:
                value = f"{prefix}:{value[len(base) :]}"
                break
        if not is_curie(value):
            raise self._error(number, column, repr(value), "a CURIE such as mesh:D003920", element=column)
        return normalise_curie(value)

    def _confidence(self, number: int, value: str) -> float | None:
        value = value.strip()
        if not value:
            return None
        try:
            confidence = float(value)
        except ValueError:
            confidence = math.nan
        if not 0.0 <= confidence <= 1.0:  # also false for NaN
            raise self._error(
                number, "confidence", repr(value), "a number between 0 and 1", element="confidence"
            )
        return confidence

    def _error(
        self, number: int, what: str, detail: str, expected: str, *, element: str | None = None
    ) -> OntologyFormatError:
        message = Errors.E003.format(what=what, detail=detail, expected=expected)
        return OntologyFormatError(message, path=self.path, line=number, element=element)
