"""Results as the ``score`` command shows them: the JSON interface (§4) and a text table."""

from __future__ import annotations

import unicodedata
from typing import Any

from .annual import AnnualSummary
from .periods import Month, Period, Year
from .rows import annual_rows, fields, monthly_rows
from .score import MonthlyResult
from .validate import Dataset

PROVISIONAL = "暂定：本期结果尚未封存，封存前可能调整"


def is_sealed(dataset: Dataset, period: Period) -> bool:
    """Whether ``period``'s results are sealed (final); otherwise every output says they are provisional."""
    return str(period) in dataset.seals


# The keys of ``score --json`` (§4), in the order it writes them; the open data (render.data_files) is the same.
MONTHLY_KEYS = (
    "worker",
    "name",
    "community",
    "total",
    "grade",
    "rank",
    "community_rank",
    "categories",
    "items",
    "bonus",
    "deductions",
    "vetoed",
)
ANNUAL_KEYS = (
    "worker",
    "name",
    "community",
    "months_assessed",
    "monthly_mean",
    "review_score",
    "total",
    "grade",
    "rank",
    "honors",
    "vetoed",
)


def monthly_json(month: Month, results: list[MonthlyResult], sealed: bool) -> dict[str, Any]:
    rubric = results[0].rubric.version if results else None
    return {
        "period": str(month),
        "rubric": rubric,
        "sealed": sealed,
        "results": [fields(r, MONTHLY_KEYS) for r in monthly_rows(results)],
    }


def annual_json(summary: AnnualSummary, sealed: bool) -> dict[str, Any]:
    return {
        "period": f"{summary.year:04d}",
        "rubric": summary.rubric.version,
        "sealed": sealed,
        "results": [fields(r, ANNUAL_KEYS) for r in annual_rows(summary)],
    }


def monthly_table(dataset: Dataset, month: Month, results: list[MonthlyResult]) -> str:
    communities = {c.id: c.name for c in dataset.organization.communities}
    rubric = results[0].rubric if results else None
    lines = [
        f"{dataset.organization.unit.name} {month.label}考评结果（{rubric.title if rubric else ''}，共 {len(results)} 人）",
        *([] if is_sealed(dataset, month) else [PROVISIONAL]),
        "",
    ]
    rows = [["排名", "社区排名", "编号", "姓名", "社区", "总分", "等次", "加分", "扣分", "备注"]]
    for r in monthly_rows(results):
        rows.append(
            [
                str(r.rank),
                str(r.community_rank),
                r.worker,
                r.name,
                communities[r.community],
                r.total,
                r.grade,
                r.bonus,
                r.deductions,
                "一票否决" if r.vetoed else "",
            ]
        )
    lines.extend(_table(rows, right={0, 1, 5, 7, 8}))
    lines.append("")
    lines.append(f"查看某人的得分明细：gridscore explain 编号 {month}")
    return "\n".join(lines)


def annual_table(dataset: Dataset, summary: AnnualSummary) -> str:
    communities = {c.id: c.name for c in dataset.organization.communities}
    top = summary.rubric.top_grade.name
    lines = [
        f"{dataset.organization.unit.name} {summary.year}年度考评结果（{summary.rubric.title}，共 {len(summary.results)} 人）",
        f"{top}名额：{summary.quota} 个（参评 {summary.assessed_workers} 人 × {summary.rubric.annual.excellent_quota}，"
        f"至少 {summary.rubric.annual.excellent_quota_min} 个）"
        + ("；名额边界并列，实际超出名额" if summary.quota_exceeded else ""),
        *([] if is_sealed(dataset, Year(summary.year)) else [PROVISIONAL]),
        "",
    ]
    rows = [["排名", "编号", "姓名", "社区", "考评月数", "月度平均", "年度评议", "年度得分", "等次", "荣誉"]]
    for r in annual_rows(summary):
        rows.append(
            [
                str(r.rank),
                r.worker,
                r.name,
                communities[r.community],
                str(r.months_assessed),
                r.monthly_mean,
                r.review_score or "—",
                r.total,
                r.grade,
                "、".join(r.honors),
            ]
        )
    lines.extend(_table(rows, right={0, 4, 5, 6, 7}))
    lines.append("")
    lines.append(f"查看某人的得分明细：gridscore explain 编号 {summary.year}")
    return "\n".join(lines)


def width(text: str) -> int:
    """Terminal columns of ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        out.append("  ".join(cells).rstrip())
    return out
