"""One Neo4j driver per process, with driver errors turned into graph errors at this edge."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from graph.errors import Errors, GraphUnavailable, GraphWriteError
from graph.settings import Neo4jSettings

logger = logging.getLogger(__name__)

T = TypeVar("T")
# Work functions receive a managed transaction; they must be idempotent (the driver may retry them).
Work = Callable[[neo4j.ManagedTransaction], T]


class Graph:
    """The process's connection to Neo4j: a driver plus the database every session uses."""

    def __init__(self, settings: Neo4jSettings) -> None:
        self.settings = settings
        self._driver = neo4j.GraphDatabase.driver(
            settings.uri,
            auth=(settings.user, settings.password),
            max_connection_pool_size=50,
            connection_acquisition_timeout=30.0,
            # Server notifications (unknown property keys on an empty graph...) are not user errors.
            notifications_min_severity=neo4j.NotificationMinimumSeverity.OFF,
        )

    @classmethod
    def connect(cls, settings: Neo4jSettings) -> Graph:
        """Open a driver and check Neo4j answers; raises GraphUnavailable otherwise."""
        graph = cls(settings)
        try:
            graph.verify()
        except GraphUnavailable:
            graph.close()
            raise
        return graph

    def verify(self) -> None:
        """Raise GraphUnavailable unless Neo4j answers with these credentials."""
        try:
            self._driver.verify_connectivity()
        except neo4j_errors.AuthError as error:
            raise GraphUnavailable(
                Errors.E103.format(uri=self.settings.uri, user=self.settings.user, detail=error.message)
            ) from error
        except (neo4j_errors.DriverError, neo4j_errors.Neo4jError, OSError) as error:
            raise GraphUnavailable(Errors.E102.format(uri=self.settings.uri, detail=error)) from error

    def close(self) -> None:
        self._driver.close()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except neo4j_errors.ServiceUnavailable as error:
            raise GraphUnavailable(Errors.E102.format(uri=self.settings.uri, detail=error)) from error
        except neo4j_errors.SessionExpired as error:
            raise GraphUnavailable(Errors.E102.format(uri=self.settings.uri, detail=error)) from error

    def read(self, work: Work[T], **kwargs: Any) -> T:
        """Run ``work`` in a managed read transaction (READ access is enforced by the server)."""
        with (
            self._translated(),
            self._driver.session(
                database=self.settings.database, default_access_mode=neo4j.READ_ACCESS
            ) as session,
        ):
            return session.execute_read(work, **kwargs)

    def write(self, work: Work[T], **kwargs: Any) -> T:
        """Run ``work`` in a managed write transaction."""
        with (
            self._translated(),
            self._driver.session(database=self.settings.database) as session,
        ):
            try:
                return session.execute_write(work, **kwargs)
            except neo4j_errors.Neo4jError as error:
                if isinstance(error, neo4j_errors.ClientError):
                    raise GraphWriteError(Errors.E112.format(detail=error.message)) from error
                raise

    def run_schema(self, statement: str) -> None:
        """Run one schema statement in an auto-commit transaction (schema changes need one)."""
        with self._translated(), self._driver.session(database=self.settings.database) as session:
            session.run(statement).consume()


def fetch(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Run ``query`` (a constant of this package) with ``params``; rows as plain dicts, so that no
    neo4j Record leaves the graph package."""
    return [record.data() for record in tx.run(query, params)]


def fetch_single(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> Any:
    """The one value of ``query``'s one row (a list built with ``collect``), as the driver decoded it.

    For queries returning only numbers, strings, lists and maps: ``Record.data()`` would walk every
    nested value to convert nodes and relationships, which such queries do not return, and that walk
    costs more than the query itself on hundreds of values.
    """
    return tx.run(query, params).single(strict=True)[0]
