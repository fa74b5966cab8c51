"""The finance sheet (发放表, PRODUCT.md §10): what a sealed period pays, one row per worker.

Finance pays from it: so it is made only from sealed results, its amounts are the
ledger's (the same ``rows.LedgerRow`` projection ``gridscore ledger --json`` prints),
each community has a subtotal and the unit a total (also in words, as a 支付凭证 has
it), the 签字 column is blank, and it prints on A4 landscape with the header on every
page. The same sealed period gives the same bytes: the workbook's dates are the seal's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from ..errors import UsageError
from ..ledger import Ledger
from ..periods import Year
from ..rows import LedgerRow, ledger_rows
from ..validate import Dataset
from .layout import (
    BODY_FONT,
    BORDER,
    FONT,
    HEADER_FILL,
    HEADER_FONT,
    HINT_FONT,
    TITLE_FONT,
    WRAP_CENTER,
    check_target,
    print_setup,
    save_workbook,
    set_cell,
)
from .text import (
    LEDGER_BASIS,
    LEDGER_COLUMNS,
    LEDGER_CORRECTED,
    LEDGER_IN_WORDS,
    LEDGER_NO_REWARDS,
    LEDGER_PAGE,
    LEDGER_SIGNERS,
    LEDGER_SOURCE,
    LEDGER_SUBTOTAL,
    LEDGER_TITLE,
    LEDGER_TOTAL,
    LEDGER_UNSEALED,
    LEDGER_YEAR_NOTE,
    SHEET_LEDGER,
)

AMOUNT_FORMAT = "#,##0.00"
AMOUNT_KEYS = ("monthly", "events", "honors", "total")
HEADER_ROW = 4  # title, basis, note, header
BOLD = Font(name=FONT, size=11, bold=True)
RIGHT = Alignment(horizontal="right", vertical="center")
CENTER = Alignment(horizontal="center", vertical="center")
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class LedgerSheetSummary:
    workers: int
    communities: int
    total: str  # two decimals
    currency: str


def export_ledger(dataset: Dataset, ledger: Ledger, target: Path) -> LedgerSheetSummary:
    """Write ``ledger``'s 发放表 to ``target`` (replacing it whole); a period not sealed is refused."""
    check_target(target)
    period = ledger.period
    if not ledger.sealed:
        raise UsageError(LEDGER_UNSEALED.format(period=period.label, key=period))
    if not ledger.has_rewards:
        raise UsageError(LEDGER_NO_REWARDS.format(period=period.label, rubric=ledger.rubric.title))
    seal = dataset.seals[str(period)].seal
    resealed = [c.sealed_on for c in seal.corrections]
    unit = dataset.organization.unit
    keys = [key for key in LEDGER_COLUMNS if key != "honors" or isinstance(period, Year)]

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET_LEDGER
    last = get_column_letter(len(keys))
    title = LEDGER_TITLE.format(unit=unit.name, period=period.label)
    _banner(ws, 1, last, title, TITLE_FONT, 30, CENTER)
    corrected = LEDGER_CORRECTED.format(on=resealed[-1]) if resealed else ""
    basis = LEDGER_BASIS.format(
        rubric=ledger.rubric.title, sealed_on=seal.sealed_on, corrected=corrected, currency=ledger.currency
    )
    _banner(ws, 2, last, basis, HINT_FONT, 18, LEFT)
    year_note = LEDGER_YEAR_NOTE if isinstance(period, Year) else ""
    _banner(ws, 3, last, year_note, HINT_FONT, 18 if year_note else 6, LEFT)
    for index, key in enumerate(keys, 1):
        label, width = LEDGER_COLUMNS[key]
        ws.column_dimensions[get_column_letter(index)].width = width
        cell = ws.cell(HEADER_ROW, index)
        set_cell(cell, label)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, WRAP_CENTER, BORDER
    ws.row_dimensions[HEADER_ROW].height = 30

    row = HEADER_ROW + 1
    communities = {c.id: c.name for c in dataset.organization.communities}
    rows = ledger_rows(ledger)
    number = 0
    for community, entries, _ in ledger.by_community():
        members = [r for r in rows if r.community == community.id]
        assert len(members) == len(entries)
        for member in members:
            number += 1
            _worker_row(ws, row, keys, number, communities[member.community], member)
            row += 1
        _sum_row(ws, row, keys, LEDGER_SUBTOTAL.format(community=community.name, count=len(members)), members, False)
        row += 1
    _sum_row(ws, row, keys, LEDGER_TOTAL.format(unit=unit.short, count=len(rows)), rows, True)
    total = sum((Decimal(r.total) for r in rows), Decimal(0))
    row += 1
    words = rmb_in_words(total) if ledger.currency == "元" else f"{total:.2f} {ledger.currency}"
    _banner(ws, row, last, LEDGER_IN_WORDS.format(words=words), BOLD, 24, LEFT, border=True)
    row += 2
    _banner(ws, row, last, LEDGER_SIGNERS, BODY_FONT, 30, Alignment(horizontal="left", vertical="bottom"))
    row += 1
    _banner(ws, row, last, LEDGER_SOURCE.format(period=period), HINT_FONT, 30, LEFT)

    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    print_setup(ws, f"{HEADER_ROW}:{HEADER_ROW}")
    ws.print_area = f"A1:{last}{row}"
    ws.oddFooter.center.text = LEDGER_PAGE
    ws.page_margins.bottom, ws.page_margins.footer = 0.75, 0.3  # the page number below the table, not over it
    when = datetime.combine(resealed[-1] if resealed else seal.sealed_on, datetime.min.time())
    save_workbook(wb, target, title, when)
    return LedgerSheetSummary(len(rows), len(ledger.by_community()), f"{total:.2f}", ledger.currency)


def _banner(
    ws: Worksheet, row: int, last: str, text: str, font: Font, height: float, align: Alignment, border: bool = False
) -> None:
    """A line across the sheet (title, basis, total in words, signatures)."""
    ws.merge_cells(f"A{row}:{last}{row}")
    cell = ws.cell(row, 1)
    set_cell(cell, text or None)
    cell.font, cell.alignment = font, align
    if border:
        for column in range(1, ws.max_column + 1):
            ws.cell(row, column).border = BORDER
    ws.row_dimensions[row].height = height


def _worker_row(ws: Worksheet, row: int, keys: list[str], number: int, community: str, member: LedgerRow) -> None:
    values = {
        "index": number,
        "community": community,
        "worker": member.worker,
        "name": member.name,
        "grade": member.grade,
        "signature": None,
        **{key: Decimal(getattr(member, key)) for key in AMOUNT_KEYS},
    }
    for index, key in enumerate(keys, 1):
        cell = ws.cell(row, index)
        set_cell(cell, values[key])
        cell.font, cell.border = BODY_FONT, BORDER
        if key in AMOUNT_KEYS:
            cell.number_format, cell.alignment = AMOUNT_FORMAT, RIGHT
        else:
            cell.alignment = CENTER if key in ("index", "worker", "grade") else LEFT
    ws.row_dimensions[row].height = 26  # room for a signature


def _sum_row(ws: Worksheet, row: int, keys: list[str], label: str, members: list[LedgerRow], bold: bool) -> None:
    first_amount = keys.index("monthly") + 1
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=first_amount - 1)
    for index, key in enumerate(keys, 1):
        cell = ws.cell(row, index)
        cell.border = BORDER
        cell.font = BOLD if bold else HEADER_FONT
        if index == 1:
            set_cell(cell, label)
            cell.alignment = CENTER
        elif key in AMOUNT_KEYS:
            set_cell(cell, sum((Decimal(getattr(m, key)) for m in members), Decimal(0)))
            cell.number_format, cell.alignment = AMOUNT_FORMAT, RIGHT
        if bold:
            cell.fill = HEADER_FILL
    ws.row_dimensions[row].height = 22


DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
SECTIONS = ("", "万", "亿", "万亿")


def rmb_in_words(amount: Decimal) -> str:
    """An amount in 元 as a 支付凭证 writes it: 7900.00 → 人民币柒仟玖佰元整, 1005.50 → 人民币壹仟零伍元伍角整."""
    fen_total = int((amount * 100).to_integral_value())
    if fen_total < 0:
        raise ValueError("a negative amount")
    yuan, rest = divmod(fen_total, 100)
    jiao, fen = divmod(rest, 10)
    words = _integer_words(yuan) + "元" if yuan else ""
    if jiao:
        words += DIGITS[jiao] + "角"
    if fen:
        if yuan and not jiao:
            words += "零"
        words += DIGITS[fen] + "分"
    else:
        words += "整" if words else "零元整"
    return "人民币" + words


def _integer_words(number: int) -> str:
    groups: list[int] = []
    while number:
        number, group = divmod(number, 10_000)
        groups.append(group)
    words = ""
    zero_pending = False
    for position in range(len(groups) - 1, -1, -1):
        group = groups[position]
        if group == 0:
            zero_pending = bool(words)
            continue
        if words and (zero_pending or group < 1000):
            words += "零"
        words += _group_words(group) + SECTIONS[position]
        zero_pending = False
    return words


def _group_words(group: int) -> str:
    """1–9999 in words, zeros inside collapsed to one 零: 1010 → 壹仟零壹拾, 1001 → 壹仟零壹."""
    words = ""
    zero = False
    for place in range(3, -1, -1):
        digit = group // 10**place % 10
        if digit == 0:
            zero = bool(words)
            continue
        if zero:
            words += "零"
            zero = False
        words += DIGITS[digit] + PLACES[place]
    return words
