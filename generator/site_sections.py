"""The portal's sections, one builder each: home, rankings, honor rolls, notices, rubric, workers, open data.

Each builder takes the gatherer (``site.SiteGatherer``: the dataset, the results, the audience and
the view-model helpers) and returns its pages and its entry in the navigation; ``gather_site`` puts them
together in the order residents meet them. Nothing is written here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from .annual import AnnualSummary
from .chart import TrendPoint
from .datafiles import NoticeFile
from .errors import Problem
from .ledger import build_ledger, period_measures
from .ledger_site import LedgerPage, ledger_page, measure_line
from .manifest import Provenance
from .models import Worker
from .notice_body import has_scheme as _has_scheme
from .notice_body import link_problems, links, located, resolver, to_html
from .notice_print import layout as notice_layout
from .objections import statement_for
from .periods import Month, Year
from .results import Results
from .rows import annual_row, monthly_rows
from .site import (
    AUDIENCES,
    Audience,
    Page,
    PeriodLink,
    Site,
    SiteGatherer,
    WorkerYear,
    YearHonors,
    _assessed_text,
    _correction_rows,
    _grade_counts,
    _issued_commendations,
    _notice_lists,
    _quota_text,
    _seal_status,
    _year_honors,
    escaped_nav,
    role_label,
    site_files,
    visible_notices,
)
from .validate import Dataset


@dataclass
class Section:
    """A section's pages and its entry in the navigation (None: reached by links only, like worker pages)."""

    pages: list[Page] = field(default_factory=list)
    nav: dict[str, Any] | None = None


@dataclass
class Periods:
    """What several sections share: the periods newest first, each year's summary and honors, the notices."""

    months: list[Month]
    years: list[int]
    summaries: dict[int, AnnualSummary]
    honors: dict[int, YearHonors]
    notices: list[NoticeFile]

    @classmethod
    def of(cls, g: SiteGatherer) -> Periods:
        years = list(reversed(g.dataset.years()))
        summaries = {year: g.results.year(year) for year in years}
        return cls(
            months=list(reversed(g.dataset.months())),
            years=years,
            summaries=summaries,
            honors={year: _year_honors(g, summaries[year]) for year in years},
            notices=g.visible_notices(),
        )


def gather_site(
    dataset: Dataset,
    results: Results,
    audience: Audience,
    build_date: date,
    origin: Provenance | None = None,
    repo_url: str | None = None,
) -> Site:
    """Every page of the portal for one audience, with its navigation (and the 核验 page, given ``origin``)."""
    g = SiteGatherer(dataset, results, audience, build_date)
    org = dataset.organization
    site = Site(g.audience, g.build_date, org.unit.name, org.unit.short)
    periods = Periods.of(g)
    page = functools.partial(_page, {"audience": g.audience, "unit": org.unit, "build_date": g.build_date})
    sections = [
        home(g, periods, page),
        rankings(g, periods, page),
        honors(g, periods, page),
        notices(g, periods, page, site),
        rubrics(g, periods, page),
        workers(g, page),
        open_data(g, periods, page),
    ]
    if origin is not None:
        sections.append(verification(page, origin, repo_url))
    if g.internal:
        sections.append(internal(g, periods, page))
    for section in sections:
        site.pages.extend(section.pages)
    site.nav = escaped_nav([section.nav for section in sections if section.nav is not None])
    return site


PageMaker = Callable[..., Page]


def _page(
    common: dict[str, Any],
    path: str,
    template: str,
    title: str,
    in_search: bool = True,
    fragment: str | None = None,
    lazy: Callable[[], dict[str, Any]] | None = None,
    **context: Any,
) -> Page:
    return Page(path, template, title, {**common, **context}, in_search, fragment, lazy)


def _in_force(g: SiteGatherer, periods: Periods) -> Any:
    """The rubric of the latest month with records (the latest edition when there is none)."""
    latest = periods.months[0] if periods.months else None
    return (g.dataset.rubric_for(latest) if latest else None) or g.dataset.rubrics[-1].rubric


def home(g: SiteGatherer, periods: Periods, page: PageMaker) -> Section:
    months, years = periods.months, periods.years
    latest = months[0] if months else None
    # The headline is the latest sealed month; months after it are still provisional and only linked.
    headline = next((m for m in months if g.sealed(m)), None)
    # The latest year, and back to the latest year whose honors are decided (a year in progress names nobody).
    home_years = []
    for year in years:
        home_years.append(periods.honors[year])
        if periods.honors[year].decided:
            break
    index = page(
        "index.md",
        "home.md.j2",
        "首页",
        headline=headline,
        headline_rows=g.month_rows(headline)[:10] if headline else [],
        headline_count=len(g.results.month(headline)) if headline else 0,
        provisional_months=[
            PeriodLink(m.label, f"rankings/{m}.md") for m in months if headline is None or m > headline
        ],
        years=home_years,
        notices=[g.notice_ref(n) for n in reversed(periods.notices)][:5],
        communities=[c.name for c in g.dataset.organization.communities],
        workers=sum(1 for w in g.dataset.organization.workers if latest and w.active_in(latest)),
        rubric=g.dataset.rubric_for(latest) if latest else None,
    )
    return Section([index], {"首页": "index.md"})


def rankings(g: SiteGatherer, periods: Periods, page: PageMaker) -> Section:
    section = Section()
    communities = [(c.id, c.name) for c in g.dataset.organization.communities]
    nav: list[Any] = [{"排行榜说明": "rankings/index.md"}]
    by_year = []
    for year in periods.years:
        summary = periods.summaries[year]
        section.pages.append(
            page(
                f"rankings/{year}.md",
                "ranking_year.md.j2",
                g.tagged(f"{year}年度排行榜", Year(year)),
                fragment="ranking_year.html.j2",
                year=year,
                summary=summary,
                rows=g.year_rows(summary),
                rubric=summary.rubric,
                rubric_page=g.rubric_page(summary.rubric),
                quota_text=_quota_text(summary),
                seal=_seal_status(g, str(year)),
                progress=periods.honors[year],
                community_choices=communities,
            )
        )
        year_nav: list[Any] = [{g.tagged(f"{year}年度", Year(year)): f"rankings/{year}.md"}]
        links = [PeriodLink(g.tagged(f"{year}年度排行榜", Year(year)), f"rankings/{year}.md")]
        for month in [m for m in periods.months if m.year == year]:
            rubric = g.dataset.rubric_for(month)
            assert rubric is not None
            section.pages.append(
                page(
                    f"rankings/{month}.md",
                    "ranking_month.md.j2",
                    g.tagged(f"{month.label}排行榜", month),
                    fragment="ranking_month.html.j2",
                    month=month,
                    rows=g.month_rows(month),
                    categories=[c.name for c in rubric.categories],
                    rubric_title=rubric.title,
                    rubric_page=g.rubric_page(rubric),
                    grade_counts=_grade_counts(g.results.month(month), rubric),
                    grade_names=[grade.name for grade in rubric.grades],
                    communities=g.community_summaries(month, rubric),
                    community_choices=communities,
                    seal=_seal_status(g, str(month)),
                )
            )
            year_nav.append({g.tagged(f"{month.month}月", month): f"rankings/{month}.md"})
            links.append(PeriodLink(g.tagged(month.label, month), f"rankings/{month}.md"))
        nav.append({f"{year}年": year_nav})
        by_year.append((year, links))
    section.pages.append(page("rankings/index.md", "rankings_index.md.j2", "排行榜", years=by_year))
    section.nav = {"排行榜": nav}
    return section


def honors(g: SiteGatherer, periods: Periods, page: PageMaker) -> Section:
    section = Section()
    nav: list[Any] = [{"光荣榜": "honors/index.md"}]
    for year in periods.years:
        year_honors = periods.honors[year]
        section.pages.append(
            page(
                f"honors/{year}.md",
                "honors_year.md.j2",
                f"{year}年度光荣榜{year_honors.tag}",
                honors=year_honors,
                quota_text=_quota_text(periods.summaries[year]),
            )
        )
        nav.append({f"{year}年度{year_honors.tag}": f"honors/{year}.md"})
    section.pages.append(
        page(
            "honors/index.md",
            "honors_index.md.j2",
            "光荣榜",
            years=[periods.honors[year] for year in periods.years],
            rules=periods.honors[periods.years[0]].rules if periods.years else [],
            commendations=_issued_commendations(g, periods.notices, 3),
        )
    )
    section.nav = {"光荣榜": nav}
    return section


def notices(g: SiteGatherer, periods: Periods, page: PageMaker, site: Site) -> Section:
    """Each notice, and the dated stream. A body's links are resolved against the finished site."""
    section = Section()
    for file in periods.notices:
        lists = _notice_lists(g, file)
        section.pages.append(
            page(
                f"notices/{file.stem}.md",
                "notice.md.j2",
                file.notice.title,
                fragment="notice.html.j2",
                lazy=lambda body=file.notice.body: {"body_html": Markup(to_html(body, resolver(site_files(site))))},
                notice=file.notice,
                ref=g.notice_ref(file),
                lists=lists,
                doc=notice_layout(g, file, lists),  # the 公文 layout (notice_print); the QR code is added by build
                qr_svg=None,
                online_url=None,
                statement=statement_for(g.dataset, file, g.build_date),
                corrections=_correction_rows(g, file),
                sealed=g.dataset.seals.get(str(file.notice.period)),
            )
        )
    section.pages.append(
        page(
            "notices/index.md",
            "notices_index.md.j2",
            "公示公告",
            notices=[(g.notice_ref(n), statement_for(g.dataset, n, g.build_date)) for n in reversed(periods.notices)],
        )
    )
    section.nav = {"公示公告": "notices/index.md"}
    return section


def rubrics(g: SiteGatherer, periods: Periods, page: PageMaker) -> Section:
    section = Section()
    in_force = _in_force(g, periods)
    editions = [e.rubric for e in reversed(g.dataset.rubrics)]
    nav: list[Any] = [{"考评标准": "rubric/index.md"}]
    for rubric in editions:
        section.pages.append(
            page(
                f"rubric/{rubric.version}.md",
                "rubric.md.j2",
                rubric.title,
                rubric=rubric,
                in_force=rubric is in_force,
                editions=editions,
            )
        )
        nav.append({f"{rubric.version} 版": f"rubric/{rubric.version}.md"})
    section.pages.append(
        page("rubric/index.md", "rubric.md.j2", "考评标准", rubric=in_force, in_force=True, editions=editions)
    )
    section.nav = {"考评标准": nav}
    return section


def workers(g: SiteGatherer, page: PageMaker) -> Section:
    """One page per worker: out of the nav and out of the search index's page text (a county has thousands).

    What only the page shows (its months, matrices, computations) is gathered when it is rendered.
    """
    assessed: dict[str, list[Month]] = {}  # the months each worker has a record for, in order
    for month, entries in g.dataset.entries.items():
        for entry in entries:
            assessed.setdefault(entry.worker.id, []).append(month)
    pages = [
        page(
            f"workers/{worker.id}.md",
            "worker.md.j2",
            g.name(worker),
            in_search=False,
            fragment="worker.html.j2",
            lazy=functools.partial(worker_context, g, worker),
            worker=g.ref(worker),
            role=role_label(worker),
            active=_assessed_text(assessed.get(worker.id, []), worker.left),
        )
        for worker in sorted(g.dataset.organization.workers, key=lambda w: w.id)
    ]
    return Section(pages)


def worker_context(g: SiteGatherer, worker: Worker) -> dict[str, Any]:
    month_results = g.results.worker_months(worker.id)
    rows = monthly_rows(month_results)
    years_shown = [
        WorkerYear(
            y,
            annual_row(r),
            [h.name for h in r.honors] if g.honors_decided(y) else [],
            provisional=not g.sealed(Year(y)),
            decided=g.honors_decided(y),
        )
        for y, r in reversed(g.results.worker_years(worker.id))
    ]
    provisional = [f"{y.year}年度" for y in years_shown if y.provisional]
    provisional += [r.month.label for r in reversed(month_results) if not g.sealed(r.month)]
    return {
        "trend": [
            TrendPoint(str(r.month), r.total, not g.sealed(r.month), g.unit_means.get(r.month)) for r in month_results
        ],
        "months": [g.month_row_own(r, row) for r, row in zip(reversed(month_results), reversed(rows), strict=True)],
        "matrices": g.score_matrices(month_results, rows),
        "events": [e for e in (g.month_events(r) for r in reversed(month_results)) if e is not None],
        # How each item was computed: every month for the staff, the latest on the public site
        # (a county's public site has a budget, PRODUCT.md §8; the matrix has every month's scores).
        "details": [g.month_detail(r) for r in reversed(month_results if g.internal else month_results[-1:])],
        "years": years_shown,
        "provisional": provisional,
        "sanctions": g.worker_sanctions(worker.id),
        "chart_rubric": month_results[-1].rubric if month_results else None,
    }


def open_data(g: SiteGatherer, periods: Periods, page: PageMaker) -> Section:
    in_force = _in_force(g, periods)
    data = page(
        "data/index.md",
        "data.md.j2",
        "开放数据",
        months=periods.months,
        years=periods.years,
        rubric=in_force,
        items=[(i.id, i.name) for i in in_force.items],
        categories=[(c.id, c.name) for c in in_force.categories],
    )
    return Section([data], {"开放数据": "data/index.md"})


def verification(page: PageMaker, origin: Provenance, repo_url: str | None) -> Section:
    """The 核验 page (§11): what produced this site, and the three commands that rebuild and compare it."""
    verify = page(
        "verify/index.md", "verify.md.j2", "网站核验", fragment="verify.html.j2", origin=origin, repo_url=repo_url
    )
    return Section([verify], {"网站核验": "verify/index.md"})


def internal(g: SiteGatherer, periods: Periods, page: PageMaker) -> Section:
    """The staff's pages: who is to be sanctioned or talked to, and why."""
    sanctions = page(
        "internal/sanctions.md",
        "sanctions.md.j2",
        "惩处与约谈清单",
        fail=_in_force(g, periods).bottom_grade.name,
        sanctions=[
            (s, g.ref(g.dataset.workers[s.worker_id]), g.tagged(str(s.period), s.period))
            for s in sorted(g.sanctions, key=lambda s: (str(s.period), s.worker_id), reverse=True)
        ],
    )
    ledger_section = ledger(g, periods, page)
    return Section(
        [sanctions, *ledger_section.pages],
        {"内部": [{"惩处与约谈清单": "internal/sanctions.md"}, ledger_section.nav]},
    )


def ledger(g: SiteGatherer, periods: Periods, page: PageMaker) -> Section:
    """The 奖惩台账 (internal): each period's rewards by community, and every measure's follow-up."""
    section = Section()
    measures = period_measures(g.dataset, g.results, g.build_date)
    nav: list[Any] = [{"奖惩台账说明": "internal/ledger/index.md"}]
    by_year: list[tuple[int, list[LedgerPage]]] = []
    for year in periods.years:
        year_periods: list[Month | Year] = [Year(year), *(m for m in periods.months if m.year == year)]
        pages = [ledger_page(g, build_ledger(g.dataset, g.results, p, g.build_date, measures)) for p in year_periods]
        for view in pages:
            section.pages.append(
                page(
                    view.page,
                    "ledger_period.md.j2",
                    f"{view.label}奖惩台账",
                    in_search=False,
                    fragment="ledger_period.html.j2",
                    ledger=view,
                )
            )
        nav.append(
            {
                f"{year}年": [
                    {g.tagged("年度" if isinstance(p, Year) else f"{p.month}月", p): view.page}
                    for p, view in zip(year_periods, pages, strict=True)
                ]
            }
        )
        by_year.append((year, pages))
    open_measures = [
        measure_line(g, m) for key in sorted(measures) for m in measures[key] if m.state in ("overdue", "pending")
    ]
    section.pages.insert(
        0,
        page(
            "internal/ledger/index.md",
            "ledger_index.md.j2",
            "奖惩台账",
            fail=_in_force(g, periods).bottom_grade.name,
            years=by_year,
            open_measures=sorted(open_measures, key=lambda m: (m.state != "overdue", m.due, m.worker.id)),
        ),
    )
    section.nav = {"奖惩台账": nav}
    return section


def notice_link_problems(dataset: Dataset, results: Results, today: date) -> list[Problem]:
    """Links in notice bodies that name no page of the site they are published on (check ⊇ build).

    The site is gathered only for an audience that has a notice linking inside the site.
    """
    problems: list[Problem] = []
    for audience in AUDIENCES:
        linking = [file for file in visible_notices(dataset, audience) if _links_inside(file.notice.body)]
        if not linking:
            continue
        files = site_files(gather_site(dataset, results, audience, today))
        for file in linking:
            problems += located(file.doc, "body", link_problems(file.notice.body, files))
    return sorted(set(problems))


def _links_inside(body: str) -> bool:
    return any(not _has_scheme(target) and not target.startswith(("#", "//")) for _, target in links(body))
