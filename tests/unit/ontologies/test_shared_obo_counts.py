"""Counts of the real HPO and DOID files in ../shared/data, checked against its README.

Where the README counts differently from the loader (file lines against rows, rows against
distinct terms), both numbers are asserted and the comment says which is which.
"""

from __future__ import annotations

import csv
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from ontologies.curie import normalise_curie
from ontologies.loaders.doid_tsv import load_doid_reports
from ontologies.loaders.hpo_translations import apply_translations
from ontologies.loaders.obo import load_obo
from ontologies.model import OntologyRelease
from ontologies.spec import SourceSpec

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
HPO = SHARED / "ontologies" / "hpo"
DOID = SHARED / "ontologies" / "doid"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.slow,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared data absent: {SHARED} (a fresh clone has none)"),
]

_SECONDS: dict[str, float] = {}


def _timed(name: str, load: Callable[[], OntologyRelease]) -> OntologyRelease:
    start = time.perf_counter()
    release = load()
    _SECONDS[name] = time.perf_counter() - start
    return release


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t"))


def _prefix_counts(release: OntologyRelease) -> Counter[str]:
    return Counter(xref.object.partition(":")[0] for concept in release.concepts for xref in concept.xrefs)


@pytest.fixture(scope="module")
def hpo() -> OntologyRelease:
    return _timed("hp.obo", lambda: load_obo(SourceSpec(format="obo", path=HPO / "hp.obo", source_id="hpo")))


@pytest.fixture(scope="module")
def hpo_fr(hpo: OntologyRelease) -> OntologyRelease:
    paths = [HPO / "hp-fr.babelon.tsv", HPO / "hp-fr.synonyms.tsv"]
    return _timed("translations", lambda: apply_translations(hpo, paths))


@pytest.fixture(scope="module")
def doid_2016() -> OntologyRelease:
    spec = SourceSpec(format="obo", path=DOID / "doid-2016-09-01.obo", source_id="doid")
    return _timed("doid 2016", lambda: load_obo(spec))


@pytest.fixture(scope="module")
def doid_reports() -> OntologyRelease:
    extras = {
        "subsets": tuple(sorted((DOID / "subsets").glob("*.obo"))),
        "xrefs": (DOID / "allXREFinDO.tsv",),
    }
    spec = SourceSpec(format="doid-tsv", path=DOID / "HumanDO.tsv", extras=extras)
    return _timed("doid reports", lambda: load_doid_reports(spec))


# --- HPO ----------------------------------------------------------------------------------------


def test_hpo_terms_and_obsolete(hpo: OntologyRelease) -> None:
    assert len(hpo.concepts) == 19_484
    assert sum(concept.obsolete for concept in hpo.concepts) == 450


def test_hpo_synonyms(hpo: OntologyRelease) -> None:
    assert sum(len(concept.synonyms) for concept in hpo.concepts) == 23_519


def test_hpo_version_and_clean_load(hpo: OntologyRelease) -> None:
    assert (hpo.release.version, hpo.release.prefixes, hpo.warnings) == ("2025-01-16", ("HP",), ())


@pytest.mark.parametrize(("prefix", "count"), [("UMLS", 12_925), ("SNOMEDCT", 4_624)])
def test_hpo_xrefs(hpo: OntologyRelease, prefix: str, count: int) -> None:
    # README: UMLS 12.9k, SNOMED CT 4.6k (4,622 SNOMEDCT_US + 2 SNOMED_CT, one prefix once normalised).
    assert _prefix_counts(hpo)[prefix] == count


def test_french_official_label_rows() -> None:
    # README's 12,595 counts Babelon rows; 133 terms have two or more OFFICIAL rows.
    rows = _rows(HPO / "hp-fr.babelon.tsv")[1:]
    assert sum(1 for row in rows if row[3] == "rdfs:label" and row[6] == "OFFICIAL") == 12_595


def test_french_labels_one_per_term(hpo_fr: OntologyRelease) -> None:
    # 12,376 distinct terms get a French preferred label from those 12,595 rows.
    assert sum(concept.label("fr") is not None for concept in hpo_fr.concepts) == 12_376


def test_french_synonym_file_rows() -> None:
    # README's 11,816 counts the lines after the header, the template row ("ID ...") included:
    # 11,815 data rows.
    rows = _rows(HPO / "hp-fr.synonyms.tsv")
    assert (len(rows) - 1, len(rows) - 2) == (11_816, 11_815)


def test_french_synonyms_loaded(hpo_fr: OntologyRelease) -> None:
    # From the 11,815 rows minus 2,469 NOT_TRANSLATED (English text), split on "|", without
    # repeats or the French label, plus 1,625 CANDIDATE and 35 extra OFFICIAL Babelon labels.
    french = [s for concept in hpo_fr.concepts for s in concept.synonyms if s.lang == "fr"]
    assert len(french) == 12_796
    assert hpo_fr.warnings == ()  # every subject id is an HPO term of this release


def test_french_definitions(hpo_fr: OntologyRelease) -> None:
    assert sum(d.lang == "fr" for concept in hpo_fr.concepts for d in concept.definitions) == 446


# --- DOID 2016 ----------------------------------------------------------------------------------


def test_doid_2016_terms_and_synonyms(doid_2016: OntologyRelease) -> None:
    assert len(doid_2016.concepts) == 9_344
    assert sum(len(concept.synonyms) for concept in doid_2016.concepts) == 15_269
    assert doid_2016.release.version == "2016-09-01"


@pytest.mark.parametrize(("prefix", "count"), [("MESH", 2_975), ("UMLS", 6_479), ("ICD10CM", 3_119)])
def test_doid_2016_xrefs(doid_2016: OntologyRelease, prefix: str, count: int) -> None:
    # README counts raw prefixes (MESH 2,972, UMLS_CUI 6,478); normalising folds in MSH/MeSH (3) and
    # UMLS (1).
    assert _prefix_counts(doid_2016)[prefix] == count


# --- DOID 2026 reports --------------------------------------------------------------------------


def test_humando_terms() -> None:
    # README's 12,246 counts distinct ids; the file has 12,296 rows (one per parent).
    rows = _rows(DOID / "HumanDO.tsv")[1:]
    assert (len(rows), len({row[0] for row in rows})) == (12_296, 12_246)


def test_doid_reports_concepts(doid_reports: OntologyRelease) -> None:
    # 12,246 report terms + the root DOID:4 + 360 obsolete terms known only from the subsets.
    concepts = doid_reports.concepts
    assert (len(concepts), sum(c.obsolete for c in concepts)) == (12_607, 360)
    assert [c.curie for c in concepts if not c.parents and not c.obsolete] == ["DOID:4"]
    assert doid_reports.release.version == "2026-07-31"


def test_doid_reports_parents_all_resolved(doid_reports: OntologyRelease) -> None:
    assert sum(len(concept.parents) for concept in doid_reports.concepts) == 12_296
    assert not any("parent" in warning for warning in doid_reports.warnings)


def test_subset_terms() -> None:
    # README's "7,555 terms together" counts subset terms present in HumanDO.tsv: 7,916 distinct
    # ids, less the 360 obsolete ones and the root DOID:4, which HumanDO.tsv leaves out.
    ids: set[str] = set()
    for path in (DOID / "subsets").glob("*.obo"):
        ids.update(
            line[4:].strip() for line in path.read_text(encoding="utf-8").splitlines() if line[:4] == "id: "
        )
    report = {row[0] for row in _rows(DOID / "HumanDO.tsv")[1:]}
    assert (len(ids), len(ids & report)) == (7_916, 7_555)


@pytest.fixture(scope="module")
def allxref_lines() -> list[list[str]]:
    return _rows(DOID / "allXREFinDO.tsv")


def test_allxref_rows(allxref_lines: list[list[str]], doid_reports: OntologyRelease) -> None:
    # README's 39,265 counts lines, the header included: 39,264 rows, all kept on their concept.
    assert len(allxref_lines) - 1 == 39_264
    xrefs = {(x.subject, x.object) for concept in doid_reports.concepts for x in concept.xrefs}
    assert sum((row[0], normalise_curie(row[2])) in xrefs for row in allxref_lines[1:]) == 39_264


@pytest.mark.parametrize(("prefix", "count"), [("MESH", 4_089), ("ICD10CM", 3_687), ("UMLS", 7_126)])
def test_allxref_prefixes(allxref_lines: list[list[str]], prefix: str, count: int) -> None:
    # UMLS is the README's UMLS_CUI once normalised.
    prefixes = Counter(normalise_curie(row[2]).partition(":")[0] for row in allxref_lines[1:])
    assert prefixes[prefix] == count


def test_whole_set_loads_within_a_minute(
    hpo_fr: OntologyRelease, doid_2016: OntologyRelease, doid_reports: OntologyRelease
) -> None:
    assert sum(_SECONDS.values()) < 60, _SECONDS
