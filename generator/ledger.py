"""The 奖惩台账 (§10): what the results pay, and whether each sanction measure was carried out.

Rewards are rubric data (``Rubric.rewards``): a month pays by the edition in force
for that month, a year's honors by the year's edition (the one its annual rules
come from). A period's ledger is final only once the period is sealed: until then
it is 暂定, ``export-ledger`` refuses it, honors pay nothing and its measures are
not due yet. A sealed period's measures are due ``sanctions.followup_days`` after
its seal, and a follow-up file (records/followups/<period>/<worker>.yaml) marks
one done.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from .annual import AnnualResult
from .errors import Problem
from .messages import did_you_mean
from .models import Assessor, Community, FollowUp, Worker
from .periods import Month, Period, Year
from .results import Results
from .rubric import Grade, Rubric
from .score import MonthlyResult
from .validate import Dataset

CENT = Decimal("0.01")
REWARD_LABELS = {"monthly": "月度绩效奖励", "event": "专项奖金", "honor": "荣誉奖励"}
STATE_LABELS = {"done": "已落实", "pending": "待落实", "overdue": "逾期未落实", "provisional": "暂定"}
PROVISIONAL = "暂定：本期结果尚未封存，金额和处理措施可能调整，不能作为发放依据"

RewardKind = Literal["monthly", "event", "honor"]
MeasureState = Literal["done", "pending", "overdue", "provisional"]


def money(amount: Decimal) -> str:
    """An amount with exactly two decimals (to the fen): 300 → "300.00"."""
    return str(amount.quantize(CENT))


@dataclass(frozen=True)
class Reward:
    """One amount a result pays: the month's grade reward, one event's 专项奖金, or one honor."""

    kind: RewardKind
    what: str  # the grade, event or honor by its rubric name
    amount: Decimal
    note: str = ""  # the event's date, or why the amount is 0
    on: date | None = None  # an event's date

    @property
    def label(self) -> str:
        return REWARD_LABELS[self.kind]

    def line(self, currency: str) -> str:
        """As ``explain`` shows it: 月度绩效奖励：优秀 → 300.00 元."""
        return f"{self.label}：{self.what} → {money(self.amount)} {currency}{self.note}"


@dataclass(frozen=True)
class LedgerEntry:
    """One worker's rewards for the period."""

    worker: Worker
    grade: Grade  # the month's grade, or the year's
    rewards: tuple[Reward, ...]

    def part(self, kind: RewardKind) -> Decimal:
        return sum((r.amount for r in self.rewards if r.kind == kind), Decimal(0))

    @property
    def monthly(self) -> Decimal:
        return self.part("monthly")

    @property
    def events(self) -> Decimal:
        return self.part("event")

    @property
    def honors(self) -> Decimal:
        return self.part("honor")

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rewards), Decimal(0))


@dataclass(frozen=True)
class Measure:
    """One measure the rubric calls for (约谈提醒, 业务培训, …), and whether it was carried out."""

    worker: Worker
    period: Period
    measure: str
    reasons: tuple[str, ...]  # what called for it (月度考评不合格（48.12 分）, …)
    due: date | None  # None: the period is not sealed, so its results may still change
    done: FollowUp | None
    state: MeasureState
    by: Assessor | None = None  # who carried it out (done.by, from organization.yaml)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Ledger:
    period: Period
    rubric: Rubric
    sealed: bool
    entries: tuple[LedgerEntry, ...]  # by community (in organization order), then worker id
    measures: tuple[Measure, ...]  # by worker id, then in the order the rubric lists them
    communities: tuple[Community, ...]

    @property
    def currency(self) -> str:
        return self.rubric.rewards.currency if self.rubric.rewards else "元"

    @property
    def has_rewards(self) -> bool:
        return self.rubric.rewards is not None

    @property
    def total(self) -> Decimal:
        return sum((entry.total for entry in self.entries), Decimal(0))

    def by_community(self) -> list[tuple[Community, list[LedgerEntry], Decimal]]:
        """Each community with entries: its entries and their total."""
        grouped: dict[str, list[LedgerEntry]] = defaultdict(list)
        for entry in self.entries:
            grouped[entry.worker.community].append(entry)
        return [
            (community, grouped[community.id], sum((e.total for e in grouped[community.id]), Decimal(0)))
            for community in self.communities
            if community.id in grouped
        ]

    @property
    def overdue(self) -> list[Measure]:
        return [m for m in self.measures if m.state == "overdue"]


# --- rewards -----------------------------------------------------------------------


def month_rewards(result: MonthlyResult) -> tuple[Reward, ...]:
    """What one month's result pays by its edition's ``rewards`` (nothing when the edition has none)."""
    rewards = result.rubric.rewards
    if rewards is None:
        return ()
    grade = result.grade
    if result.vetoed and rewards.veto_forfeits_monthly:
        found = [Reward("monthly", grade.name, Decimal(0), "（当月有一票否决事件，不发放）")]
    else:
        found = [Reward("monthly", grade.name, rewards.monthly_for(grade.id))]
    for entry in result.entry.events:
        amount = rewards.events.get(entry.kind.id)
        if amount is not None:
            found.append(Reward("event", entry.kind.name, amount, f"（{entry.event.date}）", entry.event.date))
    return tuple(found)


def honor_rewards(result: AnnualResult, rubric: Rubric) -> tuple[Reward, ...]:
    """What a year's honors pay, by the year's edition."""
    if rubric.rewards is None:
        return ()
    table = rubric.rewards.honors
    return tuple(Reward("honor", honor.name, table[honor.id]) for honor in result.honors if honor.id in table)


def build_ledger(
    dataset: Dataset,
    results: Results,
    period: Period,
    now: date,
    measures: dict[str, list[Measure]] | None = None,
) -> Ledger:
    """The ledger of a month or a year (``results`` must have the period).

    ``measures``: every period's, from ``period_measures`` (computed here when not given).
    """
    sealed = str(period) in dataset.seals
    order = {c.id: index for index, c in enumerate(dataset.organization.communities)}
    entries: list[LedgerEntry] = []
    if isinstance(period, Month):
        month_results = results.month(period)
        rubric = month_results[0].rubric if month_results else dataset.rubric_for(period)
        for result in month_results:
            entries.append(LedgerEntry(result.entry.worker, result.grade, month_rewards(result)))
    else:
        summary = results.year(period.year)
        rubric = summary.rubric
        for annual in summary.results:
            paid = [reward for month in annual.months for reward in month_rewards(month)]
            if sealed:  # honors are final only with the year's seal
                paid += honor_rewards(annual, rubric)
            entries.append(LedgerEntry(annual.worker, annual.grade, tuple(paid)))
    assert rubric is not None  # results exist only for periods with a rubric
    entries.sort(key=lambda e: (order.get(e.worker.community, len(order)), e.worker.id))
    return Ledger(
        period=period,
        rubric=rubric,
        sealed=sealed,
        entries=tuple(entries),
        measures=tuple((period_measures(dataset, results, now) if measures is None else measures).get(str(period), [])),
        communities=tuple(dataset.organization.communities),
    )


# --- sanction measures -----------------------------------------------------------------


def period_measures(dataset: Dataset, results: Results, now: date) -> dict[str, list[Measure]]:
    """Every measure the rubric calls for, by period ("2026-03", "2026"), each with its state on ``now``."""
    called: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(dict)
    periods: dict[str, Period] = {}
    for sanction in results.sanctions():
        key = (str(sanction.period), sanction.worker_id)
        periods[key[0]] = sanction.period
        for measure in sanction.measures:
            called[key].setdefault(measure, []).append(sanction.reason)
    done = _followups(dataset)
    assessors = {a.id: a for a in dataset.organization.assessors}
    found: dict[str, list[Measure]] = defaultdict(list)
    for (period_key, worker_id), measures in sorted(called.items()):
        period = periods[period_key]
        due = _due(dataset, period)
        for name, reasons in measures.items():
            followup = done.get((period_key, worker_id), {}).get(name)
            state: MeasureState
            if followup is not None:
                state = "done"
            elif due is None:
                state = "provisional"
            else:
                state = "overdue" if now > due else "pending"
            found[period_key].append(
                Measure(
                    dataset.workers[worker_id],
                    period,
                    name,
                    tuple(reasons),
                    due,
                    followup,
                    state,
                    assessors.get(followup.by) if followup else None,
                )
            )
    return dict(found)


def overdue_count(dataset: Dataset, results: Results, now: date) -> int:
    return sum(m.state == "overdue" for measures in period_measures(dataset, results, now).values() for m in measures)


def _due(dataset: Dataset, period: Period) -> date | None:
    """The day a sealed period's measures are due: ``followup_days`` after its seal."""
    seal = dataset.seals.get(str(period))
    rubric = dataset.rubric_for(period) if isinstance(period, Month) else dataset.annual_rubric(period.year)
    if seal is None or rubric is None:
        return None
    return seal.seal.sealed_on + timedelta(days=rubric.sanctions.followup_days)


def _followups(dataset: Dataset) -> dict[tuple[str, str], dict[str, FollowUp]]:
    return {
        (str(file.period), file.worker_id): {entry.measure: entry for entry in file.entries}
        for file in dataset.followups
    }


def followup_problems(dataset: Dataset, results: Results) -> list[Problem]:
    """A follow-up must record a measure the rubric calls for: that worker, that period."""
    called: dict[tuple[str, str], list[str]] = defaultdict(list)
    for sanction in results.sanctions():
        names = called[(str(sanction.period), sanction.worker_id)]
        names += [m for m in sanction.measures if m not in names]
    problems: list[Problem] = []
    for file in dataset.followups:
        if file.worker_id not in dataset.workers:
            continue  # reported by validate
        required = called.get((str(file.period), file.worker_id), [])
        label = file.period.label
        for loc, entry in zip(file.locs, file.entries, strict=True):
            if entry.measure in required:
                continue
            if not required:
                why = "年度考评" if isinstance(file.period, Year) else "当月考评"
                message = (
                    f"网格员 {file.worker_id} 在{label}没有需要落实的处理措施（{why}结果不需要约谈、培训或审查）："
                    "请核对考评期和网格员编号"
                )
            else:
                hint = did_you_mean(entry.measure, required)
                message = (
                    f"“{entry.measure}”不是考评标准对网格员 {file.worker_id} {label}规定的处理措施{hint}；"
                    f"应落实的措施：{'、'.join(required)}"
                )
            problems.append(file.doc.problem((*loc, "measure"), message))
    return problems
