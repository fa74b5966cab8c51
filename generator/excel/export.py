"""``gridscore export`` for a month: the workbook and its sheets (说明, 考评记录, 事件, 考评结果, 选项)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from ..errors import InvalidInput
from ..load import load_repository
from ..models import Organization, Worker
from ..numbers import exact, fmt_plain
from ..periods import Month
from ..results import Results
from ..rows import monthly_rows
from ..rubric import EventKind, Rubric
from ..score import MonthlyResult
from ..validate import load_dataset
from .columns import Column, _event_cells, _lookup, event_columns, record_columns, to_excel
from .existing import _Existing, _month_folder, _read_existing, _setup
from .layout import (
    BODY_FONT,
    BORDER,
    FIRST_ROW,
    FONT,
    HEADER_FILL,
    HEADER_FONT,
    HINT_FONT,
    TITLE_FONT,
    WRAP_CENTER,
    WRAP_LEFT,
    add_validations,
    check_target,
    display_width,
    fixed_time,
    print_setup,
    protect,
    save_workbook,
    set_cell,
    style_body,
    validation_rule,
    with_prompt,
    write_header,
)
from .text import PERIOD_LABEL, SHEET_CHOICES, SHEET_EVENTS, SHEET_GUIDE, SHEET_RECORDS, SHEET_RESULTS

SPARE_EVENT_ROWS = 100


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    workers: int
    prefilled: int
    events: int
    results: str | None  # "sealed", "computed" or None (no complete results)


def export_workbook(root: Path, month: Month, target: Path) -> ExportSummary:
    """Write ``target`` (.xlsx): a row per worker active in ``month``, prefilled from existing records."""
    check_target(target)
    repo = load_repository(root)
    org, rubric = _setup(repo, month)
    workers = [w for w in sorted(org.workers, key=lambda w: w.id) if w.active_in(month)]
    existing = _read_existing(root, _month_folder(root, month), workers)
    computed = _complete_results(root, month, workers)

    wb = Workbook()
    guide = wb.active
    guide.title = SHEET_GUIDE
    records = wb.create_sheet(SHEET_RECORDS)
    events = wb.create_sheet(SHEET_EVENTS)
    results = wb.create_sheet(SHEET_RESULTS) if computed else None
    choices = wb.create_sheet(SHEET_CHOICES)
    lists = _choices_sheet(choices, org, rubric, len(workers))
    _records_sheet(records, org, rubric, month, workers, existing, lists)
    event_count = _events_sheet(events, rubric, month, workers, existing, lists)
    if results is not None and computed is not None:
        _results_sheet(results, org, month, *computed)
    state = None if computed is None else ("sealed" if computed[1] else "computed")
    _guide_sheet(guide, org, rubric, month, len(workers), len(existing), event_count, state)

    save_workbook(wb, target, f"{org.unit.name}{month.label}网格员反诈工作考评记录", fixed_time(month))
    return ExportSummary(target, len(workers), len(existing), event_count, state)


def _complete_results(root: Path, month: Month, workers: list[Worker]) -> tuple[list[MonthlyResult], bool] | None:
    """The month's results when they are complete (sealed, or every active worker has a valid record)."""
    try:
        dataset = load_dataset(root, notices_need_seals=False)
    except InvalidInput:
        return None
    sealed = str(month) in dataset.seals
    assessed = {entry.worker.id for entry in dataset.entries.get(month, [])}
    if not assessed or (not sealed and any(w.id not in assessed for w in workers)):
        return None
    return Results(dataset).month(month), sealed


def _month_rules(lists: dict[str, str], month: Month) -> Callable[[Column], DataValidation | None]:
    month_end = month.next().first_day() - timedelta(days=1)
    return lambda column: _rule_for(column, lists, month, month_end)


def _assessor_rule(lists: dict[str, str]) -> DataValidation:
    return validation_rule("list", lists["assessors"], "请从下拉列表中选择考评人编号（名单见“选项”表）")


def _rule_for(column: Column, lists: dict[str, str], month: Month, month_end: date) -> DataValidation | None:
    first_day = f"DATE({month.year},{month.month},1)"
    last_day = f"DATE({month_end.year},{month_end.month},{month_end.day})"
    if column.kind == "level" and column.item is not None:
        source = lists["levels"] if column.item.allow_none else lists["levels_required"]
        choices = "优秀、良好、一般、较差" + ("、无此项" if column.item.allow_none else "（此项不能选无此项）")
        rule = validation_rule("list", source, f"请从下拉列表中选择等级：{choices}")
    elif column.kind == "assessor":
        rule = _assessor_rule(lists)
    elif column.kind == "kind":
        rule = validation_rule("list", lists["kinds"], "请从下拉列表中选择事件类型（见“选项”表）")
    elif column.kind == "scale":
        rule = validation_rule("list", lists["scales"], "请从下拉列表中选择档次（见“选项”表）")
    elif column.kind == "id" and not column.locked:
        rule = validation_rule("list", lists["workers"], "请填写考评记录表中的网格员编号")
    elif column.kind == "count":
        rule = validation_rule("whole", "0", "请填写不小于 0 的整数", operator="greaterThanOrEqual")
    elif column.kind == "amount":
        rule = validation_rule("decimal", "0", "请填写金额（元），不小于 0 的数字", operator="greaterThanOrEqual")
    elif column.key == "assessed_on":
        rule = validation_rule(
            "date", first_day, f"考评日期应为日期，如 {month.next()}-02，且不早于 {month.first_day()}"
        )
        rule.operator = "greaterThanOrEqual"
    elif column.kind == "date":
        rule = validation_rule("date", first_day, f"事件日期须在{month.label}内，如 {month}-12", formula2=last_day)
        rule.operator = "between"
    else:
        return None
    return with_prompt(rule, column)


def _records_sheet(
    ws: Worksheet,
    org: Organization,
    rubric: Rubric,
    month: Month,
    workers: list[Worker],
    existing: dict[str, _Existing],
    lists: dict[str, str],
) -> None:
    columns = record_columns(rubric, month)
    title = f"{org.unit.name} {month.label}网格员反诈工作考评记录（{rubric.title}）"
    write_header(ws, columns, title, group_is_hint=False)
    communities = {c.id: c for c in org.communities}
    for offset, worker in enumerate(workers):
        row = FIRST_ROW + offset
        community = communities.get(worker.community)
        grid = next((g.name for g in community.grids if g.id == worker.grid), worker.grid) if community else ""
        fixed = {
            "worker": worker.id,
            "name": worker.name,
            "community": community.name if community else worker.community,
            "grid": grid,
        }
        record = existing.get(worker.id)
        for index, column in enumerate(columns, 1):
            cell = ws.cell(row, index)
            if column.key in fixed:
                value = fixed[column.key]
            else:
                value = to_excel(column, _lookup(record.data, column.loc) if record else None, rubric)
            set_cell(cell, value)
            style_body(cell, column)
    add_validations(ws, columns, FIRST_ROW, FIRST_ROW + len(workers) - 1, _month_rules(lists, month))
    ws.freeze_panes = "C5"
    protect(ws)
    print_setup(ws, "1:4", "A:B", wide=True)


def _events_sheet(
    ws: Worksheet,
    rubric: Rubric,
    month: Month,
    workers: list[Worker],
    existing: dict[str, _Existing],
    lists: dict[str, str],
) -> int:
    columns = event_columns(rubric, month)
    title = f"{month.label}扣分与加分事件（每个事件一行；没有事件的网格员不用填）"
    write_header(ws, columns, title, group_is_hint=True)
    rows: list[dict[str, Any]] = []
    for worker in workers:
        record = existing.get(worker.id)
        found = record.data.get("events") if record else None
        for event in found if isinstance(found, list) else []:
            if isinstance(event, dict):
                rows.append(_event_cells(worker.id, event, rubric))
    last_worker = FIRST_ROW + max(len(workers), 1) - 1
    names = f"'{SHEET_RECORDS}'!$A${FIRST_ROW}:$B${last_worker}"
    last = FIRST_ROW + len(rows) + max(SPARE_EVENT_ROWS, len(workers))
    for row in range(FIRST_ROW, last + 1):
        values = rows[row - FIRST_ROW] if row - FIRST_ROW < len(rows) else {}
        for index, column in enumerate(columns, 1):
            cell = ws.cell(row, index)
            if column.key == "name":
                cell.value = f'=IF(A{row}="","",IFERROR(VLOOKUP(A{row},{names},2,FALSE),"（编号不在考评记录表中）"))'
            else:
                set_cell(cell, to_excel(column, values.get(column.key), rubric, values.get("kind")))
            style_body(cell, column)
    add_validations(ws, columns, FIRST_ROW, last, _month_rules(lists, month))
    ws.freeze_panes = "C5"
    protect(ws)
    print_setup(ws, "1:4")
    ws.print_area = f"A1:{get_column_letter(len(columns))}{max(FIRST_ROW + len(rows) + 4, FIRST_ROW + 9)}"
    return len(rows)


def _choices_title(ws: Worksheet) -> None:
    set_cell(ws["A1"], "下拉选项与代码对照（由 gridscore export 生成，请勿修改）")
    ws["A1"].font = TITLE_FONT
    ws.row_dimensions[1].height = 26
    ws.row_dimensions[2].height = 30


def _choices_table(ws: Worksheet, first_column: int, headers: list[tuple[str, float]], rows: list[list[Any]]) -> str:
    """One table of the 选项 sheet (headers in row 2); returns the range of its first column, for a drop-down."""
    for offset, (label, width) in enumerate(headers):
        cell = ws.cell(2, first_column + offset)
        set_cell(cell, label)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, WRAP_CENTER, BORDER
        ws.column_dimensions[get_column_letter(first_column + offset)].width = width
    for number, values in enumerate(rows):
        for offset, value in enumerate(values):
            cell = ws.cell(3 + number, first_column + offset)
            set_cell(cell, value)
            cell.font, cell.border, cell.alignment = BODY_FONT, BORDER, WRAP_LEFT
    return _choices_span(first_column, len(rows))


def _choices_span(column: int, count: int) -> str:
    letter = get_column_letter(column)
    return f"'{SHEET_CHOICES}'!${letter}$3:${letter}${2 + max(count, 1)}"


def _assessors_table(ws: Worksheet, first_column: int, org: Organization) -> str:
    """The assessors, with the communities each may assess: the list behind every 考评人编号 drop-down."""
    communities = {c.id: c.name for c in org.communities}
    return _choices_table(
        ws,
        first_column,
        [("考评人编号", 12), ("姓名", 9), ("单位", 12), ("可考评的社区", 30)],
        [
            [
                a.id,
                a.name,
                a.org,
                "全部社区" if a.communities == "all" else "、".join(communities.get(c, c) for c in a.communities),
            ]
            for a in org.assessors
        ],
    )


def _choices_sheet(ws: Worksheet, org: Organization, rubric: Rubric, workers: int) -> dict[str, str]:
    """Lists behind the drop-downs, with the codes they stand for; returns each list's range."""
    _choices_title(ws)
    levels = rubric.levels
    required = [level for level in levels if level.id != "none"]
    _choices_table(
        ws,
        1,
        [("等级", 9), ("等级（须评定的项目）", 11), ("英文编号", 10), ("得分比例", 9)],
        [
            [
                level.label,
                required[i].label if i < len(required) else None,
                level.id,
                f"{fmt_plain(exact(level.ratio) * 100)}%",
            ]
            for i, level in enumerate(levels)
        ],
    )
    kinds = rubric.events
    _choices_table(
        ws,
        6,
        [("事件类型", 34), ("英文编号", 20), ("分值", 22), ("还须填写", 24)],
        [[kind.name, kind.id, _effect(kind, rubric), _needs(kind, rubric)] for kind in kinds],
    )
    scale_rows = [
        [value.label, value.id, "、".join(k.name for k in kinds if k.by == scale)]
        for scale, values in rubric.scales.items()
        for value in values
    ]
    _choices_table(ws, 11, [("档次", 8), ("英文编号", 10), ("适用的事件类型", 30)], scale_rows)
    assessors = _assessors_table(ws, 15, org)
    for gap in ("E", "J", "N"):
        ws.column_dimensions[gap].width = 3
    protect(ws)
    print_setup(ws, None)
    return {
        "levels": _choices_span(1, len(levels)),
        "levels_required": _choices_span(2, len(required)),
        "kinds": _choices_span(6, len(kinds)),
        "scales": _choices_span(11, len(scale_rows)),
        "assessors": assessors,
        "workers": f"'{SHEET_RECORDS}'!$A${FIRST_ROW}:$A${FIRST_ROW + max(workers, 1) - 1}",
    }


def _effect(kind: EventKind, rubric: Rubric) -> str:
    if isinstance(kind.points, dict):
        labels = {v.id: v.label for v in rubric.scales.get(kind.by or "", [])}
        amount = " / ".join(f"{labels.get(k, k)} {fmt_plain(exact(v))}" for k, v in kind.points.items())
    else:
        amount = fmt_plain(exact(kind.points))
    if kind.effect == "bonus":
        return f"加分 +{amount}"
    if kind.effect == "total_deduction":
        return f"总分 −{amount}" + ("，一票否决" if kind.veto else "")
    item = rubric.item_by_id.get(kind.item or "")
    return f"{item.name if item else kind.item} −{amount}"


def _needs(kind: EventKind, rubric: Rubric) -> str:
    needs = []
    if kind.by:
        needs.append("档次：" + "/".join(v.label for v in rubric.scales.get(kind.by, [])))
    if kind.needs_amount:
        minimum = kind.amount_min or Decimal(0)
        needs.append(f"金额（不少于 {fmt_plain(exact(minimum))} 元）" if minimum else "金额（元）")
    return "；".join(needs) or "—"


def _results_sheet(ws: Worksheet, org: Organization, month: Month, results: list[MonthlyResult], sealed: bool) -> None:
    rubric = results[0].rubric
    communities = {c.id: c.name for c in org.communities}
    status = (
        "已封存的结果"
        if sealed
        else "导出时按现有记录计算，仅供核对；在 Excel 中修改后不会更新，导入后运行 gridscore score 查看"
    )
    headers: list[tuple[str, float]] = [
        ("排名", 6),
        ("社区排名", 6),
        ("编号", 10),
        ("姓名", 9),
        ("社区", 13),
        ("总分", 8),
        ("等次", 7),
    ]
    headers += [(f"{c.name}（{fmt_plain(exact(c.points))}分）", 13) for c in rubric.categories]
    headers += [("加分", 7), ("扣分", 7), ("一票否决", 7)]
    last = get_column_letter(len(headers))
    ws.merge_cells(f"A1:{last}1")
    set_cell(ws["A1"], f"{org.unit.name} {month.label}考评结果（只读，不会导入）")
    ws["A1"].font = TITLE_FONT
    ws.merge_cells(f"A2:{last}2")
    set_cell(ws["A2"], f"{status}。考评标准：{rubric.title}。")
    ws["A2"].font = HINT_FONT
    ws["A2"].alignment = WRAP_LEFT
    ws.row_dimensions[1].height = 26
    ws.row_dimensions[2].height = 30
    ws.row_dimensions[3].height = 32
    for index, (label, width) in enumerate(headers, 1):
        cell = ws.cell(3, index)
        set_cell(cell, label)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, WRAP_CENTER, BORDER
        ws.column_dimensions[get_column_letter(index)].width = width
    for offset, row in enumerate(monthly_rows(results)):
        values: list[Any] = [
            row.rank,
            row.community_rank,
            row.worker,
            row.name,
            communities.get(row.community, row.community),
            _score(row.total),
            row.grade,
        ]
        values += [_score(row.categories[c.id]) for c in rubric.categories]
        values += [_score(row.bonus), _score(row.deductions), "是" if row.vetoed else ""]
        for index, value in enumerate(values, 1):
            cell = ws.cell(4 + offset, index)
            set_cell(cell, value)
            cell.font, cell.border = BODY_FONT, BORDER
            if isinstance(value, float):
                cell.number_format = "0.00"
            cell.alignment = Alignment(horizontal="right" if isinstance(value, (int, float)) else "center")
    ws.freeze_panes = "A4"
    protect(ws)
    print_setup(ws, "3:3")


def _score(shown: str) -> float:
    """A figure as shown (two decimals) as the cell's number, which the cell's format ``0.00`` shows the same."""
    return float(Decimal(shown))


def _guide_sheet(
    ws: Worksheet,
    org: Organization,
    rubric: Rubric,
    month: Month,
    workers: int,
    prefilled: int,
    events: int,
    results: str | None,
) -> None:
    parts = [
        f"{rubric.item_by_id[i].fields[t.part or '']} ≤ {rubric.item_by_id[i].fields[t.whole or '']}"
        for i in rubric.item_by_id
        for t in rubric.item_by_id[i].terms
        if t.method == "ratio" and not t.cap_at_one
    ]
    required = "、".join(item.name for item in rubric.items if item.method == "level" and not item.allow_none)
    levels = "；".join(
        f"{level.label}（{level.description or '得该项分值的 ' + fmt_plain(exact(level.ratio) * 100) + '%'}）"
        for level in rubric.levels
    )
    sheets = [
        (SHEET_GUIDE, "本页：怎么填、怎么导入。"),
        (
            SHEET_RECORDS,
            f"每名{month.label}在岗的网格员一行（共 {workers} 人）。已有的考评记录已经填好（{prefilled} 份），"
            "没有记录的行是空的。灰色的列是网格员本人的信息，不能修改；白色的格子填写。",
        ),
        (SHEET_EVENTS, f"扣分与加分事件，每个事件一行（已有 {events} 条）。下面留有空行，直接往下填。"),
    ]
    if results:
        what = "已封存的公布结果" if results == "sealed" else "导出时按现有记录计算的结果，在 Excel 中修改后不会更新"
        sheets.append((SHEET_RESULTS, f"{month.label}的排名、总分、等次和各类得分（{what}）。只读，不会导入。"))
    sheets.append(
        (SHEET_CHOICES, "下拉列表的选项：等级、事件类型（含分值和还须填写的内容）、档次、考评人名单。请勿修改。")
    )
    steps = [
        "灰色的列（编号、姓名、社区、网格）和表头已锁定，白色的格子可以填写。工作表保护没有密码：确需撤销时（例如事件表的空行不够用），"
        "点“审阅”→“撤销工作表保护”即可，但不要改动表头，也不要删除或改动隐藏的第 4 行（英文字段名，导入时按它找到每一列）。",
        "考评人编号从下拉列表选择（名单见“选项”表），须是有权考评该社区的考评人，不能是网格员本人。"
        f"考评日期填日期，如 {month.next()}-02，不能早于 {month.first_day()}。",
        "数字都填不小于 0 的整数，没有就填 0，不要留空。部分不能大于整体：" + "；".join(parts) + "。"
        "当月没有任务（整体为 0）的比例项计满分。",
        f"等级从下拉列表选择：{levels}。{required}每月都须评定，不能选“无此项”。",
        "内部备注可以不填，只在内部版可见，不会公开。",
        "事件：每个加分或扣分事件填一行。编号填网格员编号（可从下拉列表选），姓名会自动显示；事件类型从下拉列表选择；"
        f"日期须在{month.label}内；需要档次的事件填档次，需要金额的事件填金额（元）——哪些事件需要，见“选项”表。"
        "删除一个事件：把那一行的内容清空。",
        "事迹摘要会在公示网站上公开发布：不写居民姓名、电话号码、身份证号、银行卡号。佐证（如派出所回执编号）只在内部可见。",
        "一行全部留空，表示这名网格员还没有考评记录；清空一行不会删除已有的记录（确需删除，请直接删除对应的 YAML 文件）。",
        "保存为 .xlsx 格式。WPS：“文件”→“另存为”，文件类型选“Excel 文件(*.xlsx)”；不要存成 .xls 或 .et。",
    ]
    importing = [
        "在考评仓库的根目录运行：gridscore import 文件名.xlsx（也可以写 python -m generator import 文件名.xlsx）。",
        "导入时按 gridscore check 的全部规则检查。有问题时逐条列出“文件名 工作表!单元格: 说明”，"
        "例如“考评记录!H7: …不能大于…”，并且不写入任何文件；按提示改好后重新导入即可。",
        f"没有问题时写入 records/{month.year:04d}/{month.month:02d}/社区编号/网格员编号.yaml：只改动变化了的数值，"
        "原有的注释和字段顺序保持不变；没有改动的记录不会被改写。等级写回时用英文编号（如 good）。",
        f"然后运行 gridscore score {month} 查看结果，git diff 查看改动，按平时的流程提交合并请求。",
    ]
    notes = [
        "本表含佐证材料和内部备注，属内部资料，不要对外发送。",
        "公示网站公开的是得分、等次、排名和事迹摘要；姓名按本人是否同意公开，显示全名或“张*”。",
        "已封存的月份（records/seals/）导入后结果有变化时会被拒绝：须先发布更正公告，见 README“每月工作流程”。",
    ]
    meta = [
        ("考评单位", org.unit.name),
        (PERIOD_LABEL, str(month)),
        ("考评标准", f"{rubric.title}（rubric/{rubric.version}.yaml）"),
        ("生成方式", f"gridscore export {month}；填好后用 gridscore import 导入"),
    ]
    title = f"{org.unit.name}网格员反诈工作考评 Excel 填写表（{month.label}）"
    _guide_rows(ws, _guide(title, meta, sheets, steps, importing, notes))


def _guide(
    title: str,
    meta: list[tuple[str, str]],
    sheets: list[tuple[str, str]],
    steps: list[str],
    importing: list[str],
    notes: list[str],
) -> list[tuple[str, str, str]]:
    """The rows of a 说明 sheet (monthly or annual): the title, facts, then sheets, steps, import, notes."""
    return [
        ("title", title, ""),
        *[("meta", label, text) for label, text in meta],
        ("gap", "", ""),
        ("section", "各工作表", ""),
        *[("item", name, text) for name, text in sheets],
        ("gap", "", ""),
        ("section", "填写方法", ""),
        *[("step", f"{number}.", text) for number, text in enumerate(steps, 1)],
        ("gap", "", ""),
        ("section", "导入", ""),
        *[("step", f"{number}.", text) for number, text in enumerate(importing, 1)],
        ("gap", "", ""),
        ("section", "注意", ""),
        *[("step", "•", text) for text in notes],
    ]


def _guide_rows(ws: Worksheet, rows: list[tuple[str, str, str]]) -> None:
    """The 说明 sheet: (kind, label, text) rows, kind one of title, meta, gap, section, item or step."""
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 96
    for number, (kind, label, text) in enumerate(rows, 1):
        a, b = ws.cell(number, 1), ws.cell(number, 2)
        set_cell(a, label or None)
        set_cell(b, text or None)
        if kind == "title":
            ws.merge_cells(start_row=number, start_column=1, end_row=number, end_column=2)
            a.font = TITLE_FONT
            ws.row_dimensions[number].height = 28
            continue
        if kind == "section":
            a.font = Font(name=FONT, size=12, bold=True, color="1F4E79")
            ws.row_dimensions[number].height = 22
            continue
        a.font = BODY_FONT if kind == "step" else HEADER_FONT
        b.font = BODY_FONT
        a.alignment = Alignment(horizontal="right" if kind == "step" else "left", vertical="top", indent=1)
        b.alignment = WRAP_LEFT
        if kind == "meta":
            a.fill = b.fill = HEADER_FILL
            a.border = b.border = BORDER
        lines = sum(max(1, -(-display_width(part) // 92)) for part in text.split("\n")) if text else 1
        ws.row_dimensions[number].height = max(18, 16 * lines + 2)
    protect(ws)
    print_setup(ws, None, landscape=False)
