"""The Excel / WPS route: ``gridscore export`` writes a month to a workbook, ``gridscore import`` reads it back.

A 考评组 that works in Excel or WPS fills one row per grid worker (sheet 考评记录)
and one row per event (sheet 事件). Import turns the rows into the records'
data, validates them exactly as ``gridscore check`` does (the real loader,
models and cross-file checks, in memory) and points each problem at its cell
(``考评记录!H7``). Nothing is written unless everything is valid. A record
whose values did not change is not touched; a changed one keeps its comments,
key order and layout (ruamel.yaml round trip, then the original spacing is put
back on every line whose content did not change).

The workbook maps its columns by a row of field keys under the Chinese
headers (``metrics.publicity.tasks_completed``), so a moved or inserted
column does not shift data into the wrong field.

A workbook is untrusted input (§9): ``xlsx_guard`` reads it once and checks its
size, its zip and every sheet's extent before openpyxl reads it, in read-only
mode. Records are read and written without following links. Export writes every
text as text: nothing from the data becomes a formula.
"""

from __future__ import annotations

import io
import os
import re
import stat
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

from . import pipeline
from .errors import GridscoreError, InvalidInput, Problem, UsageError, display_path, one_line
from .fsguard import unsafe_folder, unsafe_target, write_replacing
from .load import Repository, load_data_file, load_repository
from .models import Organization, Worker
from .numbers import exact, fmt_plain
from .periods import Month, Year, coerce_month
from .results import Results
from .rows import monthly_rows
from .rubric import EventKind, Item, Rubric
from .score import MonthlyResult
from .validate import Dataset, load_dataset
from .xlsx_guard import (
    MAX_WORKBOOK_BYTES,
    RESAVE,
    FileMissing,
    FileRefused,
    WorkbookRefused,
    check_workbook,
    read_regular,
)
from .yamlio import MAX_BYTES, Document, YamlProblem, parse_document

SHEET_GUIDE = "说明"
SHEET_RECORDS = "考评记录"
SHEET_EVENTS = "事件"
SHEET_RESULTS = "考评结果"
SHEET_CHOICES = "选项"
SHEET_REVIEWS = "年度评议"  # the annual workbook (excel_annual)
PERIOD_LABEL = "考评月份"
YEAR_LABEL = "考评年度"  # in place of PERIOD_LABEL: the workbook is an annual one
HEADER_ROWS = 4  # title, group or hint, Chinese label, field key
FIRST_ROW = HEADER_ROWS + 1
SPARE_EVENT_ROWS = 100
IGNORED_KEYS = ("name", "community", "grid")  # shown for reading only, never imported

FONT = "宋体"
THIN = Side(style="thin", color="A6A6A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
LOCKED_FILL = PatternFill("solid", fgColor="E7E6E6")
TITLE_FONT = Font(name=FONT, size=14, bold=True)
HEADER_FONT = Font(name=FONT, size=10, bold=True)
HINT_FONT = Font(name=FONT, size=9, color="595959")
KEY_FONT = Font(name=FONT, size=8, color="808080")
BODY_FONT = Font(name=FONT, size=11)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)

RECORD_ORDER = ("worker", "period", "assessed_by", "assessed_on", "metrics", "events", "notes")

Loc = tuple[str | int, ...]


# --- the layout shared by export and import ----------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its field key (written in the key row) and how to show it."""

    key: str
    label: str
    group: str  # the row above the label: an item's name, or a hint
    kind: str  # id, label, assessor, date, count, level, text, kind, scale, amount
    width: float
    locked: bool = False
    item: Item | None = None
    hint: str = ""  # shown by Excel when the cell is selected

    @property
    def loc(self) -> Loc:
        return tuple(self.key.split("."))


def record_columns(rubric: Rubric, month: Month) -> list[Column]:
    who = "网格员（灰色，不可修改）"
    columns = [
        Column("worker", "编号", who, "id", 10, locked=True),
        Column("name", "姓名", who, "label", 9, locked=True),
        Column("community", "社区", who, "label", 13, locked=True),
        Column("grid", "网格", who, "label", 9, locked=True),
        Column(
            "assessed_by", "考评人编号", "考评", "assessor", 11, hint="从下拉列表选择；须有权考评该社区，不能是本人"
        ),
        Column("assessed_on", "考评日期", "考评", "date", 12, hint=f"如 {month.next()}-02，不早于 {month.first_day()}"),
    ]
    for item in rubric.items:
        group = f"{item.name}（{fmt_plain(exact(item.points))}分）"
        if item.method == "level":
            allowed = "优秀、良好、一般、较差" + ("、无此项" if item.allow_none else "（每月须评定，不能选无此项）")
            columns.append(
                Column(f"metrics.{item.id}", "等级", group, "level", 11, item=item, hint=f"从下拉列表选择：{allowed}")
            )
            continue
        wholes = {t.part: t.whole for t in item.terms if t.method == "ratio" and not t.cap_at_one and t.part}
        for name, label in item.fields.items():
            whole = wholes.get(name)
            hint = f"整数，不能大于“{item.fields[whole]}”" if whole else "不小于 0 的整数，没有填 0"
            columns.append(Column(f"metrics.{item.id}.{name}", label, group, "count", 10, item=item, hint=hint))
    columns.append(Column("notes", "内部备注", "可选，仅内部可见", "text", 28))
    return columns


def event_columns(rubric: Rubric, month: Month) -> list[Column]:
    scales = "；".join("/".join(v.label for v in values) for values in rubric.scales.values())
    return [
        Column("worker", "编号", "网格员编号，可从下拉列表选", "id", 10, hint="填考评记录表中的网格员编号"),
        Column("name", "姓名", "按编号自动显示", "label", 9, locked=True),
        Column("kind", "事件类型", "从下拉列表选择，分值见“选项”表", "kind", 36, hint="从下拉列表选择事件类型"),
        Column("date", "日期", f"须在{month.label}内", "date", 12, hint=f"如 {month}-12，须在{month.label}内"),
        Column("scale", "档次", "部分事件须填", "scale", 8, hint=f"按事件类型填写：{scales}"),
        Column("amount_yuan", "金额（元）", "部分事件须填", "amount", 12, hint="只有需要金额的事件才填"),
        Column(
            "summary",
            "事迹摘要（公开）",
            "会公开发布：不写居民姓名、电话、身份证号、银行卡号",
            "text",
            46,
            hint="会在公示网站公开",
        ),
        Column("evidence", "佐证（内部）", "仅内部可见，如派出所回执编号", "text", 24),
    ]


# --- export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    workers: int
    prefilled: int
    events: int
    results: str | None  # "sealed", "computed" or None (no complete results)


@dataclass
class _Existing:
    """A record file already in the repository for a worker and month."""

    path: Path
    shown: str
    text: str
    data: dict[str, Any]


def export_workbook(root: Path, month: Month, target: Path) -> ExportSummary:
    """Write ``target`` (.xlsx): a row per worker active in ``month``, prefilled from existing records."""
    _check_target(target)
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

    _save(wb, target, f"{org.unit.name}{month.label}网格员反诈工作考评记录", _fixed_time(month))
    return ExportSummary(target, len(workers), len(existing), event_count, state)


def _check_target(target: Path) -> None:
    """The workbook is written in place of ``target``: never through a link, never over something else."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise UsageError(f"导出文件 {target} 是符号链接，不能写入：请换一个文件名，或先删除这个链接")
    if not stat.S_ISREG(mode):
        raise UsageError(f"导出文件 {target} 已存在，但不是普通文件：请换一个文件名")


def _setup(repo: Repository, month: Month) -> tuple[Organization, Rubric]:
    """Only the organization and the rubric must be valid to export or import a month."""
    org = _organization(repo)
    rubric = repo.rubric_for(month)
    if rubric is None:
        raise GridscoreError(f"{month} 早于所有考评标准的生效月份，没有可用的考评标准")
    return org, rubric


def _organization(repo: Repository) -> Organization:
    """The organization, once it and the rubrics are valid (records may still be being filled in)."""
    problems = [p for p in repo.problems if not p.path.startswith("records/") or p.path == "records/organization.yaml"]
    if repo.organization is None or problems:
        raise InvalidInput(problems)
    return repo.organization


def _month_folder(root: Path, month: Month) -> Path:
    return root / "records" / f"{month.year:04d}" / f"{month.month:02d}"


def _record_path(folder: Path, worker: Worker) -> Path:
    """Where a worker's file in ``folder`` (a month's, or a year's annual/) is: the file already there (even under
    another community), else its own community's folder."""
    home = folder / worker.community / f"{worker.id}.yaml"
    if os.path.lexists(home):
        return home
    others = sorted(folder.glob(f"*/{worker.id}.yaml")) if folder.is_dir() else []
    return others[0] if others else home


def _read_existing(root: Path, folder: Path, workers: list[Worker]) -> dict[str, _Existing]:
    """The workers' files in ``folder`` as plain data; a file that cannot be read stops export and import."""
    found: dict[str, _Existing] = {}
    problems: list[Problem] = []
    for worker in workers:
        path = _record_path(folder, worker)
        if not os.path.lexists(path):
            continue
        shown = display_path(path, root)
        try:
            unsafe = unsafe_folder(root, path)
            if unsafe:
                raise FileRefused(unsafe)
            doc = parse_document(read_regular(path, MAX_BYTES), shown)
        except FileRefused as refused:
            problems.append(Problem(shown, 1, f"{refused.reason}（请先改正这个文件）"))
            continue
        except YamlProblem as problem:
            problems.append(Problem(shown, problem.line, f"{problem.message}（请先改正这个文件）"))
            continue
        if not isinstance(doc.data, dict):
            problems.append(Problem(shown, 1, "文件内容应为“字段: 值”形式（请先改正这个文件）"))
            continue
        found[worker.id] = _Existing(path, shown, doc.full_text(), doc.data)
    if problems:
        raise InvalidInput(problems)
    return found


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


def _fixed_time(month: Month) -> datetime:
    """Workbook dates: SOURCE_DATE_EPOCH when set, else the first day after the month (never “now”)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
        except ValueError:
            raise UsageError(f"环境变量 SOURCE_DATE_EPOCH 应为整数秒，实际为“{epoch}”") from None
    following = month.next()
    return datetime(following.year, following.month, 1)


def _save(wb: Workbook, target: Path, title: str, when: datetime) -> None:
    """Save with fixed dates and zip timestamps, so the same data gives the same bytes."""
    wb.properties.creator = "gridscore export"
    wb.properties.lastModifiedBy = "gridscore export"
    wb.properties.title = _cell_text(title)
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    packed = io.BytesIO()
    stamp = max(when, datetime(1980, 1, 1)).timetuple()[:6]
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source, zipfile.ZipFile(packed, "w") as out:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, source.read(info.filename))
    write_replacing(target, packed.getvalue())


# --- sheets ---------------------------------------------------------------------------------


# What Excel and WPS read as the start of a formula when a cell is typed (or edited and confirmed)
_FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def _set(cell: Cell, value: Any) -> None:
    """Put a value in a cell; text stays text, never a formula (“=HYPERLINK(…)” from a record is inert)."""
    if isinstance(value, str):
        value = _cell_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes “=…” a formula and “#N/A” an error
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True  # as Excel marks text typed after an apostrophe: editing keeps it text
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


def _cell_text(text: str) -> str:
    """Text as a cell can hold it: a control character shown as \\xNN, at most Excel's 32,767 characters."""
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text[:32767]


def _header(ws: Worksheet, columns: list[Column], title: str, group_is_hint: bool) -> None:
    last = get_column_letter(len(columns))
    ws.merge_cells(f"A1:{last}1")
    _set(ws["A1"], title)
    ws["A1"].font = TITLE_FONT
    ws["A1"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[1].height = 26
    ws.row_dimensions[2].height = 40
    ws.row_dimensions[3].height = 44
    ws.row_dimensions[4].hidden = True  # the field keys import maps columns by; see the 说明 sheet
    start = 1
    for index, column in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
        label = ws.cell(3, index)
        _set(label, column.label)
        label.font, label.fill, label.alignment, label.border = HEADER_FONT, HEADER_FILL, WRAP_CENTER, BORDER
        key = ws.cell(4, index)
        _set(key, column.key)
        key.font, key.alignment, key.border = KEY_FONT, Alignment(horizontal="center", shrink_to_fit=True), BORDER
        key.fill = LOCKED_FILL
        group = ws.cell(2, index)
        _set(group, column.group if (group_is_hint or index == start) else None)
        group.font = HINT_FONT if group_is_hint else HEADER_FONT
        group.fill, group.alignment, group.border = HEADER_FILL, WRAP_CENTER, BORDER
        following = columns[index] if index < len(columns) else None
        if not group_is_hint and (following is None or following.group != column.group):
            if index > start:
                ws.merge_cells(start_row=2, start_column=start, end_row=2, end_column=index)
            start = index + 1


def _style_body(cell: Cell, column: Column) -> None:
    cell.font = BODY_FONT
    cell.border = BORDER
    if column.locked:
        cell.fill = LOCKED_FILL
    else:
        cell.protection = Protection(locked=False)
    if column.kind in ("text", "kind"):
        cell.alignment = WRAP_LEFT
    elif column.kind in ("count", "amount", "score"):
        cell.alignment = Alignment(horizontal="right", vertical="top")
        if column.kind != "score":  # a score shows as typed: 88.555 is not shown as 88.56 (import refuses it)
            cell.number_format = "0" if column.kind == "count" else "#,##0.##"
    else:
        cell.alignment = Alignment(horizontal="center", vertical="top")
    if column.kind == "date":
        cell.number_format = "yyyy-mm-dd"


def _protect(ws: Worksheet) -> None:
    """Lock what is locked (grey columns, headers); no password. Column widths stay adjustable."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _print_setup(ws: Worksheet, titles: str | None, columns: str | None = None, wide: bool = False) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if wide else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    if titles:
        ws.print_title_rows = titles
    if columns:
        ws.print_title_cols = columns


def _validation(kind: str, formula: str, error: str, **extra: Any) -> DataValidation:
    validation = DataValidation(
        type=kind,
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="输入有误",
        error=error,
        **extra,
    )
    return validation


def _add_validations(
    ws: Worksheet, columns: list[Column], first: int, last: int, rule_for: Callable[[Column], DataValidation | None]
) -> None:
    """Give rows ``first``–``last`` of each column the rule ``rule_for`` makes for it (one rule per kind of column)."""
    if last < first:
        return
    by_rule: dict[tuple[str, str, str], DataValidation] = {}
    for index, column in enumerate(columns, 1):
        rule = rule_for(column)
        if rule is None:
            continue
        key = (column.kind, rule.formula1 or "", rule.prompt or "")
        if key not in by_rule:
            by_rule[key] = rule
            ws.add_data_validation(rule)
        letter = get_column_letter(index)
        by_rule[key].add(f"{letter}{first}:{letter}{last}")


def _month_rules(lists: dict[str, str], month: Month) -> Callable[[Column], DataValidation | None]:
    month_end = month.next().first_day() - timedelta(days=1)
    return lambda column: _rule_for(column, lists, month, month_end)


def _assessor_rule(lists: dict[str, str]) -> DataValidation:
    return _validation("list", lists["assessors"], "请从下拉列表中选择考评人编号（名单见“选项”表）")


def _with_prompt(rule: DataValidation, column: Column) -> DataValidation:
    """The column's hint, shown by Excel when one of its cells is selected."""
    if column.hint:
        rule.showInputMessage = True
        rule.promptTitle = _cell_text(column.label)[:32]
        rule.prompt = _cell_text(column.hint)[:255]
    return rule


def _rule_for(column: Column, lists: dict[str, str], month: Month, month_end: date) -> DataValidation | None:
    first_day = f"DATE({month.year},{month.month},1)"
    last_day = f"DATE({month_end.year},{month_end.month},{month_end.day})"
    if column.kind == "level" and column.item is not None:
        source = lists["levels"] if column.item.allow_none else lists["levels_required"]
        choices = "优秀、良好、一般、较差" + ("、无此项" if column.item.allow_none else "（此项不能选无此项）")
        rule = _validation("list", source, f"请从下拉列表中选择等级：{choices}")
    elif column.kind == "assessor":
        rule = _assessor_rule(lists)
    elif column.kind == "kind":
        rule = _validation("list", lists["kinds"], "请从下拉列表中选择事件类型（见“选项”表）")
    elif column.kind == "scale":
        rule = _validation("list", lists["scales"], "请从下拉列表中选择档次（见“选项”表）")
    elif column.kind == "id" and not column.locked:
        rule = _validation("list", lists["workers"], "请填写考评记录表中的网格员编号")
    elif column.kind == "count":
        rule = _validation("whole", "0", "请填写不小于 0 的整数", operator="greaterThanOrEqual")
    elif column.kind == "amount":
        rule = _validation("decimal", "0", "请填写金额（元），不小于 0 的数字", operator="greaterThanOrEqual")
    elif column.key == "assessed_on":
        rule = _validation("date", first_day, f"考评日期应为日期，如 {month.next()}-02，且不早于 {month.first_day()}")
        rule.operator = "greaterThanOrEqual"
    elif column.kind == "date":
        rule = _validation("date", first_day, f"事件日期须在{month.label}内，如 {month}-12", formula2=last_day)
        rule.operator = "between"
    else:
        return None
    return _with_prompt(rule, column)


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
    _header(ws, columns, title, group_is_hint=False)
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
            _set(cell, value)
            _style_body(cell, column)
    _add_validations(ws, columns, FIRST_ROW, FIRST_ROW + len(workers) - 1, _month_rules(lists, month))
    ws.freeze_panes = "C5"
    _protect(ws)
    _print_setup(ws, "1:4", "A:B", wide=True)


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
    _header(ws, columns, title, group_is_hint=True)
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
                _set(cell, to_excel(column, values.get(column.key), rubric, values.get("kind")))
            _style_body(cell, column)
    _add_validations(ws, columns, FIRST_ROW, last, _month_rules(lists, month))
    ws.freeze_panes = "C5"
    _protect(ws)
    _print_setup(ws, "1:4")
    ws.print_area = f"A1:{get_column_letter(len(columns))}{max(FIRST_ROW + len(rows) + 4, FIRST_ROW + 9)}"
    return len(rows)


def _event_cells(worker_id: str, event: dict[str, Any], rubric: Rubric) -> dict[str, Any]:
    """An event as the sheet's columns see it (raw values; ``to_excel`` shows them)."""
    values = {key: event.get(key) for key in ("kind", "date", "amount_yuan", "summary", "evidence")}
    values["worker"] = worker_id
    values["scale"] = event.get(_scale_key(rubric, event.get("kind"), event))
    return values


def _choices_title(ws: Worksheet) -> None:
    _set(ws["A1"], "下拉选项与代码对照（由 gridscore export 生成，请勿修改）")
    ws["A1"].font = TITLE_FONT
    ws.row_dimensions[1].height = 26
    ws.row_dimensions[2].height = 30


def _choices_table(ws: Worksheet, first_column: int, headers: list[tuple[str, float]], rows: list[list[Any]]) -> str:
    """One table of the 选项 sheet (headers in row 2); returns the range of its first column, for a drop-down."""
    for offset, (label, width) in enumerate(headers):
        cell = ws.cell(2, first_column + offset)
        _set(cell, label)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, WRAP_CENTER, BORDER
        ws.column_dimensions[get_column_letter(first_column + offset)].width = width
    for number, values in enumerate(rows):
        for offset, value in enumerate(values):
            cell = ws.cell(3 + number, first_column + offset)
            _set(cell, value)
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
    _protect(ws)
    _print_setup(ws, None)
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
    _set(ws["A1"], f"{org.unit.name} {month.label}考评结果（只读，不会导入）")
    ws["A1"].font = TITLE_FONT
    ws.merge_cells(f"A2:{last}2")
    _set(ws["A2"], f"{status}。考评标准：{rubric.title}。")
    ws["A2"].font = HINT_FONT
    ws["A2"].alignment = WRAP_LEFT
    ws.row_dimensions[1].height = 26
    ws.row_dimensions[2].height = 30
    ws.row_dimensions[3].height = 32
    for index, (label, width) in enumerate(headers, 1):
        cell = ws.cell(3, index)
        _set(cell, label)
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
            _set(cell, value)
            cell.font, cell.border = BODY_FONT, BORDER
            if isinstance(value, float):
                cell.number_format = "0.00"
            cell.alignment = Alignment(horizontal="right" if isinstance(value, (int, float)) else "center")
    ws.freeze_panes = "A4"
    _protect(ws)
    _print_setup(ws, "3:3")


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
        _set(a, label or None)
        _set(b, text or None)
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
        lines = sum(max(1, -(-_display_width(part) // 92)) for part in text.split("\n")) if text else 1
        ws.row_dimensions[number].height = max(18, 16 * lines + 2)
    _protect(ws)
    _print_setup(ws, None)
    ws.page_setup.orientation = "portrait"


def _display_width(text: str) -> int:
    """Columns a text takes in a cell: CJK characters count twice."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


# --- values between YAML and cells ---------------------------------------------------------


def _lookup(data: Any, loc: Loc) -> Any:
    for step in loc:
        if isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def _present(data: Any, loc: Loc) -> bool:
    for step in loc:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return False
    return True


def _scale_key(rubric: Rubric, kind_value: Any, event: dict[str, Any] | None = None, value: Any = None) -> str:
    """Which event field the 档次 column stands for: the kind's scale, else the one the value or event uses."""
    kind = _kind_of(rubric, kind_value)
    if kind is not None and kind.by:
        return kind.by
    if event is not None:
        for scale in rubric.scales:
            if scale in event:
                return scale
    for scale in rubric.scales:
        if value is not None and rubric.scale_value(scale, value) is not None:
            return scale
    return next(iter(rubric.scales), "severity")


def _kind_of(rubric: Rubric, value: Any) -> EventKind | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    return next((k for k in rubric.events if text in (k.id, k.name)), None)


def to_excel(column: Column, value: Any, rubric: Rubric, kind_value: Any = None) -> Any:
    """A record's raw value as its cell shows it (Chinese labels for levels, kinds and scales)."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return "（格式有误）"
    if column.kind == "level" and isinstance(value, str):
        level = rubric.level_value(value.strip(), True)
        return rubric.level_by_id[level].label if level else value
    if column.kind == "kind":
        kind = _kind_of(rubric, value)
        return kind.name if kind else value
    if column.kind == "scale":
        scale = _scale_key(rubric, kind_value, value=value)
        found = rubric.scale_value(scale, value)
        labels = {v.id: v.label for v in rubric.scales.get(scale, [])}
        return labels[found] if found else value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, str):
        return _cell_text(value)
    return value


_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_NUMBER_TEXT = re.compile(r"[-+]?[0-9]{1,30}(\.[0-9]{1,30})?")  # longer is no count or score: left as text


def from_excel(column: Column, value: Any, rubric: Rubric, kind_value: Any = None) -> Any:
    """A cell's value as the record stores it; ``None`` for an empty cell. Wrong values pass through for validation."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip()
    if column.kind == "date":
        return _date_value(value)
    if column.kind in ("count", "score"):
        return _number_value(value)
    if column.kind == "amount":
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").removesuffix("元").strip()
        return _number_value(value)
    if isinstance(value, datetime):
        value = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if column.kind == "level":
        text = str(value)
        allow_none = column.item.allow_none if column.item else True
        return rubric.level_value(text, allow_none) or text
    if column.kind == "kind":
        kind = _kind_of(rubric, str(value))
        return kind.id if kind else str(value)
    if column.kind == "scale":
        scale = _scale_key(rubric, kind_value, value=str(value))
        return rubric.scale_value(scale, str(value)) or str(value)
    if isinstance(value, bool):
        return value
    return str(value)


def _date_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.fullmatch(value)
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return value
        return value
    return str(value)


def _number_value(value: Any) -> Any:
    """A number typed in a cell (or as text) as YAML would read it: int when whole, else Decimal.

    Text is read after NFKC, so what a Chinese input method types in full-width mode (“８８．５”, “－３”)
    is the number it shows; any other text (“八十八”, “88,5”, digits of other scripts) is left as it is, for
    validation to refuse.
    """
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(text := unicodedata.normalize("NFKC", value).strip()):
        number = Decimal(text)
    elif isinstance(value, datetime):
        return value.date().isoformat()
    else:
        return value if isinstance(value, str) else str(value)
    return int(number) if number == number.to_integral_value() else number


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, (int, Decimal)) and isinstance(new, (int, Decimal)):
        return Decimal(old) == Decimal(new)
    if isinstance(old, datetime) or isinstance(new, datetime):
        return type(old) is type(new) and old == new
    return type(old) is type(new) and old == new


def _unchanged(column: Column, old: Any, cell: Any, rubric: Rubric, kind_value: Any = None) -> bool:
    """A cell still shows what export wrote for ``old`` (or means the same)."""
    new = from_excel(column, cell, rubric, kind_value)
    shown = from_excel(column, to_excel(column, old, rubric, kind_value), rubric, kind_value)
    return _same(shown, new) or _same(from_excel(column, old, rubric, kind_value), new)


# --- import: reading the workbook ---------------------------------------------------------------


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int
    column: int
    message: str

    @property
    def cell(self) -> str:
        return f"{self.sheet}!{get_column_letter(self.column)}{self.row}"


@dataclass
class _Row:
    number: int
    values: dict[str, Any]  # key → cell value
    columns: dict[str, int]  # key → column number

    def cell(self, sheet: str, key: str) -> str:
        return f"{sheet}!{get_column_letter(self.columns.get(key, 1))}{self.number}"


@dataclass
class _Sheet:
    name: str
    key_row: int
    columns: dict[str, int]
    rows: list[_Row]


class ImportRefused(GridscoreError):
    """The workbook has problems: every one, located by cell (or file and line), and nothing written."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = [one_line(line) for line in lines]  # a sheet name or a value may hold a line break
        super().__init__("\n".join(self.lines))


# What openpyxl may raise on content it cannot make sense of (after xlsx_guard: bounded, well-formed XML)
_READ_ERRORS = (
    InvalidFileException,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    OverflowError,
    SyntaxError,  # xml.etree's ParseError
    RecursionError,
    NotImplementedError,
)
OURS = "请使用 gridscore export 生成、用 Excel 或 WPS 填好后保存为 .xlsx 的文件"


@dataclass(frozen=True)
class _Workbook:
    """What import reads from a workbook: its period and the sheets it fills, by name.

    A month's workbook fills 考评记录 and 事件; a year's (its 说明 names a 考评年度) fills 年度评议.
    """

    period: Month | Year
    sheets: dict[str, _Sheet]
    problems: list[CellProblem]


def _refused(label: str, message: str, cell: str | None = None) -> ImportRefused:
    return ImportRefused([f"{label} {cell}: {message}" if cell else f"{label}: {message}"])


def _read_workbook(path: Path, label: str) -> _Workbook:
    """Read ``path`` once, check it within every limit, then let openpyxl read it in read-only mode."""
    if path.suffix.lower() in (".xls", ".et", ".ods", ".csv"):
        raise _refused(label, "不是 .xlsx 文件：" + RESAVE)
    try:
        data = read_regular(path, MAX_WORKBOOK_BYTES)
        check_workbook(data)
    except FileRefused as refused:
        hint = "请检查文件名和所在的文件夹" if isinstance(refused, FileMissing) else OURS
        raise _refused(label, f"{refused.reason}：{hint}") from None
    except WorkbookRefused as refused:
        raise _refused(label, refused.message, refused.cell) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; nothing here needs them
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except _READ_ERRORS as error:
            raise _refused(label, f"无法读取（{type(error).__name__}）：{OURS}") from None
        try:
            problems: list[CellProblem] = []
            period = _workbook_period(wb, label)
            names = (SHEET_REVIEWS,) if isinstance(period, Year) else (SHEET_RECORDS, SHEET_EVENTS)
            return _Workbook(period, {name: _read_sheet(wb, name, label, problems) for name in names}, problems)
        finally:
            wb.close()


def _rows(wb: Any, name: str, label: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """A sheet's rows by number, each as long as its last cell (rows are at most ``MAX_COLUMNS`` wide)."""
    if name not in wb.sheetnames:
        raise _refused(label, f"工作簿中没有“{name}”工作表：{OURS}，不要删除或改名工作表")
    ws = wb[name]
    if not hasattr(ws, "reset_dimensions"):
        raise _refused(label, f"“{name}”不是普通的工作表（可能是图表）：{OURS}")
    ws.reset_dimensions()  # the sheet's own <dimension> may lie: read the rows that are there
    rows = enumerate(ws.iter_rows(values_only=True), 1)
    number = 0
    while True:
        try:
            number, values = next(rows)
        except StopIteration:
            return
        except _READ_ERRORS as error:
            where = f"第 {number} 行之后" if number else ""
            raise _refused(label, f"“{name}”表{where}的内容无法读取（{type(error).__name__}）：" + RESAVE) from None
        yield number, values


def _value(values: tuple[Any, ...], column: int) -> Any:
    return values[column - 1] if column <= len(values) else None


def _read_sheet(wb: Any, name: str, label: str, problems: list[CellProblem]) -> _Sheet:
    key_row = None
    columns: dict[str, int] = {}
    rows: list[_Row] = []
    for number, values in _rows(wb, name, label):
        if key_row is None:
            if number > 12:
                break
            if "worker" not in values[:60]:
                continue
            key_row = number
            columns = _key_columns(name, number, values, problems)
            continue
        cells = {key: _value(values, column) for key, column in columns.items()}
        if any(not _blank(v) for k, v in cells.items() if k not in IGNORED_KEYS):
            rows.append(_Row(number, cells, columns))
    if key_row is None:
        raise _refused(
            label,
            f"“{name}”表中找不到英文字段名行（导出时在第 {HEADER_ROWS} 行，第一格是 worker）：请不要删除或修改表头",
        )
    return _Sheet(name, key_row, columns, rows)


def _key_columns(name: str, row: int, values: tuple[Any, ...], problems: list[CellProblem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for column, key in enumerate(values, 1):
        if key is None or (isinstance(key, str) and not key.strip()):
            continue
        key = str(key).strip()
        if key in columns:
            message = f"字段名“{key}”重复（与 {get_column_letter(columns[key])} 列相同）"
            problems.append(CellProblem(name, row, column, message))
            continue
        columns[key] = column
    return columns


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _workbook_period(wb: Any, label: str) -> Month | Year:
    """The month the workbook was exported for, or the year of an annual review workbook."""
    if SHEET_GUIDE in wb.sheetnames:
        for number, values in _rows(wb, SHEET_GUIDE, label):
            if number > 40:
                break
            if _value(values, 1) == YEAR_LABEL:
                text = str(_value(values, 2)).strip()
                if re.fullmatch(r"[0-9]{4}", text):
                    return Year(int(text))
                break
            if _value(values, 1) == PERIOD_LABEL:
                value = _value(values, 2)
                if isinstance(value, datetime):
                    return Month(value.year, value.month)
                try:
                    return coerce_month(str(value).strip())
                except ValueError:
                    break
    raise _refused(label, f"在“{SHEET_GUIDE}”表中找不到考评月份（或考评年度）：{OURS}，不要修改“说明”表")


# --- import: building the records -------------------------------------------------------------


@dataclass
class _Planned:
    """One record file the import would write, and where each of its values came from."""

    worker: str
    path: Path
    shown: str
    text: str
    original: str | None
    # where each value came from: ("metrics", "publicity", "tasks_completed") → "考评记录!H7"
    cells: dict[Loc, str]
    row_cell: str
    doc: Document | None = None
    lines: dict[Loc, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportSummary:
    period: Month | Year
    created: list[Path]
    updated: list[Path]
    unchanged: int
    kept: list[str]  # workers whose row was blank although a file exists
    unrelated: int  # problems elsewhere in the repository, not caused by this import

    @property
    def noun(self) -> str:
        """What the files written are called: 考评记录 (a month), 年度评议 (a year)."""
        return "年度评议" if isinstance(self.period, Year) else "考评记录"


def import_workbook(root: Path, source: Path, label: str | None = None) -> ImportSummary:
    """Read ``source``, validate everything as ``check`` does, then write every changed record (or nothing)."""
    label = label or source.name
    workbook = _read_workbook(source, label)
    if isinstance(workbook.period, Year):
        from .excel_annual import import_reviews  # the annual sheet is built on this module

        return import_reviews(root, workbook, label)
    month, sheet_problems = workbook.period, workbook.problems
    records, events = workbook.sheets[SHEET_RECORDS], workbook.sheets[SHEET_EVENTS]
    base = load_repository(root)
    org, rubric = _setup(base, month)
    active = {w.id: w for w in org.workers if w.active_in(month)}
    record_cols = {c.key: c for c in record_columns(rubric, month)}
    event_cols = {c.key: c for c in event_columns(rubric, month)}
    _check_keys(records, record_cols, rubric, sheet_problems)
    _check_keys(events, event_cols, rubric, sheet_problems)

    rows: dict[str, _Row] = {}
    for row in records.rows:
        worker_id = row.values.get("worker")
        if worker_id not in active:
            message = f"编号“{worker_id}”不是{month.label}在岗的网格员，这一行不能导入（请不要修改灰色的编号列）"
            sheet_problems.append(CellProblem(SHEET_RECORDS, row.number, records.columns["worker"], message))
        elif worker_id in rows:
            message = f"网格员 {worker_id} 有两行（另见第 {rows[worker_id].number} 行），请只保留一行"
            sheet_problems.append(CellProblem(SHEET_RECORDS, row.number, records.columns["worker"], message))
        else:
            rows[worker_id] = row
    event_rows: dict[str, list[_Row]] = {}
    worker_column = events.columns.get("worker", 1)
    for row in events.rows:
        worker_id = row.values.get("worker")
        if _blank(worker_id):
            sheet_problems.append(CellProblem(SHEET_EVENTS, row.number, worker_column, "请填写网格员编号"))
        elif str(worker_id).strip() not in active:
            message = f"编号“{worker_id}”不是{month.label}在岗的网格员（须为考评记录表中的编号）"
            sheet_problems.append(CellProblem(SHEET_EVENTS, row.number, worker_column, message))
        else:
            event_rows.setdefault(str(worker_id).strip(), []).append(row)

    existing = _read_existing(root, _month_folder(root, month), list(active.values()))
    planned: list[_Planned] = []
    kept: list[str] = []
    for worker_id in sorted(set(rows) | set(event_rows)):
        record = existing.get(worker_id)
        found = event_rows.get(worker_id, [])
        plan = _plan(
            root, month, rubric, active[worker_id], rows.get(worker_id), found, record, record_cols, event_cols
        )
        if plan is None:
            if record is not None and _has_values(record.data, record_cols.values()):
                kept.append(worker_id)
        elif plan.text != plan.original:
            planned.append(plan)

    headers = {
        SHEET_RECORDS: _headers(record_cols.values(), rubric),
        SHEET_EVENTS: _headers(event_cols.values(), rubric),
    }
    created, updated, unrelated = _write_all(root, label, base, planned, sheet_problems, headers)
    return ImportSummary(month, created, updated, len(existing) - len(updated), sorted(kept), unrelated)


def _write_all(
    root: Path,
    label: str,
    base: Repository,
    planned: list[_Planned],
    sheet_problems: list[CellProblem],
    headers: dict[str, dict[str, str]],
) -> tuple[list[Path], list[Path], int]:
    """Validate ``planned`` in ``base``, then write it all, or raise ``ImportRefused`` and write nothing.

    Returns the files created, those updated, and how many problems elsewhere the import did not cause.
    """
    after, unrelated = _validate_planned(base, planned)
    lines = _locate(label, sheet_problems, planned, after, headers)
    lines += [f"{plan.shown}: 不能写入：{reason}" for plan in planned if (reason := unsafe_target(root, plan.path))]
    if lines:
        raise ImportRefused(lines)
    created: list[Path] = []
    updated: list[Path] = []
    for plan in planned:
        (updated if plan.original is not None else created).append(plan.path)
        write_replacing(plan.path, plan.text.encode("utf-8"))
    return created, updated, unrelated


def _check_keys(sheet: _Sheet, known: dict[str, Column], rubric: Rubric, problems: list[CellProblem]) -> None:
    for key, column in sheet.columns.items():
        if key not in known:
            message = (
                f"这一列的字段名“{key}”不在考评标准 {rubric.version} 版中：考评标准可能在导出后修改过，请重新导出后再填写"
                if key.startswith("metrics.")
                else f"未知的字段名“{key}”：请不要修改第 {HEADER_ROWS} 行的英文字段名"
            )
            problems.append(CellProblem(sheet.name, sheet.key_row, column, message))


def _has_values(data: dict[str, Any], columns: Iterable[Column]) -> bool:
    return any(_lookup(data, c.loc) is not None for c in columns if not c.locked) or bool(data.get("events"))


def _plan(
    root: Path,
    month: Month,
    rubric: Rubric,
    worker: Worker,
    row: _Row | None,
    event_rows: list[_Row],
    existing: _Existing | None,
    record_cols: dict[str, Column],
    event_cols: dict[str, Column],
) -> _Planned | None:
    """The text a worker's record would have after the import, or None when the sheet says nothing about it.

    A blank row without events means “no record yet”: nothing is written, and an
    existing record is left alone (clearing a row never deletes a file).
    """
    blank = row is None or all(_blank(row.values.get(k)) for k, c in record_cols.items() if not c.locked)
    if blank and not event_rows:
        return None
    if existing is None:
        data = CommentedMap([("worker", worker.id), ("period", str(month))])
        path = _month_folder(root, month) / worker.community / f"{worker.id}.yaml"
        plain: dict[str, Any] = {}
    else:
        data = _round_trip_load(existing.text)
        path = existing.path
        plain = existing.data
    row_cell = row.cell(SHEET_RECORDS, "worker") if row else event_rows[0].cell(SHEET_EVENTS, "worker")
    cells: dict[Loc, str] = {("worker",): row_cell}
    for key, column in record_cols.items():
        if column.locked or row is None or key not in row.columns:
            continue
        cells[column.loc] = row.cell(SHEET_RECORDS, key)
        if blank and existing is not None:
            continue  # a blank row leaves an existing record's values alone
        cell = row.values.get(key)
        if existing is not None and _unchanged(column, _lookup(plain, column.loc), cell, rubric):
            continue
        _assign(data, column.loc, from_excel(column, cell, rubric), rubric)
    _apply_events(data, plain, event_rows, event_cols, rubric, cells)
    text = _dump_record(data, existing.text if existing else None)
    return _Planned(
        worker.id, path, display_path(path, root), text, existing.text if existing else None, cells, row_cell
    )


def _assign(data: CommentedMap, loc: Loc, value: Any, rubric: Rubric) -> None:
    """Set one record value, creating the maps on its way in the rubric's order."""
    value = _yaml_text(value)
    if loc[0] == "metrics":
        metrics = data.get("metrics")
        if not isinstance(metrics, CommentedMap):
            metrics = CommentedMap()
            _put(data, "metrics", metrics, RECORD_ORDER)
        item_order = tuple(item.id for item in rubric.items)
        if len(loc) == 2:
            _put(metrics, str(loc[1]), value, item_order)
            return
        item = rubric.item_by_id[str(loc[1])]
        counts = metrics.get(loc[1])
        if not isinstance(counts, CommentedMap):
            counts = CommentedMap()
            counts.fa.set_flow_style()
            _put(metrics, item.id, counts, item_order)
        _put(counts, str(loc[2]), value, tuple(item.fields))
        return
    key = str(loc[0])
    if value is None and key == "notes":
        if key in data:
            del data[key]
        return
    _put(data, key, value, RECORD_ORDER)


def _put(mapping: CommentedMap, key: str, value: Any, order: Iterable[str]) -> None:
    """Set ``key``; a new key goes after the keys that precede it in ``order``."""
    if key in mapping:
        mapping[key] = value
        return
    order = tuple(order)
    rank = order.index(key) if key in order else len(order)
    position = 0
    for index, existing in enumerate(mapping):
        if existing in order and order.index(existing) < rank:
            position = index + 1
    mapping.insert(position, key, value)


# Characters a YAML 1.1 reader (the loader) takes for line breaks, or that a block cannot hold as they are
_ESCAPED_IN_YAML = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_PLAIN_TEXT = "tag:yaml.org,2002:str"


def _yaml_text(value: Any) -> Any:
    """Text as YAML that reads back as exactly that text; multi-line text as a literal block, as written by hand."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
        if _ESCAPED_IN_YAML.search(value):
            return DoubleQuotedScalarString(value)  # written as escapes (\x85, \L): nothing re-read as a line break
        if "\n" in value:
            return LiteralScalarString(value)
        if yaml.SafeLoader.resolve(yaml.SafeLoader, yaml.ScalarNode, value, (True, False)) != _PLAIN_TEXT:
            # ruamel writes YAML 1.2, the loader reads 1.1: “1_000.5” or “2026-10-01 08:00” must stay text
            return SingleQuotedScalarString(value)
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


EVENT_FIELDS = ("kind", "date", "scale", "amount_yuan", "summary", "evidence")
OPTIONAL_EVENT_FIELDS = ("scale", "amount_yuan", "evidence")


def _apply_events(
    data: CommentedMap,
    plain: dict[str, Any],
    rows: list[_Row],
    columns: dict[str, Column],
    rubric: Rubric,
    cells: dict[Loc, str],
) -> None:
    """Match the sheet's rows to the record's events: same content stays, changed ones are edited, the rest added or removed."""
    old_plain = plain.get("events") if isinstance(plain.get("events"), list) else []
    old_events: list[Any] = list(old_plain or [])
    current = data.get("events")
    sequence = current if isinstance(current, CommentedSeq) else None
    if not rows and not old_events:
        return

    def wanted(row: _Row) -> dict[str, Any]:
        kind = from_excel(columns["kind"], row.values.get("kind"), rubric)
        return {
            key: from_excel(columns[key], row.values.get(key), rubric, kind)
            for key in EVENT_FIELDS
            if key in row.columns
        }

    def shown(event: Any) -> dict[str, Any] | None:
        if not isinstance(event, dict):
            return None
        raw = _event_cells("", event, rubric)
        kind = event.get("kind")
        return {
            key: from_excel(columns[key], to_excel(columns[key], raw.get(key), rubric, kind), rubric, kind)
            for key in EVENT_FIELDS
        }

    targets = [wanted(row) for row in rows]
    olds = [shown(event) for event in old_events]
    pairs: dict[int, int] = {}  # row index → old event index
    for r, target in enumerate(targets):
        for o, old in enumerate(olds):
            if o not in pairs.values() and old is not None and all(_same(old.get(k), v) for k, v in target.items()):
                pairs[r] = o
                break
    spare = [o for o, old in enumerate(olds) if o not in pairs.values() and old is not None]
    for r in range(len(targets)):
        if r not in pairs and spare:
            pairs[r] = spare.pop(0)
    removed = set(spare)
    if sequence is None:
        sequence = CommentedSeq()
        _put(data, "events", sequence, RECORD_ORDER)
    sequence.fa.set_block_style()
    for o in sorted(removed, reverse=True):
        del sequence[o]
    final_index = {o: o - sum(1 for gone in removed if gone < o) for o in range(len(old_events)) if o not in removed}
    next_index = len(old_events) - len(removed)
    for r, (row, target) in enumerate(zip(rows, targets, strict=True)):
        if r in pairs:
            index = final_index[pairs[r]]
            event = sequence[index]
            old = olds[pairs[r]] or {}
            for key, value in target.items():
                if not _same(old.get(key), value):
                    _set_event_field(event, key, value, target.get("kind"), rubric)
        else:
            index = next_index
            next_index += 1
            event = CommentedMap()
            for key in EVENT_FIELDS:
                value = target.get(key)
                if value is not None or key not in OPTIONAL_EVENT_FIELDS:
                    _set_event_field(event, key, value, target.get("kind"), rubric)
            sequence.append(event)
        for key in EVENT_FIELDS:
            if key in row.columns:
                name = _scale_key(rubric, target.get("kind"), event, target.get("scale")) if key == "scale" else key
                cells[("events", index, name)] = row.cell(SHEET_EVENTS, key)
    if not sequence and old_events:
        del data["events"]  # the last event removed: no “events:” line, as in records written by hand


def _event_order(rubric: Rubric) -> tuple[str, ...]:
    return ("kind", "date", "amount_yuan", *rubric.scales, "summary", "evidence")


def _set_event_field(event: CommentedMap, key: str, value: Any, kind_value: Any, rubric: Rubric) -> None:
    order = _event_order(rubric)
    if key == "scale":
        target = _scale_key(rubric, kind_value, None, value)
        for scale in rubric.scales:
            if scale in event and (scale != target or value is None):
                del event[scale]
        if value is not None:
            _put(event, target, value, order)
        return
    if value is None and key in OPTIONAL_EVENT_FIELDS:
        if key in event:
            del event[key]
        return
    _put(event, key, _yaml_text(value), order)


# --- import: YAML text ------------------------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _round_trip_load(text: str) -> CommentedMap:
    loaded = _yaml().load(text)
    if not isinstance(loaded, CommentedMap):
        raise GridscoreError("记录文件的内容应为“字段: 值”形式")
    return loaded


def _dump_record(data: CommentedMap, original: str | None) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    text = stream.getvalue()
    if original is None:
        return _align_flow_maps(text)
    return _keep_layout(original, text)


_FLOW_LINE = re.compile(r"^(  )([A-Za-z0-9_.-]+:)\s+(\{.*)$")


def _align_flow_maps(text: str) -> str:
    """``publicity:        {…}``: the count maps of a new record line up, as in records written by hand."""
    lines = text.split("\n")
    keys = [m.group(2) for m in map(_FLOW_LINE.match, lines) if m]
    if not keys:
        return text
    width = max(len(key) for key in keys) + 1
    for index, line in enumerate(lines):
        match = _FLOW_LINE.match(line)
        if match:
            lines[index] = f"{match.group(1)}{match.group(2):<{width}}{match.group(3)}"
    return "\n".join(lines)


def _squeeze(line: str) -> str:
    return " ".join(line.split())


_KEY_GAP = re.compile(r"^(\s*[A-Za-z0-9_.-]+:)(\s+)(\{.*)$")


def _keep_layout(original: str, edited: str) -> str:
    """Put the original text back on every line whose content did not change (ruamel re-spaces some lines)."""
    old_lines = original.splitlines(keepends=True)
    new_lines = edited.splitlines(keepends=True)
    matcher = SequenceMatcher(None, [_squeeze(x) for x in old_lines], [_squeeze(x) for x in new_lines], autojunk=False)
    merged: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            merged.extend(old_lines[i1:i2])
            continue
        gaps = {m.group(1).strip(): m.group(2) for m in map(_KEY_GAP.match, old_lines[i1:i2]) if m}
        for line in new_lines[j1:j2]:
            match = _KEY_GAP.match(line)
            if match and match.group(1).strip() in gaps:
                line = f"{match.group(1)}{gaps[match.group(1).strip()]}{match.group(3)}"
            merged.append(line if line.endswith("\n") else line + "\n")
    result = "".join(merged)
    if not edited.endswith("\n"):
        result = result.rstrip("\n")
    try:
        same = parse_document(result.encode("utf-8"), "").data == parse_document(edited.encode("utf-8"), "").data
    except YamlProblem:
        same = False
    return result if same else edited


# --- import: validation and problems at their cells ------------------------------------------------


def _all_problems(repo: Repository) -> tuple[list[Problem], Dataset | None]:
    """What ``gridscore check`` would report for ``repo`` (the same chain: ``pipeline.check_loaded``)."""
    checked = pipeline.check_loaded(repo)
    return checked.problems, checked.dataset


def _validate_planned(base: Repository, planned: list[_Planned]) -> tuple[list[Problem], int]:
    """Problems the import would cause (in the files it writes, or new elsewhere), and how many others exist."""
    before, _ = _all_problems(base)
    paths = {plan.shown for plan in planned}
    after_repo = replace(
        base,
        records=[r for r in base.records if r.doc.path not in paths],
        annual=[a for a in base.annual if a.doc.path not in paths],
        problems=[p for p in base.problems if p.path not in paths],
    )
    for plan in planned:
        plan.doc = _load_record(after_repo, plan)
    after, _ = _all_problems(after_repo)
    known = set(before)
    caused = [p for p in after if p.path in paths or p not in known]
    unrelated = sum(1 for p in after if p.path not in paths and p in known)
    return caused, unrelated


def _load_record(repo: Repository, plan: _Planned) -> Document | None:
    """Read a planned record (or review) exactly as ``load`` reads its file."""
    doc = load_data_file(repo, plan.path, plan.text.encode("utf-8"))
    if doc is not None:
        plan.lines = {loc: doc.line_of(loc) for loc in plan.cells}
    return doc


def _locate(
    label: str,
    sheet_problems: list[CellProblem],
    planned: list[_Planned],
    problems: list[Problem],
    headers: dict[str, dict[str, str]],
) -> list[str]:
    """Every problem as one line: at its cell when it is about a value from the workbook, else at its file and line."""
    by_path = {plan.shown: plan for plan in planned}
    located: list[tuple[tuple[int, int, int, str], str]] = []
    order = {SHEET_RECORDS: 0, SHEET_EVENTS: 1}

    def at_cell(cell: str, message: str) -> None:
        sheet, _, ref = cell.partition("!")
        letters = "".join(ch for ch in ref if ch.isalpha())
        number = int("".join(ch for ch in ref if ch.isdigit()) or 0)
        column = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters)))
        message = _in_sheet_terms(message, headers.get(sheet, {}))
        located.append(((order.get(sheet, 2), number, column, message), f"{label} {cell}: {message}"))

    for found in sheet_problems:
        at_cell(found.cell, found.message)
    others: list[str] = []
    for problem in sorted(set(problems), key=lambda p: (p.path, p.line, p.message)):
        plan = by_path.get(problem.path)
        if plan is None:
            others.append(str(problem))
            continue
        at_cell(_cell_for(problem, plan), problem.message)
    return [line for _, line in sorted(located)] + others


def _cell_for(problem: Problem, plan: _Planned) -> str:
    """The cell a problem in a planned record is about: the value on its line, told apart by the field it names."""
    candidates = [loc for loc, line in plan.lines.items() if line == problem.line]
    if not candidates:
        return plan.row_cell
    named = []
    for loc in candidates:
        match = re.search(rf"(?<![A-Za-z0-9_]){re.escape(str(loc[-1]))}(?![A-Za-z0-9_])", problem.message)
        if match:
            named.append((match.start(), -len(loc), loc))
    if named:
        return plan.cells[min(named)[2]]
    data = plan.doc.data if plan.doc is not None else {}
    present = [loc for loc in candidates if _present(data, loc)]
    return plan.cells[(present or candidates)[0]]


# --- import: messages in the words of the sheet -----------------------------------------------


def _headers(columns: Iterable[Column], rubric: Rubric) -> dict[str, str]:
    """Field id → the Chinese header a sheet shows for it (an item's level column: the item's name)."""
    headers: dict[str, str] = {}
    for column in columns:
        if column.item is not None:
            headers.setdefault(column.item.id, column.item.name)
        if column.kind == "level" and column.item is not None:
            continue
        headers.setdefault(str(column.loc[-1]), column.label)
        if column.kind == "scale":
            headers.update({scale: column.label for scale in rubric.scales})
    return headers


_QUOTED = re.compile(r"“[^“”]*”")
_PARENTHESIZED = re.compile(r"（([A-Za-z][A-Za-z0-9_]*)(?::\s*([^（）]*))?）")
_WORD = re.compile(r"(?<![A-Za-z0-9_.-])[A-Za-z][A-Za-z0-9_]*(?![A-Za-z0-9_.-])")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _in_sheet_terms(message: str, headers: dict[str, str]) -> str:
    """A message about a cell with each field id as its Chinese column header (the sheet never shows the ids).

    A quoted value (“五”) is left as typed; an id the message already explains
    (“完成的宣传任务数（tasks_completed: 9）”) is dropped, any other becomes its header.
    """
    pieces: list[str] = []
    last = 0
    for match in _QUOTED.finditer(message):
        pieces.append(_plain_terms(message[last : match.start()], headers, message))
        inner = match.group()[1:-1]
        pieces.append(f"“{headers[inner]}”" if inner in headers else match.group())
        last = match.end()
    pieces.append(_plain_terms(message[last:], headers, message))
    return "".join(pieces)


def _base(header: str) -> str:
    return header.split("（")[0] or header


def _plain_terms(text: str, headers: dict[str, str], message: str) -> str:
    def parenthesized(match: re.Match[str]) -> str:
        field_id, value = match.group(1), match.group(2)
        if field_id not in headers:
            return match.group()
        if _base(headers[field_id]) in message:
            return f"（{value}）" if value else ""
        return f"（“{headers[field_id]}”{'：' + value if value else ''}）"

    text = _PARENTHESIZED.sub(parenthesized, text)
    pieces: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        field_id = match.group()
        if field_id not in headers:
            continue
        before = text[last : match.start()]
        last = match.end()
        if before.rstrip().endswith(_base(headers[field_id])):
            pieces.append(before.rstrip())  # “须填写金额 amount_yuan（元）”: the header is already there
            continue
        # an id stands apart from Chinese by spaces (“请写入 evidence”); a quoted header does not need them
        if before.endswith(" ") and _CJK.match(before[-2:-1] or " "):
            before = before[:-1]
        pieces.append(f"{before}“{headers[field_id]}”")
        if text[last : last + 1] == " " and _CJK.match(text[last + 1 : last + 2] or " "):
            last += 1
    pieces.append(text[last:])
    return "".join(pieces)
