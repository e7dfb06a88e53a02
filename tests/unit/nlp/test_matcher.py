"""TerminologyMatcher: normalisation, longest match, overlaps, ranking, equivalents (both languages)."""

from __future__ import annotations

import pytest
from matcher_markup import ENGLISH_TERMS, FRENCH_TERMS, check, term

from nlp.matcher import TerminologyMatcher
from nlp.matcher.normalise import normalise_word, term_keys, tokenize


@pytest.fixture(scope="module")
def french() -> TerminologyMatcher:
    return TerminologyMatcher.build(FRENCH_TERMS, lang="fr", equivalents={"CIM:I50": "HS:1"})


@pytest.fixture(scope="module")
def english() -> TerminologyMatcher:
    return TerminologyMatcher.build(ENGLISH_TERMS, lang="en")


@pytest.mark.parametrize(
    "markup",
    [
        "Patient avec <ent curie=HS:1 score=1.0 type=label>insuffisance cardiaque</ent>.",
        "<ent curie=HS:1 score=1.0>INSUFFISANCE CARDIAQUE</ent> connue.",
        "Antécédent d'<ent curie=HS:2 score=1.0>hypertension arterielle</ent>.",
        "Présence d'<ent curie=HS:5 score=1.0>œdème</ent> des membres.",
        "Présence d'<ent curie=HS:5 score=1.0>oedème</ent>.",
        "Patient <ent curie=HS:6 score=1.0>insulino-dépendant</ent>.",
        "Patient <ent curie=HS:6 score=0.8 type=variant>insulinodépendant</ent>.",
        "Deux <ent curie=HS:1 score=0.8 type=variant>insuffisances cardiaques</ent>.",
        "<ent curie=HS:15 score=0.8 type=variant>Canaux artériels</ent> perméables.",
        "<ent curie=HS:4 score=0.8 type=variant>diabète type 2</ent> équilibré.",
        "<ent curie=HS:1 score=0.9 type=synonym>défaillance cardiaque</ent>.",
        "Rien à signaler.",
    ],
)
def test_french_normalisation(french: TerminologyMatcher, markup: str) -> None:
    check(french, markup)


@pytest.mark.parametrize(
    "markup",
    [
        "History of <ent curie=EN:1 score=1.0>heart failure</ent>.",
        "Two <ent curie=EN:1 score=0.8 type=variant>heart failures</ent>.",
        "Seasonal <ent curie=EN:9 score=0.8 type=variant>allergies</ent>.",
        # the possessive 's is dropped like punctuation: still an exact match
        "Known <ent curie=EN:8 score=1.0 type=label>Crohn disease</ent>.",
        "Known <ent curie=EN:8 score=1.0>Crohn's disease</ent>.",
        "<ent curie=EN:10 score=0.8 type=variant>Tetralogy Fallot</ent> repaired.",
        "<ent curie=EN:6 score=1.0>Type 2 diabetes mellitus</ent>.",
    ],
)
def test_english_normalisation(english: TerminologyMatcher, markup: str) -> None:
    check(english, markup)


@pytest.mark.parametrize(
    ("markup", "lang"),
    [
        ("<ent curie=HS:4>diabète de type 2</ent> et <ent curie=HS:3>diabète</ent>.", "fr"),
        ("<ent curie=EN:2>congestive heart failure</ent> and <ent curie=EN:1>heart failure</ent>", "en"),
        ("<ent curie=EN:6>type 2 diabetes mellitus</ent>, <ent curie=EN:7>diabetes mellitus</ent>", "en"),
    ],
)
def test_longest_match_wins(
    french: TerminologyMatcher, english: TerminologyMatcher, markup: str, lang: str
) -> None:
    check(french if lang == "fr" else english, markup)


def test_equal_length_overlap_keeps_leftmost(french: TerminologyMatcher) -> None:
    # "insuffisance cardiaque" and "cardiaque gauche" overlap on "cardiaque": leftmost wins.
    check(french, "<ent curie=HS:1>insuffisance cardiaque</ent> gauche")


def test_longer_overlap_beats_leftmost(french: TerminologyMatcher) -> None:
    extra = [*FRENCH_TERMS, term("HS:30", "cardiaque gauche sévère", "fr")]
    matcher = TerminologyMatcher.build(extra, lang="fr")
    # On tokens: find_text would then join the two adjacent matches into one noun phrase.
    found = matcher.find(["insuffisance", "cardiaque", "gauche", "severe"])
    assert [(m.start, m.end, m.candidates[0].curie) for m in found] == [(0, 1, "HS:13"), (1, 4, "HS:30")]


def test_shared_surface_ranks_label_then_synonym_then_related(french: TerminologyMatcher) -> None:
    (mention,) = french.find_text("cancer")
    assert [(c.curie, c.score) for c in mention.candidates] == [
        ("HS:12", 1.0),
        ("HS:11", 0.9),
        ("HS:10", 0.6),
    ]


def test_equivalents_merge_into_canonical_curie(french: TerminologyMatcher) -> None:
    (mention,) = french.find_text("insuffisance cardiaque")
    assert [c.curie for c in mention.candidates] == ["HS:1"]


def test_without_equivalents_both_concepts_stay() -> None:
    matcher = TerminologyMatcher.build(FRENCH_TERMS, lang="fr")
    (mention,) = matcher.find_text("insuffisance cardiaque")
    assert [c.curie for c in mention.candidates] == ["HS:1", "CIM:I50"]


def test_equivalents_keep_best_score() -> None:
    terms = [term("A:1", "foie gras", "fr", "related"), term("B:1", "foie gras", "fr", "exact")]
    matcher = TerminologyMatcher.build(terms, lang="fr", equivalents={"B:1": "A:1"}, abbreviations=())
    (mention,) = matcher.find_text("foie gras")
    assert [(c.curie, c.score) for c in mention.candidates] == [("A:1", 0.9)]


def test_find_on_tokens_returns_token_offsets(english: TerminologyMatcher) -> None:
    (match,) = english.find(["the", "heart", "failure"])
    assert (match.start, match.end, match.candidates[0].curie) == (1, 3, "EN:1")


def test_other_language_entries_are_ignored_unless_asked(french: TerminologyMatcher) -> None:
    assert french.find_text("heart failure") == []
    both = TerminologyMatcher.build(FRENCH_TERMS, lang="fr", langs=("fr", "en"))
    assert [m.candidates[0].curie for m in both.find_text("heart failure")] == ["EN:1"]


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("cardiaques", "fr", "cardiaque"),
        ("arteriaux", "fr", "arterial"),
        ("reseaux", "fr", "reseau"),
        ("dependantes", "fr", "dependante"),
        ("des", "fr", "des"),
        ("allergies", "en", "allergy"),
        ("abscesses", "en", "abscess"),
        ("failures", "en", "failure"),
        ("lupus", "en", "lupus"),
        ("pelvis", "en", "pelvis"),
        ("t2dm", "en", "t2dm"),
    ],
)
def test_normalise_word(word: str, lang: str, expected: str) -> None:
    assert normalise_word(word, lang) == expected


def test_tokenize_drops_french_elision_and_keeps_offsets() -> None:
    tokens = tokenize("Pas d'œdème, l'HTA", lang="fr")
    assert [(t.norm, t.surface, t.start, t.end) for t in tokens] == [
        ("pas", "Pas", 0, 3),
        ("oedeme", "œdème", 6, 11),
        ("hta", "HTA", 15, 18),
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        # A piece that folds to two words gives two tokens with the same surface and offsets.
        ("½ dose", "fr", [("1", "½", 0, 1), ("2", "½", 0, 1), ("dose", "dose", 2, 6)]),
        # Elision and the possessive at the very end and start of a text; other languages fold only.
        ("l'", "fr", []),
        ("'s Patient's kidneys", "en", [("patient", "Patient", 3, 10), ("kidney", "kidneys", 13, 20)]),
        ("d'Artères", "de", [("d", "d", 0, 1), ("arteres", "Artères", 2, 9)]),
    ],
)
def test_tokenize_edges(text: str, lang: str, expected: list[tuple[str, str, int, int]]) -> None:
    for _ in range(2):  # the second time from the memoised pieces
        assert [(t.norm, t.surface, t.start, t.end) for t in tokenize(text, lang=lang)] == expected


def test_exact_and_variant_scores_survive_memoised_surfaces(french: TerminologyMatcher) -> None:
    for _ in range(2):
        exact, variant = french.find_text("Insuffisance cardiaque. Insuffisances cardiaques.")
        assert exact.candidates[0].match_type != "variant"
        assert variant.candidates[0].match_type == "variant"


def test_term_keys_with_and_without_inner_stop_words() -> None:
    assert term_keys("diabète de type 2", lang="fr") == [
        ("diabete", "de", "type", "2"),
        ("diabete", "type", "2"),
    ]


def test_term_keys_never_drop_edge_stop_words() -> None:
    assert term_keys("the heart", lang="en") == [("the", "heart")]
