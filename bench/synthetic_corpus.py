"""A synthetic clinical corpus, generated from ontology labels and templates, for load benchmarks.

    .venv/bin/python -m bench.synthetic_corpus --docs 10000 --out /tmp/synth-10k.jsonl \\
        [--seed 7] [--manifest ontologies/manifests/demo.toml | --terms FILE.tsv] \\
        [--patients-per-doc-ratio 0.25]

What it is: JSON Lines in the format of our ``jsonl`` document reader (``nlp.documents.readers``),
French and English discharge summaries, consultation notes, operative reports and radiology reports,
written by filling fixed sentence templates with concept labels (sometimes synonyms) drawn from the
ontologies of a manifest, loaded with the pure loader code (no Neo4j). Sentences state findings as
affirmed, negated ("pas de", "no", "denies"), hypothetical ("suspicion de", "rule out"), family
history ("Mère : ...", "family history of") and personal history ("antécédent de", "history of"), so
that the NLP qualifiers and the search filters have work to do. Each patient has 1 to 8 documents
(4 on average by default) spread over up to three years.

What it is for: load and latency benchmarks (ingest throughput, index size, search latency over a
corpus of a given size). What it is not: clinical text. The sentences are template-made, the
terms are drawn at random (a skewed draw, so that some concepts are frequent), and nothing here
tells how well the NLP or the search performs on real notes; use the gold corpora for quality.
No real patient data is involved, and documents name no one.

Output: ``OUT`` (one document a line, written as generated, so 100k documents never sit in memory)
and ``OUT.manifest.json`` (seed, counts per language, type and mention category, term source), which
a benchmark can quote to say what the corpus holds. Same seed, arguments and terms: same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from typing import Any, TextIO, TypeVar

_T = TypeVar("_T")

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MANIFEST = REPO / "ontologies" / "manifests" / "demo.toml"
GENERATOR = "bench.synthetic_corpus"
GENERATOR_VERSION = 1
NOTE = "synthetic: generated from ontology labels and templates; not clinical text"
SOURCE = "synthetic"

LANGS = ("fr", "en")
TYPES = ("discharge_summary", "consultation", "operative_report", "radiology_report")
_TYPE_WEIGHTS = (30, 35, 15, 20)
CATEGORIES = ("affirmed", "negated", "hypothetical", "family", "history", "medication")

MAX_DOCS_PER_PATIENT = 8
PROGRESS_EVERY = 10_000
# Draw index = n * u**k: with k = 2 the first 1% of a shuffled pool gets 10% of the draws,
# so some concepts are frequent (searches with many hits) and most are rare, as in real notes.
_ZIPF_EXPONENT = 2.0
_SYNONYM_SHARE = 0.25  # how often a mention uses a synonym (when the concept has one in that language)
# Fewer disease-like terms than this in a language: fall back to every non-drug label in it.
_MIN_FINDINGS = 20
_FIRST_DAY = dt.date(2018, 1, 1)  # fixed, not today: the output must not depend on when it is run
_FIRST_DAYS_SPAN = 5 * 365  # with the 3-year span per patient, dates end before 2026
_PATIENT_SPAN_DAYS = 3 * 365

# --- terms -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A concept as the generator writes it in one language: preferred label and usable synonyms."""

    curie: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class TermPools:
    """Terms by language: findings (diseases, phenotypes) and drugs, each sorted by CURIE."""

    findings: Mapping[str, tuple[Term, ...]]
    drugs: Mapping[str, tuple[Term, ...]]
    source: Mapping[str, Any]  # how they were obtained, for the corpus manifest


# Labels that read badly inside a sentence (classification leftovers) or are too long to be a mention.
_BAD_LABEL = re.compile(
    r"unspecified|not elsewhere classified|\bNEC\b|\bNOS\b|sans précision|\bSAI\b|\bNCA\b"
    r"|non classée?s? ailleurs|^other\b|^autres?\b|[\[\];:]| - |\([A-Z]\d",
    re.IGNORECASE,
)
# Labels holding a qualifier cue ("Absent thumb", "sans complication", "Family history of ...") are
# left out: the cue would give the mention another qualifier than the one it is counted under.
_CUE_WORD = re.compile(
    r"\b(no|not|non|without|sans|absent|absence|denies|possible|probable|suspected|suspicion|history"
    r"|antécédents?|famil\w*|mère|père|enfants?|fils|filles?|parents?|frères?|s[oœ]eurs?|mari|épouse"
    r"|mother|father|brother|sister|sibling|maternal|paternal|risque)\b",
    re.IGNORECASE,
)
_MAX_LABEL_CHARS = 60
_MAX_LABEL_WORDS = 7
# A drug class: "Cardiometabolic drug", "Médicament cardiométabolique" (not "Drug allergy").
_DRUG_LABEL = re.compile(r"(\bdrugs?$)|(^médicaments?\b)", re.IGNORECASE)
# HPO: only "Phenotypic abnormality" descendants are findings (not modes of inheritance, onsets...).
_FINDING_ROOTS = {"HP": "HP:0000118"}


def usable_label(text: str) -> bool:
    """A label short and clean enough to be written as a mention."""
    text = text.strip()
    return (
        2 < len(text) <= _MAX_LABEL_CHARS
        and len(text.split()) <= _MAX_LABEL_WORDS
        and not _BAD_LABEL.search(text)
        and not _CUE_WORD.search(text)
    )


def _usable_synonym(text: str, label: str) -> bool:
    # All-capital synonyms longer than an acronym are CIM-10 / ATC short forms ("CHUTE DUE A ...").
    shouting = text.isupper() and len(text) > 6
    return usable_label(text) and not shouting and text.casefold() != label.casefold()


def _term(curie: str, label: str, synonyms: Iterable[str]) -> Term:
    kept = sorted({text.strip() for text in synonyms if _usable_synonym(text.strip(), label)})
    return Term(curie=curie, label=label.strip(), synonyms=tuple(kept))


def load_terms_tsv(path: Path) -> TermPools:
    """Terms from a TSV: ``curie, lang, text[, kind]``; a concept's first row in a language is its label.

    ``kind`` is ``finding`` (the default) or ``drug``. Blank lines, ``#`` comments and a
    ``curie	lang	text`` header are skipped.
    """
    rows: dict[tuple[str, str, str], list[str]] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            fields = [part.strip() for part in line.rstrip("\r\n").split("\t")]
            if not line.strip() or line.startswith("#") or fields[:3] == ["curie", "lang", "text"]:
                continue
            if len(fields) < 3 or not all(fields[:3]):
                raise ValueError(f"{path}:{number}: expected curie<TAB>lang<TAB>text[<TAB>kind]")
            kind = fields[3] if len(fields) > 3 and fields[3] else "finding"
            if kind not in {"finding", "drug"}:
                raise ValueError(f"{path}:{number}: kind must be finding or drug, not {kind!r}")
            rows.setdefault((kind, fields[1], fields[0]), []).append(fields[2])
    pools: dict[str, dict[str, list[Term]]] = {"finding": {}, "drug": {}}
    for (kind, lang, curie), texts in sorted(rows.items()):
        pools[kind].setdefault(lang, []).append(_term(curie, texts[0], texts[1:]))
    findings = {lang: tuple(terms) for lang, terms in sorted(pools["finding"].items())}
    drugs = {lang: tuple(terms) for lang, terms in sorted(pools["drug"].items())}
    source = {
        "kind": "terms",
        "path": _shown(path),
        "findings": {lang: len(terms) for lang, terms in findings.items()},
        "drugs": {lang: len(terms) for lang, terms in drugs.items()},
    }
    return TermPools(findings=findings, drugs=drugs, source=source)


def load_terms_manifest(path: Path = DEFAULT_MANIFEST) -> TermPools:
    """Terms from the ontologies of a manifest, parsed by ``ontologies.registry.read_source``.

    Findings: ICD-10 / CIM-10 categories of chapters A-R (diseases, symptoms; not injuries, external
    causes or Z codes), HPO phenotypic abnormalities, and any other source's concepts that are not
    drugs. Drugs: ATC substances and concepts under a "drug" / "médicament" concept. Obsolete
    concepts and labels that read badly in a sentence are left out.
    """
    # Imported here: `--terms` runs (the unit tests) need not import the loaders.
    from ontologies.manifest import read_manifest
    from ontologies.registry import read_source

    manifest = read_manifest(path)
    kept: dict[str, dict[str, dict[str, Term]]] = {"finding": {}, "drug": {}}
    other: dict[str, dict[str, Term]] = {}  # non-drug concepts failing the finding test, for fallback
    sources: list[dict[str, Any]] = []
    for spec in manifest.sources:
        release = read_source(spec)
        kinds = _classify(release.concepts, spec.format)
        counted: dict[str, Counter[str]] = {"finding": Counter(), "drug": Counter()}
        for concept in release.concepts:
            kind = kinds.get(concept.curie)
            if concept.obsolete or kind == "none":
                continue
            for lang in LANGS:
                label = concept.label(lang)
                if label is None or not usable_label(label):
                    continue
                synonyms = (synonym.text for synonym in concept.synonyms if synonym.lang == lang)
                term = _term(concept.curie, label, synonyms)
                if kind in kept:
                    kept[kind].setdefault(lang, {})[concept.curie] = term
                    counted[kind][lang] += 1
                else:
                    other.setdefault(lang, {})[concept.curie] = term
        sources.append(
            {
                "id": release.release.source,
                "version": release.release.version,
                "format": spec.format,
                "findings": dict(sorted(counted["finding"].items())),
                "drugs": dict(sorted(counted["drug"].items())),
            }
        )
    fallback = []
    for lang in LANGS:
        if len(kept["finding"].get(lang, {})) < _MIN_FINDINGS and other.get(lang):
            # Too few disease-like concepts (an unknown source layout): use every non-drug label.
            kept["finding"].setdefault(lang, {}).update(other[lang])
            fallback.append(lang)
    findings = {
        lang: tuple(terms[curie] for curie in sorted(terms)) for lang, terms in kept["finding"].items()
    }
    drugs = {lang: tuple(terms[curie] for curie in sorted(terms)) for lang, terms in kept["drug"].items()}
    source = {
        "kind": "manifest",
        "path": _shown(path),
        "name": manifest.name,
        "sources": sources,
        "findings": {lang: len(findings[lang]) for lang in sorted(findings)},
        "drugs": {lang: len(drugs[lang]) for lang in sorted(drugs)},
        "fallback_to_all_labels": fallback,
    }
    return TermPools(findings=findings, drugs=drugs, source=source)


def _classify(concepts: Sequence[Any], fmt: str) -> dict[str, str]:
    """CURIE -> "finding", "drug", "other" (not a finding, usable as fallback) or "none" (never)."""
    parents = {concept.curie: concept.parents for concept in concepts}
    drug_roots = {
        concept.curie
        for concept in concepts
        if any(_DRUG_LABEL.search(label.text) for label in concept.labels)
    }
    has_children = {parent for concept in concepts for parent in concept.parents}
    memo: dict[str, frozenset[str]] = {}

    def ancestors(curie: str) -> frozenset[str]:
        # Iterative, memoised: HPO is a DAG 15+ levels deep, visited 19k times.
        if curie in memo:
            return memo[curie]
        seen: set[str] = set()
        stack = list(parents.get(curie, ()))
        while stack:
            parent = stack.pop()
            if parent in seen:
                continue
            seen.add(parent)
            if parent in memo:
                seen |= memo[parent]
            else:
                stack.extend(parents.get(parent, ()))
        memo[curie] = frozenset(seen)
        return memo[curie]

    kinds: dict[str, str] = {}
    for concept in concepts:
        curie: str = concept.curie
        prefix, _, local = curie.partition(":")
        if fmt == "atc":
            kinds[curie] = "drug" if concept.kind == "atc-level-5" else "none"
        elif concept.kind in {"chapter", "block"}:
            kinds[curie] = "none"  # ICD groupings: "Diseases of the circulatory system" is no mention
        elif concept.kind in {"category", "subcategory"}:
            # ICD-10 style codes: chapters A-R are diseases and symptoms; S-Z are injuries, external
            # causes, contact factors and special codes.
            kinds[curie] = "finding" if "A" <= local[:1].upper() <= "R" else "none"
        elif prefix in _FINDING_ROOTS:
            kinds[curie] = "finding" if _FINDING_ROOTS[prefix] in ancestors(curie) else "other"
        elif curie in drug_roots or ancestors(curie) & drug_roots:
            # Drug classes ("Antidiabetic drug") are not prescribed: substances only, the leaves.
            kinds[curie] = "none" if curie in has_children else "drug"
        else:
            kinds[curie] = "finding"
    return kinds


def _shown(path: Path) -> str:
    """A path as the manifest records it: relative to the repository when inside it (portable bytes)."""
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return str(path)


# --- templates ---------------------------------------------------------------------------------
# Every template of a mention pool holds exactly one {t} (term inline) or {T} (term starting a
# sentence); {de} is "de " or "d'" before it. Filler templates hold none. Mentions stand in their
# own sentence, and fillers avoid negation and hypothesis cues next to terms, so that each mention
# has the one qualifier it is counted under (ConText and EDS-NLP scopes run to the sentence's end).

_FR: dict[str, tuple[str, ...]] = {
    "reason": (
        "Hospitalisation pour {t}.",
        "{Pt} adressé{e} par son médecin traitant pour {t}.",
        "Admission pour prise en charge {de}{t}.",
        "{Pt} hospitalisé{e} pour {t}.",
    ),
    "consult_reason": (
        "Consultation pour {t}.",
        "{Pt} adressé{e} en consultation pour {t}.",
        "Avis demandé pour {t}.",
        "Suivi {de}{t}.",
    ),
    "affirmed": (
        "{Il} présente depuis {n} jours {t}.",
        "Apparition récente {de}{t}.",
        "Majoration progressive {de}{t} depuis {n} semaines.",
        "Le bilan initial retrouve {t}.",
        "On note {t}.",
        "Présence {de}{t}.",
    ),
    "exam": (
        "Examen notable pour {t}.",
        "On retrouve à l'examen {t}.",
        "Présence {de}{t} à l'examen.",
    ),
    "imaging": (
        "Le scanner retrouve {t}.",
        "L'échographie montre {t}.",
        "Mise en évidence {de}{t}.",
    ),
    "indication": (
        "Intervention indiquée pour {t}.",
        "Prise en charge chirurgicale {de}{t}.",
        "{Pt} opéré{e} pour {t}.",
    ),
    "context": ("Contexte {de}{t}.", "{Pt} suivi{e} pour {t}.", "Bilan {de}{t}."),
    "course": (
        "Évolution marquée par {t}.",
        "Séjour compliqué {de}{t}.",
        "Survenue {de}{t} au cours du séjour.",
    ),
    "negated": (
        "Pas {de}{t}.",
        "Absence {de}{t}.",
        "{Il} ne rapporte pas {de}{t}.",
        "Pas {de}{t} à l'interrogatoire.",
        "Pas de signe {de}{t}.",
    ),
    "negated_exam": ("Pas {de}{t}.", "Absence {de}{t} à l'examen.", "Pas de signe {de}{t}."),
    "negated_imaging": ("Pas {de}{t}.", "Absence {de}{t}.", "Pas d'argument pour {t}."),
    # Cues EDS-NLP's eds.hypothesis knows ("à discuter", "évocateur de" it does not; "confirmer" is
    # one of its confirmation cues, which would cancel the hypothesis).
    "hypothetical": (
        "Suspicion {de}{t}.",
        "Probable {t}.",
        "{T} possible.",
        "Hypothèse {de}{t} évoquée.",
        "Bilan à la recherche {de}{t}.",
        "On suspecte {t}.",
    ),
    "history": (
        "- {T}",
        "- {T} depuis {year}",
        "- {T} (diagnostic en {year})",
        "- Antécédent {de}{t}.",
    ),
    "history_inline": ("Antécédent {de}{t}.", "Antécédent connu {de}{t}."),
    "family": (
        "- Mère : {t}.",
        "- Père : {t}.",
        "- Frère : {t}.",
        "- Sœur : {t}.",
        "- Antécédent familial {de}{t} (mère).",
        "- Père traité pour {t}.",
        "- Mère suivie pour {t}.",
    ),
    "medication": (
        "- {T} {dose} mg, une fois par jour",
        "- {T} {dose} mg, matin et soir",
        "- {T} {dose} mg le soir",
    ),
    "conclusion": ("{T}.", "Diagnostic retenu : {t}.", "Au total, {t}."),
    "vitals": (
        "TA {sys}/{dia} mmHg, FC {hr}/min, SpO2 {spo2} % en air ambiant, température {temp} °C.",
        "Poids {weight} kg, taille {height} cm.",
    ),
    "exam_filler": (
        "Bon état général.",
        "Conscient{e} et orienté{e}.",
        "Abdomen souple, dépressible et indolore.",
        "Bruits du cœur réguliers.",
        "Murmure vésiculaire symétrique.",
        "Mollets souples.",
        "Pouls périphériques perçus.",
        "Examen neurologique normal.",
        "Pupilles symétriques et réactives.",
        "Téguments bien colorés.",
        "Marche autonome.",
    ),
    "labs": (
        "Biologie : hémoglobine {hb} g/dL, leucocytes {wbc} G/L, plaquettes {plt} G/L, "
        "créatinine {creat} µmol/L, CRP {crp} mg/L.",
        "Ionogramme : sodium {na} mmol/L, potassium {k} mmol/L.",
    ),
    "hpi_filler": (
        "Vit à domicile, autonome pour les actes de la vie quotidienne.",
        "Tabagisme sevré depuis {n} ans.",
        "Consommation d'alcool occasionnelle.",
        "Les symptômes ont débuté progressivement.",
        "{Il} a consulté aux urgences le jour de l'admission.",
        "Le traitement habituel a été poursuivi.",
        "Majoration de l'asthénie depuis {n} jours.",
        "{Il} est suivi{e} régulièrement par son médecin traitant.",
        "Perte de poids de {kg} kg en trois mois.",
        "Activité physique régulière.",
        "Retraité{e}.",
    ),
    "plan_filler": (
        "Consultation de suivi dans {n} semaines.",
        "Bilan biologique de contrôle à prévoir.",
        "Courrier adressé au médecin traitant.",
        "Réévaluation clinique à la prochaine consultation.",
    ),
    "course_filler": (
        "Évolution favorable sous traitement.",
        "Surveillance clinique et biologique quotidienne.",
        "Retour à domicile avec suivi par le médecin traitant.",
        "Reprise progressive de l'autonomie au cours du séjour.",
        "Traitement adapté en fonction de la tolérance clinique.",
        "Mobilisation précoce au fauteuil.",
        "Alimentation reprise à J{day}.",
        "Douleurs contrôlées par des antalgiques simples.",
    ),
    "procedure": (
        "Laparoscopie exploratrice",
        "Cholécystectomie par cœlioscopie",
        "Pose de prothèse totale de hanche",
        "Coronarographie avec angioplastie",
        "Résection colique segmentaire",
        "Thyroïdectomie totale",
    ),
    "procedure_filler": (
        "Intervention réalisée sous anesthésie générale.",
        "Installation en décubitus dorsal.",
        "Badigeonnage et champage stériles.",
        "Antibioprophylaxie selon le protocole du service.",
        "Hémostase soigneuse et fermeture plan par plan.",
        "Pertes sanguines estimées à {blood} mL.",
        "Incision médiane sus-ombilicale.",
        "Exploration de la cavité péritonéale.",
        "Contrôle de l'hémostase en fin d'intervention.",
        "Mise en place d'un drain aspiratif.",
        "Fermeture cutanée par agrafes.",
        "Comptage des compresses conforme.",
    ),
    "op_filler": (
        "Cavité péritonéale propre.",
        "Anses grêles d'aspect normal.",
        "Foie d'aspect macroscopique normal.",
        "Pièce opératoire adressée en anatomopathologie.",
        "Vascularisation satisfaisante en fin d'intervention.",
    ),
    "modality": (
        "Scanner thoracique avec injection",
        "IRM cérébrale",
        "Échographie abdominale",
        "Radiographie thoracique de face",
        "Scanner abdomino-pelvien",
    ),
    "technique_filler": (
        "Acquisition hélicoïdale après injection de produit de contraste iodé.",
        "Séquences pondérées T1, T2 et diffusion.",
        "Examen réalisé en décubitus dorsal.",
        "Comparaison avec l'examen antérieur du {previous}.",
        "Reconstructions multiplanaires.",
        "Dose délivrée conforme aux niveaux de référence.",
    ),
    "imaging_filler": (
        "Foie de taille normale, de contours réguliers.",
        "Reins de taille et de morphologie normales.",
        "Structures médianes en place.",
        "Parenchyme pulmonaire d'aspect habituel.",
        "Rate homogène.",
        "Pancréas d'aspect normal.",
        "Cavités cardiaques de taille normale.",
        "Aorte de calibre normal.",
        "Médiastin de morphologie habituelle.",
        "Densité osseuse normale.",
    ),
    "rad_plan": (
        "Contrôle d'imagerie à prévoir dans {n} semaines.",
        "Corrélation clinique et biologique recommandée.",
        "Résultats communiqués au clinicien demandeur.",
    ),
}

_EN: dict[str, tuple[str, ...]] = {
    "reason": (
        "Admitted for {t}.",
        "Referred by the primary care physician for {t}.",
        "Admitted for management of {t}.",
        "Hospitalized with {t}.",
    ),
    "consult_reason": (
        "Seen in clinic for {t}.",
        "Referred for evaluation of {t}.",
        "Follow-up visit for {t}.",
        "Consultation requested for {t}.",
    ),
    "affirmed": (
        "Presented with {t} for {n} days.",
        "Reports {t} over the past {n} weeks.",
        "Initial workup showed {t}.",
        "{Il} has {t}.",
        "Recent onset of {t}.",
        "Progressive worsening of {t}.",
    ),
    "exam": ("Examination notable for {t}.", "Exam shows {t}.", "On examination, {t}."),
    "imaging": ("CT showed {t}.", "Ultrasound demonstrated {t}.", "Imaging confirmed {t}."),
    "indication": (
        "Surgery indicated for {t}.",
        "Operative management of {t}.",
        "Patient scheduled for surgery for {t}.",
    ),
    "context": ("Known {t}.", "Followed for {t}.", "Clinical context of {t}."),
    "course": (
        "Course complicated by {t}.",
        "The stay was marked by {t}.",
        "Developed {t} during the stay.",
    ),
    "negated": ("No {t}.", "Denies {t}.", "Negative for {t}.", "{Il} denies {t}.", "Free of {t}."),
    "negated_exam": ("No {t}.", "No evidence of {t}.", "Absence of {t} on examination."),
    "negated_imaging": ("No {t}.", "No evidence of {t}.", "No signs of {t}."),
    "hypothetical": (
        "Possible {t}.",
        "Probable {t}.",
        "Suspected {t}.",
        "Rule out {t}.",
        "Concern for {t}.",
        "Findings suspicious for {t}.",
    ),
    "history": (
        "- {T}",
        "- {T}, diagnosed in {year}",
        "- {T} since {year}",
        "- History of {t}.",
    ),
    "history_inline": ("History of {t}.", "Known history of {t}."),
    "family": (
        "- Mother: {t}.",
        "- Father: {t}.",
        "- Brother: {t}.",
        "- Sister: {t}.",
        "- Family history of {t} (mother).",
        "- Father treated for {t}.",
        "- Family history of {t} (father).",
    ),
    "medication": (
        "- {T} {dose} mg once daily",
        "- {T} {dose} mg twice daily",
        "- {T} {dose} mg at bedtime",
    ),
    "conclusion": ("{T}.", "Final diagnosis: {t}.", "In summary, {t}."),
    "vitals": (
        "BP {sys}/{dia} mmHg, HR {hr}/min, SpO2 {spo2}% on room air, temperature {temp_en} °C.",
        "Weight {weight} kg, height {height} cm.",
    ),
    "exam_filler": (
        "Alert and oriented.",
        "Good general condition.",
        "Abdomen soft and nontender.",
        "Heart sounds regular.",
        "Breath sounds symmetric.",
        "Calves supple.",
        "Peripheral pulses palpable.",
        "Normal neurological examination.",
        "Pupils equal and reactive.",
        "Skin well perfused.",
        "Walks independently.",
    ),
    "labs": (
        "Labs: hemoglobin {hb_en} g/dL, WBC {wbc_en} x10^9/L, platelets {plt} x10^9/L, "
        "creatinine {creat} µmol/L, CRP {crp} mg/L.",
        "Electrolytes: sodium {na} mmol/L, potassium {k_en} mmol/L.",
    ),
    "hpi_filler": (
        "Lives at home, independent in activities of daily living.",
        "Former smoker, quit {n} years ago.",
        "Occasional alcohol use.",
        "Symptoms began gradually.",
        "{Il} presented to the emergency department on the day of admission.",
        "Usual treatment was continued.",
        "Increasing fatigue over the last {n} days.",
        "Followed regularly by the primary care physician.",
        "Weight loss of {kg} kg over three months.",
        "Regular physical activity.",
        "Retired.",
    ),
    "plan_filler": (
        "Follow-up visit in {n} weeks.",
        "Repeat labs to be scheduled.",
        "Letter sent to the primary care physician.",
        "Clinical reassessment at the next visit.",
    ),
    "course_filler": (
        "Uneventful course on treatment.",
        "Daily clinical and laboratory monitoring.",
        "Discharged home with follow-up by the primary care physician.",
        "Gradual recovery of autonomy during the stay.",
        "Treatment adjusted to clinical tolerance.",
        "Early mobilization to chair.",
        "Diet resumed on day {day}.",
        "Pain controlled with simple analgesics.",
    ),
    "procedure": (
        "Diagnostic laparoscopy",
        "Laparoscopic cholecystectomy",
        "Total hip arthroplasty",
        "Coronary angiography with angioplasty",
        "Segmental colectomy",
        "Total thyroidectomy",
    ),
    "procedure_filler": (
        "Procedure performed under general anesthesia.",
        "Patient placed supine.",
        "Sterile prep and drape.",
        "Antibiotic prophylaxis per department protocol.",
        "Careful hemostasis and layered closure.",
        "Estimated blood loss {blood} mL.",
        "Upper midline incision.",
        "Exploration of the peritoneal cavity.",
        "Hemostasis checked at the end of the procedure.",
        "Suction drain placed.",
        "Skin closed with staples.",
        "Sponge and instrument counts correct.",
    ),
    "op_filler": (
        "Peritoneal cavity clean.",
        "Small bowel loops normal in appearance.",
        "Liver grossly normal.",
        "Specimen sent to pathology.",
        "Satisfactory perfusion at the end of the procedure.",
    ),
    "modality": (
        "CT chest with contrast",
        "MRI brain",
        "Abdominal ultrasound",
        "Chest X-ray, frontal view",
        "CT abdomen and pelvis",
    ),
    "technique_filler": (
        "Helical acquisition after iodinated contrast injection.",
        "T1, T2 and diffusion-weighted sequences.",
        "Examination performed supine.",
        "Compared with the prior study of {previous_en}.",
        "Multiplanar reconstructions.",
        "Dose within reference levels.",
    ),
    "imaging_filler": (
        "Liver normal in size with smooth contours.",
        "Kidneys normal in size and morphology.",
        "Midline structures in place.",
        "Lung parenchyma of usual appearance.",
        "Spleen homogeneous.",
        "Pancreas normal in appearance.",
        "Cardiac chambers normal in size.",
        "Aorta of normal caliber.",
        "Mediastinum of usual morphology.",
        "Normal bone density.",
    ),
    "rad_plan": (
        "Follow-up imaging in {n} weeks.",
        "Clinical and laboratory correlation recommended.",
        "Results communicated to the referring clinician.",
    ),
}

_TEMPLATES = {"fr": _FR, "en": _EN}

_TITLES = {
    "fr": {
        "discharge_summary": "Compte rendu d'hospitalisation",
        "consultation": "Compte rendu de consultation",
        "operative_report": "Compte rendu opératoire",
        "radiology_report": "Compte rendu d'imagerie",
    },
    "en": {
        "discharge_summary": "Discharge summary",
        "consultation": "Consultation note",
        "operative_report": "Operative report",
        "radiology_report": "Radiology report",
    },
}

# Headers as the section detectors know them (nlp/qualifiers/sections.tsv and EDS-NLP's patterns:
# alone on their line, so that "Antécédents" / "Past medical history" imply historical, etc.).
_HEADERS = {
    "fr": {
        "reason": "Motif d'hospitalisation :",
        "consult_reason": "Motif :",
        "history": "Antécédents :",
        "family": "Antécédents familiaux :",
        "medication": "Traitement en cours :",
        "hpi": "Histoire de la maladie :",
        "exam": "Examen clinique :",
        "investigations": "Examens complémentaires :",
        "course": "Evolution :",
        "conclusion": "Conclusion :",
        "discharge_medication": "Traitement de sortie :",
        "indication": "Indication :",
        "procedure": "Intervention :",
        "findings": "Constatations peropératoires :",
        "technique": "Technique :",
        "results": "Résultats :",
    },
    "en": {
        "reason": "Reason for admission:",
        "consult_reason": "Chief complaint:",
        "history": "Past medical history:",
        "family": "Family history:",
        "medication": "Medications:",
        "hpi": "History of present illness:",
        "exam": "Physical examination:",
        "investigations": "Results:",
        "course": "Hospital course:",
        "conclusion": "Assessment:",
        "discharge_medication": "Discharge medications:",
        "indication": "Indication:",
        "procedure": "Procedure:",
        "findings": "Findings:",
        "technique": "Technique:",
        "results": "Findings:",
    },
}

_SERVICES = {
    "fr": ("cardiologie", "endocrinologie", "médecine interne", "pneumologie", "neurologie", "néphrologie"),
    "en": ("Cardiology", "Endocrinology", "Internal medicine", "Pulmonology", "Neurology", "Nephrology"),
}
_SURGERY = {"fr": ("chirurgie digestive", "chirurgie orthopédique"), "en": ("General surgery", "Orthopedics")}
_RADIOLOGY = {"fr": ("radiologie",), "en": ("Radiology",)}

_DOSES = (5, 10, 20, 40, 50, 100, 250, 500, 850, 1000)
_ELIDED = frozenset("aeiouyàâäéèêëîïôöûüh")


def _de(term: str) -> str:
    """French "de" before ``term``: elided before a vowel or (mostly mute, in medicine) h."""
    return "d'" if term[:1].lower() in _ELIDED else "de "


def _inline(text: str) -> str:
    """A label as written mid-sentence: "Hypertension" -> "hypertension", "HTA" and "ACE inhibitor" kept."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# --- generation --------------------------------------------------------------------------------


@dataclass
class _Patient:
    id: str
    lang: str
    female: bool
    age: int  # at the first document
    first: dt.date
    history: tuple[Term, ...]
    family: tuple[Term, ...]
    drugs: tuple[Term, ...]
    doses: dict[str, str]  # drug CURIE -> dose in mg, the same in every document of the patient


@dataclass
class _Totals:
    """What was written so far: counts only (the corpus itself is never kept)."""

    documents: int = 0
    patients: int = 0
    languages: Counter[str] = field(default_factory=Counter)
    types: Counter[str] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)
    surfaces: Counter[str] = field(default_factory=Counter)
    concepts: Counter[str] = field(default_factory=Counter)
    docs_per_patient: Counter[int] = field(default_factory=Counter)
    words_min: int = 0
    words_max: int = 0
    words_sum: int = 0
    first_date: str = ""
    last_date: str = ""


class _Rng(Random):
    """``Random`` with draws built on ``random()`` alone: 3x faster than ``choice``/``randint``.

    (``choice`` and ``randint`` go through ``_randbelow``, which was a third of the run time.)
    """

    def pick(self, items: Sequence[_T]) -> _T:
        return items[int(self.random() * len(items))]

    def between(self, low: int, high: int) -> int:
        """An integer in [low, high], both included."""
        return low + int(self.random() * (high - low + 1))

    def mix(self, items: list[_T]) -> None:
        """Shuffle in place (Fisher-Yates)."""
        for index in range(len(items) - 1, 0, -1):
            other = int(self.random() * (index + 1))
            items[index], items[other] = items[other], items[index]

    def some(self, size: int, count: int) -> list[int]:
        """``count`` distinct indices below ``size`` (all of them if fewer), in increasing order."""
        indices = list(range(size))
        count = min(count, size)
        for index in range(count):
            other = index + int(self.random() * (size - index))
            indices[index], indices[other] = indices[other], indices[index]
        return sorted(indices[:count])


class _Corpus:
    """Draws patients and documents from one ``Random``; every choice goes through it, in order."""

    def __init__(self, pools: TermPools, rng: _Rng, seed: int) -> None:
        self.rng = rng
        self.seed = seed
        self.langs = tuple(lang for lang in LANGS if pools.findings.get(lang))
        if not self.langs:
            raise ValueError("no finding terms in French or English: nothing to write documents with")
        # Shuffled once: the skewed draw then makes a random (seeded) subset of concepts frequent.
        self.findings = {lang: self._shuffled(pools.findings[lang]) for lang in self.langs}
        self.drugs = {lang: self._shuffled(pools.drugs.get(lang, ())) for lang in self.langs}
        self.labels = {
            term.curie: term.label for lang in reversed(LANGS) for term in pools.findings.get(lang, ())
        }
        self.labels.update(
            {term.curie: term.label for lang in reversed(LANGS) for term in pools.drugs.get(lang, ())}
        )

    def _shuffled(self, terms: Sequence[Term]) -> tuple[Term, ...]:
        ordered = list(terms)
        self.rng.mix(ordered)
        return tuple(ordered)

    def draw(self, pool: Sequence[Term], avoid: set[str]) -> Term | None:
        """A skewed draw from ``pool``, avoiding CURIEs already in the document when it can."""
        if not pool:
            return None
        term = pool[0]
        for _ in range(6):
            term = pool[int(len(pool) * self.rng.random() ** _ZIPF_EXPONENT)]
            if term.curie not in avoid:
                break
        return term

    def patient(self, number: int, width: int) -> _Patient:
        rng = self.rng
        lang = rng.pick(self.langs)
        avoid: set[str] = set()

        def some(pool: Sequence[Term], low: int, high: int) -> tuple[Term, ...]:
            terms = []
            for _ in range(rng.between(low, high)):
                term = self.draw(pool, avoid)
                if term is not None and term.curie not in avoid:
                    avoid.add(term.curie)
                    terms.append(term)
            return tuple(terms)

        drugs = some(self.drugs[lang], 1, 4)
        return _Patient(
            id=f"synp-{number:0{width}d}",
            lang=lang,
            female=rng.random() < 0.5,
            age=rng.between(18, 90),
            first=_FIRST_DAY + dt.timedelta(days=rng.between(0, _FIRST_DAYS_SPAN - 1)),
            history=some(self.findings[lang], 1, 4),
            family=some(self.findings[lang], 0, 3),
            drugs=drugs,
            doses={term.curie: str(rng.pick(_DOSES)) for term in drugs},
        )


class _Document:
    """One document being written: its lines, and what it mentions, counted by category."""

    def __init__(self, corpus: _Corpus, patient: _Patient, date: dt.date) -> None:
        self.corpus = corpus
        self.rng = corpus.rng
        self.patient = patient
        self.lang = patient.lang
        self.templates = _TEMPLATES[patient.lang]
        self.headers = _HEADERS[patient.lang]
        self.lines: list[str] = []
        self.counts: Counter[str] = Counter()
        self.surfaces: Counter[str] = Counter()
        self.curies: list[str] = []
        self.used: set[str] = {term.curie for term in (*patient.history, *patient.family)}
        self.said: set[str] = set()
        self.slots = self._slots(date)

    def _slots(self, date: dt.date) -> dict[str, str]:
        rng, female, fr = self.rng, self.patient.female, self.lang == "fr"
        age = self.patient.age + (date - self.patient.first).days // 365
        previous = date - dt.timedelta(days=rng.between(30, 700))
        hb, wbc, k = rng.uniform(8.5, 16.5), rng.uniform(3.5, 15.0), rng.uniform(3.2, 5.4)
        temp = rng.uniform(36.2, 39.2)
        systolic = rng.between(100, 175)
        pt, person = ("Patiente" if female else "Patient"), ("woman" if female else "man")
        return {
            "Pt": pt,
            "Il": ("Elle" if female else "Il") if fr else ("She" if female else "He"),
            "e": "e" if female and fr else "",
            "age": str(age),
            "person": person,
            "age_line": f"{pt} de {age} ans." if fr else f"{age}-year-old {person}.",
            "n": str(rng.between(2, 15)),
            "year": str(date.year - rng.between(1, 20)),
            "sys": str(systolic),
            "dia": str(rng.between(55, min(100, systolic - 30))),
            "hr": str(rng.between(52, 118)),
            "spo2": str(rng.between(88, 100)),
            "temp": f"{temp:.1f}".replace(".", ","),
            "temp_en": f"{temp:.1f}",
            "weight": str(rng.between(45, 130)),
            "height": str(rng.between(150, 195)),
            "hb": f"{hb:.1f}".replace(".", ","),
            "hb_en": f"{hb:.1f}",
            "wbc": f"{wbc:.1f}".replace(".", ","),
            "wbc_en": f"{wbc:.1f}",
            "plt": str(rng.between(110, 450)),
            "creat": str(rng.between(45, 320)),
            "crp": str(rng.between(1, 180)),
            "na": str(rng.between(128, 146)),
            "k": f"{k:.1f}".replace(".", ","),
            "k_en": f"{k:.1f}",
            "blood": str(rng.pick((50, 100, 150, 200, 300, 500))),
            "day": str(rng.between(1, 5)),
            "kg": str(rng.between(2, 12)),
            "previous": previous.strftime("%d/%m/%Y"),
            "previous_en": previous.isoformat(),
        }

    # -- writing --

    def line(self, text: str) -> None:
        self.lines.append(text)

    def header(self, key: str) -> None:
        if self.lines:
            self.lines.append("")  # a blank line before each section, as in real letters
        self.lines.append(self.headers[key])

    def filler(self, pool: str, count: int = 1) -> list[str]:
        """``count`` distinct sentences of a filler pool, in pool order (no term in them)."""
        templates = self.templates[pool]
        chosen = self.rng.some(len(templates), count)
        self.slots["n"] = str(self.rng.between(2, 15))  # durations vary within a document
        return [templates[index].format_map(self.slots) for index in chosen]

    def mention(self, pool: str, category: str, term: Term | None = None) -> str | None:
        """A sentence of ``pool`` naming ``term`` (drawn when not given); counted under ``category``."""
        if term is None:
            source = self.corpus.drugs if category == "medication" else self.corpus.findings
            term = self.corpus.draw(source[self.lang], self.used)
            if term is None:
                return None
        self.used.add(term.curie)
        surface, kind = term.label, "label"
        if term.synonyms and self.rng.random() < _SYNONYM_SHARE:
            surface, kind = self.rng.pick(term.synonyms), "synonym"
        inline = _inline(surface)
        # The document's own slots, updated in place (a copy per mention was a third of the run time).
        slots = self.slots
        slots["t"], slots["T"], slots["de"] = inline, _capital(surface), _de(inline)
        slots["n"] = str(self.rng.between(2, 15))
        if category == "medication":
            slots["dose"] = self.patient.doses.get(term.curie, "10")
        self.counts[category] += 1
        self.surfaces[kind] += 1
        self.curies.append(term.curie)
        # A template not yet used in this document when there is one: "Au total, ..." twice reads badly.
        templates = self.templates[pool]
        fresh = [template for template in templates if template not in self.said] or templates
        template = self.rng.pick(fresh)
        self.said.add(template)
        return template.format_map(slots)

    def mentions(self, pool: str, category: str, count: int) -> list[str]:
        return [sentence for _ in range(count) if (sentence := self.mention(pool, category)) is not None]

    def paragraph(self, sentences: Iterable[str | None]) -> None:
        """Sentences in a shuffled order, joined on one line (as dictated letters run)."""
        kept = [sentence for sentence in sentences if sentence]
        self.rng.mix(kept)
        if kept:
            self.lines.append(" ".join(kept))

    # -- shared sections --

    def history_section(self) -> None:
        if not self.patient.history:
            return
        self.header("history")
        for term in self.patient.history:
            self.line(self.mention("history", "history", term) or "")

    def family_section(self) -> None:
        if not self.patient.family:
            return
        self.header("family")
        for term in self.patient.family:
            self.line(self.mention("family", "family", term) or "")

    def medication_section(self, key: str = "medication") -> None:
        lines = [self.mention("medication", "medication", term) for term in self.patient.drugs]
        if any(lines):
            self.header(key)
            for text in lines:
                if text:
                    self.line(text)

    def exam_section(self, affirmed: int, negated: int) -> None:
        self.header("exam")
        self.line(" ".join(self.filler("vitals", 2)))
        self.paragraph(
            [
                *self.filler("exam_filler", self.rng.between(3, 6)),
                *self.mentions("exam", "affirmed", affirmed),
                *self.mentions("negated", "negated", negated),
            ]
        )


def _heading(doc: _Document, where: str, date: dt.date, service: str) -> None:
    """First lines: where and when, then age and sex (no name, no identifier)."""
    slots = doc.slots
    if doc.lang == "fr":
        doc.line(f"Service {_de(service)}{service}, {where} du {date:%d/%m/%Y}")
        doc.line(f"{slots['Pt']} de {slots['age']} ans.")
    else:
        doc.line(f"{service}, {where} {date.isoformat()}")
        doc.line(f"{slots['age']}-year-old {slots['person']}.")


def _discharge_summary(doc: _Document, date: dt.date) -> None:
    rng = doc.rng
    admitted = date - dt.timedelta(days=rng.between(1, 14))
    service = rng.pick(_SERVICES[doc.lang])
    if doc.lang == "fr":
        doc.line(f"Service {_de(service)}{service}")
        stay = f"du {admitted:%d/%m/%Y} au {date:%d/%m/%Y}"
        doc.line(f"{doc.slots['Pt']} de {doc.slots['age']} ans, hospitalisé{doc.slots['e']} {stay}.")
    else:
        doc.line(f"Department: {service}")
        doc.line(
            f"{doc.slots['age']}-year-old {doc.slots['person']} admitted on {admitted.isoformat()}, "
            f"discharged on {date.isoformat()}."
        )
    doc.header("reason")
    doc.line(doc.mention("reason", "affirmed") or "")
    doc.history_section()
    doc.family_section()
    doc.medication_section()
    doc.header("hpi")
    doc.paragraph(
        [
            *doc.filler("hpi_filler", rng.between(3, 5)),
            *doc.mentions("affirmed", "affirmed", rng.between(2, 4)),
            *doc.mentions("negated", "negated", rng.between(2, 4)),
            *doc.mentions("history_inline", "history", rng.between(0, 1)),
            *doc.mentions("hypothetical", "hypothetical", rng.between(0, 1)),
        ]
    )
    doc.exam_section(affirmed=rng.between(1, 2), negated=rng.between(1, 3))
    doc.header("investigations")
    doc.line(" ".join(doc.filler("labs", 2)))
    doc.paragraph(
        [
            *doc.mentions("imaging", "affirmed", rng.between(0, 2)),
            *doc.mentions("negated_imaging", "negated", rng.between(0, 2)),
        ]
    )
    doc.header("course")
    doc.paragraph(
        [
            *doc.filler("course_filler", rng.between(2, 4)),
            *doc.mentions("course", "affirmed", rng.between(0, 2)),
            *doc.mentions("hypothetical", "hypothetical", rng.between(0, 2)),
        ]
    )
    doc.header("conclusion")
    doc.paragraph(
        [
            *doc.mentions("conclusion", "affirmed", rng.between(1, 2)),
            *doc.mentions("hypothetical", "hypothetical", rng.between(0, 1)),
        ]
    )
    doc.paragraph(doc.filler("plan_filler", rng.between(1, 3)))
    doc.medication_section("discharge_medication")


def _consultation(doc: _Document, date: dt.date) -> None:
    rng = doc.rng
    _heading(doc, "consultation" if doc.lang == "fr" else "clinic visit", date, rng.pick(_SERVICES[doc.lang]))
    doc.header("consult_reason")
    doc.line(doc.mention("consult_reason", "affirmed") or "")
    doc.history_section()
    doc.family_section()
    doc.medication_section()
    doc.header("hpi")
    doc.paragraph(
        [
            *doc.filler("hpi_filler", rng.between(2, 4)),
            *doc.mentions("affirmed", "affirmed", rng.between(1, 3)),
            *doc.mentions("negated", "negated", rng.between(1, 3)),
            *doc.mentions("history_inline", "history", rng.between(0, 1)),
            *doc.mentions("hypothetical", "hypothetical", rng.between(0, 1)),
        ]
    )
    doc.exam_section(affirmed=rng.between(0, 2), negated=rng.between(1, 2))
    doc.header("conclusion")
    doc.paragraph(
        [
            *doc.mentions("conclusion", "affirmed", 1),
            *doc.mentions("hypothetical", "hypothetical", rng.between(0, 2)),
        ]
    )
    doc.paragraph(doc.filler("plan_filler", rng.between(1, 3)))


def _operative_report(doc: _Document, date: dt.date) -> None:
    rng = doc.rng
    _heading(
        doc, "intervention" if doc.lang == "fr" else "procedure date", date, rng.pick(_SURGERY[doc.lang])
    )
    doc.header("indication")
    doc.line(doc.mention("indication", "affirmed") or "")
    doc.history_section()
    doc.medication_section()
    doc.header("procedure")
    doc.line(f"{rng.pick(doc.templates['procedure'])}.")
    doc.paragraph(doc.filler("procedure_filler", rng.between(6, 10)))
    doc.header("findings")
    doc.paragraph(
        [
            *doc.filler("op_filler", rng.between(2, 4)),
            *doc.mentions("exam", "affirmed", rng.between(1, 3)),
            *doc.mentions("negated_exam", "negated", rng.between(1, 3)),
        ]
    )
    doc.header("course")
    doc.paragraph(
        [
            *doc.filler("course_filler", rng.between(2, 3)),
            *doc.mentions("course", "affirmed", rng.between(0, 1)),
            *doc.mentions("hypothetical", "hypothetical", rng.between(0, 1)),
        ]
    )
    doc.header("conclusion")
    doc.paragraph(doc.mentions("conclusion", "affirmed", 1))
    doc.paragraph(doc.filler("plan_filler", rng.between(1, 2)))


def _radiology_report(doc: _Document, date: dt.date) -> None:
    rng = doc.rng
    modality = rng.pick(doc.templates["modality"])
    service = rng.pick(_RADIOLOGY[doc.lang])
    when = f"{date:%d/%m/%Y}" if doc.lang == "fr" else date.isoformat()
    doc.line(f"{modality} - {service} - {when}")
    doc.line(doc.slots["age_line"])
    doc.header("indication")
    doc.paragraph(
        [
            doc.mention("hypothetical", "hypothetical"),
            *doc.mentions("context", "affirmed", rng.between(1, 2)),
            *doc.mentions("history_inline", "history", rng.between(0, 2)),
        ]
    )
    doc.header("technique")
    doc.paragraph(doc.filler("technique_filler", rng.between(2, 5)))
    doc.header("results")
    doc.paragraph(
        [
            *doc.filler("imaging_filler", rng.between(6, 10)),
            *doc.mentions("imaging", "affirmed", rng.between(1, 3)),
            *doc.mentions("negated_imaging", "negated", rng.between(2, 4)),
        ]
    )
    doc.header("conclusion")
    doc.paragraph(
        [
            *doc.mentions("conclusion", "affirmed", rng.between(1, 2)),
            *doc.mentions("hypothetical", "hypothetical", rng.between(0, 1)),
        ]
    )
    doc.paragraph(doc.filler("rad_plan", rng.between(1, 2)))


_BUILDERS = {
    "discharge_summary": _discharge_summary,
    "consultation": _consultation,
    "operative_report": _operative_report,
    "radiology_report": _radiology_report,
}


def _docs_for_patient(rng: _Rng, mean: float) -> int:
    """1 + Binomial(7, p): 1 to 8 documents, ``mean`` on average."""
    p = (mean - 1) / (MAX_DOCS_PER_PATIENT - 1)
    return 1 + sum(rng.random() < p for _ in range(MAX_DOCS_PER_PATIENT - 1))


def _record(
    corpus: _Corpus, patient: _Patient, number: int, width: int, date: dt.date, totals: _Totals
) -> dict[str, Any]:
    doc_type = corpus.rng.choices(TYPES, weights=_TYPE_WEIGHTS)[0]
    doc = _Document(corpus, patient, date)
    _BUILDERS[doc_type](doc, date)
    text = "\n".join(doc.lines) + "\n"
    words = len(text.split())
    totals.documents += 1
    totals.languages[doc.lang] += 1
    totals.types[doc_type] += 1
    totals.mentions.update(doc.counts)
    totals.surfaces.update(doc.surfaces)
    totals.concepts.update(doc.curies)
    totals.words_sum += words
    totals.words_min = words if totals.documents == 1 else min(totals.words_min, words)
    totals.words_max = max(totals.words_max, words)
    metadata: dict[str, Any] = {"synthetic": True, "seed": corpus.seed, "generator": GENERATOR}
    metadata.update({f"mentions_{category}": doc.counts[category] for category in CATEGORIES})
    return {
        "id": f"syn-{number:0{width}d}",
        "patient_id": patient.id,
        "type": doc_type,
        "date": date.isoformat(),
        "lang": doc.lang,
        "title": _TITLES[doc.lang][doc_type],
        "source": SOURCE,
        "text": text,
        "metadata": metadata,
    }


def manifest_path(out: Path) -> Path:
    """The sidecar of ``out``: ``OUT.manifest.json``."""
    return out.with_name(out.name + ".manifest.json")


def generate(
    out: Path,
    *,
    docs: int,
    seed: int = 7,
    terms: TermPools | None = None,
    manifest: Path | None = None,
    terms_tsv: Path | None = None,
    patients_per_doc_ratio: float = 0.25,
    progress: TextIO | None = None,
) -> dict[str, Any]:
    """Write ``docs`` documents to ``out`` (JSON Lines) and ``OUT.manifest.json``; return the manifest.

    Terms come from ``terms`` if given, else ``terms_tsv``, else ``manifest`` (default: the demo one).
    ``patients_per_doc_ratio`` (0 < r <= 1) sets the mean documents per patient to 1/r, within 1-8.
    ``progress`` (e.g. ``sys.stderr``) gets a line every 10,000 documents.
    """
    if docs <= 0:
        raise ValueError(f"docs must be positive, not {docs}")
    if not 0 < patients_per_doc_ratio <= 1:
        raise ValueError(f"patients_per_doc_ratio must be in (0, 1], not {patients_per_doc_ratio}")
    if terms is None:
        terms = load_terms_tsv(terms_tsv) if terms_tsv else load_terms_manifest(manifest or DEFAULT_MANIFEST)
    rng = _Rng(seed)
    corpus = _Corpus(terms, rng, seed)
    mean = min(max(1 / patients_per_doc_ratio, 1.0), float(MAX_DOCS_PER_PATIENT))
    doc_width = max(6, len(str(docs)))
    patient_width = max(5, len(str(docs)))
    totals = _Totals()
    started = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n") as lines:
        while totals.documents < docs:
            totals.patients += 1
            patient = corpus.patient(totals.patients, patient_width)
            count = min(_docs_for_patient(rng, mean), docs - totals.documents)
            totals.docs_per_patient[count] += 1
            span = rng.between(0, _PATIENT_SPAN_DAYS)
            offsets = sorted(rng.between(0, span) for _ in range(count))
            for offset in offsets:
                date = patient.first + dt.timedelta(days=offset)
                record = _record(corpus, patient, totals.documents + 1, doc_width, date, totals)
                lines.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n")
                iso = record["date"]
                totals.first_date = min(totals.first_date or iso, iso)
                totals.last_date = max(totals.last_date, iso)
                if progress is not None and totals.documents % PROGRESS_EVERY == 0:
                    elapsed = time.perf_counter() - started
                    print(f"{totals.documents:>9,}/{docs:,} documents, {elapsed:.1f} s", file=progress)
    summary = _summary(out, seed, patients_per_doc_ratio, totals, corpus, terms)
    manifest_path(out).write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8", newline="\n"
    )
    return summary


def _summary(
    out: Path, seed: int, ratio: float, totals: _Totals, corpus: _Corpus, terms: TermPools
) -> dict[str, Any]:
    top = sorted(totals.concepts.items(), key=lambda item: (-item[1], item[0]))[:20]
    return {
        "generator": GENERATOR,
        "generator_version": GENERATOR_VERSION,
        "note": NOTE,
        "output": out.name,
        "seed": seed,
        "documents": totals.documents,
        "patients": totals.patients,
        "patients_per_doc_ratio": ratio,
        "documents_per_patient": {
            "min": min(totals.docs_per_patient),
            "max": max(totals.docs_per_patient),
            "mean": round(totals.documents / totals.patients, 2),
            "histogram": {str(n): totals.docs_per_patient[n] for n in sorted(totals.docs_per_patient)},
        },
        "dates": {"first": totals.first_date, "last": totals.last_date},
        "languages": {lang: totals.languages[lang] for lang in LANGS},
        "types": {doc_type: totals.types[doc_type] for doc_type in TYPES},
        "mentions": {category: totals.mentions[category] for category in CATEGORIES},
        "surface_forms": {kind: totals.surfaces[kind] for kind in ("label", "synonym")},
        "distinct_concepts": len(totals.concepts),
        "top_concepts": [
            {"curie": curie, "label": corpus.labels.get(curie, ""), "mentions": count} for curie, count in top
        ],
        "words_per_document": {
            "min": totals.words_min,
            "mean": round(totals.words_sum / totals.documents, 1),
            "max": totals.words_max,
        },
        "term_source": dict(terms.source),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.synthetic_corpus",
        description="Synthetic clinical corpus (JSON Lines) for load and latency benchmarks; "
        "not clinical text.",
    )
    parser.add_argument("--docs", type=int, required=True, help="number of documents")
    parser.add_argument("--out", type=Path, required=True, help="output .jsonl (sidecar: OUT.manifest.json)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--manifest", type=Path, help=f"ontology manifest for terms (default {_shown(DEFAULT_MANIFEST)})"
    )
    source.add_argument("--terms", type=Path, help="TSV of terms: curie, lang, text[, kind]")
    parser.add_argument(
        "--patients-per-doc-ratio",
        type=float,
        default=0.25,
        help="patients / documents (default 0.25: 4 documents per patient on average, 1 to 8)",
    )
    args = parser.parse_args(argv)
    try:
        started = time.perf_counter()
        if args.terms:
            terms = load_terms_tsv(args.terms)
        else:
            terms = load_terms_manifest(args.manifest or DEFAULT_MANIFEST)
        loaded = time.perf_counter()
        print(f"terms loaded in {loaded - started:.1f} s: {dict(terms.source['findings'])}", file=sys.stderr)
        summary = generate(
            args.out,
            docs=args.docs,
            seed=args.seed,
            terms=terms,
            patients_per_doc_ratio=args.patients_per_doc_ratio,
            progress=sys.stderr,
        )
    except (ValueError, OSError) as error:
        parser.error(str(error))
    done = time.perf_counter()
    print(
        f"wrote {summary['documents']:,} documents ({summary['patients']:,} patients) to {args.out} "
        f"in {done - loaded:.1f} s (terms {loaded - started:.1f} s); manifest {manifest_path(args.out)}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
