"""``gridscore export`` for a month: the workbook and its sheets (说明, 考评记录, 事件, 考评结果, 选项)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
from .text import (
    ALL_COMMUNITIES,
    AMOUNT_ERROR,
    ASSESSED_ON_ERROR,
    ASSESSOR_ERROR,
    ASSESSOR_HEADERS,
    BONUS_EFFECT,
    CHOICES_TITLE,
    COUNT_ERROR,
    EVENT_DATE_ERROR,
    EVENTS_TITLE,
    GUIDE_SECTIONS,
    ITEM_EFFECT,
    KIND_ERROR,
    KIND_HEADERS,
    LEVEL_ERROR,
    LEVEL_HEADERS,
    LEVEL_NONE_ALLOWED,
    LEVEL_REQUIRED_ERROR,
    LEVELS,
    MONTH_GUIDE_IMPORTING,
    MONTH_GUIDE_LEVEL,
    MONTH_GUIDE_META,
    MONTH_GUIDE_NOTES,
    MONTH_GUIDE_RATIO,
    MONTH_GUIDE_RESULTS,
    MONTH_GUIDE_SHEETS,
    MONTH_GUIDE_STEPS,
    MONTH_GUIDE_TITLE,
    MONTH_WORKBOOK_TITLE,
    NEEDS_AMOUNT,
    NEEDS_AMOUNT_AT_LEAST,
    NEEDS_NOTHING,
    NEEDS_SCALE,
    NOT_IN_RECORDS,
    RECORDS_TITLE,
    RESULTS_CATEGORY,
    RESULTS_COMPUTED,
    RESULTS_HEADERS,
    RESULTS_SEALED,
    RESULTS_STATUS,
    RESULTS_TAIL_HEADERS,
    RESULTS_TITLE,
    SCALE_ERROR,
    SCALE_HEADERS,
    SHEET_CHOICES,
    SHEET_EVENTS,
    SHEET_GUIDE,
    SHEET_RECORDS,
    SHEET_RESULTS,
    TOTAL_EFFECT,
    VETO_EFFECT,
    WORKER_ERROR,
    YES,
)

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

    title = MONTH_WORKBOOK_TITLE.format(unit=org.unit.name, month=month)
    save_workbook(wb, target, title, fixed_time(month))
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
    return validation_rule("list", lists["assessors"], ASSESSOR_ERROR)


def _rule_for(column: Column, lists: dict[str, str], month: Month, month_end: date) -> DataValidation | None:
    first_day = f"DATE({month.year},{month.month},1)"
    last_day = f"DATE({month_end.year},{month_end.month},{month_end.day})"
    if column.kind == "level" and column.item is not None:
        source = lists["levels"] if column.item.allow_none else lists["levels_required"]
        choices = LEVELS + (LEVEL_NONE_ALLOWED if column.item.allow_none else LEVEL_REQUIRED_ERROR)
        rule = validation_rule("list", source, LEVEL_ERROR.format(choices=choices))
    elif column.kind == "assessor":
        rule = _assessor_rule(lists)
    elif column.kind == "kind":
        rule = validation_rule("list", lists["kinds"], KIND_ERROR)
    elif column.kind == "scale":
        rule = validation_rule("list", lists["scales"], SCALE_ERROR)
    elif column.kind == "id" and not column.locked:
        rule = validation_rule("list", lists["workers"], WORKER_ERROR)
    elif column.kind == "count":
        rule = validation_rule("whole", "0", COUNT_ERROR, operator="greaterThanOrEqual")
    elif column.kind == "amount":
        rule = validation_rule("decimal", "0", AMOUNT_ERROR, operator="greaterThanOrEqual")
    elif column.key == "assessed_on":
        rule = validation_rule(
            "date", first_day, ASSESSED_ON_ERROR.format(next_month=month.next(), first_day=month.first_day())
        )
        rule.operator = "greaterThanOrEqual"
    elif column.kind == "date":
        rule = validation_rule("date", first_day, EVENT_DATE_ERROR.format(month=month), formula2=last_day)
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
    title = RECORDS_TITLE.format(unit=org.unit.name, month=month, rubric=rubric.title)
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
    title = EVENTS_TITLE.format(month=month)
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
                cell.value = f'=IF(A{row}="","",IFERROR(VLOOKUP(A{row},{names},2,FALSE),"{NOT_IN_RECORDS}"))'
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
    set_cell(ws["A1"], CHOICES_TITLE)
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
        list(ASSESSOR_HEADERS),
        [
            [
                a.id,
                a.name,
                a.org,
                ALL_COMMUNITIES if a.communities == "all" else "、".join(communities.get(c, c) for c in a.communities),
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
        list(LEVEL_HEADERS),
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
        list(KIND_HEADERS),
        [[kind.name, kind.id, _effect(kind, rubric), _needs(kind, rubric)] for kind in kinds],
    )
    scale_rows = [
        [value.label, value.id, "、".join(k.name for k in kinds if k.by == scale)]
        for scale, values in rubric.scales.items()
        for value in values
    ]
    _choices_table(ws, 11, list(SCALE_HEADERS), scale_rows)
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
        return BONUS_EFFECT.format(amount=amount)
    if kind.effect == "total_deduction":
        return TOTAL_EFFECT.format(amount=amount) + (VETO_EFFECT if kind.veto else "")
    item = rubric.item_by_id.get(kind.item or "")
    return ITEM_EFFECT.format(item=item.name if item else kind.item, amount=amount)


def _needs(kind: EventKind, rubric: Rubric) -> str:
    needs = []
    if kind.by:
        needs.append(NEEDS_SCALE + "/".join(v.label for v in rubric.scales.get(kind.by, [])))
    if kind.needs_amount:
        minimum = kind.amount_min or Decimal(0)
        needs.append(NEEDS_AMOUNT_AT_LEAST.format(minimum=fmt_plain(exact(minimum))) if minimum else NEEDS_AMOUNT)
    return "；".join(needs) or NEEDS_NOTHING


def _results_sheet(ws: Worksheet, org: Organization, month: Month, results: list[MonthlyResult], sealed: bool) -> None:
    rubric = results[0].rubric
    communities = {c.id: c.name for c in org.communities}
    status = RESULTS_SEALED if sealed else RESULTS_COMPUTED
    headers: list[tuple[str, float]] = list(RESULTS_HEADERS)
    headers += [
        (RESULTS_CATEGORY.format(name=c.name, points=fmt_plain(exact(c.points))), 13) for c in rubric.categories
    ]
    headers += RESULTS_TAIL_HEADERS
    last = get_column_letter(len(headers))
    ws.merge_cells(f"A1:{last}1")
    set_cell(ws["A1"], RESULTS_TITLE.format(unit=org.unit.name, month=month))
    ws["A1"].font = TITLE_FONT
    ws.merge_cells(f"A2:{last}2")
    set_cell(ws["A2"], RESULTS_STATUS.format(status=status, rubric=rubric.title))
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
        values += [_score(row.bonus), _score(row.deductions), YES if row.vetoed else ""]
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
        MONTH_GUIDE_LEVEL.format(
            label=level.label,
            description=level.description or MONTH_GUIDE_RATIO.format(percent=fmt_plain(exact(level.ratio) * 100)),
        )
        for level in rubric.levels
    )
    values: dict[str, Any] = {
        "unit": org.unit.name,
        "month": month,
        "next_month": month.next(),
        "first_day": month.first_day(),
        "workers": workers,
        "prefilled": prefilled,
        "events": events,
        "what": MONTH_GUIDE_RESULTS["sealed" if results == "sealed" else "computed"] if results else "",
        "parts": "；".join(parts),
        "levels": levels,
        "required": required,
        "rubric": rubric.title,
        "version": rubric.version,
    }
    sheets = {name: text for name, text in MONTH_GUIDE_SHEETS.items() if results or name != SHEET_RESULTS}
    rows = _guide(
        MONTH_GUIDE_TITLE, MONTH_GUIDE_META, sheets, MONTH_GUIDE_STEPS, MONTH_GUIDE_IMPORTING, MONTH_GUIDE_NOTES, values
    )
    _guide_rows(ws, rows)


def _guide(
    title: str,
    meta: Iterable[tuple[str, str]],
    sheets: dict[str, str],
    steps: Iterable[str],
    importing: Iterable[str],
    notes: Iterable[str],
    values: dict[str, Any],
) -> list[tuple[str, str, str]]:
    """The rows of a 说明 sheet (monthly or annual): the title, facts, then sheets, steps, import, notes.

    Each text is a template from ``text``, filled with ``values``.
    """
    on_sheets, filling, on_import, on_notes = GUIDE_SECTIONS
    return [
        ("title", title.format(**values), ""),
        *[("meta", label, text.format(**values)) for label, text in meta],
        ("gap", "", ""),
        ("section", on_sheets, ""),
        *[("item", name, text.format(**values)) for name, text in sheets.items()],
        ("gap", "", ""),
        ("section", filling, ""),
        *[("step", f"{number}.", text.format(**values)) for number, text in enumerate(steps, 1)],
        ("gap", "", ""),
        ("section", on_import, ""),
        *[("step", f"{number}.", text.format(**values)) for number, text in enumerate(importing, 1)],
        ("gap", "", ""),
        ("section", on_notes, ""),
        *[("step", "•", text.format(**values)) for text in notes],
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
