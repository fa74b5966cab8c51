"""Seals are append-only (§6): a seal file is never deleted and what it says is never edited.

The rules (notes/issue12-design.md, "Append-only") compare two snapshots of
``records/seals/`` file by file, on the parsed YAML: comments and formatting do
not count. ``compare`` applies them to one parent and one child; ``verify_history``
walks every commit reachable from a revision with git plumbing (never a checkout,
never following a link); ``tree_problems`` compares two checked-out trees (the
two sides of ``gridscore diff``).
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from .errors import GridscoreError, UsageError, one_line
from .fsguard import FileProblem, kind_name, read_regular, too_big
from .validate import without_cycle_collection
from .yamlio import UNIT_MAX_BYTES, YamlProblem, parse_document

SEALS = "records/seals"
HINT = "封存文件只能追加更正，不能删除或改写"
SHOWN_CHANGES = 5  # what changed in one file, said in one line: the first few, then "等 N 处"
SHOWN_VALUE = 60  # characters of a value quoted in a message
SHOWN_SUBJECT = 60  # characters of a commit subject

_DIGEST = re.compile(r"[0-9a-f]{64}")
_V1_PRESENT = "有"  # a v1 correction's record value: "the record was there" (a v2 one has its digest)


@dataclass(frozen=True)
class Unreadable:
    """A name under records/seals/ that is not a seal file that can be read (a link, a folder, too big)."""

    reason: str


Snapshot = Mapping[str, "bytes | Unreadable"]  # file name under records/seals/ → its bytes


@dataclass(frozen=True, order=True)
class Violation:
    """One seal file changed in a way that is not an append-only extension."""

    path: str
    where: str  # who changed it, as the sentence's subject: "提交 1a2b3c4（“…”）" or "本次改动"
    what: str  # what it did, as the sentence's predicate: "删除了封存文件"

    def __str__(self) -> str:
        # File names, values and commit subjects come from the repository: one printable line.
        return one_line(f"{self.path}：{self.where}{self.what}。{HINT}")


# --- the rules, between two snapshots ------------------------------------------------------------


def compare(parent: Snapshot, child: Snapshot, where: str) -> list[Violation]:
    """What the child does to the parent's seal files that only appending would not (empty: append-only)."""
    found: list[Violation] = []
    added = [name for name in child if name not in parent]
    for name in sorted(set(parent) | set(child)):
        before, after = parent.get(name), child.get(name)
        if before == after:
            continue
        path = f"{SEALS}/{name}"
        if after is None:
            renamed = [other for other in added if _same_content(before, child[other])]
            what = f"把封存文件改名为 {SEALS}/{renamed[0]}" if renamed else "删除了封存文件"
            found.append(Violation(path, where, what))
            continue
        what = _file_change(before, after)
        if what:
            found.append(Violation(path, where, what))
    return found


def _same_content(before: bytes | Unreadable | None, after: bytes | Unreadable) -> bool:
    if isinstance(before, Unreadable) or isinstance(after, Unreadable) or before is None:
        return False
    if before == after:
        return True
    old, new = _parsed(before), _parsed(after)
    return isinstance(old, dict) and isinstance(new, dict) and _same(old, new)


def _file_change(before: bytes | Unreadable | None, after: bytes | Unreadable) -> str:
    """What changed in one file (a Chinese predicate), or "" when the child only appended to it."""
    if isinstance(after, Unreadable):
        return f"{'新增了' if before is None else '把封存文件换成了'}{after.reason}"
    new = _parsed(after)
    if isinstance(new, str):
        return f"{'新增的封存文件无法读取' if before is None else '把封存文件改成了无法读取的内容'}（{new}）"
    if before is None:
        return ""  # a new seal
    if isinstance(before, Unreadable):
        return f"改动了上一版本中就无法读取的 {before.reason}，无法核对这次改动"
    old = _parsed(before)
    if isinstance(old, str):
        return f"改动了上一版本中就无法读取的封存文件（{old}），无法核对这次改动"
    changes = _changes(old, new)
    if not changes:
        return ""
    shown = "；".join(changes[:SHOWN_CHANGES])
    more = f"；等共 {len(changes)} 处" if len(changes) > SHOWN_CHANGES else ""
    return f"改写了封存内容：{shown}{more}"


@lru_cache(maxsize=4)  # a version is read as a child, then as the parent of its next change
def _parsed(raw: bytes) -> dict[str, Any] | str:
    """The mapping in a seal file, or why it cannot be read."""
    try:
        data = parse_document(raw, "", UNIT_MAX_BYTES).data
    except YamlProblem as problem:
        return f"第 {problem.line} 行：{problem.message}"
    if not isinstance(data, dict):
        return "内容不是“字段: 值”的映射"
    return data


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    if "format" in old and "format" not in new:
        return [f"把格式从第 {_show(old['format'])} 版改回了旧格式（删除了 format）"]
    if "format" not in old and "format" in new:
        if _same(new["format"], 2):
            return _upgrade_changes(old, new)
        return [f"新增了 format: {_show(new['format'])}（旧格式只能升级为 format: 2）"]
    changes = [
        _field_change(key, old.get(key, _ABSENT), new.get(key, _ABSENT))
        for key in _keys(old, new)
        if key != "corrections" and not _same(old.get(key, _ABSENT), new.get(key, _ABSENT))
    ]
    return changes + _corrections_changes(old.get("corrections"), new.get("corrections"))


class _Absent:
    """A key that is not there (unlike a key whose value is null)."""

    def __repr__(self) -> str:
        return "（无）"


_ABSENT = _Absent()


def _keys(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    return [*old, *(key for key in new if key not in old)]


def _field_change(key: str, old: Any, new: Any) -> str:
    if old is _ABSENT:
        return f"新增了 {key}"
    if new is _ABSENT:
        return f"删除了 {key}"
    if key == "results" and isinstance(old, list) and isinstance(new, list):
        return "results 中 " + "、".join(_result_changes(old, new, upgrade=False)[:SHOWN_CHANGES])
    return f"{key} {_show(old)} → {_show(new)}"


def _result_changes(old: list[Any], new: list[Any], *, upgrade: bool) -> list[str]:
    """What differs between two ``results`` lists, by worker (an upgrade may add fields to an entry)."""
    before, after = _by_worker(old), _by_worker(new)
    if before is None or after is None:
        return ["有的结果不是带 worker 的映射，或同一网格员出现了两次，无法逐人核对"]
    changes = [f"删除了 {_name(before[worker])} 的结果" for worker in before if worker not in after]
    changes += [f"新增了 {_name(after[worker])} 的结果" for worker in after if worker not in before]
    for worker, entry in before.items():
        other = after.get(worker)
        if other is None:
            continue
        keys = list(entry) if upgrade else _keys(entry, other)
        for key in keys:
            was, now = entry.get(key, _ABSENT), other.get(key, _ABSENT)
            if upgrade and was is None and now is _ABSENT:  # format 2 leaves out a field with no value
                continue
            if not _same(was, now):
                changes.append(f"{_name(entry)} 的 {key} {_show(was)} → {_show(now)}")
    if not changes and not upgrade:
        changes.append("结果的顺序被改动")
    return changes


def _by_worker(entries: list[Any]) -> dict[Any, dict[str, Any]] | None:
    found: dict[Any, dict[str, Any]] = {}
    for entry in entries:
        if not isinstance(entry, dict) or "worker" not in entry or _key(entry["worker"]) in found:
            return None
        found[_key(entry["worker"])] = entry
    return found


def _name(entry: dict[str, Any]) -> str:
    """A worker id as written (it is escaped when printed), or quoted when it is not a short text."""
    worker = entry["worker"]
    return worker if isinstance(worker, str) and len(worker) <= SHOWN_VALUE else _show(worker)


def _key(value: Any) -> Any:
    return (type(value).__name__, str(value))  # 1 and "1" and True are three workers


def _corrections_changes(old: Any, new: Any) -> list[str]:
    """The parent's corrections are a prefix of the child's: each old entry identical, new ones at the end."""
    old = [] if old is None else old
    new = [] if new is None else new
    if not isinstance(old, list) or not isinstance(new, list):
        return [] if _same(old, new) else [f"corrections {_show(old)} → {_show(new)}"]
    changes = []
    for index, entry in enumerate(old):
        label = f"第 {index + 1} 条更正（{_show(_notice(entry))}）"
        if index >= len(new):
            changes.append(f"删除了{label}")
        elif not _same(entry, new[index]):
            changes.append(f"改动了{label}：{_entry_difference(entry, new[index])}")
    return changes


def _notice(entry: Any) -> Any:
    return entry.get("notice") if isinstance(entry, dict) else entry


def _entry_difference(old: Any, new: Any) -> str:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return f"{_show(old)} → {_show(new)}"
    for key in _keys(old, new):
        was, now = old.get(key, _ABSENT), new.get(key, _ABSENT)
        if _same(was, now):
            continue
        if key == "changes" and isinstance(was, list) and isinstance(now, list):
            for index, change in enumerate(was):
                if index >= len(now):
                    return f"删除了 changes 第 {index + 1} 项 {_show(change)}"
                if not _same(change, now[index]):
                    return f"changes 第 {index + 1} 项 {_show(change)} → {_show(now[index])}"
            return f"changes 末尾新增了 {_show(now[len(was)])}"
        return f"{key} {_show(was)} → {_show(now)}"
    return "内容不同"


def _upgrade_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """v1 → v2: the same figures and corrections, with fields added (a v1 record "有" may become a digest)."""
    prefix = "升级为第 2 版格式时，"
    changes = [
        f"{prefix}{_field_change(key, old[key], new.get(key, _ABSENT))}"
        for key in old
        if key not in ("results", "corrections") and not _same(old[key], new.get(key, _ABSENT))
    ]
    results_old, results_new = old.get("results", _ABSENT), new.get("results", _ABSENT)
    if isinstance(results_old, list) and isinstance(results_new, list):
        changes += [
            f"{prefix}results 中 {change}" for change in _result_changes(results_old, results_new, upgrade=True)
        ]
    elif not _same(results_old, results_new):
        changes.append(f"{prefix}{_field_change('results', results_old, results_new)}")
    corrections_old = old.get("corrections") or []
    corrections_new = new.get("corrections") or []
    if not isinstance(corrections_old, list) or not isinstance(corrections_new, list):
        if not _same(corrections_old, corrections_new):
            changes.append(f"{prefix}corrections {_show(corrections_old)} → {_show(corrections_new)}")
        return changes
    for index, entry in enumerate(corrections_old):
        label = f"{prefix}第 {index + 1} 条更正（{_show(_notice(entry))}）"
        if index >= len(corrections_new):
            changes.append(f"{label}被删除")
            continue
        missing = _upgrade_correction(entry, corrections_new[index])
        if missing:
            changes.append(f"{label}{missing}")
    return changes


def _upgrade_correction(old: Any, new: Any) -> str:
    if not isinstance(old, dict) or not isinstance(new, dict):
        return "" if _same(old, new) else f"被改动：{_show(old)} → {_show(new)}"
    for key in old:
        if key != "changes" and not _same(old[key], new.get(key, _ABSENT)):
            return f"的 {key} {_show(old[key])} → {_show(new.get(key, _ABSENT))}"
    was, now = old.get("changes") or [], new.get("changes") or []
    if not isinstance(was, list) or not isinstance(now, list):
        return "" if _same(was, now) else f"的 changes {_show(was)} → {_show(now)}"
    for change in was:
        if not any(_upgraded_change(change, other) for other in now):
            return f"缺少原有的改动 {_show(change)}"
    return ""


def _upgraded_change(old: Any, new: Any) -> bool:
    """Whether ``new`` records the v1 change ``old`` (a record's "有" may have become its digest)."""
    if not isinstance(old, dict) or not isinstance(new, dict) or set(old) - set(new):
        return False
    for key, value in old.items():
        other = new[key]
        if _same(value, other):
            continue
        record = _same(old.get("field"), "record") and key in ("old", "new")
        if not (record and _same(value, _V1_PRESENT) and isinstance(other, str) and _DIGEST.fullmatch(other)):
            return False
    return True


def _same(a: Any, b: Any) -> bool:
    """Equal as written data: 1, 1.0, "1" and true are four values; mappings ignore key order, lists do not."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Decimal):
        return str(a) == str(b)  # 89.9 and 89.90 are two published figures
    return bool(a == b)


def _show(value: Any) -> str:
    """A value as it would be written in YAML, shortened (quoted in a one-line message)."""
    text = _written(value)
    return text if len(text) <= SHOWN_VALUE else text[: SHOWN_VALUE - 1] + "…"


def _written(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, date | int | Decimal | _Absent):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_written(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_written(item)}" for key, item in value.items()) + "}"
    return str(value)


# --- two checked-out trees (gridscore diff) --------------------------------------------------------


def tree_problems(base_root: Path, head_root: Path) -> list[str]:
    """Why head_root's records/seals/ is not an append-only extension of base_root's (one line each)."""
    base, was = folder_snapshot(base_root)
    head, folder = folder_snapshot(head_root)
    found = [str(Violation(SEALS, "本次改动", folder))] if folder and folder != was else []
    try:
        return found + [str(violation) for violation in compare(base, head, "本次改动")]
    finally:
        _parsed.cache_clear()  # a city's seals are large: keep none beyond the comparison


def report_section(problems: list[str]) -> list[str]:
    """The PR report's first section: seal files the change deletes or rewrites (nothing when there are none)."""
    if not problems:
        return []
    # A fence longer than any run of backticks in the lines (file names are the contributor's): nothing closes it.
    longest = max((len(run) for line in problems for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [
        "### ❌ 封存文件被删除或改写",
        "",
        "已公布的结果只能用更正公告加 `gridscore seal` 在封存文件末尾追加更正，原有内容不能删除或改动。合并前请撤销这些改动：",
        "",
        f"{fence}text",
        *problems,
        fence,
        "",
    ]


def folder_snapshot(root: Path) -> tuple[dict[str, bytes | Unreadable], str]:
    """The seal files in ``root``/records/seals (links and special files named, never followed).

    Returns the snapshot and, when records/seals itself is not a folder, what it is instead.
    """
    folder = root / SEALS
    try:
        mode = os.lstat(folder).st_mode
    except FileNotFoundError:
        return {}, ""
    except OSError as error:
        return {}, f"使 {SEALS} 无法打开（{error.strerror}）"
    if not stat.S_ISDIR(mode):
        return {}, f"把 {SEALS} 换成了{kind_name(mode) if not stat.S_ISREG(mode) else '文件'}（它应是一个文件夹）"
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        return {}, f"使 {SEALS} 无法打开（{error.strerror}）"
    found: dict[str, bytes | Unreadable] = {}
    for entry in entries:
        if entry.is_file(follow_symlinks=False):
            if not _is_seal_name(entry.name):
                continue
            try:
                found[entry.name] = read_regular(entry.path, UNIT_MAX_BYTES)
            except FileProblem as problem:
                found[entry.name] = Unreadable(f"无法读取的文件（{problem.message}）")
            except OSError as error:
                found[entry.name] = Unreadable(f"无法读取的文件（{error.strerror}）")
        else:
            found[entry.name] = Unreadable(_entry_kind(entry.path))
    return found, ""


def _is_seal_name(name: str) -> bool:
    # Hidden files are never data; a seal file that is not .yaml is check's to report (records/ misnamed files).
    return not name.startswith(".") and name.endswith(".yaml")


def _entry_kind(path: str) -> str:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return "无法读取的条目"
    if stat.S_ISLNK(mode):
        return "符号链接（封存文件夹里只能有普通文件）"
    if stat.S_ISDIR(mode):
        return "文件夹（封存文件夹里只能有普通文件）"
    return "特殊文件（封存文件夹里只能有普通文件）"


# --- the git history (gridscore verify) ------------------------------------------------------------

# Tree entry modes (git stores them without leading zeros).
_REGULAR = {b"100644", b"100755"}
_MODES = {b"120000": "符号链接", b"40000": "文件夹", b"160000": "子模块（gitlink）"}
_GIT_ENV = {"GIT_NO_REPLACE_OBJECTS": "1", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"}


@dataclass
class HistoryReport:
    """What ``verify_history`` found along every commit reachable from the revision."""

    commits: int = 0
    files: set[str] = field(default_factory=set)  # seal files ever written
    versions: set[tuple[str, str]] = field(default_factory=set)  # (file, blob id): each written version once
    violations: list[Violation] = field(default_factory=list)

    def summary(self) -> str:
        counts = f"检查了 {self.commits} 个提交、{len(self.files)} 个封存文件的 {len(self.versions)} 次改动"
        if not self.violations:
            return f"封存历史核验通过：{counts}，全部只追加。"
        return (
            f"封存历史核验未通过：{counts}，发现 {len(self.violations)} 处改写或删除封存文件的改动（见上）。"
            "已公布的结果只能用更正公告加 gridscore seal 追加更正；"
            "这些提交如果还没有合并到 main，请从分支中去掉这些改动后重新提交"
        )


@dataclass(frozen=True)
class _Tree:
    """What a commit has at records/seals: a folder (its tree id), something else (its object id), or nothing."""

    oid: str
    is_folder: bool


def verify_history(root: Path, revision: str = "HEAD") -> HistoryReport:
    """Compare records/seals/ of every commit reachable from ``revision`` with each of its parents'."""
    top, prefix = _repository(root)
    commit = _resolve(top, revision)
    listing = _git(top, "rev-list", "--parents", "--reverse", commit).decode("ascii").split("\n")
    history = [line.split(" ") for line in listing if line]
    trees = _seal_trees(top, [ids[0] for ids in history], prefix + SEALS)
    report = HistoryReport(commits=len(history))
    found: dict[str, dict[tuple[str, str], Violation]] = {}  # commit → its violations, each once
    compared: dict[tuple[_Tree | None, _Tree | None], list[Violation]] = {}
    # A county seal parses into a million objects; automatic collections would rescan the ones kept for
    # the next comparison (it tripled the walk). Parsed YAML holds no cycles: reference counting frees it.
    with _ObjectReader(top) as objects, without_cycle_collection(keep=False):
        for child, *parents in history:
            after = trees[child]
            for before in [trees[parent] for parent in parents] or [None]:  # a root commit: an empty parent
                if before == after:
                    continue
                pair = (before, after)
                if pair not in compared:
                    compared[pair] = _compare_trees(objects, before, after, report)
                for violation in compared[pair]:
                    found.setdefault(child, {})[(violation.path, violation.what)] = violation
    _parsed.cache_clear()
    subjects = _subjects(top, list(found))
    for child, violations in found.items():
        where = subjects[child]
        report.violations += [replace(v, where=where) for _, v in sorted(violations.items())]
    return report


def _compare_trees(
    objects: _ObjectReader, before: _Tree | None, after: _Tree | None, report: HistoryReport
) -> list[Violation]:
    old, new = objects.entries(before), objects.entries(after)
    changed = [name for name in sorted(set(old) | set(new)) if old.get(name) != new.get(name)]
    parent = {name: objects.content(*old[name]) for name in changed if name in old and _wanted(name, old[name])}
    child = {name: objects.content(*new[name]) for name in changed if name in new and _wanted(name, new[name])}
    for name in child:
        if _is_seal_name(name) and new[name][0] in _REGULAR:
            report.files.add(name)
            report.versions.add((name, new[name][1]))
    found = compare(parent, child, "")
    if after is not None and not after.is_folder and before != after:
        found.insert(0, Violation(SEALS, "", "把 records/seals 换成了文件或符号链接（它应是一个文件夹）"))
    return found


def _wanted(name: str, entry: tuple[bytes, str]) -> bool:
    """A seal file, or anything else that is not a regular file (a link, a folder: always a violation)."""
    return _is_seal_name(name) if entry[0] in _REGULAR else True


def _repository(root: Path) -> tuple[Path, str]:
    """The top of the git repository holding ``root``, and ``root``'s path inside it ("" or "sub/")."""
    if not root.is_dir():
        raise UsageError(f"找不到文件夹 {one_line(str(root))}")
    try:
        shown = _git(root, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip()
    except GridscoreError as error:
        if "dubious ownership" in str(error) or "safe.directory" in str(error):
            raise UsageError(
                f"git 拒绝读取 {one_line(str(root))}：这个文件夹的所有者不是当前用户（git 的 safe.directory 保护）。"
                "确认这是自己的仓库后运行 git config --global --add safe.directory 仓库路径，再重新运行"
            ) from None
        if "not a git repository" in str(error):
            raise UsageError(
                f"{one_line(str(root))} 不在 git 仓库里：gridscore verify 核验的是 git 历史，"
                "请在考评仓库（git clone 下来的文件夹）里运行，或用 --root 指定"
            ) from None
        raise
    top = Path(shown)
    if _git(top, "rev-parse", "--is-shallow-repository").strip() == b"true":
        raise UsageError(
            "这是一个浅克隆（shallow clone），只有最近的部分历史，无法证明封存文件从未被改写："
            "请取完整历史后再运行（git fetch --unshallow；GitHub Actions 的 checkout 设 fetch-depth: 0，"
            "GitLab CI 设变量 GIT_DEPTH: 0）"
        )
    relative = root.resolve().relative_to(top.resolve()).as_posix()
    if "\n" in relative:
        raise UsageError("考评仓库所在的路径含有换行符，无法核验，请换一个文件夹")
    return top, "" if relative == "." else relative + "/"


def _resolve(top: Path, revision: str) -> str:
    shown = one_line(revision)
    if revision.startswith("-") or not revision:
        raise UsageError(f"版本“{shown}”不对：请写分支名、标签或提交号，如 HEAD、main 或 origin/main")
    try:
        return _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode("ascii").strip()
    except GridscoreError:
        if revision == "HEAD":
            raise UsageError("仓库里还没有任何提交，没有可核验的历史") from None
        raise UsageError(f"找不到版本“{shown}”：请写分支名、标签或提交号，如 HEAD、main 或 origin/main") from None


def _seal_trees(top: Path, commits: list[str], path: str) -> dict[str, _Tree | None]:
    """records/seals of every commit, in one batch (a county's history has thousands of commits)."""
    asked = "".join(f"{commit}:{path}\n" for commit in commits).encode("utf-8", "surrogateescape")
    answer = _git(top, "cat-file", "--batch-check=%(objectname) %(objecttype)", stdin=asked)
    lines = answer.decode("utf-8", "surrogateescape").split("\n")
    found: dict[str, _Tree | None] = {}
    for commit, line in zip(commits, lines, strict=False):
        words = line.split(" ")
        if len(words) == 2 and words[1] in ("tree", "blob", "commit"):
            found[commit] = _Tree(words[0], words[1] == "tree")
        else:  # "<name> missing": no records/seals in this commit
            found[commit] = None
    if len(found) != len(commits):
        raise GridscoreError("git cat-file 的输出不完整，无法核验")
    return found


def _subjects(top: Path, commits: list[str]) -> dict[str, str]:
    """ "提交 1a2b3c4（“subject”）" for each commit (subjects are shortened; escaped when printed)."""
    if not commits:
        return {}
    asked = "".join(f"{commit}\n" for commit in commits).encode("ascii")
    answer = _git(
        top,
        "-c",
        "i18n.logOutputEncoding=UTF-8",
        "log",
        "--no-walk=unsorted",
        "--stdin",
        "--format=%H%x00%h%x00%s%x00",
        stdin=asked,
    )
    found: dict[str, str] = {}
    fields = answer.decode("utf-8", "replace").split("\x00")
    for index in range(0, len(fields) - 2, 3):
        full, short, subject = fields[index].strip(), fields[index + 1], fields[index + 2]
        if len(subject) > SHOWN_SUBJECT:
            subject = subject[: SHOWN_SUBJECT - 1] + "…"
        found[full] = f"提交 {short}（“{subject}”）"
    return {commit: found.get(commit, f"提交 {commit[:7]}") for commit in commits}


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False, env={**os.environ, **_GIT_ENV}
        )
    except FileNotFoundError:
        raise UsageError("找不到 git 命令：gridscore verify 需要安装 git") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        command = next((arg for arg in args if not arg.startswith("-") and "=" not in arg), "")
        raise GridscoreError(f"git {command} 失败：{one_line(message[-1]) if message else done.returncode}")
    return done.stdout


class _ObjectReader:
    """Trees and blobs through one ``git cat-file --batch``: one process, no checkout, links never followed."""

    def __init__(self, top: Path) -> None:
        self._top = top
        self._trees: dict[str, dict[str, tuple[bytes, str]]] = {}
        self._errors: IO[bytes] = tempfile.TemporaryFile()  # never a full pipe nobody reads
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> _ObjectReader:
        try:
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self._top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._errors,
                env={**os.environ, **_GIT_ENV},
            )
        except FileNotFoundError:
            raise UsageError("找不到 git 命令：gridscore verify 需要安装 git") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            assert self._process.stdin is not None and self._process.stdout is not None
            self._process.stdin.close()
            self._process.stdout.close()  # a git still writing (an error mid-object) gets EPIPE, never hangs
            self._process.wait()
        self._errors.close()

    def entries(self, tree: _Tree | None) -> dict[str, tuple[bytes, str]]:
        """name → (mode, object id) of a records/seals tree (nothing when it is not a folder)."""
        if tree is None or not tree.is_folder:
            return {}
        if tree.oid not in self._trees:
            kind, raw, _ = self._read(tree.oid, None)
            assert kind == b"tree" and raw is not None
            self._trees[tree.oid] = dict(_tree_entries(raw, len(tree.oid) // 2))
        return self._trees[tree.oid]

    def content(self, mode: bytes, oid: str) -> bytes | Unreadable:
        if mode not in _REGULAR:
            return Unreadable(f"{_MODES.get(mode, '特殊条目')}（封存文件夹里只能有普通文件）")
        _, raw, size = self._read(oid, UNIT_MAX_BYTES)
        if raw is None:
            return Unreadable(f"过大的文件（{too_big(size, UNIT_MAX_BYTES)}）")
        return raw

    def _read(self, oid: str, limit: int | None) -> tuple[bytes, bytes | None, int]:
        """An object's type and bytes; None for bytes over ``limit`` (read past, never kept)."""
        assert self._process is not None and self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(oid.encode("ascii") + b"\n")
        self._process.stdin.flush()
        out = self._process.stdout
        header = out.readline().split()
        if len(header) != 3:
            raise GridscoreError(
                f"git 仓库中缺少对象 {oid[:12]}：仓库不完整（浅克隆或部分克隆？），请取完整历史后再运行"
            )
        kind, size = header[1], int(header[2])
        if limit is not None and size > limit:
            for _ in _chunks(out, size + 1):
                pass
            return kind, None, size
        raw = b"".join(_chunks(out, size))
        out.read(1)  # the line feed after each object
        return kind, raw, size


def _chunks(stream: IO[bytes], size: int) -> Iterator[bytes]:
    left = size
    while left > 0:
        chunk = stream.read(min(left, 1 << 20))
        if not chunk:
            raise GridscoreError("git cat-file 意外结束，无法核验")
        left -= len(chunk)
        yield chunk


def _tree_entries(raw: bytes, hash_bytes: int) -> Iterator[tuple[str, tuple[bytes, str]]]:
    """A git tree object's entries: "<mode> <name>\\0<binary id>" after one another."""
    position = 0
    while position < len(raw):
        space = raw.index(b" ", position)
        nul = raw.index(b"\x00", space)
        mode, name = raw[position:space], raw[space + 1 : nul]
        oid = raw[nul + 1 : nul + 1 + hash_bytes].hex()
        position = nul + 1 + hash_bytes
        yield name.decode("utf-8", "backslashreplace"), (mode, oid)
