"""Results as the ``score`` command shows them: the JSON interface (§4) and a text table."""

from __future__ import annotations

import unicodedata
from typing import Any

from .annual import AnnualSummary
from .ledger import PROVISIONAL as LEDGER_PROVISIONAL
from .ledger import Ledger, money
from .periods import Month, Period, Year
from .rows import annual_rows, fields, ledger_rows, monthly_rows
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
LEDGER_KEYS = ("worker", "name", "community", "grade", "monthly", "events", "honors", "total")


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


def ledger_json(ledger: Ledger) -> dict[str, Any]:
    """``ledger --json`` (§10): amounts as strings with exactly two decimals."""
    return {
        "period": str(ledger.period),
        "currency": ledger.currency,
        "sealed": ledger.sealed,
        "results": [fields(row, LEDGER_KEYS) for row in ledger_rows(ledger)],
    }


def ledger_table(dataset: Dataset, ledger: Ledger) -> str:
    """``ledger`` as text: each worker's rewards, the community and unit totals, then every measure."""
    communities = {c.id: c.name for c in dataset.organization.communities}
    currency = ledger.currency
    lines = [
        f"{dataset.organization.unit.name} {ledger.period.label}奖惩台账（{ledger.rubric.title}，金额单位：{currency}）",
        *([] if ledger.sealed else [LEDGER_PROVISIONAL]),
    ]
    if not ledger.has_rewards:
        lines.append(f"考评标准 {ledger.rubric.version} 版没有设置物质奖励（rewards），本期不发放奖励。")
    if isinstance(ledger.period, Year):
        lines.append(
            "月度绩效奖励和专项奖金为当年各月之和；"
            + ("荣誉奖励按年度封存的荣誉发放。" if ledger.sealed else "荣誉奖励在年度结果封存后计入。")
        )
    lines.append("")
    rows = [["编号", "姓名", "社区", "等次", "月度绩效奖励", "专项奖金", "荣誉奖励", "合计"]]
    for r in ledger_rows(ledger):
        rows.append([r.worker, r.name, communities[r.community], r.grade, r.monthly, r.events, r.honors, r.total])
    lines.extend(_table(rows, right={4, 5, 6, 7}))
    lines.append("")
    totals = [["社区", "人数", "合计"]]
    for community, entries, total in ledger.by_community():
        totals.append([community.name, str(len(entries)), money(total)])
    totals.append([f"{dataset.organization.unit.short}合计", str(len(ledger.entries)), money(ledger.total)])
    lines.extend(_table(totals, right={1, 2}))
    lines.append("")
    lines.extend(measure_lines(ledger))
    return "\n".join(lines)


def measure_lines(ledger: Ledger) -> list[str]:
    if not ledger.measures:
        return ["处理措施：本期没有需要落实的处理措施。"]
    lines = [f"处理措施（{len(ledger.measures)} 项，逾期未落实 {len(ledger.overdue)} 项）："]
    for m in ledger.measures:
        if m.done is not None:
            state = f"已落实（{m.done.done_on}，经办人 {m.by.name if m.by else m.done.by}）"
        elif m.state == "provisional":
            state = "暂定（本期封存后开始计算落实期限）"
        else:
            state = f"{m.state_label}（应于 {m.due} 前落实）"
        lines.append(f"  {m.worker.id} {m.worker.name}  {m.measure}：{state}；依据：{'；'.join(m.reasons)}")
    return lines


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
