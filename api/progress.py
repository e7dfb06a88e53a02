"""Progress bars for long CLI work (tqdm on stderr), fed by the graph writer's progress callback."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from tqdm import tqdm


class TqdmProgress:
    """One bar per step (concepts, terms, is_a...), created when the step starts."""

    def __init__(self, title: str) -> None:
        self.title = title
        self._bar: tqdm[Any] | None = None
        self._step: str | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self._step:
            self._close()
            self._step = step
            self._bar = tqdm(
                total=total, desc=f"{self.title} {step}", unit="rows", leave=False, mininterval=0.5
            )
        if self._bar is not None:
            self._bar.n = done
            self._bar.refresh()

    def _close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> TqdmProgress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._close()
