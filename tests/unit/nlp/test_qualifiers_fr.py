"""French qualifiers: EDS-NLP components + post-rules, written as markup."""

from __future__ import annotations

import pytest
from qualifier_markup import check, parse
from spacy.tokens import Span

from nlp.model import Qualifiers
from nlp.qualifiers import _pipeline, qualify
from nlp.qualifiers.family import GuardedFamily


def test_parse_markup() -> None:
    text, spans, expected = parse("Pas de <ent negated=true>fièvre</ent>.")
    assert (text, spans, expected) == ("Pas de fièvre.", [(7, 13)], [{"negated": "true"}])


@pytest.mark.parametrize(
    "markup",
    [
        "Pas de <ent negated=true>fièvre</ent>.",
        "Absence de <ent negated=true>douleur thoracique</ent>.",
        "<ent negated=true>Fièvre</ent> non retrouvée.",
        "Le patient présente une <ent negated=false hypothetical=false>toux</ent>.",
        "Pas de <ent negated=true>fièvre</ent> ni de <ent negated=true>toux</ent>.",
    ],
)
def test_negation(markup: str) -> None:
    check(markup, lang="fr")


@pytest.mark.parametrize(
    "markup",
    [
        "Suspicion d'<ent hypothetical=true>embolie pulmonaire</ent>.",
        "Possible <ent hypothetical=true>pneumopathie</ent>.",
    ],
)
def test_hypothesis(markup: str) -> None:
    check(markup, lang="fr")


@pytest.mark.parametrize(
    "markup",
    [
        "Mère décédée d'un <ent family=true>cancer du sein</ent>.",
        "Le patient a un <ent family=false>diabète</ent>.",
        # a disease of childhood, not of a child
        "<ent family=false>Asthme</ent> de l'enfant.",
        "Le patient présente une <ent family=false>leucémie aiguë</ent> de l'enfant.",
        "<ent family=false>Asthme</ent> sévère chez les enfants.",
        "<ent family=true>Asthme</ent> chez l'enfant de la patiente.",
        "Sa fille a un <ent family=true>asthme</ent>.",
        "Antécédents familiaux :\n<ent family=true>Asthme</ent> de l'enfant.",
        # a relative reporting on the patient
        "La mère rapporte que l'enfant a de la <ent family=false>fièvre</ent> depuis 3 jours.",
        "Le père signale que sa fille a un <ent family=false>asthme</ent>.",
        "La mère rapporte qu'elle a un <ent family=true>diabète</ent>.",
        "Le patient rapporte que sa fille a un <ent family=true>asthme</ent>.",
    ],
)
def test_family(markup: str) -> None:
    check(markup, lang="fr")


@pytest.mark.parametrize(
    "markup",
    [
        "Antécédent d'<ent historical=true>infarctus</ent>.",
        "Antécédents d'<ent historical=true>appendicectomie</ent> en 1990.",
    ],
)
def test_history(markup: str) -> None:
    check(markup, lang="fr")


@pytest.mark.parametrize(
    "markup",
    [
        # double negation: a hypothesis, not a negation
        "Le scanner ne permet pas d'exclure une "
        "<ent negated=false hypothetical=true>embolie pulmonaire</ent>.",
        "On ne peut exclure une <ent negated=false hypothetical=true>embolie pulmonaire</ent>.",
        "Il est impossible d'exclure une <ent negated=false hypothetical=true>méningite</ent>.",
        # negated modifier after an affirmed entity
        "<ent negated=false>Diabète</ent> non insulino-dépendant.",
        "<ent negated=false>Toux</ent> non productive.",
        # pseudo-negation
        "Pas d'amélioration de la <ent negated=false>dyspnée</ent>.",
        # negative results
        "Sérologies <ent negated=true>VIH</ent> négatives.",
        "<ent negated=true>Hémocultures</ent> : négatives.",
        "Recherche de <ent negated=true hypothetical=false>tuberculose</ent> négative.",
        # a negated modifier past words of the entity's own
        "<ent negated=false>Douleur</ent> thoracique non irradiante.",
        # lists after a negation
        "Pas de fièvre, de <ent negated=true>toux</ent> ou de <ent negated=true>dyspnée</ent>.",
        "Absence de fièvre, d'<ent negated=true>asthénie</ent> et de <ent negated=true>toux</ent>.",
        # hypotheses EDS-NLP does not list
        "Tableau évocateur d'une <ent hypothetical=true>appendicite</ent>.",
        "À confirmer : <ent hypothetical=true>lymphome</ent>.",
        "Diagnostic à éliminer : <ent hypothetical=true negated=false>sarcoïdose</ent>.",
    ],
)
def test_post_rules(markup: str) -> None:
    check(markup, lang="fr")


@pytest.mark.parametrize(
    "markup",
    [
        # a negation cue before the mention: the modifier rule must not lift it
        "Pas de <ent negated=true>fièvre</ent> non contrôlée.",
        # the negative result belongs to another test, past the comma
        "<ent negated=false>Fièvre</ent>, CRP négative.",
        "<ent negated=false>Hémocultures</ent> positives.",
        # a list item without "de" after the negation, or after "mais", is affirmed
        "Pas de fièvre, <ent negated=false>toux</ent> productive depuis trois jours.",
        "Pas de fièvre, mais présence de <ent negated=false>toux</ent>.",
        "Pas de fièvre ; en revanche beaucoup de <ent negated=false>toux</ent>.",
        # a postposed negation of the finding past two words stays a negation
        "<ent negated=true>Fièvre</ent> élevée non retrouvée.",
    ],
)
def test_post_rules_do_not_overreach(markup: str) -> None:
    check(markup, lang="fr")


@pytest.mark.parametrize(
    "markup",
    [
        "Antécédents :\n<ent historical=true section=antecedents>Diabète de type 2</ent>.\n"
        "Histoire de la maladie :\n<ent historical=false section=history_of_present_illness>Fièvre</ent>"
        " depuis 3 jours.\n"
        "Antécédents familiaux :\n<ent family=true section=family_history>Asthme</ent> chez le père.",
        "Le patient a de la <ent section=none>fièvre</ent>.",
    ],
)
def test_sections(markup: str) -> None:
    check(markup, lang="fr")


def test_overlapping_spans_each_get_a_result() -> None:
    text = "Pas de cancer du sein."
    results = qualify(text, [(7, 21), (7, 13)], lang="fr")
    assert [q for q, _ in results] == [Qualifiers(negated=True), Qualifiers(negated=True)]


@pytest.mark.parametrize(
    ("spans", "lang"),
    [([(0, 0)], "fr"), ([(3, 99)], "fr"), ([(0, 3)], "de")],
)
def test_bad_input_raises(spans: list[tuple[int, int]], lang: str) -> None:
    with pytest.raises(ValueError):
        qualify("Pas de fièvre.", spans, lang=lang)


def test_no_spans() -> None:
    assert qualify("Pas de fièvre.", [], lang="fr") == []


@pytest.mark.parametrize(
    ("text", "may_mark"),
    [
        ("Patiente de 45 ans, tumeur du sein traitée par chimiothérapie.", False),
        ("Sa mère a eu un cancer du sein.", True),
        # the norms are read: case and accents do not hide a cue
        ("SA MERE A EU UN CANCER DU SEIN.", True),
        ("Le frère aîné est asthmatique.", True),
        # "grand" alone is no cue: "grand-père" needs both words
        ("Masse de plus grand axe 3 cm, père non connu.", True),
        ("Masse de plus grand axe 3 cm.", False),
    ],
)
def test_the_family_qualifier_skips_only_documents_without_its_cues(text: str, may_mark: bool) -> None:
    # hs.family is eds.family that skips documents holding all the words of none of its cues: its
    # marks are eds.family's (the family markup above), and it says which documents it skips.
    nlp = _pipeline("fr")
    family = nlp.get_pipe("family")
    assert isinstance(family, GuardedFamily)
    doc = nlp.make_doc(text)
    for _, component in nlp.pipeline[: nlp.pipe_names.index("family")]:
        doc = component(doc)
    assert family.may_mark(doc) is may_mark


def test_the_family_qualifier_reads_a_family_history_section_without_cue_words() -> None:
    nlp = _pipeline("fr")
    family = nlp.get_pipe("family")
    doc = nlp("Rien à signaler.")
    doc.spans["sections"] = [Span(doc, 0, len(doc), label="antécédents familiaux")]
    assert family.may_mark(doc)
