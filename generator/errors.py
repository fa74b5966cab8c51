"""The exception hierarchy and the one shape every reported problem takes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, reported as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}: {self.message}"
        return f"{self.path}: {self.message}"


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
