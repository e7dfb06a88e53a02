"""Format name → loader, and the one entry point that reads a SourceSpec into a release."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from importlib import import_module
from typing import cast

from ontologies.errors import Errors, OntologyFormatError, UnknownFormatError
from ontologies.model import OntologyRelease
from ontologies.spec import SourceSpec

Loader = Callable[[SourceSpec], OntologyRelease]

# Imported on first use: a command that loads one format should not pay for every parser's imports
# (rdflib alone takes a second).
LOADERS: dict[str, str] = {
    "obo": "ontologies.loaders.obo:load_obo",
    "owl": "ontologies.loaders.owl:load_owl",
    "skos": "ontologies.loaders.skos:load_skos",
    "icd10": "ontologies.loaders.icd10:load_icd10",
    "cim10": "ontologies.loaders.cim10:load_cim10",
    "atc": "ontologies.loaders.atc:load_atc",
    "doid-tsv": "ontologies.loaders.doid_tsv:load_doid_reports",
    "sssom": "ontologies.loaders.sssom:load_sssom",
}
FORMATS = tuple(sorted(LOADERS))
# Roles of SourceSpec.extras each format reads; any other role is a mistake worth reporting.
EXTRA_ROLES: dict[str, frozenset[str]] = {
    "cim10": frozenset({"hierarchy", "translations"}),
    "doid-tsv": frozenset({"subsets", "xrefs", "translations"}),
}


def check_spec(spec: SourceSpec) -> None:
    """Cheap checks before any parsing: known format, expected file roles, every file present.

    Raises:
        UnknownFormatError: the format is not one of FORMATS.
        OntologyFormatError: a file role is unexpected or a file is missing.
    """
    if spec.format not in LOADERS:
        raise UnknownFormatError(Errors.E001.format(format=spec.format, known=", ".join(FORMATS)))
    allowed = EXTRA_ROLES.get(spec.format, frozenset({"translations"}))
    unknown = sorted(set(spec.extras) - allowed)
    if unknown:
        raise OntologyFormatError(
            Errors.E003.format(
                what=f"{spec.format} source",
                detail=f"unexpected file role(s) {', '.join(unknown)}",
                expected=f"roles among: {', '.join(sorted(allowed)) or 'none'}",
            ),
            path=spec.path,
        )
    for path in (spec.path, *(extra for paths in spec.extras.values() for extra in paths)):
        if not path.is_file():
            raise OntologyFormatError(Errors.E002.format(path=path), path=path)


def read_source(spec: SourceSpec) -> OntologyRelease:
    """Parse the files ``spec`` names into one release (translations applied when given).

    Raises:
        UnknownFormatError: the format is not one of FORMATS.
        OntologyFormatError: a file is missing or malformed (message names file and line).
    """
    check_spec(spec)
    module, _, function = LOADERS[spec.format].partition(":")
    loader = cast(Loader, getattr(import_module(module), function))
    release = loader(spec)
    translations = spec.extras.get("translations", ())
    if translations:
        from ontologies.loaders.hpo_translations import apply_translations

        release = apply_translations(release, translations)
    if spec.licence and release.release.licence != spec.licence:
        release = replace(release, release=replace(release.release, licence=spec.licence))
    return release
