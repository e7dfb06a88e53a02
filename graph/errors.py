"""Coded errors of the graph package; driver errors become these at the repository edge."""

from __future__ import annotations


class Errors:
    E101 = (
        "No Neo4j is configured: run `healthsearch neo4j start` (local Neo4j from Maven Central), "
        "or set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD to an existing Neo4j 5.26, or `docker compose up`."
    )
    E102 = "Neo4j at {uri} does not answer: {detail}"
    E103 = "Neo4j at {uri} refused the credentials of user {user!r}: {detail}"
    E104 = (
        "{tool} is needed to run the local Neo4j ({why}) but was not found. Install Java 17 and Maven, "
        "or point NEO4J_URI (+ NEO4J_USER, NEO4J_PASSWORD) at an existing Neo4j 5.26, or `docker compose up`."
    )
    E105 = "Java {found} found; the local Neo4j 5.26 needs Java 17 or 21 (set JAVA_HOME)."
    E106 = "Building the Neo4j launcher failed ({step}); see {log}.\n{tail}"
    E107 = "The local Neo4j exited while starting (exit code {code}); last lines of {log}:\n{tail}"
    E108 = "The local Neo4j did not answer on {uri} within {seconds} s; see {log}."
    E109 = "NEO4J_URI is set but NEO4J_PASSWORD is not."
    E110 = "Port {port} (HEALTHSEARCH_NEO4J_PORT) is already in use by another program."
    E111 = "Concept {curie!r} not found."
    E112 = "Write to Neo4j failed: {detail}"
    E113 = "Document {id!r} not found."
    E114 = "Document {id!r} cannot be written: {detail}."
    E115 = "Document {id!r} appears more than once in one write."


class GraphError(Exception):
    """Base class of graph-package errors."""


class GraphUnavailable(GraphError, ConnectionError):
    """Neo4j is not configured, not running or not reachable."""


class RuntimeSetupError(GraphError, RuntimeError):
    """The local Neo4j runtime cannot be built or started (missing Java/Maven, port in use...)."""


class ConceptNotFound(GraphError, LookupError):
    """No concept has the asked CURIE."""


class GraphWriteError(GraphError, RuntimeError):
    """A write transaction failed; the release being written was rolled back or marked failed."""


class DocumentNotFound(GraphError, LookupError):
    """No document has the asked id."""


class InvalidDocument(GraphError, ValueError):
    """A document row is malformed (bad offsets, date, metadata...); nothing was written."""
