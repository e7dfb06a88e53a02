"""Documents as UNWIND parameter rows: hash, conversion, aggregates, mention diff (no Neo4j)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from graph.documents import (
    DocumentRow,
    DocumentWriteReport,
    MentionDiff,
    MentionRow,
    aggregate_params,
    content_hash,
    diff_mentions,
    document_params,
    mention_params,
    metadata_json,
    signature_of,
    validate,
)
from graph.errors import InvalidDocument

TEXT = "Diabète de type 2. Pas de fièvre. Mère asthmatique."


def mention(start: int, end: int, *candidates: tuple[str, float], **qualifiers: Any) -> MentionRow:
    return MentionRow(start=start, end=end, text=TEXT[start:end], candidates=candidates, **qualifiers)


DIABETES = mention(0, 17, ("MONDO:0005148", 0.9), ("MONDO:0005015", 0.5), section="history")
FEVER = mention(26, 32, ("HP:0001945", 0.8), negated=True)
ASTHMA = mention(39, 50, ("MONDO:0004979", 0.7), family=True)
DOC = DocumentRow(
    id="doc-1",
    text=TEXT,
    patient_id="p-1",
    type="report",
    date="2024-03-01",
    lang="fr",
    title="Consultation",
    source="test",
    metadata={"ward": "B", "pages": 2, "urgent": False},
    pipeline_version="hs-0.1",
    terminology_version="mondo@2024-01",
    mentions=(DIABETES, FEVER, ASTHMA),
)


def test_fixture_offsets_cover_the_text() -> None:
    assert [m.text for m in DOC.mentions] == ["Diabète de type 2", "fièvre", "asthmatique"]


def test_content_hash_is_stable() -> None:
    assert content_hash(DOC) == content_hash(
        replace(DOC, metadata={"urgent": False, "pages": 2, "ward": "B"})
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"text": TEXT + " "},
        {"terminology_version": "mondo@2024-06"},
        {"pipeline_version": "hs-0.2"},
        {"metadata": {"ward": "C", "pages": 2, "urgent": False}},
        {"patient_id": "p-2"},
        {"date": "2024-03-02"},
        {"title": None},
    ],
)
def test_content_hash_changes_with_inputs(changes: dict[str, Any]) -> None:
    assert content_hash(replace(DOC, **changes)) != content_hash(DOC)


def test_content_hash_ignores_mentions() -> None:
    assert content_hash(replace(DOC, mentions=())) == content_hash(DOC)


def test_document_params() -> None:
    params = document_params(DOC)
    assert params["id"] == "doc-1"
    assert params["patient_id"] == "p-1"
    props = params["props"]
    assert props["hash"] == content_hash(DOC)
    assert json.loads(props["metadata"]) == {"ward": "B", "pages": 2, "urgent": False}
    assert props["mention_count"] == 3
    assert props["text"] == TEXT
    assert (props["type"], props["date"], props["lang"], props["title"], props["source"]) == (
        "report",
        "2024-03-01",
        "fr",
        "Consultation",
        "test",
    )


def test_metadata_json_sorts_keys() -> None:
    assert metadata_json({"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'


def test_mention_params_rank_candidates_and_carry_stub_fields() -> None:
    first = mention_params(DOC)[0]
    assert first["doc"] == "doc-1"
    assert first["props"]["section"] == "history"
    assert [(c["curie"], c["rank"], c["score"]) for c in first["candidates"]] == [
        ("MONDO:0005148", 0, 0.9),
        ("MONDO:0005015", 1, 0.5),
    ]
    assert first["candidates"][0]["source"] == "mondo"
    assert first["candidates"][0]["iri"].endswith("MONDO_0005148")


def test_aggregates_count_qualifiers_over_best_candidates() -> None:
    row = replace(
        DOC,
        mentions=(
            mention(0, 17, ("MONDO:0005148", 0.9)),
            mention(0, 17, ("MONDO:0005148", 0.95), historical=True),
            mention(0, 8, ("MONDO:0005148", 0.4), hypothetical=True),
            mention(26, 32, ("HP:0001945", 0.8), negated=True),
            mention(39, 50, ("MONDO:0004979", 0.7), family=True),
            mention(39, 50),  # no candidate: no aggregate
        ),
    )
    aggregates = {agg["curie"]: agg["props"] for agg in aggregate_params(row)}
    assert aggregates["MONDO:0005148"] == {
        "count": 3,
        "affirmed": 2,
        "negated": 0,
        "hypothetical": 1,
        "family": 0,
        "historical": 1,
        "best_score": 0.95,
    }
    assert aggregates["HP:0001945"]["affirmed"] == 0
    assert aggregates["HP:0001945"]["negated"] == 1
    assert aggregates["MONDO:0004979"]["family"] == 1
    assert set(aggregates) == {"MONDO:0005148", "HP:0001945", "MONDO:0004979"}


def test_aggregates_ignore_lower_ranked_candidates() -> None:
    curies = [agg["curie"] for agg in aggregate_params(DOC)]
    assert "MONDO:0005015" not in curies


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ([DIABETES, FEVER], [DIABETES, FEVER], MentionDiff(0, 0, 0)),
        ([DIABETES], [DIABETES, FEVER], MentionDiff(1, 0, 0)),
        ([DIABETES, FEVER], [FEVER], MentionDiff(0, 1, 0)),
        ([FEVER], [replace(FEVER, negated=False)], MentionDiff(0, 0, 1)),
        ([DIABETES], [replace(DIABETES, candidates=(("MONDO:0005015", 0.9),))], MentionDiff(0, 0, 1)),
        ([FEVER], [replace(FEVER, end=31, text=TEXT[26:31])], MentionDiff(1, 1, 0)),
        ([DIABETES], [replace(DIABETES, candidates=(("MONDO:0005148", 0.1),))], MentionDiff(0, 0, 0)),
    ],
)
def test_diff_mentions(before: list[MentionRow], after: list[MentionRow], expected: MentionDiff) -> None:
    result = diff_mentions([m.signature() for m in before], [m.signature() for m in after])
    assert result == expected


def test_signature_of_stored_mention_matches_row_signature() -> None:
    stored = {"start": 26, "end": 32, "curie": "HP:0001945", "negated": True, "hypothetical": False}
    assert signature_of(stored) == FEVER.signature()


def test_report_adds() -> None:
    total = DocumentWriteReport(1, 2, 3, 4, 5, 6) + DocumentWriteReport(1, 1, 1, 1, 1, 1)
    assert total == DocumentWriteReport(2, 3, 4, 5, 6, 7)


def test_valid_document_passes() -> None:
    validate(DOC)
    validate(replace(DOC, date="2024-03-01T10:30:00+01:00"))


@pytest.mark.parametrize(
    "changes",
    [
        {"id": ""},
        {"date": "01/03/2024"},
        {"metadata": {"nested": {"a": 1}}},
        {"mentions": (MentionRow(0, 200, "x", ()),)},
        {"mentions": (MentionRow(5, 5, "", ()),)},
        {"mentions": (MentionRow(0, 3, "xyz", ()),)},
        {"mentions": (mention(0, 3, ("nocurie", 1.0)),)},
    ],
)
def test_invalid_documents_are_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidDocument):
        validate(replace(DOC, **changes))
