"""The exception hierarchy and the one shape every reported problem takes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Characters that would break a ``path:line: message`` line apart or hide in a terminal.
# Bidi controls and invisible format characters too: they can make a quoted value read as something else.
_UNPRINTABLE = re.compile(
    r"\r\n|[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff]"
)
_LINE_BREAKS = {"\r\n", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"}


def one_line(text: str) -> str:
    """``text`` on one printable line: a line break shows as ⏎, another control character as \\xNN."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(_shown, text)


def _shown(match: re.Match[str]) -> str:
    char = match.group()
    if char in _LINE_BREAKS:
        return "⏎"
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        # A value quoted in a message, or a file's name, may hold a line break: one problem stays one line.
        path, message = one_line(self.path), one_line(self.message)
        if self.line:
            return f"{path}:{self.line}: {message}"
        return f"{path}: {message}"


class GridscoreError(Exception):
    """Base of every error the command line turns into a message."""


class UsageError(GridscoreError):
    """The command was called wrongly (bad period, unknown worker, missing folder)."""


class InvalidInput(GridscoreError):
    """The repository holds bad data; carries every problem found, sorted."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line, problem.message)


def display_path(path: Path, root: Path) -> str:
    """Name a file relative to the repository root, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
