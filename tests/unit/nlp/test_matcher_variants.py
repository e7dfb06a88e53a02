"""Term variants and phrase handling: inversions, subtypes, parenthesised short forms, coordinations,
noun phrases of adjacent terms, and ties broken by the concepts' links."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from matcher_markup import check, term

from nlp.matcher import TerminologyMatcher
from nlp.matcher.normalise import (
    american,
    complement_short_forms,
    inversions,
    normalise_word,
    term_keys,
    tokenize,
    without_subtype,
)
from nlp.matcher.parentheses import parenthesised_gaps

ENGLISH = [
    term("EN:20", "aspartoacylase deficiency", "en", "exact"),
    term("EN:21", "breast cancer", "en"),
    term("EN:22", "deficiency of G-6PD", "en", "exact"),
    term("EN:23", "ovarian cancer", "en"),
    term("EN:24", "prostate cancer", "en"),
    term("EN:25", "breast", "en"),
    term("EN:26", "renal cell carcinoma", "en"),
    term("EN:27", "breast carcinoma", "en"),
    term("EN:30", "myotonic dystrophy type 1", "en"),
    term("EN:31", "Schwartz-Jampel syndrome 1", "en"),
    term("EN:32", "Schwartz-Jampel syndrome 2", "en"),
    term("EN:40", "von Hippel-Lindau disease", "en"),
    term("EN:60", "X-linked", "en", "exact"),
    term("EN:61", "spastic paraplegia", "en"),
    term("EN:62", "sporadic", "en"),
    term("EN:63", "disease", "en"),
    term("EN:64", "immunodeficiency", "en"),
    term("EN:70", "hemangioblastoma", "en"),
    term("EN:71", "Hemangioblastoma", "en", "exact"),
    term("EN:71", "Haemangioblastoma", "en", "label"),
    term("EN:80", "fever", "en"),
    term("EN:81", "chills", "en"),
    term("EN:82", "hypertension", "en"),
    term("EN:83", "diabetes mellitus", "en"),
    term("EN:90", "complement component 7 deficiency", "en"),
    term("EN:91", "HPRT1 deficiency", "en", "exact"),
    term("EN:92", "vertebral fracture", "en"),
    term("EN:93", "Malaria, unspecified", "en"),
]

FRENCH = [
    term("HS:40", "cancer du sein", "fr"),
    term("HS:41", "cancer de l'ovaire", "fr"),
    term("HS:42", "aiguë", "fr"),
    term("HS:43", "endocardite", "fr"),
    term("HS:50", "Paludisme, sans précision", "fr"),
    term("HS:51", "CARDIOPATHIE, SAI", "fr", "exact"),
]


@pytest.fixture(scope="module")
def english() -> TerminologyMatcher:
    return TerminologyMatcher.build(ENGLISH, lang="en", abbreviations=())


@pytest.fixture(scope="module")
def french() -> TerminologyMatcher:
    return TerminologyMatcher.build(FRENCH, lang="fr", abbreviations=())


@pytest.mark.parametrize(
    "markup",
    [
        "caused by <ent curie=EN:20 score=0.8 type=variant>deficiency of aspartoacylase</ent>.",
        "a <ent curie=EN:21 score=0.8 type=variant>cancer of the breast</ent> at 40",
        "<ent curie=EN:21 score=0.8>cancer of breast</ent>",
        "severe <ent curie=EN:22 score=0.8 type=variant>G6PD deficiency</ent> in males",
        # the terms themselves still match exactly
        "<ent curie=EN:20 score=0.9 type=synonym>aspartoacylase deficiency</ent>",
    ],
)
def test_english_head_noun_inversions(english: TerminologyMatcher, markup: str) -> None:
    check(english, markup)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (("breast", "cancer"), [("cancer", "of", "breast"), ("cancer", "of", "the", "breast")]),
        (("deficiency", "of", "the", "c9"), [("c9", "deficiency")]),
        (("tetralogy", "of", "fallot"), [("fallot", "tetralogy")]),
        (("the", "heart"), []),  # stop words: no inversion
        (("type", "2", "diabetes"), []),  # numbers: no inversion
        (("renal", "cell", "carcinoma"), []),  # too long
        (("deficiency", "of", "glycerate", "kinase"), [("glycerate", "kinase", "deficiency")]),
        (("x", "y", "of", "z"), []),  # "A B of C": too ambiguous
    ],
)
def test_inversions(key: tuple[str, ...], expected: list[tuple[str, ...]]) -> None:
    assert inversions(key) == expected


def test_subtype_free_key_names_the_only_subtyped_concept(english: TerminologyMatcher) -> None:
    # A narrow term: under any variant.
    check(english, "Known <ent curie=EN:30 score=0.55 type=variant>myotonic dystrophy</ent>.")
    check(english, "Known <ent curie=EN:30 score=1.0>myotonic dystrophy type 1</ent>.")


def test_subtype_free_key_is_dropped_when_subtypes_compete(english: TerminologyMatcher) -> None:
    # "Schwartz-Jampel syndrome 1" and "... 2": the bare name is neither.
    assert english.find_text("Schwartz-Jampel syndrome.") == []


SUBTYPED = [
    term("DO:1", "myotonic dystrophy type 1", "en"),
    term("DO:2", "myotonic dystrophy type 2", "en"),
    term("DO:0", "myotonic disease", "en"),
    term("DO:11", "trichorhinophalangeal syndrome type I", "en"),
    term("DO:12", "trichorhinophalangeal syndrome type II", "en"),
    term("DO:10", "syndrome", "en"),
    term("DO:21", "Schwartz-Jampel syndrome 1", "en"),
    term("DO:22", "Schwartz-Jampel syndrome 2", "en"),
    term("DO:20", "Schwartz-Jampel syndrome spectrum", "en"),
    term("DO:31", "autosomal dominant parkinson disease 1", "en"),
    term("DO:32", "autosomal dominant parkinson disease 8", "en"),
    term("DO:30", "late onset Parkinson's disease", "en"),
]
PARENTS = {
    "DO:1": ["DO:0"],
    "DO:2": ["DO:0", "DO:10"],
    "DO:11": ["DO:10"],
    "DO:12": ["DO:10"],
    "DO:21": ["DO:20"],
    "DO:22": ["DO:10"],
    "DO:31": ["DO:30"],
    "DO:32": ["DO:30"],
}


@pytest.fixture(scope="module")
def subtyped() -> TerminologyMatcher:
    asked: list[list[str]] = []

    def parents(curies: Sequence[str]) -> dict[str, list[str]]:
        asked.append(list(curies))
        return {curie: PARENTS[curie] for curie in curies if curie in PARENTS}

    matcher = TerminologyMatcher.build(SUBTYPED, lang="en", abbreviations=(), parents=parents)
    assert asked == [sorted(PARENTS)]  # one look-up, for the concepts sharing a name only
    return matcher


def test_subtype_free_key_shared_by_subtypes_names_their_common_parent(
    subtyped: TerminologyMatcher,
) -> None:
    # DOID files both types under "myotonic disease": the shared name is that parent's, broadly.
    check(subtyped, "Known <ent curie=DO:0 score=0.55 type=variant>myotonic dystrophy</ent>.")
    check(subtyped, "Known <ent curie=DO:2 score=1.0>myotonic dystrophy type 2</ent>.")


@pytest.mark.parametrize(
    "text",
    [
        "A trichorhinophalangeal syndrome.",  # the common parent is named by a general head alone
        "A Schwartz-Jampel syndrome.",  # no common parent
        "Autosomal dominant parkinson disease.",  # "late onset" is not in the shared name
    ],
)
def test_subtype_free_key_names_no_parent_the_name_does_not_name(
    subtyped: TerminologyMatcher, text: str
) -> None:
    # At most a word of it matches a term of its own ("syndrome").
    assert [mention.text for mention in subtyped.find_text(text) if " " in mention.text] == []


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (("myotonic", "dystrophy", "type", "1"), ("myotonic", "dystrophy")),
        (("schwartz", "jampel", "syndrome", "1"), ("schwartz", "jampel", "syndrome")),
        (("glycogen", "storage", "disease", "ii"), ("glycogen", "storage", "disease")),
        (("niemann", "pick", "disease", "type", "c"), ("niemann", "pick", "disease")),
        (("hyperalphalipoproteinemia", "type", "1"), ("hyperalphalipoproteinemia",)),
        (("hyperalphalipoproteinemia", "1"), None),
        (("deletion", "18q"), None),
        (("diabete", "sucre", "de", "type", "1"), ("diabete", "sucre")),
        (("c3", "deficiency"), None),
        (("deficiency", "of", "c3"), None),  # a lone letter or code only after "type"
        (("type", "1"), None),
        (("mody", "1"), None),  # too short a name left
    ],
)
def test_without_subtype(key: tuple[str, ...], expected: tuple[str, ...] | None) -> None:
    assert without_subtype(key) == expected


@pytest.mark.parametrize(
    "markup",
    [
        "Known <ent curie=EN:40 score=1.0 type=label>von Hippel-Lindau (VHL) disease</ent>.",
        "Known <ent curie=EN:40>von Hippel-Lindau ( VHL ) disease</ent>.",
        # not a short form: read as before
        "von Hippel-Lindau (see below) <ent curie=EN:63>disease</ent>",
        "von Hippel-Lindau (n = 12) <ent curie=EN:63>disease</ent>",
    ],
)
def test_terms_step_over_parenthesised_short_forms(english: TerminologyMatcher, markup: str) -> None:
    check(english, markup)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("von Hippel-Lindau (VHL) disease", [(3, 4)]),
        ("a (G6PD) b (HPT-JT) c", [(1, 2), (3, 5)]),
        ("a (voir) b", []),  # no capital letter
        ("a (n = 12) b", []),
        ("(VHL) disease", []),  # nothing before
        ("disease (VHL)", []),  # nothing after
        ("no parenthesis", []),
    ],
)
def test_parenthesised_gaps(text: str, expected: list[tuple[int, int]]) -> None:
    assert parenthesised_gaps(text, tokenize(text, lang="en")) == expected


@pytest.mark.parametrize(
    "markup",
    [
        "<ent curie=EN:21 score=0.8 type=variant>breast</ent> and <ent curie=EN:23>ovarian cancer</ent>",
        "<ent curie=EN:21>breast</ent> or <ent curie=EN:23>ovarian cancer</ent>",
        "<ent curie=EN:21>breast</ent> and/or <ent curie=EN:23>ovarian cancer</ent>",
        "<ent curie=EN:21>breast</ent>/<ent curie=EN:23>ovarian cancer</ent>",
        "<ent curie=EN:21>breast</ent>-<ent curie=EN:23>ovarian cancer</ent>",
        "<ent curie=EN:21>breast</ent>, <ent curie=EN:23>ovarian</ent>, and "
        "<ent curie=EN:24>prostate cancer</ent>",
        # the shared head may be two words long: the longest that makes a term
        "<ent curie=EN:27>breast</ent> and <ent curie=EN:26>renal cell carcinoma</ent>",
        # no conjunction: "breast" stays the organ
        "<ent curie=EN:25>breast</ent> size and <ent curie=EN:23>ovarian cancer</ent>",
    ],
)
def test_english_conjuncts_share_the_head(english: TerminologyMatcher, markup: str) -> None:
    check(english, markup)


@pytest.mark.parametrize(
    "markup",
    [
        "un <ent curie=HS:40>cancer du sein</ent> et de l'<ent curie=HS:41 type=variant>ovaire</ent>",
        "<ent curie=HS:40>cancer du sein</ent> ou de l'<ent curie=HS:41>ovaire</ent>",
        "<ent curie=HS:40>cancer du sein</ent> et du foie",  # no such term: nothing
    ],
)
def test_french_conjuncts_share_the_head(french: TerminologyMatcher, markup: str) -> None:
    check(french, markup)


@pytest.mark.parametrize(
    "markup",
    [
        "<ent curie=EN:61>X-linked spastic paraplegia</ent> was found",
        "<ent curie=EN:61>sporadic X-linked spastic paraplegia</ent>",
        # a generic head leaves the phrase to the words before it
        "<ent curie=EN:64>X-linked immunodeficiency diseases</ent>",
        "<ent curie=EN:63>disease</ent> onset",
        # not side by side: two mentions
        "<ent curie=EN:62>sporadic</ent>, <ent curie=EN:61>spastic paraplegia</ent>",
        "<ent curie=EN:60>X-linked</ent>\n<ent curie=EN:61>spastic paraplegia</ent>",
        # findings listed without commas are not modifiers of one another: each keeps its concept
        "<ent curie=EN:80>fever</ent> <ent curie=EN:81>chills</ent>",
        "<ent curie=EN:82>hypertension</ent> <ent curie=EN:83>diabetes mellitus</ent>",
    ],
)
def test_adjacent_english_terms_make_one_noun_phrase(english: TerminologyMatcher, markup: str) -> None:
    check(english, markup)


def test_adjacent_french_terms_stay_apart(french: TerminologyMatcher) -> None:
    check(french, "<ent curie=HS:43>endocardite</ent> <ent curie=HS:42>aiguë</ent>")


def test_links_break_ties_between_equal_candidates() -> None:
    terms = [
        term("A:1", "anxiety", "en"),
        term("B:1", "anxiety", "en"),
        term("C:1", "anxiety", "en", "exact"),
    ]
    plain = TerminologyMatcher.build(terms, lang="en", abbreviations=())
    linked = TerminologyMatcher.build(terms, lang="en", abbreviations=(), links={"B:1": 3, "C:1": 9})
    assert [c.curie for c in plain.find_text("anxiety")[0].candidates] == ["A:1", "B:1", "C:1"]
    # the score still comes first: C:1's exact synonym stays under the labels
    assert [c.curie for c in linked.find_text("anxiety")[0].candidates] == ["B:1", "A:1", "C:1"]
    assert linked.links == {"B:1": 3, "C:1": 9}


def test_links_of_concepts_without_terms_are_not_kept() -> None:
    matcher = TerminologyMatcher.build(
        [term("A:1", "anxiety", "en")], lang="en", abbreviations=(), links={"A:1": 2, "Z:9": 5}
    )
    assert matcher.links == {"A:1": 2}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("tumour", "tumor"),
        ("haemangioblastoma", "hemangioblastoma"),
        ("anaemia", "anemia"),
        ("oedema", "edema"),
        ("oesophageal", "esophageal"),
        ("diarrhoea", "diarrhea"),
        ("behaviour", "behavior"),
        ("four", "four"),  # too short to be a British "-our"
        ("shoe", "shoe"),
    ],
)
def test_american(word: str, expected: str) -> None:
    assert american(word) == expected


def test_english_words_are_normalised_to_american_spelling() -> None:
    assert normalise_word("tumours", "en") == "tumor"
    assert normalise_word("tumours", "fr") == "tumour"


def test_british_spelling_is_an_exact_match_of_the_american_term(english: TerminologyMatcher) -> None:
    # "haemangioblastoma" is EN:70's label in American spelling: exact (1.0), ahead of EN:71's
    # synonym; EN:71's British label ties with it, then build order.
    (mention,) = english.find_text("haemangioblastomas")
    assert [(c.curie, c.score) for c in mention.candidates] == [("EN:70", 0.8), ("EN:71", 0.8)]
    (mention,) = english.find_text("haemangioblastoma")
    assert [(c.curie, c.score) for c in mention.candidates] == [("EN:70", 1.0), ("EN:71", 1.0)]


@pytest.mark.parametrize(
    "markup",
    [
        "<ent curie=EN:90 score=0.8 type=variant>C7 deficiency</ent> in two sisters",
        "hereditary <ent curie=EN:90 type=variant>complement C7 deficiency</ent>",
        "complete <ent curie=EN:90 type=variant>deficiency of C7</ent>",
        "<ent curie=EN:90 type=variant>C7-deficient</ent> serum",
        # the term itself, still exact
        "<ent curie=EN:90 score=1.0 type=label>complement component 7 deficiency</ent>",
        # a lone C7 is no complement component: the short name needs the words after it
        "a <ent curie=EN:92>vertebral fracture</ent> of C7",
    ],
)
def test_complement_components_by_their_short_names(english: TerminologyMatcher, markup: str) -> None:
    check(english, markup)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        (
            ("complement", "component", "7", "deficiency"),
            [("complement", "c7", "deficiency"), ("c7", "deficiency")],
        ),
        (
            ("hereditary", "complement", "component", "2", "deficiency"),
            [
                ("hereditary", "complement", "c2", "deficiency"),
                ("hereditary", "c2", "deficiency"),
            ],
        ),
        (("complement", "component", "7"), []),  # nothing after the number
        (("complement", "component", "10", "deficiency"), []),  # no such component
        (("complement", "factor", "h", "deficiency"), []),
    ],
)
def test_complement_short_forms(key: tuple[str, ...], expected: list[tuple[str, ...]]) -> None:
    assert complement_short_forms(key) == expected


def test_deficient_reads_as_deficiency() -> None:
    assert [token.norm for token in tokenize("HPRT1-deficient cells", lang="en")] == [
        "hprt1",
        "deficiency",
        "cell",
    ]
    assert normalise_word("deficient", "fr") == "deficient"


def test_an_adjective_is_a_variant_of_the_noun_term(english: TerminologyMatcher) -> None:
    (mention,) = english.find_text("HPRT1-deficient")
    assert (mention.candidates[0].curie, mention.candidates[0].match_type) == ("EN:91", "variant")


@pytest.mark.parametrize(
    ("matcher_name", "markup"),
    [
        ("french", "un accès de <ent curie=HS:50 score=0.8 type=variant>paludisme</ent> grave"),
        ("french", "des <ent curie=HS:51 type=variant>cardiopathies</ent> congénitales"),
        ("french", "<ent curie=HS:50 score=1.0 type=label>paludisme, sans précision</ent>"),
        ("english", "imported <ent curie=EN:93 type=variant>malaria</ent> in travellers"),
    ],
)
def test_icd10_unspecified_categories_are_named_without_the_qualifier(
    request: pytest.FixtureRequest, matcher_name: str, markup: str
) -> None:
    check(request.getfixturevalue(matcher_name), markup)


@pytest.mark.parametrize(
    ("text", "lang", "key"),
    [
        ("Paludisme, sans précision", "fr", ("paludisme",)),
        ("Déficit immunitaire, sans precision", "fr", ("deficit", "immunitaire")),
        ("Malaria, NOS", "en", ("malaria",)),
        ("Tumeur maligne du médiastin, partie non précisée", "fr", ("tumeur", "maligne", "du", "mediastin")),
        ("Infection des voies urinaires, siège non précisé", "fr", ("infection", "des", "voie", "urinaire")),
    ],
)
def test_unspecified_names_are_keys(text: str, lang: str, key: tuple[str, ...]) -> None:
    assert key in term_keys(text, lang=lang)


def test_other_categories_keep_their_words() -> None:
    # "Autres ..." (other) and "NCA" (not elsewhere classified) say what the category leaves out.
    assert term_keys("Autres affections pulmonaires", lang="fr") == [("autre", "affection", "pulmonaire")]
    assert ("affection", "pulmonaire") not in term_keys("Affections pulmonaires, NCA", lang="fr")
