"""Both sides of a change loaded and scored, and the results compared period by period.

Results are compared only between two sides that validated: a side that did
not has no results, and comparing with nothing would call every result
deleted (or added). What is shown comes from ``Results`` directly, not from a
seal's figures.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import pipeline
from .errors import Problem
from .fsguard import FileProblem, read_regular
from .periods import Month, Period, Year
from .results import Results
from .rows import annual_rows, fields, monthly_rows
from .seal import figures
from .validate import Dataset
from .yamlio import UNIT_MAX_BYTES

TRACKED = ("records", "rubric")
MONTH_COLUMNS = {
    "total": "总分",
    "grade": "等次",
    "rank": "排名",
    "bonus": "加分",
    "deductions": "扣分",
    "vetoed": "一票否决",
}
YEAR_COLUMNS = {
    "monthly_mean": "月度平均分",
    "review_score": "年度评议",
    "total": "总分",
    "grade": "等次",
    "rank": "排名",
    "honors": "荣誉",
}
Rows = dict[str, dict[str, Any]]  # worker id → column → the value shown


@dataclass
class Side:
    """One revision, loaded and scored (or the problems that stopped it)."""

    label: str
    dataset: Dataset | None = None
    results: Results | None = None
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # path → content hash

    _rows: dict[Period, Rows] = field(default_factory=dict)

    @property
    def loaded(self) -> bool:
        """Validated, so it has results (seals and site checks may still have failed)."""
        return self.dataset is not None and self.results is not None

    @property
    def valid(self) -> bool:
        """Passes ``gridscore check``."""
        return self.loaded and not self.problems

    def rows(self, period: Period) -> Rows:
        """The period's results as the report shows them, computed from the results (not from a seal)."""
        if self.results is None or not self.results.has_period(period):
            return {}
        if period not in self._rows:
            self._rows[period] = result_rows(self.results, period)
        return self._rows[period]

    def figures(self, period: Period) -> dict[str, dict[str, Any]]:
        """The period's figures in the shape a seal keeps (for the seal section)."""
        if self.results is None or not self.results.has_period(period):
            return {}
        return figures(self.results, period)

    def periods(self) -> list[Period]:
        if self.dataset is None:
            return []
        found: list[Period] = list(self.dataset.months())
        found += [Year(year) for year in self.dataset.years()]
        return found


def load_side(root: Path, label: str) -> Side:
    side = Side(label, files=_hashes(root))
    checked = pipeline.check(root)
    side.dataset, side.results, side.problems = checked.dataset, checked.results, checked.problems
    return side


def _hashes(root: Path) -> dict[str, str]:
    """A digest of every file under the tracked folders; a link or special file is named, never followed."""
    found: dict[str, str] = {}
    for top in TRACKED:
        folder = root / top
        if folder.is_symlink() or not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):  # never descends into a linked folder
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                path = Path(dirpath) / name
                try:
                    digest = hashlib.sha256(read_regular(path, UNIT_MAX_BYTES)).hexdigest()
                except (FileProblem, OSError) as error:  # check reports it; the report only sees it changed
                    digest = "unreadable: " + str(error)
                found[path.relative_to(root).as_posix()] = digest
    return found


@contextmanager
def mixed_tree(records_from: Path, rubric_from: Path) -> Iterator[Path]:
    """One side's records scored with the other side's rubric (to see what a rubric change moves)."""
    folder = Path(tempfile.mkdtemp(prefix="gridscore-rubric-"))
    try:
        if (records_from / "records").is_dir():
            shutil.copytree(records_from / "records", folder / "records")
        if (rubric_from / "rubric").is_dir():
            shutil.copytree(rubric_from / "rubric", folder / "rubric")
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- results as the report shows them ------------------------------------------------------


def result_rows(results: Results, period: Period) -> Rows:
    if isinstance(period, Month):  # the report words the veto flag 是/否
        return {
            row.worker: {**fields(row, MONTH_COLUMNS), "vetoed": "是" if row.vetoed else "否"}
            for row in monthly_rows(results.month(period))
        }
    return {row.worker: fields(row, YEAR_COLUMNS) for row in annual_rows(results.year(period.year))}


@dataclass
class PeriodChange:
    """A period's results before and after, and the workers whose shown figures differ, in report order."""

    period: Period
    before: Rows
    after: Rows
    workers: list[str]

    @property
    def columns(self) -> dict[str, str]:
        return MONTH_COLUMNS if isinstance(self.period, Month) else YEAR_COLUMNS


def compare(old: Side, new: Side) -> list[PeriodChange]:
    """Every period whose results differ between two loaded sides (a worker added or removed counts)."""
    found = []
    for period in sorted({*old.periods(), *new.periods()}, key=period_key):
        before, after = old.rows(period), new.rows(period)
        workers = [w for w in sorted(set(before) | set(after)) if before.get(w) != after.get(w)]
        if workers:
            workers.sort(key=lambda w: (after.get(w, before.get(w, {})).get("rank", 0), w))
            found.append(PeriodChange(period, before, after, workers))
    return found


def period_key(period: Period) -> tuple[int, int]:
    return (period.year, period.month if isinstance(period, Month) else 13)
