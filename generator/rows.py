"""A result as every output shows it: each figure formatted once, in one place.

``score --json``, the open data (CSV and JSON), the seals, the ``diff``
report, the Excel export and the text tables take their figures from a
``MonthlyRow`` or an ``AnnualRow`` (the 奖惩台账's outputs from a ``LedgerRow``), and each picks the fields it needs in its
own order (``fields``); the site's rankings find theirs here too. A figure is
a string with exactly two decimals (``fmt``); ranks and counts stay integers,
flags booleans, and how a flag is worded (是/否, 一票否决, true) is the
output's choice.

A monthly row is built from the loader's integers (``RecordScore``): the
category and item scores are hundredths already, and a record without events
has neither bonus nor deductions, so for most results the explanation
(``MonthlyResult.details``) is never built. At county scale (36,000 results a
year, sealed and verified on every ``check``) that is what keeps it fast.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .annual import AnnualResult, AnnualSummary
from .ledger import Ledger, money
from .numbers import fmt, fmt_cents
from .score import MonthlyResult

NOTHING = "0.00"  # the bonus and the deductions of a record without events


@dataclass(frozen=True, slots=True)
class MonthlyRow:
    """One worker's month. The dicts are shared between outputs: read them, never change them."""

    worker: str  # the worker's id
    name: str
    community: str  # the community's id
    rank: int
    community_rank: int
    total: str
    grade: str  # the grade's name (优秀)
    grade_id: str
    categories: dict[str, str]  # category id → subtotal, in the rubric's order
    items: dict[str, str]  # item id → score, in the rubric's order
    bonus: str  # counted in the total (capped)
    deductions: str  # taken from the total (deductions on an item are in its score)
    vetoed: bool


@dataclass(frozen=True, slots=True)
class AnnualRow:
    """One worker's year. The dicts and lists are shared between outputs: read them, never change them."""

    worker: str
    name: str
    community: str
    rank: int
    community_rank: int
    months_assessed: int
    monthly_mean: str
    category_means: dict[str, str]  # category id → the mean of the monthly subtotals, in the rubric's order
    review_score: str | None  # None: no annual review
    total: str
    grade: str
    grade_id: str
    honors: list[str]  # the honors' names
    vetoed: bool


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One worker's line of the 奖惩台账: amounts as strings with two decimals, exact."""

    worker: str
    name: str
    community: str  # the community's id
    grade: str  # the grade's name
    monthly: str  # 月度绩效奖励 (a year: the months summed)
    events: str  # 专项奖金
    honors: str  # 荣誉奖励 (a sealed year only)
    total: str


def monthly_row(result: MonthlyResult) -> MonthlyRow:
    rubric, scored, worker = result.rubric, result.scored, result.entry.worker
    if result.entry.events:
        bonus, deductions = fmt(result.bonus), fmt(result.deductions)
    else:
        bonus = deductions = NOTHING
    return MonthlyRow(
        worker=worker.id,
        name=worker.name,
        community=worker.community,
        rank=result.rank,
        community_rank=result.community_rank,
        total=fmt(result.total),
        grade=result.grade.name,
        grade_id=result.grade.id,
        categories={c.id: fmt_cents(cents) for c, cents in zip(rubric.categories, scored.category_cents, strict=True)},
        items={i.id: fmt_cents(cents) for i, (_, _, cents) in zip(rubric.items, scored.items, strict=True)},
        bonus=bonus,
        deductions=deductions,
        vetoed=scored.vetoed,
    )


def annual_row(result: AnnualResult) -> AnnualRow:
    return AnnualRow(
        worker=result.worker_id,
        name=result.worker.name,
        community=result.worker.community,
        rank=result.rank,
        community_rank=result.community_rank,
        months_assessed=result.months_assessed,
        monthly_mean=fmt(result.monthly_mean),
        category_means={key: fmt(mean) for key, mean in result.category_means.items()},
        review_score=fmt(result.review_score) if result.review_score is not None else None,
        total=fmt(result.total),
        grade=result.grade.name,
        grade_id=result.grade.id,
        honors=[honor.name for honor in result.honors],
        vetoed=result.vetoed,
    )


def monthly_rows(results: Iterable[MonthlyResult]) -> list[MonthlyRow]:
    """A month's rows, in the results' order (by rank, then worker id)."""
    return [monthly_row(result) for result in results]


def annual_rows(summary: AnnualSummary) -> list[AnnualRow]:
    """A year's rows, in the results' order (by rank, then worker id)."""
    return [annual_row(result) for result in summary.results]


def fields(row: MonthlyRow | AnnualRow | LedgerRow, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row, in the order given (an output's keys or columns)."""
    return {name: getattr(row, name) for name in names}


def ledger_rows(ledger: Ledger) -> list[LedgerRow]:
    """A ledger's rows, in its order (by community, then worker id)."""
    return [
        LedgerRow(
            worker=entry.worker.id,
            name=entry.worker.name,
            community=entry.worker.community,
            grade=entry.grade.name,
            monthly=money(entry.monthly),
            events=money(entry.events),
            honors=money(entry.honors),
            total=money(entry.total),
        )
        for entry in ledger.entries
    ]
