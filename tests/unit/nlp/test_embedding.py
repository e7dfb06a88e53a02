"""Text vectors: bge-small-en-v1.5 from its pinned files, unit length, English only, close for close texts."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from matcher_markup import term

from nlp.embedding import DIMENSIONS, embed, embeds, text_vector
from nlp.embedding_model import require
from nlp.matcher import TerminologyMatcher
from nlp.pipeline import Annotator

# The installed model's folder, read before any test points HEALTHSEARCH_MODEL_DIR elsewhere.
INSTALLED = require()


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


def test_queries_are_read_with_the_retrieval_instruction() -> None:
    text = "statin therapy"
    as_query, as_document = text_vector(text, "en", query=True), text_vector(text, "en")
    assert as_query is not None and as_document is not None
    assert as_query != as_document
    assert cosine(as_query, as_document) > 0.7  # the same words, read two ways


def test_a_query_finds_the_passage_that_answers_it() -> None:
    query = embed(["does aspirin prevent heart attacks"], query=True)[0]
    relevant, other = embed(
        [
            "Low-dose aspirin reduced the risk of myocardial infarction in a randomised trial.",
            "Vitamin D supplements did not change bone density in older women.",
        ]
    )
    assert cosine(query, relevant) > cosine(query, other) + 0.1


def test_a_vector_does_not_depend_on_the_texts_beside_it() -> None:
    short = "Fever."
    alone = embed([short])[0]
    beside_a_long_one = embed([short, "Chest pain radiating to the left arm for two hours. " * 20])[0]
    assert alone == beside_a_long_one


def test_missing_model_files_are_a_clear_error(no_text_model: Path) -> None:
    from nlp import embedding

    with pytest.raises(embedding.EmbedderUnavailable, match=r"not installed in .*model fetch.*make install"):
        embedding.warm_up()


def test_a_corrupt_model_file_is_a_clear_error(no_text_model: Path) -> None:
    from nlp import embedding, embedding_model

    folder = no_text_model / embedding_model.FOLDER
    folder.mkdir()
    shutil.copy(INSTALLED / embedding_model.TOKENIZER_FILE, folder)
    (folder / embedding_model.MODEL_FILE).write_bytes(b"not an onnx graph")
    with pytest.raises(embedding.EmbedderUnavailable, match=r"could not be loaded.*--force"):
        embedding.warm_up()


@pytest.mark.parametrize(("value", "expected"), [(None, 1), ("2", 2), ("0", 1), ("many", 1)])
def test_threads_come_from_the_environment(value: str | None, expected: int) -> None:
    from nlp.embedding import threads

    assert threads({} if value is None else {"HEALTHSEARCH_EMBED_THREADS": value}) == expected


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


def test_the_vector_index_has_the_models_dimensions() -> None:
    # graph/ may not import nlp/: the schema states the size, and this test keeps the two together
    # (a vector of another size is silently left out of the index).
    from graph.schema import schema_statements

    [index] = [statement for statement in schema_statements() if "VECTOR INDEX document_vector" in statement]
    assert f"`vector.dimensions`: {DIMENSIONS}," in index
