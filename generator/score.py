"""Monthly scoring exactly as the rubric says: items, deductions, bonuses, grade, rank.

Every figure is a Fraction. An item is computed exactly from its metrics (the
terms are never rounded separately), its deductions are taken off, it is
floored at 0 and only then rounded half-up to two decimals. The total adds
the rounded items, so a resident can redo it with a calculator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, TypeVar

from .numbers import ZERO, integer_keys
from .periods import Month
from .rubric import Grade, Item, Rubric, Term
from .validate import Entry, EventEntry

T = TypeVar("T")


@dataclass(frozen=True)
class TermScore:
    term: Term
    value: Fraction  # exact, before any rounding
    part: int | None = None
    whole: int | None = None
    count: int | None = None


@dataclass(slots=True)
class ItemScore:
    item: Item
    counts: Any  # the item's metrics: a dict of counts, or a level id
    numerator: int  # the exact value before deductions, as numerator / denominator
    denominator: int
    deductions: list[tuple[EventEntry, Fraction]]
    cents: int  # max(0, exact − deductions), rounded half-up, in hundredths

    @property
    def score(self) -> Fraction:
        return Fraction(self.cents, 100)

    @property
    def exact(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    @property
    def level(self) -> str | None:
        return self.counts if self.item.method == "level" else None

    @property
    def terms(self) -> list[TermScore]:
        """Each addend of a formula item, for explanations (computed on demand)."""
        if self.item.method == "level":
            return []
        return [score_term(term, self.counts) for term in self.item.terms]

    @property
    def deducted(self) -> Fraction:
        return sum((points for _, points in self.deductions), ZERO)


@dataclass(slots=True)
class MonthlyResult:
    entry: Entry
    items: dict[str, ItemScore]
    categories: dict[str, Fraction]
    bonuses: list[tuple[EventEntry, Fraction]]
    bonus: Fraction  # capped
    total_deductions: list[tuple[EventEntry, Fraction]]
    total: Fraction
    vetoed: bool
    grade: Grade
    rank: int = 0
    community_rank: int = 0

    @property
    def worker_id(self) -> str:
        return self.entry.worker.id

    @property
    def month(self) -> Month:
        return self.entry.month

    @property
    def rubric(self) -> Rubric:
        return self.entry.rubric

    @property
    def bonus_uncapped(self) -> Fraction:
        return sum((points for _, points in self.bonuses), ZERO)

    @property
    def deductions(self) -> Fraction:
        return sum((points for _, points in self.total_deductions), ZERO)

    @property
    def items_sum(self) -> Fraction:
        return sum((item.score for item in self.items.values()), ZERO)

    @property
    def commendable_events(self) -> list[EventEntry]:
        return [event for event in self.entry.events if event.kind.commendable]

    @property
    def veto_events(self) -> list[EventEntry]:
        return [event for event in self.entry.events if event.kind.veto]

    def metric(self, reference: str) -> int:
        """A count such as ``warning_response.dissuaded``; 0 if this month's rubric lacks it."""
        item_id, _, name = reference.partition(".")
        value = self.entry.metrics.get(item_id)
        return value.get(name, 0) if isinstance(value, dict) else 0


def score_term(term: Term, counts: dict[str, int]) -> TermScore:
    points = term.points_exact
    if term.method == "ratio":
        assert term.part is not None and term.whole is not None
        part, whole = counts[term.part], counts[term.whole]
        if whole == 0:
            return TermScore(term, points, part, whole)  # no task this month: full points
        if term.cap_at_one and part > whole:
            return TermScore(term, points, part, whole)
        # one Fraction built from integers: points × part / whole
        value = Fraction(points.numerator * part, points.denominator * whole)
        return TermScore(term, value, part, whole)
    assert term.count is not None and term.per is not None
    count = counts[term.count]
    return TermScore(term, min(term.per_exact * count, points), count=count)


def score_item(
    item: Item, value: Any, exact_value: tuple[int, int], deductions: list[tuple[EventEntry, Fraction]]
) -> ItemScore:
    """Take the deductions off the item's exact value (see ``Rubric.exact_items``), then round once."""
    numerator, denominator = exact_value
    left_n, left_d = numerator, denominator
    for _, points in deductions:
        left_n, left_d = left_n * points.denominator - points.numerator * left_d, left_d * points.denominator
    cents = max(0, (left_n * 200 + left_d) // (2 * left_d))  # half-up; never below 0 (扣完为止)
    return ItemScore(item, value, numerator, denominator, deductions, cents)


_NO_DEDUCTIONS: list[tuple[EventEntry, Fraction]] = []  # shared, never appended to


def score_entry(entry: Entry) -> MonthlyResult:
    """Score one validated record (rank fields are filled in by ``score_month``)."""
    rubric = entry.rubric
    item_deductions: dict[str, list[tuple[EventEntry, Fraction]]] = {}
    bonuses: list[tuple[EventEntry, Fraction]] = []
    total_deductions: list[tuple[EventEntry, Fraction]] = []
    for event in entry.events:
        points = event.kind.points_for(event.parameter)
        if event.kind.effect == "item_deduction":
            assert event.kind.item is not None
            item_deductions.setdefault(event.kind.item, []).append((event, points))
        elif event.kind.effect == "bonus":
            bonuses.append((event, points))
        else:
            total_deductions.append((event, points))
    metrics = entry.metrics
    exact_items = entry.file.exact_items or rubric.exact_items(metrics)  # usually computed by the loader
    items = {
        item.id: score_item(item, metrics[item.id], exact_value, item_deductions.get(item.id, _NO_DEDUCTIONS))
        for item, exact_value in zip(rubric.items, exact_items, strict=True)
    }
    categories = {
        category: Fraction(sum(items[item].cents for item in members), 100)
        for category, members in rubric.category_item_ids
    }
    items_cents = sum(score.cents for score in items.values())
    if bonuses or total_deductions:
        bonus = min(sum((points for _, points in bonuses), ZERO), rubric.bonus_cap_exact)
        deducted = sum((points for _, points in total_deductions), ZERO)
        total = max(ZERO, Fraction(items_cents, 100) + bonus - deducted)
    else:  # most records: the total is just the items added up
        bonus, total = ZERO, Fraction(items_cents, 100)
    vetoed = any(event.kind.veto for event in entry.events)
    return MonthlyResult(
        entry=entry,
        items=items,
        categories=categories,
        bonuses=bonuses,
        bonus=bonus,
        total_deductions=total_deductions,
        total=total,
        vetoed=vetoed,
        grade=rubric.grade_for(total, vetoed),
    )


def score_month(entries: Iterable[Entry]) -> list[MonthlyResult]:
    """Score a month's records; ranked unit-wide and per community, sorted by rank then id."""
    results = [score_entry(entry) for entry in entries]
    assign_ranks(
        results,
        key=lambda r: r.total,
        community=lambda r: r.entry.worker.community,
        set_rank=_set_monthly_rank,
    )
    return sorted(results, key=lambda r: (r.rank, r.worker_id))


def _set_monthly_rank(result: MonthlyResult, rank: int, community_rank: int) -> None:
    result.rank = rank
    result.community_rank = community_rank


def competition_ranks(values: Sequence[Fraction]) -> list[int]:
    """Standard competition ranking, highest first: ties share a rank (1, 2, 2, 4)."""
    keys = integer_keys(values)
    order = sorted(range(len(keys)), key=keys.__getitem__, reverse=True)
    ranks = [0] * len(keys)
    for position, index in enumerate(order):
        if position and keys[index] == keys[order[position - 1]]:
            ranks[index] = ranks[order[position - 1]]
        else:
            ranks[index] = position + 1
    return ranks


def assign_ranks(
    results: list[T],
    key: Callable[[T], Fraction],
    community: Callable[[T], str],
    set_rank: Callable[[T, int, int], None],
) -> None:
    """Rank over the whole unit and within each community."""
    unit = competition_ranks([key(r) for r in results])
    groups: dict[str, list[int]] = {}
    for index, result in enumerate(results):
        groups.setdefault(community(result), []).append(index)
    community_rank = [0] * len(results)
    for indices in groups.values():
        for index, rank in zip(indices, competition_ranks([key(results[i]) for i in indices]), strict=True):
            community_rank[index] = rank
    for index, result in enumerate(results):
        set_rank(result, unit[index], community_rank[index])
