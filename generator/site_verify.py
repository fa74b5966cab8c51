"""``gridscore verify --site DIR`` (PRODUCT.md §11): is this site what the repository's commit builds?

Two steps, in this order, so that a hand edit is named even when the checker's tools differ:

1. the files against the site's own ``manifest.json``: changed, missing or extra files;
2. a rebuild of the manifest's commit, from git, in a temporary worktree, for the manifest's
   audience and the build date its 核验 page shows, compared file by file with DIR.

The site is untrusted input: the manifest's paths are checked before any is read, and
nothing in DIR is followed through a link.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError, one_line
from .manifest import MANIFEST, UNLISTED, git, sha256_file, site_files, toolchain

BUILD_DATE = re.compile(r'<time class="gs-build-date" datetime="(\d{4}-\d{2}-\d{2})">')
VERIFY_PAGE = "verify/index.html"
MANIFEST_MAX_BYTES = 64 << 20
_SAFE_PATH = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.?(?:/|$))[^\\\x00-\x1f\x7f]+$")


@dataclass
class SiteReport:
    lines: list[str] = field(default_factory=list)
    ok: bool = True

    def say(self, line: str) -> None:
        self.lines.append(line)

    def fail(self, line: str) -> None:
        self.ok = False
        self.lines.append(line)

    def differences(self, heading: str, groups: tuple[tuple[str, list[str]], ...]) -> None:
        """``heading``（改动 1 个，缺少 0 个，…）： and then each file on a line of its own, by kind."""
        counts = "，".join(f"{label} {len(paths)} 个" for label, paths in groups)
        self.fail(f"{heading}（{counts}）：")
        for label, paths in groups:
            for path in paths:
                self.fail(f"  {label}：{path}")


def verify_site(root: Path, site: Path) -> SiteReport:
    report = SiteReport()
    manifest = read_manifest(site)
    files = manifest["files"]
    _against_manifest(site, files, report)
    _toolchain(manifest["toolchain"], report)
    commit = manifest["commit"]
    if commit is None:
        report.fail("无法重新生成核对：清单中没有提交（commit 为 null），这个网站不是从 git 仓库中的提交生成的。")
        return report
    if manifest["dirty"]:
        report.fail(
            "清单注明生成时考评记录、考评标准或模板有未提交的改动（dirty: true）："
            f"只能重新生成提交 {commit[:12]}，与网站不同的文件可能来自这些改动。"
        )
    day = _build_date(site)
    rebuilt = _rebuild(root, commit, manifest["audience"], day)
    try:
        _compare(site, rebuilt, report, commit, manifest["audience"], day)
    finally:
        shutil.rmtree(rebuilt.parent, ignore_errors=True)
    return report


def read_manifest(site: Path) -> dict[str, Any]:
    path = site / MANIFEST
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        raise UsageError(f"{path} 不存在：请指定 gridscore build 生成的网站文件夹（根目录有 {MANIFEST}）") from None
    if not stat.S_ISREG(mode) or os.lstat(path).st_size > MANIFEST_MAX_BYTES:
        raise UsageError(f"{path} 不是普通文件，或超过 64 MiB：不是 gridscore build 写的文件清单")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UsageError(f"{path} 不是有效的 JSON（{one_line(str(error))}）：文件清单已损坏或被改动") from None
    problem = _manifest_problem(data)
    if problem:
        raise UsageError(f"{path} 不是 gridscore 的文件清单：{problem}")
    return data


def _manifest_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return "应为 JSON 对象"
    for key, kind in (("audience", str), ("dirty", bool), ("files", dict), ("toolchain", dict)):
        if not isinstance(data.get(key), kind):
            return f"缺少 {key} 或类型不对"
    if data["audience"] not in ("public", "internal"):
        return f"audience 应为 public 或 internal，实际为“{one_line(data['audience'])[:40]}”"
    commit = data.get("commit")
    if commit is not None and not (isinstance(commit, str) and re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", commit)):
        return "commit 应为 40 位十六进制的提交号或 null"
    for path, digest in data["files"].items():
        if not _SAFE_PATH.match(path) or not (isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest)):
            return f"files 中的“{one_line(path)[:80]}”不是网站内的相对路径及其 SHA-256"
    return None


def _against_manifest(site: Path, files: dict[str, str], report: SiteReport) -> None:
    changed, missing = [], []
    for path, digest in sorted(files.items()):
        full = site / path
        try:
            mode = os.lstat(full).st_mode
        except (FileNotFoundError, NotADirectoryError):
            missing.append(path)
            continue
        if not stat.S_ISREG(mode) or _through_link(site, path):
            changed.append(path)
        elif sha256_file(full) != digest:
            changed.append(path)
    extra = sorted(set(_listing(site)) - set(files))
    if not (changed or missing or extra):
        report.say(f"第一步 按文件清单核对：{len(files)} 个文件都与 {MANIFEST} 一致。")
        return
    report.differences(
        f"第一步 按文件清单核对：与 {MANIFEST} 不一致", (("改动", changed), ("缺少", missing), ("多出", extra))
    )


def _through_link(site: Path, path: str) -> bool:
    """Whether a folder on the way to ``path`` is a link (the file would be read from elsewhere)."""
    parts = path.split("/")[:-1]
    current = site
    for part in parts:
        current = current / part
        if stat.S_ISLNK(os.lstat(current).st_mode):
            return True
    return False


def _listing(site: Path) -> list[str]:
    """Every entry below ``site`` that is not a folder (links included), but the manifest and the build's marker."""
    found = []
    for folder, dirs, names in os.walk(site):  # does not descend into linked folders
        for name in [*names, *(d for d in dirs if os.path.islink(os.path.join(folder, d)))]:
            relative = os.path.relpath(os.path.join(folder, name), site).replace(os.sep, "/")
            if relative not in UNLISTED:
                found.append(relative)
    return found


def _toolchain(recorded: dict[str, Any], report: SiteReport) -> None:
    here = toolchain()
    different = [
        f"{name} {recorded.get(name, '（清单未记录）')}（网站）≠ {here.get(name, '（本机未安装）')}（本机）"
        for name in sorted(set(recorded) | set(here))
        if str(recorded.get(name)) != here.get(name)
    ]
    if different:
        report.say("工具链与生成网站时不同（重新生成的文件因此可能不同；按仓库的 constraints.txt 安装可消除）：")
        for line in different:
            report.say(f"  {one_line(line)[:200]}")
    else:
        report.say("工具链与生成网站时相同：" + "，".join(f"{k} {v}" for k, v in sorted(here.items())) + "。")


def _build_date(site: Path) -> str:
    page = site / VERIFY_PAGE
    try:
        if not stat.S_ISREG(os.lstat(page).st_mode):
            raise FileNotFoundError
        found = BUILD_DATE.search(page.read_text(encoding="utf-8", errors="replace"))
    except (FileNotFoundError, NotADirectoryError):
        found = None
    if found is None:
        raise UsageError(
            f"{page} 不存在或没有生成日期：无法按原来的日期重新生成（核验页 verify/ 由 gridscore build 生成）"
        )
    return found.group(1)


def _rebuild(root: Path, commit: str, audience: str, day: str) -> Path:
    """Build ``commit`` for ``audience`` as of ``day`` in a temporary worktree; the new site's folder."""
    top = git(root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise UsageError(f"{root} 不在 git 仓库里：重新生成需要考评仓库（git clone 下来的文件夹），或用 --root 指定")
    prefix = git(root, "rev-parse", "--show-prefix").stdout.strip()
    known = git(root, "cat-file", "-e", f"{commit}^{{commit}}")
    if known.returncode != 0:
        raise UsageError(f"仓库里找不到提交 {commit}：请先 git fetch 取得完整历史，或在生成这个网站的仓库里运行")
    work = Path(tempfile.mkdtemp(prefix="gridscore-verify-"))
    source = work / "source"
    added = git(Path(top.stdout.strip()), "worktree", "add", "--detach", "--quiet", str(source), commit)
    if added.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        raise UsageError(f"无法取出提交 {commit[:12]}：{one_line(added.stderr.strip())[:200]}")
    try:
        project = source / prefix
        env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "PYTHONPATH")}
        env.update(GRIDSCORE_TODAY=day, NO_MKDOCS_2_WARNING="1")
        if (source / "generator" / "__init__.py").is_file():  # the commit's own gridscore builds it
            env["PYTHONPATH"] = str(source)
        done = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--audience", audience, "--site-dir", str(work / "site")],
            cwd=project,
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if done.returncode != 0:
            shutil.rmtree(work, ignore_errors=True)
            raise UsageError(f"重新生成提交 {commit[:12]} 失败：\n{done.stderr.strip()}")
    finally:
        git(Path(top.stdout.strip()), "worktree", "remove", "--force", str(source))
        git(Path(top.stdout.strip()), "worktree", "prune")
    return work / "site"


def _compare(site: Path, rebuilt: Path, report: SiteReport, commit: str, audience: str, day: str) -> None:
    theirs = {
        path: sha256_file(site / path)
        for path in _listing(site)
        if stat.S_ISREG(os.lstat(site / path).st_mode) and not _through_link(site, path)
    }
    theirs[MANIFEST] = sha256_file(site / MANIFEST)
    ours = site_files(rebuilt)
    ours[MANIFEST] = sha256_file(rebuilt / MANIFEST)
    changed = sorted(p for p in set(theirs) & set(ours) if theirs[p] != ours[p])
    missing = sorted(set(ours) - set(theirs))
    extra = sorted(set(theirs) - set(ours))
    what = f"提交 {commit[:12]} 的{'公开版' if audience == 'public' else '内部版'}（生成日期 {day}）"
    if not (changed or missing or extra):
        report.say(f"第二步 重新生成{what}并逐个文件比较：{len(ours)} 个文件（含 {MANIFEST}）完全相同。")
        return
    report.differences(
        f"第二步 重新生成{what}并逐个文件比较：不同",
        (("内容不同", changed), ("网站缺少", missing), ("网站多出", extra)),
    )
