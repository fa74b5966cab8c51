"""Where a build may write, and how: a verified site folder, a private staging folder, an atomic swap.

The site folder a build replaces is named on the command line or in CI
(``--site-dir``), and the repository it builds is untrusted: ``_site`` may be a
committed symlink to another folder. So the folder is checked before anything
is written (not a symlink, not the repository or one of its ancestors, not inside
records/, rubric/, site_templates/ or .git, and if it has content, a site an
earlier build left, with its marker file). Each build works in a fresh folder of
its own beside the site (its docs, fragments and the new site), swaps the new
site in with one rename while holding a lock on the parent folder, and removes
its folder when done, on error, and on SIGTERM or SIGHUP. A folder left by a
build that was killed outright is removed by the next build into the same place.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError
from .fsguard import TEMPLATES

try:
    import fcntl
except ImportError:  # Windows: no locks, so no proof that a build is gone, and swaps are not serialized
    fcntl = None  # type: ignore[assignment]

# Written into every built site: a later build replaces a non-empty folder only if this is there.
MARKER = ".gridscore-site"
MARKER_TEXT = "此文件夹由 gridscore build 生成，再次构建时会被整体替换。\n"
# In a build's own folder: locked (flock) for as long as the build runs, so a folder whose
# lock can be taken was left by a build that is gone.
OWNER = ".gridscore-staging"
_PROTECTED = ("records", "rubric", TEMPLATES, ".git")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# The signals that end a build: Ctrl+C raises KeyboardInterrupt already, the others are made to.
_ENDING = {signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])}


def site_target(root: Path, project: Path, site_dir: Path) -> Path:
    """The absolute site folder to build into, once it is known to be one gridscore may replace."""
    target = Path(os.path.abspath(site_dir))
    shown = str(site_dir)
    if target.is_symlink():
        raise UsageError(
            f"站点文件夹 {shown} 是一个符号链接：构建会替换站点文件夹的全部内容，为免删除它指向的文件，"
            "gridscore 不写入符号链接。请删除这个链接，或用 --site-dir 另选一个文件夹"
        )
    _refuse_linked_parents(root, target, shown)
    real = target.parent.resolve() / target.name
    for base in dict.fromkeys((root.resolve(), project.resolve())):
        if real == base or real in base.parents:
            raise UsageError(
                f"站点文件夹 {shown} 是考评仓库的根目录或它的上级文件夹：构建会替换站点文件夹的全部内容。"
                "请用 --site-dir 指定一个单独的文件夹，例如 _site"
            )
        for name in _PROTECTED:
            folder = (base / name).resolve()
            if real == folder or folder in real.parents:
                raise UsageError(
                    f"站点文件夹 {shown} 是仓库的 {name}/ 或在其中：构建会替换站点文件夹的全部内容。"
                    "请用 --site-dir 指定 records/、rubric/、site_templates/ 和 .git 以外的文件夹，例如 _site"
                )
    _check_replaceable(target, shown)
    return target


def _refuse_linked_parents(root: Path, target: Path, shown: str) -> None:
    """Inside the repository, no folder on the way to the site may be a symlink (a pull request can commit one)."""
    try:
        inside = target.parent.relative_to(root)
    except ValueError:
        return
    folder = root
    for part in inside.parts:
        folder = folder / part
        if folder.is_symlink():
            raise UsageError(
                f"站点文件夹 {shown} 的上级文件夹 {folder.relative_to(root).as_posix()} 是仓库里的一个符号链接："
                "gridscore 不经由符号链接写入。请删除这个链接，或用 --site-dir 另选一个文件夹"
            )


def _check_replaceable(target: Path, shown: str) -> None:
    """An existing site folder is replaced only if it is empty or an earlier build left its marker there."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"站点文件夹 {shown} 是一个符号链接：gridscore 不写入符号链接，请删除这个链接或另选文件夹")
    if not stat.S_ISDIR(info.st_mode):
        raise UsageError(f"站点文件夹 {shown} 已存在，但不是文件夹：请删除它，或用 --site-dir 另选一个文件夹")
    try:
        marker = (target / MARKER).lstat()
    except FileNotFoundError:
        marker = None
    if marker is not None and stat.S_ISREG(marker.st_mode):
        return
    with os.scandir(target) as entries:
        if next(entries, None) is None:
            return
    raise UsageError(
        f"站点文件夹 {shown} 已有内容，但不是 gridscore 生成的（缺少标记文件 {MARKER}）："
        "构建会替换整个文件夹，为免误删，gridscore 不替换它。请用 --site-dir 另选一个空文件夹，"
        "或确认其中的内容可以删除后，手动删除这个文件夹再构建"
    )


class Staging:
    """A build's own folder beside the site: ``docs``, its fragments, and ``site``, the new site."""

    def __init__(self, target: Path) -> None:
        self.target = target
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(target)
        self.folder = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
        self.docs = self.folder / "docs"
        self.site = self.folder / "site"
        try:
            self._owner = _own(self.folder)
            self.site.mkdir()
            self.site.chmod(0o755)  # the folder itself stays private; a web server must be able to read the site
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def mark(self) -> None:
        """Mark the new site as gridscore's: a later build may replace it."""
        (self.site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")

    def swap(self) -> None:
        """Put the new site in place of the old one (which goes with the staging folder)."""
        with _locked(self.target.parent):
            _check_replaceable(self.target, str(self.target))  # again: another build may have been quicker
            if self.target.exists():
                _exchange(self.site, self.target)
            else:
                os.rename(self.site, self.target)

    def remove(self) -> None:
        """Remove the build's folder (and an old site swapped into it); signals wait until it is gone."""
        with _signals_held():
            shutil.rmtree(self.folder, ignore_errors=True)
            os.close(self._owner)


def _own(folder: Path) -> int:
    """Lock the build's folder as ours for as long as this process runs; the lock file appears already locked."""
    pending = folder / f"{OWNER}.new"
    fd = os.open(pending, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    os.write(fd, f"gridscore build, pid {os.getpid()}\n".encode())
    os.rename(pending, folder / OWNER)
    return fd


def remove_stale(target: Path) -> None:
    """Remove the folders of builds into ``target`` that were killed (their lock is free); keep every other."""
    if fcntl is None:
        return
    pattern = re.compile(rf"\.{re.escape(target.name)}-[A-Za-z0-9_]{{8}}")
    try:
        with os.scandir(target.parent) as entries:
            candidates = [entry.path for entry in entries if pattern.fullmatch(entry.name)]
    except OSError:
        return
    for folder in candidates:
        try:
            if not stat.S_ISDIR(os.lstat(folder).st_mode):
                continue
            fd = os.open(os.path.join(folder, OWNER), os.O_RDONLY | _NOFOLLOW | _CLOEXEC | os.O_NONBLOCK)
        except OSError:
            continue  # not a build's folder, or one just being made
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its build is still running
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(fd)


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself: builds into it swap one after another."""
    if fcntl is None:
        yield
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | _CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(new: Path, target: Path) -> None:
    """Put ``new`` at ``target`` and the old ``target`` at ``new``: at once where Linux can, else by two renames."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError, TypeError):  # not glibc ≥ 2.28 (or not Linux)
        renameat2 = None
    if renameat2 is not None:
        done = renameat2(_AT_FDCWD, os.fsencode(new), _AT_FDCWD, os.fsencode(target), _RENAME_EXCHANGE)
        if done == 0:
            return
        code = ctypes.get_errno()
        if code not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise OSError(code, os.strerror(code), str(target))
    old = new.with_name("old")
    os.rename(target, old)
    os.rename(new, target)


@contextmanager
def interruptible() -> Iterator[None]:
    """Make SIGTERM and SIGHUP end the build like Ctrl+C, so its ``finally`` removes what it wrote."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    saved = {number: signal.signal(number, stop) for number in _ENDING if number != signal.SIGINT}
    try:
        yield
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Defer SIGINT, SIGTERM and SIGHUP while cleaning up (delivered after, when they still end the process)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _ENDING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
