"""The FHIR R4 reader: DocumentReference and DiagnosticReport entries of Bundles become documents."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from nlp.documents import DocumentRecord, Reject, read_documents

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures" / "documents" / "fhir"
VALID = FIXTURES / "bundle_valid.json"
INVALID = FIXTURES / "bundle_invalid.json"


def _items(path: Path, **options: object) -> list[DocumentRecord | Reject]:
    return list(read_documents(path, format="fhir", **options))  # type: ignore[arg-type]


def _record(path: Path, record_id: str) -> DocumentRecord:
    [record] = [item for item in _items(path) if isinstance(item, DocumentRecord) and item.id == record_id]
    return record


def _bundle(tmp_path: Path, *resources: dict[str, object]) -> Path:
    path = tmp_path / "b.json"
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": r} for r in resources]}
    path.write_text(json.dumps(bundle))
    return path


def _doc(resource_id: str, data: bytes, content_type: str = "text/plain") -> dict[str, object]:
    attachment = {"contentType": content_type, "data": base64.b64encode(data).decode()}
    return {
        "resourceType": "DocumentReference",
        "id": resource_id,
        "status": "current",
        "content": [{"attachment": attachment}],
    }


def test_valid_bundle_yields_documents_in_entry_order() -> None:
    assert [(item.id, item.origin) for item in _items(VALID) if isinstance(item, DocumentRecord)] == [
        ("DocumentReference/docref-001", "bundle_valid.json#entry[2]"),
        ("DiagnosticReport/diag-001", "bundle_valid.json#entry[3]"),
        ("DocumentReference/docref-002", "bundle_valid.json#entry[4]"),
    ]


def test_valid_bundle_has_no_reject() -> None:
    assert not [item for item in _items(VALID) if isinstance(item, Reject)]


def test_document_reference_base64_text_and_fields() -> None:
    record = _record(VALID, "DocumentReference/docref-001")
    assert record.text == "Patiente de 54 ans. Pas de fièvre. Dyspnée en amélioration sous diurétiques."
    assert (record.patient_id, record.type, record.date) == (
        "pat-001",
        "Progress note",
        "2024-03-02T09:30:00+01:00",
    )
    assert (record.lang, record.title) == ("fr", "Note d'évolution")
    assert dict(record.metadata) == {
        "fhir_resource_type": "DocumentReference",
        "fhir_id": "docref-001",
        "encounter_id": "enc-001",
        "status": "current",
    }


def test_charset_from_content_type_and_non_text_attachment_skipped() -> None:
    record = _record(VALID, "DocumentReference/docref-002")
    assert record.text == "Sortie à domicile, traitement inchangé."
    assert record.type == "18842-5"  # no display: the code


def test_diagnostic_report_narrative_and_fields() -> None:
    record = _record(VALID, "DiagnosticReport/diag-001")
    assert record.text == "Scanner thoracique\nÉpanchement pleural droit de faible abondance & pas d'embolie."
    # subject is a urn:uuid reference, resolved through the Patient entry's fullUrl.
    assert (record.patient_id, record.type, record.title) == ("pat-001", "Chest CT", "Scanner thoracique")
    assert record.date == "2024-03-03T14:00:00+01:00"  # effectiveDateTime before issued
    assert record.metadata["encounter_id"] == "enc-001"


def test_issued_is_the_date_without_effective(tmp_path: Path) -> None:
    report: dict[str, object] = {
        "resourceType": "DiagnosticReport",
        "id": "r1",
        "status": "final",
        "code": {"text": "Biologie"},
        "issued": "2024-01-02T03:04:05Z",
        "conclusion": "Bilan normal.",
    }
    [record] = _items(_bundle(tmp_path, report))
    assert isinstance(record, DocumentRecord)
    assert (record.date, record.text, record.type) == ("2024-01-02T03:04:05Z", "Bilan normal.", "Biologie")


def test_invalid_resources_are_rejected_and_the_bundle_goes_on() -> None:
    assert _items(INVALID) == [
        Reject(
            "bundle_invalid.json#entry[1]",
            "Invalid FHIR DocumentReference resource (id 'docref-bad'): status: "
            "Value for the field 'status' is required.",
            "docref-bad",
        ),
        Reject(
            "bundle_invalid.json#entry[2]",
            "Invalid FHIR Encounter resource (id 'enc-bad'): colour: Extra inputs are not permitted.",
            "enc-bad",
        ),
        _record(INVALID, "DocumentReference/docref-003"),
        Reject(
            "bundle_invalid.json#entry[4]",
            "No inline text in FHIR DocumentReference: "
            "no base64 text/plain attachment, narrative or conclusion.",
            "DocumentReference/docref-url",
        ),
        Reject(
            "bundle_invalid.json#entry[5]",
            "Undecodable bytes (not UTF-8) at byte 2: 0xe8 invalid continuation byte.",
            "DocumentReference/docref-latin1",
        ),
    ]


def test_folder_reads_every_bundle_sorted() -> None:
    origins = [item.origin for item in _items(FIXTURES)]
    assert origins[0].startswith("bundle_invalid.json#") and origins[-1].startswith("bundle_valid.json#")
    assert len(origins) == 8


def test_ndjson_of_bundles(tmp_path: Path) -> None:
    bundle = json.loads(VALID.read_text())
    path = tmp_path / "bundles.ndjson"
    path.write_text(json.dumps(bundle) + "\n\n" + json.dumps({**bundle, "entry": bundle["entry"][:1]}) + "\n")
    assert [item.origin for item in _items(path)] == [
        "bundles.ndjson:1#entry[2]",
        "bundles.ndjson:1#entry[3]",
        "bundles.ndjson:1#entry[4]",
    ]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"{not json", "Invalid JSON: Expecting property name enclosed in double quotes at line 1 column 2."),
        (b"[1, 2]", "Malformed record: not a JSON object."),
        (b'{"resourceType": "Bundle", "entry": {}}', "Malformed record: Bundle.entry is not a list."),
        (
            b'{"resourceType": "Bundle", "id": "caf\xe9"}',
            "Undecodable bytes (not UTF-8) at byte 37: 0xe9 invalid continuation byte.",
        ),
    ],
)
def test_unreadable_bundle(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert _items(path) == [Reject("bad.json", reason)]


def test_unknown_resource_type(tmp_path: Path) -> None:
    [reject] = _items(_bundle(tmp_path, {"resourceType": "Nonsense", "id": "n"}))
    assert reject == Reject(
        "b.json#entry[0]", "Invalid FHIR Nonsense resource (id 'n'): unknown resourceType.", "n"
    )


def test_duplicate_document_id(tmp_path: Path) -> None:
    items = _items(_bundle(tmp_path, _doc("d", b"One."), _doc("d", b"Two.")))
    assert items[1] == Reject(
        "b.json#entry[1]",
        "Duplicate id 'DocumentReference/d' (first read at b.json#entry[0]).",
        "DocumentReference/d",
    )


def test_text_over_the_limit(tmp_path: Path) -> None:
    [reject] = _items(_bundle(tmp_path, _doc("d", b"x" * 30)), max_chars=20)
    assert reject == Reject(
        "b.json#entry[0]", "Text too long: 30 characters, over the limit of 20.", "DocumentReference/d"
    )


def test_whitespace_text(tmp_path: Path) -> None:
    [reject] = _items(_bundle(tmp_path, _doc("d", b" \n ")))
    assert reject == Reject("b.json#entry[0]", "Empty text (nothing but whitespace).", "DocumentReference/d")


def test_bad_base64(tmp_path: Path) -> None:
    doc = _doc("d", b"ok")
    doc["content"] = [{"attachment": {"contentType": "text/plain", "data": "%%%"}}]
    [reject] = _items(_bundle(tmp_path, doc))
    assert reject == Reject(
        "b.json#entry[0]", "Malformed record: attachment data is not valid base64.", "DocumentReference/d"
    )


def test_unknown_charset(tmp_path: Path) -> None:
    [reject] = _items(_bundle(tmp_path, _doc("d", b"ok", "text/plain; charset=x-nope")))
    assert reject == Reject(
        "b.json#entry[0]", "Malformed record: unknown charset 'x-nope'.", "DocumentReference/d"
    )


def test_lone_resource_file(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(_doc("solo", b"Texte seul.")))
    [record] = _items(path, lang="fr", source="dpi")
    assert isinstance(record, DocumentRecord)
    assert (record.id, record.origin, record.lang, record.source) == (
        "DocumentReference/solo",
        "doc.json#entry[0]",
        "fr",
        "dpi",
    )
