"""Anyone can verify the published site (PRODUCT.md §11): manifest.json, the 核验 page and ``verify --site``.

The repositories here are real git repositories (records, rubric, templates, mkdocs.yml of the
sample), built and verified through the real command line.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from generator.manifest import toolchain
from tests.conftest import PROJECT, Run, run_cli

MANIFEST_KEYS = {"generator", "audience", "commit", "dirty", "toolchain", "rubrics", "seals", "files"}
TOOLS = {"python", "mkdocs", "mkdocs-material", "jieba", "pydantic", "PyYAML"}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=test@example.gov.cn", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def copy_sample(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("records", "rubric", "site_templates"):
        shutil.copytree(PROJECT / name, root / name)
    shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def committed_sample(root: Path) -> Path:
    copy_sample(root)
    (root / ".gitignore").write_text("site/\nsite-internal/\n.gridscore-cache/\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "样例")
    return root


def build(root: Path, site: Path, audience: str = "public") -> Path:
    run = run_cli("build", "--root", str(root), "--audience", audience, "--site-dir", str(site))
    assert run.code == 0, run.err
    return site


def manifest(site: Path) -> dict[str, Any]:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))


def verify(root: Path, site: Path) -> Run:
    return run_cli("verify", "--site", str(site), "--root", str(root))


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return committed_sample(tmp_path_factory.mktemp("verify") / "repo")


@pytest.fixture(scope="module")
def built(repo: Path) -> Path:
    return build(repo, repo.parent / "site")


@pytest.fixture
def site(built: Path, tmp_path: Path) -> Path:
    """A copy of the fresh build, to tamper with."""
    return Path(shutil.copytree(built, tmp_path / "site", symlinks=True))


# --- the manifest ------------------------------------------------------------------------------------


def test_the_manifest_lists_what_produced_the_site(repo: Path, built: Path) -> None:
    data = manifest(built)
    assert set(data) == MANIFEST_KEYS
    assert data["audience"] == "public" and data["dirty"] is False
    assert data["commit"] == git(repo, "rev-parse", "HEAD")
    assert set(data["toolchain"]) == TOOLS and data["toolchain"] == toolchain()
    assert data["rubrics"] == {
        p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((repo / "rubric").glob("*.yaml"))
    }
    assert data["seals"] == {
        p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((repo / "records/seals").glob("*.yaml"))
    }
    text = (built / "manifest.json").read_text(encoding="utf-8")
    assert text == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"  # sorted keys


def test_the_manifest_hashes_every_other_file(built: Path) -> None:
    files = manifest(built)["files"]
    on_disk = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    # all but the build's marker, which Pages does not publish (its artifact leaves hidden files out)
    assert sorted([*files, "manifest.json", ".gridscore-site"]) == on_disk
    for path, digest in files.items():
        assert hashlib.sha256((built / path).read_bytes()).hexdigest() == digest, path
    assert "verify/index.html" in files and "index.html" in files


def test_two_builds_write_the_same_manifest(repo: Path, built: Path, tmp_path: Path) -> None:
    again = build(repo, tmp_path / "again")
    assert (again / "manifest.json").read_bytes() == (built / "manifest.json").read_bytes()


def test_a_build_from_a_dirty_tree_says_so(tmp_path: Path) -> None:
    root = committed_sample(tmp_path / "repo")
    record = next((root / "records/2026/10").rglob("*.yaml"))
    record.write_text(record.read_text(encoding="utf-8").replace("\n", "\n# 未提交的改动\n", 1), encoding="utf-8")
    site = build(root, tmp_path / "site")
    assert manifest(site)["dirty"] is True
    assert "生成时有未提交的改动" in (site / "verify/index.html").read_text(encoding="utf-8")
    run = verify(root, site)
    assert run.code == 1 and "dirty: true" in run.err


def test_outside_git_the_commit_is_null_and_verify_says_it_cannot_rebuild(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    site = build(root, tmp_path / "site")
    assert manifest(site)["commit"] is None and manifest(site)["dirty"] is False
    run = verify(root, site)
    assert run.code == 1
    assert "第一步 按文件清单核对" in run.err and "commit 为 null" in run.err


def test_the_verify_page_shows_the_commit_date_toolchain_seals_and_commands(repo: Path, built: Path) -> None:
    page = (built / "verify/index.html").read_text(encoding="utf-8")
    data = manifest(built)
    assert data["commit"] in page
    assert '<time class="gs-build-date" datetime="' in page
    for name, version in data["toolchain"].items():
        assert f"<td>{name}</td><td><code>{version}</code></td>" in page
    for digest in data["seals"].values():
        assert digest in page
    for command in (
        f"git checkout {data['commit']}",
        "python -m pip install -c constraints.txt -e .",
        "gridscore verify --site",
    ):
        assert command in page


def test_the_internal_build_has_its_verify_page_and_manifest(repo: Path, tmp_path: Path) -> None:
    site = build(repo, tmp_path / "internal", "internal")
    assert manifest(site)["audience"] == "internal"
    assert "内部版" in (site / "verify/index.html").read_text(encoding="utf-8")
    run = verify(repo, site)
    assert run.code == 0, run.err


# --- verify --site -------------------------------------------------------------------------------------


def test_a_fresh_build_verifies(repo: Path, built: Path) -> None:
    run = verify(repo, built)
    assert run.code == 0, run.err
    files = len(manifest(built)["files"])
    assert f"第一步 按文件清单核对：{files} 个文件都与 manifest.json 一致。" in run.out
    assert "完全相同" in run.out and "核验通过" in run.out


def test_a_site_as_pages_publishes_it_verifies(repo: Path, site: Path) -> None:
    """Without the hidden marker file, which upload-pages-artifact leaves out."""
    (site / ".gridscore-site").unlink()
    run = verify(repo, site)
    assert run.code == 0, run.err


def test_one_changed_byte_is_named(repo: Path, site: Path) -> None:
    page = site / "rankings/2026-03/index.html"
    data = bytearray(page.read_bytes())
    at = data.index("东风".encode())
    data[at + 2] ^= 0x01  # one byte of one character
    page.write_bytes(bytes(data))
    run = verify(repo, site)
    assert run.code == 1
    assert "  改动：rankings/2026-03/index.html" in run.err
    assert "  内容不同：rankings/2026-03/index.html" in run.err
    assert run.err.count("rankings/2026-03/index.html") == 2 and "核验未通过" in run.err


def test_an_added_and_a_removed_file_are_named(repo: Path, site: Path) -> None:
    (site / "notices/extra.html").write_text("<p>后加的页面</p>", encoding="utf-8")
    (site / "robots.txt").unlink()
    run = verify(repo, site)
    assert run.code == 1
    assert "  多出：notices/extra.html" in run.err and "  缺少：robots.txt" in run.err
    assert "  网站多出：notices/extra.html" in run.err and "  网站缺少：robots.txt" in run.err


def test_a_manifest_edited_to_match_is_caught_by_the_rebuild(repo: Path, site: Path) -> None:
    page = site / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</body>", "<p>手工加的</p></body>"), encoding="utf-8")
    data = manifest(site)
    data["files"]["index.html"] = hashlib.sha256(page.read_bytes()).hexdigest()
    (site / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n", "utf-8")
    run = verify(repo, site)
    assert run.code == 1
    assert "第一步 按文件清单核对：" in run.err and "个文件都与 manifest.json 一致" in run.err
    assert "  内容不同：index.html" in run.err and "  内容不同：manifest.json" in run.err


def test_a_toolchain_difference_is_named(repo: Path, site: Path) -> None:
    data = manifest(site)
    data["toolchain"]["mkdocs-material"] = "9.0.0"
    (site / "manifest.json").write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n", "utf-8")
    run = verify(repo, site)
    assert run.code == 1
    assert f"mkdocs-material 9.0.0（网站）≠ {toolchain()['mkdocs-material']}（本机）" in run.err


def test_a_site_from_an_older_commit_rebuilds_that_commit(tmp_path: Path) -> None:
    root = committed_sample(tmp_path / "repo")
    old = build(root, tmp_path / "old")
    first = git(root, "rev-parse", "HEAD")
    organization = root / "records/organization.yaml"
    organization.write_text(organization.read_text(encoding="utf-8").replace("张伟", "张维", 1), encoding="utf-8")
    git(root, "commit", "-q", "-am", "改名")
    assert manifest(old)["commit"] == first != git(root, "rev-parse", "HEAD")
    run = verify(root, old)
    assert run.code == 0, run.err
    assert f"重新生成提交 {first[:12]}" in run.out
    new = build(root, tmp_path / "new")
    assert (new / "index.html").read_bytes() != (old / "index.html").read_bytes() or any(
        (new / p).read_bytes() != (old / p).read_bytes() for p in manifest(old)["files"] if (new / p).exists()
    )
    assert git(root, "worktree", "list").count("\n") == 0  # the temporary worktree is gone


def test_a_commit_the_repository_lacks_is_a_clear_error(repo: Path, site: Path) -> None:
    data = manifest(site)
    data["commit"] = "0" * 40
    (site / "manifest.json").write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
    run = verify(repo, site)
    assert run.code != 0 and "仓库里找不到提交 0000000000000000000000000000000000000000" in run.err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "manifest.json 不存在"),
        ("{", "不是有效的 JSON"),
        ('{"audience": "public"}', "缺少 dirty 或类型不对"),
        ('{"audience": "x", "dirty": false, "files": {}, "toolchain": {}}', "audience 应为 public 或 internal"),
        (
            '{"audience": "public", "dirty": false, "files": {"../../etc/passwd": "'
            + "0" * 64
            + '"}, "toolchain": {}}',
            "不是网站内的相对路径",
        ),
        (
            '{"audience": "public", "dirty": false, "files": {"/etc/passwd": "' + "0" * 64 + '"}, "toolchain": {}}',
            "不是网站内的相对路径",
        ),
        ('{"audience": "public", "dirty": false, "commit": "HEAD", "files": {}, "toolchain": {}}', "commit 应为"),
    ],
)
def test_a_bad_manifest_is_refused_clearly(repo: Path, tmp_path: Path, text: str | None, message: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    if text is not None:
        (site / "manifest.json").write_text(text, encoding="utf-8")
    run = verify(repo, site)
    assert run.code != 0 and message in run.err, run.err
    assert "Traceback" not in run.err


def test_a_file_replaced_by_a_link_is_not_followed(repo: Path, site: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("外面的文件", encoding="utf-8")
    (site / "robots.txt").unlink()
    (site / "robots.txt").symlink_to(outside)
    run = verify(repo, site)
    assert run.code == 1 and "  改动：robots.txt" in run.err


def test_verify_site_takes_no_revision(repo: Path, built: Path) -> None:
    run = run_cli("verify", "HEAD", "--site", str(built), "--root", str(repo))
    assert run.code != 0 and "不能同时指定版本" in run.err
