"""Reading an uploaded workbook: guarded, read-only, mapped by the row of field keys."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from ..periods import Month, Year, coerce_month
from ..xlsx_guard import (
    MAX_WORKBOOK_BYTES,
    FileMissing,
    FileRefused,
    WorkbookRefused,
    check_workbook,
    read_regular,
)
from .layout import HEADER_ROWS
from .problems import CellProblem, ImportRefused
from .text import (
    AFTER_ROW,
    CHECK_PATH,
    DUPLICATE_KEY,
    FILE_REFUSED,
    NO_KEY_ROW,
    NO_PERIOD,
    NO_SHEET,
    NOT_A_WORKSHEET,
    NOT_XLSX,
    OURS,
    PERIOD_LABEL,
    ROWS_UNREADABLE,
    SHEET_EVENTS,
    SHEET_GUIDE,
    SHEET_RECORDS,
    SHEET_REVIEWS,
    UNREADABLE,
    YEAR_LABEL,
)

IGNORED_KEYS = ("name", "community", "grid")  # shown for reading only, never imported


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
        raise _refused(label, NOT_XLSX)
    try:
        data = read_regular(path, MAX_WORKBOOK_BYTES)
        check_workbook(data)
    except FileRefused as refused:
        hint = CHECK_PATH if isinstance(refused, FileMissing) else OURS
        raise _refused(label, FILE_REFUSED.format(reason=refused.reason, hint=hint)) from None
    except WorkbookRefused as refused:
        raise _refused(label, refused.message, refused.cell) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops; nothing here needs them
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        except _READ_ERRORS as error:
            raise _refused(label, UNREADABLE.format(error=type(error).__name__)) from None
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
        raise _refused(label, NO_SHEET.format(name=name))
    ws = wb[name]
    if not hasattr(ws, "reset_dimensions"):
        raise _refused(label, NOT_A_WORKSHEET.format(name=name))
    ws.reset_dimensions()  # the sheet's own <dimension> may lie: read the rows that are there
    rows = enumerate(ws.iter_rows(values_only=True), 1)
    number = 0
    while True:
        try:
            number, values = next(rows)
        except StopIteration:
            return
        except _READ_ERRORS as error:
            where = AFTER_ROW.format(number=number) if number else ""
            message = ROWS_UNREADABLE.format(name=name, where=where, error=type(error).__name__)
            raise _refused(label, message) from None
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
            NO_KEY_ROW.format(name=name, row=HEADER_ROWS),
        )
    return _Sheet(name, key_row, columns, rows)


def _key_columns(name: str, row: int, values: tuple[Any, ...], problems: list[CellProblem]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for column, key in enumerate(values, 1):
        if key is None or (isinstance(key, str) and not key.strip()):
            continue
        key = str(key).strip()
        if key in columns:
            message = DUPLICATE_KEY.format(key=key, column=get_column_letter(columns[key]))
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
    raise _refused(label, NO_PERIOD)
