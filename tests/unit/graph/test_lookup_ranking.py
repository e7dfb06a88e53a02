"""The pure parts of concept lookup: the Lucene query built from user text, and hit ranking."""

from __future__ import annotations

import re
from typing import Any

import pytest

from graph.concept_repository import (
    TIER_EXACT,
    TIER_FULLTEXT,
    TIER_PARTIAL,
    TIER_PREFIX,
    ConceptHit,
    MatchedTerm,
    loose_lucene_query,
    lucene_query,
    rank_hits,
)

# One clause per token: exact (boosted) OR prefix, plus fuzzy for tokens of 4+ characters.
_CLAUSE = re.compile(r"\((?P<token>\w+)\^3 OR (?P=token)\*(?: OR (?P=token)~[12])?\)")


def _tokens(query: str) -> list[str]:
    """The tokens of a query built by lucene_query; fails when a clause has any other shape."""
    # Clauses are joined with " AND " (all required) or with spaces, required ones marked "+".
    clauses = query.split(" AND ") if " AND " in query else re.split(r" (?=\+?\()", query)
    matches = [_CLAUSE.fullmatch(clause.removeprefix("+")) for clause in clauses]
    assert all(matches), query
    return [match["token"] for match in matches if match]


# --- lucene_query -------------------------------------------------------------------------------


def test_single_token_is_exact_prefix_or_fuzzy_with_one_edit() -> None:
    assert lucene_query("coeur") == "(coeur^3 OR coeur* OR coeur~1)"


def test_long_token_gets_two_edits_to_reach_its_stem() -> None:
    assert lucene_query("diabete") == "(diabete^3 OR diabete* OR diabete~2)"


@pytest.mark.parametrize("text", ["a", "de", "hta", "x1"])
def test_short_token_is_not_fuzzy(text: str) -> None:
    assert lucene_query(text) == f"({text}^3 OR {text}*)"


@pytest.mark.parametrize("text", ["toux", "covid", "2025"])
def test_four_characters_or_more_is_fuzzy(text: str) -> None:
    assert lucene_query(text) == f"({text}^3 OR {text}* OR {text}~1)"


def test_without_fuzzy_clauses_tokens_are_exact_or_prefix() -> None:
    assert lucene_query("diabete type", fuzzy=False) == "(diabete^3 OR diabete*) AND (type^3 OR type*)"
    assert lucene_query("carcinoma in situ", fuzzy=False) == (
        "+(carcinoma^3 OR carcinoma*) (in^3 OR in*) +(situ^3 OR situ*)"
    )


def test_loose_query_requires_no_word_and_leaves_out_short_ones() -> None:
    assert loose_lucene_query("spontaneous esophageal prforation of") == (
        "(spontaneous^3 OR spontaneous*) (esophageal^3 OR esophageal*) (prforation^3 OR prforation*)"
    )


@pytest.mark.parametrize("text", ["prforation", "prforation of the", "de la", ""])
def test_no_loose_query_under_two_long_words(text: str) -> None:
    assert loose_lucene_query(text) is None


def test_long_tokens_joined_with_and() -> None:
    assert lucene_query("diabete type") == (
        "(diabete^3 OR diabete* OR diabete~2) AND (type^3 OR type* OR type~1)"
    )


def test_short_tokens_alone_are_all_required() -> None:
    assert lucene_query("vit d") == "(vit^3 OR vit*) AND (d^3 OR d*)"


def test_short_tokens_beside_long_ones_are_optional() -> None:
    # "de" is a French stop word and "l" an elision: neither is indexed, so neither may be required.
    assert lucene_query("phalange de l'annulaire") == (
        "+(phalange^3 OR phalange* OR phalange~2) (de^3 OR de*) (l^3 OR l*) "
        "+(annulaire^3 OR annulaire* OR annulaire~2)"
    )


def test_text_folded_before_query() -> None:
    assert _tokens(lucene_query("Diabète  de Type-2") or "") == ["diabete", "de", "type", "2"]


@pytest.mark.parametrize("text", ["", "   ", "!!!", "-", "'", "( ) [ ] { }", "\t\n"])
def test_empty_or_punctuation_only_gives_none(text: str) -> None:
    assert lucene_query(text) is None


@pytest.mark.parametrize(
    "text",
    [
        'diabete" OR "x',
        "title:diabete",
        "diab*te",
        "diabete~2",
        "diabete^10",
        "+diabete -type",
        "diabete && type || (x)",
        "!diabete",
        "[a TO z]",
        "{a TO z}",
        "a\\b",
        "a/b",
        "a?b",
        "AND OR NOT",  # folded to lower case: plain terms, not operators
    ],
)
def test_no_lucene_special_character_survives(text: str) -> None:
    query = lucene_query(text)
    assert query is not None
    assert " ".join(_tokens(query)) == " ".join(re.findall(r"[0-9a-z]+", text.lower()))


# --- rank_hits ----------------------------------------------------------------------------------


def _row(
    curie: str,
    *,
    tier: int = TIER_EXACT,
    kind: str = "label",
    score: float | None = 1.0,
    text: str = "term",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "curie": curie,
        "label": f"label of {curie}",
        "source": "hpo",
        "obsolete": False,
        "text": text,
        "lang": "en",
        "type": kind,
        "tier": tier,
        "score": score,
        **extra,
    }


def _curies(hits: list[ConceptHit]) -> list[str]:
    return [hit.curie for hit in hits]


def test_tier_beats_term_type_and_score() -> None:
    rows = [
        _row("HP:2", tier=TIER_PREFIX, kind="label", score=100.0),
        _row("HP:1", tier=TIER_EXACT, kind="related", score=0.1),
        _row("HP:3", tier=TIER_FULLTEXT, kind="label", score=1000.0),
    ]
    assert _curies(rank_hits(rows, limit=10)) == ["HP:1", "HP:2", "HP:3"]


def test_term_type_beats_score() -> None:
    rows = [_row("HP:2", kind="exact", score=99.0), _row("HP:1", kind="label", score=0.1)]
    assert _curies(rank_hits(rows, limit=10)) == ["HP:1", "HP:2"]


@pytest.mark.parametrize(
    ("better", "worse"),
    [
        ("label", "exact"),
        ("exact", "abbreviation"),
        ("layperson", "narrow"),
        ("broad", "related"),
        ("related", "unknown"),
    ],
)
def test_term_type_order(better: str, worse: str) -> None:
    rows = [_row("HP:2", kind=worse), _row("HP:1", kind=better)]
    assert _curies(rank_hits(rows, limit=10)) == ["HP:1", "HP:2"]


def test_label_beats_related_synonym_within_a_tier() -> None:
    rows = [
        _row("HP:2", tier=TIER_FULLTEXT, kind="related", score=5.0),
        _row("HP:1", tier=TIER_FULLTEXT, kind="label", score=4.0),
    ]
    assert _curies(rank_hits(rows, limit=10)) == ["HP:1", "HP:2"]


def test_higher_score_first_within_tier_and_type() -> None:
    rows = [_row("HP:1", score=1.0), _row("HP:2", score=3.0), _row("HP:3", score=2.0)]
    assert _curies(rank_hits(rows, limit=10)) == ["HP:2", "HP:3", "HP:1"]


def test_shorter_text_first_on_equal_score() -> None:
    rows = [_row("HP:1", text="seizures"), _row("HP:2", text="seizure")]
    assert _curies(rank_hits(rows, limit=10)) == ["HP:2", "HP:1"]


def test_missing_score_counts_as_zero() -> None:
    rows = [_row("HP:1", score=None), _row("HP:2", score=0.5)]
    assert _curies(rank_hits(rows, limit=10)) == ["HP:2", "HP:1"]


def test_one_hit_per_concept() -> None:
    rows = [_row("HP:1", kind="related"), _row("HP:1", kind="label"), _row("HP:2")]
    assert _curies(rank_hits(rows, limit=10)) == ["HP:1", "HP:2"]


@pytest.mark.parametrize(
    "rows",
    [
        [_row("HP:1", tier=TIER_FULLTEXT, text="worse"), _row("HP:1", tier=TIER_EXACT, text="best")],
        [_row("HP:1", tier=TIER_EXACT, text="best"), _row("HP:1", tier=TIER_FULLTEXT, text="worse")],
        [_row("HP:1", kind="related", text="worse"), _row("HP:1", kind="label", text="best")],
        [_row("HP:1", score=1.0, text="worse"), _row("HP:1", score=2.0, text="best")],
    ],
    ids=["tier-later", "tier-first", "type", "score"],
)
def test_concept_keeps_its_best_hit(rows: list[dict[str, Any]]) -> None:
    (hit,) = rank_hits(rows, limit=10)
    assert hit.matched.text == "best"


@pytest.mark.parametrize(
    ("limit", "expected"), [(0, []), (1, ["HP:1"]), (2, ["HP:1", "HP:2"]), (9, ["HP:1", "HP:2", "HP:3"])]
)
def test_limit(limit: int, expected: list[str]) -> None:
    rows = [_row("HP:3", score=1.0), _row("HP:1", score=3.0), _row("HP:2", score=2.0)]
    assert _curies(rank_hits(rows, limit=limit)) == expected


def test_limit_counts_concepts_not_rows() -> None:
    rows = [_row("HP:1", score=3.0), _row("HP:1", score=2.9), _row("HP:2", score=1.0)]
    assert _curies(rank_hits(rows, limit=2)) == ["HP:1", "HP:2"]


def test_hit_fields() -> None:
    row = _row("HP:1", tier=TIER_PREFIX, kind="exact", score=1.234567, text="Fits", obsolete=True)
    assert rank_hits([row], limit=1) == [
        ConceptHit(
            curie="HP:1",
            label="label of HP:1",
            source="hpo",
            obsolete=True,
            matched=MatchedTerm(text="Fits", lang="en", type="exact"),
            match="prefix",
            score=1.2346,
        )
    ]


@pytest.mark.parametrize(
    ("tier", "name"), [(TIER_EXACT, "exact"), (TIER_PREFIX, "prefix"), (TIER_FULLTEXT, "fulltext")]
)
def test_match_named_by_tier(tier: int, name: str) -> None:
    (hit,) = rank_hits([_row("HP:1", tier=tier)], limit=1)
    assert hit.match == name


def test_no_rows_no_hits() -> None:
    assert rank_hits([], limit=10) == []


def test_partial_hits_holding_more_of_the_words_come_first() -> None:
    rows = [
        _row("A:1", tier=TIER_PARTIAL, kind="label", score=5.0, text="Carcinoma"),
        _row("A:2", tier=TIER_PARTIAL, kind="related", score=3.0, text="Carcinoma in situ of vulva"),
        _row("A:3", tier=TIER_PARTIAL, kind="label", score=4.0, text="Vulvar carcinoma"),
    ]
    hits = rank_hits(rows, limit=5, words=["carcinoma", "vulva"])
    # Two words each for A:2 and A:3 (the words are prefixes: "vulva" begins "Vulvar"), then type.
    assert [hit.curie for hit in hits] == ["A:3", "A:2", "A:1"]
    assert {hit.match for hit in hits} == {"partial"}


def test_the_words_held_do_not_reorder_full_text_hits() -> None:
    rows = [
        _row("A:1", tier=TIER_FULLTEXT, kind="label", score=5.0, text="Carcinoma"),
        _row("A:2", tier=TIER_FULLTEXT, kind="related", score=3.0, text="Carcinoma in situ of vulva"),
    ]
    assert [hit.curie for hit in rank_hits(rows, limit=5, words=["carcinoma", "vulva"])] == ["A:1", "A:2"]
