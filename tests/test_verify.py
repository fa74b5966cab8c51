"""Seals are append-only (§6): ``gridscore verify [REV]`` along the git history, and ``diff`` between two trees.

Issue 12, case 3: a seal deleted with a record change, or deleted and sealed again, must not pass.
The histories are real git repositories; the seal files are written by hand in the v2 format
of the design (the rules compare parsed YAML, not the seal model).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from generator.seal_history import Unreadable, compare, tree_problems

from .conftest import Repo, run_cli
from .test_ci_templates import GITLAB, PAGES, REVIEW, gitlab_jobs, invocations, load, steps, uses

HINT = "封存文件只能追加更正，不能删除或改写"
DIGEST_1 = "1" * 64
DIGEST_2 = "2" * 64

W1 = (
    '{worker: w1, record: "' + DIGEST_1 + '", total: "100.00", grade: "优秀", rank: 1, community_rank: 1,'
    ' bonus: "0.00", deductions: "0.00", vetoed: false, items: {publicity: "18.00"}}'
)
W2 = (
    '{worker: w2, record: "' + DIGEST_2 + '", total: "98.00", grade: "优秀", rank: 2, community_rank: 2,'
    ' bonus: "0.00", deductions: "0.00", vetoed: false, items: {publicity: "17.50"}}'
)
CORRECTION_1 = """\
  - notice: 2026-04-20-correction-2026-03
    sealed_on: 2026-04-21
    changes:
      - {worker: w2, field: total, old: "98.00", new: "96.00"}
"""
CORRECTION_2 = """\
  - notice: 2026-05-06-correction-2026-03
    sealed_on: 2026-05-07
    changes:
      - {worker: w1, field: items.publicity, old: "18.00", new: "17.00"}
"""


def seal_v2(
    period: str = "2026-03", sealed_on: str = "2026-04-07", results: tuple[str, ...] = (W1, W2), corrections: str = ""
) -> str:
    lines = [
        f"# {period} 封存文件（测试）",
        "format: 2",
        f"period: {period}",
        'rubric: "2026"',
        f"sealed_on: {sealed_on}",
        "results:",
        *(f"  - {entry}" for entry in results),
    ]
    text = "\n".join(lines) + "\n"
    return text + ("corrections:\n" + corrections if corrections else "")


SEAL_V1 = """\
# 2026年3月考评结果封存文件（旧格式）
period: 2026-03
rubric: "2026"
sealed_on: 2026-04-07
results:
  - {worker: w1, total: "100.00", grade: "优秀", rank: 1, community_rank: 1}
  - {worker: w2, total: "98.00", grade: "优秀", rank: 2, community_rank: 2}
corrections:
  - notice: 2026-04-20-correction-2026-03
    sealed_on: 2026-04-21
    changes:
      - {worker: w2, field: total, old: "98.00", new: "96.00"}
      - {worker: w2, field: record, old: "有", new: "有"}
"""

# The same seal after `gridscore seal` upgraded it: every v1 value kept, fields added, "有" → the digest.
SEAL_V1_UPGRADED = (
    seal_v2(
        corrections="""\
  - notice: 2026-04-20-correction-2026-03
    sealed_on: 2026-04-21
    changes:
      - {worker: w2, field: record, old: "DIGEST_OLD", new: "DIGEST_NEW"}
      - {worker: w2, field: total, old: "98.00", new: "96.00"}
      - {worker: w2, field: items.publicity, old: "17.50", new: "16.00"}
"""
    )
    .replace("DIGEST_OLD", DIGEST_2)
    .replace("DIGEST_NEW", "3" * 64)
)


class History:
    """A git repository whose commits are written from dicts of files, with fixed names and dates."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        self.count += 1
        stamp = f"2026-04-01T{self.count // 3600 % 24:02d}:{self.count // 60 % 60:02d}:{self.count % 60:02d}+08:00"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        done = subprocess.run(
            [
                "git",
                "-c",
                "user.name=测试",
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "commit.gpgsign=false",
                *args,
            ],
            cwd=self.root,
            capture_output=True,
            env=env,
            check=True,
        )
        return done.stdout.decode("utf-8")

    def commit(self, message: str, files: dict[str, str | None] | None = None) -> str:
        """Write (text) or delete (None) ``files``, then commit everything; return the short id."""
        for relative, text in (files or {}).items():
            path = self.root / relative
            if text is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.short("HEAD")

    def short(self, revision: str) -> str:
        return self.git("rev-parse", "--short", revision).strip()

    def verify(self, *args: str) -> tuple[int, str, str]:
        run = run_cli("verify", "--root", str(self.root), *args)
        return run.code, run.out, run.err


@pytest.fixture
def history(tmp_path: Path) -> History:
    return History(tmp_path / "county")


SEAL = "records/seals/2026-03.yaml"


def line(commit: str, subject: str, what: str, path: str = SEAL) -> str:
    return f"{path}：提交 {commit}（“{subject}”）{what}。{HINT}"


def failed(count: int, commits: int, files: int, versions: int) -> str:
    return (
        f"封存历史核验未通过：检查了 {commits} 个提交、{files} 个封存文件的 {versions} 次改动，"
        f"发现 {count} 处改写或删除封存文件的改动（见上）。已公布的结果只能用更正公告加 gridscore seal 追加更正；"
        "这些提交如果还没有合并到 main，请从分支中去掉这些改动后重新提交\n"
    )


# ---------------------------------------------------------------- the history walk


def test_a_clean_history_passes_and_says_what_it_checked(history: History) -> None:
    history.commit("三月考评", {"records/2026/03/c1/w1.yaml": "worker: w1\n"})
    history.commit("封存三月", {SEAL: seal_v2()})
    history.commit("四月考评", {"records/2026/04/c1/w1.yaml": "worker: w1\n"})
    history.commit("更正三月", {SEAL: seal_v2(corrections=CORRECTION_1)})
    history.commit("再次更正三月", {SEAL: seal_v2(corrections=CORRECTION_1 + CORRECTION_2)})
    history.commit("封存四月", {"records/seals/2026-04.yaml": seal_v2("2026-04", "2026-05-08")})
    code, out, err = history.verify()
    assert (code, err) == (0, "")
    assert out == "封存历史核验通过：检查了 6 个提交、2 个封存文件的 4 次改动，全部只追加。\n"


def test_comments_key_order_and_quoting_style_do_not_count(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    reformatted = (
        seal_v2().replace("# 2026-03 封存文件（测试）", "# 注释改了").replace('rubric: "2026"', "rubric: '2026'")
    )
    reformatted = reformatted.replace("{worker: w1, record:", "{record:").replace(
        '"' + DIGEST_1 + '", total', '"' + DIGEST_1 + '", worker: w1, total'
    )
    assert "{record:" in reformatted
    history.commit("整理格式", {SEAL: reformatted})
    assert history.verify()[0] == 0


def test_a_deleted_seal_names_the_file_and_the_commit(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    deleted = history.commit("改三月记录并删除封存", {SEAL: None, "records/2026/03/c1/w1.yaml": "worker: w1\n"})
    history.commit("四月考评", {"records/2026/04/c1/w1.yaml": "worker: w1\n"})
    code, out, err = history.verify()
    assert (code, out) == (1, "")
    assert err == line(deleted, "改三月记录并删除封存", "删除了封存文件") + "\n" + failed(1, 3, 1, 1)


def test_an_edited_total_is_refused(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    edited = history.commit("悄悄改分", {SEAL: seal_v2().replace('total: "98.00"', 'total: "99.00"')})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[0] == line(edited, "悄悄改分", '改写了封存内容：results 中 w2 的 total "98.00" → "99.00"')


def test_an_unquoted_figure_written_differently_is_a_change(history: History) -> None:
    """89.9 and 89.90 parse to equal numbers, but the published figure changed: compared as written."""
    history.commit("封存三月", {SEAL: seal_v2().replace('"98.00"', "98.00")})
    edited = history.commit("改写数字", {SEAL: seal_v2().replace('"98.00"', "98.0")})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[0] == line(edited, "改写数字", "改写了封存内容：results 中 w2 的 total 98.00 → 98.0")


def test_sealed_again_with_a_new_date_is_refused_in_one_commit_or_two(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    resealed = history.commit("重新封存", {SEAL: seal_v2(sealed_on="2026-04-21")})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines() == [
        line(resealed, "重新封存", "改写了封存内容：sealed_on 2026-04-07 → 2026-04-21"),
        failed(1, 2, 1, 2).rstrip("\n"),
    ]
    deleted = history.commit("删除封存", {SEAL: None})
    history.commit("再封存一次", {SEAL: seal_v2(sealed_on="2026-05-01")})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[:2] == [
        line(resealed, "重新封存", "改写了封存内容：sealed_on 2026-04-07 → 2026-04-21"),
        line(deleted, "删除封存", "删除了封存文件"),
    ]


def test_a_correction_edited_or_dropped_later_is_refused(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    history.commit("更正三月", {SEAL: seal_v2(corrections=CORRECTION_1 + CORRECTION_2)})
    assert history.verify()[0] == 0
    edited = history.commit(
        "改更正", {SEAL: seal_v2(corrections=CORRECTION_1.replace('"96.00"', '"97.00"') + CORRECTION_2)}
    )
    dropped = history.commit("删更正", {SEAL: seal_v2(corrections=CORRECTION_1.replace('"96.00"', '"97.00"'))})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[:2] == [
        line(
            edited,
            "改更正",
            '改写了封存内容：改动了第 1 条更正（"2026-04-20-correction-2026-03"）：'
            'changes 第 1 项 {worker: "w2", field: "total", old: "98.00", new: "96.00"} → '
            '{worker: "w2", field: "total", old: "98.00", new: "97.00"}',
        ),
        line(dropped, "删更正", '改写了封存内容：删除了第 2 条更正（"2026-05-06-correction-2026-03"）'),
    ]


def test_a_correction_inserted_before_an_older_one_is_refused(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2(corrections=CORRECTION_1)})
    inserted = history.commit("插入更正", {SEAL: seal_v2(corrections=CORRECTION_2 + CORRECTION_1)})
    code, _, err = history.verify()
    assert code == 1
    assert err.startswith(f"{SEAL}：提交 {inserted}（“插入更正”）改写了封存内容：改动了第 1 条更正")


def test_upgrading_v1_to_v2_may_add_fields_but_not_change_a_value(history: History) -> None:
    history.commit("旧格式封存", {SEAL: SEAL_V1})
    history.commit("升级封存格式", {SEAL: SEAL_V1_UPGRADED})
    assert history.verify() == (0, "封存历史核验通过：检查了 2 个提交、1 个封存文件的 2 次改动，全部只追加。\n", "")

    history.git("reset", "-q", "--hard", "HEAD~1")
    changed = history.commit("升级时改了分", {SEAL: SEAL_V1_UPGRADED.replace('total: "98.00"', 'total: "97.00"')})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[0] == line(
        changed, "升级时改了分", '改写了封存内容：升级为第 2 版格式时，results 中 w2 的 total "98.00" → "97.00"'
    )


def test_upgrading_must_keep_every_v1_correction_and_worker(history: History) -> None:
    history.commit("旧格式封存", {SEAL: SEAL_V1})
    lost = SEAL_V1_UPGRADED.replace('      - {worker: w2, field: total, old: "98.00", new: "96.00"}\n', "")
    dropped = history.commit("升级时丢了改动", {SEAL: lost.replace(f"  - {W2}\n", "")})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[0] == line(
        dropped,
        "升级时丢了改动",
        "改写了封存内容：升级为第 2 版格式时，results 中 删除了 w2 的结果；"
        '升级为第 2 版格式时，第 1 条更正（"2026-04-20-correction-2026-03"）'
        '缺少原有的改动 {worker: "w2", field: "total", old: "98.00", new: "96.00"}',
    )


def test_a_v1_record_change_may_not_become_a_different_value_than_a_digest(history: History) -> None:
    history.commit("旧格式封存", {SEAL: SEAL_V1})
    nulled = SEAL_V1_UPGRADED.replace(f'old: "{DIGEST_2}"', "old: null")
    changed = history.commit("升级时改了记录", {SEAL: nulled})
    code, _, err = history.verify()
    assert code == 1
    assert '缺少原有的改动 {worker: "w2", field: "record", old: "有", new: "有"}' in err
    assert err.startswith(f"{SEAL}：提交 {changed}（“升级时改了记录”）")


def test_going_back_from_v2_to_v1_is_refused(history: History) -> None:
    history.commit("新格式封存", {SEAL: SEAL_V1_UPGRADED})
    back = history.commit("改回旧格式", {SEAL: SEAL_V1})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[0] == line(
        back, "改回旧格式", "改写了封存内容：把格式从第 2 版改回了旧格式（删除了 format）"
    )


def test_a_merge_bringing_an_appended_correction_passes(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    history.git("switch", "-q", "-c", "correction")
    history.commit("更正三月", {SEAL: seal_v2(corrections=CORRECTION_1)})
    history.git("switch", "-q", "main")
    history.commit("四月考评", {"records/2026/04/c1/w1.yaml": "worker: w1\n"})
    history.git("merge", "-q", "--no-ff", "-m", "合并更正", "correction")
    assert history.verify() == (0, "封存历史核验通过：检查了 4 个提交、1 个封存文件的 2 次改动，全部只追加。\n", "")


def test_a_merge_that_drops_one_parents_correction_is_refused(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    history.git("switch", "-q", "-c", "correction")
    history.commit("更正三月", {SEAL: seal_v2(corrections=CORRECTION_1)})
    history.git("switch", "-q", "main")
    history.commit("四月考评", {"records/2026/04/c1/w1.yaml": "worker: w1\n"})
    # Resolve the merge by keeping main's seal: the branch's published correction disappears.
    history.git("merge", "-q", "--no-ff", "-s", "ours", "-m", "合并但丢掉更正", "correction")
    merge = history.short("HEAD")
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[0] == line(
        merge, "合并但丢掉更正", '改写了封存内容：删除了第 1 条更正（"2026-04-20-correction-2026-03"）'
    )
    assert history.verify("main~1") == (
        0,
        "封存历史核验通过：检查了 2 个提交、1 个封存文件的 1 次改动，全部只追加。\n",
        "",
    )


def test_a_symlink_in_records_seals_is_refused(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    os.symlink("/etc/passwd", history.root / "records/seals/2026-04.yaml")
    linked = history.commit("加一个链接")
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[0] == line(
        linked, "加一个链接", "新增了符号链接（封存文件夹里只能有普通文件）", path="records/seals/2026-04.yaml"
    )


def test_a_seal_replaced_by_a_symlink_or_a_folder_is_refused(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2(), "records/seals/2026-04.yaml": seal_v2("2026-04", "2026-05-08")})
    (history.root / SEAL).unlink()
    os.symlink("2026-04.yaml", history.root / SEAL)
    linked = history.commit("换成链接")
    (history.root / "records/seals/2026-04.yaml").unlink()
    history.commit("换成文件夹", {"records/seals/2026-04.yaml/x.yaml": seal_v2()})
    code, _, err = history.verify()
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == line(linked, "换成链接", "把封存文件换成了符号链接（封存文件夹里只能有普通文件）")
    assert lines[1].startswith("records/seals/2026-04.yaml：提交 ") and "把封存文件换成了文件夹" in lines[1]


def test_records_seals_replaced_by_a_link_is_refused(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2(), "elsewhere/2026-03.yaml": seal_v2()})
    (history.root / SEAL).unlink()
    (history.root / "records/seals").rmdir()
    os.symlink("../elsewhere", history.root / "records/seals")
    linked = history.commit("封存文件夹换成链接")
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[:2] == [
        f"records/seals：提交 {linked}（“封存文件夹换成链接”）把 records/seals 换成了文件或符号链接（它应是一个文件夹）。{HINT}",
        line(linked, "封存文件夹换成链接", "删除了封存文件"),
    ]


def test_a_rename_is_a_deletion_and_says_so(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    history.git("mv", SEAL, "records/seals/2026-03-old.yaml")
    renamed = history.commit("改名")
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[0] == line(renamed, "改名", "把封存文件改名为 records/seals/2026-03-old.yaml")


def test_a_seal_that_no_longer_parses_is_refused_with_the_yaml_problem(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2()})
    broken = history.commit("弄坏封存", {SEAL: seal_v2() + "period: 2026-04\n"})
    listed = history.commit("新封存是列表", {"records/seals/2026-04.yaml": "- a\n- b\n"})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[:2] == [
        line(
            broken,
            "弄坏封存",
            "把封存文件改成了无法读取的内容（第 9 行：字段“period”重复出现（第 3 行已有），YAML 只会保留最后一个，请删除多余的）",
        ),
        line(
            listed,
            "新封存是列表",
            "新增的封存文件无法读取（内容不是“字段: 值”的映射）",
            path="records/seals/2026-04.yaml",
        ),
    ]


def test_hidden_and_non_seal_files_are_not_seals(history: History) -> None:
    history.commit("封存三月", {SEAL: seal_v2(), "records/seals/.gitkeep": "", "records/seals/README.md": "说明\n"})
    history.commit("删掉说明", {"records/seals/.gitkeep": None, "records/seals/README.md": None})
    assert history.verify() == (0, "封存历史核验通过：检查了 2 个提交、1 个封存文件的 1 次改动，全部只追加。\n", "")


def test_hostile_commit_subjects_and_file_names_are_shown_escaped(history: History) -> None:
    name = "records/seals/2026-05\n::error::\x1b[2J.yaml"
    history.commit("封存", {SEAL: seal_v2(), name: seal_v2("2026-05", "2026-06-02")})
    subject = "改分\r\x1b[31m红字 <script>alert(1)</script>\n::error::假错误\u202e\n\n第二段"
    history.commit(subject, {SEAL: None, name: None})
    code, out, err = history.verify()
    assert code == 1 and out == ""
    assert not {"\x1b", "\r", "\u202e"} & set(err)
    lines = err.splitlines()
    assert len(lines) == 3  # two violations and the summary: no line broken by the subject or the name
    assert lines[0].startswith("records/seals/2026-03.yaml：提交 ")
    # git joins the subject's lines with a space; what is left is escaped, one line, never a workflow command
    assert "（“改分⏎\\x1b[31m红字 <script>alert(1)</script> ::error::假错误\\u202e”）删除了封存文件" in lines[0]
    assert lines[1].startswith("records/seals/2026-05⏎::error::\\x1b[2J.yaml：提交 ")
    assert all(not text.startswith("::") for text in lines)


def test_a_long_subject_is_shortened(history: History) -> None:
    history.commit("封存", {SEAL: seal_v2()})
    deleted = history.commit("长" * 200, {SEAL: None})
    err = history.verify()[2]
    assert err.splitlines()[0] == line(deleted, "长" * 59 + "…", "删除了封存文件")


def test_a_seal_over_the_size_limit_is_read_past(history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.seal_history as seal_history

    monkeypatch.setattr(seal_history, "UNIT_MAX_BYTES", 200)
    history.commit("封存", {SEAL: "# " + "x" * 300 + "\n" + seal_v2(), "records/seals/2026-04.yaml": "a: 1\n"})
    code, _, err = history.verify()
    assert code == 1
    assert err.splitlines()[0].startswith(f"{SEAL}：提交 ")
    assert err.splitlines()[0].endswith("的上限，请检查是否放错了文件）。" + HINT)
    assert "新增了过大的文件（文件大小为 " in err
    assert "records/seals/2026-04.yaml" not in err  # the reader is still in step after skipping the big one


def test_verify_a_revision_and_a_root_inside_the_repository(tmp_path: Path) -> None:
    history = History(tmp_path / "mono")
    history.commit("封存", {"county/" + SEAL: seal_v2(), "county/records/organization.yaml": "unit: {}\n"})
    deleted = history.commit("删除", {"county/" + SEAL: None})
    run = run_cli("verify", "HEAD~1", "--root", str(history.root / "county"))
    assert (run.code, run.err) == (0, "")
    run = run_cli("verify", "--root", str(history.root / "county"))
    assert run.code == 1
    assert run.err.splitlines()[0] == line(deleted, "删除", "删除了封存文件")


# ---------------------------------------------------------------- what cannot be verified


def test_not_a_repository_unknown_revision_no_commits(tmp_path: Path, history: History) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    run = run_cli("verify", "--root", str(folder))
    assert run.code == 1
    assert run.err == (
        f"错误：{folder} 不在 git 仓库里：gridscore verify 核验的是 git 历史，"
        "请在考评仓库（git clone 下来的文件夹）里运行，或用 --root 指定\n"
    )
    assert history.verify() == (1, "", "错误：仓库里还没有任何提交，没有可核验的历史\n")
    history.commit("封存", {SEAL: seal_v2()})
    for revision in ("no-such-branch", "--output=/tmp/x", "main\x1b[2J"):
        code, out, err = history.verify(*(["--", revision] if revision.startswith("-") else [revision]))
        assert code == 1 and out == ""
        assert err.startswith(("错误：找不到版本“", "错误：版本“")), err
        assert "\x1b" not in err
    assert not Path("/tmp/x").exists()


def test_a_shallow_clone_is_refused_not_passed(tmp_path: Path, history: History) -> None:
    history.commit("封存", {SEAL: seal_v2()})
    history.commit("删除", {SEAL: None})
    history.commit("四月", {"records/2026/04/c1/w1.yaml": "worker: w1\n"})
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", history.root.as_uri(), str(clone)], check=True, capture_output=True
    )
    run = run_cli("verify", "--root", str(clone))
    assert run.code == 1
    assert run.err.startswith("错误：这是一个浅克隆（shallow clone），只有最近的部分历史，无法证明封存文件从未被改写")


def test_without_git_the_error_is_plain(history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    history.commit("封存", {SEAL: seal_v2()})
    monkeypatch.setenv("PATH", str(history.root / "no-bin"))
    assert history.verify() == (1, "", "错误：找不到 git 命令：gridscore verify 需要安装 git\n")


def test_replace_refs_cannot_hide_a_deletion(history: History) -> None:
    history.commit("封存", {SEAL: seal_v2()})
    history.commit("删除", {SEAL: None})
    # `git replace` can make HEAD look like a commit that kept the seal, right after the sealing one.
    fake = history.git("commit-tree", "HEAD~1^{tree}", "-p", "HEAD~1", "-m", "看起来没删").strip()
    history.git("replace", "HEAD", fake)
    assert history.git("rev-list", "--count", "HEAD").strip() == "2"
    assert history.git("ls-tree", "--name-only", "HEAD", "records/seals/").strip() == SEAL
    code, _, err = history.verify()  # verify reads the real objects
    assert code == 1 and err.startswith(
        f"{SEAL}：提交 {history.git('rev-parse', '--short', '--no-replace-objects', 'HEAD').strip()}"
    )


# ---------------------------------------------------------------- the rules on snapshots


def test_compare_on_snapshots() -> None:
    parent = {"2026-03.yaml": seal_v2().encode()}
    assert compare(parent, parent, "本次改动") == []
    assert compare({}, parent, "本次改动") == []
    appended = {"2026-03.yaml": seal_v2(corrections=CORRECTION_1).encode()}
    assert compare(parent, appended, "本次改动") == []
    [deleted] = compare(parent, {}, "本次改动")
    assert str(deleted) == f"{SEAL}：本次改动删除了封存文件。{HINT}"
    [linked] = compare(parent, {"2026-03.yaml": Unreadable("符号链接")}, "本次改动")
    assert str(linked) == f"{SEAL}：本次改动把封存文件换成了符号链接。{HINT}"
    many = seal_v2(
        results=(W1.replace('"100.00"', '"1.00"').replace("rank: 1", "rank: 9"), W2.replace("false", "true"))
    )
    [rewritten] = compare(parent, {"2026-03.yaml": many.encode()}, "本次改动")
    assert rewritten.what == (
        '改写了封存内容：results 中 w1 的 total "100.00" → "1.00"、w1 的 rank 1 → 9、w1 的 community_rank 1 → 9、'
        "w2 的 vetoed false → true"
    )


def test_compare_tells_types_apart() -> None:
    """true and 1, "1" and 1 are different published values (Python's == would call them equal)."""
    parent = {"a.yaml": b"format: 2\nresults:\n  - {worker: w1, vetoed: true, rank: 1}\n"}
    child = {"a.yaml": b'format: 2\nresults:\n  - {worker: w1, vetoed: 1, rank: "1"}\n'}
    [violation] = compare(parent, child, "")
    assert violation.what == '改写了封存内容：results 中 w1 的 vetoed true → 1、w1 的 rank 1 → "1"'


# ---------------------------------------------------------------- gridscore diff


def test_diff_exits_1_when_head_deletes_a_seal_although_check_passes(repo: Repo) -> None:
    history = History(repo.root)
    repo.record("w1", "2026-03")
    repo.record("w2", "2026-03")
    history.commit("三月考评")
    assert repo.run("seal", "2026-03").code == 0
    base = history.commit("封存三月")
    head = history.commit("删除封存", {SEAL: None})
    assert repo.run("check").code == 0  # nothing sealed any more: check alone cannot see it
    run = repo.run("diff", base, head)
    assert run.code == 1
    report = run.out.splitlines()
    assert report[2].startswith("**❌ 校验未通过**")
    start = report.index("### ❌ 封存文件被删除或改写")
    assert report[start + 4 : start + 7] == ["```text", f"{SEAL}：本次改动删除了封存文件。{HINT}", "```"]
    assert start < next(index for index, text in enumerate(report) if text.startswith("### 得分"))
    assert repo.run("diff", base, base).code == 0


def test_diff_against_the_working_tree_sees_a_rewritten_seal(repo: Repo) -> None:
    history = History(repo.root)
    repo.record("w1", "2026-03")
    repo.record("w2", "2026-03")
    assert repo.run("seal", "2026-03").code == 0
    base = history.commit("封存三月")
    path = repo.root / SEAL
    text = path.read_text(encoding="utf-8")
    sealed_on = re.search(r"^sealed_on: (\S+)$", text, re.MULTILINE)
    assert sealed_on is not None
    path.write_text(text.replace(sealed_on.group(), "sealed_on: 2027-12-01"), encoding="utf-8")
    run = repo.run("diff", base)
    assert run.code == 1
    assert f"{SEAL}：本次改动改写了封存内容：sealed_on {sealed_on.group(1)} → 2027-12-01。{HINT}" in run.out


def test_tree_problems_never_follows_a_link(tmp_path: Path) -> None:
    base, head = tmp_path / "base", tmp_path / "head"
    for root in (base, head):
        (root / "records/seals").mkdir(parents=True)
    (base / SEAL).write_text(seal_v2(), encoding="utf-8")
    (tmp_path / "outside.yaml").write_text(seal_v2(), encoding="utf-8")
    os.symlink(tmp_path / "outside.yaml", head / SEAL)
    assert tree_problems(base, head) == [
        f"{SEAL}：本次改动把封存文件换成了符号链接（封存文件夹里只能有普通文件）。{HINT}"
    ]
    os.mkfifo(head / "records/seals/2026-04.yaml")
    assert tree_problems(base, head)[1] == (
        f"records/seals/2026-04.yaml：本次改动新增了特殊文件（封存文件夹里只能有普通文件）。{HINT}"
    )


# ---------------------------------------------------------------- CI templates


def test_github_verifies_the_history_on_main_before_publishing() -> None:
    workflow = load(PAGES)
    [checkout] = uses(workflow, "build", "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0  # a shallow clone cannot be verified (and verify says so)
    calls = [args for step in steps(workflow, "build") for args in invocations(step.get("run", ""))]
    # the history before the build; the site itself (verify --site) after it, before the upload
    assert [args[0] for args in calls] == ["check", "verify", "build", "build", "verify"]
    assert calls[1] == ["verify"] and calls[4] == ["verify", "--site", "_site"]


def test_github_review_fails_when_diff_exits_1_and_still_posts_the_comment() -> None:
    workflow = load(REVIEW)
    [checkout] = uses(workflow, "review", "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
    diff = next(step for step in steps(workflow, "review") if step.get("id") == "diff")
    assert "|| code=$?" in diff["run"]  # the step itself goes on, so the comment is posted
    [comment] = uses(workflow, "review", "actions/github-script")
    assert "always()" in comment["if"]
    last = steps(workflow, "review")[-1]
    assert "${{ steps.diff.outputs.code }}" in last["env"].values() and "exit 1" in last["run"]
    # Every commit of the PR too: a seal deleted and restored inside the PR leaves the final diff clean.
    verify = next(step for step in steps(workflow, "review") if step.get("id") == "verify")
    assert invocations(verify["run"]) == [["verify"]] and "|| code=$?" in verify["run"]
    assert "${{ steps.verify.outputs.code }}" in last["env"].values()


def test_gitlab_verifies_the_history_on_the_default_branch_and_diffs_merge_requests() -> None:
    config = load(GITLAB)
    jobs = gitlab_jobs(config)
    job = jobs["verify"]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in [rule["if"] for rule in job["rules"]]
    assert [args for text in job["script"] for args in invocations(text)] == [["verify"]]
    diff = jobs["diff"]
    assert diff["variables"]["GIT_DEPTH"] == "0"
    assert [rule["if"] for rule in diff["rules"]] == ['$CI_PIPELINE_SOURCE == "merge_request_event"']
    assert diff["script"][-1] == 'exit "$status"'


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give the folder away")
def test_a_repository_git_will_not_read_says_how_to_allow_it(history: History) -> None:
    history.commit("封存", {SEAL: seal_v2()})
    os.chown(history.root, 12345, 12345)  # another user's clone: git's safe.directory check refuses it
    code, out, err = history.verify()
    assert (code, out) == (1, "")
    assert err.startswith(
        f"错误：git 拒绝读取 {history.root}：这个文件夹的所有者不是当前用户（git 的 safe.directory 保护）"
    )


def test_an_upgrade_keeps_each_old_correction_notice_and_date() -> None:
    parent = {"2026-03.yaml": SEAL_V1.encode()}
    moved = SEAL_V1_UPGRADED.replace("    sealed_on: 2026-04-21", "    sealed_on: 2026-04-22")
    [violation] = compare(parent, {"2026-03.yaml": moved.encode()}, "")
    assert violation.what == (
        '改写了封存内容：升级为第 2 版格式时，第 1 条更正（"2026-04-20-correction-2026-03"）的 sealed_on 2026-04-21 → 2026-04-22'
    )
    other = SEAL_V1_UPGRADED.replace("format: 2", "format: 3")
    [violation] = compare(parent, {"2026-03.yaml": other.encode()}, "")
    assert violation.what == "改写了封存内容：新增了 format: 3（旧格式只能升级为 format: 2）"
    assert compare(parent, {"2026-03.yaml": SEAL_V1_UPGRADED.encode()}, "") == []


def test_an_upgrade_may_leave_out_a_field_that_had_no_value() -> None:
    """Format 2 writes no ``review_score`` for a worker without a review; format 1 wrote ``null``."""
    v1 = 'period: 2025\nrubric: "2025"\nsealed_on: 2026-01-10\nresults:\n  - {worker: w9, total: "80.00", grade: "合格", rank: 1, review_score: %s}\n'
    v2 = 'format: 2\nperiod: 2025\nrubric: "2025"\nsealed_on: 2026-01-10\nresults:\n  - {worker: w9, total: "80.00", grade: "合格", rank: 1, months_assessed: 9}\n'
    assert compare({"2025.yaml": (v1 % "null").encode()}, {"2025.yaml": v2.encode()}, "") == []
    [violation] = compare({"2025.yaml": (v1 % '"90.00"').encode()}, {"2025.yaml": v2.encode()}, "")
    assert violation.what == '改写了封存内容：升级为第 2 版格式时，results 中 w9 的 review_score "90.00" → （无）'
