"""The list of terminology branches left out of the matcher (nlp/resources/excluded_branches.tsv)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.matcher.errors import ExclusionListError
from nlp.matcher.exclusions import load_excluded_roots


def test_the_shipped_list_names_hpo_branches_that_are_not_findings() -> None:
    roots = load_excluded_roots()
    assert {"HP:0012823", "HP:0032443"} <= set(roots)
    assert "HP:0000118" not in roots  # Phenotypic abnormality: the findings themselves


def test_comments_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "list.tsv"
    path.write_text("curie\tlabel\twhy\n# HP:1\tx\ty\n\t\t\nHP:2\tMild\ta modifier\n", encoding="utf-8")
    assert load_excluded_roots(path) == ("HP:2",)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("curie\twhy\nHP:1\tx\n", "list.tsv:1"),  # a column missing
        ("curie\tlabel\twhy\nHP:1\tMild\t\n", "list.tsv:2"),  # no reason
        ("curie\tlabel\twhy\nMild\tMild\ta modifier\n", "list.tsv:2"),  # no curie
    ],
)
def test_a_malformed_list_names_file_and_line(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "list.tsv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExclusionListError, match=where):
        load_excluded_roots(path)
