"""What a change does to every score: the Markdown report a reviewer reads on a PR.

The base revision (and the head one, when given) is read with ``git archive``
into a temporary folder, so the user's working tree and index are never
touched. Both sides are loaded and scored like ``check`` does, then compared
period by period.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import pipeline, seal_history
from .errors import GridscoreError, Problem, one_line
from .fsguard import FileProblem, read_regular
from .periods import Month, Period, Year
from .results import Results
from .seal import differences, figures, pending_corrections
from .validate import Dataset
from .yamlio import UNIT_MAX_BYTES

MARKER = "<!-- gridscore-diff -->"
TRACKED = ("records", "rubric")
SHOWN_PROBLEMS = 50
REPORT_FIELDS = ("total", "grade", "rank", "honors")


@dataclass
class Side:
    """One revision, loaded and scored (or the problems that stopped it)."""

    label: str
    dataset: Dataset | None = None
    results: Results | None = None
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # path → content hash

    @property
    def valid(self) -> bool:
        return self.dataset is not None and not self.problems

    def figures(self, period: Period) -> dict[str, dict[str, Any]]:
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


# --- reading a revision ---------------------------------------------------------------


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)
    except FileNotFoundError:
        raise GridscoreError("找不到 git 命令：gridscore diff 需要安装 git") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GridscoreError(f"git {' '.join(args[:2])} 失败：{message[-1] if message else done.returncode}")
    return done.stdout


@contextmanager
def revision_tree(root: Path, revision: str) -> Iterator[Path]:
    """The repository's records/ and rubric/ at ``revision``, in a temporary folder."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = root.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    try:
        commit = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    except GridscoreError:
        raise GridscoreError(f"找不到版本“{revision}”：请写分支名、标签或提交号，如 origin/main 或 HEAD~1") from None
    wanted = [
        f"{prefix}{name}"
        for name in TRACKED
        if _git(top, "ls-tree", "--name-only", commit, "--", f"{prefix}{name}").strip()
    ]
    folder = Path(tempfile.mkdtemp(prefix="gridscore-diff-"))
    try:
        if wanted:
            archive = _git(top, "archive", "--format=tar", commit, "--", *wanted)
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(folder, filter="data")
        yield folder / prefix if prefix else folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


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


# --- the report ---------------------------------------------------------------------------


def diff_report(root: Path, base: str, head: str | None) -> tuple[str, bool]:
    """Markdown for the PR, and whether the head side is valid."""
    head_label = head or "工作区"
    with revision_tree(root, base) as base_root:
        if head is None:
            return _report(root, base_root, root, base, head_label)
        with revision_tree(root, head) as head_root:
            return _report(root, base_root, head_root, base, head_label)


def _report(root: Path, base_root: Path, head_root: Path, base: str, head: str) -> tuple[str, bool]:
    old = load_side(base_root, base)
    new = load_side(head_root, head)
    rewritten = seal_history.tree_problems(base_root, head_root)
    valid = new.valid and not rewritten
    lines = [MARKER, f"## 考评结果变化：`{base}` → `{head}`", ""]
    lines += seal_history.report_section(rewritten)
    changed_files = sorted(
        path for path in set(old.files) | set(new.files) if old.files.get(path) != new.files.get(path)
    )
    lines += _validation(new)
    periods = sorted({*old.periods(), *new.periods()}, key=_period_key)
    moved = _result_changes(old, new, periods, lines)
    lines += _rubric_section(old, new, changed_files, base_root, head_root)
    lines += _seal_section(new, changed_files, moved, old.files)
    lines += _files_section(changed_files)
    summary = (
        f"**{'✅ 校验通过' if valid else '❌ 校验未通过'}** · 改动 {len(changed_files)} 个文件 · "
        f"{sum(len(workers) for workers in moved.values())} 项结果变化（涉及 {len({w for ws in moved.values() for w in ws})} 名网格员）"
    )
    lines.insert(2, summary)
    lines.insert(3, "")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).rstrip() + "\n", valid


def _period_key(period: Period) -> tuple[int, int]:
    return (period.year, period.month if isinstance(period, Month) else 13)


def _validation(new: Side) -> list[str]:
    if new.valid:
        return []
    shown = [str(problem) for problem in new.problems[:SHOWN_PROBLEMS]]
    fence = _fence(shown)
    lines = ["### ❌ 校验问题", "", "合并前请逐条修改（与 `gridscore check` 的输出相同）：", "", f"{fence}text"]
    lines += shown
    if len(new.problems) > SHOWN_PROBLEMS:
        lines.append(f"……另有 {len(new.problems) - SHOWN_PROBLEMS} 个问题")
    lines += [fence, ""]
    return lines


def _result_changes(old: Side, new: Side, periods: list[Period], lines: list[str]) -> dict[str, set[str]]:
    moved: dict[str, set[str]] = {}
    sections: list[str] = []
    for period in periods:
        before, after = old.figures(period), new.figures(period)
        found = [d for d in differences(before, after, period) if d.field in (*REPORT_FIELDS, "record")]
        if not found:
            continue
        workers = sorted({d.worker for d in found}, key=lambda w: (after.get(w, before.get(w, {})).get("rank", 0), w))
        moved[str(period)] = set(workers)
        sections += [f"#### {period.label}（{len(workers)} 人）", ""]
        columns = ["total", "grade", "rank"] + (["honors"] if isinstance(period, Year) else [])
        header = {
            "total": "总分" if isinstance(period, Month) else "年度得分",
            "grade": "等次",
            "rank": "排名",
            "honors": "荣誉",
        }
        sections.append("| 网格员 | " + " | ".join(header[c] for c in columns) + " |")
        sections.append("| --- | " + " | ".join("---" for _ in columns) + " |")
        for worker in workers:
            state = "（新增）" if worker not in before else ("（删除）" if worker not in after else "")
            cells = " | ".join(_cell(before, after, worker, c) for c in columns)
            sections.append(f"| {_who(new, old, worker)}{state} | {cells} |")
        sections.append("")
    if sections:
        lines += ["### 得分、等次、排名、荣誉的变化", "", "只列出有变化的网格员；“旧 → 新”。", "", *sections]
    else:
        lines += ["### 得分、等次、排名、荣誉的变化", "", "没有任何网格员的结果发生变化。", ""]
    return moved


def _who(new: Side, old: Side, worker: str) -> str:
    for side in (new, old):
        if side.dataset is not None and worker in side.dataset.workers:
            return f"{_escape(worker)} {_escape(side.dataset.workers[worker].name)}"
    return _escape(worker)


def _cell(before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], worker: str, column: str) -> str:
    if worker not in before:
        return _value(after[worker].get(column))
    if worker not in after:
        return f"~~{_value(before[worker].get(column))}~~"
    old, new = before[worker].get(column), after[worker].get(column)
    return _value(new) if old == new else f"**{_value(old)} → {_value(new)}**"


def _value(value: Any) -> str:
    if isinstance(value, list):
        return _escape("、".join(value)) or "—"
    return "—" if value is None else _escape(str(value))


# The marks that start emphasis, code, links, images, tables, strikethrough or headings inline.
_GFM_PUNCTUATION = re.compile(r"([\\`*_{}\[\]#!|~])")


def _escape(text: str) -> str:
    """Data as inline GitHub / GitLab Markdown that shows as exactly that text, in a table cell too.

    HTML is escaped, every Markdown mark backslash-escaped, "@" written as an entity so a
    name can never mention (notify) anyone, and a line break can never end a table row.
    """
    text = _GFM_PUNCTUATION.sub(r"\\\1", one_line(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")


def _code(text: str) -> str:
    """A file name or stem as a code span that nothing in it can close."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}" if longest else f"`{text}`"


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in ``lines``, so nothing in them can close it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def _rubric_section(old: Side, new: Side, changed: list[str], base_root: Path, head_root: Path) -> list[str]:
    rubric_files = [path for path in changed if path.startswith("rubric/")]
    if not rubric_files:
        return []
    lines = ["### 考评标准的改动", ""]
    for path in rubric_files:
        state = "新增" if path not in old.files else ("删除" if path not in new.files else "修改")
        lines.append(f"- {_code(path)}：{state}")
    if new.dataset is not None and new.results is not None:
        with mixed_tree(head_root, base_root) as mixed:
            before = load_side(mixed, "原标准")
        if before.dataset is None:
            lines.append("- 现有记录无法按原标准计算（例如用到了新增的事件类型），因此无法单独统计标准改动的影响。")
        else:
            count = 0
            for period in new.periods():
                count += sum(
                    1 for d in differences(before.figures(period), new.figures(period), period) if d.field == "total"
                )
            lines.append(f"- 按改动后的标准重新计算，**{count}** 项月度或年度得分与按原标准计算的不同。")
    lines.append("")
    return lines


def _seal_section(new: Side, changed: list[str], moved: dict[str, set[str]], old_files: dict[str, str]) -> list[str]:
    if new.dataset is None:
        return []
    seals = new.dataset.seals
    touched = sorted(period for period in moved if period in seals)
    seal_files = [path for path in changed if path.startswith("records/seals/")]
    if not touched and not seal_files:
        return []
    lines = (
        ["### ⚠️ 涉及已封存的考评期", ""]
        if touched or any(path in old_files for path in seal_files)
        else ["### 封存", ""]
    )
    for period in touched:
        seal = seals[period].seal
        pending = [n.stem for n in pending_corrections(new.dataset, seal)]
        in_step = new.results is not None and not differences(seal.current(), new.figures(seal.period), seal.period)
        if in_step and seal.corrections:
            note = f"已在封存文件中记录更正：{_escape(seal.corrections[-1].notice)}"
        elif pending:
            note = f"有更正公告 {_escape('、'.join(pending))}，合并前请运行 gridscore seal {period} 记录原值与新值"
        else:
            note = "没有更正公告，合并前必须补上"
        lines.append(f"- {period}：{len(moved[period])} 名网格员的已公布结果将改变（{note}）")
    for path in seal_files:
        if path not in old_files:
            lines.append(f"- 新封存：{_code(path)}（封存后这一期的结果不能再悄悄改变）")
        elif path not in new.files:
            lines.append(f"- ❗ 封存文件 {_code(path)} 被删除：已公布的结果不能撤销封存")
        else:
            lines.append(f"- 封存文件 {_code(path)} 有改动，请核对只在末尾追加了更正记录、原有内容未改")
    lines.append("")
    return lines


def _files_section(changed: list[str]) -> list[str]:
    if not changed:
        return ["没有改动考评记录或考评标准。", ""]
    shown = changed[:100]
    lines = ["<details><summary>改动的文件</summary>", ""]
    lines += [f"- {_code(path)}" for path in shown]
    if len(changed) > len(shown):
        lines.append(f"- ……另有 {len(changed) - len(shown)} 个")
    lines += ["", "</details>", ""]
    return lines
