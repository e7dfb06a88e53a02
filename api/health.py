"""Liveness (/healthz: the process answers) and readiness (/readyz: Neo4j answers and this worker has
warmed its NLP up)."""

from __future__ import annotations

from typing import Any

from apiflask import APIBlueprint
from flask import current_app

from api.errors import WarmingUp
from api.schemas import HealthOut

health = APIBlueprint("health", __name__, tag="Health")


@health.get("/healthz")
@health.output(HealthOut)
def healthz() -> dict[str, Any]:
    return {"status": "ok"}


@health.get("/readyz")
@health.output(HealthOut)
@health.doc(responses=[503])
def readyz() -> dict[str, Any]:
    services = current_app.extensions["healthsearch"]
    services.graph.verify()  # GraphUnavailable -> 503 (api.errors)
    if not services.warm.is_set():
        raise WarmingUp
    return {"status": "ready"}
