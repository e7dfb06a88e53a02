"""Where Neo4j is and how to log in: the same variables in every path (local runtime, Docker)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from graph.errors import Errors, GraphUnavailable

DEFAULT_STATE_DIR = ".state"


def state_dir_from_env(environ: Mapping[str, str] | None = None) -> Path:
    """The folder holding local runtime state (``HEALTHSEARCH_STATE_DIR``, default ``.state``)."""
    env = os.environ if environ is None else environ
    return Path(env.get("HEALTHSEARCH_STATE_DIR", DEFAULT_STATE_DIR)).resolve()


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str
    password: str
    database: str = "neo4j"

    def __repr__(self) -> str:  # never print the password
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Neo4jSettings:
        """Settings from ``NEO4J_*`` variables, else from the local runtime's state folder.

        Raises:
            GraphUnavailable: neither is configured.
        """
        env = os.environ if environ is None else environ
        database = env.get("NEO4J_DATABASE", "neo4j")
        user = env.get("NEO4J_USER", "neo4j")
        uri = env.get("NEO4J_URI")
        if uri:
            password = env.get("NEO4J_PASSWORD")
            if not password:
                raise GraphUnavailable(Errors.E109)
            return cls(uri=uri, user=user, password=password, database=database)
        from graph.runtime.local import LocalNeo4j  # local import: only this path needs it

        local = LocalNeo4j.from_env(env)
        connection = local.connection()
        if connection is None:
            raise GraphUnavailable(Errors.E101)
        uri, password = connection
        return cls(uri=uri, user="neo4j", password=password, database=database)
