"""Apply the graph schema (constraints, lookup and full-text indexes); idempotent."""

from __future__ import annotations

import re
from pathlib import Path

from graph.driver import Graph

SCHEMA_FILE = Path(__file__).with_name("schema.cypher")


def schema_statements(text: str | None = None) -> list[str]:
    """The statements of ``schema.cypher`` (comments dropped), in order."""
    source = SCHEMA_FILE.read_text() if text is None else text
    without_comments = re.sub(r"^\s*//.*$", "", source, flags=re.MULTILINE)
    return [statement.strip() for statement in without_comments.split(";") if statement.strip()]


def apply_schema(graph: Graph) -> int:
    """Create every constraint and index that does not exist yet, then wait until they are online.

    Returns the number of statements run.
    """
    statements = schema_statements()
    for statement in statements:
        graph.run_schema(statement)
    graph.run_schema("CALL db.awaitIndexes(300)")
    return len(statements)
