"""Query understanding from hand-made annotations: roles, assertions, BM25 text and free terms."""

from __future__ import annotations

from datetime import date

import pytest

from graph.search_repository import DocumentFilter
from nlp.embedding import text_vector
from search.expansion import DESCENDANT, ExpansionPolicy
from search.query import (
    AFFIRMED,
    ALL,
    ANY,
    FAMILY,
    HYPOTHETICAL,
    NEGATED,
    NONE,
    ConceptCriterion,
    ParsedQuery,
    SearchQuery,
)
from search.understanding import understand
from tests.unit.search.search_markup import annotation


def read(markup: str, lang: str = "fr", **kwargs: object) -> ParsedQuery:
    text, parsed = annotation(markup, lang)
    return understand(text, parsed, **kwargs)  # type: ignore[arg-type]


def roles(parsed: ParsedQuery) -> list[tuple[str, str, set[str]]]:
    return [(c.curie, c.role, set(c.assertions)) for c in parsed.query.criteria]


HEART_FAILURE_WITHOUT_HTN = (
    "<ent curie=HS:1>insuffisance cardiaque</ent> sans <ent curie=HS:2 negated=true>HTA</ent>"
)


def test_negated_concept_becomes_none_and_leaves_the_text() -> None:
    parsed = read(HEART_FAILURE_WITHOUT_HTN)
    assert parsed.text == "insuffisance cardiaque sans HTA"
    assert parsed.lang == "fr"
    assert roles(parsed) == [("HS:1", ANY, {AFFIRMED}), ("HS:2", NONE, {AFFIRMED})]
    assert parsed.query.text == "insuffisance cardiaque sans"  # a report worded "sans ..." is asked for
    assert parsed.free_terms == ()


def test_criteria_keep_their_words_and_offsets() -> None:
    parsed = read(HEART_FAILURE_WITHOUT_HTN)
    assert [(c.text, c.start, c.end) for c in parsed.query.criteria] == [
        ("insuffisance cardiaque", 0, 22),
        ("HTA", 28, 31),
    ]


@pytest.mark.parametrize(("match", "role"), [(ANY, ANY), (ALL, ALL)])
def test_plain_concepts_take_the_role_asked_for(match: str, role: str) -> None:
    parsed = read(HEART_FAILURE_WITHOUT_HTN, match=match)
    assert roles(parsed) == [("HS:1", role, {AFFIRMED}), ("HS:2", NONE, {AFFIRMED})]


def test_family_concept_counts_family_mentions_only() -> None:
    parsed = read("antécédents familiaux de <ent curie=C:1 family=true>cancer du côlon</ent>", match=ALL)
    assert roles(parsed) == [("C:1", ANY, {FAMILY})]
    assert parsed.query.text == "antécédents familiaux de cancer du côlon"
    assert parsed.free_terms == ("antécédents", "familiaux")


def test_hypothetical_concept_counts_suspected_and_affirmed_mentions() -> None:
    parsed = read("suspicion d'<ent curie=E:1 hypothetical=true>embolie pulmonaire</ent>", match=ALL)
    assert roles(parsed) == [("E:1", ANY, {AFFIRMED, HYPOTHETICAL})]
    assert parsed.query.text == "suspicion d'embolie pulmonaire"
    assert parsed.free_terms == ("suspicion",)  # "d'" is a stop word


@pytest.mark.parametrize(
    ("attrs", "expected"),
    [
        ("negated=true hypothetical=true", (NONE, {AFFIRMED})),  # an exclusion wins
        ("negated=true family=true", (NONE, {AFFIRMED})),
        ("family=true hypothetical=true", (ANY, {FAMILY})),  # family before suspicion
        ("historical=true", (ALL, {AFFIRMED})),  # history is the patient's: a plain concept
    ],
)
def test_qualifier_precedence(attrs: str, expected: tuple[str, set[str]]) -> None:
    parsed = read(f"obésité sans <ent curie=X:1 {attrs}>diabète</ent>", match=ALL)
    assert [(c.role, set(c.assertions)) for c in parsed.query.criteria] == [expected]


@pytest.mark.parametrize(
    ("markup", "lang"),
    [
        ("diabète sans <ent curie=X:1 negated=true>HTA</ent>", "fr"),
        ("diabète, pas de <ent curie=X:1 negated=true>fièvre</ent>", "fr"),
        ("diabète, pas d'<ent curie=X:1 negated=true>HTA</ent>", "fr"),
        ("diabetes without <ent curie=X:1 negated=true>hypertension</ent>", "en"),
        ("diabetes, no history of <ent curie=X:1 negated=true>stroke</ent>", "en"),
    ],
)
def test_negation_after_an_exclusion_cue_is_an_exclusion(markup: str, lang: str) -> None:
    parsed = read(markup, lang)
    assert roles(parsed) == [("X:1", NONE, {AFFIRMED})]


def test_negation_without_an_exclusion_cue_is_a_plain_criterion() -> None:
    parsed = read(
        "folic acid does not affect <ent curie=CKD:1 negated=true>chronic kidney disease</ent>",
        "en",
        match=ALL,
    )
    assert roles(parsed) == [("CKD:1", ALL, {AFFIRMED})]
    assert parsed.query.text == "folic acid does not affect chronic kidney disease"
    assert parsed.free_terms == ("folic", "acid", "affect")


def test_duplicates_are_removed_keeping_the_first() -> None:
    parsed = read(
        "<ent curie=D:1>diabète</ent> et <ent curie=D:1>diabète</ent> "
        "sans <ent curie=H:1 negated=true>HTA</ent> ni <ent curie=H:1 negated=true>hypertension</ent>"
    )
    assert roles(parsed) == [("D:1", ANY, {AFFIRMED}), ("H:1", NONE, {AFFIRMED})]
    assert [(c.text, c.start) for c in parsed.query.criteria] == [("diabète", 0), ("HTA", 24)]
    # Both negated spans leave the BM25 text, the duplicate too.
    assert parsed.query.text == "diabète et diabète sans ni"


def test_same_concept_in_two_roles_is_two_criteria() -> None:
    parsed = read(
        "<ent curie=D:1>diabète</ent> mais pas de <ent curie=D:1 family=true>diabète</ent> familial"
    )
    assert roles(parsed) == [("D:1", ANY, {AFFIRMED}), ("D:1", ANY, {FAMILY})]


def test_mentions_without_candidates_are_free_words() -> None:
    parsed = read("<ent>dyspnée</ent> avec <ent curie=I:1>insuffisance cardiaque</ent>")
    assert roles(parsed) == [("I:1", ANY, {AFFIRMED})]
    assert parsed.free_terms == ("dyspnée",)
    assert parsed.query.text == "dyspnée avec insuffisance cardiaque"


def test_free_terms_exclude_stop_words_mention_words_and_single_characters() -> None:
    parsed = read("<ent curie=I:1>insuffisance cardiaque</ent> aiguë chez le patient de 80 ans, stade B")
    assert parsed.free_terms == ("aiguë", "patient", "80", "ans", "stade")


def test_french_elisions_leave_free_terms() -> None:
    parsed = read("<ent curie=A:1>asthme</ent> de l'enfant, qu'il faut d'urgence traiter")
    assert parsed.free_terms == ("enfant", "faut", "urgence", "traiter")


def test_english_stop_words() -> None:
    parsed = read(
        "<ent curie=EN:1>heart failure</ent> without <ent curie=EN:2 negated=true>hypertension</ent> "
        "and no severe edema",
        lang="en",
    )
    assert roles(parsed) == [("EN:1", ANY, {AFFIRMED}), ("EN:2", NONE, {AFFIRMED})]
    assert parsed.query.text == "heart failure without and no severe edema"
    assert parsed.free_terms == ("severe", "edema")


def test_unknown_language_keeps_every_word() -> None:
    parsed = read("<ent curie=I:1>Herzinsuffizienz</ent> und de la Hypertonie", lang="de")
    assert parsed.free_terms == ("und", "de", "la", "Hypertonie")


def test_nothing_but_stop_words_is_no_exclusion() -> None:
    parsed = read("the of", "en")
    assert (parsed.query.criteria, parsed.query.text, parsed.free_terms) == ((), "the of", ())


def test_no_concept_at_all() -> None:
    parsed = read("douleur thoracique")
    assert parsed.query.criteria == ()
    assert parsed.query.text == "douleur thoracique"
    assert parsed.free_terms == ("douleur", "thoracique")


@pytest.mark.parametrize(
    ("markup", "lang"),
    [
        ("pas d'<ent curie=H:1 negated=true>HTA</ent>", "fr"),
        ("Sans <ent curie=H:1 negated=true>HTA</ent> ni <ent curie=H:2 negated=true>diabète</ent>", "fr"),
        ("no history of <ent curie=H:1 negated=true>stroke</ent>", "en"),
        ("without any signs of <ent curie=H:1 negated=true>sepsis</ent>", "en"),
    ],
)
def test_a_query_that_only_excludes_asks_for_stated_absence(markup: str, lang: str) -> None:
    parsed = read(markup, lang, match=ALL)
    assert {(role, frozenset(assertions)) for _, role, assertions in roles(parsed)} == {
        (ANY, frozenset({NEGATED}))
    }
    assert (parsed.query.text, parsed.free_terms) == ("", ())


def test_exclusion_cue_words_are_searched_but_not_free_terms() -> None:
    parsed = read("asthma, no history of <ent curie=S:1 negated=true>stroke</ent>", "en")
    assert roles(parsed) == [("S:1", NONE, {AFFIRMED})]
    assert (parsed.query.text, parsed.free_terms) == ("asthma, no history of", ("asthma",))


@pytest.mark.parametrize(
    "base",
    [
        SearchQuery(text="fièvre"),
        SearchQuery(criteria=(ConceptCriterion("F:1", role=ALL),)),
    ],
)
def test_an_exclusion_beside_a_base_query_stays_an_exclusion(base: SearchQuery) -> None:
    parsed = read("sans <ent curie=H:1 negated=true>HTA</ent>", base=base)
    last = parsed.query.criteria[-1]
    assert (last.curie, last.role, set(last.assertions)) == ("H:1", NONE, {AFFIRMED})


def test_a_structured_exclusion_beside_an_exclusion_only_text_is_kept() -> None:
    base = SearchQuery(criteria=(ConceptCriterion("D:1", role=NONE),))
    parsed = read("pas de <ent curie=F:1 negated=true>fièvre</ent>", base=base)
    assert roles(parsed) == [("D:1", NONE, {AFFIRMED}), ("F:1", ANY, {NEGATED})]


def test_policy_applies_to_every_parsed_criterion() -> None:
    policy = ExpansionPolicy(max_depth=1).with_relations([DESCENDANT])
    parsed = read(HEART_FAILURE_WITHOUT_HTN, policy=policy)
    assert [c.policy for c in parsed.query.criteria] == [policy, policy]
    assert [c.policy for c in read(HEART_FAILURE_WITHOUT_HTN).query.criteria] == [ExpansionPolicy()] * 2


def test_base_query_criteria_filters_and_weights_are_kept() -> None:
    filters = DocumentFilter(types=("report",), date_from=date(2020, 1, 1))
    kept = ConceptCriterion("B:1", role=ALL, policy=ExpansionPolicy(max_depth=0))
    base = SearchQuery(criteria=(kept,), text="urgence", filters=filters, text_weight=0.3, concept_weight=2.0)
    parsed = read(HEART_FAILURE_WITHOUT_HTN, base=base)
    query = parsed.query
    assert query.criteria[0] is kept
    assert [(c.curie, c.role) for c in query.criteria] == [("B:1", ALL), ("HS:1", ANY), ("HS:2", NONE)]
    assert (query.filters, query.text_weight, query.concept_weight) == (filters, 0.3, 2.0)
    assert query.text == "urgence insuffisance cardiaque sans"


def test_base_query_without_text_adds_no_space() -> None:
    base = SearchQuery(text="  ")
    assert read(HEART_FAILURE_WITHOUT_HTN, base=base).query.text == "insuffisance cardiaque sans"
    base = SearchQuery(text="urgence")
    assert read("sans <ent curie=H:1 negated=true>HTA</ent>", base=base).query.text == "urgence sans"


def test_the_query_vector_leaves_out_what_is_excluded() -> None:
    text, parsed = annotation(
        "<ent curie=HS:1>heart failure</ent> without <ent curie=HS:2 negated=true>hypertension</ent>", "en"
    )
    query = understand(text, parsed, with_vector=True).query
    assert query.text == "heart failure without"
    assert query.vector == text_vector("heart failure without", "en", query=True)
    assert query.vector != text_vector(text, "en", query=True)


def test_the_query_vector_is_read_as_a_query_and_only_when_asked() -> None:
    text, parsed = annotation("<ent curie=HS:1>heart failure</ent> in the elderly", "en")
    assert understand(text, parsed, with_vector=True).query.vector == text_vector(text, "en", query=True)
    assert understand(text, parsed).query.vector is None  # patient search: no vector to pay for
    french = "<ent curie=HS:1>insuffisance cardiaque</ent>"
    assert read(french).query.vector is None
    text, parsed = annotation(french, "fr")
    assert understand(text, parsed, with_vector=True).query.vector is None  # French: none
