"""The review workflow in a real git repository: seal, correct, diff, new, CODEOWNERS."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .conftest import Repo
from .test_scoring import metrics

CORRECTION = """\
kind: correction
number: 测试反诈〔2026〕2号
title: 关于更正2026年3月考评结果的通知
period: 2026-03
date: 2026-04-20
issued_by: 测试街道反诈工作领导小组
workers: [w1, w2]
body: |
  经复核，一名网格员的考评记录登记有误，现予更正。
"""

COMMENDATION = """\
kind: commendation
number: 测试反诈〔2026〕1号
title: 关于2026年3月考评结果的通报表扬
period: 2026-03
date: 2026-04-08
issued_by: 测试街道反诈工作领导小组
body: |
  现予通报表扬。
"""


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=测试", "-c", "user.email=test@example.invalid", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def gitrepo(repo: Repo) -> Repo:
    """w1 and w2 of c1 assessed for 2026-03 (w3 left in 2026-02), committed."""
    repo.record("w1", "2026-03")
    repo.record("w2", "2026-03", metrics=metrics(case="good"))  # 98
    git(repo.root, "init", "-q", "-b", "main")
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", "三月考评")
    return repo


def commit(repo: Repo, message: str) -> str:
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-qm", message)
    return git(repo.root, "rev-parse", "HEAD").strip()


def test_seal_refuses_while_an_active_worker_has_no_record(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    run = repo.run("seal", "2026-03")
    assert run.code == 1
    assert run.err == "错误：无法封存2026年3月：以下 1 名在岗网格员还没有考评记录：w2（欧阳娜娜，第一社区）\n"
    assert not (repo.root / "records/seals").exists()


def test_seal_then_a_silent_change_fails_check_naming_the_worker(gitrepo: Repo) -> None:
    sealed = gitrepo.run("seal", "2026-03")
    assert sealed.out == "已封存2026年3月的 2 条结果：records/seals/2026-03.yaml\n"
    seal = (gitrepo.root / "records/seals/2026-03.yaml").read_text(encoding="utf-8")
    assert '  - {worker: w1, total: "100.00", grade: "优秀", rank: 1, community_rank: 1, bonus: "0.00",' in seal
    assert gitrepo.run("check").code == 0
    commit(gitrepo, "封存三月")

    gitrepo.record("w1", "2026-03", metrics=metrics(method="fair"))  # 100 → 96
    run = gitrepo.run("check")
    assert run.code == 1
    assert run.lines[0] == (
        "records/2026/03/c1/w1.yaml:1: 已封存的2026年3月结果有变化：w1（张三）：总分 100.00 → 96.00、排名 1 → 2、"
        "社区排名 1 → 2、工作创新与协作小计 20.00 → 16.00、工作方法创新得分 10.00 → 6.00、考评记录有改动。"
        "已公布的结果不能悄悄改变：如确需更正，请发布更正公告（records/notices/日期-correction-2026-03.yaml，"
        "kind: correction，period: 2026-03，workers 列出该网格员），再运行 gridscore seal 2026-03 记录更正"
    )
    assert run.lines[1] == (
        "records/2026/03/c1/w2.yaml:1: 已封存的2026年3月结果有变化：w2（欧阳娜娜）：排名 2 → 1、社区排名 2 → 1。"
        "该网格员的记录没有改动，结果随其他记录或考评标准的改动而变化；如确需更正，该网格员也须列入更正公告的 workers"
    )
    refused = gitrepo.run("seal", "2026-03")  # seal stops on what check reports, and writes nothing
    assert refused.code == 1 and refused.lines == run.lines
    assert (gitrepo.root / "records/seals/2026-03.yaml").read_text(encoding="utf-8") == seal


def test_a_city_sized_seal_over_one_mib_is_read(gitrepo: Repo) -> None:
    """A seal lists every worker of the unit: a city's month is about 2.5 MB; a record keeps the 1 MiB limit."""
    assert gitrepo.run("seal", "2026-03").code == 0
    path = gitrepo.root / "records/seals/2026-03.yaml"
    sealed = path.read_text(encoding="utf-8")
    padding = "".join(f"# {i:06d} {'封存' * 40}\n" for i in range(6000))
    path.write_text(padding + sealed, encoding="utf-8")
    assert path.stat().st_size > 1024 * 1024
    run = gitrepo.run("check")
    assert run.code == 0, run.err


def test_correction_keeps_old_and_new_and_the_site_shows_both(gitrepo: Repo, tmp_path: Path) -> None:
    assert gitrepo.run("seal", "2026-03", "--today", "2026-04-07").code == 0
    original = (gitrepo.root / "records/seals/2026-03.yaml").read_text(encoding="utf-8")
    gitrepo.record("w1", "2026-03", metrics=metrics(method="fair"))
    gitrepo.write("records/notices/2026-04-20-correction-2026-03.yaml", CORRECTION)
    waiting = gitrepo.run("check")  # the notice covers the change; its amendment is not in the seal yet
    assert waiting.code == 1
    assert waiting.lines[0].startswith(
        "records/2026/03/c1/w1.yaml:1: 已封存的2026年3月结果有变化：w1（张三）：总分 100.00 → 96.00"
    )
    assert waiting.lines[0].endswith(
        "更正公告 2026-04-20-correction-2026-03 已列出该网格员，请运行 gridscore seal 2026-03 在封存文件中记录这次更正（原值与新值）"
    )

    recorded = gitrepo.run("seal", "2026-03", "--today", "2026-04-21")
    assert recorded.code == 0
    assert (
        "记录更正（2026-04-20-correction-2026-03）：2 名网格员 8 处变化" in recorded.out
    )  # w1's total, item, category and record; both ranks and community ranks
    after = (gitrepo.root / "records/seals/2026-03.yaml").read_text(encoding="utf-8")
    assert after.startswith(original)  # history is never rewritten, only appended to
    assert '      - {worker: w1, field: total, old: "100.00", new: "96.00"}' in after
    assert gitrepo.run("check").code == 0
    assert "无需改动" in gitrepo.run("seal", "2026-03").out

    site = tmp_path / "site"
    built = gitrepo.run("build", "--site-dir", str(site))
    assert built.code == 0, built.err
    html = (site / "notices/2026-04-20-correction-2026-03/index.html").read_text(encoding="utf-8")
    assert "更正内容" in html
    row = html[html.index("张三") :]
    assert "100.00" in row[:400] and "96.00" in row[:400]
    ranking = (site / "rankings/2026-03/index.html").read_text(encoding="utf-8")
    assert "封存公布" in ranking and "关于更正2026年3月考评结果的通知" in ranking


def test_notices_need_their_period_sealed_and_take_names_from_the_seal(gitrepo: Repo, tmp_path: Path) -> None:
    gitrepo.write("records/notices/2026-04-08-commendation-2026-03.yaml", COMMENDATION)
    run = gitrepo.run("check")
    assert run.lines[0] == (
        "records/notices/2026-04-08-commendation-2026-03.yaml:4: 通报表扬所涉的2026年3月结果还没有封存："
        "请先运行 gridscore seal 2026-03，名单以封存的结果为准"
    )
    assert gitrepo.run("seal", "2026-03").code == 0
    assert gitrepo.run("check").code == 0
    built = gitrepo.run("build", "--site-dir", str(tmp_path / "site"))
    assert built.code == 0, built.err
    html = (tmp_path / "site/notices/2026-04-08-commendation-2026-03/index.html").read_text(encoding="utf-8")
    assert "张三" in html and "100.00 分" in html and "欧阳*" in html


def test_a_year_is_sealed_after_its_months(gitrepo: Repo) -> None:
    run = gitrepo.run("seal", "2026")
    assert run.code == 1
    assert run.err == (
        "错误：无法封存2026年度：该年还有 10 个月没有封存（2026-03、2026-04、2026-05、2026-06、2026-07、2026-08、"
        "2026-09、2026-10、2026-11、2026-12），请先逐月封存\n"
    )  # from the first month with records on: January and February 2026 were never assessed here


def test_diff_between_two_commits_names_exactly_the_changed_workers(gitrepo: Repo) -> None:
    base = git(gitrepo.root, "rev-parse", "HEAD").strip()
    gitrepo.record("w2", "2026-03", metrics=metrics(case="fair"))  # 98 → 96; w1 stays first
    head = commit(gitrepo, "更正欧阳娜娜")
    status_before = git(gitrepo.root, "status", "--porcelain")
    run = gitrepo.run("diff", base, head)
    assert run.code == 0, run.err
    report = run.out
    assert report.startswith("<!-- gridscore-diff -->\n")
    assert "**✅ 校验通过** · 改动 1 个文件" in report
    assert "| w2 欧阳娜娜 | **98.00 → 96.00** | 良好 → 优秀 |" not in report  # grade stays 优秀
    assert "| w2 欧阳娜娜 | **98.00 → 96.00** | 优秀 | 2 |" in report
    assert "w1" not in report.split("### 得分")[1].split("<details>")[0]
    assert "`records/2026/03/c1/w2.yaml`" in report
    assert git(gitrepo.root, "status", "--porcelain") == status_before  # the work tree is untouched


def test_diff_against_the_working_tree_reports_problems_and_sealed_periods(gitrepo: Repo) -> None:
    gitrepo.run("seal", "2026-03")
    base = commit(gitrepo, "封存")
    gitrepo.record("w1", "2026-03", metrics=metrics(method="fair"))  # a sealed result changes, no correction
    gitrepo.write("rubric/2026.yaml", (gitrepo.root / "rubric/2026.yaml").read_text(encoding="utf-8"))
    run = gitrepo.run("diff", base)
    assert run.code == 1
    assert "**❌ 校验未通过**" in run.out
    assert "records/2026/03/c1/w1.yaml:1: 已封存的2026年3月结果有变化：w1（张三）" in run.out
    assert "- 2026-03：2 名网格员的已公布结果将改变（没有更正公告，合并前必须补上）" in run.out
    assert "`records/2026/03/c1/w1.yaml`" in run.out
    assert git(gitrepo.root, "status", "--porcelain").strip() == "M records/2026/03/c1/w1.yaml"


def test_diff_counts_what_a_rubric_change_moves(gitrepo: Repo) -> None:
    base = git(gitrepo.root, "rev-parse", "HEAD").strip()
    rubric = (gitrepo.root / "rubric/2026.yaml").read_text(encoding="utf-8")
    changed = rubric.replace("  - {id: good, label: 良好, ratio: 0.8}", "  - {id: good, label: 良好, ratio: 0.9}")
    assert changed != rubric
    gitrepo.write("rubric/2026.yaml", changed)
    run = gitrepo.run("diff", base)
    assert run.code == 0, run.out
    assert "- `rubric/2026.yaml`：修改" in run.out
    # w2's case_assistance is "good": its March total and its 2026 annual score move
    assert "按改动后的标准重新计算，**2** 项月度或年度得分与按原标准计算的不同" in run.out
    assert "| w2 欧阳娜娜 | **98.00 → 99.00** |" in run.out


def test_diff_explains_an_unknown_revision(gitrepo: Repo) -> None:
    run = gitrepo.run("diff", "no-such-branch")
    assert run.code == 1
    assert run.err == "错误：找不到版本“no-such-branch”：请写分支名、标签或提交号，如 origin/main 或 HEAD~1\n"


def test_new_writes_blank_records_and_never_overwrites(repo: Repo) -> None:
    existing = repo.record("w1", "2026-04")
    before = (repo.root / existing).read_text(encoding="utf-8")
    run = repo.run("new", "2026-04")
    assert run.code == 0, run.err
    assert run.out.startswith("已生成 1 份空白考评记录，1 份已有记录保持不变。")
    assert (repo.root / existing).read_text(encoding="utf-8") == before
    blank = (repo.root / "records/2026/04/c1/w2.yaml").read_text(encoding="utf-8")
    assert "# 2026年4月月度考评记录：欧阳娜娜（w2，第一社区第二网格）" in blank
    assert "case_assistance:" in blank and "等级：优秀 excellent" in blank
    assert not (repo.root / "records/2026/04/c2").exists()  # w3 left in 2026-02
    check = repo.run("check")
    assert check.code == 1
    # §7: a fresh file is one line, not one per field
    assert check.lines == [
        "records/2026/04/c1/w2.yaml:7: 21 项未填写（assessed_by、assessed_on、tasks_assigned 等），请逐项填写后再运行 gridscore check",
        "发现 1 个问题，请逐条修改后重新运行 gridscore check。",
    ]
    (repo.root / "records/2026/04/c1/w2.yaml").write_text(
        blank.replace("assessed_by:  ", "assessed_by: a1").replace("assessed_on:  ", "assessed_on: 2026-05-02"),
        encoding="utf-8",
    )
    partly = repo.run("check")
    assert partly.lines[0].startswith(
        "records/2026/04/c1/w2.yaml:12: 19 项未填写（tasks_assigned、tasks_completed、key_people 等）"
    )
    again = repo.run("new", "2026-04")
    assert again.out.startswith("已生成 0 份空白考评记录，2 份已有记录保持不变。")


def test_new_for_a_year_writes_blank_reviews_for_the_workers_assessed(repo: Repo) -> None:
    """§6: `gridscore new 2026` scaffolds the annual review of every worker assessed that year."""
    repo.record("w1", "2026-03")
    repo.record("w3", "2026-02", community="c2")
    kept = repo.write(
        "records/2026/annual/c1/w1.yaml",
        "worker: w1\nyear: 2026\nreview_score: 90\nassessed_by: a1\nassessed_on: 2027-01-10\n",
    )
    before = kept.read_text(encoding="utf-8")
    run = repo.run("new", "2026")
    assert run.code == 0, run.err
    assert run.out.splitlines()[:2] == [
        "已生成 1 份空白年度评议，1 份已有评议保持不变。",
        "  records/2026/annual/c2/w3.yaml",
    ]
    assert kept.read_text(encoding="utf-8") == before
    assert not (repo.root / "records/2026/annual/c1/w2.yaml").exists()  # w2 has no record in 2026
    blank = (repo.root / "records/2026/annual/c2/w3.yaml").read_text(encoding="utf-8")
    assert "# 2026年度综合评议：王五（w3，第二社区第一网格）" in blank
    assert "review_score:" in blank and "a2（赵六，社区两委）" in blank
    check = repo.run("check")
    assert check.lines[0] == (
        "records/2026/annual/c2/w3.yaml:7: 3 项未填写（review_score、assessed_by、assessed_on），请逐项填写后再运行 gridscore check"
    )
    nothing = repo.run("new", "2024")
    assert nothing.code == 1 and nothing.err.startswith("错误：2024 年还没有任何月度考评记录")


def test_codeowners_from_the_organization(repo: Repo) -> None:
    org = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    org = org.replace("communities: all}", "communities: all, git_account: li-si}").replace(
        "communities: [c2]}", "communities: [c2], git_account: '@zhao-liu'}"
    )
    repo.write("records/organization.yaml", org)
    run = repo.run("codeowners")
    assert run.code == 0, run.err
    owners = (repo.root / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/records/*/*/c1/ @li-si\n" in owners
    assert "/records/*/*/c2/ @li-si @zhao-liu\n" in owners
    assert "/rubric/ @li-si\n" in owners


def test_diff_of_a_recorded_correction_says_so(gitrepo: Repo) -> None:
    assert gitrepo.run("seal", "2026-03", "--today", "2026-04-07").code == 0
    base = commit(gitrepo, "封存")
    gitrepo.record("w1", "2026-03", metrics=metrics(method="fair"))
    gitrepo.write("records/notices/2026-04-20-correction-2026-03.yaml", CORRECTION)
    pending = gitrepo.run("diff", base)
    assert pending.code == 1  # red until the PR carries the seal's amendment (§6)
    assert "有更正公告 2026-04-20-correction-2026-03，合并前请运行 gridscore seal 2026-03 记录原值与新值" in pending.out
    assert "请运行 gridscore seal 2026-03 在封存文件中记录这次更正（原值与新值）" in pending.out
    assert gitrepo.run("seal", "2026-03", "--today", "2026-04-21").code == 0
    recorded = gitrepo.run("diff", base)
    assert recorded.code == 0, recorded.out
    assert "（已在封存文件中记录更正：2026-04-20-correction-2026-03）" in recorded.out
    assert "封存文件 `records/seals/2026-03.yaml` 只在末尾追加了更正记录，原有内容未改（已核对）" in recorded.out


def test_a_period_is_sealed_only_after_it_has_ended(gitrepo: Repo) -> None:
    """§6: 2026-03 cannot be sealed on 2026-03-31, nor the year 2026 before 2027."""
    for worker in ("w1", "w2"):  # assessed on the month's last day, so only the seal rule speaks
        path = gitrepo.root / f"records/2026/03/c1/{worker}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("2026-04-02", "2026-03-31"), encoding="utf-8")
    early = gitrepo.run("seal", "2026-03", "--today", "2026-03-31")
    assert early.code == 1
    assert early.err.strip() == (
        "错误：无法封存2026年3月：2026年3月还没有结束（今天是 2026-03-31），2026-04-01 起才能封存（要按另一天封存，用 --today）"
    )
    assert not (gitrepo.root / "records/seals/2026-03.yaml").exists()
    assert gitrepo.run("seal", "2026-03", "--today", "2026-04-02").code == 0
    year = gitrepo.run("seal", "2026", "--today", "2026-12-31")
    assert year.code == 1 and "2026年度还没有结束（今天是 2026-12-31），2027-01-01 起才能封存" in year.err


def test_new_never_writes_through_a_linked_folder(repo: Repo, tmp_path: Path) -> None:
    """A pull request can commit records/2026/05 as a symlink: new refuses it and writes nowhere."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (repo.root / "records/2026").mkdir(parents=True)
    (repo.root / "records/2026/05").symlink_to(victim)
    run = repo.run("new", "2026-05")
    assert run.code == 1
    assert run.err.splitlines()[:2] == [
        "错误：以下文件不能生成，一个文件都没有写：",
        "records/2026/05/c1/w1.yaml: 不能写入：路径中的 records/2026/05 不是文件夹，而是符号链接",
    ]
    assert list(victim.iterdir()) == []


@pytest.mark.parametrize("period", ["2026-12", "2026"])
def test_new_refuses_an_organization_with_an_unknown_community(repo: Repo, period: str) -> None:
    repo.record("w1", "2026-03")
    org = repo.root / "records/organization.yaml"
    org.write_text(
        org.read_text(encoding="utf-8").replace("community: c1, grid: g01", "community: c9, grid: g01", 1),
        encoding="utf-8",
    )
    run = repo.run("new", period)
    assert run.code == 1
    assert run.lines[0].startswith("records/organization.yaml:") and "未知的社区“c9”" in run.lines[0]
    assert not list((repo.root / "records/2026").glob("12")) and not (repo.root / "records/2026/annual").exists()
