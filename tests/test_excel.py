"""The Excel / WPS round trip (``gridscore export`` / ``gridscore import``) through the real command line."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from .conftest import PROJECT, run_cli

MONTH = "2026-10"


def cli(root: Path, *args: str) -> Any:
    return run_cli(*args, "--root", str(root))


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "records").rglob("*")) if p.is_file()
    }


def export(root: Path, period: str = MONTH) -> Path:
    target = root.parent / f"{period}.xlsx"
    result = cli(root, "export", period, str(target))
    assert result.code == 0, result.err
    return target


class Sheet:
    """A sheet of an exported workbook, addressed by field key and worker id like the import does."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.keys = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1) if ws.cell(4, c).value}
        self.rows = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value}

    def cell(self, worker: str, key: str) -> Any:
        return self.ws.cell(self.rows[worker], self.keys[key])

    def ref(self, worker: str, key: str) -> str:
        return f"{self.ws.title}!{self.cell(worker, key).coordinate}"

    def first_empty_row(self) -> int:
        row = 5
        while self.ws.cell(row, self.keys["kind"]).value is not None:
            row += 1
        return row


def score_json(root: Path, period: str = MONTH) -> dict[str, dict[str, Any]]:
    result = cli(root, "score", period, "--json")
    assert result.code == 0, result.err
    return {r["worker"]: r for r in json.loads(result.out)["results"]}


@pytest.mark.parametrize("period", [MONTH, "2026-03"])  # 2026-03 has a level written as 市级, and a correction
def test_an_untouched_workbook_changes_nothing(sample: Path, period: str) -> None:
    before = snapshot(sample)
    workbook = export(sample, period)
    result = cli(sample, "import", str(workbook))
    assert result.code == 0, result.err
    assert "新建 0 份、更新 0 份" in result.out
    assert snapshot(sample) == before
    assert cli(sample, "check").code == 0


def test_edits_land_exactly_where_they_were_made(sample: Path) -> None:
    edited = sample / "records/2026/10/chaoyang/wg-0304.yaml"
    original = "# 考评组手写的注释\n" + edited.read_text(encoding="utf-8").replace(
        "  case_assistance: excellent\n", "  case_assistance: excellent   # 协查表现突出\n"
    )
    edited.write_text(original, encoding="utf-8")
    added = sample / "records/2026/10/dongfeng-1/wg-0101.yaml"
    added_before = added.read_text(encoding="utf-8")
    before = snapshot(sample)
    scores_before = score_json(sample)

    workbook = export(sample)
    wb = load_workbook(workbook)
    records, events = Sheet(wb["考评记录"]), Sheet(wb["事件"])
    assert records.cell("wg-0304", "metrics.publicity.tasks_completed").value == 3
    assert records.cell("wg-0304", "metrics.case_assistance").value == "优秀"
    records.cell("wg-0304", "metrics.publicity.tasks_completed").value = 4
    records.cell("wg-0304", "metrics.case_assistance").value = "良好"
    row = events.first_empty_row()
    for key, value in {
        "worker": "wg-0101",
        "kind": "成功劝阻重大涉案金额",
        "date": date(2026, 10, 15),
        "amount_yuan": 90000,
        "summary": "劝阻一名居民向所谓“安全账户”转账",
        "evidence": "派出所回执 DF-2026-099",
    }.items():
        events.ws.cell(row, events.keys[key]).value = value
    wb.save(workbook)

    result = cli(sample, "import", str(workbook))
    assert result.code == 0, result.err
    assert "更新 2 份" in result.out
    assert edited.read_text(encoding="utf-8") == original.replace("tasks_completed: 3,", "tasks_completed: 4,").replace(
        "case_assistance: excellent   #", "case_assistance: good        #"
    )  # the comment keeps its column
    assert added.read_text(encoding="utf-8") == added_before + (
        "events:\n"
        "  - kind: major_dissuasion\n"
        "    date: 2026-10-15\n"
        "    amount_yuan: 90000\n"
        "    summary: 劝阻一名居民向所谓“安全账户”转账\n"
        "    evidence: 派出所回执 DF-2026-099\n"
    )
    after = snapshot(sample)
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {"records/2026/10/chaoyang/wg-0304.yaml", "records/2026/10/dongfeng-1/wg-0101.yaml"}
    assert cli(sample, "check").code == 0

    scores = score_json(sample)
    assert scores["wg-0304"]["items"]["publicity"] != scores_before["wg-0304"]["items"]["publicity"]
    assert scores["wg-0304"]["items"]["case_assistance"] == "8.00"
    assert float(scores["wg-0101"]["bonus"]) == float(scores_before["wg-0101"]["bonus"]) + 2


def test_a_missing_record_is_written_as_by_hand(sample: Path) -> None:
    workbook = export(sample)
    expected = {}
    for relative in ("records/2026/10/chaoyang/wg-0304.yaml", "records/2026/10/dongfeng-2/wg-0203.yaml"):
        expected[relative] = (sample / relative).read_bytes()
        (sample / relative).unlink()
    result = cli(sample, "import", str(workbook))
    assert result.code == 0, result.err
    assert "新建 2 份" in result.out
    for relative, content in expected.items():
        assert (sample / relative).read_bytes() == content  # flow maps lined up, events as a block list


def test_bad_cells_are_named_and_nothing_is_written(sample: Path) -> None:
    workbook = export(sample)
    wb = load_workbook(workbook)
    records = Sheet(wb["考评记录"])
    records.cell("wg-0304", "metrics.publicity.tasks_completed").value = 9  # more than the 4 assigned
    records.cell("wg-0305", "metrics.screening.valid_leads").value = "五"
    records.cell("wg-0306", "metrics.coordination").value = "很好"
    wb.save(workbook)
    before = snapshot(sample)

    result = cli(sample, "import", str(workbook))
    assert result.code == 1
    # each at its cell, the column named by its Chinese header (the sheet never shows the field ids)
    assert result.lines == [
        f"{workbook} {records.ref('wg-0304', 'metrics.publicity.tasks_completed')}: "
        "宣传教育普及：完成的宣传任务数（9）不能大于布置的宣传任务数（4）",
        f"{workbook} {records.ref('wg-0305', 'metrics.screening.valid_leads')}: “上报的有效线索数”应为整数，实际为 “五”",
        f"{workbook} {records.ref('wg-0306', 'metrics.coordination')}: "
        "联动协作配合的等级“很好”无效，可选：excellent（优秀）、good（良好）、fair（一般）、poor（较差）",
        "发现 3 个问题，没有写入任何文件。请在表格中逐条修改后重新导入。",
    ]
    assert records.ref("wg-0304", "metrics.publicity.tasks_completed") == "考评记录!H28"  # sheet, column and row
    assert snapshot(sample) == before


def test_event_problems_point_at_the_event_row(sample: Path) -> None:
    workbook = export(sample)
    wb = load_workbook(workbook)
    events = Sheet(wb["事件"])
    row = events.first_empty_row()
    for key, value in {
        "worker": "wg-0101",
        "kind": "成功劝阻重大涉案金额",
        "date": date(2026, 9, 30),
        "summary": "x",
    }.items():
        events.ws.cell(row, events.keys[key]).value = value
    events.ws.cell(row + 1, events.keys["kind"]).value = "未按要求完成宣传任务"
    wb.save(workbook)
    before = snapshot(sample)

    result = cli(sample, "import", str(workbook))
    assert result.code == 1
    letter = {key: events.ws.cell(row, column).column_letter for key, column in events.keys.items()}
    assert result.lines == [
        f"{workbook} 事件!{letter['date']}{row}: 事件日期 2026-09-30 不在考评月份 2026-10 内",
        f"{workbook} 事件!{letter['amount_yuan']}{row}: 事件“成功劝阻重大涉案金额”须填写金额（元）",
        f"{workbook} 事件!{letter['worker']}{row + 1}: 请填写网格员编号",
        "发现 3 个问题，没有写入任何文件。请在表格中逐条修改后重新导入。",
    ]
    assert snapshot(sample) == before


def test_removing_and_rewording_events(sample: Path) -> None:
    workbook = export(sample)
    wb = load_workbook(workbook)
    events = Sheet(wb["事件"])
    for row in range(5, events.first_empty_row()):
        worker = events.ws.cell(row, events.keys["worker"]).value
        if worker == "wg-0106":
            for key in ("worker", "kind", "date", "summary", "evidence"):
                events.ws.cell(row, events.keys[key]).value = None
        if worker == "wg-0304":
            events.ws.cell(row, events.keys["summary"]).value = "改写后的事迹摘要"
    wb.save(workbook)
    assert cli(sample, "import", str(workbook)).code == 0
    removed = (sample / "records/2026/10/dongfeng-1/wg-0106.yaml").read_text(encoding="utf-8")
    assert "events" not in removed
    assert (
        removed
        == (PROJECT / "records/2026/10/dongfeng-1/wg-0106.yaml").read_text(encoding="utf-8").split("events:\n")[0]
    )
    reworded = (sample / "records/2026/10/chaoyang/wg-0304.yaml").read_text(encoding="utf-8")
    assert "    summary: 改写后的事迹摘要\n    evidence: 派出所回执 DF-2026-057\n" in reworded
    assert cli(sample, "check").code == 0


def test_a_change_to_a_sealed_month_is_refused(sample: Path) -> None:
    workbook = export(sample, "2026-09")
    wb = load_workbook(workbook)
    Sheet(wb["考评记录"]).cell("wg-0101", "metrics.coordination").value = "较差"
    wb.save(workbook)
    before = snapshot(sample)
    result = cli(sample, "import", str(workbook))
    assert result.code == 1
    assert any(
        line.endswith(
            "2026-09.xlsx 考评记录!A5: 已封存的2026年9月结果有变化：wg-0101（张伟）：总分 73.44 → 68.44、排名 30 → 35、"
            "社区排名 8 → 10、工作创新与协作小计 14.00 → 9.00、联动协作配合得分 8.00 → 3.00、考评记录有改动。"
            "已公布的结果不能悄悄改变：如确需更正，请发布更正公告（records/notices/日期-correction-2026-09.yaml，"
            "kind: correction，period: 2026-09，workers 列出该网格员），再运行 gridscore seal 2026-09 记录更正"
        )
        for line in result.lines
    ), result.err
    assert snapshot(sample) == before


def test_a_sealed_month_carries_its_results(sample: Path) -> None:
    workbook = export(sample, "2026-09")
    wb = load_workbook(workbook)
    assert wb.sheetnames == ["说明", "考评记录", "事件", "考评结果", "选项"]
    ws = wb["考评结果"]
    headers = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    assert headers[:7] == ["排名", "社区排名", "编号", "姓名", "社区", "总分", "等次"]
    assert "已封存" in ws["A2"].value
    published = json.loads(cli(sample, "score", "2026-09", "--json").out)["results"]
    shown = [(ws.cell(r, 1).value, ws.cell(r, 3).value, f"{ws.cell(r, 6).value:.2f}") for r in range(4, ws.max_row + 1)]
    assert shown == [(r["rank"], r["worker"], r["total"]) for r in published]
    assert ws.protection.sheet


def test_a_month_being_filled_has_no_results_sheet(sample: Path) -> None:
    assert cli(sample, "new", "2026-11").code == 0
    wb = load_workbook(export(sample, "2026-11"))
    assert "考评结果" not in wb.sheetnames


def test_drop_downs_protection_and_layout(sample: Path) -> None:
    wb = load_workbook(export(sample))
    guide = wb["说明"]
    assert any(guide.cell(r, 1).value == "考评月份" and guide.cell(r, 2).value == MONTH for r in range(1, 10))
    records = Sheet(wb["考评记录"])
    ws = records.ws
    assert [ws.cell(3, c).value for c in range(1, 7)] == ["编号", "姓名", "社区", "网格", "考评人编号", "考评日期"]
    assert ws.cell(3, records.keys["metrics.publicity.tasks_completed"]).value == "完成的宣传任务数"
    assert ws.protection.sheet and ws.protection.password is None
    assert ws.freeze_panes == "C5"
    assert ws.row_dimensions[4].hidden
    assert records.cell("wg-0101", "worker").protection.locked
    assert records.cell("wg-0101", "name").fill.fgColor.rgb.endswith("E7E6E6")
    assert not records.cell("wg-0101", "assessed_by").protection.locked
    assert not records.cell("wg-0101", "metrics.coordination").protection.locked
    assert records.cell("wg-0101", "metrics.publicity.tasks_assigned").number_format == "0"

    choices = wb["选项"]

    def options(dv: Any) -> list[str]:
        sheet, _, span = dv.formula1.partition("!")
        assert sheet == "'选项'"
        first, last = (part.replace("$", "") for part in span.split(":"))
        return [c.value for row in choices[first:last] for c in row if c.value]

    def validation_for(sheet: Sheet, key: str) -> Any:
        coordinate = sheet.ws.cell(5, sheet.keys[key]).coordinate  # the first data row
        return next(dv for dv in sheet.ws.data_validations.dataValidation if coordinate in dv.sqref)

    assert options(validation_for(records, "metrics.case_assistance")) == ["优秀", "良好", "一般", "较差", "无此项"]
    assert options(validation_for(records, "metrics.coordination")) == ["优秀", "良好", "一般", "较差"]
    assert options(validation_for(records, "assessed_by")) == ["zz-li", "pcs-wang", "sq-liu", "sq-chen"]
    assert validation_for(records, "metrics.publicity.tasks_assigned").type == "whole"

    events = Sheet(wb["事件"])
    kinds = options(validation_for(events, "kind"))
    assert "成功劝阻重大涉案金额" in kinds and len(kinds) == 10
    assert options(validation_for(events, "scale")) == ["轻微", "一般", "严重", "县级", "市级", "省级"]
    assert [events.ws.cell(3, events.keys[k]).value for k in ("worker", "kind", "date", "scale", "amount_yuan")] == [
        "编号",
        "事件类型",
        "日期",
        "档次",
        "金额（元）",
    ]
    assert events.ws.protection.sheet
    assert not events.ws.cell(events.first_empty_row(), events.keys["kind"]).protection.locked


def test_export_is_reproducible(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = export(sample).read_bytes()
    second = export(sample).read_bytes()
    assert first == second
    assert load_workbook(export(sample)).properties.created.date() == date(2026, 11, 1)


def test_filling_blank_records_keeps_their_comments(sample: Path) -> None:
    assert cli(sample, "new", "2026-11").code == 0
    path = sample / "records/2026/11/chaoyang/wg-0301.yaml"
    blank = path.read_text(encoding="utf-8")
    before = snapshot(sample)
    workbook = export(sample, "2026-11")
    assert cli(sample, "import", str(workbook)).code == 0  # nothing filled yet: nothing written
    assert snapshot(sample) == before

    wb = load_workbook(workbook)
    records = Sheet(wb["考评记录"])
    records.cell("wg-0301", "assessed_by").value = "sq-chen"
    records.cell("wg-0301", "assessed_on").value = date(2026, 12, 2)
    for key in records.keys:
        if key.startswith("metrics.") and key.count(".") == 2:
            records.cell("wg-0301", key).value = 3
        elif key.startswith("metrics."):
            records.cell("wg-0301", key).value = "良好"
    wb.save(workbook)
    result = cli(sample, "import", str(workbook))
    assert result.code == 0, result.err
    assert "更新 1 份" in result.out and "与本次导入无关的问题" in result.out

    filled = path.read_text(encoding="utf-8")
    comments = [line.split("#", 1)[1] for line in blank.splitlines() if "#" in line]
    assert comments == [line.split("#", 1)[1] for line in filled.splitlines() if "#" in line]
    assert "assessed_by: sq-chen" in filled and "    tasks_completed: 3" in filled
    assert "  coordination: good" in filled
    assert "2026/11/chaoyang/wg-0301.yaml" not in cli(sample, "check").err  # only the other blanks are left
    after = snapshot(sample)
    assert {p for p in before if before[p] != after[p]} == {"records/2026/11/chaoyang/wg-0301.yaml"}


def _with_shared_strings(workbook: Path) -> None:
    """Store the text as Excel and WPS do (a shared-string table), not inline as openpyxl writes it."""
    strings: dict[str, int] = {}

    def shared(match: re.Match[str]) -> str:
        index = strings.setdefault(match.group(2), len(strings))
        return f'<c {match.group(1)}t="s"><v>{index}</v></c>'

    with zipfile.ZipFile(workbook) as old:
        parts = {name: old.read(name) for name in old.namelist()}
    for name in parts:
        if name.startswith("xl/worksheets/"):
            xml = re.sub(r'<c ([^>]*)t="inlineStr"><is><t>(.*?)</t></is></c>', shared, parts[name].decode())
            parts[name] = xml.encode()
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = f'<sst xmlns="{main}" count="{len(strings)}">{items}</sst>'.encode()
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}" />'
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", override.encode() + b"</Types>")
    relation = (
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml" Id="rIdStrings" />'
    )
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(b"</Relationships>", relation.encode() + b"</Relationships>")
    with zipfile.ZipFile(workbook, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in parts.items():
            new.writestr(name, data)


def test_a_workbook_saved_with_shared_strings_reads_the_same(sample: Path) -> None:
    before = snapshot(sample)
    workbook = export(sample)
    _with_shared_strings(workbook)
    assert b"<is>" not in zipfile.ZipFile(workbook).read("xl/worksheets/sheet2.xml")
    result = cli(sample, "import", str(workbook))
    assert result.code == 0, result.err
    assert "新建 0 份、更新 0 份" in result.out
    assert snapshot(sample) == before

    wb = load_workbook(workbook)
    Sheet(wb["考评记录"]).cell("wg-0304", "metrics.case_assistance").value = "良好"
    wb.save(workbook)
    _with_shared_strings(workbook)
    assert cli(sample, "import", str(workbook)).code == 0
    assert "  case_assistance: good\n" in (sample / "records/2026/10/chaoyang/wg-0304.yaml").read_text(encoding="utf-8")


def test_a_workbook_that_is_not_one_of_ours(sample: Path, tmp_path: Path) -> None:
    stray = tmp_path / "other.xlsx"
    from openpyxl import Workbook

    Workbook().save(stray)
    result = cli(sample, "import", str(stray))
    assert result.code == 1
    assert "考评月份" in result.err
    missing = cli(sample, "import", str(tmp_path / "missing.xlsx"))
    assert missing.code == 1 and "找不到文件" in missing.err
    nothing = cli(sample, "export", "2024", str(tmp_path / "y.xlsx"))
    assert nothing.lines == [
        "错误：2024 年还没有任何月度考评记录，无从导出年度评议（年度评议只为当年参加过考评的网格员填写）"
    ]
    assert nothing.code == 1 and not (tmp_path / "y.xlsx").exists()
