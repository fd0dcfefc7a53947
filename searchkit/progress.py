"""A one-line progress bar for long runs on a terminal; silent when disabled."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Redraws `label [#####     ] done/total  rate/s  ETA` at most ten times a second."""

    def __init__(
        self,
        total: int,
        label: str = "indexing",
        enabled: bool = True,
        stream: TextIO | None = None,
    ) -> None:
        self.total = max(total, 0)
        self.label = label
        self.enabled = enabled and self.total > 0
        self.stream = stream or sys.stderr
        self.done = 0
        self._start = time.monotonic()
        self._drawn = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._drawn >= 0.1 or self.done >= self.total:
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self._start, 1e-9)
        rate = self.done / elapsed
        frac = min(self.done / self.total, 1.0)
        width = 30
        bar = "#" * int(frac * width)
        eta = (self.total - self.done) / rate if rate > 0 else 0.0
        self.stream.write(
            f"\r{self.label} [{bar:<{width}}] {self.done}/{self.total} "
            f"{rate:,.0f}/s ETA {eta:4.0f}s "
        )
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar so the summary starts on a clean line."""
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
