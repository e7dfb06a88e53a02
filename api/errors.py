"""The one place that maps errors to HTTP, with one JSON body: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from typing import Any

from apiflask import APIFlask, HTTPError
from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

from graph.errors import ConceptNotFound, DocumentNotFound, GraphError, GraphUnavailable
from nlp.embedding import EmbedderUnavailable
from nlp.matcher.errors import MatcherBuildError
from nlp.pipeline import UnsupportedLanguage

logger = logging.getLogger(__name__)

# HTTP status -> stable machine-readable code.
CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    500: "internal_error",
    503: "unavailable",
}


class WarmingUp(Exception):
    """This worker is still loading its terminology matchers and qualifier pipelines."""


RETRY_AFTER_SECONDS = 2


def error_body(status: int, message: str, details: Any = None, code: str | None = None) -> dict[str, Any]:
    return {
        "error": {"code": code or CODES.get(status, "error"), "message": message, "details": details or {}}
    }


def _json(status: int, message: str, details: Any = None, code: str | None = None) -> tuple[Response, int]:
    return jsonify(error_body(status, message, details, code)), status


def register_error_handlers(app: APIFlask) -> None:
    @app.error_processor
    def http_error(error: HTTPError) -> tuple[dict[str, Any], int, Any]:
        # apiflask calls this for its own errors and for abort()/werkzeug HTTP errors.
        status = error.status_code
        detail = error.detail
        message = error.message or CODES.get(status, "error")
        if status == 400 and isinstance(detail, dict) and detail:
            message = "Invalid request parameters: " + "; ".join(_flatten(detail))
            code: str | None = "invalid_request"
        else:
            code = CODES.get(status)
        return error_body(status, message, detail, code), status, error.headers

    @app.errorhandler(ConceptNotFound)
    def concept_not_found(error: ConceptNotFound) -> tuple[Response, int]:
        return _json(404, str(error), code="concept_not_found")

    @app.errorhandler(DocumentNotFound)
    def document_not_found(error: DocumentNotFound) -> tuple[Response, int]:
        return _json(404, str(error), code="document_not_found")

    @app.errorhandler(UnsupportedLanguage)
    def unsupported_language(error: UnsupportedLanguage) -> tuple[Response, int]:
        return _json(400, str(error), code="unsupported_language")

    @app.errorhandler(GraphUnavailable)
    def graph_unavailable(error: GraphUnavailable) -> tuple[Response, int]:
        logger.warning("Neo4j unavailable: %s", error)
        return _json(503, "The graph database is unavailable; retry later.", code="graph_unavailable")

    @app.errorhandler(WarmingUp)
    def warming_up(error: WarmingUp) -> tuple[Response, int, dict[str, str]]:
        response, status = _json(
            503, "This worker is still loading its NLP pipelines; retry in a few seconds.", code="warming_up"
        )
        return response, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(GraphError)
    def graph_error(error: GraphError) -> tuple[Response, int]:
        logger.error("Graph error: %s", error)
        return _json(500, "The graph database failed to answer this request.", code="graph_error")

    @app.errorhandler(MatcherBuildError)
    def matcher_build_error(error: MatcherBuildError) -> tuple[Response, int]:
        # The server's own disk, not the request: say what an operator must fix (no document text here).
        logger.error("Terminology matcher build failed: %s", error)
        return _json(503, str(error), code="matcher_build_failed")

    @app.errorhandler(EmbedderUnavailable)
    def embedder_unavailable(error: EmbedderUnavailable) -> tuple[Response, int]:
        logger.error("Text vectors unavailable: %s", error)
        return _json(503, str(error), code="embedder_unavailable")

    @app.errorhandler(HTTPException)
    def http_exception(error: HTTPException) -> tuple[Response, int]:
        status = error.code or 500
        return _json(status, error.description or "HTTP error")

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> tuple[Response, int]:
        # Never a stack trace to a user: log it (no request body: it may hold patient text).
        logger.exception("Unhandled error")
        return _json(500, "Internal server error.")


def _flatten(detail: Any, prefix: str = "") -> list[str]:
    if isinstance(detail, dict):
        out: list[str] = []
        for key, value in detail.items():
            if key in {"query", "json", "path", "form", "headers"} and not prefix:
                out.extend(_flatten(value, ""))
            else:
                out.extend(_flatten(value, f"{prefix}{key}."))
        return out
    if isinstance(detail, list):
        return [f"{prefix.rstrip('.')}: {item}" for item in detail if not isinstance(item, (dict, list))] + [
            line for item in detail if isinstance(item, (dict, list)) for line in _flatten(item, prefix)
        ]
    return [f"{prefix.rstrip('.')}: {detail}"]
