"""Monthly scoring exactly as the rubric says: items, deductions, bonuses, grade, rank.

Every figure is a Fraction. An item is computed exactly from its metrics (the
terms are never rounded separately), its deductions are taken off, it is
floored at 0 and only then rounded half-up to two decimals. The total adds
the rounded items, so a resident can redo it with a calculator.

A record is scored on its own when it is loaded (``score_record``, plain
integers in a ``RecordScore``); ``score_month`` only wraps those and ranks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, NamedTuple, TypeVar

from .datafiles import Entry, EventEntry
from .numbers import ZERO, integer_keys
from .periods import Month
from .rubric import Grade, Item, Rubric, Term

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


class RecordScore(NamedTuple):
    """What one record scores on its own, everything but its rank, in plain integers.

    The loader computes it with the file, on every core, and the cache keeps it;
    it holds no rubric objects, only numbers in the rubric's order (a tuple: a
    county's worth unpickles fast).
    """

    items: tuple[tuple[int, int, int], ...]  # each item: exact value (numerator, denominator), then cents
    category_cents: tuple[int, ...]  # each category: its items' cents added up
    total: tuple[int, int]  # numerator, denominator
    vetoed: bool
    grade: str  # the grade's id


@dataclass(slots=True)
class _Details:
    """How a total came about, for explanations and pages (built on demand)."""

    items: dict[str, ItemScore]
    bonuses: list[tuple[EventEntry, Fraction]]
    bonus: Fraction  # capped
    total_deductions: list[tuple[EventEntry, Fraction]]


@dataclass(slots=True)
class MonthlyResult:
    entry: Entry
    scored: RecordScore
    total: Fraction
    grade: Grade
    rank: int = 0
    community_rank: int = 0
    _details: _Details | None = field(default=None, compare=False, repr=False)  # see ``details``

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
    def vetoed(self) -> bool:
        return self.scored.vetoed

    @property
    def categories(self) -> dict[str, Fraction]:
        return {
            category.id: Fraction(cents, 100)
            for category, cents in zip(self.rubric.categories, self.scored.category_cents, strict=True)
        }

    def category_cents(self, category_id: str) -> int | None:
        """A category's score in hundredths; None if this month's rubric has no such category."""
        position = self.rubric.category_position.get(category_id)
        return None if position is None else self.scored.category_cents[position]

    @property
    def details(self) -> _Details:
        if self._details is None:
            self._details = _details(self.entry, self.scored)
        return self._details

    @property
    def items(self) -> dict[str, ItemScore]:
        return self.details.items

    @property
    def bonuses(self) -> list[tuple[EventEntry, Fraction]]:
        return self.details.bonuses

    @property
    def bonus(self) -> Fraction:
        return self.details.bonus

    @property
    def total_deductions(self) -> list[tuple[EventEntry, Fraction]]:
        return self.details.total_deductions

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


def _cents(numerator: int, denominator: int, deductions: list[tuple[EventEntry, Fraction]]) -> int:
    """An item's exact value less its deductions, floored at 0 (扣完为止), rounded half-up to hundredths."""
    for _, points in deductions:
        numerator, denominator = (
            numerator * points.denominator - points.numerator * denominator,
            denominator * points.denominator,
        )
    return max(0, (numerator * 200 + denominator) // (2 * denominator))


_NO_DEDUCTIONS: list[tuple[EventEntry, Fraction]] = []  # shared, never appended to


def _sort_events(
    events: list[EventEntry],
) -> tuple[
    dict[str, list[tuple[EventEntry, Fraction]]], list[tuple[EventEntry, Fraction]], list[tuple[EventEntry, Fraction]]
]:
    """Each event's points, by effect: deductions by item, bonuses, deductions from the total."""
    item_deductions: dict[str, list[tuple[EventEntry, Fraction]]] = {}
    bonuses: list[tuple[EventEntry, Fraction]] = []
    total_deductions: list[tuple[EventEntry, Fraction]] = []
    for event in events:
        points = event.kind.points_for(event.parameter)
        if event.kind.effect == "item_deduction":
            assert event.kind.item is not None
            item_deductions.setdefault(event.kind.item, []).append((event, points))
        elif event.kind.effect == "bonus":
            bonuses.append((event, points))
        else:
            total_deductions.append((event, points))
    return item_deductions, bonuses, total_deductions


def score_record(rubric: Rubric, metrics: dict[str, Any], events: list[EventEntry]) -> RecordScore:
    """Score one record that is valid on its own: everything but its rank."""
    item_deductions, bonuses, total_deductions = _sort_events(events)
    items = tuple(
        (numerator, denominator, _cents(numerator, denominator, item_deductions.get(item.id, _NO_DEDUCTIONS)))
        for item, (numerator, denominator) in zip(rubric.items, rubric.exact_items(metrics), strict=True)
    )
    cents_by_item = {item.id: cents for item, (_, _, cents) in zip(rubric.items, items, strict=True)}
    category_cents = tuple(sum(cents_by_item[item] for item in members) for _, members in rubric.category_item_ids)
    items_cents = sum(cents for _, _, cents in items)
    total = Fraction(items_cents, 100)
    if bonuses or total_deductions:
        bonus = _capped_bonus(rubric, bonuses)
        deducted = sum((points for _, points in total_deductions), ZERO)
        total = max(ZERO, total + bonus - deducted)
    vetoed = any(event.kind.veto for event in events)
    grade = rubric.grade_for(total, vetoed)
    return RecordScore(items, category_cents, (total.numerator, total.denominator), vetoed, grade.id)


def _details(entry: Entry, scored: RecordScore) -> _Details:
    rubric = entry.rubric
    item_deductions, bonuses, total_deductions = _sort_events(entry.events)
    items = {
        item.id: ItemScore(
            item, entry.metrics[item.id], numerator, denominator, item_deductions.get(item.id, _NO_DEDUCTIONS), cents
        )
        for item, (numerator, denominator, cents) in zip(rubric.items, scored.items, strict=True)
    }
    return _Details(items, bonuses, _capped_bonus(rubric, bonuses), total_deductions)


def _capped_bonus(rubric: Rubric, bonuses: list[tuple[EventEntry, Fraction]]) -> Fraction:
    """The month's bonuses added up, at most the rubric's cap."""
    return min(sum((points for _, points in bonuses), ZERO), rubric.bonus_cap_exact)


def score_entry(entry: Entry) -> MonthlyResult:
    """One validated record's result (rank fields are filled in by ``score_month``)."""
    scored = entry.file.score  # computed by the loader, or taken from the cache
    if scored is None:
        scored = score_record(entry.rubric, entry.metrics, entry.events)
    numerator, denominator = scored.total
    return MonthlyResult(entry, scored, Fraction(numerator, denominator), entry.rubric.grade_by_id[scored.grade])


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
