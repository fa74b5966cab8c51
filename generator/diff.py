"""What a change does to every score: the Markdown report a reviewer reads on a PR.

The base revision (and the head one, when given) is read with git's plumbing
into a temporary folder, so the user's working tree and index are never
touched. Both sides run through ``pipeline.check``; results are compared
period by period only when both sides validated (a side that did not has no
results, and comparing with nothing would call every result deleted). The
sections are built in ``diff_sections`` and laid out, and cut to a PR
comment's size, by ``diff_render``.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import diff_sections as sections
from . import seal_history
from .diff_compare import TRACKED, compare, load_side
from .diff_render import Report
from .errors import GridscoreError, UsageError
from .fsguard import write_replacing
from .yamlio import UNIT_MAX_BYTES

# --- reading a revision ---------------------------------------------------------------


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=False)
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
            _extract(top, commit, wanted, folder)
        yield folder / prefix if prefix else folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _extract(top: Path, commit: str, paths: list[str], folder: Path) -> None:
    """Write the blobs under ``paths`` at ``commit`` into ``folder``, byte for byte.

    Read with git's plumbing, not ``git archive``: the archive applies the tree's own
    .gitattributes (``export-ignore`` hides a file, ``export-subst`` rewrites one), and a
    link with an absolute target is refused by tarfile's filter. Here a link is written as the
    link it is (gridscore never follows one: ``check`` reports it), a submodule as an empty
    folder, and a file over the size limit as a sparse file of its size (refused by size, never read).
    """
    listing = _git(top, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", *paths)
    blobs: list[tuple[Path, str, bool]] = []  # where, object id, whether it is a link's target
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        info, _, name = entry.partition(b"\t")
        mode, kind, oid, size = info.split()
        relative = name.decode("utf-8", "surrogateescape")
        target = folder / relative
        if ".." in Path(relative).parts:
            raise GridscoreError(f"版本中的路径不安全：{relative}")
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind == b"commit":
            target.mkdir(exist_ok=True)
        elif mode == b"120000":
            blobs.append((target, oid.decode(), True))
        elif int(size) > UNIT_MAX_BYTES:
            with open(target, "wb") as handle:
                handle.truncate(int(size))
        else:
            blobs.append((target, oid.decode(), False))
    if not blobs:
        return
    stream = _git(top, "cat-file", "--batch", stdin="".join(f"{oid}\n" for _, oid, _ in blobs).encode())
    position = 0
    for target, _, link in blobs:
        header_end = stream.index(b"\n", position)
        length = int(stream[position:header_end].split()[2])
        start = header_end + 1
        content = stream[start : start + length]
        if link:
            target.symlink_to(content.decode("utf-8", "surrogateescape")[:4096] or "?")
        else:
            target.write_bytes(content)
        position = start + length + 1


# --- the report ---------------------------------------------------------------------------


def seal_history_problems(base_root: Path, head_root: Path) -> list[str]:
    """Where HEAD's seals are not an append-only extension of BASE's (§6): each makes ``diff`` exit 1."""
    return seal_history.tree_problems(base_root, head_root)


def diff_report(root: Path, base: str, head: str | None) -> tuple[Report, bool]:
    """The PR report, and ok: False when HEAD fails ``check`` or rewrites the seal history.

    ``Report.text()`` is the full report, ``Report.text(limit)`` as much as fits in a PR comment.
    """
    head_label = head or "工作区"
    with revision_tree(root, base) as base_root:
        if head is None:
            return _report(base_root, root, base, head_label)
        with revision_tree(root, head) as head_root:
            return _report(base_root, head_root, base, head_label)


def _report(base_root: Path, head_root: Path, base: str, head: str) -> tuple[Report, bool]:
    old, new = load_side(base_root, base), load_side(head_root, head)
    history = seal_history_problems(base_root, head_root)
    changed = sorted(path for path in set(old.files) | set(new.files) if old.files.get(path) != new.files.get(path))
    changes = compare(old, new) if old.loaded and new.loaded else []
    report = Report(sections.header(old, new, changed, changes, history))
    report.add(*sections.problems(new, history))
    report.add(*sections.not_compared(old, new))
    report.add(*sections.seals(new, changed, changes, old.files, history))
    report.add(*sections.missing_records(new))
    report.add(*sections.rubric(old, new, changed, base_root, head_root))
    report.add(*sections.results(old, new, changes))
    report.add(*sections.records(old, new, changed, base_root, head_root))
    report.add(*sections.files(changed))
    return report, new.valid and not history


def check_output(root: Path, target: Path) -> None:
    """Refuse a full-report file that is a link, not a file, or inside the data the report is about."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise UsageError(f"完整报告文件 {target} 无法写入：{error.strerror}") from None
    if mode is not None and stat.S_ISLNK(mode):
        raise UsageError(f"完整报告文件 {target} 是符号链接，不能写入：请换一个文件名，或先删除这个链接")
    if mode is not None and not stat.S_ISREG(mode):
        raise UsageError(f"完整报告文件 {target} 已存在，但不是普通文件：请换一个文件名")
    inside = target.resolve() if target.parent.exists() else target.absolute()
    for folder in (*TRACKED, ".git"):
        if inside.is_relative_to((root / folder).resolve()):
            raise UsageError(
                f"完整报告文件不能写在 {folder}/ 里（{target}）：请写在仓库根目录或其他文件夹，如 gridscore-diff.md"
            )


def write_output(target: Path, text: str) -> None:
    """Write the full report in place of ``target`` (never through a link)."""
    try:
        write_replacing(target, text.encode("utf-8"))
    except OSError as error:
        raise UsageError(f"完整报告文件 {target} 无法写入：{error.strerror or error}") from None
