"""Cell writing and styling shared by every workbook: fonts, borders, headers, drop-down rules, protection, printing, saving."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]
from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

from ..errors import UsageError
from ..fsguard import write_replacing
from ..periods import Month
from .text import BAD_EPOCH, INPUT_ERROR_TITLE, TARGET_IS_LINK, TARGET_NOT_A_FILE

HEADER_ROWS = 4  # title, group or hint, Chinese label, field key
FIRST_ROW = HEADER_ROWS + 1

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


class HeaderColumn(Protocol):
    """What ``write_header`` reads of a column: any sheet's column type will do (``columns.Column``, or another)."""

    @property
    def key(self) -> str: ...  # the field key, in the hidden key row
    @property
    def label(self) -> str: ...
    @property
    def group(self) -> str: ...  # the row above the label: a group's name, or a hint
    @property
    def width(self) -> float: ...


class BodyColumn(Protocol):
    """What ``style_body`` and the validation helpers read of a column."""

    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def locked(self) -> bool: ...
    @property
    def hint(self) -> str: ...


C = TypeVar("C", bound=BodyColumn)


def check_target(target: Path) -> None:
    """The workbook is written in place of ``target``: never through a link, never over something else."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise UsageError(TARGET_IS_LINK.format(target=target))
    if not stat.S_ISREG(mode):
        raise UsageError(TARGET_NOT_A_FILE.format(target=target))


def fixed_time(month: Month) -> datetime:
    """Workbook dates: SOURCE_DATE_EPOCH when set, else the first day after the month (never “now”)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
        except ValueError:
            raise UsageError(BAD_EPOCH.format(epoch=epoch)) from None
    following = month.next()
    return datetime(following.year, following.month, 1)


def save_workbook(wb: Workbook, target: Path, title: str, when: datetime) -> None:
    """Save with fixed dates and zip timestamps, so the same data gives the same bytes."""
    wb.properties.creator = "gridscore export"
    wb.properties.lastModifiedBy = "gridscore export"
    wb.properties.title = cell_text(title)
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


# What Excel and WPS read as the start of a formula when a cell is typed (or edited and confirmed)
_FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def set_cell(cell: Cell, value: Any) -> None:
    """Put a value in a cell; text stays text, never a formula (“=HYPERLINK(…)” from a record is inert)."""
    if isinstance(value, str):
        value = cell_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes “=…” a formula and “#N/A” an error
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True  # as Excel marks text typed after an apostrophe: editing keeps it text
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"


def cell_text(text: str) -> str:
    """Text as a cell can hold it: a control character shown as \\xNN, at most Excel's 32,767 characters."""
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return text[:32767]


def write_header(ws: Worksheet, columns: Sequence[HeaderColumn], title: str, group_is_hint: bool) -> None:
    last = get_column_letter(len(columns))
    ws.merge_cells(f"A1:{last}1")
    set_cell(ws["A1"], title)
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
        set_cell(label, column.label)
        label.font, label.fill, label.alignment, label.border = HEADER_FONT, HEADER_FILL, WRAP_CENTER, BORDER
        key = ws.cell(4, index)
        set_cell(key, column.key)
        key.font, key.alignment, key.border = KEY_FONT, Alignment(horizontal="center", shrink_to_fit=True), BORDER
        key.fill = LOCKED_FILL
        group = ws.cell(2, index)
        set_cell(group, column.group if (group_is_hint or index == start) else None)
        group.font = HINT_FONT if group_is_hint else HEADER_FONT
        group.fill, group.alignment, group.border = HEADER_FILL, WRAP_CENTER, BORDER
        following = columns[index] if index < len(columns) else None
        if not group_is_hint and (following is None or following.group != column.group):
            if index > start:
                ws.merge_cells(start_row=2, start_column=start, end_row=2, end_column=index)
            start = index + 1


def style_body(cell: Cell, column: BodyColumn) -> None:
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


def protect(ws: Worksheet) -> None:
    """Lock what is locked (grey columns, headers); no password. Column widths stay adjustable."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def print_setup(
    ws: Worksheet, titles: str | None, columns: str | None = None, wide: bool = False, landscape: bool = True
) -> None:
    """Print on A4 (A3 when ``wide``), fitted to the page's width; ``titles`` and ``columns`` repeat on every page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
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


def validation_rule(kind: str, formula: str, error: str, **extra: Any) -> DataValidation:
    validation = DataValidation(
        type=kind,
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=INPUT_ERROR_TITLE,
        error=error,
        **extra,
    )
    return validation


def add_validations(
    ws: Worksheet, columns: Sequence[C], first: int, last: int, rule_for: Callable[[C], DataValidation | None]
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


def with_prompt(rule: DataValidation, column: BodyColumn) -> DataValidation:
    """The column's hint, shown by Excel when one of its cells is selected."""
    if column.hint:
        rule.showInputMessage = True
        rule.promptTitle = cell_text(column.label)[:32]
        rule.prompt = cell_text(column.hint)[:255]
    return rule


def display_width(text: str) -> int:
    """Columns a text takes in a cell: CJK characters count twice."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
