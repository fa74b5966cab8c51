"""All results of a dataset, computed once per period on demand.

Also the derived lists the notices and the internal pages need: monthly
commendations and the sanctions that follow from grades and veto events.
"""

from __future__ import annotations

from dataclasses import dataclass

from .annual import AnnualResult, AnnualSummary, annual_result, score_year
from .datafiles import EventEntry
from .errors import UsageError
from .numbers import fmt
from .periods import Month, Year
from .score import MonthlyResult, score_month
from .validate import Dataset


@dataclass(frozen=True)
class Sanction:
    worker_id: str
    period: Month | Year
    reason: str
    measures: tuple[str, ...]


@dataclass(frozen=True)
class Commendation:
    """A month's 通报表扬: 优秀 workers and commendable deeds, computed from results."""

    month: Month
    excellent: tuple[MonthlyResult, ...]
    deeds: tuple[tuple[MonthlyResult, EventEntry], ...]


class Results:
    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._months: dict[Month, list[MonthlyResult]] = {}
        self._years: dict[int, AnnualSummary] = {}
        self._by_worker: dict[str, list[MonthlyResult]] | None = None
        self._year_index: dict[int, dict[str, AnnualResult]] = {}
        self._sanctions: list[Sanction] | None = None

    def month(self, month: Month) -> list[MonthlyResult]:
        """A month's results, sorted by rank then worker id."""
        if month not in self._months:
            self._months[month] = score_month(self.dataset.entries.get(month, []))
        return self._months[month]

    def year(self, year: int) -> AnnualSummary:
        """A year's results with quota and honors applied, sorted by rank then worker id."""
        if year not in self._years:
            self._years[year] = self._score_year(year)
        return self._years[year]

    def _score_year(self, year: int) -> AnnualSummary:
        rubric = self.dataset.annual_rubric(year)
        if rubric is None:
            raise UsageError(f"{year} 年没有适用的考评标准")
        by_worker: dict[str, list[MonthlyResult]] = {}
        for month in Year(year).months():
            for result in self.month(month):
                by_worker.setdefault(result.worker_id, []).append(result)
        results = [
            annual_result(
                self.dataset.workers[worker_id],
                year,
                rubric,
                months,
                self.dataset.reviews.get((year, worker_id)),
            )
            for worker_id, months in sorted(by_worker.items())
        ]
        return score_year(year, rubric, results)

    def has_period(self, period: Month | Year) -> bool:
        if isinstance(period, Month):
            return period in self.dataset.entries
        return any(month.year == period.year for month in self.dataset.entries)

    def worker_months(self, worker_id: str) -> list[MonthlyResult]:
        """One worker's monthly results in month order (indexed once for all workers)."""
        if self._by_worker is None:
            self._by_worker = {}
            for month in self.dataset.months():
                for result in self.month(month):
                    self._by_worker.setdefault(result.worker_id, []).append(result)
        return self._by_worker.get(worker_id, [])

    def worker_years(self, worker_id: str) -> list[tuple[int, AnnualResult]]:
        """One worker's annual results in year order."""
        years = {month.year for month in (r.month for r in self.worker_months(worker_id))}
        found = []
        for year in sorted(years):
            result = self.year_index(year).get(worker_id)
            if result is not None:
                found.append((year, result))
        return found

    def year_index(self, year: int) -> dict[str, AnnualResult]:
        if year not in self._year_index:
            self._year_index[year] = {r.worker_id: r for r in self.year(year).results}
        return self._year_index[year]

    def worker_month(self, worker_id: str, month: Month) -> MonthlyResult | None:
        return next((r for r in self.month(month) if r.worker_id == worker_id), None)

    def worker_year(self, worker_id: str, year: int) -> AnnualResult | None:
        return self.year_index(year).get(worker_id)

    def commendation(self, month: Month) -> Commendation:
        results = self.month(month)
        excellent = tuple(r for r in results if r.grade.id == r.rubric.top_grade.id)
        deeds = tuple(
            (result, event)
            for result in sorted(results, key=lambda r: r.worker_id)
            for event in result.commendable_events
        )
        return Commendation(month, excellent, deeds)

    def sanctions(self) -> list[Sanction]:
        """Every sanction due, over all months and years, in period then worker order (computed once)."""
        if self._sanctions is None:
            self._sanctions = self._find_sanctions()
        return self._sanctions

    def _find_sanctions(self) -> list[Sanction]:
        found: list[Sanction] = []
        streak: dict[str, tuple[Month, int]] = {}
        for month in self.dataset.months():
            for result in sorted(self.month(month), key=lambda r: r.worker_id):
                rules = result.rubric.sanctions
                worker = result.worker_id
                if result.grade.id == result.rubric.bottom_grade.id:
                    last = streak.get(worker)
                    length = last[1] + 1 if last and last[0] == month.previous() else 1
                    streak[worker] = (month, length)
                    reason = f"月度考评{result.grade.name}（{fmt(result.total)} 分）"
                    found.append(Sanction(worker, month, reason, tuple(rules.monthly_fail)))
                    if length >= rules.monthly_fail_streak.length:
                        found.append(
                            Sanction(
                                worker,
                                month,
                                f"连续 {length} 个月{result.grade.name}",
                                tuple(rules.monthly_fail_streak.measures),
                            )
                        )
                for event in result.veto_events:
                    found.append(Sanction(worker, month, f"{event.kind.name}（{event.event.date}）", tuple(rules.veto)))
        failed_years: dict[tuple[str, int], int] = {}
        for year in self.dataset.years():
            summary = self.year(year)
            rules = summary.rubric.sanctions
            fail_grade = summary.rubric.bottom_grade
            for annual in sorted(summary.results, key=lambda r: r.worker_id):
                if annual.grade.id != fail_grade.id:
                    continue
                worker = annual.worker_id
                found.append(Sanction(worker, Year(year), f"年度考评{fail_grade.name}", tuple(rules.annual_fail)))
                length = failed_years.get((worker, year - 1), 0) + 1
                failed_years[(worker, year)] = length
                if length >= rules.annual_fail_streak.length:
                    reason = f"连续 {length} 年年度考评{fail_grade.name}"
                    found.append(Sanction(worker, Year(year), reason, tuple(rules.annual_fail_streak.measures)))
        return found
