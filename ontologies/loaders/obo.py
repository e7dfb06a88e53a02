"""OBO flat files (1.2 and 1.4: HPO ``hp.obo``, DOID releases and subsets) into the common model.

A hand-written line parser: the OBO grammar needed here is small, and a dedicated parser reads the
10 MB ``hp.obo`` in well under a second without a dependency (fastobo/pronto are not installed).

Synonym types. The OBO scope (EXACT/NARROW/BROAD/RELATED) gives the type, except that an EXACT
synonym whose type name says ``layperson`` or ``abbreviation`` (also ``acronym`` and their OMO ids)
becomes LAYPERSON or ABBREVIATION. A non-EXACT scope wins over the type name ("Epilepsy" is a
RELATED layperson synonym of Seizure: calling it LAYPERSON would let it match as if exact). Synonyms
typed ``obsolete_synonym`` are kept, since older texts still use them, but downgraded to RELATED.
The type name, when there is one, is always kept in ``Synonym.source_type``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NoReturn

from ontologies.curie import curie_to_iri, is_curie, normalise_curie
from ontologies.errors import Errors, OntologyFormatError
from ontologies.loaders._support import WarningLog, content_hash, date_in, decode_utf8, read_bytes
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
    SynonymType,
)
from ontologies.spec import SourceSpec

_SCOPES: dict[str, SynonymType] = {
    "EXACT": SynonymType.EXACT,
    "NARROW": SynonymType.NARROW,
    "BROAD": SynonymType.BROAD,
    "RELATED": SynonymType.RELATED,
}
# OBO 1.2 spelled the scope in the tag; the value is then `"text" [xrefs]`.
_LEGACY_SYNONYM_TAGS: dict[str, str] = {
    "exact_synonym": "EXACT",
    "narrow_synonym": "NARROW",
    "broad_synonym": "BROAD",
    "related_synonym": "RELATED",
}
_TYPE_BY_NAME: dict[str, SynonymType] = {
    "layperson": SynonymType.LAYPERSON,
    "OMO:0003003": SynonymType.LAYPERSON,  # layperson synonym
    "abbreviation": SynonymType.ABBREVIATION,
    "acronym": SynonymType.ABBREVIATION,
    "OMO:0003000": SynonymType.ABBREVIATION,  # abbreviation
    "OMO:0003012": SynonymType.ABBREVIATION,  # acronym (DOID subsets)
}
_OBSOLETE_SYNONYM_TYPES = frozenset({"obsolete_synonym"})
# Tags a [Term] keeps; every other tag is validated as `tag: value` and dropped.
_KEPT_TAGS = frozenset(
    ("id", "name", "def", "synonym", "is_a", "relationship", "xref", "is_obsolete", "replaced_by")
) | {"property_value", *_LEGACY_SYNONYM_TAGS}
# `property_value: skos:exactMatch "ICD10CM:G40" xsd:string` (DOID): mappings with a stated predicate.
_SKOS_PREDICATES: dict[str, MappingPredicate] = {
    predicate.value: predicate for predicate in MappingPredicate if predicate.value.startswith("skos:")
}
_ESCAPES = {"n": "\n", "t": "\t", "W": " "}
_TYPEDEF_QUALIFIER_RE = re.compile(r'synonymtypedef="([^"]*)"')


def version_from_data_version(value: str | None) -> str | None:
    """The release version in an OBO ``data-version`` header.

    ``hp/releases/2025-01-16`` → ``2025-01-16``; ``doid/releases/2026-07-31/subsets/x.obo`` →
    ``2026-07-31``; a value without a date is returned as it is; None or blank → None.
    """
    if value is None or not value.strip():
        return None
    return date_in(value) or value.strip()


def obo_header(path: Path) -> dict[str, str]:
    """The header tags of an OBO file (first value of each), read up to the first stanza."""
    header: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", errors="replace") as handle:
        for raw in handle:
            line = raw.strip()
            if line.startswith("["):
                break
            tag, sep, value = line.partition(":")
            if sep and tag and tag not in header:
                header[tag] = value.strip()
    return header


def load_obo(spec: SourceSpec) -> OntologyRelease:
    """Read the OBO file ``spec.path`` into an OntologyRelease.

    Keeps [Term] stanzas (id, name, def, synonyms, is_a, relationship, xref, is_obsolete,
    replaced_by) and ``property_value: skos:*Match`` annotations, which become the release's
    ``mappings``; [Typedef] and [Instance] stanzas are skipped. Metadata in ``spec`` wins over the
    header: source id from ``ontology:`` (lower case, no ``.obo``), version from ``data-version:``
    and otherwise a hash of the file. Labels, definitions and synonyms take the first of
    ``spec.languages`` (default "en").

    Raises:
        OntologyFormatError: missing or undecodable file, a line that is not ``tag: value``, a
            stanza without id, a definition or synonym whose quoted text is malformed.
    """
    data = read_bytes(spec.path)
    text = decode_utf8(data, spec.path)
    lang = spec.languages[0] if spec.languages else "en"
    parser = _Parser(spec.path, lang)
    header = parser.parse(text)
    source = spec.source_id or _source_from_header(header.get("ontology"), spec.path)
    version = spec.version or version_from_data_version(header.get("data-version")) or content_hash(data)
    concepts = tuple(term.to_concept(source) for term in parser.terms.values())
    prefixes = Counter(concept.curie.partition(":")[0] for concept in concepts).most_common(1)
    release = Release(
        source=source,
        version=version,
        name=spec.name,
        licence=spec.licence,
        languages=spec.languages or (lang,),
        prefixes=tuple(prefix for prefix, _ in prefixes),
        files=(str(spec.path),),
    )
    mappings = tuple(
        Mapping(term.curie, predicate, target, source)
        for term in parser.terms.values()
        for predicate, target in term.matches
    )
    warnings = parser.warnings.messages()
    return OntologyRelease(release=release, concepts=concepts, mappings=mappings, warnings=warnings)


def _source_from_header(ontology: str | None, path: Path) -> str:
    # "hp.obo" → "hp"; "doid/subsets/DO_AGR_slim" (a subset of DOID) → "doid".
    name = (ontology or "").strip().split("/")[0].lower().removesuffix(".obo")
    return name or path.stem.lower()


@dataclass
class _Term:
    """A [Term] being read; several stanzas with one id are merged into it."""

    curie: str
    line: int
    names: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    synonyms: list[Synonym] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    xrefs: list[str] = field(default_factory=list)
    obsolete: bool = False
    replaced_by: list[str] = field(default_factory=list)
    matches: list[tuple[MappingPredicate, str]] = field(default_factory=list)
    lang: str = "en"

    def to_concept(self, source: str) -> Concept:
        return Concept(
            curie=self.curie,
            iri=curie_to_iri(self.curie),
            source=source,
            labels=tuple(Label(name, self.lang) for name in self.names[:1]),
            synonyms=tuple(self.synonyms),
            definitions=tuple(Definition(text, self.lang) for text in self.definitions),
            parents=tuple(self.parents),
            relations=tuple(self.relations),
            xrefs=tuple(Mapping(self.curie, MappingPredicate.XREF, xref, source) for xref in self.xrefs),
            obsolete=self.obsolete,
            replaced_by=tuple(self.replaced_by),
        )


class _Parser:
    """One pass over the lines; terms keyed by CURIE in file order."""

    def __init__(self, path: Path, lang: str) -> None:
        self.path = path
        self.lang = lang
        self.terms: dict[str, _Term] = {}
        self.warnings = WarningLog()

    def parse(self, text: str) -> dict[str, str]:
        """Read every line; returns the header tags (first value of each)."""
        header: dict[str, str] = {}
        stanza: str | None = None  # None while in the header
        stanza_line = 0
        entries: list[tuple[int, str, str]] = []
        for lineno, raw in enumerate(text.split("\n"), 1):
            line = raw.strip()
            if not line or line[0] == "!":
                continue
            if line[0] == "[":
                if not line.endswith("]"):
                    self._fail(lineno, "stanza header", line, "a header such as [Term]")
                self._end_stanza(stanza, stanza_line, entries)
                stanza, stanza_line, entries = line, lineno, []
                if stanza not in ("[Term]", "[Typedef]", "[Instance]"):
                    self.warnings.add(
                        "unknown stanza", f"{self.path}:{lineno}: unknown stanza {line}; skipped"
                    )
                continue
            tag, sep, value = line.partition(":")
            if not sep or not tag or " " in tag or "\t" in tag:
                self._fail(lineno, "line", line, "'tag: value'")
            if stanza is None:
                header.setdefault(tag, value.strip())
            elif stanza == "[Term]" and tag in _KEPT_TAGS:
                entries.append((lineno, tag, value.strip()))
        self._end_stanza(stanza, stanza_line, entries)
        return header

    def _fail(self, lineno: int, what: str, line: str, expected: str) -> NoReturn:
        detail = repr(line[:60])
        message = Errors.E003.format(what=what, detail=detail, expected=expected)
        raise OntologyFormatError(message, path=self.path, line=lineno)

    def _end_stanza(self, stanza: str | None, stanza_line: int, entries: list[tuple[int, str, str]]) -> None:
        if stanza != "[Term]":
            return
        ids = [(lineno, value) for lineno, tag, value in entries if tag == "id"]
        if not ids:
            raise OntologyFormatError(
                Errors.E004.format(what="'id:' tag in [Term]"), path=self.path, line=stanza_line
            )
        id_line, id_value = ids[0]
        curie = self._curie(id_value)
        if curie is None:
            self.warnings.add(
                "term id not a CURIE", f"{self.path}:{id_line}: term id {id_value!r} is not a CURIE; skipped"
            )
            return
        term = self.terms.get(curie)
        if term is None:
            term = self.terms[curie] = _Term(curie, stanza_line, lang=self.lang)
        else:
            self.warnings.add(
                "duplicate term",
                f"{self.path}:{stanza_line}: {curie} defined again (line {term.line}); merged",
            )
        for lineno, tag, value in entries:
            self._entry(term, lineno, tag, value)
        if not term.names:
            self.warnings.add("term without name", f"{self.path}:{stanza_line}: {curie} has no name")

    def _entry(self, term: _Term, lineno: int, tag: str, value: str) -> None:
        if tag == "synonym" or tag in _LEGACY_SYNONYM_TAGS:
            term.synonyms.append(self._synonym(lineno, tag, value))
        elif tag == "xref":
            self._xref(term, lineno, value)
        elif tag == "is_a":
            target = self._curie(_strip_trailing(value))
            if target is None:
                self.warnings.add("is_a target not a CURIE", f"{self.path}:{lineno}: is_a {value!r} skipped")
            else:
                term.parents.append(target)
        elif tag == "name":
            if term.names:
                self.warnings.add(
                    "several names", f"{self.path}:{lineno}: {term.curie} has another name; kept the first"
                )
            term.names.append(_unescape(value) if "\\" in value else value)
        elif tag == "def":
            text, _ = self._quoted(lineno, "definition", value)
            term.definitions.append(text)
        elif tag == "relationship":
            self._relationship(term, lineno, value)
        elif tag == "is_obsolete":
            term.obsolete = _strip_trailing(value).lower() == "true"
        elif tag == "property_value":
            self._skos_match(term, lineno, value)
        elif tag == "replaced_by":
            target = self._curie(_strip_trailing(value))
            if target is None:
                self.warnings.add(
                    "replaced_by not a CURIE", f"{self.path}:{lineno}: replaced_by {value!r} skipped"
                )
            else:
                term.replaced_by.append(target)

    @staticmethod
    def _curie(value: str) -> str | None:
        """The canonical CURIE of the first token of ``value``, or None when it is not one."""
        token = value.split(maxsplit=1)[0] if value else ""
        token = token.replace("\\:", ":")
        return _normalised(token)

    def _synonym(self, lineno: int, tag: str, value: str) -> Synonym:
        text, rest = self._quoted(lineno, "synonym", value)
        scope = _LEGACY_SYNONYM_TAGS.get(tag)
        type_name: str | None = None
        head = rest.split("[", 1)[0].split()
        if scope is None:
            if head:
                scope = head[0]
                type_name = head[1] if len(head) > 1 else None
            else:
                scope = "RELATED"  # the OBO 1.4 default when the scope is left out
        if type_name is None and "{" in rest:
            qualifier = _TYPEDEF_QUALIFIER_RE.search(rest)
            type_name = qualifier.group(1) if qualifier else None
        synonym_type = _SCOPES.get(scope)
        if synonym_type is None:
            self.warnings.add(
                "unknown synonym scope",
                f"{self.path}:{lineno}: unknown synonym scope {scope!r} (expected EXACT, NARROW, BROAD or"
                " RELATED); read as RELATED",
            )
            synonym_type = SynonymType.RELATED
        if type_name in _OBSOLETE_SYNONYM_TYPES:
            synonym_type = SynonymType.RELATED
        elif synonym_type is SynonymType.EXACT and type_name is not None:
            synonym_type = _TYPE_BY_NAME.get(type_name, synonym_type)
        return Synonym(text, self.lang, synonym_type, type_name)

    def _xref(self, term: _Term, lineno: int, value: str) -> None:
        token = _strip_trailing(value).split(maxsplit=1)[0] if value else ""
        token = token.replace("\\:", ":")
        if "://" in token:
            return  # a web link, not an identifier: nothing to map to
        curie = _normalised(token)
        if curie is None:
            self.warnings.add(
                "xref not a CURIE", f"{self.path}:{lineno}: xref {value!r} is not a CURIE; skipped"
            )
            return
        term.xrefs.append(curie)

    def _skos_match(self, term: _Term, lineno: int, value: str) -> None:
        parts = value.split()
        predicate = _SKOS_PREDICATES.get(parts[0]) if len(parts) >= 2 else None
        if predicate is None:
            return  # other annotations (dc:creator, IAO:0000233...) are not kept
        target = _normalised(parts[1].strip('"'))
        if target is None:
            self.warnings.add("match not a CURIE", f"{self.path}:{lineno}: {value!r} names no CURIE; skipped")
        else:
            term.matches.append((predicate, target))

    def _relationship(self, term: _Term, lineno: int, value: str) -> None:
        parts = _strip_trailing(value).split()
        target = self._curie(parts[1]) if len(parts) >= 2 else None
        if target is None:
            self.warnings.add(
                "malformed relationship",
                f"{self.path}:{lineno}: relationship {value!r} is not 'type CURIE'; skipped",
            )
            return
        term.relations.append(Relation(_snake(parts[0]), target))

    def _quoted(self, lineno: int, what: str, value: str) -> tuple[str, str]:
        """The unescaped text between the opening and closing quotes, and what follows."""
        if not value.startswith('"'):
            self._fail(lineno, what, value, "a double-quoted text")
        end = value.find('"', 1)
        if end != -1 and "\\" not in value[1:end]:
            return value[1:end], value[end + 1 :].strip()
        chars: list[str] = []
        i, size = 1, len(value)
        while i < size:
            char = value[i]
            if char == "\\" and i + 1 < size:
                chars.append(_ESCAPES.get(value[i + 1], value[i + 1]))
                i += 2
                continue
            if char == '"':
                return "".join(chars), value[i + 1 :].strip()
            chars.append(char)
            i += 1
        self._fail(lineno, what, value, "a closing double quote")


@lru_cache(maxsize=1 << 16)
def _normalised(token: str) -> str | None:
    # Memoised: is_a and xref targets repeat (HP:0000118 thousands of times), ids do not.
    return normalise_curie(token) if is_curie(token) else None


def _strip_trailing(value: str) -> str:
    """``value`` without its ``! comment`` and trailing ``{qualifiers}``."""
    if "!" in value:
        value = value.split("!", 1)[0]
    if "{" in value:
        value = value.split("{", 1)[0]
    return value.strip()


def _unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda match: _ESCAPES.get(match.group(1), match.group(1)), value)


def _snake(name: str) -> str:
    # "part_of", "has_part", "BFO:0000050" → "bfo_0000050", "located in" → "located_in".
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")
