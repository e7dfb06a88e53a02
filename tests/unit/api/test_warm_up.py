"""Workers warm their NLP up at start when asked (`healthsearch serve` asks); no Neo4j needed."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from api.app import Services, warm_up_in_background
from api.settings import ApiSettings


@dataclass
class FakeAnnotator:
    calls: list[str] = field(default_factory=list)
    release: threading.Event | None = None  # when given, the warm-up waits for it

    def warm_up(self) -> None:
        if self.release is not None:
            self.release.wait(timeout=5)
        self.calls.append("warm_up")


@dataclass
class FakeProvider:
    annotator: FakeAnnotator | None = None

    def get(self) -> FakeAnnotator:
        if self.annotator is None:
            raise RuntimeError("no terminology loaded")
        return self.annotator


@dataclass
class FakeServices:
    annotator: FakeProvider
    warm: threading.Event = field(default_factory=threading.Event)


def test_warm_up_builds_the_pipelines_in_a_thread() -> None:
    annotator = FakeAnnotator()
    thread = warm_up_in_background(cast(Services, FakeServices(FakeProvider(annotator))))
    thread.join(timeout=5)
    assert annotator.calls == ["warm_up"] and thread.daemon


def test_the_process_is_unready_until_the_warm_up_ends() -> None:
    release = threading.Event()
    services = FakeServices(FakeProvider(FakeAnnotator(release=release)))
    services.warm.set()  # ready before: warming must make it unready at once, not when the thread runs
    thread = warm_up_in_background(cast(Services, services))
    assert not services.warm.is_set()
    release.set()
    thread.join(timeout=5)
    assert services.warm.is_set()


def test_a_failed_warm_up_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="api.app"):
        services = FakeServices(FakeProvider())
        thread = warm_up_in_background(cast(Services, services))
        thread.join(timeout=5)
    assert "NLP warm-up failed" in caplog.text
    assert services.warm.is_set()  # a failed warm-up leaves the worker ready: its first request retries


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("true", True), ("", False), ("0", False)])
def test_warm_up_setting(value: str, expected: bool) -> None:
    environ: dict[str, Any] = {"HEALTHSEARCH_WARM_UP": value}
    assert ApiSettings.from_env(environ).warm_up is expected
    assert ApiSettings.from_env({}).warm_up is False
