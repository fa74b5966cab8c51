"""The command line as a user meets it: the sample repository, explain, usage errors, docs."""

from __future__ import annotations

import json
import re

from generator.report import annual_json, monthly_json
from generator.results import Results
from generator.validate import load_dataset

from .conftest import PROJECT, Repo, run_cli, run_subprocess
from .test_scoring import SPEC_EXAMPLE, event, events


def test_sample_repository_passes_check() -> None:
    run = run_cli("check", "--root", str(PROJECT))
    assert run.code == 0, run.err
    assert run.out.startswith("检查通过：4 个社区")


def test_module_entry_point_and_group_level_root() -> None:
    proc = run_subprocess("--root", str(PROJECT), "score", "2026-03", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["period"] == "2026-03" and data["rubric"] == "2026"
    ranks = [r["rank"] for r in data["results"]]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_sample_shows_every_rule() -> None:
    """The sample is meant to demonstrate each rule; keep it that way when regenerating it."""
    results = Results(load_dataset(PROJECT))
    monthly = [monthly_json(month, results.month(month), sealed=False) for month in results.dataset.months()]
    assert len(monthly) == 22
    grades = {r["grade"] for month in monthly for r in month["results"]}
    assert grades == {"优秀", "良好", "合格", "不合格"}
    assert any(r["vetoed"] for month in monthly for r in month["results"])
    assert {month["rubric"] for month in monthly} == {"2025", "2026"}
    capped = [r for month in monthly if month["rubric"] == "2026" for r in month["results"] if r["bonus"] == "10.00"]
    assert capped, "a month whose bonuses reach the cap"
    year_2025 = annual_json(results.year(2025), sealed=True)["results"]
    honors = {h for r in year_2025 for h in r["honors"]}
    assert honors == {"优秀网格员", "反诈能手"}
    assert any(r["review_score"] is None for r in year_2025)
    assert any(r["grade"] == "不合格" for r in year_2025)


def test_explain_traces_every_point(repo: Repo) -> None:
    extra = events(event("major_dissuasion", "2026-03-12", "    amount_yuan: 80000\n"))
    path = repo.record("w1", "2026-03", metrics=SPEC_EXAMPLE, extra=extra)
    run = repo.run("explain", "w1", "2026-03")
    assert run.code == 0, run.err
    text = run.out
    assert f"考评记录：{path}" in text
    assert "重点人群覆盖率：7 × 走访宣传覆盖的重点人群人数 30 ÷ 网格内重点人群人数 35 = 6（记录第 6 行）" in text
    assert (
        "排查完成率（超额按 100% 计）：6 × min(实际排查次数 5 ÷ 规定的排查次数 4, 1) = 6 × 1 = 6（记录第 7 行）" in text
    )
    assert "得分：9.7619… → 四舍五入 9.76" in text
    assert "评定等级：无此项（none，本月无此项任务，计满分，记录第 11 行） → 5 × 1 = 5" in text
    assert f"+2 成功劝阻重大涉案金额（2026-03-12，金额 80000 元）：测试事迹（{path}:15）" in text
    assert "总分 = 31.76 + 34.43 + 14.00 + 2.00（加分） = 82.19" in text
    assert "等次：良好（80 分 ≤ 得分 < 90 分）" in text
    assert re.search(r"规则见 rubric/2026\.yaml:\d+", text)


def test_explain_year_writes_out_the_arithmetic(repo: Repo) -> None:
    repo.record("w1", "2026-01")
    repo.record("w1", "2026-02", extra=events(event("info_error", "2026-02-03")))
    repo.write(
        "records/2026/annual/c1/w1.yaml",
        "worker: w1\nyear: 2026\nreview_score: 88.5\nassessed_by: a1\nassessed_on: 2027-01-10\n",
    )
    text = repo.run("explain", "w1", "2026").out
    assert "月度平均分 = (100.00 + 98.00) ÷ 2 = 99.00" in text
    # 0.7 × 99 + 0.3 × 88.5 = 69.3 + 26.55 = 95.85
    assert "年度得分 = 0.7 × 99.00 + 0.3 × 88.50 = 95.85" in text
    assert "考评月数 2 个，不足 6 个月" in text


def test_explain_veto_says_why_the_grade_is_capped(repo: Repo) -> None:
    repo.record("w1", "2026-03", extra=events(event("major_risk_incident", "2026-03-20")))
    text = repo.run("explain", "w1", "2026-03").out
    assert "一票否决：当月及当年等次最高为良好" in text
    assert "等次：良好（得分达到优秀，但有一票否决事件，最高为良好）" in text


def test_usage_errors_are_chinese_and_exit_nonzero(repo: Repo) -> None:
    repo.record("w1", "2026-03")
    assert repo.run("score", "2026-3").err.startswith("错误：考评期“2026-3”格式不对")
    assert repo.run("score", "2026-04").err == "错误：2026-04 没有考评记录（现有考评期：2026-03 至 2026-03）\n"
    unknown = repo.run("explain", "w1x", "2026-03")
    assert (unknown.code, unknown.err) == (1, "错误：未知的网格员“w1x”，您是否想写“w1”？\n")
    absent = repo.run("explain", "w2", "2026-03")
    assert absent.err == "错误：w2（欧阳娜娜）在 2026-03 没有考评记录\n"
    missing = run_cli("score")
    assert missing.code == 1 and missing.err.startswith("错误：缺少参数 PERIOD")
    assert run_cli("nonsense").err.startswith("错误：没有命令“nonsense”")


def test_not_a_repository(tmp_path) -> None:
    run = run_cli("check", "--root", str(tmp_path))
    assert run.code == 1
    assert run.lines[0] == "records: 找不到 records 文件夹：请在考评仓库的根目录运行，或用 --root 指定"


def test_invalid_data_stops_score_too(repo: Repo) -> None:
    repo.record("w1", "2026-03", extra="notes: [\n")
    run = repo.run("score", "2026-03", "--json")
    assert run.code == 1 and run.out == ""
    assert run.lines[0].startswith("records/2026/03/c1/w1.yaml:")


def test_every_command_is_documented_in_the_readme() -> None:
    from generator.cli import cli

    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"gridscore {name}" in readme, name
    assert "python -m pytest" in readme
    assert "python -m pytest" in (PROJECT / ".ci/run").read_text(encoding="utf-8")


def test_a_directory_given_as_a_file_is_exit_1_in_chinese(tmp_path) -> None:
    folder = tmp_path / "表格"
    folder.mkdir()
    run = run_cli("import", str(folder))
    assert run.code == 1
    assert run.err.splitlines()[0] == f"错误：FILE“{folder}”是文件夹，这里需要一个文件"


def test_score_says_whether_results_are_sealed(repo: Repo) -> None:
    """§4/§5: provisional is never final. `sealed` in the JSON, 暂定 in the text of score and explain."""
    import json

    repo.record("w1", "2026-03")
    repo.record("w2", "2026-03")
    open_json = json.loads(repo.run("score", "2026-03", "--json").out)
    assert list(open_json)[:4] == ["period", "rubric", "sealed", "results"] and open_json["sealed"] is False
    provisional = "暂定：本期结果尚未封存，封存前可能调整"
    assert repo.run("score", "2026-03").out.splitlines()[1] == provisional
    assert repo.run("explain", "w1", "2026-03").out.splitlines()[1] == provisional
    assert repo.run("score", "2026").out.splitlines()[2] == provisional
    assert json.loads(repo.run("score", "2026", "--json").out)["sealed"] is False
    sealed = repo.run("seal", "2026-03")
    assert sealed.code == 0, sealed.err
    assert json.loads(repo.run("score", "2026-03", "--json").out)["sealed"] is True
    assert provisional not in repo.run("score", "2026-03").out
    assert provisional not in repo.run("explain", "w1", "2026-03").out
    assert json.loads(repo.run("score", "2026", "--json").out)["sealed"] is False  # the year is still open


def test_today_is_chosen_by_option_or_environment(repo: Repo, monkeypatch) -> None:
    """§4: --today (before or after the command) or GRIDSCORE_TODAY sets the date; a bad one is a clear error."""
    from generator import today as clock

    repo.record("w1", "2026-03")
    monkeypatch.setenv("GRIDSCORE_TODAY", "2026-05-01")
    assert clock.today().isoformat() == "2026-05-01"
    run = run_cli("--today", "2026-0x-01", "check", "--root", str(repo.root))
    assert run.code == 1 and run.err.splitlines()[0] == "错误：--today 应为日期，格式如 2026-12-02，实际为“2026-0x-01”"
    assert repo.run("check", "--today", "2026-04-10").code == 0
    assert clock.today().isoformat() == "2026-05-01"  # --today held for that one command
    monkeypatch.setenv("GRIDSCORE_TODAY", "五月")
    run = repo.run("check")
    assert (
        run.code == 1
        and run.err.splitlines()[0] == "错误：环境变量 GRIDSCORE_TODAY 应为日期，格式如 2026-12-02，实际为“五月”"
    )


def test_no_date_after_today(repo: Repo) -> None:
    """§6: assessed_on, a review's assessed_on and a notice's date may not be after today."""
    advice = "：不能填写将来的日期，请核对年份和月份（要按另一天检查，用 --today）"
    repo.record("w1", "2026-11")
    path = repo.record("w2", "2026-11").replace("w2", "w2")
    repo.write(path, (repo.root / path).read_text(encoding="utf-8").replace("2026-12-02", "2027-01-04"))
    repo.write(
        "records/2026/annual/c1/w1.yaml",
        "worker: w1\nyear: 2026\nreview_score: 90\nassessed_by: a1\nassessed_on: 2027-01-10\n",
    )
    run = repo.run("check", "--today", "2026-12-02")
    assert run.code == 1
    assert run.lines[:-1] == [
        f"records/2026/11/c1/w2.yaml:4: 考评日期 2027-01-04 晚于今天（2026-12-02）{advice}",
        f"records/2026/annual/c1/w1.yaml:5: 评议日期 2027-01-10 晚于今天（2026-12-02）{advice}",
    ]
    assert repo.run("check", "--today", "2027-01-10").code == 0
