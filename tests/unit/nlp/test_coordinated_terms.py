"""Terms with coordinated complements name each complement: C34 "Tumeur maligne des bronches et du
poumon" is the concept of "cancer du poumon"."""

from __future__ import annotations

import pytest
from matcher_markup import check, term

from nlp.matcher import TerminologyMatcher
from nlp.matcher.coordinated_terms import complement_terms

FRENCH = [
    term("C34", "Tumeur maligne des bronches et du poumon", "fr"),
    term("C38", "Tumeur maligne du coeur, du médiastin et de la plèvre", "fr"),
    term("C38.3", "Tumeur maligne du médiastin, partie non précisée", "fr"),
    term("C14", "Tumeur maligne de la lèvre, de la cavité buccale et du pharynx", "fr"),
    term("C53", "Tumeur maligne du col de l'utérus et du corps", "fr"),
    term("F80", "Retard de langage, de type expressif", "fr"),
    term("HP:1", "Fusion de la fibula et du tibia", "fr"),
    term("HP:2", "Tibia", "fr"),
]


@pytest.fixture(scope="module")
def french() -> TerminologyMatcher:
    return TerminologyMatcher.build(FRENCH, lang="fr", abbreviations=())


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "Tumeur maligne des bronches et du poumon",
            ["Tumeur maligne des bronches", "Tumeur maligne du poumon"],
        ),
        (
            "Tumeur maligne de bronche ou du poumon, sans précision",
            ["Tumeur maligne de bronche", "Tumeur maligne du poumon"],
        ),
        (
            "Tumeur maligne de la lèvre, de la cavité buccale et du pharynx",
            [
                "Tumeur maligne de la lèvre",
                "Tumeur maligne de la cavité buccale",
                "Tumeur maligne du pharynx",
            ],
        ),
        (
            "Maladies de l'oreille et de l'apophyse mastoïde",
            ["Maladies de l'oreille", "Maladies de l'apophyse mastoïde"],
        ),
        # which noun "du corps" goes with is not said
        ("Tumeur maligne du col de l'utérus et du corps", []),
        # a list without prepositions is another structure
        ("Tumeur maligne du lobe supérieur, bronches ou poumon", []),
        # the head's own complement makes the first piece hold two prepositions
        ("Antécédents familiaux de tumeur maligne de la trachée, des bronches et des poumons", []),
        # a complement that qualifies the head names no part
        ("Retard de langage, de type expressif", []),
        # other commas: a list of another kind
        ("Exposition à un feu, hors d'un bâtiment ou d'un ouvrage, lieu sans précision", []),
        ("Insuffisance cardiaque et rénale", []),
    ],
)
def test_complements_are_split_only_when_the_list_is_plain(text: str, parts: list[str]) -> None:
    assert complement_terms(text, "fr") == parts


def test_only_french_terms_are_split() -> None:
    assert complement_terms("Malignant neoplasm of bronchus and lung", "en") == []


@pytest.mark.parametrize(
    "markup",
    [
        # a complement with the head, then with the head's synonym and the organ's adjective
        "Une <ent curie=C34 score=0.7 type=variant>tumeur maligne du poumon</ent>.",
        "<ent curie=C34 score=0.7 type=variant>Cancer du poumon</ent> opéré en 2019.",
        "<ent curie=C34 type=variant>Cancer pulmonaire</ent> métastatique.",
        "<ent curie=C34 type=variant>cancer des bronches</ent>",
        "<ent curie=C14 type=variant>Cancer de la cavité buccale</ent>.",
        # the whole term still matches as itself
        "<ent curie=C34 score=1.0 type=label>Tumeur maligne des bronches et du poumon</ent>.",
        # a concept's own term ranks before a part of another's: C38.3, not C38
        "Des <ent curie=C38.3 score=0.8>tumeurs malignes du médiastin</ent>.",
        # left alone: the complement may go with either noun; a qualifying complement
        "Tumeur maligne du corps.",
        "Retard de type expressif.",
        # a complement only counts with its head: the organ alone is its own term
        "<ent curie=HP:2>Tibia</ent> droit.",
    ],
)
def test_each_complement_with_the_head_names_the_concept(french: TerminologyMatcher, markup: str) -> None:
    check(french, markup)


def test_a_part_says_which_term_it_comes_from(french: TerminologyMatcher) -> None:
    (mention,) = french.find_text("Cancer du poumon.")
    assert [(c.curie, c.matched_text) for c in mention.candidates] == [
        ("C34", "Tumeur maligne des bronches et du poumon")
    ]
