"""Text vectors: the model in WordLlama's wheel, unit length, English only, close for close texts."""

from __future__ import annotations

import math

import pytest
from matcher_markup import term

from nlp.embedding import DIMENSIONS, embed, embeds, text_vector
from nlp.matcher import TerminologyMatcher
from nlp.pipeline import Annotator


def cosine(left: tuple[float, ...], right: tuple[float, ...]) -> float:
    return sum(a * b for a, b in zip(left, right, strict=True))


def test_vectors_are_unit_length_and_deterministic() -> None:
    first, second = embed(["Pulmonary embolism after hip surgery", "Pulmonary embolism after hip surgery"])
    assert len(first) == DIMENSIONS
    assert math.sqrt(cosine(first, first)) == pytest.approx(1.0)
    assert first == second


def test_close_texts_are_closer_than_unrelated_ones() -> None:
    query, related, unrelated = embed(
        ["statins lower cholesterol", "cholesterol-lowering drugs such as statins", "the history of jazz"]
    )
    assert cosine(query, related) > cosine(query, unrelated) + 0.2


@pytest.mark.parametrize(("text", "lang"), [("embolie pulmonaire", "fr"), ("   ", "en"), ("anything", None)])
def test_no_vector_for_other_languages_or_empty_texts(text: str, lang: str | None) -> None:
    assert text_vector(text, lang) is None


def test_only_english_is_embedded() -> None:
    assert embeds("en")
    assert not embeds("fr")
    assert text_vector("pulmonary embolism", "en") == embed(["pulmonary embolism"])[0]


def test_no_text_no_call() -> None:
    assert embed([]) == []


def test_a_broken_install_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from wordllama import WordLlama

    from nlp import embedding

    def missing(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError("Weights file 'l2_supercat_256.safetensors' not found")

    monkeypatch.setattr(WordLlama, "load", missing)
    embedding._model.cache_clear()
    try:
        with pytest.raises(embedding.EmbedderUnavailable, match=r"l2_supercat.*reinstall"):
            embedding.warm_up()
    finally:
        embedding._model.cache_clear()  # the next test loads the real model again


def test_the_annotator_gives_a_vector_only_when_asked() -> None:
    terms = [term("EN:1", "heart failure", "en"), term("FR:1", "insuffisance cardiaque", "fr")]
    annotator = Annotator(
        {lang: TerminologyMatcher.build(terms, lang=lang, abbreviations=()) for lang in ("en", "fr")},
        terminology_version="test",
    )
    text = "Admitted for heart failure."
    assert annotator.annotate(text, lang="en").vector is None  # /api/annotate, linking: not needed
    assert annotator.annotate(text, lang="en", with_vector=True).vector == text_vector(text, "en")
    assert annotator.annotate("Insuffisance cardiaque.", lang="fr", with_vector=True).vector is None
