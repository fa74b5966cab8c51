"""Objections (异议) to a 公示 (§2): their files, their checks, the notice's 公示结果, and the year seal."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from generator.objections import pending_objections, year_seal_refusal
from generator.validate import load_dataset

from .conftest import ORGANIZATION, PROJECT, Repo, run_cli

SAMPLE_NOTICE = "2026-01-12-publicity-2025"  # 公示期 2026-01-12 至 2026-01-18
FOLDER = f"records/objections/{SAMPLE_NOTICE}"
FUTURE = "晚于今天（{today}）：不能填写将来的日期，请核对年份和月份（要按另一天检查，用 --today）"


def objection(
    notice: str = SAMPLE_NOTICE,
    received_on: str = "2026-01-14",
    channel: str = "phone",
    summary: str = "对某网格员年度事迹的真实性提出异议",
    outcome: str = "rejected",
    reply: str | None = "经核实，相关事迹有派出所回执佐证，异议不成立。",
    resolved_on: str | None = "2026-01-17",
) -> str:
    """An objection file, one field a line in the spec's order (line 1 notice … line 7 resolved_on)."""
    lines = [
        f"notice: {notice}",
        f"received_on: {received_on}",
        f"channel: {channel}",
        f"summary: {summary}",
        f"outcome: {outcome}",
    ]
    if reply is not None:
        lines.append(f"reply: {reply}")
    if resolved_on is not None:
        lines.append(f"resolved_on: {resolved_on}")
    return "\n".join(lines) + "\n"


class SampleRepo(Repo):
    """A copy of the sample repository (with its own resolved objection) to add files to."""

    def __init__(self, root: Path) -> None:
        self.root = root


@pytest.fixture
def sample_repo(sample: Path) -> Repo:
    return SampleRepo(sample)


def check_lines(repo: Repo, *args: str) -> list[str]:
    """The problems ``check`` reports (exit 1), without its closing count."""
    run = repo.run("check", *args)
    assert run.code == 1, run.out
    *problems, summary = run.lines
    assert summary == f"发现 {len(problems)} 个问题，请逐条修改后重新运行 gridscore check。"
    return problems


# --- a small repository whose March 2026 results are sealed and put to a 公示 -------------------

SMALL_NOTICE = "2026-04-08-publicity-2026-03"  # 公示期 2026-04-08 至 2026-04-14
SMALL_FOLDER = f"records/objections/{SMALL_NOTICE}"


def publicity(start: str = "2026-04-08", end: str = "2026-04-14") -> str:
    return (
        "kind: publicity\n"
        "number: 测试反诈〔2026〕2号\n"
        "title: 关于2026年3月考评结果的公示\n"
        "period: 2026-03\n"
        "date: 2026-04-08\n"
        "issued_by: 测试街道反诈工作领导小组\n"
        f'publicity: {{start: {start}, end: {end}, contact: "测试街道综治中心 电话 0000-0000000"}}\n'
        "body: 现将2026年3月考评结果予以公示。\n"
    )


@pytest.fixture
def small(repo: Repo) -> Repo:
    """Two workers from 2026-03, that month sealed on 2026-04-05 and its 公示 from 2026-04-08 to 04-14."""
    workers = [line for line in ORGANIZATION.splitlines() if "id: w3" not in line]
    repo.write("records/organization.yaml", "\n".join(workers).replace("joined: 2025-01", "joined: 2026-03") + "\n")
    repo.record("w1", "2026-03")
    repo.record("w2", "2026-03")
    sealed = repo.run("seal", "2026-03", "--today", "2026-04-05")
    assert sealed.code == 0, sealed.err
    repo.write(f"records/notices/{SMALL_NOTICE}.yaml", publicity())
    return repo


def small_objection(**fields: str | None) -> str:
    values: dict[str, str | None] = {
        "notice": SMALL_NOTICE,
        "received_on": "2026-04-09",
        "resolved_on": "2026-04-12",
        **fields,
    }
    return objection(**values)  # type: ignore[arg-type]


def result_section(markdown: str) -> str:
    """The 公示结果 section of a notice page's Markdown."""
    return markdown[markdown.index("## 公示结果") :]


def built_notice(repo: Repo, today: str, tmp_path: Path, audience: str = "public") -> str:
    """Build the site as of ``today`` through the real CLI and return the notice's page (HTML)."""
    site = tmp_path / f"site-{audience}-{today}"
    run = repo.run("build", "--today", today, "--audience", audience, "--site-dir", str(site))
    assert run.code == 0, run.err
    return (site / "notices" / SMALL_NOTICE / "index.html").read_text(encoding="utf-8")


def result_html(page: str) -> str:
    """The 公示结果 section of a built notice page, tags stripped, one line per block."""
    section = page[page.index(">公示结果</h2>") + 1 :]
    section = section[: section.index("</article>")] if "</article>" in section else section
    text = re.sub(r"<(?:li|p|/li|/p|ol|/ol|ul|/ul)>", "\n", section)
    text = re.sub(r"<[^>]+>", "", text)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


# --- the sample ----------------------------------------------------------------------------------


def test_the_sample_objection_is_checked_and_stated_on_its_notice() -> None:
    run = run_cli("check", "--root", str(PROJECT))
    assert run.code == 0, run.err
    dataset = load_dataset(PROJECT)
    assert [(o.notice_stem, o.number, o.objection.outcome) for o in dataset.objections] == [
        (SAMPLE_NOTICE, 1, "rejected")
    ]
    from generator.build import render_site

    for audience in ("public", "internal"):  # summaries and replies are public: both builds show them
        _, files = render_site(PROJECT, audience, date(2026, 11, 1))  # type: ignore[arg-type]
        section = result_section(files[f"notices/{SAMPLE_NOTICE}.md"].decode("utf-8"))
        assert section.splitlines()[2] == "公示期内收到异议 1 件，已全部核实处理"
        assert "1. 1月14日收到（来电）：对拟表彰的一名网格员年度劝阻事迹的真实性提出异议" in section
        assert "    - 核实结果：不属实（1月17日办结）" in section
        assert (
            "    - 答复：经核实，相关劝阻事迹有派出所出具的回执和当事居民的书面确认，异议不成立，维持公示结果。"
            in section
        )


# --- where objection files go ----------------------------------------------------------------------


def test_objection_files_are_named_by_notice_and_number(sample_repo: Repo) -> None:
    sample_repo.write(f"{FOLDER}/01.yaml", objection())
    sample_repo.write(f"{FOLDER}/first.yaml", objection())
    sample_repo.write("records/objections/Publicity_2025/1.yaml", objection(notice="Publicity_2025"))
    sample_repo.write("records/objections/1.yaml", objection())
    sample_repo.write(f"{FOLDER}/2026/1.yaml", objection())
    sample_repo.write(f"{FOLDER}/2.yml", objection())
    place = "异议文件应放在 records/objections/<公示的文件名>/<序号>.yaml，如 records/objections/2026-01-12-publicity-2025/1.yaml"
    number = "异议文件名应为从 1 起的序号，如 1.yaml、2.yaml（不补 0），实际为 "
    assert check_lines(sample_repo) == [
        "records/objections/1.yaml:1: " + place,
        f"{FOLDER}/01.yaml:1: {number}“01.yaml”",
        f"{FOLDER}/2.yml:1: 请使用 .yaml 扩展名（不是 .yml）",
        f"{FOLDER}/2026/1.yaml:1: " + place,
        f"{FOLDER}/first.yaml:1: {number}“first.yaml”",
        "records/objections/Publicity_2025/1.yaml:1: 文件夹名“Publicity_2025”不是公示的文件名："
        "异议放在以所涉公示的文件名（不含 .yaml）命名的文件夹里，如 records/objections/2026-01-12-publicity-2025/1.yaml",
    ]


def test_a_misplaced_objection_is_still_checked_inside(sample_repo: Repo) -> None:
    sample_repo.write(f"{FOLDER}/02.yaml", objection(channel="fax"))
    assert check_lines(sample_repo) == [
        f"{FOLDER}/02.yaml:1: 异议文件名应为从 1 起的序号，如 1.yaml、2.yaml（不补 0），实际为 “02.yaml”",
        f"{FOLDER}/02.yaml:3: “channel”应为以下之一：phone（来电）、letter（来信）、visit（来访）、online（网上），实际为 “fax”",
    ]


def test_a_symlinked_objection_file_or_folder_is_refused(sample_repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(objection(), encoding="utf-8")
    os.symlink(outside, sample_repo.root / FOLDER / "2.yaml")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "1.yaml").write_text(objection(notice="2026-01-20-commendation-2025"), encoding="utf-8")
    os.symlink(folder, sample_repo.root / "records/objections/2026-01-20-commendation-2025")
    advice = "：为了安全，gridscore 不跟随符号链接，请删除它，换成真正的文件（或文件夹）"
    assert check_lines(sample_repo) == [
        f"{FOLDER}/2.yaml:1: 这是一个符号链接（指向 {outside}）{advice}",
        f"records/objections/2026-01-20-commendation-2025:1: 这是一个符号链接（指向 {folder}）{advice}",
    ]


def test_a_fifo_in_place_of_an_objection_is_refused(sample_repo: Repo) -> None:
    os.mkfifo(sample_repo.root / FOLDER / "2.yaml")
    assert check_lines(sample_repo) == [
        f"{FOLDER}/2.yaml:1: 这是一个命名管道（FIFO），不是普通文件：gridscore 不读取它，请删除"
    ]


# --- the file itself -------------------------------------------------------------------------------


def test_reply_and_resolved_on_exactly_when_resolved(sample_repo: Repo) -> None:
    sample_repo.write(f"{FOLDER}/2.yaml", objection(outcome="pending"))
    sample_repo.write(f"{FOLDER}/3.yaml", objection(reply=None))
    sample_repo.write(f"{FOLDER}/4.yaml", objection(outcome="upheld", resolved_on=None))
    sample_repo.write(f"{FOLDER}/5.yaml", objection(outcome="maybe"))
    sample_repo.write(f"{FOLDER}/6.yaml", objection(summary="|\n  第一行\n  第二行"))
    sample_repo.write(f"{FOLDER}/7.yaml", objection(summary="一" * 501))
    sample_repo.write(f"{FOLDER}/8.yaml", objection() + "objector: 王某\n")
    then = "：核实办结后，把 outcome 改为核实结果（upheld 属实、partly 部分属实或 rejected 不属实），再填写 reply 和 resolved_on"
    fields = "notice、received_on、channel、summary、outcome、reply、resolved_on"
    assert check_lines(sample_repo) == [
        f"{FOLDER}/2.yaml:6: outcome 为 pending（核实中），不能填写答复 reply{then}",
        f"{FOLDER}/2.yaml:7: outcome 为 pending（核实中），不能填写办结日期 resolved_on{then}",
        f"{FOLDER}/3.yaml:1: outcome 为 rejected（不属实），须填写答复 reply（会随异议摘要一并公开）；尚未核实完毕请写 outcome: pending",
        f"{FOLDER}/4.yaml:1: outcome 为 upheld（属实），须填写办结日期 resolved_on；尚未核实完毕请写 outcome: pending",
        f"{FOLDER}/5.yaml:5: “outcome”应为以下之一：upheld（属实）、partly（部分属实）、rejected（不属实）、pending（核实中），实际为 “maybe”",
        f"{FOLDER}/6.yaml:4: “summary”不能含有换行或控制字符（第 4 个字符是换行），请写成一行",
        f"{FOLDER}/7.yaml:4: “summary”不能超过 500 个字符，实际为 501 个字符",
        f"{FOLDER}/8.yaml:8: 未知字段“objector”；可用的字段：{fields}",
    ]


def test_chinese_labels_and_a_pending_objection_pass(sample_repo: Repo) -> None:
    sample_repo.write(f"{FOLDER}/2.yaml", objection(channel="来信", outcome="部分属实"))
    sample_repo.write(f"{FOLDER}/3.yaml", objection(channel="网上", outcome="核实中", reply=None, resolved_on=None))
    run = sample_repo.run("check")
    assert run.code == 0, run.err
    found = {o.number: o.objection for o in load_dataset(sample_repo.root).objections}
    assert (found[2].channel, found[2].outcome, found[3].channel, found[3].outcome) == (
        "letter",
        "partly",
        "online",
        "pending",
    )


# --- against the notice and the calendar -----------------------------------------------------------


def test_the_objection_names_an_existing_publicity_and_comes_in_during_it(sample_repo: Repo) -> None:
    sample_repo.write(f"{FOLDER}/2.yaml", objection(notice="2026-01-20-commendation-2025"))
    sample_repo.write(
        "records/objections/2026-01-13-publicity-2025/1.yaml", objection(notice="2026-01-13-publicity-2025")
    )
    sample_repo.write(
        "records/objections/2026-01-20-commendation-2025/1.yaml", objection(notice="2026-01-20-commendation-2025")
    )
    sample_repo.write(f"{FOLDER}/3.yaml", objection(received_on="2026-01-19", resolved_on="2026-01-20"))
    sample_repo.write(f"{FOLDER}/4.yaml", objection(received_on="2026-01-11"))
    sample_repo.write(f"{FOLDER}/5.yaml", objection(received_on="2026-01-16", resolved_on="2026-01-15"))
    assert check_lines(sample_repo) == [
        f"{FOLDER}/2.yaml:1: notice 为“2026-01-20-commendation-2025”，但文件在 {SAMPLE_NOTICE} 文件夹中，"
        "两者必须一致（文件夹名就是所涉公示的文件名，不含 .yaml）",
        f"{FOLDER}/3.yaml:2: 收到日期 2026-01-19 不在公示期（2026-01-12 至 2026-01-18）内："
        "只有公示期内收到的意见才登记为对这次公示的异议，请核对日期",
        f"{FOLDER}/4.yaml:2: 收到日期 2026-01-11 不在公示期（2026-01-12 至 2026-01-18）内："
        "只有公示期内收到的意见才登记为对这次公示的异议，请核对日期",
        f"{FOLDER}/5.yaml:7: 办结日期 2026-01-15 早于收到日期 2026-01-16，请核对",
        "records/objections/2026-01-13-publicity-2025/1.yaml:1: 找不到公示 records/notices/2026-01-13-publicity-2025.yaml："
        "异议须放在所涉公示的文件名（不含 .yaml）命名的文件夹里，您是否想写“2026-01-12-publicity-2025”？",
        "records/objections/2026-01-20-commendation-2025/1.yaml:1: records/notices/2026-01-20-commendation-2025.yaml "
        "是通报表扬（kind: commendation），不是公示：只有公示（kind: publicity）受理异议",
    ]


def test_an_objection_to_a_broken_notice_leaves_the_notice_to_speak(sample_repo: Repo) -> None:
    notice = sample_repo.root / f"records/notices/{SAMPLE_NOTICE}.yaml"
    notice.write_text(
        notice.read_text(encoding="utf-8").replace("kind: publicity", "kind: publicityy"), encoding="utf-8"
    )
    lines = check_lines(sample_repo)
    assert [line.split(":")[0] for line in lines] == [f"records/notices/{SAMPLE_NOTICE}.yaml"], lines


def test_received_and_resolved_not_after_today(small: Repo) -> None:
    small.write(f"{SMALL_FOLDER}/1.yaml", small_objection(received_on="2026-04-11", resolved_on="2026-04-11"))
    small.write(f"{SMALL_FOLDER}/2.yaml", small_objection(received_on="2026-04-09", resolved_on="2026-04-12"))
    future = FUTURE.format(today="2026-04-10")
    assert check_lines(small, "--today", "2026-04-10") == [
        f"{SMALL_FOLDER}/1.yaml:2: 收到日期 2026-04-11 {future}",
        f"{SMALL_FOLDER}/1.yaml:7: 办结日期 2026-04-11 {future}",
        f"{SMALL_FOLDER}/2.yaml:7: 办结日期 2026-04-12 {future}",
    ]
    assert small.run("check", "--today", "2026-04-12").code == 0


def test_personal_numbers_in_summary_or_reply_are_refused(sample_repo: Repo) -> None:
    sample_repo.write(
        f"{FOLDER}/2.yaml",
        objection(
            summary="异议人（电话 138 1234 5678）反映事迹不实", reply="已电话回复 ０１０-１２３４５６７８ 的来电人"
        ),
    )
    advice = "，请删除（不要写异议人的联系方式和证件号）"
    assert check_lines(sample_repo) == [
        f"{FOLDER}/2.yaml:4: summary 会公开发布，不能含有手机号码“138 1234 5678”{advice}",
        f"{FOLDER}/2.yaml:6: reply 会公开发布，不能含有电话号码“０１０-１２３４５６７８”{advice}",
    ]


# --- the notice's 公示结果, as of the build date ------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state", "text"),
    [
        ("2026-04-09", "未开始", "公示将于 4月10日开始"),  # the notice says on 04-08 that it starts on 04-10
        ("2026-04-10", "公示中", "公示中（至 4月14日），已收到异议 0 件"),
        ("2026-04-14", "公示中", "公示中（至 4月14日），已收到异议 0 件"),
        ("2026-04-15", "已结束", "公示期满，未收到异议"),
    ],
)
def test_statement_without_objections(small: Repo, tmp_path: Path, today: str, state: str, text: str) -> None:
    small.write(f"records/notices/{SMALL_NOTICE}.yaml", publicity(start="2026-04-10"))
    page = built_notice(small, today, tmp_path)
    assert f">{state}</span>（截至 {today}）" in page
    assert result_html(page) == f"公示结果\n{text}"


def test_statement_while_open_counts_what_came_in(small: Repo, tmp_path: Path) -> None:
    small.write(f"{SMALL_FOLDER}/1.yaml", small_objection(received_on="2026-04-09", resolved_on="2026-04-10"))
    small.write(
        f"{SMALL_FOLDER}/2.yaml",
        small_objection(received_on="2026-04-10", outcome="pending", reply=None, resolved_on=None),
    )
    page = built_notice(small, "2026-04-10", tmp_path)
    assert ">公示中</span>（截至 2026-04-10）" in page
    assert result_html(page) == (
        "公示结果\n"
        "公示中（至 4月14日），已收到异议 2 件\n"
        "4月9日收到（来电）：对某网格员年度事迹的真实性提出异议\n"
        "核实结果：不属实（4月10日办结）\n"
        "答复：经核实，相关事迹有派出所回执佐证，异议不成立。\n"
        "4月10日收到（来电）：对某网格员年度事迹的真实性提出异议\n"
        "核实结果：核实中"
    )


def test_statement_after_the_end_lists_every_objection_with_its_reply(small: Repo, tmp_path: Path) -> None:
    small.write(
        f"{SMALL_FOLDER}/1.yaml", small_objection(channel="visit", outcome="upheld", reply="情况属实，已更正。")
    )
    small.write(
        f"{SMALL_FOLDER}/2.yaml",
        small_objection(
            received_on="2026-04-13", channel="letter", outcome="partly", reply="部分属实。", resolved_on="2026-04-20"
        ),
    )
    expected = (
        "公示结果\n"
        "公示期内收到异议 2 件，已全部核实处理\n"
        "4月9日收到（来访）：对某网格员年度事迹的真实性提出异议\n"
        "核实结果：属实（4月12日办结）\n"
        "答复：情况属实，已更正。\n"
        "4月13日收到（来信）：对某网格员年度事迹的真实性提出异议\n"
        "核实结果：部分属实（4月20日办结）\n"
        "答复：部分属实。"
    )
    for audience in ("public", "internal"):
        page = built_notice(small, "2026-04-21", tmp_path, audience)
        assert ">已结束</span>（截至 2026-04-21）" in page
        assert result_html(page) == expected


def test_a_page_drawn_for_an_earlier_day_states_what_was_true_that_day(small: Repo) -> None:
    """The golden files and the daily rebuild draw pages as of a date: later objections and replies wait."""
    from generator.build import render_site

    small.write(f"{SMALL_FOLDER}/1.yaml", small_objection(received_on="2026-04-09", resolved_on="2026-04-12"))
    small.write(
        f"{SMALL_FOLDER}/2.yaml",
        small_objection(received_on="2026-04-13", reply="后来的答复。", resolved_on="2026-04-20"),
    )
    pages = {day: render_site(small.root, "public", date.fromisoformat(day))[1] for day in ("2026-04-10", "2026-04-19")}
    open_page = pages["2026-04-10"][f"notices/{SMALL_NOTICE}.md"].decode("utf-8")
    assert result_section(open_page).splitlines()[2:6] == [
        "公示中（至 4月14日），已收到异议 1 件",
        "",
        "1. 4月9日收到（来电）：对某网格员年度事迹的真实性提出异议",
        "    - 核实结果：核实中",
    ]
    later = pages["2026-04-19"][f"notices/{SMALL_NOTICE}.md"].decode("utf-8")
    assert ">处理中</span>（截至 2026-04-19）" in later
    assert result_section(later).splitlines()[2] == "公示期满，收到异议 2 件，其中 1 件正在核实处理"
    assert "后来的答复" not in later


def test_a_pending_objection_after_the_end_keeps_the_notice_processing(small: Repo, tmp_path: Path) -> None:
    small.write(f"{SMALL_FOLDER}/1.yaml", small_objection())
    small.write(
        f"{SMALL_FOLDER}/2.yaml",
        small_objection(received_on="2026-04-14", outcome="核实中", reply=None, resolved_on=None),
    )
    page = built_notice(small, "2026-05-01", tmp_path)
    assert ">处理中</span>（截至 2026-05-01）" in page
    assert 'class="gs-state gs-state-open"' in page
    lines = result_html(page).splitlines()
    assert lines[1] == "公示期满，收到异议 2 件，其中 1 件正在核实处理"
    assert lines[-2:] == ["4月14日收到（来电）：对某网格员年度事迹的真实性提出异议", "核实结果：核实中"]
    index = (tmp_path / "site-public-2026-05-01" / "notices" / "index.html").read_text(encoding="utf-8")
    assert "公示（处理中）" in index


def test_dates_in_another_year_than_the_notice_carry_their_year(small: Repo, tmp_path: Path) -> None:
    small.write(f"records/notices/{SMALL_NOTICE}.yaml", publicity(end="2027-01-03"))
    small.write(
        f"{SMALL_FOLDER}/1.yaml",
        small_objection(received_on="2027-01-02", outcome="pending", reply=None, resolved_on=None),
    )
    assert result_html(built_notice(small, "2027-01-02", tmp_path)).splitlines()[1:4] == [
        "公示中（至 2027年1月3日），已收到异议 1 件",
        "2027年1月2日收到（来电）：对某网格员年度事迹的真实性提出异议",
        "核实结果：核实中",
    ]
    small.write(f"{SMALL_FOLDER}/1.yaml", small_objection(received_on="2027-01-02", resolved_on="2027-01-05"))
    assert result_html(built_notice(small, "2027-01-06", tmp_path)).splitlines()[1:4] == [
        "公示期内收到异议 1 件，已全部核实处理",
        "2027年1月2日收到（来电）：对某网格员年度事迹的真实性提出异议",
        "核实结果：不属实（2027年1月5日办结）",
    ]


def test_markup_in_summary_and_reply_is_shown_as_text(small: Repo, tmp_path: Path) -> None:
    summary = "<script>alert(1)</script> **粗体** [链接](https://evil.example/) `代码` <img src=x onerror=alert(2)>"
    reply = "<b>已核实</b> _斜体_ # 标题 | 表格 |"
    small.write(f"{SMALL_FOLDER}/1.yaml", small_objection(summary=f"'{summary}'", reply=f"'{reply}'"))
    page = built_notice(small, "2026-04-20", tmp_path)
    section = page[page.index(">公示结果</h2>") :]
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt; **粗体** [链接](https://evil.example/) `代码` &lt;img src=x onerror=alert(2)&gt;"
        in section
    )
    assert "答复：&lt;b&gt;已核实&lt;/b&gt; _斜体_ # 标题 | 表格 |" in section
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>已核实" not in page
    assert 'href="https://evil.example/"' not in page and "<strong>粗体" not in page and "<em>斜体" not in page


# --- the year seal ------------------------------------------------------------------------------------


def test_pending_objections_of_a_year(sample_repo: Repo) -> None:
    sample_repo.write(f"{FOLDER}/2.yaml", objection(outcome="pending", reply=None, resolved_on=None))
    sample_repo.write(f"{FOLDER}/3.yaml", objection(outcome="pending", reply=None, resolved_on=None))
    dataset = load_dataset(sample_repo.root)
    assert [(o.doc.path, o.number) for o in pending_objections(dataset, 2025)] == [
        (f"{FOLDER}/2.yaml", 2),
        (f"{FOLDER}/3.yaml", 3),
    ]
    assert pending_objections(dataset, 2026) == []  # the 2025 公示 holds back 2025 only
    assert year_seal_refusal(dataset, 2025) == (
        f"无法封存2025年度：公示的异议还有 2 件正在核实（{FOLDER}/2.yaml、{FOLDER}/3.yaml）。"
        "核实办结后，在异议文件中填写核实结果 outcome、答复 reply 和办结日期 resolved_on，再封存"
    )
    assert year_seal_refusal(dataset, 2026) is None
    # Resolved: nothing holds the year back.
    sample_repo.write(f"{FOLDER}/2.yaml", objection())
    sample_repo.write(f"{FOLDER}/3.yaml", objection(outcome="upheld"))
    assert pending_objections(load_dataset(sample_repo.root), 2025) == []


def test_a_pending_objection_to_a_month_holds_back_its_year(small: Repo) -> None:
    """A month's 公示 is part of its year's results: its pending objection holds the year back too."""
    small.write(f"{SMALL_FOLDER}/1.yaml", small_objection(outcome="pending", reply=None, resolved_on=None))
    month = load_dataset(small.root)
    assert [o.doc.path for o in pending_objections(month, 2026)] == [f"{SMALL_FOLDER}/1.yaml"]
    assert pending_objections(month, 2025) == []


def test_the_objection_schema_knows_the_labels_and_the_pending_rule() -> None:
    import json

    import jsonschema

    run = run_cli("schema", "objection", "--root", str(PROJECT))
    assert run.code == 0, run.err
    validator = jsonschema.Draft202012Validator(json.loads(run.out))
    resolved = {
        "notice": SAMPLE_NOTICE,
        "received_on": "2026-01-14",
        "channel": "来电",
        "summary": "对某网格员年度事迹的真实性提出异议",
        "outcome": "不属实",
        "reply": "异议不成立。",
        "resolved_on": "2026-01-17",
    }
    pending = {**resolved, "outcome": "核实中"}
    del pending["reply"], pending["resolved_on"]
    assert list(validator.iter_errors(resolved)) == [] and list(validator.iter_errors(pending)) == []
    assert list(validator.iter_errors({**pending, "resolved_on": "2026-01-17"}))  # pending: not resolved yet
    assert list(validator.iter_errors({**resolved, "reply": None}))  # resolved: a reply is required
    assert list(validator.iter_errors({**resolved, "channel": "fax"}))
