"""The repository side of export and import: the organization and rubric for a period, the files already there."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GridscoreError, InvalidInput, Problem, display_path
from ..fsguard import unsafe_folder
from ..load import Repository
from ..models import Organization, Worker
from ..periods import Month
from ..rubric import Rubric
from ..xlsx_guard import FileRefused, read_regular
from ..yamlio import MAX_BYTES, YamlProblem, parse_document
from .text import FILE_NOT_A_MAPPING, FIX_FILE_FIRST, NO_RUBRIC


@dataclass
class _Existing:
    """A record file already in the repository for a worker and month."""

    path: Path
    shown: str
    text: str
    data: dict[str, Any]


def _setup(repo: Repository, month: Month) -> tuple[Organization, Rubric]:
    """Only the organization and the rubric must be valid to export or import a month."""
    org = _organization(repo)
    rubric = repo.rubric_for(month)
    if rubric is None:
        raise GridscoreError(NO_RUBRIC.format(month=month))
    return org, rubric


def _organization(repo: Repository) -> Organization:
    """The organization, once it and the rubrics are valid (records may still be being filled in)."""
    problems = [p for p in repo.problems if not p.path.startswith("records/") or p.path == "records/organization.yaml"]
    if repo.organization is None or problems:
        raise InvalidInput(problems)
    return repo.organization


def _month_folder(root: Path, month: Month) -> Path:
    return root / "records" / f"{month.year:04d}" / f"{month.month:02d}"


def _record_path(folder: Path, worker: Worker) -> Path:
    """Where a worker's file in ``folder`` (a month's, or a year's annual/) is: the file already there (even under
    another community), else its own community's folder."""
    home = folder / worker.community / f"{worker.id}.yaml"
    if os.path.lexists(home):
        return home
    others = sorted(folder.glob(f"*/{worker.id}.yaml")) if folder.is_dir() else []
    return others[0] if others else home


def _read_existing(root: Path, folder: Path, workers: list[Worker]) -> dict[str, _Existing]:
    """The workers' files in ``folder`` as plain data; a file that cannot be read stops export and import."""
    found: dict[str, _Existing] = {}
    problems: list[Problem] = []
    for worker in workers:
        path = _record_path(folder, worker)
        if not os.path.lexists(path):
            continue
        shown = display_path(path, root)
        try:
            unsafe = unsafe_folder(root, path)
            if unsafe:
                raise FileRefused(unsafe)
            doc = parse_document(read_regular(path, MAX_BYTES), shown)
        except FileRefused as refused:
            problems.append(Problem(shown, 1, FIX_FILE_FIRST.format(message=refused.reason)))
            continue
        except YamlProblem as problem:
            problems.append(Problem(shown, problem.line, FIX_FILE_FIRST.format(message=problem.message)))
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(shown, 1, FIX_FILE_FIRST.format(message=FILE_NOT_A_MAPPING)))
            continue
        found[worker.id] = _Existing(path, shown, doc.full_text(), doc.data)
    if problems:
        raise InvalidInput(problems)
    return found
