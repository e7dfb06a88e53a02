"""The current Disease Ontology from its TSV reports plus its subset OBO files.

DOID publishes, besides the full OWL/OBO, flat reports: ``HumanDO.tsv`` (``id, label, subClassOf``
where the parent is named by its label, one row per parent), ``allXREFinDO.tsv`` (``id, label,
xref``) and ``subsets/*.obo`` (synonyms, definitions, xrefs, obsolescence). This loader merges them
into one release of source "doid":

* The hierarchy comes from ``HumanDO.tsv`` only. The subset files do carry ``is_a`` lines, but a
  slim rewires them to the nearest ancestor inside the slim (DOID:106 is_a DOID:104 in the cancer
  slim, DOID:0050598 in the full ontology), so they are ignored.
* Parent labels resolve against ``HumanDO.tsv`` labels first, then against the names of live terms
  of the subsets: ``HumanDO.tsv`` leaves out the root "disease" (DOID:4), which has no parent, but
  the subsets define it. An unresolvable or ambiguous label is a warning, and the parent is dropped.
* Terms of the subsets absent from ``HumanDO.tsv`` are kept: obsolete ones (their ``replaced_by``
  redirects old identifiers met in mappings and corpora), and live ones with a warning (in the 2026
  files only the root). Cross-references of terms that no file defines are warnings.
* The subsets' ``property_value: skos:*Match`` annotations become the release's ``mappings``.
* Version: ``spec.version``, else the date of the subsets' ``data-version`` header
  (``doid/releases/2026-07-31/subsets/...`` → ``2026-07-31``; the latest, with a warning, if the
  subsets disagree), else the first 12 hex digits of the sha256 of ``HumanDO.tsv``.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ontologies.curie import curie_to_iri, is_curie, normalise_curie
from ontologies.errors import Errors, OntologyFormatError
from ontologies.loaders._support import WarningLog, content_hash, decode_utf8, read_bytes
from ontologies.loaders.obo import load_obo, obo_header, version_from_data_version
from ontologies.model import (
    Concept,
    Definition,
    Label,
    Mapping,
    MappingPredicate,
    OntologyRelease,
    Relation,
    Release,
    Synonym,
)
from ontologies.spec import SourceSpec


@dataclass
class _Merged:
    """One DOID term as the report rows and subset stanzas describe it; dicts as ordered sets."""

    curie: str
    label: str | None = None
    in_report: bool = False
    parent_labels: list[tuple[int, str]] = field(default_factory=list)  # (line, label)
    parents: list[str] = field(default_factory=list)
    synonyms: dict[Synonym, None] = field(default_factory=dict)
    definitions: dict[Definition, None] = field(default_factory=dict)
    relations: dict[Relation, None] = field(default_factory=dict)
    xrefs: dict[str, None] = field(default_factory=dict)  # object CURIEs
    obsolete: bool = False
    replaced_by: dict[str, None] = field(default_factory=dict)

    def to_concept(self, source: str, lang: str) -> Concept:
        return Concept(
            curie=self.curie,
            iri=curie_to_iri(self.curie),
            source=source,
            labels=(Label(self.label, lang),) if self.label else (),
            synonyms=tuple(self.synonyms),
            definitions=tuple(self.definitions),
            parents=tuple(self.parents),
            relations=tuple(self.relations),
            xrefs=tuple(Mapping(self.curie, MappingPredicate.XREF, xref, source) for xref in self.xrefs),
            obsolete=self.obsolete,
            replaced_by=tuple(self.replaced_by),
        )


def load_doid_reports(spec: SourceSpec) -> OntologyRelease:
    """Read ``HumanDO.tsv`` (``spec.path``) with ``extras["subsets"]`` and ``extras["xrefs"]``.

    Args:
        spec: ``path`` is HumanDO.tsv; ``extras["subsets"]`` the subset OBO files and
            ``extras["xrefs"]`` allXREFinDO.tsv, both optional. Source id defaults to "doid".

    Returns:
        One release merging the three (rules in the module docstring), with its warnings.

    Raises:
        OntologyFormatError: a missing or undecodable file, a header lacking the expected columns,
            a row with another number of columns than its header, an id that is not a CURIE, or
            any error ``load_obo`` raises on a subset file.
    """
    source = spec.source_id or "doid"
    lang = spec.languages[0] if spec.languages else "en"
    warnings = WarningLog()
    terms: dict[str, _Merged] = {}
    report_bytes = _read_report(spec.path, terms)
    subsets = spec.extras.get("subsets", ())
    mappings: dict[Mapping, None] = {}  # skos:*Match annotations of the subsets, once each
    for path in subsets:
        subset = load_obo(
            SourceSpec(format="obo", path=path, source_id=source, version="-", languages=(lang,))
        )
        for message in subset.warnings:  # already summarised by load_obo: kept as they are
            warnings.add(message, message)
        for concept in subset.concepts:
            _merge_subset_concept(terms, concept, path, warnings)
        mappings.update(dict.fromkeys(subset.mappings))
    _resolve_parents(terms, spec.path, warnings)
    xref_files = spec.extras.get("xrefs", ())
    for path in xref_files:
        _read_xrefs(path, terms, warnings)
    live_extra = [term.curie for term in terms.values() if not term.in_report and not term.obsolete]
    if live_extra:
        warnings.add(
            "live terms absent from report",
            f"{spec.path}: {len(live_extra)} live terms of the subsets are absent from it"
            f" ({', '.join(live_extra[:5])}); kept",
        )
    concepts = tuple(term.to_concept(source, lang) for term in terms.values())
    prefixes = Counter(concept.curie.partition(":")[0] for concept in concepts).most_common(1)
    release = Release(
        source=source,
        version=spec.version or _subsets_version(subsets, warnings) or content_hash(report_bytes),
        name=spec.name,
        licence=spec.licence,
        languages=spec.languages or (lang,),
        prefixes=tuple(prefix for prefix, _ in prefixes),
        files=tuple(str(path) for path in (spec.path, *subsets, *xref_files)),
    )
    return OntologyRelease(
        release=release, concepts=concepts, mappings=tuple(mappings), warnings=warnings.messages()
    )


def _read_tsv(
    path: Path, required: tuple[str, ...]
) -> tuple[bytes, dict[str, int], list[tuple[int, list[str]]]]:
    """Raw bytes, column index by name and (line, cells) rows of a quoted TSV; checks its shape."""
    data = read_bytes(path)
    text = decode_utf8(data, path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    rows = [(reader.line_num, cells) for cells in reader if any(cell.strip() for cell in cells)]
    header_cells = rows[0][1] if rows else []
    header = {name.strip(): index for index, name in enumerate(header_cells)}
    if not rows or not all(column in header for column in required):
        detail = f"columns {list(header)}"
        message = Errors.E003.format(what="header", detail=detail, expected=f"columns {list(required)}")
        raise OntologyFormatError(message, path=path, line=1)
    for line, cells in rows[1:]:
        if len(cells) != len(header_cells):
            expected = f"{len(header_cells)} tab-separated columns as in the header"
            message = Errors.E003.format(what="row", detail=f"{len(cells)} columns", expected=expected)
            raise OntologyFormatError(message, path=path, line=line)
    return data, header, rows[1:]


def _curie_cell(value: str, path: Path, line: int, column: str) -> str:
    value = value.strip()
    if not is_curie(value):
        detail = f"{column} {value!r}"
        message = Errors.E003.format(what="identifier", detail=detail, expected="a CURIE such as DOID:4")
        raise OntologyFormatError(message, path=path, line=line)
    return normalise_curie(value)


def _read_report(path: Path, terms: dict[str, _Merged]) -> bytes:
    data, col, rows = _read_tsv(path, ("id", "label", "subClassOf"))
    for line, cells in rows:
        curie = _curie_cell(cells[col["id"]], path, line, "id")
        term = terms.get(curie)
        if term is None:
            term = terms[curie] = _Merged(curie, label=cells[col["label"]].strip() or None, in_report=True)
        parent = cells[col["subClassOf"]].strip()
        if parent:
            term.parent_labels.append((line, parent))
    return data


def _merge_subset_concept(
    terms: dict[str, _Merged], concept: Concept, path: Path, warnings: WarningLog
) -> None:
    term = terms.get(concept.curie)
    name = concept.labels[0].text if concept.labels else None
    if term is None:
        term = terms[concept.curie] = _Merged(concept.curie, label=name)
    elif name and term.label and name != term.label and term.in_report:
        warnings.add(
            "label differs",
            f"{path}: {concept.curie} is named {name!r} here, {term.label!r} in the report;"
            " kept the report's",
        )
    term.label = term.label or name
    term.synonyms.update(dict.fromkeys(concept.synonyms))
    term.definitions.update(dict.fromkeys(concept.definitions))
    term.relations.update(dict.fromkeys(concept.relations))
    term.xrefs.update(dict.fromkeys(mapping.object for mapping in concept.xrefs))
    term.obsolete = term.obsolete or concept.obsolete
    term.replaced_by.update(dict.fromkeys(concept.replaced_by))


def _resolve_parents(terms: dict[str, _Merged], path: Path, warnings: WarningLog) -> None:
    report_labels: dict[str, list[str]] = {}
    other_labels: dict[str, list[str]] = {}
    for term in terms.values():
        if term.label and not term.obsolete:
            (report_labels if term.in_report else other_labels).setdefault(term.label, []).append(term.curie)
    for term in terms.values():
        for line, label in term.parent_labels:
            matches = report_labels.get(label) or other_labels.get(label) or []
            if len(matches) == 1:
                if matches[0] not in term.parents:
                    term.parents.append(matches[0])
                continue
            problem = "matches no label" if not matches else f"is ambiguous ({', '.join(matches)})"
            warnings.add(
                "unresolved parent",
                f"{path}:{line}: parent {label!r} of {term.curie} {problem}; parent left out",
            )


def _read_xrefs(path: Path, terms: dict[str, _Merged], warnings: WarningLog) -> None:
    _, col, rows = _read_tsv(path, ("id", "xref"))
    unknown: list[str] = []
    for line, cells in rows:
        curie = _curie_cell(cells[col["id"]], path, line, "id")
        value = cells[col["xref"]].strip()
        if not is_curie(value):
            warnings.add("xref not a CURIE", f"{path}:{line}: xref {value!r} is not a CURIE; skipped")
            continue
        term = terms.get(curie)
        if term is None:
            unknown.append(curie)
            continue
        term.xrefs.setdefault(normalise_curie(value), None)
    if unknown:
        warnings.add(
            "xrefs of unknown terms",
            f"{path}: {len(unknown)} rows name terms no other file defines"
            f" ({', '.join(dict.fromkeys(unknown[:5]))}); skipped",
        )


def _subsets_version(paths: tuple[Path, ...], warnings: WarningLog) -> str | None:
    versions = {
        version
        for path in paths
        if (version := version_from_data_version(obo_header(path).get("data-version"))) is not None
    }
    if len(versions) > 1:
        warnings.add(
            "subset versions differ", f"subsets name several versions {sorted(versions)}; kept the latest"
        )
    return max(versions) if versions else None
