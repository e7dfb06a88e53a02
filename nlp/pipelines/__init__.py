"""The qualifier pipelines, assembled from the config files beside this module (``fr.cfg``, ``en.cfg``).

A config names its components' factories in one of two dialects, told apart by the key:

- ``factory = "..."``: a spaCy config, built by spaCy (``spacy.util.load_model_from_config``) into a
  spaCy ``Language`` (``en.cfg``);
- ``@factory = "..."``: an EDS-NLP config, built into an EDS-NLP ``Pipeline`` (``fr.cfg``: EDS-NLP's
  components run in EDS-NLP's own pipeline). ``edsnlp.blank(lang)``, then ``add_pipe`` per component in
  ``[nlp] pipeline`` order, as spaCy's ``from_config`` does, not ``edsnlp.load``: that one instantiates
  every component before adding any, and EDS-NLP's qualifiers look at the pipeline when instantiated
  (``eds.family`` uses sections only if ``sections`` is already in it; phrase patterns are normalised by
  the components already added), which loses the family and history cues.

Factory names are looked up in EDS-NLP's registry, which holds spaCy's factories, EDS-NLP's and ours
(``hs.*``, registered by ``nlp.qualifiers.factory``). ``HEALTHSEARCH_NLP_CONFIG_FR`` /
``HEALTHSEARCH_NLP_CONFIG_EN`` name another config file to load instead of the shipped one.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["CONFIG_DIR", "PipelineConfigError", "config_path", "env_variable", "load_pipeline"]

CONFIG_DIR = Path(__file__).parent
# Values of [nlp] lang a config may declare for each language of nlp.qualifiers.
CONFIG_LANGS = {"fr": ("fr", "eds"), "en": ("en",)}
SPACY_KEY = "factory"
EDS_KEY = "@factory"


class PipelineConfigError(ValueError):
    """A pipeline config that cannot be read or built; the message starts with the file's path."""


def env_variable(lang: str) -> str:
    """The environment variable naming a config file that replaces ``nlp/pipelines/<lang>.cfg``."""
    return f"HEALTHSEARCH_NLP_CONFIG_{lang.upper()}"


def config_path(lang: str, environ: Mapping[str, str] | None = None) -> Path:
    """The config file of ``lang``: the one ``HEALTHSEARCH_NLP_CONFIG_<LANG>`` names when set (and not
    empty), else the shipped ``nlp/pipelines/<lang>.cfg``."""
    env = os.environ if environ is None else environ
    override = env.get(env_variable(lang), "")
    return Path(override) if override else CONFIG_DIR / f"{lang}.cfg"


def _factory_known(factory: str) -> bool:
    from edsnlp.core.registries import registry

    try:
        registry.factory.get(factory)
    except ValueError:  # catalogue.RegistryError
        return False
    return True


def _dialect(path: Path, config: Mapping[str, Any], lang: str) -> str:
    """Check the config's structure; return the key its components name their factory with.

    Raises:
        PipelineConfigError: the first problem found, naming the file and the section.
    """
    nlp = config.get("nlp")
    if not isinstance(nlp, Mapping):
        raise PipelineConfigError(f"{path}: no [nlp] section")
    declared, accepted = nlp.get("lang"), CONFIG_LANGS[lang]
    if declared not in accepted:
        raise PipelineConfigError(
            f"{path}: [nlp] lang is {declared!r}; the {lang!r} pipeline needs one of {accepted}"
        )
    pipeline = nlp.get("pipeline")
    if not isinstance(pipeline, list) or not all(isinstance(name, str) for name in pipeline):
        raise PipelineConfigError(f"{path}: [nlp] pipeline must be a list of component names")
    components = config.get("components", {})
    keys = set()
    for name in pipeline:
        component = components.get(name) if isinstance(components, Mapping) else None
        if not isinstance(component, Mapping):
            raise PipelineConfigError(
                f"{path}: [nlp] pipeline lists {name!r}, which has no [components.{name}] section"
            )
        key = next((key for key in (SPACY_KEY, EDS_KEY) if key in component), None)
        if key is None:
            raise PipelineConfigError(
                f"{path}: [components.{name}] names no factory (`factory = ...` or `@factory = ...`)"
            )
        if not _factory_known(str(component[key])):
            raise PipelineConfigError(
                f"{path}: [components.{name}] unknown factory {component[key]!r} (not registered with "
                "spaCy or EDS-NLP; ours, hs.*, are in nlp/qualifiers/factory.py)"
            )
        keys.add(key)
    if len(keys) > 1:
        raise PipelineConfigError(
            f"{path}: components mix spaCy (`factory`) and EDS-NLP (`@factory`) keys; use one dialect"
        )
    return keys.pop() if keys else SPACY_KEY


def load_pipeline(lang: str, config: str | Path | None = None) -> Any:
    """Build the qualifier pipeline of ``lang`` from a config file.

    Args:
        lang: ``"fr"`` or ``"en"``.
        config: the config file; by default ``config_path(lang)`` (the shipped ``<lang>.cfg`` unless
            ``HEALTHSEARCH_NLP_CONFIG_<LANG>`` names another).

    Returns:
        A spaCy ``Language`` (``factory`` keys) or an EDS-NLP ``Pipeline`` (``@factory`` keys), its
        components in ``[nlp] pipeline`` order, named as there.

    Raises:
        PipelineConfigError: missing or unreadable file, bad structure, unknown factory, or options the
            factories reject; the message names the file and what is wrong.
    """
    if lang not in CONFIG_LANGS:
        raise ValueError(f"unsupported language {lang!r} (expected one of {tuple(CONFIG_LANGS)})")
    path = config_path(lang) if config is None else Path(config)
    if not path.is_file():
        raise PipelineConfigError(f"{path}: no such pipeline config file")
    from spacy import util

    importlib.import_module("nlp.qualifiers.factory")  # registers hs.context, hs.sections_en
    try:
        parsed = util.load_config(path, interpolate=True)
    except ValueError as error:  # confection's ConfigValidationError: syntax, bad ${reference}
        raise PipelineConfigError(f"{path}: not a valid config file: {error}") from error
    dialect = _dialect(path, parsed, lang)
    try:
        if dialect == EDS_KEY:
            return _build_eds(parsed)
        return util.load_model_from_config(parsed, auto_fill=True, validate=True)
    except (ValueError, TypeError, KeyError) as error:
        raise PipelineConfigError(f"{path}: cannot build the pipeline: {error}") from error


def _build_eds(config: Mapping[str, Any]) -> Any:
    """An EDS-NLP pipeline: ``edsnlp.blank`` with the rest of ``[nlp]``, then one ``add_pipe`` per
    component, in order (see the module docstring for why not ``edsnlp.load``)."""
    import edsnlp  # slow import (~4 s): only when an EDS-NLP pipeline is first asked for

    settings = {key: value for key, value in config["nlp"].items() if key not in ("pipeline", "components")}
    lang = settings.pop("lang")
    nlp = edsnlp.blank(lang, config=settings)
    for name in config["nlp"]["pipeline"]:
        options = dict(config["components"][name])
        factory = options.pop(EDS_KEY)
        nlp.add_pipe(factory, name=name, config=options)
    return nlp
