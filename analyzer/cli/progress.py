"""The progress indicator: one line on stderr, redrawn in place, for runs that take a while.

It shows only when stderr is a terminal (never in a CI log, a pipe or a file) and only once the run
has taken `delay` seconds, so a quick run prints nothing; it erases itself at the end. The clock is
injected, so tests drive it without sleeping.
"""

from __future__ import annotations

import time
from typing import Callable, TextIO

#: Runs shorter than this show no indicator and no closing line.
LONG_RUN_SECONDS = 2.0


class Progress:
    def __init__(
        self,
        stream: TextIO,
        *,
        clock: Callable[[], float] = time.monotonic,
        delay: float = LONG_RUN_SECONDS,
        interval: float = 0.1,
    ) -> None:
        self._stream = stream
        self._clock = clock
        self._start = clock()
        self._delay = delay
        self._interval = interval
        self._last = float("-inf")
        self._shown = False
        try:
            self._tty = stream.isatty()
        except (AttributeError, ValueError, OSError):
            self._tty = False

    def elapsed(self) -> float:
        return self._clock() - self._start

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self._tty:
            return
        now = self._clock()
        if now - self._start < self._delay or (now - self._last < self._interval and done < total):
            return
        self._last = now
        self._shown = True
        self._stream.write(f"\r\033[Klean-lint: {stage} {done}/{total} Python files")
        self._stream.flush()

    def finish(self) -> None:
        """Erase the line, so what follows starts at the left margin."""
        if self._shown:
            self._stream.write("\r\033[K")
            self._stream.flush()
            self._shown = False
