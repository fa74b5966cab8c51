"""The annual review in Excel / WPS (§2, §6): ``gridscore export 2026`` writes the sheet, ``import`` reads it back.

One row per worker assessed in the year (at least one monthly record in it, as
``gridscore new 2026`` picks them), prefilled from records/2026/annual/. The
workbook is the monthly one's sibling and shares its machinery in ``excel``:
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
from .columns import Column, Loc, _unchanged, from_excel, to_excel
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
from .text import SHEET_CHOICES, SHEET_GUIDE, SHEET_REVIEWS, YEAR_LABEL
from .yamltext import _dump_record, _put, _round_trip_load, _yaml_text

REVIEW_ORDER = ("worker", "year", "review_score", "assessed_by", "assessed_on")


def review_columns(year: int) -> list[Column]:
    who = "网格员（灰色，不可修改）"
    review = "年度综合评议"
    return [
        Column("worker", "网格员编号", who, "id", 12, locked=True),
        Column("name", "姓名", who, "label", 10, locked=True),
        Column("community", "社区", who, "label", 14, locked=True),
        Column(
            "review_score",
            "年度综合评议得分",
            review,
            "score",
            12,
            hint="群众评议、实地走访、台账检查的综合得分：0 到 100 的数字，最多两位小数，如 88.5",
        ),
        Column(
            "assessed_by", "考评人编号", review, "assessor", 12, hint="从下拉列表选择；须有权考评该社区，不能是本人"
        ),
        Column("assessed_on", "评议日期", review, "date", 12, hint=f"如 {year + 1}-01-10，不能晚于导入的当天"),
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
        raise GridscoreError(
            f"{year.year} 年还没有任何月度考评记录，无从导出年度评议（年度评议只为当年参加过考评的网格员填写）"
        )
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
    save_workbook(
        wb, target, f"{org.unit.name}{year.label}网格员反诈工作年度综合评议", fixed_time(Month(year.year, 12))
    )
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
    write_header(ws, columns, f"{org.unit.name} {year}年度网格员反诈工作年度综合评议", group_is_hint=False)
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
            "年度综合评议得分应为 0 到 100 之间的数字，最多两位小数，如 88.5",
            formula2="100",
            operator="between",
        )
    elif column.kind == "assessor":
        rule = _assessor_rule({"assessors": assessors})
    elif column.kind == "date":
        rule = validation_rule(
            "date",
            f"DATE({year},1,1)",
            f"评议日期应为日期，如 {year + 1}-01-10，且不早于 {year}-01-01",
            operator="greaterThanOrEqual",
        )
    else:
        return None
    return with_prompt(rule, column)


def _guide_sheet(ws: Worksheet, org: Organization, year: int, workers: int, prefilled: int) -> None:
    sheets = [
        (SHEET_GUIDE, "本页：怎么填、怎么导入。"),
        (
            SHEET_REVIEWS,
            f"{year} 年参加过考评（至少有一个月的月度考评记录）的每名网格员一行（共 {workers} 人）。"
            f"已有的年度评议已经填好（{prefilled} 份），没有评议的行是空的。灰色的列是网格员本人的信息，不能修改；白色的格子填写。",
        ),
        (SHEET_CHOICES, "考评人名单（下拉列表的选项）和每人可考评的社区。请勿修改。"),
    ]
    steps = [
        "灰色的列（网格员编号、姓名、社区）和表头已锁定，白色的格子可以填写。工作表保护没有密码；不要改动表头，"
        f"也不要删除或改动隐藏的第 {HEADER_ROWS} 行（英文字段名，导入时按它找到每一列）。",
        "年度综合评议得分：群众评议、实地走访、台账检查的综合得分，填 0 到 100 的数字，最多两位小数，如 88.5。"
        f"年度得分按考评标准由月度平均分和这个得分计算，导入后可用 gridscore explain 网格员编号 {year} 查看。",
        "考评人编号从下拉列表选择（名单见“选项”表），须是有权考评该网格员所在社区的考评人，不能是网格员本人。",
        f"评议日期填日期，如 {year + 1}-01-10，不能晚于导入的当天。",
        "一行全部留空，表示这名网格员还没有年度评议；清空一行不会删除已有的评议（确需删除，请直接删除对应的 YAML 文件）。"
        "一行只填了一部分时，导入会指出还没填的格子。",
        "保存为 .xlsx 格式。WPS：“文件”→“另存为”，文件类型选“Excel 文件(*.xlsx)”；不要存成 .xls 或 .et。",
    ]
    importing = [
        "在考评仓库的根目录运行：gridscore import 文件名.xlsx（也可以写 python -m generator import 文件名.xlsx）。",
        "导入时按 gridscore check 的全部规则检查。有问题时逐条列出“文件名 工作表!单元格: 说明”，"
        f"例如“{SHEET_REVIEWS}!D7: …”，并且不写入任何文件；按提示改好后重新导入即可。",
        f"没有问题时写入 records/{year:04d}/annual/社区编号/网格员编号.yaml：只改动变化了的值，"
        "原有的注释和字段顺序保持不变；没有改动的评议不会被改写。",
        f"然后运行 gridscore score {year} 查看年度结果，git diff 查看改动，按平时的流程提交合并请求。",
    ]
    notes = [
        "年度综合评议得分计入年度得分，随年度结果公开发布。",
        f"已封存的年度（records/seals/{year}.yaml）导入后结果有变化时会被拒绝：须先发布更正公告，见 README“每月工作流程”。",
    ]
    meta = [
        ("考评单位", org.unit.name),
        (YEAR_LABEL, str(year)),
        ("生成方式", f"gridscore export {year}；填好后用 gridscore import 导入"),
    ]
    title = f"{org.unit.name}网格员反诈工作年度综合评议 Excel 填写表（{year}年度）"
    _guide_rows(ws, _guide(title, meta, sheets, steps, importing, notes))


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
            message = "这一行没有网格员编号：请不要修改灰色的编号列，也不要在表格下方另加行"
            problems.append(CellProblem(SHEET_REVIEWS, row.number, at_worker, message))
        elif worker_id not in workers:
            message = f"编号“{worker_id}”不是登记的网格员，这一行不能导入（请不要修改灰色的编号列）"
            problems.append(CellProblem(SHEET_REVIEWS, row.number, at_worker, message))
        elif worker_id in rows:
            message = f"网格员 {worker_id} 有两行（另见第 {rows[worker_id].number} 行），请只保留一行"
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
    headers = {SHEET_REVIEWS: {**shown, "year": "年度"}}  # “year” is no column, but may be in a file's problem
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
