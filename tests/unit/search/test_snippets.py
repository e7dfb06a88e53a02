"""Snippets: sentences around matched mentions, highlight offsets relative to the snippet."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import pytest

from search.snippets import MAX_CHARS, Snippet, concept_snippets, word_snippet
from tests.unit.search.search_markup import mention_rows

REPORT = (
    "Patient de 70 ans. "
    "<ent curie=D section=antecedents>Diabète de type 2</ent> et <ent curie=H negated=true>HTA</ent> connus. "
    "Pas de <ent curie=F negated=true>fièvre</ent>. "
    "Mère avec <ent curie=D family=true>diabète</ent>."
)


def highlighted(snippet: Snippet) -> list[tuple[str, str | None]]:
    return [(snippet.text[h.start : h.end], h.curie) for h in snippet.highlights]


def check_offsets(text: str, snippet: Snippet) -> None:
    assert text[snippet.start : snippet.start + len(snippet.text)] == snippet.text


def test_mentions_of_one_sentence_share_one_snippet() -> None:
    text, mentions = mention_rows(REPORT)
    (snippet,) = concept_snippets(text, mentions, {"D": 0, "H": 1}, limit=1)
    assert snippet.text == "Diabète de type 2 et HTA connus."
    assert snippet.start == len("Patient de 70 ans. ")
    assert snippet.section == "antecedents"
    assert highlighted(snippet) == [("Diabète de type 2", "D"), ("HTA", "H")]
    assert [(h.start, h.end) for h in snippet.highlights] == [(0, 17), (21, 24)]
    assert [h.negated for h in snippet.highlights] == [False, True]
    check_offsets(text, snippet)


def test_qualifier_flags_are_carried() -> None:
    text, mentions = mention_rows(REPORT)
    snippets = concept_snippets(text, mentions, {"D": 0}, limit=3)
    assert [s.text for s in snippets] == ["Diabète de type 2 et HTA connus.", "Mère avec diabète."]
    (family,) = snippets[1].highlights
    assert (family.family, family.negated, family.hypothetical, family.historical) == (
        True,
        False,
        False,
        False,
    )
    assert snippets[1].section is None


def test_only_ranked_concepts_are_highlighted() -> None:
    text, mentions = mention_rows(REPORT)
    (snippet,) = concept_snippets(text, mentions, {"H": 0}, limit=3)
    assert highlighted(snippet) == [("HTA", "H")]  # D in the same sentence is not asked for
    assert concept_snippets(text, mentions, {"X": 0}) == []
    assert concept_snippets(text, [], {"D": 0}) == []


def test_snippets_ordered_by_rank_then_position() -> None:
    text, mentions = mention_rows(REPORT)
    snippets = concept_snippets(text, mentions, {"F": 0, "D": 1, "H": 2}, limit=3)
    assert [s.text for s in snippets] == [
        "Pas de fièvre.",
        "Diabète de type 2 et HTA connus.",
        "Mère avec diabète.",
    ]
    for snippet in snippets:
        check_offsets(text, snippet)
    snippets = concept_snippets(text, mentions, {"D": 0, "F": 1}, limit=3)
    assert [s.text for s in snippets] == [
        "Diabète de type 2 et HTA connus.",
        "Mère avec diabète.",
        "Pas de fièvre.",
    ]


def test_limit_counts_sentences() -> None:
    text, mentions = mention_rows(REPORT)
    snippets = concept_snippets(text, mentions, {"F": 0, "D": 1, "H": 2}, limit=2)
    assert [s.text for s in snippets] == ["Pas de fièvre.", "Diabète de type 2 et HTA connus."]
    # A lower-ranked concept in a sentence already kept is still highlighted there.
    assert highlighted(snippets[1]) == [("Diabète de type 2", "D"), ("HTA", "H")]
    assert concept_snippets(text, mentions, {"F": 0, "D": 1}, limit=0) == []


def test_default_limit_is_three() -> None:
    markup = " ".join(f"Phrase {i} avec <ent curie=D>diabète</ent>." for i in range(5))
    text, mentions = mention_rows(markup)
    snippets = concept_snippets(text, mentions, {"D": 0})
    assert [s.text for s in snippets] == [f"Phrase {i} avec diabète." for i in range(3)]


def test_window_when_sentence_offsets_are_missing() -> None:
    filler = "x" * 400
    text, mentions = mention_rows(f"{filler} <ent curie=D>diabète</ent> {filler}", with_sentences=False)
    start = len(filler) + 1
    (snippet,) = concept_snippets(text, mentions, {"D": 0})
    # A window of MAX_CHARS // 2 each side (307 > MAX_CHARS), then cut with MAX_CHARS // 3 on the left:
    # [start - 100, end + 150).
    assert snippet.start == start - MAX_CHARS // 3
    assert snippet.start + len(snippet.text) == start + len("diabète") + MAX_CHARS // 2
    assert highlighted(snippet) == [("diabète", "D")]
    check_offsets(text, snippet)


def test_window_on_a_short_text_is_the_whole_text() -> None:
    text, mentions = mention_rows("Suivi du <ent curie=D>diabète</ent> sans sucre", with_sentences=False)
    (snippet,) = concept_snippets(text, mentions, {"D": 0})
    assert (snippet.text, snippet.start) == (text, 0)
    assert highlighted(snippet) == [("diabète", "D")]


@pytest.mark.parametrize(
    "bounds",
    [
        {"sentence_start": 30, "sentence_end": 40},  # sentence after the mention
        {"sentence_start": "0", "sentence_end": 20},  # not an int
        {"sentence_start": 0, "sentence_end": 500},  # past the text
        {"sentence_start": -1, "sentence_end": 20},
    ],
)
def test_unusable_sentence_offsets_fall_back_to_a_window(bounds: Mapping[str, Any]) -> None:
    text, mentions = mention_rows("Suivi du <ent curie=D>diabète</ent>. Rien d'autre à signaler ici.")
    mention = {**mentions[0], **bounds}
    (snippet,) = concept_snippets(text, [mention], {"D": 0})
    assert (snippet.text, snippet.start) == (text, 0)
    assert highlighted(snippet) == [("diabète", "D")]


@pytest.mark.parametrize("position", [5, 150, 600, 990])
def test_long_sentence_cut_to_max_chars_keeping_the_mention(position: int) -> None:
    sentence_length = 1000
    before = "a" * position
    after = "b" * (sentence_length - position - len("HTA") - 1)
    text, mentions = mention_rows(f"{before}<ent curie=H>HTA</ent>{after}.")
    assert (mentions[0]["sentence_start"], mentions[0]["sentence_end"]) == (0, sentence_length)
    (snippet,) = concept_snippets(text, mentions, {"H": 0})
    assert len(snippet.text) <= MAX_CHARS
    assert highlighted(snippet) == [("HTA", "H")]
    check_offsets(text, snippet)
    expected_start = max(0, position - MAX_CHARS // 3)
    assert snippet.start == expected_start
    assert snippet.start + len(snippet.text) == min(sentence_length, expected_start + MAX_CHARS)


def test_long_sentence_drops_highlights_outside_the_cut() -> None:
    gap = "c" * 400
    text, mentions = mention_rows(f"Le <ent curie=D>diabète</ent> {gap} <ent curie=H>HTA</ent>.")
    (snippet,) = concept_snippets(text, mentions, {"H": 0, "D": 1})
    # The window keeps the sentence's first mention; the HTA 400 characters further is cut off.
    assert snippet.start == 0
    assert highlighted(snippet) == [("diabète", "D")]


def test_mention_crossing_the_sentence_end_keeps_its_highlight() -> None:
    text, mentions = mention_rows("Insuffisance. <ent curie=I>Cardiaque gauche</ent> sévère.")
    mention = {**mentions[0], "sentence_start": 14, "sentence_end": 20}  # ends inside the mention
    (snippet,) = concept_snippets(text, [mention], {"I": 0})
    assert highlighted(snippet) == [("Cardiaque gauche", "I")]


# --- word_snippet -------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["diabete", "DIABÈTE", "Diabète", "diabète insulino"])
def test_word_snippet_is_accent_and_case_insensitive(query: str) -> None:
    text = "Antécédents : Diabète de type 2. Œdème des membres."
    snippet = word_snippet(text, query)
    assert snippet is not None
    assert (snippet.text, snippet.start, snippet.section) == (text, 0, None)
    assert [(snippet.text[h.start : h.end], h.curie) for h in snippet.highlights] == [("Diabète", None)]
    assert [(h.start, h.end) for h in snippet.highlights] == [(14, 21)]


def test_word_snippet_highlights_every_query_word_in_the_window() -> None:
    text = "Une HTA ancienne. Diabète équilibré, HTA traitée."
    snippet = word_snippet(text, "hta diabete")
    assert snippet is not None
    assert [snippet.text[h.start : h.end] for h in snippet.highlights] == ["HTA", "Diabète", "HTA"]


def test_word_snippet_window_around_the_first_hit() -> None:
    text = "z" * 500 + " fièvre " + "y" * 500 + " fièvre"
    snippet = word_snippet(text, "FIEVRE")
    assert snippet is not None
    assert snippet.start == 501 - MAX_CHARS // 3
    assert len(snippet.text) == MAX_CHARS
    assert [snippet.text[h.start : h.end] for h in snippet.highlights] == ["fièvre"]
    check_offsets(text, snippet)


@pytest.mark.parametrize(
    "query",
    ["asthme", "de la", "", "diab", "diabètes"],  # no word, only short words, a prefix, another word
)
def test_word_snippet_none_when_nothing_matches(query: str) -> None:
    assert word_snippet("Antécédents : Diabète de type 2.", query) is None


def test_word_snippet_decomposed_query() -> None:
    snippet = word_snippet("Antécédents : Diabète de type 2.", unicodedata.normalize("NFD", "diabète"))
    assert snippet is not None
    assert [snippet.text[h.start : h.end] for h in snippet.highlights] == ["Diabète"]
