"""Gather the portal: every page as a template name plus a typed context.

Nothing is written here. The audience decides what a page may show: the
public site masks names without consent and never carries evidence, notes,
sanctions or 通报批评; the internal site shows everything.
"""

from __future__ import annotations

import functools
import html
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from typing import Any, Literal

from .annual import AnnualResult, AnnualSummary
from .datafiles import EventEntry, NoticeFile
from .explain import grade_rule, rounding_text, term_text
from .manifest import Provenance
from .models import NOTICE_KINDS, ROLE_LABELS, SiteIdentity, Worker
from .numbers import exact, fmt, fmt_cents, fmt_plain, round2
from .periods import Month, Year
from .privacy import mask_name
from .report import is_sealed
from .results import Results, Sanction
from .rows import NOTHING, AnnualRow, MonthlyRow, annual_rows, monthly_rows
from .rubric import Rubric
from .rubric_text import category_name, honor_rule, metric_label, veto_cap
from .score import MonthlyResult
from .validate import Dataset

Audience = Literal["public", "internal"]
AUDIENCES: tuple[Audience, ...] = ("public", "internal")
INTERNAL_NOTICE_KINDS = {"criticism"}
# Beside every unsealed month or year in titles, navigation and lists (PRODUCT.md §5: provisional is never final).
PROVISIONAL_TAG = "（暂定）"
# Beside a year whose honors the public build does not name yet.
IN_PROGRESS_TAG = "（评选进行中）"


@dataclass(frozen=True)
class WorkerRef:
    id: str
    name: str
    community: str
    grid: str
    page: str


@dataclass(frozen=True)
class Deed:
    worker: WorkerRef
    date: date
    kind: str
    summary: str | None  # None for a deduction in the public build: its narrative is internal (PRODUCT.md §5)
    points: str
    amount: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class MonthRow:
    rank: int
    community_rank: int
    worker: WorkerRef
    total: str
    grade: str
    grade_id: str
    bonus: str
    deductions: str
    vetoed: bool
    categories: list[str]
    community_id: str = ""
    tied: bool = False  # another worker has the same rank (并列)
    change: str = ""  # rank against the month before: ↑2, ↓1, 持平, 新 (no record then)


@dataclass(frozen=True)
class CommunitySummary:
    """One community in a month: how many were assessed, their mean, and how many got each grade."""

    name: str
    count: int
    mean: str
    grades: list[int]


@dataclass(frozen=True)
class YearRow:
    rank: int
    community_rank: int
    worker: WorkerRef
    months: int
    monthly_mean: str
    review: str | None
    total: str
    grade: str
    grade_id: str
    honors: list[str]
    vetoed: bool
    intervention_mean: str
    community_id: str = ""


@dataclass(frozen=True)
class ItemLine:
    name: str
    points: str
    lines: list[str]
    score: str


@dataclass(frozen=True)
class MonthDetail:
    month: str
    label: str
    ranking_page: str
    rubric_title: str
    rubric_page: str
    total: str
    grade: str
    grade_rule: str
    rank: int
    community_rank: int
    items: list[ItemLine]
    categories: list[tuple[str, str]]
    bonus: str
    bonus_note: str
    formula: str
    vetoed: bool
    notes: str | None
    assessed: str
    provisional: bool
    veto_cap: str = ""  # the highest grade a vetoed month can get
    unit_mean: str = ""  # the unit's mean total that month (SiteGatherer.unit_means)


@dataclass(frozen=True)
class OwnMonth:
    """One month in the table of a worker's page."""

    label: str
    ranking_page: str
    provisional: bool
    total: str
    grade: str
    vetoed: bool
    rank: int
    community_rank: int


@dataclass(frozen=True)
class MatrixRow:
    name: str
    points: str  # the most it can score, "" for a row with no maximum (bonus, deductions, total)
    cells: list[str]  # one per month of the matrix
    kind: str = ""  # "total" (the worker's total), "mean" (the unit's mean total that month)


@dataclass(frozen=True)
class ScoreMatrix:
    """A year's item scores on one page: items down, months across (one matrix per rubric edition in force)."""

    title: str
    rubric_title: str
    rubric_page: str
    months: list[str]  # column headings: "3月", with （暂定） while unsealed
    rows: list[MatrixRow]


@dataclass(frozen=True)
class MonthEvents:
    """One month's bonus and deduction events, for the list under the matrix."""

    label: str
    bonuses: list[Deed]
    deductions: list[Deed]


@dataclass(frozen=True)
class WorkerYear:
    """One year on a worker's page: grade and honors only where this audience may see them."""

    year: int
    row: AnnualRow
    honors: list[str]
    provisional: bool
    decided: bool  # the grade and honors are shown: the year is sealed, or the internal build


@dataclass(frozen=True)
class NoticeRef:
    slug: str
    page: str
    kind: str
    kind_label: str
    title: str
    number: str
    date: date
    period_label: str


@dataclass
class Page:
    """One Markdown page: where it goes, which template draws it, and with what."""

    path: str
    template: str
    title: str
    context: dict[str, Any]
    in_search: bool = True
    fragment: str | None = None  # an HTML template put into the page after MkDocs converts it (page_hook)
    # More context, computed only when the page is rendered: a county's worker pages would
    # otherwise hold every month's breakdown of every worker in memory at once.
    lazy: Callable[[], dict[str, Any]] | None = None

    def full_context(self) -> dict[str, Any]:
        return {**self.context, **self.lazy()} if self.lazy is not None else self.context


@dataclass
class Site:
    audience: Audience
    build_date: date
    unit_name: str
    unit_short: str
    pages: list[Page] = field(default_factory=list)
    nav: list[Any] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    site_url: str | None = None  # mkdocs.yml's site_url (set by build.render_site)
    identity: SiteIdentity | None = None  # organization.yaml's unit.site: the footer
    provenance: Provenance | None = None  # what produced it (build.render_site): the 核验 page and manifest.json


def relative(target: str, page: str) -> str:
    """A Markdown link from ``page`` to ``target`` (both docs-relative paths)."""
    return os.path.relpath(target, os.path.dirname(page) or ".").replace(os.sep, "/")


class SiteGatherer:
    """Turns results into page contexts for one audience."""

    def __init__(self, dataset: Dataset, results: Results, audience: Audience, build_date: date) -> None:
        self.dataset = dataset
        self.results = results
        self.audience = audience
        self.build_date = build_date
        self.internal = audience == "internal"
        org = dataset.organization
        self.community_names = {c.id: c.name for c in org.communities}
        self.grid_names = {(c.id, g.id): g.name for c in org.communities for g in c.grids}
        self.sanctions = results.sanctions() if self.internal else []

    # --- shared pieces --------------------------------------------------------

    def sealed(self, period: Month | Year) -> bool:
        return is_sealed(self.dataset, period)

    @functools.cached_property
    def unit_means(self) -> dict[Month, Fraction]:
        """Each month's mean total of all the unit's workers (rounded): computed once for every worker page."""
        means = {}
        for month in sorted(self.dataset.entries):
            totals = [r.total for r in self.results.month(month)]
            if totals:
                means[month] = round2(sum(totals, Fraction(0)) / len(totals))
        return means

    def honors_decided(self, year: int) -> bool:
        """Whether a year's honors and annual grades are shown: the public reads them only once the year is sealed."""
        return self.internal or self.sealed(Year(year))

    def sealed_months(self, year: int) -> int:
        return sum(1 for month in Year(year).months() if self.sealed(month))

    def tagged(self, label: str, period: Month | Year) -> str:
        """A period's label as lists and titles show it: ``2026年10月（暂定）`` while it is not sealed."""
        return label if self.sealed(period) else label + PROVISIONAL_TAG

    def name(self, worker: Worker) -> str:
        return worker.name if self.internal or worker.publish_name else mask_name(worker.name)

    def ref(self, worker: Worker) -> WorkerRef:
        return WorkerRef(
            id=worker.id,
            name=self.name(worker),
            community=self.community_names[worker.community],
            grid=self.grid_names.get((worker.community, worker.grid), worker.grid),
            page=f"workers/{worker.id}.md",
        )

    def deed(self, result: MonthlyResult, event: EventEntry, points: Fraction) -> Deed:
        raw = event.event
        return Deed(
            worker=self.ref(result.entry.worker),
            date=raw.date,
            kind=event.kind.name,
            summary=raw.summary,
            points=fmt_plain(points),
            amount=f"{raw.amount_yuan:,}" if raw.amount_yuan is not None else None,
            evidence=raw.evidence if self.internal else None,
        )

    def deduction(self, result: MonthlyResult, event: EventEntry, points: Fraction) -> Deed:
        """A deduction or veto event: the public sees its rubric name and points, never its summary."""
        deed = self.deed(result, event, points)
        return deed if self.internal else replace(deed, summary=None)

    def visible_notices(self) -> list[NoticeFile]:
        return visible_notices(self.dataset, self.audience)

    def notice_ref(self, file: NoticeFile) -> NoticeRef:
        notice = file.notice
        return NoticeRef(
            slug=file.stem,
            page=f"notices/{file.stem}.md",
            kind=notice.kind,
            kind_label=NOTICE_KINDS[notice.kind],
            title=notice.title,
            number=notice.number,
            date=notice.date,
            period_label=notice.period.label,
        )

    def rubric_page(self, rubric: Rubric) -> str:
        return f"rubric/{rubric.version}.md"

    # --- rows -----------------------------------------------------------------

    def month_rows(self, month: Month) -> list[MonthRow]:
        results = self.results.month(month)
        before = month.previous()
        earlier = {r.worker_id: r.rank for r in self.results.month(before)} if before in self.dataset.entries else None
        shared = Counter(r.rank for r in results)
        return [
            MonthRow(
                rank=row.rank,
                community_rank=row.community_rank,
                worker=self.ref(r.entry.worker),
                total=row.total,
                grade=row.grade,
                grade_id=row.grade_id,
                bonus=row.bonus,
                deductions=row.deductions,
                vetoed=row.vetoed,
                categories=list(row.categories.values()),
                community_id=row.community,
                tied=shared[row.rank] > 1,
                change=_rank_change(earlier, row.worker, row.rank),
            )
            for r, row in zip(results, monthly_rows(results), strict=True)
        ]

    def community_summaries(self, month: Month, rubric: Rubric) -> list[CommunitySummary]:
        """Each community's month, in the organization's order (communities without records left out)."""
        by_community: dict[str, list[MonthlyResult]] = {}
        for r in self.results.month(month):
            by_community.setdefault(r.entry.worker.community, []).append(r)
        summaries = []
        for community in self.dataset.organization.communities:
            members = by_community.get(community.id)
            if not members:
                continue
            mean = sum((r.total for r in members), Fraction(0)) / len(members)
            grades = [sum(1 for r in members if r.grade.id == grade.id) for grade in rubric.grades]
            summaries.append(CommunitySummary(community.name, len(members), fmt(round2(mean)), grades))
        return summaries

    def year_rows(self, summary: AnnualSummary) -> list[YearRow]:
        """A year's ranking; annual grades and honors are left out while the public may not see them."""
        intervention = _intervention_category(summary.rubric)
        decided = self.honors_decided(summary.year)
        return [
            YearRow(
                rank=row.rank,
                community_rank=row.community_rank,
                worker=self.ref(r.worker),
                months=row.months_assessed,
                monthly_mean=row.monthly_mean,
                review=row.review_score,
                total=row.total,
                grade=row.grade if decided else "",
                grade_id=row.grade_id if decided else "",
                honors=row.honors if decided else [],
                vetoed=row.vetoed,
                intervention_mean=row.category_means.get(intervention, NOTHING),
                community_id=row.community,
            )
            for r, row in zip(summary.results, annual_rows(summary), strict=True)
        ]

    def honor_deeds(self, result: AnnualResult) -> list[Deed]:
        return [
            self.deed(month, event, event.kind.points_for(event.parameter))
            for month in result.months
            for event in month.commendable_events
        ]

    # --- worker detail ----------------------------------------------------------

    def month_detail(self, result: MonthlyResult) -> MonthDetail:
        rubric = result.rubric
        items = []
        for item in rubric.items:
            score = result.items[item.id]
            lines: list[str] = []
            points = fmt_plain(item.points_exact)
            exact_value = score.exact
            if score.level is not None:
                level = rubric.level_by_id[score.level]
                lines.append(
                    f"评定等级：{level.label} → {points} × {fmt_plain(level.ratio_exact)} = {fmt_plain(exact_value)}"
                )
            else:
                lines.extend(f"{term.term.label}：{term_text(item.fields, term)}" for term in score.terms)
            for event, deducted in score.deductions:
                lines.append(f"扣分 −{fmt_plain(deducted)}：{event.kind.name}")
            value = exact_value
            if score.deductions:
                value = max(Fraction(0), exact_value - score.deducted)
                lines.append(f"{fmt_plain(exact_value)} − {fmt_plain(score.deducted)}，扣完为止")
            lines.append(f"得分：{rounding_text(value, score.score)}")
            items.append(ItemLine(item.name, points, lines, fmt_cents(score.cents)))
        cap = exact(rubric.bonus_cap)
        uncapped = result.bonus_uncapped
        bonus_note = f"合计 +{fmt_plain(uncapped)}，超过每月上限，按 +{fmt(result.bonus)} 计" if uncapped > cap else ""
        parts = " + ".join(fmt(value) for value in result.categories.values())
        formula = f"{parts} + {fmt(result.bonus)}"
        if result.total_deductions:
            formula += f" − {fmt(result.deductions)}"
        formula += f" = {fmt(result.total)}"
        record = result.entry.record
        assessor = next(a for a in self.dataset.organization.assessors if a.id == record.assessed_by)
        return MonthDetail(
            month=str(result.month),
            label=result.month.label,
            ranking_page=f"rankings/{result.month}.md",
            rubric_title=rubric.title,
            rubric_page=self.rubric_page(rubric),
            total=fmt(result.total),
            grade=result.grade.name,
            grade_rule=grade_rule(rubric, result.grade.id),
            rank=result.rank,
            community_rank=result.community_rank,
            items=items,
            categories=[(c.name, fmt(result.categories[c.id])) for c in rubric.categories],
            bonus=fmt(result.bonus),
            bonus_note=bonus_note,
            formula=formula,
            vetoed=result.vetoed,
            notes=record.notes if self.internal else None,
            assessed=f"{assessor.name}（{assessor.org}），{record.assessed_on}"
            if self.internal
            else str(record.assessed_on),
            provisional=not self.sealed(result.month),
            veto_cap=veto_cap(rubric),
            unit_mean=fmt(self.unit_means[result.month]),
        )

    def month_row_own(self, result: MonthlyResult, row: MonthlyRow) -> OwnMonth:
        return OwnMonth(
            result.month.label,
            f"rankings/{result.month}.md",
            not self.sealed(result.month),
            row.total,
            row.grade,
            row.vetoed,
            row.rank,
            row.community_rank,
        )

    def score_matrices(self, results: list[MonthlyResult], rows: list[MonthlyRow]) -> list[ScoreMatrix]:
        """A worker's months, in order, as one matrix per year and rubric edition."""
        groups: list[list[tuple[MonthlyResult, MonthlyRow]]] = []
        for result, row in zip(results, rows, strict=True):
            last = groups[-1][-1][0] if groups else None
            if last is not None and last.month.year == result.month.year and last.rubric is result.rubric:
                groups[-1].append((result, row))
            else:
                groups.append([(result, row)])
        per_year = Counter(group[0][0].month.year for group in groups)
        return [self._matrix(group, split=per_year[group[0][0].month.year] > 1) for group in groups]

    def _matrix(self, group: list[tuple[MonthlyResult, MonthlyRow]], split: bool) -> ScoreMatrix:
        rubric = group[0][0].rubric
        rows = [
            MatrixRow(item.name, fmt_plain(item.points_exact), [row.items[item.id] for _, row in group])
            for item in rubric.items
        ]
        rows.append(MatrixRow("加分", fmt_plain(exact(rubric.bonus_cap)), [row.bonus for _, row in group]))
        rows.append(MatrixRow("扣分", "", [row.deductions for _, row in group]))
        rows.append(MatrixRow("总分", "", [row.total for _, row in group], "total"))
        mean = f"全{self.dataset.organization.unit.short}平均"
        rows.append(MatrixRow(mean, "", [fmt(self.unit_means[r.month]) for r, _ in group], "mean"))
        first, last = group[0][0].month, group[-1][0].month
        # A year scored by two editions of the rubric has a matrix for each: say which months.
        title = f"{first.year}年" + (f"{first.month}—{last.month}月" if split else "")
        return ScoreMatrix(
            title,
            rubric.title,
            self.rubric_page(rubric),
            [self.tagged(f"{r.month.month}月", r.month) for r, _ in group],
            rows,
        )

    def month_events(self, result: MonthlyResult) -> MonthEvents | None:
        if not result.entry.events:  # most months: no need to build the month's explanation (rows.py)
            return None
        bonuses = [self.deed(result, e, p) for e, p in result.bonuses]
        deductions = [self.deduction(result, e, p) for e, p in result.total_deductions]
        deductions += [self.deduction(result, e, p) for s in result.items.values() for e, p in s.deductions]
        return (
            MonthEvents(self.tagged(result.month.label, result.month), bonuses, deductions)
            if bonuses or deductions
            else None
        )

    def worker_sanctions(self, worker_id: str) -> list[tuple[Sanction, str]]:
        """A worker's sanctions, each with its period as shown (暂定 while the period is not sealed)."""
        return [(s, self.tagged(str(s.period), s.period)) for s in self.sanctions if s.worker_id == worker_id]


def _intervention_category(rubric: Rubric) -> str:
    """The category whose mean the honors and tie-breaks use (反诈能手's category)."""
    for honor in rubric.honors:
        if honor.category:
            return honor.category
    return rubric.categories[0].id


def visible_notices(dataset: Dataset, audience: Audience) -> list[NoticeFile]:
    """The notices ``audience`` may read: the public never sees 通报批评."""
    return [n for n in dataset.notices if audience == "internal" or n.notice.kind not in INTERNAL_NOTICE_KINDS]


def role_label(worker: Worker) -> str:
    return ROLE_LABELS[worker.role]


# Files of the site besides its pages (render.data_files, render.rss_feed): notice bodies may link to them.
DATA_FILES = ("data/results.json", "data/monthly.csv", "data/annual.csv", "notices/feed.xml")


def site_files(site: Site) -> set[str]:
    """The docs paths of everything the build writes: what a link inside the site may name."""
    return {page.path for page in site.pages} | set(DATA_FILES)


def escaped_nav(nav: Any) -> Any:
    """The navigation with every title HTML-escaped: Material writes nav titles into every page unescaped."""
    if isinstance(nav, list):
        return [escaped_nav(item) for item in nav]
    if isinstance(nav, dict):
        return {html.escape(str(title), quote=True): escaped_nav(value) for title, value in nav.items()}
    return nav


@dataclass(frozen=True)
class SealStatus:
    sealed_on: date | None
    corrections: list[NoticeRef]


def _assessed_text(months: list[Month], left: Month | None) -> str:
    """考评期间 on a worker page: the months with records (not the date the worker joined)."""
    if not months:
        return "暂无考评记录"
    first, last = months[0], months[-1]
    if first == last:
        return first.label
    return f"{first.label}至{last.label}" if left is not None else f"{first.label}起"


def _seal_status(g: SiteGatherer, period: str) -> SealStatus:
    seal_file = g.dataset.seals.get(period)
    if seal_file is None:
        return SealStatus(None, [])
    corrections = [
        g.notice_ref(n) for n in g.dataset.notices if n.notice.kind == "correction" and str(n.notice.period) == period
    ]
    return SealStatus(seal_file.seal.sealed_on, corrections)


@dataclass(frozen=True)
class PeriodLink:
    label: str
    page: str


@dataclass(frozen=True)
class MonthCommendation:
    """A month's 通报表扬 as the 光荣榜 lists it: the notice, and the names it publishes."""

    label: str
    notice: NoticeRef
    excellent: NamedList
    deeds: int


def _issued_commendations(g: SiteGatherer, notices: list[NoticeFile], count: int) -> list[MonthCommendation]:
    """The latest ``count`` months (newest first) for which a commendation notice was issued.

    The names are the notice's own lists (computed from the sealed results), so the 光荣榜 and the
    notice always agree; a month with 优秀 workers but no notice is not a 通报表扬.
    """
    issued: dict[Month, NoticeFile] = {}
    for file in sorted(notices, key=lambda f: (f.notice.date, f.stem)):
        period = file.notice.period
        if file.notice.kind == "commendation" and isinstance(period, Month):
            issued.setdefault(period, file)
    found = []
    for month in sorted(issued, reverse=True)[:count]:
        file = issued[month]
        excellent, *rest = _notice_lists(g, file) or [NamedList("", [])]
        deeds = sum(len(named.deeds) for named in rest)
        found.append(MonthCommendation(month.label, g.notice_ref(file), excellent, deeds))
    return found


def _quota_text(summary: AnnualSummary) -> str:
    rubric = summary.rubric
    top = rubric.top_grade.name
    text = (
        f"{top}名额：参评 {summary.assessed_workers} 人 × {fmt_plain(exact(rubric.annual.excellent_quota))}"
        f"（向下取整，至少 {rubric.annual.excellent_quota_min} 人）= {summary.quota} 人"
    )
    if summary.quota_exceeded:
        awarded = sum(1 for r in summary.results if r.grade.id == rubric.top_grade.id)
        text += f"；名额边界并列，实际 {awarded} 人评为{top}，超出名额"
    return text


def _rank_change(earlier: dict[str, int] | None, worker: str, rank: int) -> str:
    if earlier is None:
        return ""  # no month before: nothing to compare with
    if worker not in earlier:
        return "新"
    moved = earlier[worker] - rank
    return "持平" if moved == 0 else (f"↑{moved}" if moved > 0 else f"↓{-moved}")


def _grade_counts(results: list[MonthlyResult], rubric: Rubric) -> list[tuple[str, int]]:
    return [(grade.name, sum(1 for r in results if r.grade.id == grade.id)) for grade in rubric.grades]


@dataclass(frozen=True)
class HonorEntry:
    worker: WorkerRef
    total: str
    intervention_mean: str
    dissuaded: int
    deeds: list[Deed]


@dataclass(frozen=True)
class HonorList:
    id: str
    name: str
    description: str
    entries: list[HonorEntry]
    mean_label: str = ""  # what ``HonorEntry.intervention_mean`` is, in the rubric's words
    metric_label: str = ""  # what ``HonorEntry.dissuaded`` counts


@dataclass(frozen=True)
class YearHonors:
    """A year's 光荣榜: its honor lists once they may be shown, else how far the year has come."""

    year: int
    sealed: bool
    decided: bool  # names are shown: the year is sealed, or the internal build (marked 暂定 until sealed)
    sealed_months: int
    months: int  # months in the year
    rules: list[tuple[str, str]]  # the rubric's honors (name, description), 反诈能手 first
    lists: list[HonorList]  # empty while not decided

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.rules]

    @property
    def tag(self) -> str:
        if self.sealed:
            return ""
        return PROVISIONAL_TAG if self.decided else IN_PROGRESS_TAG


def _year_honors(g: SiteGatherer, summary: AnnualSummary) -> YearHonors:
    decided = g.honors_decided(summary.year)
    return YearHonors(
        year=summary.year,
        sealed=g.sealed(Year(summary.year)),
        decided=decided,
        sealed_months=g.sealed_months(summary.year),
        months=len(Year(summary.year).months()),
        rules=[(honor.name, honor_rule(summary.rubric, honor)) for honor in reversed(summary.rubric.honors)],
        lists=_honor_lists(g, summary) if decided else [],
    )


def _honor_lists(g: SiteGatherer, summary: AnnualSummary) -> list[HonorList]:
    intervention = _intervention_category(summary.rubric)
    dissuaded_metric = next(
        (tie.metric_total for tie in summary.rubric.annual.tie_breaks if tie.metric_total), "warning_response.dissuaded"
    )
    lists = []
    for honor in reversed(summary.rubric.honors):  # 反诈能手 first, then 优秀网格员
        holders = [r for r in summary.results if honor in r.honors]
        if honor.rule == "top_category_mean":
            holders.sort(key=lambda r: (-r.category_means[intervention], r.worker_id))
        lists.append(
            HonorList(
                honor.id,
                honor.name,
                honor_rule(summary.rubric, honor),
                [
                    HonorEntry(
                        g.ref(r.worker),
                        fmt(r.total),
                        fmt(r.category_means.get(intervention, Fraction(0))),
                        r.metric_total(dissuaded_metric),
                        g.honor_deeds(r),
                    )
                    for r in holders
                ],
                mean_label=f"{category_name(summary.rubric, intervention)}月均分",
                metric_label=f"全年{metric_label(summary.rubric, dissuaded_metric)}",
            )
        )
    return lists


@dataclass(frozen=True)
class NamedList:
    title: str
    rows: list[tuple[WorkerRef, str]]
    deeds: list[Deed] = field(default_factory=list)


def _notice_lists(g: SiteGatherer, file: NoticeFile) -> list[NamedList]:
    """The names a notice publishes, computed from the results (never typed into the notice)."""
    notice = file.notice
    period = notice.period
    results = g.results
    if notice.kind == "criticism":
        months = [period] if isinstance(period, Month) else Year(period.year).months()
        rows = []
        for month in months:
            for r in results.month(month):
                for event in r.veto_events:
                    rows.append(
                        (g.ref(r.entry.worker), f"{event.kind.name}（{event.event.date}）：{event.event.summary}")
                    )
        return [NamedList("通报批评对象", rows)]
    if notice.kind == "correction":
        return []
    seal_file = g.dataset.seals.get(str(period))
    if seal_file is not None:
        sealed = seal_file.seal.current()
    elif notice.kind == "publicity":  # a 公示 comes before the seal: its list is the proposed one (拟), marked so
        from .seal import figures

        sealed = figures(results, period)
    else:  # check refuses a commendation of an unsealed period
        return []
    workers = g.dataset.workers
    if isinstance(period, Month):
        commendation = results.commendation(period)
        rubric = g.dataset.rubric_for(period)
        top_name = rubric.top_grade.name if rubric else "优秀"
        excellent = NamedList(
            f"考评{top_name}的网格员",
            [
                (g.ref(workers[worker_id]), f"{values['total']} 分")
                for worker_id, values in sorted(sealed.items(), key=lambda item: (item[1]["rank"], item[0]))
                if values.get("grade") == top_name
            ],
        )
        deeds = NamedList(
            "突出事迹",
            [],
            [g.deed(r, e, e.kind.points_for(e.parameter)) for r, e in commendation.deeds],
        )
        return [excellent, deeds]
    summary = results.year(period.year)
    by_id = {r.worker_id: r for r in summary.results}
    lists = []
    for honor in reversed(summary.rubric.honors):
        holders = sorted(
            (worker_id for worker_id, values in sealed.items() if honor.name in values.get("honors", [])),
            key=lambda worker_id: (sealed[worker_id]["rank"], worker_id),
        )
        lists.append(
            NamedList(
                honor.name,
                [(g.ref(workers[w]), f"年度得分 {sealed[w]['total']} 分") for w in holders],
                [deed for w in holders if w in by_id for deed in g.honor_deeds(by_id[w])],
            )
        )
    return lists


@dataclass(frozen=True)
class CorrectionRow:
    worker: WorkerRef
    field: str
    old: str
    new: str


def _correction_rows(g: SiteGatherer, file: NoticeFile) -> list[CorrectionRow]:
    from .seal import correction_changes, label, rubric_names, show_change

    if file.notice.kind != "correction":
        return []
    names = rubric_names(g.dataset, file.notice.period)
    return [
        CorrectionRow(g.ref(g.dataset.workers[d.worker]), label(d.field, names), *show_change(d))
        for d in correction_changes(g.dataset, g.results, file)
        if d.worker in g.dataset.workers
    ]
