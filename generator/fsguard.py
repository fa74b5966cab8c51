"""Read the repository as untrusted input: regular files only, never followed, size checked first.

A pull request can put anything where a data file is expected: a symlink to
``/dev/zero`` or to a file outside the repository, a FIFO, a directory named
``w1.yaml``. Folders are listed with ``os.scandir``, whose entry types come with
the listing (no extra ``stat``), so such entries are reported without ever being
opened. A file is then opened with ``O_NOFOLLOW | O_NONBLOCK`` and its descriptor
checked (``fstat``) to be a regular file within the size limit before a byte is
read: one ``open``, one ``fstat`` and one ``read`` per file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Problem

# Hidden entries (``.gitkeep``, ``.DS_Store``, an editor's ``.w1.yaml.swp``) are never data.
HIDDEN = "."
DIRECTORY = "这里应是一个文件，却是一个文件夹：请删除或改名这个文件夹"

# What the build reads besides the data (names as in render.TEMPLATES and build.project_dir).
TEMPLATES = "site_templates"
MKDOCS = "mkdocs.yml"
# Templates, the theme override and assets (a logo, a font) are read whole by Jinja and MkDocs.
TEMPLATE_MAX_BYTES = 16 * 1024 * 1024
MKDOCS_MAX_BYTES = 1024 * 1024

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once (and is refused) instead of waiting for a writer
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class FileProblem(Exception):
    """The path is not a file gridscore may read; ``message`` says why, in Chinese."""

    def __init__(self, message: str, *, mode: int | None = None, size: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mode = mode  # what the path is, when it is not a regular file
        self.size = size  # how big it is, when it is too big


def too_big(size: int, limit: int) -> str:
    return f"文件大小为 {size:,} 字节，超过了单个文件 {limit // (1024 * 1024)} MiB（{limit:,} 字节）的上限，请检查是否放错了文件"


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (at most ``limit``); ``FileProblem`` for anything else.

    ``OSError`` is left to the caller for a file that exists but cannot be read.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        message = describe(path)  # a symlink (ELOOP), a missing file, ...: say what is there
        if message is not None:
            raise FileProblem(message, mode=os.lstat(path).st_mode) from None
        raise error from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(_kind_message(info.st_mode, path), mode=info.st_mode)
        size = info.st_size
        if size > limit:
            raise FileProblem(too_big(size, limit), size=size)
        raw = os.read(fd, size + 1)  # one read for a file that did not change since fstat
        if len(raw) == size:
            return raw
        parts, total = [raw], len(raw)
        while raw:  # a short read, or the file grew: read on, never past the limit
            raw = os.read(fd, min(1 << 20, limit + 1 - total))
            parts.append(raw)
            total += len(raw)
            if total > limit:
                raise FileProblem(too_big(total, limit), size=total)
        return b"".join(parts)
    finally:
        os.close(fd)


def describe(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` is not a regular file gridscore may read, or None if it is one (or is missing)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    if stat.S_ISREG(info.st_mode):
        return None
    return _kind_message(info.st_mode, path)


def _kind_message(mode: int, path: str | os.PathLike[str]) -> str:
    if stat.S_ISLNK(mode):
        try:
            target = f"（指向 {os.readlink(path)}）"
        except OSError:
            target = ""
        return f"这是一个符号链接{target}：为了安全，gridscore 不跟随符号链接，请删除它，换成真正的文件（或文件夹）"
    if stat.S_ISDIR(mode):
        return DIRECTORY
    if stat.S_ISFIFO(mode):
        return "这是一个命名管道（FIFO），不是普通文件：gridscore 不读取它，请删除"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "这是一个设备文件，不是普通文件：gridscore 不读取它，请删除"
    if stat.S_ISSOCK(mode):
        return "这是一个套接字（socket），不是普通文件：gridscore 不读取它，请删除"
    return "这不是普通文件：gridscore 不读取它，请删除"


def folder_problem(path: str, shown: str) -> Problem | None:
    """A folder gridscore reads (records/, rubric/, site_templates/) must be a real folder, not a link to one."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        return Problem(shown, 0, f"无法打开文件夹（{error.strerror}）")
    if stat.S_ISDIR(info.st_mode):
        return None
    if stat.S_ISLNK(info.st_mode):
        return Problem(shown, 0, _kind_message(info.st_mode, path))
    return Problem(shown, 0, "这里应是一个文件夹，却是一个文件：请删除或改名")


@dataclass
class Listing:
    """What a walk found: regular files to read (full paths, in a stable order) and what is wrong."""

    files: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# Decides about one regular file found by a walk: None to read it, "" to pass it over, else the problem.
Judge = Callable[[str], str | None]
# Decides whether a walk goes into a folder: None to go in, "" to pass it over, else the problem.
FolderJudge = Callable[[str], str | None]


def walk(
    folder: str,
    shown: str,
    judge: Judge,
    enter: FolderJudge = lambda name: None,
    hidden: bool = False,
    limit: int | None = None,
) -> Listing:
    """List ``folder`` (shown as ``shown``) top down: files of a folder first, then its subfolders, by name.

    Symlinks and special files are problems and never followed; hidden entries are
    passed over unless ``hidden``. With ``limit``, a file over it is a problem too
    (its size costs a ``stat``: only for the few files of site_templates/).
    """
    listing = Listing()
    _walk(folder, shown, judge, enter, hidden, limit, listing)
    return listing


def _walk(
    folder: str, shown: str, judge: Judge, enter: FolderJudge, hidden: bool, limit: int | None, listing: Listing
) -> None:
    try:
        with os.scandir(folder) as entries:
            found = sorted(entries, key=lambda entry: entry.name)
    except OSError as error:
        listing.problems.append(Problem(shown, 0, f"无法打开文件夹（{error.strerror}）"))
        return
    subfolders = []
    for entry in found:
        name = entry.name
        if name.startswith(HIDDEN) and not hidden:
            continue
        where = f"{shown}/{name}"
        verdict: str | None
        if entry.is_dir(follow_symlinks=False):
            verdict = enter(name)
            if verdict is None:
                subfolders.append((entry.path, where))
        elif entry.is_file(follow_symlinks=False):
            verdict = judge(name)
            if verdict is None and limit is not None:
                size = entry.stat(follow_symlinks=False).st_size
                verdict = too_big(size, limit) if size > limit else None
            if verdict is None:
                listing.files.append(entry.path)
        else:
            verdict = describe(entry.path) or "这不是普通文件：gridscore 不读取它，请删除"
        if verdict:
            listing.problems.append(Problem(where, 1, verdict))
    for path, where in subfolders:
        _walk(path, where, judge, enter, hidden, limit, listing)


def check_project(project: os.PathLike[str] | str) -> list[Problem]:
    """What is wrong with the files the build reads besides the data: site_templates/ and mkdocs.yml.

    Jinja and MkDocs open these files themselves, following any symlink: so every
    entry of site_templates/ (hidden ones too) must be a regular file or a real
    folder, before either reads one. Files that are not there are not checked here.
    """
    problems: list[Problem] = []
    folder = os.path.join(project, TEMPLATES)
    linked = folder_problem(folder, TEMPLATES)
    if linked is not None:
        problems.append(linked)
    elif os.path.isdir(folder):
        problems += walk(folder, TEMPLATES, lambda name: None, hidden=True, limit=TEMPLATE_MAX_BYTES).problems
    config = os.path.join(project, MKDOCS)
    message = describe(config)
    if message is not None:
        problems.append(Problem(MKDOCS, 1, message))
    else:
        try:
            size = os.lstat(config).st_size
        except OSError:
            return problems
        if size > MKDOCS_MAX_BYTES:
            problems.append(Problem(MKDOCS, 1, too_big(size, MKDOCS_MAX_BYTES)))
    return problems


# --- writing inside the repository ---------------------------------------------------------------

_KINDS = (
    (stat.S_ISDIR, "文件夹"),
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "设备文件"),
    (stat.S_ISBLK, "设备文件"),
    (stat.S_ISSOCK, "套接字"),
    (stat.S_ISLNK, "符号链接"),
)


def kind_name(mode: int) -> str:
    """What a path that is not a regular file is, in Chinese."""
    return next((name for test, name in _KINDS if test(mode)), "特殊文件")


def unsafe_folder(root: Path, path: Path) -> str | None:
    """Why ``path`` (inside ``root``) may not be read or written, or None: every folder on its way is a real folder."""
    try:
        relative = path.relative_to(root)
    except ValueError:
        return "不在考评仓库内"
    current = root
    for part in relative.parts[:-1]:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return None  # created on the way: nothing beyond it exists yet
        if not stat.S_ISDIR(mode):
            return f"路径中的 {current.relative_to(root).as_posix()} 不是文件夹，而是{kind_name(mode)}"
    return None


def unsafe_target(root: Path, path: Path) -> str | None:
    """Why ``path`` may not be replaced, or None: its folders are real folders, and it is a regular file or nothing."""
    unsafe = unsafe_folder(root, path)
    if unsafe:
        return unsafe
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    return None if stat.S_ISREG(mode) else f"已存在，但不是普通文件，而是{kind_name(mode)}"


def write_replacing(path: Path, data: bytes) -> None:
    """Write ``path`` through a fresh temporary file beside it, then swap it in: a link there is replaced, never followed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for attempt in range(100):
        temporary = path.with_name(f".{path.name}.{os.getpid()}-{attempt}.tmp")
        try:
            descriptor = os.open(temporary, flags, 0o666)  # O_EXCL: an existing name, link or not, is never opened
        except FileExistsError:
            continue
        break
    else:
        raise FileExistsError(temporary)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
