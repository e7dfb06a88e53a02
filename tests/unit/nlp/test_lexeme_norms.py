"""hs.lexeme_norms, eds.normalizer and hs.pollution as fr.cfg sets them: the NORM, EXCLUDED tokens and
pollution spans of EDS-NLP's default normaliser, with less work."""

from __future__ import annotations

import edsnlp
import pytest
from spacy.attrs import NORM

from nlp.qualifiers import _pipeline
from nlp.qualifiers.factory import accents_and_quotes
from nlp.qualifiers.pollution import GUARDS

# (text, labels of the pollution spans EDS-NLP finds). Typographic apostrophes (\u2019, \u2018, \u00b4)
# and quotes that the quotes table straightens; upper case; page footers, one per branch of EDS-NLP's
# footer pattern (page number, IPP, "imprimé le"), and text near them that is no footer.
TEXTS = [
    (
        "Pas d\u2019évolution de la dyspnée. ANTÉCÉDENTS FAMILIAUX : "
        "mère décédée d\u2018un cancer « du sein ».",
        set(),
    ),
    (
        "Le patient n'a pas de fièvre ; Œdème des membres inférieurs, ÇA VA, «“Hémocultures” négatives».",
        set(),
    ),
    (
        "Dr. Jean Martin\nwww.hopital.fr\n\n  \t Conclusion :\n"
        "Pas d'infarctus, pas d`angor ni de \u00b4toux\u00b4.",
        {"doctors", "web"},
    ),
    (
        "Pas de fièvre.\n2/3\npat: Martin\nCourrier validé par Dr X\nToux.\n"
        "12/03/2021 Dupont 8012345678 cardio\n"
        "IMPRIMÉ LE 01/02/2020 page 1/2 pat Durand 03/04/1950\nAbsence de dyspnée.",
        {"footer"},
    ),
    ("Bilan du 12/03/2021 : 3/4 des prélèvements positifs, imprimante en panne, dossier 80123.", set()),
    # Each guarded branch of `information` and `web`, then their guards' words in text that is neither.
    (
        "Conclusion : pas de fièvre.\nInformation aux patients : vos données sont utilisées, voir "
        "https://recherche.aphp.fr/eds/droit-opposition.\nL\u2019ARRÊT DU TABAC permet de diminuer le "
        "risque de maladie cardiovasculaire.\nToux.",
        {"information"},
    ),
    ("Contact : secretariat@hopital.org, WWW.exemple.fr, voir aussi chu-exemple.com.\nDyspnée.", {"web"}),
    ("Tabagisme actif, arrêt du tabac conseillé ; 3 @ 5 mg ; www ; score 4.frac ; Fr.", set()),
]


def test_one_table_translates_as_accents_then_quotes() -> None:
    table = accents_and_quotes()
    replaced = "".join(characters for characters, _ in table)
    assert len(set(replaced)) == len(replaced)  # the two tables share no character
    assert not {replacement for _, replacement in table} & set(replaced)  # no replacement is replaced


@pytest.mark.parametrize(("text", "labels"), TEXTS)
def test_norm_and_pollution_as_the_default_normaliser(text: str, labels: set[str]) -> None:
    default = edsnlp.blank("eds")
    default.add_pipe("eds.normalizer")
    ours = _pipeline("fr")
    with ours.select_pipes(enable=["lexeme_norms", "normalizer", "pollution"]):
        doc = ours(text)
    expected = default(text)
    assert [token.norm_ for token in doc] == [token.norm_ for token in expected]
    # Norm ids, not only strings: the matchers read the NORM attribute's ids.
    assert (doc.to_array([NORM]) == expected.to_array([NORM])).all()
    assert [token.norm_ for token in doc] != [token.text.lower() for token in doc]  # accents were removed
    assert [token.tag_ == "EXCLUDED" for token in doc] == [token.tag_ == "EXCLUDED" for token in expected]
    pollutions = [(span.start, span.end, span.label_) for span in doc.spans["pollutions"]]
    assert pollutions == [(span.start, span.end, span.label_) for span in expected.spans["pollutions"]]
    assert {label for _, _, label in pollutions} >= labels


def test_costly_patterns_are_guarded() -> None:
    assert _pipeline("fr").get_pipe("pollution").guarded == frozenset(GUARDS)
