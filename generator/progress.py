"""A one-line progress counter on the terminal, for runs long enough to wonder about.

Shown only when stderr is a terminal and the run has taken a moment: piped
output, CI logs and tests see nothing but the real messages.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

SHOW_AFTER = 1.0  # seconds: short runs stay quiet
REFRESH = 0.2


class Progress:
    """``label  done/total`` rewritten in place on stderr; erased when finished."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None, force: bool = False) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = force or _is_terminal(self.stream)
        self.started = time.monotonic()
        self.delay = 0.0 if force else SHOW_AFTER
        self.shown_at = 0.0
        self.width = 0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if not self.enabled or self.done % 64 and self.done != self.total:
            return
        now = time.monotonic()
        last = self.done == self.total
        if now - self.started < self.delay or (now - self.shown_at < REFRESH and not last):
            return
        self.shown_at = now
        percent = self.done * 100 // self.total if self.total else 100
        line = f"{self.label} {self.done:,}/{self.total:,}（{percent}%）"
        self.stream.write("\r" + line.ljust(self.width))
        self.stream.flush()
        self.width = len(line)

    def finish(self) -> None:
        """Erase the counter so the next message starts on a clean line."""
        if self.enabled and self.width:
            self.stream.write("\r" + " " * self.width * 2 + "\r")
            self.stream.flush()
            self.width = 0


def note(message: str, stream: TextIO | None = None) -> None:
    """A one-off status line for a long step (on a terminal only)."""
    target = stream if stream is not None else sys.stderr
    if _is_terminal(target):
        target.write(message + "\n")
        target.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
