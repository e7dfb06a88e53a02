"""Format name → loader, and the one entry point that reads a SourceSpec into a release."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
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


_INHERITED: tuple[SourceSpec, ...] = ()


def _inherit_specs(specs: tuple[SourceSpec, ...]) -> None:
    global _INHERITED
    _INHERITED = specs


def _read_inherited(index: int) -> OntologyRelease:
    return read_source(_INHERITED[index])


def read_sources(specs: Sequence[SourceSpec], *, parallel: bool | None = None) -> list[OntologyRelease]:
    """``read_source`` of every spec, in order, two at a time when there are two CPUs or more.

    A child process parses specs from the end of the list while this one parses from the start,
    until they meet (a spec the child has not started is taken back here): about half the time of
    parsing in turn. A malformed file raises the error the sequential reading would have raised
    first (the first failing spec in order), once every spec is read.

    Raises:
        UnknownFormatError, OntologyFormatError: as ``read_source``.
    """
    if parallel is None:
        parallel = (os.cpu_count() or 1) > 1
    # Forked, the child inherits the specs (they do not pickle); elsewhere, parse in turn.
    if not parallel or len(specs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [read_source(spec) for spec in specs]
    results: list[OntologyRelease | Exception | None] = [None] * len(specs)
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=_inherit_specs, initargs=(tuple(specs),)
    ) as pool:
        # Submitted last first: the child starts from the end; the queue holds what it has not begun.
        futures: dict[int, Future[OntologyRelease]] = {
            index: pool.submit(_read_inherited, index) for index in reversed(range(len(specs)))
        }
        for index, spec in enumerate(specs):
            if futures[index].cancel():  # not started in the child: parse it here
                try:
                    results[index] = read_source(spec)
                except Exception as error:  # re-raised below, in manifest order
                    results[index] = error
        for index, future in futures.items():
            if not future.cancelled():
                try:
                    results[index] = future.result()
                except Exception as error:
                    results[index] = error
    releases: list[OntologyRelease] = []
    for result in results:
        if isinstance(result, Exception):
            raise result
        assert result is not None
        releases.append(result)
    return releases
