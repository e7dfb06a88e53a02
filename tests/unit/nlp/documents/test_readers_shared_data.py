"""The readers on the real corpora in ../shared/data: NCBI-disease dev, QUAERO dev, FRACCO."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nlp.documents import DocumentRecord, Reject, read_documents

# tests/unit/nlp/documents/<this file>: parents[4] is the repo, its parent holds shared/.
SHARED = Path(__file__).resolve().parents[4].parent / "shared" / "data"
CORPORA = SHARED / "corpora"

pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not SHARED.is_dir(), reason=f"shared data absent: {SHARED} (a fresh clone has none)"),
]


def _kinds(items: list[DocumentRecord | Reject]) -> Counter[str]:
    return Counter(type(item).__name__ for item in items)


def test_ncbi_disease_dev_has_100_abstracts() -> None:
    items = list(read_documents(CORPORA / "ncbi-disease" / "NCBIdevelopset_corpus.txt", format="pubtator"))
    assert _kinds(items) == {"DocumentRecord": 100}


def test_ncbi_disease_dev_offsets_match_text() -> None:
    path = CORPORA / "ncbi-disease" / "NCBIdevelopset_corpus.txt"
    texts = {
        item.id: item.text
        for item in read_documents(path, format="pubtator")
        if isinstance(item, DocumentRecord)
    }
    spans = [line.split("\t") for line in path.read_text().splitlines() if line.count("\t") >= 4]
    assert spans
    assert all(texts[pmid][int(start) : int(end)] == mention for pmid, start, end, mention, *_ in spans)


def test_quaero_dev_documents() -> None:
    items = list(read_documents(CORPORA / "quaero" / "dev", format="brat", lang="fr"))
    assert _kinds(items) == {"DocumentRecord": 844}  # 832 MEDLINE titles + 12 EMEA segments
    ids = {item.id for item in items if isinstance(item, DocumentRecord)}
    assert sum(i.startswith("MEDLINE/") for i in ids) == 832
    assert sum(i.startswith("EMEA/") for i in ids) == 12


def test_fracco_documents() -> None:
    items = list(read_documents(CORPORA / "fracco", format="brat", lang="fr"))
    assert _kinds(items) == {"DocumentRecord": 1301}
    with_ann = sum("ann" in item.metadata for item in items if isinstance(item, DocumentRecord))
    assert with_ann == 1300  # cc_onco853 has no .ann
