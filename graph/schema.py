"""Apply the graph schema (constraints, lookup and full-text indexes); idempotent."""

from __future__ import annotations

import re
from pathlib import Path

from graph.driver import Graph

SCHEMA_FILE = Path(__file__).with_name("schema.cypher")

# Data brought up to the current model when the schema is applied (by every load and ingest, and by
# `healthsearch graph init`); each is idempotent and cheap once done. Documents written before
# Document.patient_id existed get it from their HAS_DOCUMENT.
MIGRATIONS = (
    """
    MATCH (p:Patient)-[:HAS_DOCUMENT]->(d:Document)
    WHERE d.patient_id IS NULL
    CALL (p, d) { SET d.patient_id = p.id } IN TRANSACTIONS OF 10000 ROWS
    """,
)


def schema_statements(text: str | None = None) -> list[str]:
    """The statements of ``schema.cypher`` (comments dropped), in order."""
    source = SCHEMA_FILE.read_text() if text is None else text
    without_comments = re.sub(r"^\s*//.*$", "", source, flags=re.MULTILINE)
    return [statement.strip() for statement in without_comments.split(";") if statement.strip()]


def apply_schema(graph: Graph) -> int:
    """Create every constraint and index that does not exist yet, wait until they are online, then
    run the data ``MIGRATIONS``.

    Returns the number of schema statements run.
    """
    statements = schema_statements()
    for statement in statements:
        graph.run_schema(statement)
    graph.run_schema("CALL db.awaitIndexes(300)")
    for migration in MIGRATIONS:
        graph.run_schema(migration)
    return len(statements)
