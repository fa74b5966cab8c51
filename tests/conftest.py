"""Fixtures: a small repository written from text, and the real command line."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from generator.cli import main

PROJECT = Path(__file__).resolve().parent.parent

# gridscore keeps the key that signs its cache in the user's cache folder: not the developer's, in tests.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="gridscore-test-home-cache-")
# "Today" is fixed, so no test changes with the calendar: 2027-12-31 (China), after every date the tests
# write. A test that needs another day sets SOURCE_DATE_EPOCH, GRIDSCORE_TODAY or --today itself.
os.environ.pop("GRIDSCORE_TODAY", None)
os.environ["SOURCE_DATE_EPOCH"] = "1830182400"

ORGANIZATION = """\
unit:
  name: 测试区测试街道
  short: 测试街道
  leading_group: 测试街道反诈工作领导小组
communities:
  - id: c1
    name: 第一社区
    grids:
      - {id: g01, name: 第一网格}
      - {id: g02, name: 第二网格}
  - id: c2
    name: 第二社区
    grids:
      - {id: g01, name: 第一网格}
workers:
  - {id: w1, name: 张三, community: c1, grid: g01, role: full_time, joined: 2025-01, left: null, publish_name: true}
  - {id: w2, name: 欧阳娜娜, community: c1, grid: g02, role: part_time, joined: 2025-01, left: null, publish_name: false}
  - {id: w3, name: 王五, community: c2, grid: g01, role: full_time, joined: 2025-01, left: 2026-02, publish_name: true}
assessors:
  - {id: a1, name: 李四, org: 综治办, communities: all}
  - {id: a2, name: 赵六, org: 社区两委, communities: [c2]}
"""

PERFECT_METRICS = """\
metrics:
  publicity: {tasks_assigned: 4, tasks_completed: 4, key_people: 30, key_people_reached: 30}
  screening: {inspections_required: 4, inspections_done: 4, valid_leads: 4}
  info_collection: {entries: 100, complete: 100, accurate: 100, timely: 100}
  warning_response: {received: 5, responded_in_time: 5, visited: 5, dissuaded: 5}
  case_assistance: excellent
  asset_recovery: excellent
  method_innovation: excellent
  coordination: excellent
"""


def record_text(worker: str, period: str, metrics: str = PERFECT_METRICS, extra: str = "", assessor: str = "a1") -> str:
    year, month = period.split("-")
    next_month = f"{int(year) + (month == '12'):04d}-{int(month) % 12 + 1:02d}"
    return (
        f"worker: {worker}\nperiod: {period}\nassessed_by: {assessor}\nassessed_on: {next_month}-02\n{metrics}{extra}"
    )


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line]


class Repo:
    """A throwaway repository: the real rubrics plus files written from text."""

    def __init__(self, root: Path) -> None:
        self.root = root
        shutil.copytree(PROJECT / "rubric", root / "rubric")
        self.write("records/organization.yaml", ORGANIZATION)

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def record(self, worker: str, period: str, community: str = "c1", **kwargs: str) -> str:
        year, month = period.split("-")
        relative = f"records/{year}/{month}/{community}/{worker}.yaml"
        self.write(relative, record_text(worker, period, **kwargs))
        return relative

    def run(self, *args: str) -> Run:
        return run_cli(*args, "--root", str(self.root)) if args else run_cli()


def run_cli(*args: str) -> Run:
    """Call the real entry point in-process, capturing what a terminal would show."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


def run_subprocess(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return Repo(tmp_path / "repo")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A copy of the sample repository (records and rubrics)."""
    root = tmp_path / "repo"
    shutil.copytree(PROJECT / "records", root / "records")
    shutil.copytree(PROJECT / "rubric", root / "rubric")
    return root


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves built sites, each under its own sub-path, quietly; a missing file gets that site's 404.html, as Pages hosts do."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        top = urlsplit(self.path).path.strip("/").split("/")[0]
        page = Path(self.directory) / top / "404.html"
        if code != 404 or not top or not page.is_file():
            super().send_error(code, message, explain)
            return
        content = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)
