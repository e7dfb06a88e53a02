"""Writing documents and mentions into the real Neo4j: round trip, idempotency, replacement,
aggregates, stubs, patients, and atomic batches."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import neo4j
import pytest

from graph import document_cypher, document_repository
from graph.document_repository import DocumentRepository, DocumentWriter
from graph.documents import DocumentRow, DocumentWriteReport, MentionRow
from graph.driver import Graph
from graph.errors import DocumentNotFound, GraphWriteError
from graph.schema import apply_schema
from graph.search_repository import DocumentFilter, SearchRepository

TEXT = "Diabète de type 2. Pas de fièvre. Mère asthmatique."


def mention(start: int, end: int, *candidates: tuple[str, float], **fields: Any) -> MentionRow:
    return MentionRow(start=start, end=end, text=TEXT[start:end], candidates=candidates, **fields)


DIABETES = mention(
    0,
    17,
    ("TST:1", 0.9),
    ("TST:2", 0.4),
    historical=True,
    section="antecedents",
    sentence_start=0,
    sentence_end=18,
)
FEVER = mention(26, 32, ("TST:3", 0.8), negated=True, sentence_start=19, sentence_end=33)
ASTHMA = mention(39, 50, ("TST:4", 0.7), family=True, hypothetical=True)
DOC = DocumentRow(
    id="doc-1",
    text=TEXT,
    patient_id="p-1",
    type="report",
    date="2024-03-01",
    lang="fr",
    title="Consultation",
    source="test",
    metadata={"ward": "B", "pages": 2, "urgent": False, "weight": 71.5},
    pipeline_version="hs-0.1",
    terminology_version="tst@v1",
    mentions=(FEVER, DIABETES, ASTHMA),
)


def seed_concepts(graph: Graph) -> None:
    """Three real concepts; TST:4 is left out so that it becomes a stub."""
    rows = [
        {"curie": "TST:1", "label": "Diabetes mellitus", "label_fr": "Diabète sucré"},
        {"curie": "TST:2", "label": "Type 2 diabetes", "label_fr": "Diabète de type 2"},
        {"curie": "TST:3", "label": "Fever", "label_fr": "Fièvre"},
    ]
    graph.write(
        lambda tx: tx.run(
            "UNWIND $rows AS row CREATE (c:Concept) SET c = row, c.source = 'tst', c.stub = false",
            {"rows": rows},
        ).consume()
    )


def query(graph: Graph, cypher: str, **params: Any) -> list[dict[str, Any]]:
    return graph.read(lambda tx: [record.data() for record in tx.run(cypher, params)])


def fingerprint(graph: Graph) -> dict[str, Any]:
    """Counts of nodes, relationships and properties: equal fingerprints, nothing was rewritten."""
    return query(
        graph,
        """
        CALL () { MATCH (n) RETURN count(n) AS nodes, sum(size(keys(n))) AS node_props }
        CALL () { MATCH ()-[r]->() RETURN count(r) AS rels, sum(size(keys(r))) AS rel_props }
        CALL () { MATCH (m:Mention) RETURN collect(elementId(m)) AS mention_ids }
        RETURN nodes, node_props, rels, rel_props, mention_ids
        """,
    )[0]


@pytest.fixture
def writer(graph: Graph) -> DocumentWriter:
    seed_concepts(graph)
    return DocumentWriter(graph)


@pytest.fixture
def repo(graph: Graph) -> DocumentRepository:
    return DocumentRepository(graph)


def test_round_trip_of_every_field(writer: DocumentWriter, repo: DocumentRepository) -> None:
    report = writer.write([DOC])
    assert report == DocumentWriteReport(added=1, mentions_added=3)
    detail = repo.get("doc-1")
    assert (detail.id, detail.text, detail.patient_id) == ("doc-1", TEXT, "p-1")
    assert (detail.type, detail.date, detail.lang, detail.title, detail.source) == (
        "report",
        "2024-03-01",
        "fr",
        "Consultation",
        "test",
    )
    assert detail.metadata == {"ward": "B", "pages": 2, "urgent": False, "weight": 71.5}
    assert (detail.pipeline_version, detail.terminology_version) == ("hs-0.1", "tst@v1")
    assert detail.mention_count == 3
    assert detail.hash == repo.hashes(["doc-1"])["doc-1"]
    assert [m.start for m in detail.mentions] == [0, 26, 39]  # ordered by start
    first = detail.mentions[0]
    assert (first.text, first.section, first.sentence_start, first.sentence_end) == (
        "Diabète de type 2",
        "antecedents",
        0,
        18,
    )
    assert (first.negated, first.hypothetical, first.family, first.historical) == (False, False, False, True)
    assert [(c.curie, c.rank, c.score, c.label, c.stub) for c in first.candidates] == [
        ("TST:1", 0, 0.9, "Diabète sucré", False),
        ("TST:2", 1, 0.4, "Diabète de type 2", False),
    ]
    fever, asthma = detail.mentions[1], detail.mentions[2]
    assert fever.negated and not fever.historical and fever.section is None
    assert asthma.family and asthma.hypothetical


def test_text_is_stored_only_on_the_document(writer: DocumentWriter, graph: Graph) -> None:
    writer.write([DOC])
    holders = query(graph, "MATCH (n) WHERE n.text = $text RETURN labels(n) AS labels", text=TEXT)
    assert [sorted(holder["labels"]) for holder in holders] == [["Document", "TextFr"]]


def test_search_fields_follow_the_new_version(writer: DocumentWriter, graph: Graph) -> None:
    """The language label and concept tokens are replaced with the document, never accumulated."""
    writer.write([DOC])
    fields = "RETURN labels(d) AS labels, d.concept_tokens AS affirmed, d.hypothesis_tokens AS hypo"
    [stored] = query(graph, f"MATCH (d:Document {{id: $id}}) {fields}", id=DOC.id)
    # Diabetes (historical, still the patient's) is affirmed; negated fever and the relative's asthma
    # are not indexed at all.
    assert (sorted(stored["labels"]), stored["affirmed"], stored["hypo"]) == (
        ["Document", "TextFr"],
        "tst_1",
        "",
    )
    english = replace(DOC, lang="en", mentions=DOC.mentions[:1] * 1)
    writer.write([english])
    [stored] = query(graph, f"MATCH (d:Document {{id: $id}}) {fields}", id=DOC.id)
    assert sorted(stored["labels"]) == ["Document", "TextEn"]


def test_the_vector_is_stored_as_floats_and_goes_with_the_version_that_had_it(
    writer: DocumentWriter, graph: Graph
) -> None:
    vector = (0.6, 0.0, -0.8)
    writer.write([replace(DOC, lang="en", vector=vector, pipeline_version="hs-0.2")])
    [stored] = query(graph, "MATCH (d:Document {id: $id}) RETURN d.vector AS vector", id=DOC.id)
    assert stored["vector"] == pytest.approx(vector)  # 32-bit floats: equal to about 1e-7
    writer.write([replace(DOC, pipeline_version="hs-0.3")])  # French now: no vector
    [stored] = query(graph, "MATCH (d:Document {id: $id}) RETURN d.vector AS vector", id=DOC.id)
    assert stored["vector"] is None


def test_the_candidates_read_gives_the_cosine_only_for_vectors_of_the_querys_size(
    writer: DocumentWriter, graph: Graph
) -> None:
    writer.write([replace(DOC, lang="en", vector=(0.6, 0.0, -0.8))])
    search = SearchRepository(graph)

    def similarity(vector: tuple[float, ...] | None) -> float | None:
        [row] = search.candidates([DOC.id], [], vector=vector)
        value: float | None = row["similarity"]
        return value

    assert similarity((0.6, 0.0, -0.8)) == pytest.approx(1.0, abs=1e-6)
    assert similarity((0.0, 1.0, 0.0)) == pytest.approx(0.0, abs=1e-6)
    assert similarity((-0.6, 0.0, 0.8)) == pytest.approx(-1.0, abs=1e-6)
    assert similarity((1.0, 0.0)) is None  # another model's vector: no comparison, no error
    assert similarity(None) is None


def unit(*weights: float, dims: int = 384) -> tuple[float, ...]:
    """A unit vector of ``dims`` whose first coordinates are ``weights`` (normalised)."""
    norm = sum(weight * weight for weight in weights) ** 0.5
    return tuple(weight / norm for weight in weights) + (0.0,) * (dims - len(weights))


def test_the_nearest_documents_come_from_the_vector_index(writer: DocumentWriter, graph: Graph) -> None:
    writer.write(
        [
            replace(DOC, id="same", lang="en", vector=unit(1.0), mentions=()),
            replace(DOC, id="half", lang="en", vector=unit(1.0, 1.0), mentions=()),
            replace(DOC, id="other", lang="en", vector=unit(0.0, 1.0), mentions=()),
            replace(DOC, id="letter", lang="en", type="letter", vector=unit(1.0, 0.1), mentions=()),
            # A vector of another size (an older model): left out of the index, not an error.
            replace(DOC, id="old", lang="en", vector=(1.0, 0.0, 0.0), mentions=()),
            replace(DOC, id="none", mentions=()),
        ]
    )
    graph.write(lambda tx: tx.run("CALL db.awaitIndexes(60)").consume())
    search = SearchRepository(graph)
    nearest = search.similar_hits(unit(1.0), DocumentFilter(), limit=3)
    assert list(nearest) == ["same", "letter", "half"]  # nearest first
    # The index scores from a compact (quantised) copy of the vectors: cosines to about 0.01. Only the
    # admission floor reads them; the score's cosine comes from the candidates read, exact.
    assert nearest["same"] == pytest.approx(1.0, abs=0.01)
    assert nearest["half"] == pytest.approx(0.5**0.5, abs=0.01)
    # Filters apply to what the index found: the nearest report after "same" is "half", not "letter".
    reports = search.similar_hits(unit(1.0), DocumentFilter(types=("report",)), limit=2)
    assert list(reports) == ["same", "half"]
    assert search.similar_hits(unit(1.0), DocumentFilter(sources=("elsewhere",)), limit=2) == {}
    assert set(search.similar_hits(unit(0.0, 1.0), DocumentFilter(), limit=10)) == {
        "same",
        "half",
        "other",
        "letter",
    }


def test_missing_document_raises(repo: DocumentRepository) -> None:
    with pytest.raises(DocumentNotFound, match="doc-x"):
        repo.get("doc-x")


def test_rewrite_of_same_documents_changes_nothing(writer: DocumentWriter, graph: Graph) -> None:
    other = replace(DOC, id="doc-2", mentions=(FEVER,))
    writer.write([DOC, other])
    before = fingerprint(graph)
    report = writer.write([DOC, other])
    assert report == DocumentWriteReport(unchanged=2)
    assert fingerprint(graph) == before


def test_changed_document_replaces_its_mentions(
    writer: DocumentWriter, repo: DocumentRepository, graph: Graph
) -> None:
    writer.write([DOC])
    new_fever = replace(FEVER, negated=False)  # same span, other qualifier: changed
    new_mention = mention(19, 22, ("TST:1", 0.3))  # "Pas": added
    v2 = replace(
        DOC, terminology_version="tst@v2", mentions=(DIABETES, new_fever, new_mention)
    )  # ASTHMA removed
    report = writer.write([v2])
    assert report == DocumentWriteReport(replaced=1, mentions_added=1, mentions_removed=1, mentions_changed=1)
    detail = repo.get("doc-1")
    assert detail.terminology_version == "tst@v2"
    assert [(m.start, m.negated) for m in detail.mentions] == [(0, False), (19, False), (26, False)]
    assert query(graph, "MATCH (m:Mention) RETURN count(m) AS n") == [{"n": 3}]
    assert query(
        graph, "MATCH (:Document)-[r:MENTIONS]->(:Concept {curie: 'TST:4'}) RETURN count(r) AS n"
    ) == [{"n": 0}]


def test_aggregates_count_qualifiers(writer: DocumentWriter, repo: DocumentRepository, graph: Graph) -> None:
    doc = replace(
        DOC,
        mentions=(
            DIABETES,  # TST:1 affirmed, historical
            mention(11, 17, ("TST:1", 0.95)),  # TST:1 affirmed
            mention(0, 7, ("TST:1", 0.2), hypothetical=True),  # TST:1 not affirmed
            FEVER,  # TST:3 negated
            ASTHMA,  # TST:4 family + hypothetical
        ),
    )
    writer.write([doc])
    rows = query(
        graph,
        """
        MATCH (:Document {id: 'doc-1'})-[r:MENTIONS]->(c:Concept)
        RETURN c.curie AS curie, r {.*} AS counts ORDER BY curie
        """,
    )
    counts = {row["curie"]: row["counts"] for row in rows}
    assert set(counts) == {"TST:1", "TST:3", "TST:4"}  # TST:2 is never a best candidate
    assert counts["TST:1"] == {
        "count": 3,
        "affirmed": 2,
        "negated": 0,
        "hypothetical": 1,
        "family": 0,
        "historical": 1,
        "best_score": 0.95,
    }
    assert (counts["TST:3"]["affirmed"], counts["TST:3"]["negated"]) == (0, 1)
    assert (counts["TST:4"]["family"], counts["TST:4"]["hypothetical"], counts["TST:4"]["affirmed"]) == (
        1,
        1,
        0,
    )
    top = repo.get("doc-1").concepts[0]  # most mentioned first
    assert (top.curie, top.count) == ("TST:1", 3)


def test_unknown_candidate_becomes_a_stub(
    writer: DocumentWriter, repo: DocumentRepository, graph: Graph
) -> None:
    writer.write([DOC])
    stub = query(graph, "MATCH (c:Concept {curie: 'TST:4'}) RETURN c {.*} AS c")[0]["c"]
    assert stub["stub"] is True
    assert stub["source"] == "tst"
    known = query(graph, "MATCH (c:Concept {curie: 'TST:1'}) RETURN c.stub AS stub")
    assert known == [{"stub": False}]  # an existing concept is not turned into a stub
    assert repo.get("doc-1").mentions[2].candidates[0].stub is True


def test_patient_with_several_documents(writer: DocumentWriter, graph: Graph) -> None:
    writer.write([DOC, replace(DOC, id="doc-2"), replace(DOC, id="doc-3", patient_id="p-2")])
    rows = query(
        graph,
        """
        MATCH (p:Patient)-[:HAS_DOCUMENT]->(d:Document)
        RETURN p.id AS patient, collect(d.id) AS docs ORDER BY patient
        """,
    )
    assert [(row["patient"], sorted(row["docs"])) for row in rows] == [
        ("p-1", ["doc-1", "doc-2"]),
        ("p-2", ["doc-3"]),
    ]


def test_document_moved_to_another_patient(writer: DocumentWriter, graph: Graph) -> None:
    writer.write([DOC])
    writer.write([replace(DOC, patient_id="p-9")])
    rows = query(graph, "MATCH (p:Patient) OPTIONAL MATCH (p)-->(d) RETURN p.id AS p, d.id AS d")
    assert rows == [{"p": "p-9", "d": "doc-1"}]
    # The patient property patient search groups by follows the relationship.
    assert query(graph, "MATCH (d:Document) RETURN d.patient_id AS p") == [{"p": "p-9"}]


def test_schema_gives_older_documents_their_patient_property(writer: DocumentWriter, graph: Graph) -> None:
    writer.write([DOC, replace(DOC, id="doc-2", patient_id=None)])
    # A graph written before Document.patient_id existed.
    graph.write(lambda tx: tx.run("MATCH (d:Document) REMOVE d.patient_id").consume())
    apply_schema(graph)
    rows = query(graph, "MATCH (d:Document) RETURN d.id AS id, d.patient_id AS p ORDER BY id")
    assert rows == [{"id": "doc-1", "p": "p-1"}, {"id": "doc-2", "p": None}]


def test_document_without_patient(writer: DocumentWriter, repo: DocumentRepository, graph: Graph) -> None:
    writer.write([replace(DOC, patient_id=None, date=None, title=None, metadata={}, mentions=())])
    detail = repo.get("doc-1")
    assert (detail.patient_id, detail.date, detail.title, detail.metadata, detail.mentions) == (
        None,
        None,
        None,
        {},
        (),
    )
    assert query(graph, "MATCH (p:Patient) RETURN count(p) AS n") == [{"n": 0}]


def test_batches_and_hashes_and_ids(writer: DocumentWriter, repo: DocumentRepository) -> None:
    docs = [replace(DOC, id=f"doc-{i:02d}", source="a" if i % 2 else "b") for i in range(7)]
    report = writer.write(docs, batch_size=3)
    assert report == DocumentWriteReport(added=7, mentions_added=21)
    assert set(repo.hashes(["doc-00", "doc-05", "nope"])) == {"doc-00", "doc-05"}
    assert list(repo.all_ids(page_size=2)) == [doc.id for doc in docs]
    assert list(repo.all_ids("a", page_size=2)) == ["doc-01", "doc-03", "doc-05"]
    assert (repo.count(), repo.count("a"), repo.count("nope")) == (7, 3, 0)


def test_failure_after_delete_leaves_previous_version(
    writer: DocumentWriter, repo: DocumentRepository, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer.write([DOC])
    before = fingerprint(graph)

    def broken_create(tx: neo4j.ManagedTransaction, rows: Any) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(document_repository, "_create", broken_create)
    v2 = replace(DOC, terminology_version="tst@v2", mentions=(FEVER,))
    with pytest.raises(RuntimeError, match="interrupted"):
        writer.write([v2])
    assert fingerprint(graph) == before
    assert repo.get("doc-1").terminology_version == "tst@v1"
    monkeypatch.undo()
    assert writer.write([v2]) == DocumentWriteReport(replaced=1, mentions_removed=2)
    assert repo.get("doc-1").mention_count == 1


def test_failing_statement_rolls_back_the_batch(
    writer: DocumentWriter, repo: DocumentRepository, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer.write([DOC])
    before = fingerprint(graph)
    # The last statement of the batch fails in Neo4j after mentions were deleted and rewritten.
    monkeypatch.setattr(document_cypher, "WRITE_AGGREGATES", "UNWIND $rows AS row RETURN 1 / 0")
    v2 = replace(DOC, terminology_version="tst@v2", mentions=(FEVER,))
    new = replace(DOC, id="doc-2")
    with pytest.raises(GraphWriteError):
        writer.write([v2, new])
    assert fingerprint(graph) == before
    assert repo.hashes(["doc-1", "doc-2"]) == {"doc-1": repo.get("doc-1").hash}
    assert repo.get("doc-1").terminology_version == "tst@v1"
