"""Bad input through the real command line (§4, §7 of the spec).

Every class of bad input gets exit code 1 and, on stderr, one exact line
``path:line: message`` per problem, sorted by path then line, then the
summary line with the count. A good repository gets exit 0. No traceback, ever.

A record written by ``repo.record`` (conftest) has this layout, which the
expected line numbers below refer to::

     1 worker: w1
     2 period: 2026-03
     3 assessed_by: a1
     4 assessed_on: 2026-04-02
     5 metrics:
     6   publicity: {tasks_assigned: 4, tasks_completed: 4, key_people: 30, key_people_reached: 30}
     7   screening: {inspections_required: 4, inspections_done: 4, valid_leads: 4}
     8   info_collection: {entries: 100, complete: 100, accurate: 100, timely: 100}
     9   warning_response: {received: 5, responded_in_time: 5, visited: 5, dissuaded: 5}
    10   case_assistance: excellent
    11   asset_recovery: excellent
    12   method_innovation: excellent
    13   coordination: excellent
    14 events:                 (written by ``events(...)`` below)
    15   - kind: ...
    16     date: ...
    17     summary: ...
    18     <the event's fourth field, if any>
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ORGANIZATION, PERFECT_METRICS, Repo, Run, run_cli

P = "records/2026/03/c1/w1.yaml"  # the record most tests break
SUMMARY = "发现 {} 个问题，请逐条修改后重新运行 gridscore check。"
HEAD = "worker: w1\nperiod: 2026-03\nassessed_by: a1\nassessed_on: 2026-04-02\n"
GOOD_RECORD = HEAD + PERFECT_METRICS
LEVEL_CHOICES = "excellent（优秀）、good（良好）、fair（一般）、poor（较差）、none（无此项）"
LEVEL_CHOICES_NO_NONE = "excellent（优秀）、good（良好）、fair（一般）、poor（较差）"
SEVERITY_CHOICES = "minor（轻微）、moderate（一般）、severe（严重）"
GBK_HINT = (
    "文件不是 UTF-8 编码，看起来是 GBK（GB2312/GB18030）编码。"
    "请另存为 UTF-8：VS Code 点右下角的编码 →“通过编码保存”→ UTF-8；"
    "记事本或 WPS“另存为”时把编码选为 UTF-8"
)
UNRECOGNIZED_PLACE = (
    "文件位置无法识别：月度考评放在 records/年/月/社区/网格员.yaml，"
    "年度评议放在 records/年/annual/社区/网格员.yaml，公告放在 records/notices/，封存文件在 records/seals/，"
    "处理措施的落实情况放在 records/followups/年-月/网格员.yaml"
)


# --- helpers ------------------------------------------------------------------


def check(repo: Repo) -> Run:
    """Run ``gridscore check`` in-process; a traceback is never acceptable."""
    run = repo.run("check")
    assert "Traceback" not in run.out + run.err
    assert "程序内部错误" not in run.err, run.err
    return run


def assert_ok(repo: Repo) -> Run:
    run = check(repo)
    assert run.code == 0, run.err
    assert run.err == ""
    assert run.out.startswith("检查通过：")
    return run


def assert_problems(repo: Repo, *expected: str) -> Run:
    """Exit 1, exactly these lines (in this order), then the summary with the count."""
    run = check(repo)
    assert run.code == 1
    assert run.out == ""
    assert run.lines == [*expected, SUMMARY.format(len(expected))]
    return run


def metrics(old: str, new: str) -> str:
    """The perfect metrics block with one piece of text replaced."""
    assert old in PERFECT_METRICS, old
    return PERFECT_METRICS.replace(old, new, 1)


def event(
    kind: str, date: str = "2026-03-05", summary: str = "上门劝阻一名居民向陌生账户转账", **fields: str
) -> dict[str, str]:
    """One event; every value is YAML text, written as it is."""
    return {"kind": kind, "date": date, "summary": summary, **fields}


def events(*items: dict[str, str]) -> str:
    lines = ["events:"]
    for item in items:
        for index, (key, value) in enumerate(item.items()):
            lines.append(f"  {'- ' if index == 0 else '  '}{key}: {value}")
    return "\n".join(lines) + "\n"


def write_record(repo: Repo, metrics_block: str = PERFECT_METRICS, *event_items: dict[str, str], **kwargs: str) -> str:
    """Write w1's 2026-03 record (or another, via kwargs) with a modified metrics/events block."""
    extra = events(*event_items) if event_items else ""
    return repo.record(
        kwargs.pop("worker", "w1"),
        kwargs.pop("period", "2026-03"),
        metrics=metrics_block,
        extra=extra + kwargs.pop("extra", ""),
        **kwargs,
    )


def line_in(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not found")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the repository except gridscore's own cache (which check may write)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".gridscore-cache" not in p.parts
    }


def run_module(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m generator ...`` in a real child process, output decoded as UTF-8."""
    env = {**os.environ, "PYTHONUTF8": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


# --- a good repository --------------------------------------------------------


def test_good_repository_passes(repo: Repo) -> None:
    write_record(
        repo,
        metrics("case_assistance: excellent", "case_assistance: 良好"),
        event("major_dissuasion", amount_yuan="80000"),
        event("publicity_task_missed", summary="未按时完成社区宣传活动", severity="轻微"),
    )
    write_record(
        repo,
        PERFECT_METRICS,
        event("innovation_recognized", summary="“反诈小喇叭”做法被市局推广", level="市级"),
        worker="w2",
    )
    repo.record("w3", "2026-02", community="c2", assessor="a2")
    repo.record("w1", "2026-02")
    repo.record("w2", "2026-02")
    assert repo.run("seal", "2026-02").code == 0  # months are sealed in order
    repo.write(
        "records/2026/annual/c1/w1.yaml",
        "worker: w1\nyear: 2026\nreview_score: 88.5\nassessed_by: a1\nassessed_on: 2027-01-10\n",
    )
    seal_march(repo)
    repo.write(
        "records/notices/2026-04-08-publicity.yaml",
        NOTICE.replace("kind: commendation", "kind: publicity")
        + 'publicity: {start: 2026-04-08, end: 2026-04-14, contact: "东风街道综治中心 电话 0000-0000000"}\n',
    )
    run = assert_ok(repo)
    assert "5 份月度考评、1 份年度评议、1 份公告" in run.out


def test_check_writes_nothing_when_input_is_bad(repo: Repo) -> None:
    write_record(repo, metrics("visited: 5", "visited: 6"))
    before = snapshot(repo.root)
    assert check(repo).code == 1
    assert snapshot(repo.root) == before


# --- malformed YAML -----------------------------------------------------------


def test_bad_indentation(repo: Repo) -> None:
    repo.write(P, "worker: w1\nperiod: 2026-03\n  assessed_by: a1\n")
    assert_problems(repo, f"{P}:3: YAML 格式错误：这里不能出现冒号（: ），请检查缩进，或给含冒号的文字加引号")


UNCLOSED_BRACE = "YAML 格式错误：花括号“{”没有配对的“}”，或两项之间缺少逗号"


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            HEAD + metrics("key_people_reached: 30}", "key_people_reached: 30"),
            f"{P}:6: {UNCLOSED_BRACE}",
            id="brace-on-one-line",
        ),
        pytest.param(
            HEAD
            + metrics(
                "tasks_completed: 4, key_people: 30, key_people_reached: 30}",
                "tasks_completed: 4,\n    key_people: 30, key_people_reached: 30",
            ),
            f"{P}:6: {UNCLOSED_BRACE}",
            id="brace-over-two-lines",
        ),
        pytest.param(
            HEAD + metrics("tasks_completed: 4, key_people", "tasks_completed: 4 key_people"),
            f"{P}:6: {UNCLOSED_BRACE}",
            id="missing-comma",
        ),
        pytest.param(
            GOOD_RECORD + "events: [\n  {kind: info_error, date: 2026-03-05, summary: 信息有误}\nnotes: 无\n",
            f"{P}:14: YAML 格式错误：方括号“[”没有配对的“]”，或两项之间缺少逗号",
            id="square-bracket",
        ),
    ],
)
def test_unclosed_bracket_is_reported_where_it_opened(repo: Repo, text: str, expected: str) -> None:
    repo.write(P, text)
    assert_problems(repo, expected)


@pytest.mark.parametrize(
    "text, line",
    [
        pytest.param(HEAD + "metrics:\n\tcase_assistance: good\n", 6, id="tab-indented-key"),
        pytest.param("worker: w1\nperiod: 2026-03\n\tassessed_by: a1\n", 3, id="tab-after-plain-scalar"),
    ],
)
def test_tab_indentation(repo: Repo, text: str, line: int) -> None:
    repo.write(P, text)
    assert_problems(repo, f"{P}:{line}: YAML 格式错误：不能用 Tab 缩进，请改用空格")


@pytest.mark.parametrize(
    "second", [pytest.param(GOOD_RECORD, id="record-pasted-twice"), pytest.param("", id="empty-second-document")]
)
def test_two_documents_in_one_file(repo: Repo, second: str) -> None:
    repo.write(P, GOOD_RECORD + "---\n" + second)  # the --- is line 14
    assert_problems(
        repo,
        f"{P}:14: YAML 格式错误：这里的“---”开始了第二份内容，一个文件只能有一份："
        "请删除这一行“---”（如果后面是另一份记录，请另存为单独的文件）",
    )


@pytest.mark.parametrize(
    "text", [pytest.param("---\n" + GOOD_RECORD, id="leading"), pytest.param(GOOD_RECORD + "...\n", id="end")]
)
def test_document_markers_around_one_document_are_fine(repo: Repo, text: str) -> None:
    repo.write(P, text)
    assert_ok(repo)


# --- duplicate keys -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            HEAD + "worker: w2\n" + PERFECT_METRICS,
            f"{P}:5: 字段“worker”重复出现（第 1 行已有），YAML 只会保留最后一个，请删除多余的",
            id="top-level",
        ),
        pytest.param(
            GOOD_RECORD + "  coordination: good\n",
            f"{P}:14: 字段“coordination”重复出现（第 13 行已有），YAML 只会保留最后一个，请删除多余的",
            id="metrics-item",
        ),
        pytest.param(
            HEAD + metrics("valid_leads: 4}", "valid_leads: 4, valid_leads: 3}"),
            f"{P}:7: 字段“valid_leads”重复出现（第 7 行已有），YAML 只会保留最后一个，请删除多余的",
            id="inside-a-metrics-item",
        ),
    ],
)
def test_duplicate_keys(repo: Repo, text: str, expected: str) -> None:
    repo.write(P, text)
    assert_problems(repo, expected)


# --- anchors, aliases, tags ---------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "case_assistance: excellent",
            "case_assistance: &lv excellent",
            f"{P}:10: 不允许使用 YAML 锚点（&lv），请把内容直接写出来",
            id="anchor",
        ),
        pytest.param(
            "asset_recovery: excellent",
            "asset_recovery: *lv",
            f"{P}:11: 不允许使用 YAML 别名（*lv），请把内容直接写出来",
            id="alias",
        ),
        pytest.param(
            "case_assistance: excellent",
            "case_assistance: !!str excellent",
            f"{P}:10: 不允许使用 YAML 标签（!!str），请删除它",
            id="tag-str",
        ),
        pytest.param(
            "case_assistance: excellent",
            "case_assistance: !custom excellent",
            f"{P}:10: 不允许使用 YAML 标签（!custom），请删除它",
            id="tag-custom",
        ),
        pytest.param(
            "publicity: {",
            "publicity: !!python/object:os.system {",
            f"{P}:6: 不允许使用 YAML 标签（!!python/object:os.system），请删除它",
            id="tag-python-object",
        ),
    ],
)
def test_anchors_aliases_and_tags_are_refused(repo: Repo, old: str, new: str, expected: str) -> None:
    write_record(repo, metrics(old, new))
    assert_problems(repo, expected)


def test_anchor_used_by_alias_reports_the_anchor_first(repo: Repo) -> None:
    write_record(
        repo,
        metrics("case_assistance: excellent", "case_assistance: &lv excellent").replace(
            "asset_recovery: excellent", "asset_recovery: *lv"
        ),
    )
    assert_problems(repo, f"{P}:10: 不允许使用 YAML 锚点（&lv），请把内容直接写出来")


@pytest.mark.parametrize(
    "text, line",
    [
        pytest.param(
            GOOD_RECORD + events({"<<": "{kind: info_error}", "date": "2026-03-05", "summary": "信息有误"}),
            15,
            id="in-an-event",
        ),
        pytest.param(
            HEAD + "metrics:\n  <<: {case_assistance: good}\n" + PERFECT_METRICS.split("\n", 1)[1],
            6,
            id="in-metrics",
        ),
        pytest.param(
            HEAD + metrics("publicity: {tasks_assigned: 4,", "publicity: {<<: {key_people: 30}, tasks_assigned: 4,"),
            6,
            id="in-a-flow-mapping",
        ),
    ],
)
def test_merge_key_is_refused_at_its_line(repo: Repo, text: str, line: int) -> None:
    repo.write(P, text)
    assert_problems(repo, f"{P}:{line}: 不允许使用 YAML 合并键（<<），请把字段直接写出来")


def billion_laughs(levels: int) -> str:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    names = [f"n{i}" for i in range(levels)]
    previous = "a"
    for name in names:
        text += f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


def test_billion_laughs_is_refused_without_expanding(repo: Repo) -> None:
    # 9**30 strings if expanded: only refusing before construction finishes at all.
    repo.write(P, billion_laughs(30))
    done = run_module("check", "--root", str(repo.root), timeout=60)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        f"{P}:1: 不允许使用 YAML 锚点（&a），请把内容直接写出来",
        SUMMARY.format(1),
    ]


# --- size and encoding --------------------------------------------------------


@pytest.mark.parametrize(
    "size", [pytest.param(2 * 1024 * 1024, id="2-MiB"), pytest.param(1024 * 1024 + 11, id="just-over-1-MiB")]
)
def test_file_over_one_mib(repo: Repo, size: int) -> None:
    repo.write(P, (GOOD_RECORD + "notes: ").ljust(size - 1, "x") + "\n")
    assert_problems(
        repo,
        f"{P}:1: 文件大小为 {size:,} 字节，超过了单个文件 1 MiB（1,048,576 字节）的上限，请检查是否放错了文件",
    )


def test_file_of_exactly_one_mib_is_fine(repo: Repo) -> None:
    # A comment fills the file: a text field is bounded on its own (notes ≤ 2,000 characters).
    repo.write(P, (GOOD_RECORD + "# ").ljust(1024 * 1024 - 1, "x") + "\n")
    assert_ok(repo)


def test_gbk_file_names_gbk_and_how_to_save_as_utf8(repo: Repo) -> None:
    text = GOOD_RECORD + events(event("key_lead_case_solved", summary="提供线索协助破获电诈案"))
    repo.write(P, text.encode("gbk"))  # lines 1-16 are ASCII; the first GBK byte is on line 17
    assert_problems(repo, f"{P}:17: {GBK_HINT}")


def test_utf8_bom_is_accepted(repo: Repo) -> None:
    repo.write(P, b"\xef\xbb\xbf" + GOOD_RECORD.encode("utf-8"))
    assert_ok(repo)


def test_utf8_bom_keeps_line_numbers(repo: Repo) -> None:
    repo.write(P, b"\xef\xbb\xbf" + (HEAD + metrics("valid_leads: 4", "valid_leads: -4")).encode("utf-8"))
    assert_problems(repo, f"{P}:7: “valid_leads”不能为负数，实际为 -4")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])  # with a BOM, then without
def test_utf16(repo: Repo, encoding: str) -> None:
    repo.write(P, GOOD_RECORD.encode(encoding))
    assert_problems(repo, f"{P}:1: 文件是 UTF-16 编码（Windows 记事本的“Unicode”），请另存为 UTF-8")


# --- unknown and misspelt fields ----------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            HEAD + "assesed_on: 2026-04-02\n" + PERFECT_METRICS,
            [f"{P}:5: 未知字段“assesed_on”，与已有的“assessed_on”相近，可能是多写的一行，请删除"],
            id="misspelt-copy-of-a-present-field",
        ),
        pytest.param(
            "worker: w1\nperiod: 2026-03\nassessed_by: a1\nassesed_on: 2026-04-02\n" + PERFECT_METRICS,
            [f"{P}:4: 未知字段“assesed_on”，您是否想写“assessed_on”？"],
            id="top-level-misspelt",
        ),
        pytest.param(
            HEAD + "remark: 无\n" + PERFECT_METRICS,
            [f"{P}:5: 未知字段“remark”；可用的字段：worker、period、assessed_by、assessed_on、metrics、events、notes"],
            id="top-level-unknown",
        ),
        pytest.param(
            HEAD + metrics("valid_leads: 4", "valid_lead: 4"),
            [f"{P}:7: 未知字段“valid_lead”，您是否想写“valid_leads”？"],
            id="inside-metrics-item",
        ),
        pytest.param(
            HEAD + metrics("screening:", "screaning:"),
            [f"{P}:7: 未知字段“screaning”，您是否想写“screening”？"],
            id="misspelt-item-name",
        ),
        pytest.param(
            GOOD_RECORD + "  bonus: 2\n",
            [
                f"{P}:14: 未知字段“bonus”；可用的字段：publicity、screening、info_collection、"
                "warning_response、case_assistance、asset_recovery、method_innovation、coordination"
            ],
            id="unknown-item-name",
        ),
        pytest.param(
            GOOD_RECORD + events(event("key_lead_case_solved", remark="无")),
            [f"{P}:18: 事件“提供重要线索破获大案”不接受字段“remark”；可用的字段：kind、date、summary、evidence"],
            id="inside-an-event",
        ),
        pytest.param(
            GOOD_RECORD + events(event("key_lead_case_solved", evidance="派出所回执")),
            [f"{P}:18: 事件“提供重要线索破获大案”不接受字段“evidance”，您是否想写“evidence”？"],
            id="misspelt-in-an-event",
        ),
        pytest.param(
            HEAD + metrics("valid_leads: 4", "valid_leads: 4, valid_lead: 3"),
            [f"{P}:7: 未知字段“valid_lead”，与已有的“valid_leads”相近，可能是多写的一行，请删除"],
            id="misspelling-next-to-the-right-field",
        ),
    ],
)
def test_unknown_fields(repo: Repo, text: str, expected: list[str]) -> None:
    repo.write(P, text)
    assert_problems(repo, *expected)


# --- wrong types --------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            HEAD + metrics("entries: 100", "entries: 一百"),
            f"{P}:8: “entries”应为整数，实际为 “一百”",
            id="string-for-count",
        ),
        pytest.param(
            HEAD + metrics("entries: 100", "entries: '100'"),
            f"{P}:8: “entries”应为整数，实际为 “100”（数字不要加引号）",
            id="quoted-number-for-count",
        ),
        pytest.param(
            HEAD + metrics("entries: 100", "entries: 1_000"),
            f"{P}:8: “entries”应为整数，实际为 “1_000”（请去掉数字中的下划线）",
            id="underscore-in-count",
        ),
        pytest.param(
            HEAD + metrics("valid_leads: 4", "valid_leads: 010"),
            f"{P}:7: “valid_leads”应为整数，实际为 “010”（整数不能以 0 开头，请去掉前面的 0）",
            id="leading-zero-in-count",
        ),
        pytest.param(
            HEAD + metrics("entries: 100", "entries: 100.5"),
            f"{P}:8: “entries”应为整数，实际为 100.5（请填写整数，不要带小数点）",
            id="float-for-count",
        ),
        pytest.param(
            HEAD + metrics("entries: 100", "entries: 100.0"),
            f"{P}:8: “entries”应为整数，实际为 100.0（请填写整数，不要带小数点）",
            id="whole-float-for-count",
        ),
        pytest.param(
            HEAD + metrics("valid_leads: 4", "valid_leads: true"),
            f"{P}:7: “valid_leads”应为整数，实际为 true",
            id="boolean-for-count",
        ),
        pytest.param(
            HEAD
            + metrics(
                "publicity: {tasks_assigned: 4, tasks_completed: 4, key_people: 30, key_people_reached: 30}",
                "publicity: [4, 4, 30, 30]",
            ),
            f"{P}:6: “publicity”应为“字段: 值”形式的内容，实际为 一个列表",
            id="list-for-mapping",
        ),
        pytest.param(
            HEAD + "metrics: [1, 2]\n",
            f"{P}:5: “metrics”应为“字段: 值”形式的内容，实际为 一个列表",
            id="list-for-metrics",
        ),
        pytest.param(
            GOOD_RECORD + "events: {kind: info_error}\n",
            f"{P}:14: “events”应为列表（每项以“- ”开头），实际为 一组字段",
            id="mapping-for-list",
        ),
        pytest.param(
            GOOD_RECORD + events(event("key_lead_case_solved", summary="2026-03-05")),
            f"{P}:17: “summary”应为文字，实际为 “2026-03-05”（如果是数字或日期，请加引号）",
            id="date-for-text",
        ),
        pytest.param(
            GOOD_RECORD + events(event("major_dissuasion", amount_yuan="八万")),
            f"{P}:18: “amount_yuan”应为数字，实际为 “八万”",
            id="text-for-amount",
        ),
        pytest.param(
            HEAD.replace("period: 2026-03", "period: 202603") + PERFECT_METRICS,
            f"{P}:2: “period”应为年月，格式如 2026-03，实际为 “202603”",
            id="number-for-period",
        ),
        pytest.param(
            HEAD.replace("assessed_on: 2026-04-02", "assessed_on: '2026-02-30'") + PERFECT_METRICS,
            f"{P}:4: “assessed_on”应为日期，格式如 2026-04-02，实际为 “2026-02-30”",
            id="quoted-impossible-date",
        ),
        pytest.param(
            GOOD_RECORD + "events: [info_error]\n",
            f"{P}:14: “events 第 1 项”应为“字段: 值”形式的内容，实际为 “info_error”",
            id="text-for-event",
        ),
    ],
)
def test_wrong_types(repo: Repo, text: str, expected: str) -> None:
    repo.write(P, text)
    assert_problems(repo, expected)


def test_a_quoted_value_with_line_breaks_stays_on_one_line(repo: Repo) -> None:
    # Found by the long fuzz run: a list written as a block of text used to split the message over two lines.
    repo.write(P, GOOD_RECORD + "events: |\n  - kind: major_dissuasion\n    date: 2026-03-12\n")
    assert_problems(
        repo,
        f"{P}:14: “events”应为列表（每项以“- ”开头），实际为 “- kind: major_dissuasion⏎  date: 2026-03…”",
    )


def test_control_characters_in_a_value_are_shown_not_sent_to_the_terminal(repo: Repo) -> None:
    repo.write(P, GOOD_RECORD.replace("worker: w1", 'worker: "w1\\e[31m\\u2028"'))
    message = "“worker”只能包含英文字母、数字、-、_ 和 .，且不能有空格，实际为 “w1\\x1b[31m⏎”"
    run = assert_problems(repo, f"{P}:1: {message}")
    assert "\x1b" not in run.err


@pytest.mark.parametrize("key", ["1", "true", "2026-03-05", "~"])
def test_key_that_is_not_text(repo: Repo, key: str) -> None:
    repo.write(P, GOOD_RECORD + f"{key}: x\n")
    assert_problems(repo, f"{P}:14: 字段名“{key}”应为文字（字段名只用英文字母、数字和 _）")


# --- counts -------------------------------------------------------------------


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "valid_leads: 4", "valid_leads: -1", f"{P}:7: “valid_leads”不能为负数，实际为 -1", id="valid_leads"
        ),
        pytest.param(
            "received: 5, responded_in_time: 5, visited: 5, dissuaded: 5",
            "received: -5, responded_in_time: 0, visited: 0, dissuaded: 0",
            f"{P}:9: “received”不能为负数，实际为 -5",
            id="received",
        ),
    ],
)
def test_negative_counts(repo: Repo, old: str, new: str, expected: str) -> None:
    write_record(repo, metrics(old, new))
    assert_problems(repo, expected)


PART_TOO_LARGE = [
    (
        "tasks_completed: 4",
        "tasks_completed: 5",
        6,
        "宣传教育普及：完成的宣传任务数（tasks_completed: 5）不能大于布置的宣传任务数（tasks_assigned: 4）",
    ),
    (
        "key_people_reached: 30",
        "key_people_reached: 31",
        6,
        "宣传教育普及：走访宣传覆盖的重点人群人数（key_people_reached: 31）不能大于网格内重点人群人数（key_people: 30）",
    ),
    (
        "complete: 100",
        "complete: 101",
        8,
        "基础信息采集：其中完整的条数（complete: 101）不能大于采集的信息条数（entries: 100）",
    ),
    (
        "accurate: 100",
        "accurate: 101",
        8,
        "基础信息采集：其中准确的条数（accurate: 101）不能大于采集的信息条数（entries: 100）",
    ),
    (
        "timely: 100",
        "timely: 101",
        8,
        "基础信息采集：其中及时更新的条数（timely: 101）不能大于采集的信息条数（entries: 100）",
    ),
    (
        "responded_in_time: 5",
        "responded_in_time: 6",
        9,
        "预警信息处置：按时响应数（responded_in_time: 6）不能大于接到的预警信息数（received: 5）",
    ),
    ("visited: 5", "visited: 6", 9, "预警信息处置：上门见面数（visited: 6）不能大于接到的预警信息数（received: 5）"),
    (
        "dissuaded: 5",
        "dissuaded: 6",
        9,
        "预警信息处置：成功劝阻数（dissuaded: 6）不能大于接到的预警信息数（received: 5）",
    ),
]


@pytest.mark.parametrize(
    "old, new, line, message", [pytest.param(*case, id=case[0].split(":")[0]) for case in PART_TOO_LARGE]
)
def test_part_larger_than_whole(repo: Repo, old: str, new: str, line: int, message: str) -> None:
    write_record(repo, metrics(old, new))
    assert_problems(repo, f"{P}:{line}: {message}")


def test_more_inspections_than_required_is_allowed(repo: Repo) -> None:
    write_record(repo, metrics("inspections_done: 4", "inspections_done: 9"))
    assert_ok(repo)


def test_two_parts_too_large_are_both_reported(repo: Repo) -> None:
    write_record(repo, metrics("visited: 5", "visited: 6").replace("dissuaded: 5", "dissuaded: 7"))
    assert_problems(
        repo,
        f"{P}:9: 预警信息处置：上门见面数（visited: 6）不能大于接到的预警信息数（received: 5）",
        f"{P}:9: 预警信息处置：成功劝阻数（dissuaded: 7）不能大于接到的预警信息数（received: 5）",
    )


# --- events -------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2026-02-28", "2026-04-01"])
def test_event_date_outside_the_period(repo: Repo, day: str) -> None:
    write_record(repo, PERFECT_METRICS, event("key_lead_case_solved", date=day))
    assert_problems(repo, f"{P}:16: 事件日期 {day} 不在考评月份 2026-03 内")


@pytest.mark.parametrize(
    "item, expected",
    [
        pytest.param(
            event("info_error", summary="录入信息有误", severity="minor"),
            f"{P}:18: 事件“信息错误或滞后影响反诈工作”不接受字段“severity”；可用的字段：kind、date、summary、evidence",
            id="severity-on-info_error",
        ),
        pytest.param(
            event("info_error", summary="录入信息有误", amount_yuan="100"),
            f"{P}:18: 事件“信息错误或滞后影响反诈工作”不需要填写 amount_yuan",
            id="amount-on-info_error",
        ),
        pytest.param(
            event("publicity_task_missed", summary="未按时完成宣传活动"),
            f"{P}:15: 事件“未按要求完成宣传任务”须填写 severity，可选：{SEVERITY_CHOICES}",
            id="no-severity",
        ),
        pytest.param(
            event("publicity_task_missed", summary="未按时完成宣传活动", severity="huge"),
            f"{P}:18: severity 的值 “huge” 无效，可选：{SEVERITY_CHOICES}",
            id="invalid-severity",
        ),
        pytest.param(
            event("innovation_recognized", summary="做法被推广", level="national"),
            f"{P}:18: level 的值 “national” 无效，可选：county（县级）、city（市级）、province（省级）",
            id="invalid-innovation-level",
        ),
        pytest.param(
            event("major_dissuasion"), f"{P}:15: 事件“成功劝阻重大涉案金额”须填写金额 amount_yuan（元）", id="no-amount"
        ),
        pytest.param(
            event("major_dissuasion", amount_yuan="49999"),
            f"{P}:18: 事件“成功劝阻重大涉案金额”的金额须不少于 50000 元，实际为 49999",
            id="amount-below-50000",
        ),
    ],
)
def test_event_fields_must_fit_the_kind(repo: Repo, item: dict[str, str], expected: str) -> None:
    write_record(repo, PERFECT_METRICS, item)
    assert_problems(repo, expected)


def test_event_with_the_minimum_amount_is_fine(repo: Repo) -> None:
    write_record(repo, PERFECT_METRICS, event("major_dissuasion", amount_yuan="50000"))
    assert_ok(repo)


@pytest.mark.parametrize(
    "kind, expected",
    [
        pytest.param(
            "key_lead_solved", "未知的事件类型“key_lead_solved”，您是否想写“key_lead_case_solved”？", id="near"
        ),
        pytest.param(
            "praise",
            "未知的事件类型“praise”；考评标准 2026 版的事件类型：publicity_task_missed、info_error、"
            "warning_mishandled、assistance_refused、coordination_failure、major_risk_incident、"
            "major_dissuasion、loss_recovered、key_lead_case_solved、innovation_recognized",
            id="far",
        ),
    ],
)
def test_unknown_event_kind(repo: Repo, kind: str, expected: str) -> None:
    write_record(repo, PERFECT_METRICS, event(kind))
    assert_problems(repo, f"{P}:15: {expected}")


# --- unknown worker, assessor, level ------------------------------------------


@pytest.mark.parametrize("worker", ["w9", "no"])  # YAML 1.1 would read no as false: here it is a name
def test_unknown_worker(repo: Repo, worker: str) -> None:
    path = repo.record(worker, "2026-03")
    assert_problems(repo, f"{path}:1: 未知的网格员“{worker}”（请先在 organization.yaml 中登记）")


def test_worker_registered_as_no_is_a_name(repo: Repo) -> None:
    repo.write("records/organization.yaml", ORGANIZATION.replace("id: w2,", "id: no,"))
    repo.record("no", "2026-03")
    assert_ok(repo)


@pytest.mark.parametrize(
    "assessor, expected",
    [
        ("a9", "未知的考评人“a9”（已登记的考评人：a1、a2）"),
        ("zz-li", "未知的考评人“zz-li”（已登记的考评人：a1、a2）"),
    ],
)
def test_unknown_assessor(repo: Repo, assessor: str, expected: str) -> None:
    write_record(repo, assessor=assessor)
    assert_problems(repo, f"{P}:3: {expected}")


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "case_assistance: excellent",
            "case_assistance: great",
            f"{P}:10: 涉诈案件协查（case_assistance）的等级“great”无效，可选：{LEVEL_CHOICES}",
            id="unknown",
        ),
        pytest.param(
            "case_assistance: excellent",
            "case_assistance: 5",
            f"{P}:10: 涉诈案件协查（case_assistance）的等级“5”无效，可选：{LEVEL_CHOICES}",
            id="number",
        ),
        pytest.param(
            "case_assistance: excellent",
            "case_assistance:",
            f"{P}:10: 涉诈案件协查（case_assistance）的等级未填写，可选：{LEVEL_CHOICES}",
            id="empty",
        ),
        pytest.param(
            "method_innovation: excellent",
            "method_innovation: none",
            f"{P}:12: 工作方法创新（method_innovation）每月都须评定等级，不能填“none”（无此项），可选：{LEVEL_CHOICES_NO_NONE}",
            id="none-for-method_innovation",
        ),
        pytest.param(
            "coordination: excellent",
            "coordination: 无此项",
            f"{P}:13: 联动协作配合（coordination）每月都须评定等级，不能填“无此项”，可选：{LEVEL_CHOICES_NO_NONE}",
            id="无此项-for-coordination",
        ),
        pytest.param(
            "case_assistance: excellent",
            "case_assistance: yes",
            f"{P}:10: 涉诈案件协查（case_assistance）的等级“yes”无效，可选：{LEVEL_CHOICES}",
            id="yes-is-text",
        ),
    ],
)
def test_invalid_levels(repo: Repo, old: str, new: str, expected: str) -> None:
    write_record(repo, metrics(old, new))
    assert_problems(repo, expected)


def test_chinese_labels_are_accepted(repo: Repo) -> None:
    block = (
        metrics("case_assistance: excellent", "case_assistance: 优秀")
        .replace("asset_recovery: excellent", "asset_recovery: 无此项")
        .replace("method_innovation: excellent", "method_innovation: 一般")
        .replace("coordination: excellent", "coordination: 较差")
    )
    write_record(
        repo,
        block,
        event("publicity_task_missed", summary="宣传活动未按时完成", severity="轻微"),
        event("publicity_task_missed", summary="宣传资料未发放", severity="一般"),
        event("publicity_task_missed", summary="宣传任务未落实", severity="严重"),
        event("innovation_recognized", summary="做法被县局推广", level="县级"),
        event("innovation_recognized", summary="做法被市局推广", level="市级"),
        event("innovation_recognized", summary="做法被省厅推广", level="省级"),
    )
    write_record(repo, metrics("case_assistance: excellent", "case_assistance: 良好"), worker="w2")
    assert_ok(repo)


# --- where a record lives, and who it is about --------------------------------


def test_folder_and_period_disagree(repo: Repo) -> None:
    repo.write("records/2026/04/c1/w1.yaml", GOOD_RECORD)
    assert_problems(repo, "records/2026/04/c1/w1.yaml:2: period 为 2026-03，但文件在 2026/04 文件夹中，两者必须一致")


def test_file_name_is_not_the_worker(repo: Repo) -> None:
    repo.write("records/2026/03/c1/w2.yaml", GOOD_RECORD)
    assert_problems(repo, "records/2026/03/c1/w2.yaml:1: 文件名应与网格员编号一致：worker 为“w1”，文件名却是“w2.yaml”")


def test_record_in_the_wrong_community_folder(repo: Repo) -> None:
    path = write_record(repo, community="c2")
    assert_problems(repo, f"{path}:1: 网格员 w1（张三）属于社区 c1，文件却放在 c2 文件夹中")


def test_two_records_for_one_worker_and_month(repo: Repo) -> None:
    write_record(repo)
    write_record(repo, community="c2")
    other = "records/2026/03/c2/w1.yaml"
    assert_problems(
        repo,
        f"{P}:1: 网格员 w1 在 2026-03 有两份考评记录（另见 {other}），请只保留一份",
        f"{other}:1: 网格员 w1 在 2026-03 有两份考评记录（另见 {P}），请只保留一份",
        f"{other}:1: 网格员 w1（张三）属于社区 c1，文件却放在 c2 文件夹中",
    )


def test_assessor_not_allowed_for_the_community(repo: Repo) -> None:
    write_record(repo, assessor="a2")
    assert_problems(repo, f"{P}:3: 考评人 a2（赵六）只能考评 c2 的网格员，不能考评社区 c1 的 w1")


@pytest.mark.parametrize(
    "assessor_entry, assessor_id",
    [
        pytest.param(
            "  - {id: w1, name: 张三, org: 网格, communities: all}\n", "w1", id="assessor-id-is-the-worker-id"
        ),
        pytest.param(
            "  - {id: a3, name: 张三, org: 网格, communities: all, worker: w1}\n", "a3", id="assessor-worker-w1"
        ),
    ],
)
def test_assessor_assessing_themself(repo: Repo, assessor_entry: str, assessor_id: str) -> None:
    repo.write("records/organization.yaml", ORGANIZATION + assessor_entry)
    write_record(repo, assessor=assessor_id)
    assert_problems(repo, f"{P}:3: 考评人 {assessor_id}（张三）就是被考评的网格员本人，不能自己考评自己")


def test_worker_not_yet_active(repo: Repo) -> None:
    repo.write(
        "records/organization.yaml",
        ORGANIZATION.replace("role: part_time, joined: 2025-01", "role: part_time, joined: 2026-05"),
    )
    path = write_record(repo, worker="w2")
    assert_problems(repo, f"{path}:1: 网格员 w2（欧阳娜娜）在 2026-03 不在岗（在岗期间 2026-05 起），不应有考评记录")


def test_worker_no_longer_active(repo: Repo) -> None:
    path = write_record(repo, worker="w3", community="c2")  # w3 left after 2026-02
    assert_problems(
        repo, f"{path}:1: 网格员 w3（王五）在 2026-03 不在岗（在岗期间 2025-01 至 2026-02），不应有考评记录"
    )


# --- personal numbers in public text ------------------------------------------


@pytest.mark.parametrize(
    "summary, found",
    [
        pytest.param("已电话联系居民13812345678", "手机号码“13812345678”", id="mobile"),
        pytest.param("核实居民身份证11010519491231002X", "身份证号码“11010519491231002X”", id="id-card-with-X"),
        pytest.param("冻结银行卡6222021234567890123", "银行卡号“6222021234567890123”", id="bank-card"),
        pytest.param("冻结银行卡 6222 0212 3456 7890", "银行卡号“6222 0212 3456 7890”", id="bank-card-grouped"),
        pytest.param("居民座机 010-12345678", "电话号码“010-12345678”", id="landline"),
    ],
)
def test_personal_numbers_in_event_summary(repo: Repo, summary: str, found: str) -> None:
    write_record(repo, PERFECT_METRICS, event("key_lead_case_solved", summary=summary))
    assert_problems(repo, f"{P}:17: summary 会公开发布，不能含有{found}；请删除，或写入内部的 evidence")


def test_personal_numbers_in_evidence_are_fine(repo: Repo) -> None:
    write_record(repo, PERFECT_METRICS, event("key_lead_case_solved", evidence="'居民电话 13812345678'"))
    assert_ok(repo)


# --- the shape of a file ------------------------------------------------------


@pytest.mark.parametrize(
    "content", [pytest.param(b"", id="empty"), pytest.param(b"# \xe5\xa4\x87\xe6\xb3\xa8\n", id="comment-only")]
)
def test_empty_file(repo: Repo, content: bytes) -> None:
    repo.write(P, content)
    assert_problems(repo, f"{P}:1: 文件是空的")


@pytest.mark.parametrize(
    "text", [pytest.param("- worker: w1\n- period: 2026-03\n", id="list"), pytest.param("w1\n", id="scalar")]
)
def test_file_that_is_not_a_mapping(repo: Repo, text: str) -> None:
    repo.write(P, text)
    assert_problems(repo, f"{P}:1: 文件内容应为“字段: 值”形式，而不是列表或单个值")


@pytest.mark.parametrize("path", ["records/2026/c1/w1.yaml", "records/misc/notes.yaml", "records/2026/13/c1/w1.yaml"])
def test_yaml_file_in_an_unrecognized_place(repo: Repo, path: str) -> None:
    # File-level problems carry line 1 too, so editors and CI problem matchers can parse every line.
    repo.write(path, GOOD_RECORD)
    assert_problems(repo, f"{path}:1: {UNRECOGNIZED_PLACE}")


def test_yml_extension(repo: Repo) -> None:
    repo.write("records/2026/03/c1/w1.yml", GOOD_RECORD)
    assert_problems(repo, "records/2026/03/c1/w1.yml:1: 请使用 .yaml 扩展名（不是 .yml）")


# --- organization.yaml --------------------------------------------------------


ORG = "records/organization.yaml"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        pytest.param(
            "id: w2, name: 欧阳娜娜, community: c1",
            "id: w2, name: 欧阳娜娜, community: c3",
            f"{ORG}:17: 未知的社区“c3”（已登记的社区：c1、c2）",
            id="unknown-community",
        ),
        pytest.param(
            "community: c1, grid: g02",
            "community: c1, grid: g03",
            f"{ORG}:17: 社区“第一社区”没有网格“g03”，您是否想写“g02”？",
            id="unknown-grid",
        ),
        pytest.param(
            "joined: 2025-01, left: 2026-02",
            "joined: 2025-01, left: 2024-06",
            f"{ORG}:18: 离岗月份 2024-06 早于首个考评月 2025-01",
            id="left-before-joined",
        ),
        pytest.param(
            "communities: [c2]",
            "communities: [c3]",
            f"{ORG}:21: 未知的社区“c3”（已登记的社区：c1、c2）",
            id="assessor-unknown-community",
        ),
        pytest.param(
            "id: w2, name: 欧阳娜娜, community: c1",
            "id: w1, name: 欧阳娜娜, community: c1",
            f"{ORG}:17: 网格员编号“w1”重复（第 16 行已登记）",
            id="duplicate-worker-id",
        ),
        pytest.param(
            "role: part_time, joined: 2025-01,",
            "role: part_time, joined: 2025-01-01,",
            f"{ORG}:17: “joined”应为年月（如 2025-01），不要写日",
            id="joined-with-a-day",
        ),
        pytest.param(
            "joined: 2025-01, left: null, publish_name: true}",
            "joined: 2025-02-30, left: null, publish_name: true}",
            f"{ORG}:16: 日期“2025-02-30”不存在，请检查年、月、日",
            id="impossible-joined",
        ),
        pytest.param(
            "left: null, publish_name: true}",
            "left: null, publish_name: yes}",
            f"{ORG}:16: “publish_name”应为 true 或 false，实际为 “yes”",
            id="publish_name-yes",
        ),
        pytest.param(
            "left: null, publish_name: false}",
            "left: null, publish_name: off}",
            f"{ORG}:17: “publish_name”应为 true 或 false，实际为 “off”",
            id="publish_name-off",
        ),
    ],
)
def test_organization_problems(repo: Repo, old: str, new: str, expected: str) -> None:
    assert old in ORGANIZATION
    repo.write(ORG, ORGANIZATION.replace(old, new, 1))
    write_record(repo)
    assert_problems(repo, expected)


# --- annual reviews -----------------------------------------------------------


REVIEW = "worker: w1\nyear: 2026\nreview_score: 88.5\nassessed_by: a1\nassessed_on: 2027-01-10\n"
ANNUAL = "records/2026/annual/c1/w1.yaml"


@pytest.mark.parametrize(
    "score, expected",
    [
        ("101", f"{ANNUAL}:3: “review_score”应在 0 到 100 之间，实际为 101"),
        ("-1", f"{ANNUAL}:3: “review_score”应在 0 到 100 之间，实际为 -1"),
        ("88.555", f"{ANNUAL}:3: “review_score”最多保留两位小数，实际为 88.555"),
        ("良好", f"{ANNUAL}:3: “review_score”应为 0–100 的数字，实际为 “良好”"),
    ],
    ids=["over-100", "negative", "three-decimals", "text"],
)
def test_annual_review_score(repo: Repo, score: str, expected: str) -> None:
    write_record(repo)
    repo.write(ANNUAL, REVIEW.replace("88.5", score))
    assert_problems(repo, expected)


def test_annual_review_of_a_worker_with_no_records_that_year(repo: Repo) -> None:
    write_record(repo)
    repo.write("records/2026/annual/c1/w2.yaml", REVIEW.replace("w1", "w2"))
    assert_problems(
        repo, "records/2026/annual/c1/w2.yaml:1: 网格员 w2（欧阳娜娜）2026 年没有任何月度考评记录，不能进行年度评议"
    )


def test_annual_review_in_the_wrong_year_folder(repo: Repo) -> None:
    write_record(repo)
    repo.write("records/2025/annual/c1/w1.yaml", REVIEW)
    assert_problems(repo, "records/2025/annual/c1/w1.yaml:2: year 为 2026，但文件在 2025 文件夹中，两者必须一致")


def test_broken_record_does_not_make_annual_review_claim_no_records(repo: Repo) -> None:
    write_record(repo, metrics("visited: 5", "visited: 6"))
    repo.write(ANNUAL, REVIEW)
    assert_problems(repo, f"{P}:9: 预警信息处置：上门见面数（visited: 6）不能大于接到的预警信息数（received: 5）")


# --- notices ------------------------------------------------------------------


NOTICE = """\
kind: commendation
number: 东风反诈〔2026〕3号
title: 关于2026年3月网格反诈工作考评结果的通报表扬
period: 2026-03
date: 2026-04-08
issued_by: 东风街道反诈工作领导小组
body: |
  希望全体网格员向受表扬的同志学习。
"""
NP = "records/notices/2026-04-08-commendation.yaml"


def seal_march(repo: Repo) -> None:
    """Notices that publish names need their period sealed: give w2 a record too, then seal 2026-03."""
    if not (repo.root / "records/2026/03/c1/w2.yaml").exists():
        repo.record("w2", "2026-03")
    sealed = repo.run("seal", "2026-03")
    assert sealed.code == 0, sealed.err


@pytest.mark.parametrize("kind", ["commendation", "通报表扬"])
def test_good_notice_passes(repo: Repo, kind: str) -> None:
    write_record(repo)
    seal_march(repo)
    repo.write(NP, NOTICE.replace("kind: commendation", f"kind: {kind}"))
    assert_ok(repo)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            NOTICE.replace("kind: commendation", "kind: publicity"),
            f"{NP}:1: 公示（publicity）须填写 publicity：公示开始日期 start、结束日期 end 和异议渠道 contact",
            id="publicity-without-window",
        ),
        pytest.param(
            NOTICE.replace("〔2026〕3号", "〔2026〕第03号"),
            f"{NP}:2: 发文字号“东风反诈〔2026〕第03号”格式不对，应如“东风反诈〔2026〕3号”"
            "（年份用六角括号〔〕，不加“第”，序号不补 0）",
            id="number-with-第-and-zero",
        ),
        pytest.param(
            NOTICE.replace("〔2026〕3号", "[2026]3号"),
            f"{NP}:2: 发文字号“东风反诈[2026]3号”格式不对，应如“东风反诈〔2026〕3号”"
            "（年份用六角括号〔〕，不加“第”，序号不补 0）",
            id="number-with-square-brackets",
        ),
        pytest.param(
            NOTICE.replace("〔2026〕3号", "〔2025〕3号"),
            f"{NP}:2: 发文字号中的年份 2025 与发文日期 2026-04-08 不一致",
            id="number-year-mismatch",
        ),
        pytest.param(
            NOTICE.replace("的通报表扬\n", "的通报表扬（咨询13812345678）\n"),
            f"{NP}:3: title 会公开发布，不能含有手机号码“13812345678”（异议电话请写在 publicity.contact 中）",
            id="phone-in-title",
        ),
    ],
)
def test_notice_problems(repo: Repo, text: str, expected: str) -> None:
    write_record(repo)
    seal_march(repo)
    repo.write(NP, text)
    assert_problems(repo, expected)


PHONE_IN_BODY = "body 会公开发布，不能含有手机号码“13812345678”（异议电话请写在 publicity.contact 中）"


LINK_HINT = "；只能链接到 http(s) 网址、mailto: 邮箱、tel: 电话或本站页面"


@pytest.mark.parametrize(
    "body_line, message",
    [
        pytest.param("咨询电话 13812345678", PHONE_IN_BODY, id="phone"),
        pytest.param("第一行<br>第二行", "正文不能含 HTML 标签（<br>），请只用 Markdown", id="raw-html-tag"),
        pytest.param(
            "<script>alert(1)</script>",
            "正文不能含 HTML 标签（<script>、</script>），请只用 Markdown",
            id="raw-html-element",
        ),
        pytest.param(
            "[查看详情](javascript:alert(1))", f"正文不能含 javascript: 链接{LINK_HINT}", id="javascript-link"
        ),
        pytest.param("[图](data:image/png;base64,AAAA)", f"正文不能含 data: 链接{LINK_HINT}", id="data-link"),
        pytest.param("![图](宣传图.png)", "正文不能插入图片（![...](...)）：公示网站不从外部加载图片", id="image"),
    ],
)
def test_notice_body_problems_point_at_their_line(repo: Repo, body_line: str, message: str) -> None:
    write_record(repo)
    seal_march(repo)
    repo.write(NP, NOTICE + "  \n  " + body_line + "\n")  # body: | is line 7, body_line is line 10
    assert_problems(repo, f"{NP}:10: {message}")


@pytest.mark.parametrize(
    "body, line",
    [
        pytest.param("body: >\n  第一行\n  第二行\n  咨询电话 13812345678\n", 10, id="folded-block"),
        pytest.param("body: 第一行\n  第二行\n  咨询电话 13812345678\n", 9, id="plain-over-three-lines"),
        pytest.param('body: "第一行\\n咨询电话 13812345678"\n', 7, id="double-quoted-with-escape"),
        pytest.param("body: '第一行\n\n  咨询电话 13812345678'\n", 9, id="single-quoted-with-blank-line"),
    ],
)
def test_notice_body_line_in_other_yaml_styles(repo: Repo, body: str, line: int) -> None:
    write_record(repo)
    seal_march(repo)
    repo.write(NP, NOTICE.split("body:")[0] + body)
    assert_problems(repo, f"{NP}:{line}: {PHONE_IN_BODY}")


def test_unknown_notice_kind_lists_choices_in_chinese(repo: Repo) -> None:
    write_record(repo)
    seal_march(repo)
    repo.write(NP, NOTICE.replace("kind: commendation", "kind: praise"))
    assert_problems(
        repo,
        f"{NP}:1: “kind”应为以下之一：commendation（通报表扬）、publicity（公示）、correction（更正）、criticism（通报批评），"
        "实际为 “praise”",
    )


# --- rubric -------------------------------------------------------------------


def rubric_source(repo: Repo) -> str:
    return (repo.root / "rubric" / "2026.yaml").read_text(encoding="utf-8")


def break_rubric_points(repo: Repo) -> list[str]:
    """Give 宣传教育普及 16 points instead of 15; return the two problems that causes."""
    source = rubric_source(repo)
    old = "        name: 宣传教育普及\n        points: 15\n"
    assert old in source
    changed = source.replace(old, "        name: 宣传教育普及\n        points: 16\n", 1)
    repo.write("rubric/2026.yaml", changed)
    return [
        f"rubric/2026.yaml:{line_in(changed, '    points: 35')}: 类别“基础工作落实”的分值为 35，但其各项之和为 36",
        f"rubric/2026.yaml:{line_in(changed, '        points: 16')}: 项目“宣传教育普及”的分值为 16，但其公式各部分之和为 15",
    ]


def test_rubric_item_points_do_not_add_up(repo: Repo) -> None:
    expected = break_rubric_points(repo)
    write_record(repo)
    assert_problems(repo, *expected)


def test_rubric_duplicate_item_id(repo: Repo) -> None:
    source = rubric_source(repo)
    assert "      - id: screening\n" in source
    changed = source.replace("      - id: screening\n", "      - id: publicity\n", 1)
    repo.write("rubric/2026.yaml", changed)
    write_record(repo)
    line = line_in(changed, "name: 风险隐患排查") - 1
    assert_problems(repo, f"rubric/2026.yaml:{line}: 编号“publicity”重复")


def test_broken_rubric_does_not_cascade_into_records(repo: Repo) -> None:
    # Once, 2026 records were then checked against the 2025 edition, which has no innovation_recognized.
    expected = break_rubric_points(repo)
    write_record(repo, PERFECT_METRICS, event("innovation_recognized", summary="做法被市局推广", level="city"))
    assert_problems(repo, *expected)


# --- many problems at once ----------------------------------------------------


def test_all_problems_in_all_files_are_reported_sorted(repo: Repo) -> None:
    repo.write("records/2026/02/c1/w1.yaml", "")
    write_record(
        repo, metrics("valid_leads: 4", "valid_leads: -2").replace("coordination: excellent", "coordination: meh")
    )
    write_record(repo, metrics("visited: 5", "visited: 6"), worker="w2")
    write_record(repo, worker="w3", community="c2", assessor="a2")
    repo.write("records/2026/annual/c1/w2.yaml", REVIEW.replace("w1", "w2").replace("88.5", "101"))
    repo.write(
        "records/notices/2026-04-08-commendation.yaml",
        NOTICE.replace("〔2026〕3号", "〔2026〕第03号").replace("的通报表扬\n", "的通报表扬（咨询13812345678）\n"),
    )
    assert_problems(
        repo,
        "records/2026/02/c1/w1.yaml:1: 文件是空的",
        f"{P}:7: “valid_leads”不能为负数，实际为 -2",
        f"{P}:13: 联动协作配合（coordination）的等级“meh”无效，可选：{LEVEL_CHOICES_NO_NONE}",
        "records/2026/03/c1/w2.yaml:9: 预警信息处置：上门见面数（visited: 6）不能大于接到的预警信息数（received: 5）",
        "records/2026/03/c2/w3.yaml:1: 网格员 w3（王五）在 2026-03 不在岗（在岗期间 2025-01 至 2026-02），不应有考评记录",
        "records/2026/annual/c1/w2.yaml:3: “review_score”应在 0 到 100 之间，实际为 101",
        f"{NP}:2: 发文字号“东风反诈〔2026〕第03号”格式不对，应如“东风反诈〔2026〕3号”（年份用六角括号〔〕，不加“第”，序号不补 0）",
        f"{NP}:3: title 会公开发布，不能含有手机号码“13812345678”（异议电话请写在 publicity.contact 中）",
    )


# --- impossible dates, and former Python/English leaks ------------------------


def assessed_on(value: str) -> str:
    return HEAD.replace("assessed_on: 2026-04-02", f"assessed_on: {value}") + PERFECT_METRICS


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            assessed_on("2026-02-30"), f"{P}:4: 日期“2026-02-30”不存在，请检查年、月、日", id="impossible-day"
        ),
        pytest.param(
            assessed_on("2026-02-29"), f"{P}:4: 日期“2026-02-29”不存在，请检查年、月、日", id="not-a-leap-year"
        ),
        pytest.param(
            assessed_on("2026-13-02"), f"{P}:4: 日期“2026-13-02”不存在，请检查年、月、日", id="impossible-month"
        ),
        pytest.param(
            GOOD_RECORD + events(event("key_lead_case_solved", date="2026-03-32")),
            f"{P}:16: 日期“2026-03-32”不存在，请检查年、月、日",
            id="impossible-event-date",
        ),
        pytest.param(
            assessed_on("2026-04-02 10:00:00"),
            f"{P}:4: “assessed_on”只写日期（如 2026-04-02），不要写时间",
            id="date-with-time",
        ),
        pytest.param(
            GOOD_RECORD + events(event("key_lead_case_solved", date="2026-03-05T10:00:00")),
            f"{P}:16: “date”只写日期（如 2026-03-05），不要写时间",
            id="event-date-with-time",
        ),
    ],
)
def test_impossible_dates_get_a_message(repo: Repo, text: str, expected: str) -> None:
    repo.write(P, text)
    assert_problems(repo, expected)


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param(
            HEAD + "notes: " + "[" * 2000 + "]" * 2000 + "\n" + PERFECT_METRICS,
            f"{P}:5: YAML 格式错误：嵌套层级过深，无法读取",
            id="deep-nesting",  # was libyaml's English "exceeded maximum nesting depth"
        ),
        pytest.param(
            GOOD_RECORD.replace("worker: w1", "worker:"), f"{P}:1: “worker”不能为空", id="empty-worker"
        ),  # was Python's "None"
    ],
)
def test_no_python_or_english_in_messages(repo: Repo, text: str, expected: str) -> None:
    repo.write(P, text)
    assert_problems(repo, expected)


# --- the real command line: subprocess, --root placement, current directory ---


def test_subprocess_check_bad_repository(repo: Repo) -> None:
    write_record(repo, metrics("visited: 5", "visited: 6"))
    repo.write("records/2026/03/c1/w2.yaml", (GOOD_RECORD.replace("w1", "w2") + "notes: 备注\n").encode("gbk"))
    done = run_module("check", "--root", str(repo.root))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines() == [
        f"{P}:9: 预警信息处置：上门见面数（visited: 6）不能大于接到的预警信息数（received: 5）",
        f"records/2026/03/c1/w2.yaml:14: {GBK_HINT}",
        SUMMARY.format(2),
    ]


def test_subprocess_check_good_repository(repo: Repo) -> None:
    write_record(repo)
    done = run_module("check", "--root", str(repo.root))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("检查通过：2 个社区、3 名网格员、1 份月度考评")


def test_subprocess_root_before_the_command_and_current_directory(repo: Repo) -> None:
    write_record(repo, metrics("visited: 5", "visited: 6"))
    expected = [
        f"{P}:9: 预警信息处置：上门见面数（visited: 6）不能大于接到的预警信息数（received: 5）",
        SUMMARY.format(1),
    ]
    before = run_module("--root", str(repo.root), "check", cwd=repo.root.parent)
    here = run_module("check", cwd=repo.root)
    for done in (before, here):
        assert done.returncode == 1
        assert done.stderr.splitlines() == expected


def test_root_before_the_command_in_process(repo: Repo) -> None:
    write_record(repo, metrics("dissuaded: 5", "dissuaded: 6"))
    run = run_cli("--root", str(repo.root), "check")
    assert run.code == 1
    assert run.lines == [
        f"{P}:9: 预警信息处置：成功劝阻数（dissuaded: 6）不能大于接到的预警信息数（received: 5）",
        SUMMARY.format(1),
    ]
    assert "Traceback" not in run.err


def test_organization_of_a_city_may_exceed_one_mib(repo: Repo) -> None:
    """organization.yaml lists every worker: a city's is several MiB; records keep the 1 MiB limit."""
    org = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    padding = "".join(f"# 备注行 {i:06d}：{'网格' * 40}\n" for i in range(6000))
    repo.write("records/organization.yaml", padding + org)
    assert (repo.root / "records/organization.yaml").stat().st_size > 1024 * 1024
    write_record(repo)
    assert_ok(repo)


def test_header_level_and_part_problems_of_one_record_come_in_one_run(repo: Repo) -> None:
    text = HEAD.replace("assessed_by:", "assesed_by:") + metrics("dissuaded: 5", "dissuaded: 20").replace(
        "coordination: excellent", "coordination: 很好"
    )
    repo.write(P, text)
    assert_problems(
        repo,
        f"{P}:3: 未知字段“assesed_by”，您是否想写“assessed_by”？",
        f"{P}:9: 预警信息处置：成功劝阻数（dissuaded: 20）不能大于接到的预警信息数（received: 5）",
        f"{P}:13: 联动协作配合（coordination）的等级“很好”无效，可选：{LEVEL_CHOICES_NO_NONE}",
    )
