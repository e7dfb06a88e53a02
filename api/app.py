"""The composition root: ``create_app(config=None)`` builds settings, the graph and services."""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apiflask import APIFlask

from api.annotate import annotate_bp
from api.annotation import AnnotatorProvider
from api.concepts import concepts
from api.documents import MAX_ID_CHARS, documents_bp
from api.errors import register_error_handlers
from api.expansion import expansion_bp
from api.health import health
from api.schemas import CURIE_PATTERN
from api.search import search_bp
from api.search_schemas import BODY_CONSTRAINTS
from api.settings import ApiSettings
from graph.concept_repository import ConceptRepository
from graph.document_repository import DocumentRepository
from graph.driver import Graph
from graph.expansion import ExpansionRepository
from graph.settings import Neo4jSettings, state_dir_from_env
from search.engine import Expander, graph_expander
from search.expansion_cache import ExpansionCache

logger = logging.getLogger(__name__)


def _set_event() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


@dataclass(frozen=True)
class Services:
    """What request handlers use, built once per process."""

    graph: Graph
    concepts: ConceptRepository
    annotator: AnnotatorProvider
    documents: DocumentRepository
    expansion: ExpansionRepository
    expansions: ExpansionCache  # of this process, shared by its requests
    # Cleared while this process warms its NLP up: /readyz answers 503 meanwhile, so that a load
    # balancer (or a benchmark) sends no traffic to a worker whose CPU the warm-up still takes.
    warm: threading.Event = field(default_factory=_set_event)

    def expander(self) -> Expander:
        """The cached expander of the terminologies as loaded now (one small query to tell)."""
        return self.expansions.expander(self.expansion.version())


def create_app(config: Mapping[str, Any] | None = None) -> APIFlask:
    """Build the Flask app.

    Args:
        config: overrides; ``GRAPH`` may hold an existing ``Graph`` (tests share one driver),
            ``NEO4J`` a ``Neo4jSettings``; anything else goes to ``app.config``.
    """
    overrides = dict(config or {})
    settings = ApiSettings.from_env()
    app = APIFlask(
        __name__, title="healthsearch", version="0.1.0", docs_path="/docs", spec_path="/openapi.json"
    )
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_request_bytes,
        VALIDATION_ERROR_STATUS_CODE=400,
        VALIDATION_ERROR_DESCRIPTION="Invalid request parameters",
        JSON_SORT_KEYS=False,
        SYNC_LOCAL_SPEC=False,
        DOCS_FAVICON=None,
    )
    graph = overrides.pop("GRAPH", None)
    neo4j_settings = overrides.pop("NEO4J", None)
    app.config.update(overrides)
    if graph is None:
        graph = Graph(neo4j_settings or Neo4jSettings.from_env())
        atexit.register(graph.close)
    cache_dir = Path(os.environ.get("HEALTHSEARCH_CACHE_DIR", state_dir_from_env() / "cache"))
    expansion = ExpansionRepository(graph)
    app.extensions["healthsearch"] = Services(
        graph=graph,
        concepts=ConceptRepository(graph),
        annotator=AnnotatorProvider(graph, cache_dir=cache_dir / "matchers"),
        documents=DocumentRepository(graph),
        expansion=expansion,
        expansions=ExpansionCache(graph_expander(expansion)),
    )
    register_error_handlers(app)
    if settings.warm_up:
        warm_up_in_background(app.extensions["healthsearch"])

    @app.spec_processor
    def bodies_are_required(spec: dict[Any, Any] | str) -> dict[Any, Any] | str:
        # Every JSON body this API takes is required (apiflask leaves `required` out): say so, so
        # that clients and the schemathesis run do not send empty requests expecting a 2xx.
        # Path parameters get the shape the handlers check (apiflask documents them as any string).
        if isinstance(spec, str):  # apiflask passes YAML text when asked for YAML: nothing to do
            return spec
        path_shapes = {
            "curie": {"type": "string", "pattern": CURIE_PATTERN, "maxLength": 100},
            "document_id": {"type": "string", "minLength": 1, "maxLength": MAX_ID_CHARS},
        }
        for path in spec.get("paths", {}).values():
            for operation in path.values():
                if not isinstance(operation, dict):
                    continue
                if "requestBody" in operation:
                    operation["requestBody"]["required"] = True
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "path" and parameter.get("name") in path_shapes:
                        parameter["schema"] = dict(path_shapes[parameter["name"]])
        schemas = spec.get("components", {}).get("schemas", {})
        for name, alternatives in BODY_CONSTRAINTS.items():
            if name in schemas:
                schemas[name]["anyOf"] = alternatives
        return spec

    app.register_blueprint(health)
    app.register_blueprint(concepts)
    app.register_blueprint(annotate_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(expansion_bp)
    app.register_blueprint(search_bp)
    if not app.debug:
        logging.getLogger("api").setLevel(logging.INFO)
    return app


def warm_up_in_background(services: Services) -> threading.Thread:
    """Load the terminology matchers and build the qualifier pipelines of this process beside its
    first requests: otherwise the first free-text query each gunicorn worker serves waits seconds for
    them. A failure (no terminology loaded yet, Neo4j down) is logged; the first request retries.
    ``services.warm`` is clear until the warm-up ends, either way (a failed one must not keep the
    worker unready forever)."""
    services.warm.clear()

    def work() -> None:
        try:
            services.annotator.get().warm_up()
        except Exception:  # any: this thread must not die silently nor take the worker down
            logger.warning("NLP warm-up failed; the first request that needs it will retry", exc_info=True)
        else:
            logger.info("NLP warm-up done: matchers loaded, qualifier pipelines built")
        finally:
            services.warm.set()

    thread = threading.Thread(target=work, name="healthsearch-warm-up", daemon=True)
    thread.start()
    return thread
