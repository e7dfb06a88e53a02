"""FHIR R4 Bundles to ``DocumentRecord``s: DocumentReference and DiagnosticReport become documents.

Resources are validated with ``fhir.resources`` (8.x, its ``R4B`` models: for Patient, Encounter,
DocumentReference and DiagnosticReport, R4B is R4 4.0.1 unchanged). Validation is per entry, so
that one invalid resource is a ``Reject`` (bundle file, entry index, resource id) and the rest of
the bundle goes on. Fields are then read from the validated JSON: library models stay here.

Inputs: one Bundle per ``.json`` file, a folder of them, or ``.ndjson`` files of one Bundle a line.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Iterator
from email.message import Message
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from nlp.documents._common import Options, SeenIds, check_text, decode
from nlp.documents.errors import Reasons
from nlp.documents.model import DocumentRecord, MetadataValue, Reject

logger = logging.getLogger(__name__)

DOCUMENT_TYPES = ("DocumentReference", "DiagnosticReport")
_SUFFIXES = (".json", ".ndjson")
_MAX_ERRORS = 3  # validation errors quoted in a reason


def read_fhir(path: Path, options: Options) -> Iterator[DocumentRecord | Reject]:
    """Stream the documents of the Bundles in ``path`` (a file or a folder of ``.json``/``.ndjson``)."""
    seen = SeenIds()
    root = path.parent if path.is_file() else path
    files = [path] if path.is_file() else sorted(f for f in path.rglob("*") if f.suffix in _SUFFIXES)
    for file in files:
        name = file.relative_to(root).as_posix()
        if file.suffix == ".ndjson":
            with file.open("rb") as lines:
                for number, raw in enumerate(lines, start=1):
                    if raw.strip():
                        yield from _read_bundle(raw, f"{name}:{number}", options, seen)
        else:
            yield from _read_bundle(file.read_bytes(), name, options, seen)


def _read_bundle(
    data: bytes, origin: str, options: Options, seen: SeenIds
) -> Iterator[DocumentRecord | Reject]:
    text = decode(data, origin=origin)
    if isinstance(text, Reject):
        yield text
        return
    try:
        bundle: Any = json.loads(text)
    except json.JSONDecodeError as error:
        detail = f"{error.msg} at line {error.lineno} column {error.colno}"
        yield Reject(origin, Reasons.R006.format(detail=detail))
        return
    if not isinstance(bundle, dict):
        yield Reject(origin, Reasons.R009.format(detail="not a JSON object"))
        return
    if bundle.get("resourceType") != "Bundle":
        # A lone resource file: read it as a one-entry bundle.
        bundle = {"resourceType": "Bundle", "entry": [{"resource": bundle}]}
    entries = bundle.get("entry")
    entries = [] if entries is None else entries
    if not isinstance(entries, list):
        yield Reject(origin, Reasons.R009.format(detail="Bundle.entry is not a list"))
        return
    valid: list[tuple[int, dict[str, Any]]] = []
    aliases: dict[str, str] = {}  # fullUrl (urn:uuid:...) -> "Type/id"
    for index, entry in enumerate(entries):
        where = f"{origin}#entry[{index}]"
        resource = entry.get("resource") if isinstance(entry, dict) else None
        checked = _validate(resource, where)
        if isinstance(checked, Reject):
            yield checked
            continue
        resource = checked
        valid.append((index, resource))
        full_url = entry.get("fullUrl")
        if isinstance(full_url, str) and resource.get("id"):
            aliases[full_url] = f"{resource['resourceType']}/{resource['id']}"
    for index, resource in valid:
        if resource["resourceType"] in DOCUMENT_TYPES:
            yield _document(resource, f"{origin}#entry[{index}]", aliases, options, seen)


def _validate(resource: object, where: str) -> dict[str, Any] | Reject:
    """The resource, once ``fhir.resources`` (R4B) accepts it, else a ``Reject`` saying why."""
    if not isinstance(resource, dict):
        return Reject(where, Reasons.R009.format(detail="entry has no resource object"))
    resource_type = resource.get("resourceType")
    resource_id = resource.get("id") if isinstance(resource.get("id"), str) else None
    try:
        model = get_fhir_model_class(str(resource_type))
    except (KeyError, ValueError):
        reason = Reasons.R007.format(
            resource_type=resource_type, resource_id=resource_id, detail="unknown resourceType"
        )
        return Reject(where, reason, resource_id)
    try:
        model.model_validate(resource)
    except ValidationError as error:
        # include_input=False: the invalid values may be document text.
        problems = error.errors(include_url=False, include_input=False)
        detail = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc']) or '(resource)'}: {problem['msg'].rstrip('.')}"
            for problem in problems[:_MAX_ERRORS]
        )
        if len(problems) > _MAX_ERRORS:
            detail += f" (+{len(problems) - _MAX_ERRORS} more)"
        reason = Reasons.R007.format(resource_type=resource_type, resource_id=resource_id, detail=detail)
        return Reject(where, reason, resource_id)
    return resource


def _document(
    resource: dict[str, Any], origin: str, aliases: dict[str, str], options: Options, seen: SeenIds
) -> DocumentRecord | Reject:
    resource_type: str = resource["resourceType"]
    raw_id = resource.get("id")
    if not raw_id:
        return Reject(origin, Reasons.R003)
    # "Type/id": DocumentReference/1 and DiagnosticReport/1 are different documents.
    record_id = f"{resource_type}/{raw_id}"
    is_reference = resource_type == "DocumentReference"
    attachments = [c.get("attachment", {}) for c in resource.get("content", [])] if is_reference else []
    attachments += resource.get("presentedForm", [])
    texts: list[str] = []
    for attachment in attachments:
        text = _attachment_text(attachment, origin, record_id)
        if isinstance(text, Reject):
            return text
        if text is not None:
            texts.append(text)
    if not texts:
        narrative = _narrative_text(resource)
        conclusion = resource.get("conclusion")
        texts = [narrative] if narrative else [conclusion] if isinstance(conclusion, str) else []
    if not texts:
        detail = "no base64 text/plain attachment, narrative or conclusion"
        return Reject(origin, Reasons.R011.format(resource_type=resource_type, detail=detail), record_id)
    text = "\n\n".join(texts)
    problem = check_text(text, origin=origin, record_id=record_id, max_chars=options.max_chars)
    if problem is None:
        problem = seen.check(record_id, origin)
    if problem is not None:
        return problem
    code = resource.get("type") if is_reference else resource.get("code")
    metadata: dict[str, MetadataValue] = {"fhir_resource_type": resource_type, "fhir_id": str(raw_id)}
    encounters = [c.get("encounter") for c in [resource.get("context", {})]] if is_reference else []
    encounter = encounters[0][0] if encounters and encounters[0] else resource.get("encounter")
    encounter_id = _reference_id(encounter, aliases, "Encounter")
    if encounter_id:
        metadata["encounter_id"] = encounter_id
    if isinstance(resource.get("status"), str):
        metadata["status"] = resource["status"]
    first = attachments[0] if attachments else {}
    return DocumentRecord(
        id=record_id,
        text=text,
        patient_id=_reference_id(resource.get("subject"), aliases, "Patient"),
        type=_coding_label(code),
        date=resource.get("date") or resource.get("effectiveDateTime") or resource.get("issued"),
        lang=first.get("language") or resource.get("language") or options.lang,
        title=first.get("title") or resource.get("description") or _text_of(resource.get("code")),
        source=options.source,
        metadata=metadata,
        origin=origin,
    )


def _attachment_text(attachment: dict[str, Any], origin: str, record_id: str) -> str | Reject | None:
    """The inline text of a ``text/plain`` attachment (charset from contentType), else None."""
    content_type = attachment.get("contentType") or ""
    data = attachment.get("data")
    if not data:
        return None
    header = Message()
    header["content-type"] = content_type
    if header.get_content_type() != "text/plain":
        return None
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return Reject(origin, Reasons.R009.format(detail="attachment data is not valid base64"), record_id)
    charset = header.get_content_charset() or "utf-8"
    try:
        return decode(raw, origin=origin, record_id=record_id, encoding=charset)
    except LookupError:
        return Reject(origin, Reasons.R009.format(detail=f"unknown charset {charset!r}"), record_id)


class _DivText(HTMLParser):
    """Plain text of an XHTML narrative ``div``: tags dropped, block ends as newlines."""

    _BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")
        elif tag in {"td", "th"}:
            self.parts.append("\t")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _narrative_text(resource: dict[str, Any]) -> str | None:
    div = (resource.get("text") or {}).get("div")
    if not isinstance(div, str):
        return None
    parser = _DivText()
    parser.feed(div)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    text = "\n".join(line for line in lines if line)
    return text or None


def _reference_id(reference: object, aliases: dict[str, str], resource_type: str) -> str | None:
    """The id in a ``Reference`` (``"Patient/123"``, or a bundle ``urn:uuid:`` fullUrl), else None."""
    if not isinstance(reference, dict) or not isinstance(reference.get("reference"), str):
        return None
    ref: str = reference["reference"]
    target = aliases.get(ref, ref)
    kind, _, ident = target.rpartition("/")
    if kind.rsplit("/", 1)[-1] == resource_type and ident:
        return ident.split("/_history", 1)[0]
    return target


def _text_of(concept: object) -> str | None:
    """``text`` of a CodeableConcept (a DiagnosticReport's ``code.text`` serves as its title)."""
    text = concept.get("text") if isinstance(concept, dict) else None
    return text if isinstance(text, str) else None


def _coding_label(concept: object) -> str | None:
    """``coding[0].display``, else ``coding[0].code``, else ``text`` of a CodeableConcept."""
    if not isinstance(concept, dict):
        return None
    codings = concept.get("coding") or []
    if codings and isinstance(codings[0], dict):
        label = codings[0].get("display") or codings[0].get("code")
        if isinstance(label, str):
            return label
    text = concept.get("text")
    return text if isinstance(text, str) else None
