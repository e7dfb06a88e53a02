"""Qualifier pipelines assembled from nlp/pipelines/*.cfg; bad configs fail naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.pipelines import CONFIG_DIR, PipelineConfigError, config_path, env_variable, load_pipeline
from nlp.qualifiers import SPAN_GROUP, _pipeline

EN_CONFIG = """
[nlp]
lang = "en"
pipeline = ["sections", "context"]

[components]

[components.sections]
factory = "hs.sections_en"

[components.context]
factory = "{context}"
"""


def write(tmp_path: Path, text: str, name: str = "pipeline.cfg") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_french_config_reproduces_the_eds_pipeline() -> None:
    nlp = _pipeline("fr")
    assert nlp.pipe_names == [
        "lexeme_norms",
        "normalizer",
        "pollution",
        "sentences",
        "sections",
        "negation",
        "hypothesis",
        "family",
        "history",
    ]
    components = nlp.config["components"]
    for name in ("negation", "hypothesis", "family", "history"):
        # hs.family: eds.family skipping documents without its cues (nlp/qualifiers/family.py)
        assert components[name]["@factory"] == ("hs.family" if name == "family" else f"eds.{name}")
        assert dict(components[name]["span_getter"]) == {SPAN_GROUP: True}
    # Only the negation cues are read (by the post-rules).
    assert nlp.get_pipe("negation").explain is True
    assert not any(nlp.get_pipe(name).explain for name in ("hypothesis", "family", "history"))
    # NORM's accents and quotes are translated per lexeme (hs.lexeme_norms), pollution is tagged by
    # hs.pollution; the normaliser keeps lower case.
    normalizer = nlp.get_pipe("normalizer")
    assert normalizer.lowercase is True
    assert (normalizer.accents, normalizer.quotes, normalizer.spaces, normalizer.pollution) == (None,) * 4
    assert nlp.get_pipe("pollution").guarded
    # Components are added one by one, as edsnlp.blank + add_pipe did: eds.family sees the sections
    # component already there (edsnlp.load instantiates them all first, and it would not).
    assert nlp.get_pipe("family").sections is True


def test_english_config_builds_sections_then_context() -> None:
    nlp = _pipeline("en")
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["sections", "context"]
    assert [nlp.get_pipe_meta(name).factory for name in nlp.pipe_names] == ["hs.sections_en", "hs.context"]
    assert nlp.get_pipe("context").span_group == SPAN_GROUP
    assert nlp.get_pipe("context").exclude_group == nlp.get_pipe("sections").header_group


def test_shipped_configs_are_the_defaults() -> None:
    assert config_path("fr", environ={}) == CONFIG_DIR / "fr.cfg"
    assert config_path("en", environ={}) == CONFIG_DIR / "en.cfg"


def test_environment_variable_names_another_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, EN_CONFIG.format(context="hs.context"))
    assert config_path("en", environ={env_variable("en"): str(path)}) == path
    monkeypatch.setenv("HEALTHSEARCH_NLP_CONFIG_EN", str(path))
    assert load_pipeline("en").pipe_names == ["sections", "context"]


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.cfg"
    with pytest.raises(PipelineConfigError, match=r"absent\.cfg: no such pipeline config file"):
        load_pipeline("en", path)


def test_unknown_factory_names_file_component_and_factory(tmp_path: Path) -> None:
    path = write(tmp_path, EN_CONFIG.format(context="hs.contxt"), "typo.cfg")
    with pytest.raises(PipelineConfigError) as caught:
        load_pipeline("en", path)
    message = str(caught.value)
    assert message.startswith(f"{path}: [components.context] unknown factory 'hs.contxt'")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[nlp\nlang = 'en'\n", "not a valid config file"),
        ("[paths]\nx = 1\n", "no [nlp] section"),
        ('[nlp]\nlang = "fr"\npipeline = []\n', "[nlp] lang is 'fr'"),
        (
            '[nlp]\nlang = "en"\npipeline = ["context"]\n',
            "lists 'context', which has no [components.context]",
        ),
        (
            '[nlp]\nlang = "en"\npipeline = ["context"]\n'
            '[components]\n[components.context]\nspan_group = "x"\n',
            "[components.context] names no factory",
        ),
        (
            '[nlp]\nlang = "en"\npipeline = ["a", "b"]\n[components]\n'
            '[components.a]\nfactory = "hs.sections_en"\n[components.b]\n@factory = "hs.context"\n',
            "mix spaCy (`factory`) and EDS-NLP (`@factory`)",
        ),
    ],
)
def test_bad_config_names_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(PipelineConfigError) as caught:
        load_pipeline("en", path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)


def test_option_the_factory_rejects(tmp_path: Path) -> None:
    path = write(tmp_path, EN_CONFIG.format(context="hs.context") + 'max_scope = "far"\n')
    with pytest.raises(PipelineConfigError, match="cannot build the pipeline") as caught:
        load_pipeline("en", path)
    assert str(caught.value).startswith(f"{path}: ")


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ('@factory = "eds.negaton"', "[components.negation] unknown factory 'eds.negaton'"),
        ('@factory = "eds.negation"\nexplain = "maybe"', "cannot build the pipeline"),
    ],
)
def test_bad_eds_config(tmp_path: Path, options: str, problem: str) -> None:
    text = f'[nlp]\nlang = "eds"\npipeline = ["negation"]\n[components]\n[components.negation]\n{options}\n'
    path = write(tmp_path, text)
    with pytest.raises(PipelineConfigError) as caught:
        load_pipeline("fr", path)
    assert str(caught.value).startswith(f"{path}: ")
    assert problem in str(caught.value)


def test_unsupported_language() -> None:
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        load_pipeline("de")
