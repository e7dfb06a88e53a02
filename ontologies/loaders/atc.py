"""ATC codes with French drug names (``drugs.json`` as shipped by ``edsnlp``) into the common model.

The file is one JSON object: ATC code → list of names, e.g. ``"A10BA02": ["GLUCOPHAGE", "STAGID",
"metformine"]``. Upper-case names are brand names (specialités); the one lower-case name, when there
is one, is the substance (DCI) or, for group codes, the group's name ("preparations stomatologiques").
Accents are stripped in the source.

Decisions:

* Label(fr): the lower-case name (the substance or group name), else the first name; the others are
  EXACT synonyms, with ``source_type="brand"`` for upper-case names: a brand names one product of
  that substance, and search should find "Glucophage" under metformin.
* Hierarchy from the code structure: levels of 1, 3, 4, 5 and 7 characters (A10BA02 → A10BA → A10B →
  A10 → A), ``Concept.kind`` = ``atc-level-1`` … ``atc-level-5``. Levels the file lists take its names
  (21 level-4, 109 level-5 and one level-2 code); the others become concepts without labels, so that
  the tree is connected (labels for them would need the WHO ATC index, which is not here).
* A malformed code that becomes valid when a letter O in a digit position is read as zero
  (``JO5AX09`` in the edsnlp file) is corrected, its names merged with the correct code's, and
  reported in the warnings; any other malformed code is an error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ontologies.curie import curie_to_iri
from ontologies.errors import Errors, OntologyFormatError
from ontologies.loaders._support import WarningLog, content_hash, decode_utf8, read_bytes
from ontologies.model import Concept, Label, OntologyRelease, Release, Synonym
from ontologies.spec import SourceSpec

# Code length of each ATC level (1 anatomical group … 5 chemical substance).
LEVEL_LENGTHS = (1, 3, 4, 5, 7)
_CODE_RE = re.compile(r"^[A-Z](?:[0-9]{2}(?:[A-Z](?:[A-Z](?:[0-9]{2})?)?)?)?$")
_DIGIT_POSITIONS = (1, 2, 5, 6)


def atc_level(code: str) -> int:
    """The ATC level (1 to 5) of a well-formed code: ``A`` → 1, ``A10`` → 2, ``A10BA02`` → 5."""
    return LEVEL_LENGTHS.index(len(code)) + 1


def atc_ancestors(code: str) -> tuple[str, ...]:
    """The codes above ``code``, nearest first: ``A10BA02`` → (``A10BA``, ``A10B``, ``A10``, ``A``)."""
    return tuple(code[:length] for length in reversed(LEVEL_LENGTHS) if length < len(code))


def load_atc(spec: SourceSpec) -> OntologyRelease:
    """Read the ATC JSON ``spec.path`` (code → French names) into an OntologyRelease (source "atc").

    Raises:
        OntologyFormatError: missing file, invalid JSON (naming the line), a top level that is not an
            object, a value that is not a list of strings, or a malformed ATC code (naming the code and
            its line).
    """
    data = read_bytes(spec.path)
    text = decode_utf8(data, spec.path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as e:
        detail = f"{e.msg} (column {e.colno})"
        raise OntologyFormatError(
            Errors.E003.format(what="JSON", detail=detail, expected="a JSON object"),
            path=spec.path,
            line=e.lineno,
        ) from e
    if not isinstance(document, dict):
        raise _error(spec.path, text, None, "top level", type(document).__name__, "an object of code → names")
    log = WarningLog()
    names = _names_by_code(spec.path, text, document, log)
    source = spec.source_id or "atc"
    lang = spec.languages[0] if spec.languages else "fr"
    codes = set(names)
    for code in names:
        codes.update(atc_ancestors(code))
    concepts = tuple(_concept(code, names.get(code, []), source=source, lang=lang) for code in sorted(codes))
    release = Release(
        source=source,
        version=spec.version or content_hash(data),
        name=spec.name or "ATC",
        licence=spec.licence,
        languages=spec.languages or (lang,),
        prefixes=("ATC",),
        files=(str(spec.path),),
    )
    return OntologyRelease(release=release, concepts=concepts, warnings=log.messages())


def _names_by_code(
    path: Path, text: str, document: dict[str, object], log: WarningLog
) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for raw_code, value in document.items():
        if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
            raise _error(path, text, raw_code, "value", type(value).__name__, "a list of names (strings)")
        code = raw_code.strip().upper()
        if not _CODE_RE.match(code):
            fixed = _zero_for_letter_o(code)
            if fixed is None:
                expected = "an ATC code of 1, 3, 4, 5 or 7 characters such as A10BA02"
                raise _error(path, text, raw_code, "ATC code", repr(raw_code), expected)
            line = _line_of(text, raw_code)
            log.add(
                "corrected code",
                f"{path}:{line}: ATC code {raw_code!r} read as {fixed!r} (letter O for zero)",
            )
            code = fixed
        kept = names.setdefault(code, [])
        for name in value:
            if name.strip() and name.strip() not in kept:
                kept.append(name.strip())
    return names


def _zero_for_letter_o(code: str) -> str | None:
    chars = list(code)
    for position in _DIGIT_POSITIONS:
        if position < len(chars) and chars[position] == "O":
            chars[position] = "0"
    fixed = "".join(chars)
    return fixed if fixed != code and _CODE_RE.match(fixed) else None


def _concept(code: str, names: list[str], *, source: str, lang: str) -> Concept:
    generic = [name for name in names if name != name.upper()]
    label = generic[0] if generic else (names[0] if names else None)
    synonyms = tuple(
        Synonym(name, lang, source_type="brand" if name == name.upper() else None)
        for name in names
        if name != label
    )
    parents = atc_ancestors(code)[:1]
    return Concept(
        curie=f"ATC:{code}",
        iri=curie_to_iri(f"ATC:{code}"),
        source=source,
        labels=(Label(label, lang),) if label else (),
        synonyms=synonyms,
        parents=tuple(f"ATC:{parent}" for parent in parents),
        kind=f"atc-level-{atc_level(code)}",
    )


def _line_of(text: str, code: str) -> int:
    at = text.find(json.dumps(code))
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _error(
    path: Path, text: str, code: str | None, what: str, detail: str, expected: str
) -> OntologyFormatError:
    line = _line_of(text, code) if code is not None else 1
    message = Errors.E003.format(what=what, detail=detail, expected=expected)
    return OntologyFormatError(message, path=path, line=line, element=code)
