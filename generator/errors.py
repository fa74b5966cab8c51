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
    """The repository holds bad data; carries every problem found, sorted (a file's many blanks as one)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = collapse_blanks(sorted(set(problems), key=_problem_order))
        super().__init__("\n".join(str(p) for p in self.problems))


# A field left empty, as the messages say it (a blank from ``gridscore new`` is one of these).
_BLANK = re.compile(r"^(?:“([^”]+)”(?:未填写|不能为空|.*实际为 空值)|[^（]*（([A-Za-z0-9_.-]+)）的等级未填写)")
BLANKS_FROM = 3  # this many empty fields in one file are said in one line (a fresh file from ``new``)


def collapse_blanks(problems: list[Problem]) -> list[Problem]:
    """A file with many empty fields gets one line, "21 项未填写（…）", not one per field (§7)."""
    blanks: dict[str, list[tuple[Problem, str]]] = {}
    for problem in problems:
        match = _BLANK.match(problem.message)
        if match:
            blanks.setdefault(problem.path, []).append((problem, match.group(1) or match.group(2)))
    many = {path: found for path, found in blanks.items() if len(found) >= BLANKS_FROM}
    if not many:
        return problems
    collapsed = [p for p in problems if p.path not in many or not _BLANK.match(p.message)]
    for path, found in many.items():
        names = "、".join(name for _, name in found[:3]) + (" 等" if len(found) > 3 else "")
        first = min(problem.line for problem, _ in found)
        collapsed.append(Problem(path, first, f"{len(found)} 项未填写（{names}），请逐项填写后再运行 gridscore check"))
    return sorted(collapsed, key=_problem_order)


def _problem_order(problem: Problem) -> tuple[str, int, str]:
    return (problem.path, problem.line, problem.message)


def display_path(path: Path, root: Path) -> str:
    """Name a file relative to the repository root, with forward slashes."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
