"""French (or any language's) HPO translations attached to an HPO release already loaded.

Two file kinds, told apart by their header:

* Babelon TSV (``hp-fr.babelon.tsv``): one row per translated label (``rdfs:label``) or definition
  (``IAO:0000115``), with ``translation_language`` and ``translation_status``. An OFFICIAL label
  becomes the preferred label in that language (the first one: 133 terms have several OFFICIAL
  rows); a further, different one becomes an EXACT synonym with ``source_type="OFFICIAL"``. A CANDIDATE
  label (a translation proposed, not yet reviewed) does not become the preferred label, which users
  see, but an EXACT synonym with ``source_type="CANDIDATE"`` so that search still finds the term.
  OFFICIAL definitions become Definitions; CANDIDATE definitions are left out, because a Definition
  carries no status and is shown as is.
* ROBOT-template synonyms (``hp-fr.synonyms.tsv``): ``subject_id``, ``translation_value``,
  ``Status``; the second line is the template row (``AL oboInOwl:hasExactSynonym@fr``), which gives
  the synonym scope and language (EXACT and "fr" when absent). A value may hold several synonyms
  separated by ``|``. Each becomes a Synonym with ``source_type`` = the Status.

In both kinds, rows with status NOT_TRANSLATED are skipped (their value is the English text), and a
text already present in the term's label or synonyms of that language is not added twice.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ontologies.curie import is_curie, normalise_curie
from ontologies.errors import Errors, OntologyFormatError
from ontologies.loaders._support import WarningLog, decode_utf8, read_bytes
from ontologies.model import Concept, Definition, Label, OntologyRelease, Synonym, SynonymType

_LABEL_PREDICATES = frozenset({"rdfs:label"})
_DEFINITION_PREDICATES = frozenset({"IAO:0000115"})
_SKIPPED_STATUSES = frozenset({"NOT_TRANSLATED"})
_BABELON_COLUMNS = ("subject_id", "predicate_id", "translation_language", "translation_value")
_SYNONYM_COLUMNS = ("subject_id", "translation_value", "Status")
_TEMPLATE_SCOPES: dict[str, SynonymType] = {
    "oboInOwl:hasExactSynonym": SynonymType.EXACT,
    "oboInOwl:hasNarrowSynonym": SynonymType.NARROW,
    "oboInOwl:hasBroadSynonym": SynonymType.BROAD,
    "oboInOwl:hasRelatedSynonym": SynonymType.RELATED,
}


@dataclass
class _Additions:
    """What the translation files add to one concept, and the (text, lang) pairs it already has."""

    labels: dict[str, str]  # lang -> preferred label text (existing or added)
    known: set[tuple[str, str]]  # (text, lang) of labels and synonyms, to add nothing twice
    new_labels: list[Label] = field(default_factory=list)
    synonyms: list[Synonym] = field(default_factory=list)
    definitions: list[Definition] = field(default_factory=list)


class _Translator:
    def __init__(self, release: OntologyRelease) -> None:
        self.by_curie = {concept.curie: concept for concept in release.concepts}
        self.additions: dict[str, _Additions] = {}
        self.languages: list[str] = []
        self.warnings = WarningLog()

    def _target(self, curie: str) -> _Additions:
        additions = self.additions.get(curie)
        if additions is None:
            concept = self.by_curie[curie]
            labels: dict[str, str] = {}
            for label in concept.labels:
                labels.setdefault(label.lang, label.text)
            known = {(label.text, label.lang) for label in concept.labels}
            known.update((synonym.text, synonym.lang) for synonym in concept.synonyms)
            additions = self.additions[curie] = _Additions(labels, known)
        return additions

    def label(self, curie: str, text: str, lang: str) -> None:
        additions = self._target(curie)
        if lang not in additions.labels:
            additions.labels[lang] = text
            additions.known.add((text, lang))
            additions.new_labels.append(Label(text, lang))
            self._language(lang)
        else:
            self.synonym(curie, Synonym(text, lang, SynonymType.EXACT, "OFFICIAL"))

    def synonym(self, curie: str, synonym: Synonym) -> None:
        additions = self._target(curie)
        key = (synonym.text, synonym.lang)
        if key not in additions.known:
            additions.known.add(key)
            additions.synonyms.append(synonym)
            self._language(synonym.lang)

    def definition(self, curie: str, text: str, lang: str) -> None:
        additions = self._target(curie)
        if all(d.text != text or d.lang != lang for d in additions.definitions):
            additions.definitions.append(Definition(text, lang))
            self._language(lang)

    def _language(self, lang: str) -> None:
        if lang not in self.languages:
            self.languages.append(lang)

    def concepts(self) -> tuple[Concept, ...]:
        out: list[Concept] = []
        for concept in self.by_curie.values():
            extra = self.additions.get(concept.curie)
            if extra is None:
                out.append(concept)
                continue
            out.append(
                dataclasses.replace(
                    concept,
                    labels=concept.labels + tuple(extra.new_labels),
                    synonyms=concept.synonyms + tuple(extra.synonyms),
                    definitions=concept.definitions + tuple(extra.definitions),
                )
            )
        return tuple(out)


def apply_translations(release: OntologyRelease, paths: Sequence[Path]) -> OntologyRelease:
    """A copy of ``release`` with the labels, definitions and synonyms of translation files.

    Args:
        release: the HPO release (from ``load_obo``) to translate.
        paths: Babelon TSV and/or ROBOT-template synonym TSV files, in any order (Babelon files are
            read first so that their preferred labels are known before synonyms are deduplicated).

    Returns:
        A new release whose ``languages`` gain the translation languages and ``files`` the paths;
        rows naming terms absent from ``release`` are counted in one warning per file.

    Raises:
        OntologyFormatError: a missing or undecodable file, an unknown header, a row whose number
            of columns differs from the header's.
    """
    translator = _Translator(release)
    tables = [_read_table(path) for path in paths]
    tables.sort(key=lambda table: table.kind != "babelon")
    for table in tables:
        if table.kind == "babelon":
            _apply_babelon(translator, table)
        else:
            _apply_synonyms(translator, table)
    meta = release.release
    languages = meta.languages + tuple(lang for lang in translator.languages if lang not in meta.languages)
    return dataclasses.replace(
        release,
        release=dataclasses.replace(meta, languages=languages, files=meta.files + tuple(map(str, paths))),
        concepts=translator.concepts(),
        warnings=release.warnings + translator.warnings.messages(),
    )


@dataclass
class _Table:
    path: Path
    kind: str  # "babelon" or "synonyms"
    header: dict[str, int]
    rows: list[tuple[int, list[str]]]  # (line number, cells)


def _read_table(path: Path) -> _Table:
    text = decode_utf8(read_bytes(path), path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    rows: list[tuple[int, list[str]]] = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((reader.line_num, cells))
    if not rows:
        raise OntologyFormatError(Errors.E004.format(what="header row"), path=path, line=1)
    header_line, header_cells = rows[0]
    header = {name.strip(): index for index, name in enumerate(header_cells)}
    if all(column in header for column in _BABELON_COLUMNS):
        kind = "babelon"
    elif all(column in header for column in _SYNONYM_COLUMNS):
        kind = "synonyms"
    else:
        detail = f"columns {list(header)}"
        expected = f"a Babelon header {list(_BABELON_COLUMNS)} or a synonym template {list(_SYNONYM_COLUMNS)}"
        message = Errors.E003.format(what="translation header", detail=detail, expected=expected)
        raise OntologyFormatError(message, path=path, line=header_line)
    for line, cells in rows[1:]:
        if len(cells) != len(header_cells):
            detail = f"{len(cells)} columns"
            expected = f"{len(header_cells)} tab-separated columns as in the header"
            message = Errors.E003.format(what="row", detail=detail, expected=expected)
            raise OntologyFormatError(message, path=path, line=line)
    return _Table(path, kind, header, rows[1:])


def _subject(translator: _Translator, value: str, unknown: list[str]) -> str | None:
    """The concept CURIE a row names, or None (recorded in ``unknown``) when the release lacks it."""
    value = value.strip()
    if value in translator.by_curie:  # the common case, without the cost of normalising
        return value
    curie = normalise_curie(value) if is_curie(value) else value
    if curie in translator.by_curie:
        return curie
    unknown.append(value)
    return None


def _warn_unknown(translator: _Translator, table: _Table, unknown: list[str]) -> None:
    if unknown:
        examples = ", ".join(unknown[:3])
        translator.warnings.add(
            f"unknown subjects {table.path}",
            f"{table.path}: {len(unknown)} rows name terms absent from the release"
            f" (e.g. {examples}); skipped",
        )


def _apply_babelon(translator: _Translator, table: _Table) -> None:
    col = table.header
    status_col = col.get("translation_status")
    unknown: list[str] = []
    for line, cells in table.rows:
        status = cells[status_col].strip() if status_col is not None else "OFFICIAL"
        text = cells[col["translation_value"]].strip()
        if status in _SKIPPED_STATUSES or not text:
            continue
        predicate = cells[col["predicate_id"]].strip()
        lang = cells[col["translation_language"]].strip()
        if not lang:
            translator.warnings.add(
                "no language", f"{table.path}:{line}: translation_language is empty; skipped"
            )
            continue
        curie = _subject(translator, cells[col["subject_id"]], unknown)
        if curie is None:
            continue
        if predicate in _LABEL_PREDICATES:
            if status == "OFFICIAL":
                translator.label(curie, text, lang)
            else:
                translator.synonym(curie, Synonym(text, lang, SynonymType.EXACT, status or None))
        elif predicate in _DEFINITION_PREDICATES:
            if status == "OFFICIAL":
                translator.definition(curie, text, lang)
        else:
            translator.warnings.add(
                "unknown predicate",
                f"{table.path}:{line}: predicate {predicate!r} is neither rdfs:label nor"
                " IAO:0000115; skipped",
            )
    _warn_unknown(translator, table, unknown)


def _apply_synonyms(translator: _Translator, table: _Table) -> None:
    col = table.header
    rows = table.rows
    scope, lang = SynonymType.EXACT, "fr"
    if rows and rows[0][1][col["subject_id"]].strip() == "ID":  # the ROBOT template row
        template = rows[0][1][col["translation_value"]].strip()
        scope, lang = _template_scope(template, default_scope=scope, default_lang=lang)
        rows = rows[1:]
    unknown: list[str] = []
    for _line, cells in rows:
        status = cells[col["Status"]].strip()
        if status in _SKIPPED_STATUSES:
            continue
        curie = _subject(translator, cells[col["subject_id"]], unknown)
        if curie is None:
            continue
        for text in cells[col["translation_value"]].split("|"):
            if text.strip():
                translator.synonym(curie, Synonym(text.strip(), lang, scope, status or None))
    _warn_unknown(translator, table, unknown)


def _template_scope(
    template: str, *, default_scope: SynonymType, default_lang: str
) -> tuple[SynonymType, str]:
    # "AL oboInOwl:hasExactSynonym@fr": AL = annotation with a language tag, then property@lang.
    prop = template.split()[-1] if template.split() else ""
    prop, _, lang = prop.partition("@")
    return _TEMPLATE_SCOPES.get(prop, default_scope), lang or default_lang
