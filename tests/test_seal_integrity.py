"""§6 on the sample: what a seal protects, how a correction is scoped, and the order of sealing.

Each test is one of the ways issue 12 found a sealed month reopened with CI green, run through the
real command line on a copy of the sample repository (sealed through 2026-09, one recorded
correction of 2026-03 for wg-0107 and the two workers whose rank followed).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .conftest import Repo, run_cli

R = "records/2026/03"
CORRECTION = "records/notices/2026-04-20-correction-2026-03.yaml"
NOTICE_0601 = """\
kind: correction
number: 东风反诈〔2026〕9号
title: 关于更正2026年6月网格反诈工作考评结果的通知
period: 2026-06
date: {date}
issued_by: 东风街道反诈工作领导小组
workers: [{workers}]
body: |
  经复核，一名网格员2026年6月的考评记录登记有误，现予更正。
"""


def cli(root: Path, *args: str) -> list[str]:
    run = run_cli(*args, "--root", str(root))
    return [f"exit {run.code}", *run.err.splitlines(), *run.out.splitlines()]


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_sample_passes_and_its_seals_are_format_2_with_record_digests(sample: Path) -> None:
    assert cli(sample, "check")[0] == "exit 0"
    seal = (sample / "records/seals/2026-03.yaml").read_text(encoding="utf-8")
    assert "\nformat: 2\n" in seal
    row = next(line for line in seal.splitlines() if "worker: wg-0203" in line)
    assert re.search(r'record: "[0-9a-f]{64}"', row)
    assert 'items: {publicity: "' in row and 'bonus: "' in row and "vetoed: false" in row


# --- case 1: a correction opens only the workers it names --------------------------------------------


def test_a_correction_does_not_open_a_worker_it_does_not_name(sample: Path) -> None:
    # the sample's March correction names wg-0107, wg-0201 and wg-0302; wg-0101 is outside it
    edit(sample, f"{R}/dongfeng-1/wg-0101.yaml", "coordination: excellent", "coordination: fair")
    lines = cli(sample, "check")
    assert lines[0] == "exit 1"
    assert lines[2].startswith(
        f"{R}/dongfeng-1/wg-0101.yaml:1: 已封存的2026年3月结果有变化：wg-0101（张伟）：总分 86.83 → 82.83、排名 12 → 19"
    )
    assert lines[2].endswith("workers 列出该网格员），再运行 gridscore seal 2026-03 记录更正")
    before = (sample / "records/seals/2026-03.yaml").read_bytes()
    refused = cli(sample, "seal", "2026-03")
    assert refused[0] == "exit 1" and refused[1:] == lines[1:]  # seal stops where check does
    assert (sample / "records/seals/2026-03.yaml").read_bytes() == before


def test_a_worker_listed_in_an_old_recorded_correction_is_not_open_again(sample: Path) -> None:
    edit(sample, f"{R}/dongfeng-1/wg-0107.yaml", "coordination: good", "coordination: excellent")
    lines = cli(sample, "check")
    assert lines[0] == "exit 1"
    assert any(
        line.startswith(f"{R}/dongfeng-1/wg-0107.yaml:1: 已封存的2026年3月结果有变化：wg-0107（杨军）")
        for line in lines
    )


# --- case 2: a seal protects what was published, not only the scores -------------------------------


def test_a_public_summary_the_assessor_and_an_equal_level_are_protected(sample: Path) -> None:
    path = next(p for p in sorted((sample / "records/2026/05").rglob("*.yaml")) if "summary:" in p.read_text("utf-8"))
    relative = path.relative_to(sample).as_posix()
    worker = path.stem
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"summary: (.*)", r"summary: 改写的\1", text, count=1), encoding="utf-8")
    lines = cli(sample, "check")
    assert lines[0] == "exit 1"
    assert lines[1].startswith(f"{relative}:1: 已封存的2026年5月结果有变化：{worker}（")
    assert "：考评记录有改动。已公布的结果不能悄悄改变" in lines[1]
    path.write_text(text, encoding="utf-8")
    assert cli(sample, "check")[0] == "exit 0"

    other = "records/2026/05/dongfeng-1/wg-0102.yaml"
    edit(sample, other, "assessed_by: pcs-wang", "assessed_by: zz-li")
    assert cli(sample, "check")[1].startswith(
        f"{other}:1: 已封存的2026年5月结果有变化：wg-0102（王秀英）：考评记录有改动。"
    )
    edit(sample, other, "assessed_by: zz-li", "assessed_by: pcs-wang")
    edit(sample, other, "case_assistance: none", "case_assistance: excellent")  # 无此项 and 优秀 both score in full
    assert cli(sample, "check")[1].startswith(
        f"{other}:1: 已封存的2026年5月结果有变化：wg-0102（王秀英）：考评记录有改动。"
    )


def test_comments_layout_and_labels_do_not_count(sample: Path) -> None:
    relative = "records/2026/05/dongfeng-1/wg-0102.yaml"
    text = (sample / relative).read_text(encoding="utf-8")
    rewritten = "# 重新排版，加了注释\n" + text.replace("case_assistance: none", "case_assistance: 无此项   # 中文写法")
    (sample / relative).write_text(rewritten, encoding="utf-8")
    assert cli(sample, "check")[0] == "exit 0"


# --- case 3: the seal history cannot be rewritten -----------------------------------------------------


def git(root: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "考评组",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "考评组",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": "2026-11-30T12:00:00+08:00",
        "GIT_COMMITTER_DATE": "2026-11-30T12:00:00+08:00",
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "HOME": str(root),
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def committed(root: Path) -> str:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "示例数据")
    return git(root, "rev-parse", "HEAD")


def test_deleting_the_latest_seal_with_a_record_change_is_red(sample: Path) -> None:
    base = committed(sample)
    (sample / "records/seals/2026-09.yaml").unlink()
    edit(sample, "records/2026/09/dongfeng-1/wg-0101.yaml", "coordination: ", "coordination: poor #")
    git(sample, "commit", "-qam", "调整九月")
    lines = cli(sample, "diff", base, "HEAD")
    assert lines[0] == "exit 1"
    assert any("records/seals/2026-09.yaml" in line and "删除了封存文件" in line for line in lines)
    verify = cli(sample, "verify")
    assert verify[0] == "exit 1"
    assert any(line.startswith("records/seals/2026-09.yaml：提交 ") and "删除了封存文件" in line for line in verify)


def test_deleting_a_seal_and_sealing_again_is_red(sample: Path) -> None:
    base = committed(sample)
    (sample / "records/seals/2026-09.yaml").unlink()
    edit(sample, "records/2026/09/dongfeng-1/wg-0101.yaml", "coordination: ", "coordination: poor #")
    resealed = cli(sample, "seal", "2026-09", "--today", "2026-11-30")
    assert resealed[0] == "exit 0", resealed
    assert cli(sample, "check")[0] == "exit 0"  # the repository alone cannot tell: its history can
    git(sample, "commit", "-qam", "重新封存九月")
    assert cli(sample, "diff", base, "HEAD")[0] == "exit 1"
    verify = cli(sample, "verify")
    assert verify[0] == "exit 1"
    assert any(line.startswith("records/seals/2026-09.yaml：提交 ") for line in verify)


def test_deleting_a_middle_seal_is_red_in_check_too(sample: Path) -> None:
    (sample / "records/seals/2026-06.yaml").unlink()
    lines = cli(sample, "check")
    assert lines[0] == "exit 1"
    assert (
        "records/seals/2026-07.yaml:5: 2026年7月已封存，但更早的 1 个月没有封存（2026-06）："
        "封存须按月份顺序，封存文件一经提交不能删除"
    ) in lines


def test_a_correction_dated_before_the_seal_does_not_reopen_it(sample: Path) -> None:
    edit(sample, "records/2026/06/dongfeng-1/wg-0101.yaml", "coordination: ", "coordination: poor #")
    notice = "records/notices/2026-07-01-correction-2026-06.yaml"
    # another 代字: no number of the sample's series fits between 5号 (2026-06-10) and 6号 (2026-10-09)
    text = NOTICE_0601.format(date="2026-07-01", workers="wg-0101").replace(
        "东风反诈〔2026〕9号", "东风综治〔2026〕1号"
    )
    (sample / notice).write_text(text, encoding="utf-8")
    lines = cli(sample, "check")  # 2026-06 was sealed on 2026-07-07
    assert lines[0] == "exit 1"
    assert (
        f"{notice}:5: 更正公告的日期 2026-07-01 早于2026年6月结果的封存日期 2026-07-07：更正只能针对已封存公布的结果，"
        "须在封存之后发布，请核对发文日期"
    ) in lines
    assert any(
        line.endswith("更正公告 2026-07-01-correction-2026-06 的日期早于封存日期，不能更正这一期") for line in lines
    )
    assert cli(sample, "seal", "2026-06")[0] == "exit 1"


# --- a correction PR, step by step -------------------------------------------------------------------


def test_a_one_worker_correction_is_red_until_the_seal_records_it(sample: Path) -> None:
    relative = "records/2026/06/hepan/wg-0404.yaml"
    text = (sample / relative).read_text(encoding="utf-8")
    assert "summary:" not in text
    edit(sample, relative, "assessed_on: ", "notes: 补录佐证\nassessed_on: ")  # an internal field: no score moves
    unscoped = cli(sample, "check")
    assert unscoped[1].startswith(f"{relative}:1: 已封存的2026年6月结果有变化：wg-0404（")
    notice = "records/notices/2026-11-20-correction-2026-06.yaml"
    (sample / notice).write_text(NOTICE_0601.format(date="2026-11-20", workers="wg-0404"), encoding="utf-8")
    waiting = cli(sample, "check")
    assert waiting[0] == "exit 1"
    assert waiting[1].endswith(
        "更正公告 2026-11-20-correction-2026-06 已列出该网格员，请运行 gridscore seal 2026-06 在封存文件中记录这次更正（原值与新值）"
    )
    before = (sample / "records/seals/2026-06.yaml").read_text(encoding="utf-8")
    sealed = cli(sample, "seal", "2026-06", "--today", "2026-11-21")
    assert sealed == [
        "exit 0",
        "已在 records/seals/2026-06.yaml 记录更正（2026-11-20-correction-2026-06）：1 名网格员 1 处变化，原值与新值均保留",
    ]
    after = (sample / "records/seals/2026-06.yaml").read_text(encoding="utf-8")
    assert after.startswith(before)  # appended, never rewritten
    assert re.fullmatch(
        r"corrections:\n  - notice: 2026-11-20-correction-2026-06\n    sealed_on: 2026-11-21\n    changes:\n"
        r'      - \{worker: wg-0404, field: record, old: "[0-9a-f]{64}", new: "[0-9a-f]{64}"\}\n',
        after[len(before) :],
    )
    assert cli(sample, "check")[0] == "exit 0"


def test_a_correction_that_names_someone_without_a_change_is_refused(sample: Path) -> None:
    notice = "records/notices/2026-11-20-correction-2026-06.yaml"
    (sample / notice).write_text(NOTICE_0601.format(date="2026-11-20", workers="wg-0404, wg-0101"), encoding="utf-8")
    lines = cli(sample, "check")
    for who in ("wg-0404（萧雨）", "wg-0101（张伟）"):
        assert (
            f"{notice}:7: {who}的考评记录和2026年6月结果与封存一致，没有可更正的内容：请从 workers 中删除，或先修改该网格员的记录"
            in lines
        )


def test_correction_scope_is_required_and_checked(sample: Path) -> None:
    edit(sample, CORRECTION, "workers: [wg-0107, wg-0201, wg-0302]", "workers: [wg-0107, wg-9999]")
    lines = cli(sample, "check")
    assert f"{CORRECTION}:7: 未知的网格员编号“wg-9999”" in [line.split("，")[0] for line in lines] or any(
        line.startswith(f"{CORRECTION}:7: 未知的网格员编号“wg-9999”") for line in lines
    )
    edit(sample, CORRECTION, "workers: [wg-0107, wg-9999]", "workers: [wg-0107]")
    lines = cli(sample, "check")
    assert any(
        line.startswith("records/seals/2026-03.yaml:")
        and "改变了wg-0201（徐丽）的结果，但更正公告 2026-04-20-correction-2026-03 的 workers 没有列出该网格员" in line
        for line in lines
    )
    commendation = "records/notices/2026-04-08-commendation-2026-03.yaml"
    edit(sample, commendation, "body:", "workers: [wg-0107]\nbody:")
    assert any(
        line.startswith(f"{commendation}:") and "只有更正公告（kind: correction）才填写 workers" in line
        for line in cli(sample, "check")
    )


def test_a_forged_amendment_is_refused(sample: Path) -> None:
    seal = sample / "records/seals/2026-03.yaml"
    text = seal.read_text(encoding="utf-8")
    forged = text.replace(
        '{worker: wg-0107, field: total, old: "89.90", new: "88.88"}',
        '{worker: wg-0107, field: total, old: "80.00", new: "88.88"}',
    )
    seal.write_text(forged, encoding="utf-8")
    line = forged.splitlines().index('      - {worker: wg-0107, field: total, old: "80.00", new: "88.88"}') + 1
    assert (
        f"records/seals/2026-03.yaml:{line}: 更正记录的原值 80.00 与此前封存的值 89.90 不一致（封存文件由 gridscore seal 生成，请勿手工修改）"
    ) in cli(sample, "check")


def test_a_format_1_seal_is_refused_with_the_way_out(sample: Path) -> None:
    edit(sample, "records/seals/2026-09.yaml", "format: 2\n", "")
    lines = cli(sample, "check")
    assert lines[1] == (
        "records/seals/2026-09.yaml:4: 封存文件缺少 format: 2：它由旧版 gridscore 生成，没有记录摘要，无法证明记录未被改动。"
        "请按 README「封存文件升级」处理"
    )


# --- case 5: dates and the order of sealing ------------------------------------------------------------


def test_a_month_is_sealed_only_after_the_months_before_it(repo: Repo) -> None:
    for month in ("2026-10", "2026-11"):
        for worker in ("w1", "w2"):
            repo.record(worker, month)
    lines = [f"exit {(run := repo.run('seal', '2026-11', '--today', '2026-12-02')).code}", *run.err.splitlines()]
    assert lines == [
        "exit 1",
        "错误：无法封存2026年11月：更早的 1 个月还没有封存（2026-10）。请按月份顺序封存，先运行 gridscore seal 2026-10",
    ]
    assert repo.run("seal", "2026-10", "--today", "2026-12-02").code == 0
    assert repo.run("seal", "2026-11", "--today", "2026-12-02").code == 0
    early = repo.run("seal", "2026-12", "--today", "2026-12-02")
    assert early.code == 1 and "2026年12月还没有结束" in early.err


# --- case 6: the year needs its annual reviews ------------------------------------------------------


def sealed_year(repo: Repo) -> None:
    for month in range(1, 13):
        for worker in ("w1", "w2") if month > 2 else ("w1", "w2", "w3"):
            repo.record(worker, f"2026-{month:02d}", community="c2" if worker == "w3" else "c1", assessor="a1")
    for month in range(1, 13):
        assert repo.run("seal", f"2026-{month:02d}", "--today", "2027-01-05").code == 0


def test_a_year_is_sealed_only_with_every_annual_review(repo: Repo) -> None:
    sealed_year(repo)
    refused = repo.run("seal", "2026", "--today", "2027-01-20")
    assert refused.code == 1
    assert refused.err == (
        "错误：无法封存2026年度：以下 3 名网格员还没有年度综合评议：w1（张三，第一社区）、w2（欧阳娜娜，第一社区）、"
        "w3（王五，第二社区）。请运行 gridscore new 2026 生成年度评议文件（或用 gridscore export 2026 表格.xlsx 填写后导入），"
        "填写后再封存；不做年度评议的，请在考评标准中写 annual.review_required: false\n"
    )
    assert repo.run("new", "2026").code == 0
    for path in (repo.root / "records/2026/annual").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"review_score:.*", "review_score: 90", text)
        text = re.sub(r"assessed_by:.*", "assessed_by: a1", text)
        text = re.sub(r"assessed_on:.*", "assessed_on: 2027-01-10", text)
        path.write_text(text, encoding="utf-8")
    assert repo.run("check").code == 0, repo.run("check").err
    assert repo.run("seal", "2026", "--today", "2027-01-20").code == 0
    year = (repo.root / "records/seals/2026.yaml").read_text(encoding="utf-8")
    assert re.search(r'worker: w1, .*review_score: "90.00", record: "[0-9a-f]{64}"\}', year)


def test_without_required_reviews_the_year_seals_on_its_months(repo: Repo) -> None:
    sealed_year(repo)
    rubric = repo.root / "rubric/2026.yaml"
    text = rubric.read_text(encoding="utf-8")
    rubric.write_text(
        text.replace("  excellent_quota_min:", "  review_required: false\n  excellent_quota_min:", 1), encoding="utf-8"
    )
    assert repo.run("seal", "2026", "--today", "2027-01-20").code == 0


PUBLICITY_2026 = """\
kind: publicity
number: 测试反诈〔2027〕1号
title: 关于2026年度网格反诈工作考评结果的公示
period: 2026
date: 2027-01-12
issued_by: 测试街道反诈工作领导小组
publicity: {start: 2027-01-12, end: 2027-01-18, contact: "测试街道综治中心 电话 0000-0000000"}
body: |
  现将2026年度考评结果及拟表彰名单予以公示。
"""
OBJECTION = """\
notice: 2027-01-12-publicity-2026
received_on: 2027-01-14
channel: phone
summary: 对年度事迹的真实性提出异议
outcome: {outcome}
"""


def test_the_year_is_put_up_for_objections_before_it_is_sealed(repo: Repo, tmp_path: Path) -> None:
    sealed_year(repo)
    assert repo.run("new", "2026").code == 0
    for path in (repo.root / "records/2026/annual").rglob("*.yaml"):
        text = re.sub(r"review_score:.*", "review_score: 90", path.read_text(encoding="utf-8"))
        text = re.sub(r"assessed_by:.*", "assessed_by: a1", text)
        path.write_text(re.sub(r"assessed_on:.*", "assessed_on: 2027-01-10", text), encoding="utf-8")
    repo.write("records/notices/2027-01-12-publicity-2026.yaml", PUBLICITY_2026)
    repo.write("records/objections/2027-01-12-publicity-2026/1.yaml", OBJECTION.format(outcome="pending"))
    assert repo.run("check", "--today", "2027-01-15").code == 0  # a 公示 comes before the year's seal
    site = tmp_path / "site"
    assert repo.run("build", "--site-dir", str(site), "--today", "2027-01-15").code == 0
    page = (site / "notices/2027-01-12-publicity-2026/index.html").read_text(encoding="utf-8")
    assert "拟定名单" in page and "2026年度考评结果尚未封存，以下为拟定名单（暂定）" in page
    assert "公示中（至 1月18日），已收到异议 1 件" in page

    refused = repo.run("seal", "2026", "--today", "2027-01-20")
    assert refused.code == 1
    assert refused.err == (
        "错误：无法封存2026年度：公示的异议还有 1 件正在核实（records/objections/2027-01-12-publicity-2026/1.yaml）。"
        "核实办结后，在异议文件中填写核实结果 outcome、答复 reply 和办结日期 resolved_on，再封存\n"
    )
    repo.write(
        "records/objections/2027-01-12-publicity-2026/1.yaml",
        OBJECTION.format(outcome="rejected") + "reply: 经核实，事迹属实，异议不成立。\nresolved_on: 2027-01-19\n",
    )
    assert repo.run("seal", "2026", "--today", "2027-01-20").code == 0
    assert repo.run("build", "--site-dir", str(site), "--today", "2027-01-20").code == 0
    page = (site / "notices/2027-01-12-publicity-2026/index.html").read_text(encoding="utf-8")
    assert "拟定名单" not in page and "公示期内收到异议 1 件，已全部核实处理" in page
