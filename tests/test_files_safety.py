"""§9 "Files" and "Writes": what gridscore reads is a regular file inside the repository, and it
writes only inside the site folder it was asked for, staged, swapped atomically, cleaned up.

Reading: symlinks (wherever they point), FIFOs, devices and folders where a file belongs are
errors naming the path, never opened; sizes are checked before reading; a file under records/
that looks like data but is not ``*.yaml`` is an error. Hidden files (``.gitkeep``) and ``.md``
notes are passed over.

Writing: a victim folder beside the site (or behind a symlink named like it) is never touched.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import UnsafePath, write_docs
from generator.sitedir import MARKER, MARKER_TEXT, OWNER
from generator.yamlio import MAX_DEPTH, TOO_DEEP, YamlProblem, _may_nest_too_deep, parse_document

from .conftest import PROJECT, Repo, Run
from .test_bad_input import NOTICE, seal_march

R = "records/2026/03/c1/w1.yaml"
SUMMARY = "发现 {} 个问题，请逐条修改后重新运行 gridscore check。"


def symlink(target: object) -> str:
    return (
        f"这是一个符号链接（指向 {target}）：为了安全，gridscore 不跟随符号链接，请删除它，换成真正的文件（或文件夹）"
    )


FOLDER = "这里应是一个文件，却是一个文件夹：请删除或改名这个文件夹"
FIFO = "这是一个命名管道（FIFO），不是普通文件：gridscore 不读取它，请删除"
DEVICE = "这是一个设备文件，不是普通文件：gridscore 不读取它，请删除"


def too_big(size: int, mib: int) -> str:
    return (
        f"文件大小为 {size:,} 字节，超过了单个文件 {mib} MiB（{mib * 1024 * 1024:,} 字节）的上限，请检查是否放错了文件"
    )


def problems(run: Run, *expected: str) -> None:
    """Exit 1, exactly these lines, then the summary."""
    assert run.code == 1, run.err
    assert run.lines == [*expected, SUMMARY.format(len(expected))], run.err


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder`` (never followed): file bytes, symlink targets, folders."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():
                found[relative] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[relative] = "dir"
            else:
                found[relative] = path.read_bytes()
    return found


def subprocess_env() -> dict[str, str]:
    """The test's environment, with this checkout of gridscore importable in the child."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT), env.get("PYTHONPATH")]))
    return env


def gridscore(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=subprocess_env(),
        check=False,
    )


# --- reading: special files ---------------------------------------------------------------------------


def test_a_record_symlinked_to_dev_zero_is_refused_without_reading(repo: Repo) -> None:
    repo.record("w2", "2026-03")
    (repo.root / R).parent.mkdir(parents=True, exist_ok=True)
    (repo.root / R).symlink_to("/dev/zero")
    problems(repo.run("check"), f"{R}:1: {symlink('/dev/zero')}")


def test_a_symlink_is_refused_even_to_a_good_record_inside_the_repository(repo: Repo) -> None:
    repo.record("w2", "2026-03")
    (repo.root / R).symlink_to(repo.root / "records/2026/03/c1/w2.yaml")
    problems(repo.run("check"), f"{R}:1: {symlink(repo.root / 'records/2026/03/c1/w2.yaml')}")


def test_a_fifo_is_refused_and_does_not_hang(repo: Repo) -> None:
    repo.record("w2", "2026-03")
    os.mkfifo(repo.root / R)
    done = gridscore("check", "--root", str(repo.root), timeout=60)  # a FIFO opened for reading waits forever
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f"{R}:1: {FIFO}", SUMMARY.format(1)]


def test_a_folder_in_place_of_a_record_is_refused(repo: Repo) -> None:
    repo.record("w2", "2026-03")
    (repo.root / R).mkdir(parents=True)
    (repo.root / R / "inside.yaml").write_text("worker: w1\n", encoding="utf-8")  # never read
    problems(repo.run("check"), f"{R}:1: {FOLDER}")


def test_a_folder_named_like_a_rubric_is_an_error_not_a_crash(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    (repo.root / "rubric/2027.yaml").mkdir()
    problems(repo.run("check"), f"rubric/2027.yaml:1: {FOLDER}")


def test_a_symlinked_folder_is_not_walked(repo: Repo, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "c1").mkdir(parents=True)
    (elsewhere / "c1/w1.yaml").write_text(repo.root.joinpath(repo.record("w1", "2026-03")).read_text("utf-8"))
    shutil.rmtree(repo.root / "records/2026/03")
    (repo.root / "records/2026/03").symlink_to(elsewhere)
    repo.record("w1", "2026-04")
    problems(repo.run("check"), f"records/2026/03:1: {symlink(elsewhere)}")


@pytest.mark.parametrize("folder", ["records", "rubric"])
def test_a_symlinked_records_or_rubric_folder_is_refused(repo: Repo, tmp_path: Path, folder: str) -> None:
    repo.record("w1", "2026-03")
    moved = tmp_path / f"moved-{folder}"
    (repo.root / folder).rename(moved)
    (repo.root / folder).symlink_to(moved)
    run = repo.run("check")
    assert run.code == 1
    assert f"{folder}: {symlink(moved)}" in run.lines


def test_a_symlinked_notice_outside_the_repository_is_refused_and_not_published(repo: Repo, tmp_path: Path) -> None:
    repo.record("w1", "2026-03")
    seal_march(repo)
    secret = "仓库外的文字不应发布"
    outside = tmp_path / "outside.yaml"
    outside.write_text(NOTICE.replace("希望全体网格员向受表扬的同志学习。", secret), encoding="utf-8")
    notice = "records/notices/2026-04-08-commendation.yaml"
    (repo.root / notice).parent.mkdir(parents=True)
    (repo.root / notice).symlink_to(outside)
    problems(repo.run("check"), f"{notice}:1: {symlink(outside)}")
    site = tmp_path / "out"
    built = repo.run("build", "--site-dir", str(site))
    assert built.code == 1 and built.lines[0] == f"{notice}:1: {symlink(outside)}"
    assert not site.exists()


def test_sizes_are_checked_before_reading(repo: Repo) -> None:
    repo.record("w2", "2026-03")
    with open(repo.root / R, "wb") as handle:
        handle.truncate(3 * 1024**3)  # sparse: reading it would take 3 GiB
    organization = repo.root / "records/organization.yaml"
    with open(organization, "ab") as handle:
        handle.truncate(65 * 1024**2)
    seal = repo.write("records/seals/2026-02.yaml", "")
    with open(seal, "wb") as handle:
        handle.truncate(64 * 1024**2 + 1)
    started = time.perf_counter()
    run = repo.run("check")
    assert run.code == 1
    assert run.lines[:3] == [
        f"{R}:1: {too_big(3 * 1024**3, 1)}",
        f"records/organization.yaml:1: {too_big(65 * 1024**2, 64)}",
        f"records/seals/2026-02.yaml:1: {too_big(64 * 1024**2 + 1, 64)}",
    ]
    assert time.perf_counter() - started < 30


def test_nesting_a_hundred_thousand_levels_deep_is_an_error_at_its_line(repo: Repo) -> None:
    # libyaml's composer recurses in C: this crashed the process (SIGSEGV) before the depth limit.
    depth = 100_000
    repo.record("w1", "2026-03", extra=f"notes: {'[' * depth}{']' * depth}\n")
    done = gridscore("check", "--root", str(repo.root))
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [f"{R}:14: YAML 格式错误：嵌套层级过深，无法读取", SUMMARY.format(1)]


def nested(depth: int, leaf: str, kinds: list[str]) -> object:
    value: object = leaf
    for kind in kinds[:depth]:
        value = {"k": value} if kind == "map" else [value]
    return value


def depth_of(text: str) -> int:
    deepest = depth = 0
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.ScalarEvent):
            deepest = max(deepest, depth + 1)
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


@settings(max_examples=300, deadline=None)
@given(
    depth=st.integers(0, 45),
    kinds=st.lists(st.sampled_from(["map", "seq"]), min_size=45, max_size=45),
    flow=st.sampled_from([False, True, None]),
    indent=st.integers(2, 4),
)
def test_the_cheap_depth_bound_never_lets_a_deep_text_pass(
    depth: int, kinds: list[str], flow: bool | None, indent: int
) -> None:
    """Texts ``_may_nest_too_deep`` waves through are composed without counting: they must be shallow."""
    text = "worker: w1\nnotes:\n  " + yaml.safe_dump(
        nested(depth, "x", kinds), default_flow_style=flow, indent=indent, width=60
    ).replace("\n", "\n  ")
    text = text.rstrip(" ")
    deep = depth_of(text) > MAX_DEPTH
    if deep:
        assert _may_nest_too_deep(text)
    try:
        parse_document(text.encode("utf-8"), "x.yaml")
    except YamlProblem as problem:
        assert deep and problem.message == TOO_DEEP
    else:
        assert not deep


# --- reading: what is not *.yaml ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("w1.yml", "请使用 .yaml 扩展名（不是 .yml）"),
        ("w1.YAML", "扩展名须为小写的 .yaml，否则 gridscore 不读取这个文件：请改名为“w1.yaml”"),
        ("w1.Yaml", "扩展名须为小写的 .yaml，否则 gridscore 不读取这个文件：请改名为“w1.yaml”"),
        *(
            (
                name,
                "文件名须以 .yaml 结尾，否则 gridscore 不读取这个文件（其中的内容不会计入）："
                "如果是数据，请改名为“w1.yaml”；如果是备份或副本，请删除",
            )
            for name in ("w1.yaml.txt", "w1.yaml~", "w1.yaml.bak", "w1.yml.orig")
        ),
        *(
            (
                name,
                "records/ 里只能放 .yaml 数据文件，表格不会被读取：请用 gridscore import 把它转换为 .yaml 记录，"
                "再把表格移出 records/",
            )
            for name in ("考评表.xlsx", "w1.csv", "w1.et")
        ),
        *(
            (
                name,
                "records/ 里只能放 .yaml 数据文件（说明文字可写在 .md 文件里），gridscore 不读取这个文件："
                "如果是考评数据，请改写为 .yaml 文件；否则请移出 records/",
            )
            for name in ("w1.json", "w1.txt", "w1")
        ),
    ],
)
def test_a_data_file_that_is_not_yaml_is_an_error_not_skipped(repo: Repo, name: str, message: str) -> None:
    repo.record("w2", "2026-03")
    text = (repo.root / repo.record("w1", "2026-03")).read_bytes()
    (repo.root / R).rename(repo.root / "records/2026/03/c1" / name)
    assert (repo.root / "records/2026/03/c1" / name).read_bytes() == text
    problems(repo.run("check"), f"records/2026/03/c1/{name}:1: {message}")


def test_hidden_files_and_notes_in_markdown_are_passed_over(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    for name in ("records/.gitkeep", "records/2026/03/c1/.DS_Store", "records/README.md", "rubric/README.md"):
        repo.write(name, "不是数据\n")
    (repo.root / "records/2026/03/c1/.w1.yaml.swp").symlink_to("/dev/zero")  # hidden: never opened
    run = repo.run("check")
    assert run.code == 0, run.err


def test_a_rubric_named_almost_yaml_is_an_error(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    shutil.copy(repo.root / "rubric/2026.yaml", repo.root / "rubric/2027.yml")
    problems(repo.run("check"), "rubric/2027.yml:1: 请使用 .yaml 扩展名（不是 .yml）")


# --- reading: what the build reads besides the data -----------------------------------------------------


@pytest.fixture
def project(repo: Repo) -> Repo:
    """A repository with its own mkdocs.yml and site_templates/."""
    shutil.copy(PROJECT / "mkdocs.yml", repo.root / "mkdocs.yml")
    shutil.copytree(PROJECT / "site_templates", repo.root / "site_templates")
    repo.record("w1", "2026-03")
    return repo


def test_a_symlink_in_site_templates_is_refused_by_check_and_build(project: Repo, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("不应发布\n", encoding="utf-8")
    (project.root / "site_templates/assets/logo.txt").symlink_to(secret)
    line = f"site_templates/assets/logo.txt:1: {symlink(secret)}"
    problems(project.run("check"), line)
    built = project.run("build", "--site-dir", str(tmp_path / "out"))
    assert built.code == 1 and built.lines[0] == line
    assert not (tmp_path / "out").exists()


def test_special_files_in_site_templates_and_mkdocs_yml_are_refused(project: Repo, tmp_path: Path) -> None:
    os.mkfifo(project.root / "site_templates/overrides/partial.html")
    (project.root / "site_templates/.hidden").symlink_to("/etc/hostname")  # hidden, but MkDocs would copy it
    config = tmp_path / "mkdocs.yml"
    (project.root / "mkdocs.yml").rename(config)
    (project.root / "mkdocs.yml").symlink_to(config)
    problems(
        project.run("check"),
        f"mkdocs.yml:1: {symlink(config)}",
        f"site_templates/.hidden:1: {symlink('/etc/hostname')}",
        f"site_templates/overrides/partial.html:1: {FIFO}",
    )


def test_a_symlinked_cache_folder_is_neither_read_nor_written(repo: Repo, tmp_path: Path) -> None:
    repo.record("w1", "2026-03")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "files-0000000000000000.pickle").write_bytes(b"not ours")
    (victim / ".gitignore").write_text("mine\n", encoding="utf-8")
    before = snapshot(victim)
    (repo.root / ".gridscore-cache").symlink_to(victim)
    for _ in range(2):
        assert repo.run("check").code == 0
    assert snapshot(victim) == before


def test_a_cache_shard_symlinked_to_dev_zero_is_not_read(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    assert repo.run("check").code == 0
    shards = sorted((repo.root / ".gridscore-cache").glob("files-*.pickle"))
    shards[0].unlink()
    shards[0].symlink_to("/dev/zero")
    assert repo.run("check").code == 0
    assert not shards[0].is_symlink()  # dropped as stale, and written again
    assert repo.run("check").code == 0


# --- writing: the site folder --------------------------------------------------------------------------


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    folder = tmp_path / "victim"
    (folder / "sub").mkdir(parents=True)
    (folder / "important.txt").write_text("不可删除\n", encoding="utf-8")
    (folder / "sub/data.bin").write_bytes(bytes(range(256)))
    return folder


def test_a_site_folder_that_is_a_symlink_is_refused_and_its_target_untouched(repo: Repo, victim: Path) -> None:
    repo.record("w1", "2026-03")
    before = snapshot(victim)
    (repo.root / "_site").symlink_to(victim)
    run = repo.run("build", "--site-dir", str(repo.root / "_site"))
    assert run.code == 1
    assert run.lines == [
        f"错误：站点文件夹 {repo.root / '_site'} 是一个符号链接：构建会替换站点文件夹的全部内容，"
        "为免删除它指向的文件，gridscore 不写入符号链接。请删除这个链接，或用 --site-dir 另选一个文件夹"
    ]
    assert snapshot(victim) == before
    assert sorted(p.name for p in repo.root.iterdir()) == [
        "_site",
        "records",
        "rubric",
    ]  # refused before anything is read


def test_a_symlinked_folder_on_the_way_to_the_site_is_refused(repo: Repo, victim: Path) -> None:
    repo.record("w1", "2026-03")
    (repo.root / "out").symlink_to(victim)
    run = repo.run("build", "--site-dir", str(repo.root / "out/site"))
    assert run.code == 1
    assert run.lines == [
        f"错误：站点文件夹 {repo.root / 'out/site'} 的上级文件夹 out 是仓库里的一个符号链接："
        "gridscore 不经由符号链接写入。请删除这个链接，或用 --site-dir 另选一个文件夹"
    ]
    assert not (victim / "site").exists()


@pytest.mark.parametrize(
    ("site_dir", "name"),
    [("records", "records"), ("records/2026", "records"), ("rubric", "rubric"), (".git/site", ".git")],
)
def test_a_site_folder_inside_the_sources_is_refused(repo: Repo, site_dir: str, name: str) -> None:
    repo.record("w1", "2026-03")
    (repo.root / ".git").mkdir()
    (repo.root / ".git/HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    before = {top: snapshot(repo.root / top) for top in ("records", "rubric", ".git")}
    run = repo.run("build", "--site-dir", str(repo.root / site_dir))
    assert run.code == 1
    assert run.lines == [
        f"错误：站点文件夹 {repo.root / site_dir} 是仓库的 {name}/ 或在其中：构建会替换站点文件夹的全部内容。"
        "请用 --site-dir 指定 records/、rubric/、site_templates/ 和 .git 以外的文件夹，例如 _site"
    ]
    assert {top: snapshot(repo.root / top) for top in before} == before
    assert sorted(p.name for p in repo.root.iterdir()) == [".git", "records", "rubric"]


@pytest.mark.parametrize("site_dir", [".", "..", "/"])
def test_the_repository_or_an_ancestor_is_refused_as_site_folder(repo: Repo, site_dir: str) -> None:
    repo.record("w1", "2026-03")
    before = snapshot(repo.root.parent)
    run = repo.run("build", "--site-dir", str(repo.root / site_dir))
    assert run.code == 1
    assert run.lines == [
        f"错误：站点文件夹 {repo.root / site_dir} 是考评仓库的根目录或它的上级文件夹：构建会替换站点文件夹的全部内容。"
        "请用 --site-dir 指定一个单独的文件夹，例如 _site"
    ]
    after = snapshot(repo.root.parent)
    assert {k: v for k, v in after.items() if ".gridscore-cache" not in k} == {
        k: v for k, v in before.items() if ".gridscore-cache" not in k
    }


def test_a_folder_gridscore_did_not_make_is_not_replaced(repo: Repo, victim: Path) -> None:
    repo.record("w1", "2026-03")
    before = snapshot(victim)
    run = repo.run("build", "--site-dir", str(victim))
    assert run.code == 1
    assert run.lines == [
        f"错误：站点文件夹 {victim} 已有内容，但不是 gridscore 生成的（缺少标记文件 .gridscore-site）："
        "构建会替换整个文件夹，为免误删，gridscore 不替换它。请用 --site-dir 另选一个空文件夹，"
        "或确认其中的内容可以删除后，手动删除这个文件夹再构建"
    ]
    assert snapshot(victim) == before


def test_a_file_in_place_of_the_site_folder_is_not_replaced(repo: Repo, tmp_path: Path) -> None:
    repo.record("w1", "2026-03")
    target = tmp_path / "site"
    target.write_text("a file\n", encoding="utf-8")
    run = repo.run("build", "--site-dir", str(target))
    assert run.code == 1
    assert run.lines == [f"错误：站点文件夹 {target} 已存在，但不是文件夹：请删除它，或用 --site-dir 另选一个文件夹"]
    assert target.read_text(encoding="utf-8") == "a file\n"


def test_a_build_replaces_only_its_own_site_and_touches_nothing_beside_it(repo: Repo, tmp_path: Path) -> None:
    repo.record("w1", "2026-03")
    out = tmp_path / "out"
    (out / "victim").mkdir(parents=True)
    (out / "victim/important.txt").write_text("不可删除\n", encoding="utf-8")
    (out / "keep.txt").write_text("旁边的文件\n", encoding="utf-8")
    (out / "site").mkdir()  # an empty folder may be used
    before = snapshot(out)
    for _ in range(2):  # the second build replaces the first one's site, found by its marker
        run = repo.run("build", "--site-dir", str(out / "site"))
        assert run.code == 0, run.err
        (out / "site/stale.html").write_text("left by hand", encoding="utf-8")
    after = snapshot(out)
    assert {k: v for k, v in after.items() if not k.startswith("site")} == {
        k: v for k, v in before.items() if not k.startswith("site")
    }
    assert (out / "site" / MARKER).read_text(encoding="utf-8") == MARKER_TEXT
    assert (out / "site/index.html").is_file()
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt", "site", "victim"]  # no staging left


def test_no_path_written_into_the_docs_folder_leaves_it(tmp_path: Path) -> None:
    docs = tmp_path / "build/docs"
    for relative in ("rubric/../../../outside.md", "/tmp/outside.md", "a//b.md", "./a.md", ""):
        with pytest.raises(UnsafePath, match="不在站点文件夹内"):
            write_docs(docs, {"index.md": b"ok", relative: b"escaped"})
        written = [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()]
        assert all(path.startswith("build/docs/") for path in written), written
    assert not Path("/tmp/outside.md").exists()


def test_a_rubric_version_that_climbs_out_writes_nothing_outside(repo: Repo, tmp_path: Path) -> None:
    escape = f"gs-outside-{uuid.uuid4().hex}"
    rubric = repo.root / "rubric/2026.yaml"
    rubric.write_text(
        rubric.read_text(encoding="utf-8").replace('version: "2026"', f'version: "{"../" * 40}tmp/{escape}"'),
        encoding="utf-8",
    )
    repo.record("w1", "2026-03")
    run = repo.run("build", "--site-dir", str(tmp_path / "out"))
    assert run.code == 1  # refused by the identifier rule (the writer's own guard is tested above)
    assert run.lines[0].startswith("rubric/2026.yaml:5: “version”只能包含英文字母、数字、-、_ 和 .")
    assert not Path(f"/tmp/{escape}.md").exists()
    assert not any(tmp_path.rglob(f"{escape}*"))
    assert not (tmp_path / "out").exists()


# --- writing: concurrent and killed builds ------------------------------------------------------------


def staging_folders(parent: Path) -> list[Path]:
    return sorted(p for p in parent.iterdir() if p.name.startswith(".site-"))


def test_concurrent_builds_into_one_site_all_succeed(repo: Repo, tmp_path: Path) -> None:
    repo.record("w1", "2026-03")
    out = tmp_path / "out"
    reference = repo.run("build", "--site-dir", str(tmp_path / "reference"))
    assert reference.code == 0, reference.err
    command = [sys.executable, "-m", "generator", "build", "--root", str(repo.root), "--site-dir", str(out / "site")]
    builds = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())
        for _ in range(4)
    ]
    for build in builds:
        _, err = build.communicate(timeout=300)
        assert build.returncode == 0, err
    assert sorted(snapshot(out / "site")) == sorted(snapshot(tmp_path / "reference"))
    assert (out / "site" / MARKER).is_file() and (out / "site/index.html").is_file()
    assert [p.name for p in out.iterdir()] == ["site"]
    assert not (repo.root / ".docs_build").exists()


def start_build(repo: Repo, site: Path) -> tuple[subprocess.Popen[str], Path]:
    """A build in a child process, once it has made its staging folder."""
    command = [sys.executable, "-m", "generator", "build", "--root", str(repo.root), "--site-dir", str(site)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=subprocess_env())
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        found = [p for p in staging_folders(site.parent) if (p / OWNER).exists()]
        if found:
            return child, found[0]
        time.sleep(0.02)
    child.kill()
    raise AssertionError(f"the build made no staging folder: {child.communicate()}")


def test_a_killed_build_leaves_nothing_after_the_next_build(repo: Repo, tmp_path: Path) -> None:
    repo.record("w1", "2026-03")
    site = tmp_path / "out/site"
    site.parent.mkdir()
    child, staging = start_build(repo, site)
    child.kill()  # SIGKILL: no cleanup can run
    child.communicate()
    assert staging.is_dir()  # left behind...
    run = repo.run("build", "--site-dir", str(site))
    assert run.code == 0, run.err
    assert staging_folders(site.parent) == []  # ...and removed by the next build
    assert (site / "index.html").is_file()


def test_sigterm_removes_the_staging_folder_and_keeps_the_old_site(repo: Repo, tmp_path: Path) -> None:
    repo.record("w1", "2026-03")
    site = tmp_path / "out/site"
    assert repo.run("build", "--site-dir", str(site)).code == 0
    before = snapshot(site)
    child, _ = start_build(repo, site)
    child.send_signal(signal.SIGTERM)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130 and err.splitlines()[-1] == "已取消。", err
    assert staging_folders(site.parent) == []
    assert snapshot(site) == before
