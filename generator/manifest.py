"""What produced a site (PRODUCT.md §11): the commit, the rubric editions, the seals and the tools,
and a SHA-256 of every file, written as ``manifest.json`` at the site's root by every build.

``Provenance`` is gathered before the pages are rendered (the 核验 page shows it);
``write_manifest`` hashes the finished site. The manifest is deterministic: sorted keys,
no time of day, paths in POSIX form. ``gridscore verify --site`` (``site_verify``) reads it back.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import stat
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .fsguard import read_regular
from .sitedir import MARKER
from .validate import Dataset
from .yamlio import MAX_BYTES, UNIT_MAX_BYTES

MANIFEST = "manifest.json"
# Not in the manifest: itself, and the build's marker (.gridscore-site), which stays with the build
# folder and is not published (GitHub's Pages artifact leaves hidden files out).
UNLISTED = (MANIFEST, MARKER)
# The distributions whose versions decide the site's bytes (§11), by the names the manifest uses.
TOOLCHAIN = {
    "mkdocs": "mkdocs",
    "mkdocs-material": "mkdocs-material",
    "jieba": "jieba",
    "pydantic": "pydantic",
    "PyYAML": "PyYAML",
}
# What a build reads from the repository: a change here that is not committed makes the site "dirty".
BUILD_INPUTS = ("records", "rubric", "site_templates", "mkdocs.yml")
_GIT_ENV = {"GIT_NO_REPLACE_OBJECTS": "1", "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


@dataclass(frozen=True)
class Provenance:
    """Where a build came from: shown on the 核验 page and written to the manifest."""

    generator: str
    commit: str | None  # HEAD, or None outside git (or before the first commit)
    dirty: bool
    toolchain: dict[str, str]
    rubrics: dict[str, str]  # edition → SHA-256 of its file
    seals: dict[str, str]  # period → SHA-256 of its seal file


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def toolchain() -> dict[str, str]:
    """The versions installed here of what renders the site, and Python's."""
    found = {"python": platform.python_version()}
    for name, distribution in TOOLCHAIN.items():
        try:
            found[name] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            found[name] = "未安装"
    return found


def generator_version() -> str:
    try:
        return metadata.version("gridscore")
    except metadata.PackageNotFoundError:
        return "unknown"


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run git in ``root`` with no prompt, no replace objects and no repository hooks or fsmonitor."""
    try:
        return subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", *args],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, **_GIT_ENV},
        )
    except FileNotFoundError:
        return subprocess.CompletedProcess(["git", *args], 127, "", "git: command not found")


def repository_state(root: Path) -> tuple[str | None, bool]:
    """HEAD's commit id (None outside git) and whether the build's inputs differ from it."""
    head = git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    if head.returncode != 0:
        return None, False
    status = git(root, "status", "--porcelain", "--untracked-files=all", "--", *BUILD_INPUTS)
    return head.stdout.strip(), status.returncode != 0 or bool(status.stdout.strip())


def provenance(root: Path, dataset: Dataset) -> Provenance:
    commit, dirty = repository_state(root)
    rubrics = {entry.rubric.version: _repository_digest(root, entry.doc.path, MAX_BYTES) for entry in dataset.rubrics}
    seals = {period: _repository_digest(root, f.doc.path, UNIT_MAX_BYTES) for period, f in dataset.seals.items()}
    return Provenance(
        generator_version(), commit, dirty, toolchain(), dict(sorted(rubrics.items())), dict(sorted(seals.items()))
    )


def _repository_digest(root: Path, relative: str, limit: int) -> str:
    """SHA-256 of a repository file, read as every repository file is: a regular file, never through a link."""
    return hashlib.sha256(read_regular(root / relative, limit)).hexdigest()


def site_files(site: Path) -> dict[str, str]:
    """Every regular file below ``site`` but the manifest and the build's marker, by POSIX path, with its SHA-256."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, site).replace(os.sep, "/")
            if relative in UNLISTED or not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            found[relative] = sha256_file(path)
    return dict(sorted(found.items()))


def manifest_data(origin: Provenance, audience: str, files: dict[str, str]) -> dict[str, Any]:
    return {
        "generator": origin.generator,
        "audience": audience,
        "commit": origin.commit,
        "dirty": origin.dirty,
        "toolchain": origin.toolchain,
        "rubrics": origin.rubrics,
        "seals": origin.seals,
        "files": files,
    }


def manifest_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def write_manifest(site: Path, origin: Provenance, audience: str) -> None:
    """Write ``manifest.json`` for the finished site in ``site`` (the build's staging folder)."""
    (site / MANIFEST).write_text(manifest_text(manifest_data(origin, audience, site_files(site))), encoding="utf-8")
