"""gridscore diff v2 (issue #12, case 7): the PR report through the real command line, in real git repositories."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import PROJECT, Repo, run_cli
from .test_scoring import event, events, metrics
from .test_workflow import commit, git

OMITTED = re.compile(r"另有 (\d+) 项变化未显示，完整报告见 CI 的 gridscore-diff 附件（artifact）")


@pytest.fixture
def twice(repo: Repo) -> Repo:
    """w1 (perfect) and w2 (case_assistance good, 98) of c1 assessed for 2026-03, committed on main."""
    repo.record("w1", "2026-03")
    repo.record("w2", "2026-03", metrics=metrics(case="good"))
    git(repo.root, "init", "-q", "-b", "main")
    commit(repo, "三月考评")
    return repo


def head_of(repo: Repo) -> str:
    return git(repo.root, "rev-parse", "HEAD").strip()


def set_level(repo: Repo, relative: str, item: str, old: str, new: str) -> None:
    path = repo.root / relative
    text = path.read_text(encoding="utf-8")
    assert f"{item}: {old}" in text
    path.write_text(text.replace(f"{item}: {old}", f"{item}: {new}", 1), encoding="utf-8")


# --- validation first; results only where both sides validated ---------------------------------------


def test_one_bad_level_leads_with_the_problem_and_compares_no_results(twice: Repo) -> None:
    base = head_of(twice)
    set_level(twice, "records/2026/03/c1/w2.yaml", "case_assistance", "good", "great")
    head = commit(twice, "一个等级写错")
    run = twice.run("diff", base, head)
    assert run.code == 1
    assert run.out == (
        "<!-- gridscore-diff -->\n"
        f"## 考评结果变化：`{base}` → `{head}`\n"
        "**❌ HEAD 未通过校验（1 个问题），修正后才能比较结果** · 改动 1 个文件\n"
        "\n"
        "### ❌ 校验问题\n"
        "\n"
        "合并前请逐条修改（与 `gridscore check` 的输出相同）：\n"
        "\n"
        "```text\n"
        "records/2026/03/c1/w2.yaml:10: 涉诈案件协查（case_assistance）的等级“great”无效，"
        "可选：excellent（优秀）、good（良好）、fair（一般）、poor（较差）、none（无此项）\n"
        "```\n"
        "\n"
        "### 考评记录的改动\n"
        "\n"
        "每份改动的记录逐项列出“原值 → 新值”（含佐证、备注等内部字段：本报告只给审核人看，不会公开）。\n"
        "\n"
        "- `records/2026/03/c1/w2.yaml`（w2 欧阳娜娜，2026年3月）：1 处改动\n"
        "  - `metrics.case_assistance`：good → great\n"
        "\n"
        "<details><summary>改动的文件</summary>\n"
        "\n"
        "- `records/2026/03/c1/w2.yaml`\n"
        "\n"
        "</details>\n"
    )


def test_one_bad_level_in_the_sample_lists_no_deleted_results(tmp_path: Path) -> None:
    """The issue's case: one bad level made every result of every period of the sample 'deleted'."""
    root = tmp_path / "sample"
    shutil.copytree(PROJECT / "records", root / "records")
    shutil.copytree(PROJECT / "rubric", root / "rubric")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "样例")
    record = sorted((root / "records/2026").glob("*/*/*.yaml"))[-1]
    text = record.read_text(encoding="utf-8")
    level = re.search(r"case_assistance: (\w+)", text)
    assert level is not None
    record.write_text(text.replace(level.group(0), "case_assistance: great"), encoding="utf-8")
    git(root, "commit", "-qam", "一个等级写错")
    run = run_cli("diff", "HEAD~1", "HEAD", "--root", str(root))
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[2] == "**❌ HEAD 未通过校验（1 个问题），修正后才能比较结果** · 改动 1 个文件"
    problem = lines[lines.index("```text") + 1]
    assert problem.startswith(f"{record.relative_to(root).as_posix()}:") and "“great”无效" in problem
    assert "（删除）" not in run.out and "~~" not in run.out and "| --- |" not in run.out
    assert len(run.out) < 2000


def test_an_invalid_base_is_not_compared_and_its_problems_are_folded(twice: Repo) -> None:
    set_level(twice, "records/2026/03/c1/w2.yaml", "case_assistance", "good", "great")
    base = commit(twice, "main 上有一个等级写错")
    set_level(twice, "records/2026/03/c1/w2.yaml", "case_assistance", "great", "fair")
    head = commit(twice, "改正")
    run = twice.run("diff", base, head)
    assert run.code == 0, run.out
    lines = run.out.splitlines()
    assert lines[2] == "**✅ 校验通过** · 改动 1 个文件 · BASE 未通过校验，未比较结果"
    assert lines[4:7] == [
        "### 结果未比较",
        "",
        f"BASE（`{base}`）未通过校验（1 个问题），没有可比较的结果；"
        "HEAD 已通过校验，共 2 个考评期的结果，可用 `gridscore score 2026-03` 这样的命令逐期查看。",
    ]
    details = run.out.split("<details><summary>BASE 的校验问题</summary>")[1].split("</details>")[0]
    assert "records/2026/03/c1/w2.yaml:10: 涉诈案件协查（case_assistance）的等级“great”无效" in details
    assert "（新增）" not in run.out and "| --- |" not in run.out
    assert "  - `metrics.case_assistance`：great → fair" in lines


def test_diff_exits_1_when_the_seal_history_is_rewritten(twice: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    """The place the lead wires seal_history into: its problems are listed and make diff fail."""
    from generator import diff
    from generator.errors import Problem

    base = head_of(twice)
    rewritten = Problem(
        "records/seals/2026-03.yaml", 0, "提交 1a2b3c4 删除了封存文件。封存文件只能追加更正，不能删除或改写"
    )
    monkeypatch.setattr(diff, "seal_history_problems", lambda base_root, head_root: [rewritten])
    run = twice.run("diff", base)
    assert run.code == 1
    lines = run.out.splitlines()
    assert lines[2].startswith("**❌ 校验未通过** · 改动 0 个文件")
    at = lines.index("### ❌ 封存文件被删除或改写")
    assert lines[at + 4 : at + 7] == ["```text", str(rewritten), "```"]


# --- the columns of a changed result --------------------------------------------------------------------


def test_bonus_deduction_and_veto_columns(twice: Repo) -> None:
    base = head_of(twice)
    twice.record(
        "w1",
        "2026-03",
        extra=events(
            event("major_dissuasion", "2026-03-10", "    amount_yuan: 80000\n"),
            event("major_risk_incident", "2026-03-20"),
        ),
    )
    run = twice.run("diff", base)
    assert run.code == 0, run.out
    lines = run.out.splitlines()
    month = lines.index("#### 2026年3月（2 人）")
    assert lines[month + 2 : month + 6] == [
        "| 网格员 | 总分 | 等次 | 排名 | 加分 | 扣分 | 一票否决 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| w2 欧阳娜娜 | 98.00 | 优秀 | **2 → 1** | 0.00 | 0.00 | 否 |",
        "| w1 张三 | **100.00 → 92.00** | **优秀 → 良好** | **1 → 2** | **0.00 → 2.00** | **0.00 → 10.00** | **否 → 是** |",
    ]
    year = lines.index("#### 2026年度（2 人）")
    assert lines[year + 2 : year + 6] == [
        "| 网格员 | 月度平均分 | 年度评议 | 总分 | 等次 | 排名 | 荣誉 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        "| w2 欧阳娜娜 | 98.00 | — | 98.00 | 良好 | **2 → 1** | — |",
        "| w1 张三 | **100.00 → 92.00** | — | **100.00 → 92.00** | 良好 | **1 → 2** | — |",
    ]


def test_a_removed_record_is_one_struck_row_and_listed_as_removed(twice: Repo) -> None:
    base = head_of(twice)
    (twice.root / "records/2026/03/c1/w2.yaml").unlink()
    run = twice.run("diff", base)
    assert "| w2 欧阳娜娜（删除） | ~~98.00~~ | ~~优秀~~ | ~~2~~ | ~~0.00~~ | ~~0.00~~ | ~~否~~ |" in run.out
    assert "- `records/2026/03/c1/w2.yaml`（w2 欧阳娜娜，2026年3月）：删除记录" in run.out.splitlines()
    assert "**✅ 校验通过** · 改动 1 个文件 · 2 项结果变化（涉及 1 名网格员）" in run.out


# --- record fields, old → new -----------------------------------------------------------------------------

HOSTILE = "**粗体** <script>alert(1)</script> `code` [点我](javascript:alert(1)) | 列 @all ## 标题 <!-- x -->"


def test_field_changes_show_every_field_escaped(twice: Repo) -> None:
    import markdown  # type: ignore[import-untyped]

    org = twice.root / "records/organization.yaml"
    org.write_text(
        org.read_text(encoding="utf-8").replace(
            "assessors:\n", "assessors:\n  - {id: a3, name: 孙七, org: 派出所, communities: all}\n"
        ),
        encoding="utf-8",
    )
    twice.record("w1", "2026-03", extra=events(event("major_dissuasion", "2026-03-10", "    amount_yuan: 80000\n")))
    base = commit(twice, "加一个事件和考评人")
    hostile = HOSTILE.replace("'", "''")
    twice.record(
        "w1",
        "2026-03",
        metrics=metrics(publicity="{tasks_assigned: 4, tasks_completed: 4, key_people: 30, key_people_reached: 25}"),
        assessor="a3",
        extra=events(
            event("major_dissuasion", "2026-03-10", "    amount_yuan: 80000\n    evidence: 回执 DF-1\n").replace(
                "summary: 测试事迹", f"summary: '{hostile}'"
            )
        )
        + "notes: 内部备注\n",
    )
    run = twice.run("diff", base)
    assert run.code == 0, run.out
    lines = run.out.splitlines()
    at = lines.index("- `records/2026/03/c1/w1.yaml`（w1 张三，2026年3月）：5 处改动")
    assert lines[at + 1 : at + 6] == [
        "  - `assessed_by`：a1 → a3",
        "  - `metrics.publicity.key_people_reached`：30 → 25",
        "  - `events[0].summary`：测试事迹 → \\*\\*粗体\\*\\* &lt;script&gt;alert(1)&lt;/script&gt; \\`code\\` "
        "\\[点我\\](javascript:alert(1)) \\| 列 &#64;all \\#\\# 标题 &lt;\\!-- x --&gt;",
        "  - `events[0].evidence`：（无） → 回执 DF-1",
        "  - `notes`：（无） → 内部备注",
    ]
    html = markdown.markdown(lines[at + 3], extensions=["tables"])
    for tag in ("<script", "<strong>", "<code>code", "<a ", "<h2>标题", "<!-- x", "<table"):
        assert tag not in html, tag
    assert "&lt;script&gt;" in html


def test_a_line_break_or_backticks_in_a_field_cannot_end_the_line_or_the_code(twice: Repo) -> None:
    """An invalid HEAD still shows what changed in its records, each change on one line."""
    base = head_of(twice)
    path = twice.record("w1", "2026-03", extra="notes: |\n  第一行\n  ## 第二行 ``` <b>x</b>\n")
    text = (twice.root / path).read_text(encoding="utf-8")
    (twice.root / path).write_text(text + "'`odd` key': 1\n", encoding="utf-8")
    run = twice.run("diff", base)
    assert run.code == 1
    lines = run.out.splitlines()
    assert "  - `notes`：（无） → “第一行⏎\\#\\# 第二行 \\`\\`\\` &lt;b&gt;x&lt;/b&gt;⏎”" in lines
    assert "  - `` `odd` key ``：（无） → 1" in lines
    assert not [line for line in lines if line.startswith("## 第二行")]
    assert run.out.count("```") == 2  # the problems' fence only: nothing from the record opens or closes one


# --- missing records --------------------------------------------------------------------------------------


def test_missing_records_of_active_workers_are_a_warning(twice: Repo) -> None:
    base = head_of(twice)
    twice.record("w1", "2026-04")
    run = twice.run("diff", base)
    assert run.code == 0, run.out
    lines = run.out.splitlines()
    at = lines.index("### ⚠️ 缺少考评记录")
    assert lines[at + 2 :][:3] == [
        "合并前请补上（`gridscore new 月份` 生成空白记录）；有在岗网格员缺记录的月份不能封存。",
        "",
        "- 2026年4月：以下 1 名在岗网格员没有考评记录：w2（欧阳娜娜，第一社区）",
    ]
    assert "2026年3月：以下" not in run.out  # March is complete; w3 left in 2026-02


def test_many_missing_records_wrap_over_lines(repo: Repo) -> None:
    workers = "\n".join(
        f"  - {{id: m{n:02d}, name: 网格员{n}, community: c2, grid: g01, role: full_time, joined: 2025-01, "
        "left: null, publish_name: true}"
        for n in range(25)
    )
    org = repo.root / "records/organization.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("assessors:", workers + "\nassessors:"), encoding="utf-8")
    git(repo.root, "init", "-q", "-b", "main")
    base = commit(repo, "组织")
    repo.record("w1", "2026-03")
    run = repo.run("diff", base)
    lines = run.out.splitlines()
    first = next(line for line in lines if line.startswith("- 2026年3月："))
    assert first.startswith("- 2026年3月：以下 26 名在岗网格员没有考评记录：m00（网格员0，第二社区）、")
    assert first.count("（") == 20 and first.endswith("、")
    following = lines[lines.index(first) + 1]
    assert following.startswith("  m20（网格员20，第二社区）、") and following.endswith("w2（欧阳娜娜，第一社区）")


# --- a rubric change, summarized ---------------------------------------------------------------------------


def test_a_rubric_change_is_summarized_from_the_models(twice: Repo) -> None:
    twice.record(
        "w2",
        "2026-03",
        metrics=metrics(
            case="good", publicity="{tasks_assigned: 4, tasks_completed: 2, key_people: 30, key_people_reached: 30}"
        ),
    )
    base = commit(twice, "w2 宣传任务完成一半")
    path = twice.root / "rubric/2026.yaml"
    text = path.read_text(encoding="utf-8")
    edits = [
        ("        points: 15\n        method: formula", "        points: 16\n        method: formula"),
        ("label: 宣传任务完成率, points: 8,", "label: 宣传任务完成率, points: 9,"),
        ("        name: 风险隐患排查\n        points: 10", "        name: 风险隐患排查\n        points: 9"),
        ("label: 排查完成率（超额按 100% 计）, points: 6,", "label: 排查完成率（超额按 100% 计）, points: 5,"),
        (
            "    name: 协助挽回经济损失\n    effect: bonus\n    points: 2",
            "    name: 协助挽回经济损失\n    effect: bonus\n    points: 3",
        ),
        ("    points: {county: 1, city: 2, province: 3}", "    points: {county: 1, city: 2, province: 4}"),
        ("\ngrades:", "  - {id: video_made, name: 制作反诈短视频, effect: bonus, points: 0.5}\n\ngrades:"),
        ("{id: excellent, name: 优秀, min: 90}", "{id: excellent, name: 优秀, min: 92}"),
        ("# 事件目录", "# 注释改动不算规则变化\n# 事件目录"),
    ]
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    run = twice.run("diff", base)
    assert run.code == 0, run.out
    lines = run.out.splitlines()
    at = lines.index("- `rubric/2026.yaml`：修改，8 处规则变化：")
    assert lines[at + 1 : at + 10] == [
        "  - 项目“宣传教育普及”（publicity）：分值 15 → 16",
        "  - 项目“风险隐患排查”（screening）：分值 10 → 9",
        "  - 项目“宣传教育普及”（publicity）的计分公式第 1 项“宣传任务完成率”：分值 8 → 9",
        "  - 项目“风险隐患排查”（screening）的计分公式第 1 项“排查完成率（超额按 100% 计）”：分值 6 → 5",
        "  - 新增事件“制作反诈短视频”（video\\_made），加分 0.5",
        "  - 事件“协助挽回经济损失”（loss\\_recovered）：分值 2 → 3",
        "  - 事件“创新做法经上级认可或媒体报道”（innovation\\_recognized）：分值 省级 3 → 4",
        "  - 等次“优秀”（excellent）：最低分 90 → 92",
        # w2 did half its publicity tasks: that term 4.00 → 4.50, and screening 10 → 9; in March and in the year
        "- 按改动后的标准重新计算，**2** 项月度或年度得分与按原标准计算的不同：2026年3月 1 项、2026年度 1 项",
    ]
    assert "| w2 欧阳娜娜 | **94.00 → 93.50** |" in run.out


def test_a_comment_only_rubric_edit_says_no_rule_changed(twice: Repo) -> None:
    base = head_of(twice)
    path = twice.root / "rubric/2026.yaml"
    path.write_text("# 只加一行注释\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    run = twice.run("diff", base)
    assert "- `rubric/2026.yaml`：修改（只改了注释或排版，考评规则没有变化）" in run.out.splitlines()
    assert "- 按改动后的标准重新计算，**0** 项月度或年度得分与按原标准计算的不同" in run.out.splitlines()


# --- the size of a PR comment -------------------------------------------------------------------------------


def big_change(repo: Repo, count: int) -> str:
    """``count`` workers assessed in 2026-03 and committed; then every one's case_assistance changed (not committed)."""
    workers = "\n".join(
        f"  - {{id: b{n:03d}, name: 网格员{n}, community: c1, grid: g01, role: full_time, joined: 2025-01, "
        "left: null, publish_name: true}"
        for n in range(count)
    )
    org = repo.root / "records/organization.yaml"
    org.write_text(org.read_text(encoding="utf-8").replace("assessors:", workers + "\nassessors:"), encoding="utf-8")
    for worker in ("w1", "w2", *(f"b{n:03d}" for n in range(count))):
        repo.record(worker, "2026-03", metrics=metrics(case="good"))
    git(repo.root, "init", "-q", "-b", "main")
    base = commit(repo, "三月考评")
    for n in range(count):
        repo.record(f"b{n:03d}", "2026-03", metrics=metrics(case=("fair", "poor", "excellent")[n % 3]))
    return base


def changes_in(report: str) -> int:
    """What the report counts as one change each: a result row, a field change, a changed file."""
    lines = report.splitlines()
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| 网格员 |")]
    fields = [line for line in lines if line.startswith("  - `")]
    files = [line for line in lines if re.fullmatch(r"- `records/[^`]*`", line)]
    return len(rows) + len(fields) + len(files)


def test_a_long_report_is_cut_to_a_comment_and_written_in_full(repo: Repo, tmp_path: Path) -> None:
    import markdown  # type: ignore[import-untyped]

    base = big_change(repo, 500)
    full = tmp_path / "out/gridscore-diff.md"
    run = repo.run("diff", base, "--full", str(full))
    assert run.code == 0, run.err
    comment, whole = run.out, full.read_text(encoding="utf-8")
    assert len(comment.encode("utf-16-le")) // 2 <= 60_000 < len(whole)
    last = comment.splitlines()[-1]
    omitted = OMITTED.fullmatch(last)
    assert omitted, last
    assert int(omitted.group(1)) == changes_in(whole) - changes_in(comment) > 0
    assert comment.splitlines()[-2] == ""
    assert whole.startswith(comment.rsplit("\n\n", 1)[0].split("\n| ")[0])  # the same report, cut
    for n in range(500):
        assert f"- `records/2026/03/c1/b{n:03d}.yaml`（b{n:03d} 网格员{n}，2026年3月）：1 处改动" in whole
    assert "另有" not in whole
    # no row or fence is cut: every table row has the header's cells; the comment ends outside any table
    html = markdown.markdown(comment, extensions=["tables"])
    assert html.count("<table>") == html.count("</table>") >= 1
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        head = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], re.S):
            assert len(re.findall(r"<td", row)) == head, row
    assert whole.count("\n| ") > comment.count("\n| ")  # cut inside a table, between two rows
    assert "### 考评记录的改动" not in comment


def test_the_cut_closes_a_code_fence_it_stops_in(twice: Repo) -> None:
    base = head_of(twice)
    for n in range(60):
        twice.write(f"records/2026/03/c1/x{n:02d}.yaml", f"worker: x{n:02d}\nperiod: 2026-03\n")
    run = twice.run("diff", base, "--limit", "4000")
    assert run.code == 1
    assert len(run.out) <= 4000
    lines = run.out.splitlines()
    fences = [index for index, line in enumerate(lines) if line.startswith("```")]
    assert len(fences) == 2 and lines[fences[0]] == "```text" and lines[fences[1]] == "```"
    shown = lines[fences[0] + 1 : fences[1]]
    wrong = twice.run("diff", base, "--limit", "六万")
    assert wrong.code == 1 and wrong.out == ""
    assert wrong.err == "错误：--limit 应为不小于 0 的整数（字符数，如 60000；0 表示不截断），实际为“六万”\n"
    unlimited = twice.run("diff", base, "--limit", "0")
    assert not OMITTED.search(unlimited.out) and len(unlimited.out) > 4000
    every = unlimited.out.split("```text\n")[1].split("```")[0].splitlines()
    assert len(every) > 60 and 5 < len(shown) < len(every) and shown == every[: len(shown)]
    omitted = OMITTED.fullmatch(lines[-1])
    assert omitted and int(omitted.group(1)) > len(every) - len(shown)


def test_the_full_report_is_not_written_through_a_link_or_into_the_data(twice: Repo, tmp_path: Path) -> None:
    base = head_of(twice)
    target = tmp_path / "elsewhere.md"
    target.write_text("不能被改写", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    run = twice.run("diff", base, "--full", str(link))
    assert run.code == 1 and run.out == ""
    assert run.err == f"错误：完整报告文件 {link} 是符号链接，不能写入：请换一个文件名，或先删除这个链接\n"
    assert target.read_text(encoding="utf-8") == "不能被改写"
    inside = twice.root / "records/report.md"
    run = twice.run("diff", base, "--full", str(inside))
    assert run.code == 1 and not inside.exists()
    assert run.err.startswith("错误：完整报告文件不能写在 records/ 里")


def test_diff_help_documents_the_full_report_and_the_limit() -> None:
    run = run_cli("diff", "--help")
    assert run.code == 0
    flat = re.sub(r"\s+", "", run.out)
    assert "--fullFILE" in flat and "gridscore-diff.md" in flat
    assert "--limit" in flat and "0表示不截断" in flat


# --- the revision is read as committed, whatever the tree says about itself -------------------------


def test_a_committed_link_with_an_absolute_target_is_reported_not_a_crash(twice: Repo) -> None:
    base = head_of(twice)
    (twice.root / "records/2026/03/c1/w3.yaml").symlink_to("/etc/passwd")
    head = commit(twice, "一个链接")
    run = twice.run("diff", base, head)
    assert run.code == 1, run.err
    assert (
        "records/2026/03/c1/w3.yaml:1: 这是一个符号链接（指向 /etc/passwd）：为了安全，gridscore 不跟随符号链接"
        in run.out
    )


def test_gitattributes_cannot_hide_or_rewrite_a_file_from_the_report(twice: Repo) -> None:
    base = head_of(twice)
    twice.write(".gitattributes", "records/2026/03/c1/w2.yaml export-ignore\nrecords/** export-subst\n")
    set_level(twice, "records/2026/03/c1/w2.yaml", "case_assistance", "good", "fair")
    head = commit(twice, "改了等级，再藏起来")
    run = twice.run("diff", base, head)
    assert run.code == 0, run.out
    assert "`metrics.case_assistance`：good → fair" in run.out
    assert "删除" not in run.out.split("### 考评记录的改动")[1]
