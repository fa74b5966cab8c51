"""The annual review in Excel / WPS (§2, §6): ``gridscore export 2026`` writes the sheet, ``import`` reads it back.

One row per worker assessed in the year (at least one monthly record in it, as
``gridscore new 2026`` picks them), prefilled from records/2026/annual/. The
workbook is the monthly one's sibling and shares its machinery in the package (layout, read, importer):
the same header rows (a hidden row of field keys that import maps columns by),
text cells that never become formulas, drop-downs, locked id columns, the
guarded read-only loading, the check chain run on the planned files before
anything is written, and problems located at their cells under their Chinese
headers. A review written here reads as one from ``gridscore new 2026`` filled in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from ..errors import GridscoreError, display_path
from ..load import Repository, load_repository
from ..models import Organization, Worker
from ..periods import Month, Year
from ..rubric import Rubric
from ..scaffold import assessors_text, blank_review
from .columns import Column, Loc, _unchanged, from_excel, text_column, to_excel
from .existing import _Existing, _organization, _read_existing, _record_path, _setup
from .export import _assessor_rule, _assessors_table, _choices_title, _guide, _guide_rows
from .importer import ImportSummary, _check_keys, _Planned, _write_all
from .layout import (
    FIRST_ROW,
    HEADER_ROWS,
    add_validations,
    check_target,
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
from .problems import CellProblem
from .read import _blank, _Row, _Workbook
from .text import (
    NO_RECORDS_IN_YEAR,
    NO_REVIEW_WORKER,
    NOT_REGISTERED,
    REVIEW_COLUMNS,
    REVIEW_DATE_ERROR,
    REVIEW_SCORE_ERROR,
    REVIEWS_TITLE,
    SHEET_CHOICES,
    SHEET_GUIDE,
    SHEET_REVIEWS,
    TWO_ROWS,
    YEAR_GUIDE_IMPORTING,
    YEAR_GUIDE_META,
    YEAR_GUIDE_NOTES,
    YEAR_GUIDE_SHEETS,
    YEAR_GUIDE_STEPS,
    YEAR_GUIDE_TITLE,
    YEAR_HEADER,
    YEAR_WORKBOOK_TITLE,
)
from .yamltext import _dump_record, _put, _round_trip_load, _yaml_text

REVIEW_ORDER = ("worker", "year", "review_score", "assessed_by", "assessed_on")


def review_columns(year: int) -> list[Column]:
    return [
        text_column(REVIEW_COLUMNS, "worker", "id", 12, locked=True),
        text_column(REVIEW_COLUMNS, "name", "label", 10, locked=True),
        text_column(REVIEW_COLUMNS, "community", "label", 14, locked=True),
        text_column(REVIEW_COLUMNS, "review_score", "score", 12),
        text_column(REVIEW_COLUMNS, "assessed_by", "assessor", 12),
        text_column(REVIEW_COLUMNS, "assessed_on", "date", 12, next_year=year + 1),
    ]


def assessed_workers(repo: Repository, org: Organization, year: int) -> list[Worker]:
    """The workers with at least one monthly record in ``year``, by id: those an annual review is for."""
    assessed = {file.record.worker for file in repo.records if file.record.period.year == year}
    return [w for w in sorted(org.workers, key=lambda w: w.id) if w.id in assessed]


def annual_folder(root: Path, year: int) -> Path:
    return root / "records" / f"{year:04d}" / "annual"


# --- export ---------------------------------------------------------------------------------


def export_reviews(root: Path, year: Year, target: Path) -> tuple[int, int]:
    """Write ``target`` (.xlsx): a row per worker assessed in ``year``, prefilled from the existing reviews.

    Returns how many workers it lists and how many of them already have a review file.
    """
    check_target(target)
    repo = load_repository(root)
    workers = assessed_workers(repo, _organization(repo), year.year)
    if not workers:
        raise GridscoreError(NO_RECORDS_IN_YEAR.format(year=year.year))
    org, rubric = _setup(repo, Month(year.year, 12))  # the edition the year's annual rules come from
    existing = _read_existing(root, annual_folder(root, year.year), workers)

    wb = Workbook()
    guide = wb.active
    guide.title = SHEET_GUIDE
    reviews = wb.create_sheet(SHEET_REVIEWS)
    choices = wb.create_sheet(SHEET_CHOICES)
    _choices_title(choices)
    assessors = _assessors_table(choices, 1, org)
    protect(choices)
    print_setup(choices, None)
    _reviews_sheet(reviews, org, rubric, year.year, workers, existing, assessors)
    _guide_sheet(guide, org, year.year, len(workers), len(existing))
    title = YEAR_WORKBOOK_TITLE.format(unit=org.unit.name, year=year)
    save_workbook(wb, target, title, fixed_time(Month(year.year, 12)))
    return len(workers), len(existing)


def _reviews_sheet(
    ws: Worksheet,
    org: Organization,
    rubric: Rubric,
    year: int,
    workers: list[Worker],
    existing: dict[str, _Existing],
    assessors: str,
) -> None:
    columns = review_columns(year)
    write_header(ws, columns, REVIEWS_TITLE.format(unit=org.unit.name, year=year), group_is_hint=False)
    communities = {c.id: c.name for c in org.communities}
    for offset, worker in enumerate(workers):
        row = FIRST_ROW + offset
        community = communities.get(worker.community, worker.community)
        fixed = {"worker": worker.id, "name": worker.name, "community": community}
        review = existing.get(worker.id)
        for index, column in enumerate(columns, 1):
            cell = ws.cell(row, index)
            if column.key in fixed:
                value: Any = fixed[column.key]
            else:
                value = to_excel(column, review.data.get(column.key) if review else None, rubric)
            set_cell(cell, value)
            style_body(cell, column)
    add_validations(ws, columns, FIRST_ROW, FIRST_ROW + len(workers) - 1, lambda c: _rule_for(c, assessors, year))
    ws.freeze_panes = "C5"
    protect(ws)
    print_setup(ws, "1:4", "A:B")


def _rule_for(column: Column, assessors: str, year: int) -> DataValidation | None:
    if column.kind == "score":
        rule = validation_rule(
            "decimal",
            "0",
            REVIEW_SCORE_ERROR,
            formula2="100",
            operator="between",
        )
    elif column.kind == "assessor":
        rule = _assessor_rule({"assessors": assessors})
    elif column.kind == "date":
        rule = validation_rule(
            "date",
            f"DATE({year},1,1)",
            REVIEW_DATE_ERROR.format(next_year=year + 1, year=year),
            operator="greaterThanOrEqual",
        )
    else:
        return None
    return with_prompt(rule, column)


def _guide_sheet(ws: Worksheet, org: Organization, year: int, workers: int, prefilled: int) -> None:
    values: dict[str, Any] = {
        "unit": org.unit.name,
        "year": year,
        "next_year": year + 1,
        "workers": workers,
        "prefilled": prefilled,
        "header_rows": HEADER_ROWS,
    }
    rows = _guide(
        YEAR_GUIDE_TITLE,
        YEAR_GUIDE_META,
        YEAR_GUIDE_SHEETS,
        YEAR_GUIDE_STEPS,
        YEAR_GUIDE_IMPORTING,
        YEAR_GUIDE_NOTES,
        values,
    )
    _guide_rows(ws, rows)


# --- import ---------------------------------------------------------------------------------


def import_reviews(root: Path, workbook: _Workbook, label: str) -> ImportSummary:
    """Write every review the 年度评议 sheet changes or adds, after the check chain accepts them all (or nothing)."""
    assert isinstance(workbook.period, Year)
    year = workbook.period.year
    sheet = workbook.sheets[SHEET_REVIEWS]
    problems = workbook.problems
    base = load_repository(root)
    org, rubric = _setup(base, Month(year, 12))
    columns = {c.key: c for c in review_columns(year)}
    _check_keys(sheet, columns, rubric, problems)

    workers = {w.id: w for w in org.workers}
    rows: dict[str, _Row] = {}
    at_worker = sheet.columns.get("worker", 1)
    for row in sheet.rows:
        value = row.values.get("worker")
        worker_id = "" if _blank(value) else str(value).strip()
        if not worker_id:
            message = NO_REVIEW_WORKER
            problems.append(CellProblem(SHEET_REVIEWS, row.number, at_worker, message))
        elif worker_id not in workers:
            message = NOT_REGISTERED.format(worker=worker_id)
            problems.append(CellProblem(SHEET_REVIEWS, row.number, at_worker, message))
        elif worker_id in rows:
            message = TWO_ROWS.format(worker=worker_id, row=rows[worker_id].number)
            problems.append(CellProblem(SHEET_REVIEWS, row.number, at_worker, message))
        else:
            rows[worker_id] = row

    folder = annual_folder(root, year)
    existing = _read_existing(root, folder, [workers[worker_id] for worker_id in rows])
    planned: list[_Planned] = []
    kept: list[str] = []
    for worker_id, row in sorted(rows.items()):
        review = existing.get(worker_id)
        editable = [c for c in columns.values() if not c.locked and c.key in row.columns]
        if all(_blank(row.values.get(c.key)) for c in editable):
            # a blank row: no review yet, and clearing a row never deletes a file
            if review is not None and any(review.data.get(c.key) is not None for c in editable):
                kept.append(worker_id)
            continue
        plan = _plan(root, org, rubric, year, workers[worker_id], row, editable, review, folder)
        if plan is not None:
            planned.append(plan)

    shown = {c.key: c.label for c in columns.values() if c.key not in ("name", "community")}
    headers = {SHEET_REVIEWS: {**shown, "year": YEAR_HEADER}}
    created, updated, unrelated = _write_all(root, label, base, planned, problems, headers)
    return ImportSummary(Year(year), created, updated, len(existing) - len(updated), kept, unrelated)


def _plan(
    root: Path,
    org: Organization,
    rubric: Rubric,
    year: int,
    worker: Worker,
    row: _Row,
    editable: list[Column],
    review: _Existing | None,
    folder: Path,
) -> _Planned | None:
    """The text of a worker's review after the import, or None when the row shows what its file already says."""
    if review is None:
        original = None
        path = _record_path(folder, worker)
        data = _round_trip_load(_blank_text(org, year, worker))
    else:
        original = review.text
        path = review.path
        data = _round_trip_load(review.text)
    cells: dict[Loc, str] = {(c.key,): row.cell(SHEET_REVIEWS, c.key) for c in editable}
    changed = False
    for column in editable:
        cell = row.values.get(column.key)
        if review is not None and _unchanged(column, review.data.get(column.key), cell, rubric):
            continue
        _put(data, column.key, _yaml_text(from_excel(column, cell, rubric)), REVIEW_ORDER)
        changed = True
    if not changed:
        return None
    worker_cell = row.cell(SHEET_REVIEWS, "worker")
    cells[("worker",)] = worker_cell
    return _Planned(
        worker.id, path, display_path(path, root), _dump_record(data, original), original, cells, worker_cell
    )


def _blank_text(org: Organization, year: int, worker: Worker) -> str:
    """The review ``gridscore new`` would write for ``worker``: a new one from the sheet starts from it."""
    # an unregistered community is the organization's problem, which check reports: it is no reason to crash here
    community = next((c for c in org.communities if c.id == worker.community), None)
    grid = next((g.name for g in community.grids if g.id == worker.grid), worker.grid) if community else worker.grid
    allowed = [a for a in org.assessors if a.may_assess(worker.community) and worker.id not in (a.id, a.worker)]
    who = f"{worker.name}（{worker.id}，{community.name if community else worker.community}{grid}）"
    return blank_review(year, worker.id, who, assessors_text(org, allowed))
