"""The internal site's 奖惩台账 pages (§10): what each period pays, by community, and
whether every measure the rubric calls for was carried out. View models only: the
section builder (``site_sections.ledger``) places them, the templates draw them.
Every text here is data and is escaped by the templates; no amount reaches the public build.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .ledger import Ledger, LedgerEntry, Measure, money
from .periods import Month, Period
from .site import SiteGatherer, WorkerRef


@dataclass(frozen=True)
class LedgerLine:
    worker: WorkerRef
    grade: str
    monthly: str
    events: str
    honors: str
    total: str


@dataclass(frozen=True)
class CommunityBlock:
    name: str
    lines: list[LedgerLine]
    total: str


@dataclass(frozen=True)
class EventReward:
    worker: WorkerRef
    what: str
    on: date | None
    amount: str


@dataclass(frozen=True)
class MeasureLine:
    worker: WorkerRef
    measure: str
    reasons: str
    due: date | None
    state: str  # done | pending | overdue | provisional
    state_label: str
    done_on: date | None
    by: str  # the assessor who carried it out, by name and unit
    note: str
    period_label: str
    period_page: str


@dataclass(frozen=True)
class LedgerPage:
    """One period's ledger as its page shows it."""

    period: Period
    page: str
    label: str  # 2026年3月, with （暂定） while unsealed
    sealed: bool
    is_year: bool
    has_rewards: bool
    currency: str
    rubric_title: str
    rubric_page: str
    communities: list[CommunityBlock]
    workers: int
    total: str
    event_rewards: list[EventReward]
    measures: list[MeasureLine]

    def count(self, state: str) -> int:
        return sum(1 for m in self.measures if m.state == state)


def ledger_page_path(period: Period) -> str:
    return f"internal/ledger/{period}.md"


def ledger_page(g: SiteGatherer, ledger: Ledger) -> LedgerPage:
    period = ledger.period
    blocks = [
        CommunityBlock(community.name, [_line(g, entry) for entry in entries], money(total))
        for community, entries, total in ledger.by_community()
    ]
    event_rewards = [
        EventReward(g.ref(entry.worker), reward.what, reward.on, money(reward.amount))
        for entry in ledger.entries
        for reward in entry.rewards
        if reward.kind == "event"
    ]
    return LedgerPage(
        period=period,
        page=ledger_page_path(period),
        label=g.tagged(period.label, period),
        sealed=ledger.sealed,
        is_year=not isinstance(period, Month),
        has_rewards=ledger.has_rewards,
        currency=ledger.currency,
        rubric_title=ledger.rubric.title,
        rubric_page=g.rubric_page(ledger.rubric),
        communities=blocks,
        workers=len(ledger.entries),
        total=money(ledger.total),
        event_rewards=event_rewards,
        measures=[measure_line(g, m) for m in ledger.measures],
    )


def _line(g: SiteGatherer, entry: LedgerEntry) -> LedgerLine:
    return LedgerLine(
        g.ref(entry.worker),
        entry.grade.name,
        money(entry.monthly),
        money(entry.events),
        money(entry.honors),
        money(entry.total),
    )


def measure_line(g: SiteGatherer, m: Measure) -> MeasureLine:
    by = f"{m.by.name}（{m.by.org}）" if m.by else (m.done.by if m.done else "")
    return MeasureLine(
        worker=g.ref(m.worker),
        measure=m.measure,
        reasons="；".join(m.reasons),
        due=m.due,
        state=m.state,
        state_label=m.state_label,
        done_on=m.done.done_on if m.done else None,
        by=by,
        note=(m.done.note or "") if m.done else "",
        period_label=g.tagged(m.period.label, m.period),
        period_page=ledger_page_path(m.period),
    )
