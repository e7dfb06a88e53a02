"""Adjectives and patient nouns that name a disease (data: ``nlp/resources/derived_forms.tsv``).

"Patient diabétique", "une femme asthmatique", "diabetic patients", "a febrile child": the text says
the patient has diabetes, asthma or fever without the noun any terminology names it by, and a query
such as "insuffisance cardiaque chez le diabétique" lost its second concept. Each row gives a form
and the term it derives from (an exact label or synonym of the concept, in the same language); the
matcher indexes the form for the concepts that term names, as a normalised variant of that term.

Only forms that, alone, say that the person has the disease are listed: "septique", "alcoolique",
"cancéreux" or "dément" (also a verb) are not, as "fosse septique", "boissons alcooliques",
"cellules cancéreuses" or "il dément" do not. Longer terms still win ("rétinopathie diabétique",
"febrile seizure" are their own concepts), and the qualifiers read the mention as any other ("non
diabétique" is negated).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nlp.matcher.curated_lists import curated_rows
from nlp.matcher.errors import DerivedFormsError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "resources" / "derived_forms.tsv"
COLUMNS = ("form", "lang", "term", "note")
LANGUAGES = ("fr", "en")


@dataclass(frozen=True)
class DerivedForm:
    """A word or phrase (``form``) that names the concepts whose label or exact synonym is ``term``."""

    form: str
    lang: str
    term: str


def load_derived_forms(path: Path | None = None) -> tuple[DerivedForm, ...]:
    """The rows of a derived-forms TSV (the list shipped with the package when ``path`` is ``None``).

    Raises:
        DerivedFormsError: the file lacks the columns, or a row lacks a form or a term or names another
            language than French or English (file and line in the message).
    """
    source = path or DEFAULT_PATH
    forms = []
    for line, row in curated_rows(source, COLUMNS, DerivedFormsError):
        if not row["form"] or not row["term"] or row["lang"] not in LANGUAGES:
            raise DerivedFormsError(
                f"{source}:{line}: a row needs a form, a language among {', '.join(LANGUAGES)} and a term"
            )
        forms.append(DerivedForm(row["form"], row["lang"], row["term"]))
    return tuple(forms)
