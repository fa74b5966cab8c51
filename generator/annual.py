"""The annual roll-up: means, the annual score, the 优秀 quota and the honors.

Each shown figure is rounded half-up to two decimals and computed from the
rounded figures shown before it: the monthly mean from the monthly totals,
then the annual score from the monthly mean and the review score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .datafiles import AnnualFile
from .models import Worker
from .numbers import ZERO, exact, round2, rounded_mean, rounded_mean_cents
from .rubric import Grade, Honor, Rubric, TieBreak
from .score import MonthlyResult, assign_ranks


@dataclass
class AnnualResult:
    worker: Worker
    year: int
    rubric: Rubric
    months: list[MonthlyResult]
    monthly_mean: Fraction
    category_means: dict[str, Fraction]
    review: AnnualFile | None
    review_score: Fraction | None
    total: Fraction
    vetoed: bool
    monthly_fails: int
    grade: Grade
    excellent_note: str = ""  # why 优秀 was or was not given, for explain
    honors: list[Honor] = field(default_factory=list)
    rank: int = 0
    community_rank: int = 0

    @property
    def worker_id(self) -> str:
        return self.worker.id

    @property
    def months_assessed(self) -> int:
        return len(self.months)

    def metric_total(self, reference: str) -> int:
        return sum(month.metric(reference) for month in self.months)

    def tie_break_values(self, tie_breaks: Sequence[TieBreak]) -> tuple[Fraction, ...]:
        values: list[Fraction] = []
        for tie in tie_breaks:
            if tie.category_mean is not None:
                values.append(self.category_means.get(tie.category_mean, ZERO))
            if tie.metric_total is not None:
                values.append(Fraction(self.metric_total(tie.metric_total)))
        return tuple(values)


@dataclass
class AnnualSummary:
    """A year's results plus the facts the pages and explain need about the quota."""

    year: int
    rubric: Rubric
    results: list[AnnualResult]
    assessed_workers: int
    quota: int
    candidates: int
    quota_exceeded: bool


def annual_result(
    worker: Worker, year: int, rubric: Rubric, months: list[MonthlyResult], review: AnnualFile | None
) -> AnnualResult:
    """One worker's year before the quota and honors (which need everyone's results)."""
    months = sorted(months, key=lambda result: result.month)
    monthly_mean = rounded_mean([month.total for month in months])
    category_means = {
        category.id: rounded_mean_cents(
            [cents for month in months if (cents := month.category_cents(category.id)) is not None]
        )
        for category in rubric.categories
    }
    review_score = exact(review.review.review_score) if review else None
    if review_score is None:
        total = monthly_mean
    else:
        rules = rubric.annual
        total = round2(exact(rules.monthly_weight) * monthly_mean + exact(rules.review_weight) * review_score)
    vetoed = any(month.vetoed for month in months)
    fail_grade = rubric.bottom_grade.id
    monthly_fails = sum(1 for month in months if month.grade.id == fail_grade)
    return AnnualResult(
        worker=worker,
        year=year,
        rubric=rubric,
        months=months,
        monthly_mean=monthly_mean,
        category_means=category_means,
        review=review,
        review_score=review_score,
        total=total,
        vetoed=vetoed,
        monthly_fails=monthly_fails,
        grade=rubric.grade_for(total, vetoed),
    )


def score_year(year: int, rubric: Rubric, results: list[AnnualResult]) -> AnnualSummary:
    """Apply eligibility, the 优秀 quota and the honors, then rank."""
    top = rubric.top_grade
    below_top = max((g for g in rubric.grades if g.min < top.min), key=lambda g: g.min, default=top)
    rules = rubric.annual
    candidates: list[AnnualResult] = []
    for result in results:
        if result.grade.id != top.id:
            if result.vetoed and result.total >= exact(top.min):
                result.excellent_note = f"有一票否决事件，等次最高为{result.grade.name}"
            continue
        reasons = []
        if result.months_assessed < rules.excellent_min_months:
            reasons.append(f"考评月数 {result.months_assessed} 个，不足 {rules.excellent_min_months} 个月")
        if result.monthly_fails:
            reasons.append(f"有 {result.monthly_fails} 个月度{rubric.bottom_grade.name}")
        if reasons:
            result.grade = below_top
            result.excellent_note = f"{'；'.join(reasons)}，不能评为{top.name}"
        else:
            candidates.append(result)

    assessed = len(results)
    quota = max(rules.excellent_quota_min, int(exact(rules.excellent_quota) * assessed))
    awarded = top_with_ties(candidates, quota, lambda r: (r.total, *r.tie_break_values(rules.tie_breaks)))
    within = {id(result) for result in awarded}  # by identity: comparing results field by field is slow
    for result in candidates:
        if id(result) in within:
            result.excellent_note = (
                f"{top.name}名额 {quota} 个（参评 {assessed} 人 × {rules.excellent_quota}），在名额内"
            )
        else:
            result.grade = below_top
            result.excellent_note = (
                f"{top.name}名额 {quota} 个已满（按年度得分及并列规则排序未进入名额），评为{below_top.name}"
            )
    quota_exceeded = len(awarded) > quota
    if quota_exceeded:
        for result in awarded:
            result.excellent_note += f"；名额边界并列，{len(awarded)} 人均评为{top.name}，超出名额"

    for honor in rubric.honors:
        for result in honor_holders(honor, rubric, results):
            result.honors.append(honor)

    assign_ranks(results, key=lambda r: r.total, community=lambda r: r.worker.community, set_rank=_set_rank)
    results.sort(key=lambda r: (r.rank, r.worker_id))
    return AnnualSummary(year, rubric, results, assessed, quota, len(candidates), quota_exceeded)


def _set_rank(result: AnnualResult, rank: int, community_rank: int) -> None:
    result.rank = rank
    result.community_rank = community_rank


def top_with_ties(results: list[AnnualResult], count: int, key: object) -> list[AnnualResult]:
    """The first ``count`` by ``key`` (highest first), plus everyone tied with the last of them."""
    ordered = sorted(results, key=lambda r: (_neg(key(r)), r.worker_id))  # type: ignore[operator]
    if count <= 0 or not ordered:
        return []
    if len(ordered) <= count:
        return ordered
    boundary = key(ordered[count - 1])  # type: ignore[operator]
    return [r for r in ordered if key(r) >= boundary]  # type: ignore[operator]


def _neg(values: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
    return tuple(-value for value in values)


def honor_holders(honor: Honor, rubric: Rubric, results: list[AnnualResult]) -> list[AnnualResult]:
    """Who earns ``honor`` this year (ties at the boundary all included)."""
    if honor.rule == "annual_excellent":
        return [r for r in results if r.grade.id == rubric.top_grade.id]
    assert honor.category is not None and honor.top is not None
    min_grade = rubric.grade_by_id[honor.min_grade].min if honor.min_grade else None
    eligible = [
        r
        for r in results
        if r.months_assessed >= honor.min_months
        and (min_grade is None or r.grade.min >= min_grade)
        and not (honor.no_veto and r.vetoed)
        and all(r.metric_total(metric) >= minimum for metric, minimum in honor.metric_total_min.items())
    ]
    category = honor.category
    return top_with_ties(eligible, honor.top, lambda r: (r.category_means[category],))
