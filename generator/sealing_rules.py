"""When a period may be sealed (§6): it has ended, everything before it is sealed, nothing is missing.

A seal is a promise that results are final, so it is refused while they
cannot be: a month still running, a month whose predecessor is still open, a
month with an active worker not assessed, a year whose months, annual reviews
or 公示 objections are not settled.
"""

from __future__ import annotations

from datetime import date

from .errors import GridscoreError, Problem
from .models import Worker
from .objections import year_seal_refusal
from .periods import Month, Period, Year
from .validate import Dataset

_SHOWN = 10


def require_sealable(dataset: Dataset, period: Period, today: date) -> None:
    """Raise ``GridscoreError`` saying why ``period`` cannot be sealed today; return if it can."""
    _require_ended(period, today)
    if isinstance(period, Month):
        _require_month(dataset, period)
    else:
        _require_year(dataset, period)


def _require_ended(period: Period, today: date) -> None:
    """A period is sealed only once it is over: results of a month still running are not final."""
    ends = period.next().first_day() if isinstance(period, Month) else date(period.year + 1, 1, 1)
    if today < ends:
        raise GridscoreError(
            f"无法封存{period.label}：{period.label}还没有结束（今天是 {today}），"
            f"{ends} 起才能封存（要按另一天封存，用 --today）"
        )


def unsealed_before(dataset: Dataset, month: Month) -> list[Month]:
    """Months before ``month`` that had active workers but no seal, from the first month with records on."""
    months = dataset.months()
    if not months:
        return []
    found, current = [], months[0]
    while current < month:
        if str(current) not in dataset.seals and any(w.active_in(current) for w in dataset.organization.workers):
            found.append(current)
        current = current.next()
    return found


def _require_month(dataset: Dataset, month: Month) -> None:
    assessed = {entry.worker.id for entry in dataset.entries.get(month, [])}
    if not assessed:
        raise GridscoreError(f"无法封存{month.label}：这个月还没有任何考评记录")
    earlier = unsealed_before(dataset, month)
    if earlier:
        raise GridscoreError(
            f"无法封存{month.label}：更早的 {len(earlier)} 个月还没有封存（{_months(earlier)}）。"
            f"请按月份顺序封存，先运行 gridscore seal {earlier[0]}"
        )
    missing = [w for w in dataset.organization.workers if w.active_in(month) and w.id not in assessed]
    if missing:
        raise GridscoreError(
            f"无法封存{month.label}：以下 {len(missing)} 名在岗网格员还没有考评记录：{_workers(dataset, missing)}"
        )


def _require_year(dataset: Dataset, year: Year) -> None:
    december = Month(year.year, 12)
    open_months = [m for m in unsealed_before(dataset, december.next()) if m.year == year.year]
    if open_months:
        raise GridscoreError(
            f"无法封存{year.label}：该年还有 {len(open_months)} 个月没有封存（{_months(open_months)}），请先逐月封存"
        )
    objections = year_seal_refusal(dataset, year.year)
    if objections:
        raise GridscoreError(objections)
    rubric = dataset.annual_rubric(year.year)
    if rubric is not None and rubric.annual.review_required:
        assessed = sorted(
            {e.worker.id for m, entries in dataset.entries.items() if m.year == year.year for e in entries}
        )
        missing = [dataset.workers[w] for w in assessed if (year.year, w) not in dataset.reviews]
        if missing:
            raise GridscoreError(
                f"无法封存{year.label}：以下 {len(missing)} 名网格员还没有年度综合评议：{_workers(dataset, missing)}。"
                f"请运行 gridscore new {year.year} 生成年度评议文件（或用 gridscore export {year.year} 表格.xlsx 填写后导入），"
                "填写后再封存；不做年度评议的，请在考评标准中写 annual.review_required: false"
            )


def open_problems(dataset: Dataset) -> list[Problem]:
    """For ``check``: a sealed month with an earlier month unsealed (a seal file deleted, or sealed out of order)."""
    problems: list[Problem] = []
    for seal_file in dataset.seals.values():
        period = seal_file.seal.period
        if not isinstance(period, Month):
            continue
        earlier = unsealed_before(dataset, period)
        if earlier:
            problems.append(
                seal_file.doc.problem(
                    ("period",),
                    f"{period.label}已封存，但更早的 {len(earlier)} 个月没有封存（{_months(earlier)}）："
                    "封存须按月份顺序，封存文件一经提交不能删除",
                )
            )
    return problems


def _months(months: list[Month]) -> str:
    shown = "、".join(str(m) for m in months[:_SHOWN])
    return shown + (" 等" if len(months) > _SHOWN else "")


def _workers(dataset: Dataset, workers: list[Worker]) -> str:
    communities = {c.id: c.name for c in dataset.organization.communities}
    shown = "、".join(f"{w.id}（{w.name}，{communities.get(w.community, w.community)}）" for w in workers[:_SHOWN])
    return shown + (f" 等 {len(workers)} 人" if len(workers) > _SHOWN else "")
