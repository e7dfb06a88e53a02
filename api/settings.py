"""API settings from the environment: the same variables locally and in docker-compose."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ApiSettings:
    port: int = 8000
    max_request_bytes: int = 1_000_000
    lookup_max_limit: int = 100
    # Load the matchers and build the NLP pipelines when a worker starts, not on its first free-text
    # request (seconds). `healthsearch serve` sets it; tests, which create many apps, do not.
    warm_up: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ApiSettings:
        env = os.environ if environ is None else environ
        return cls(
            port=int(env.get("HEALTHSEARCH_PORT", "8000")),
            max_request_bytes=int(env.get("HEALTHSEARCH_MAX_REQUEST_BYTES", "1000000")),
            warm_up=env.get("HEALTHSEARCH_WARM_UP", "").lower() in ("1", "true", "yes"),
        )
