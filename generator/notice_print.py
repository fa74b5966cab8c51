"""A notice laid out as a 公文 (GB/T 9704 in spirit): 版头, 主送, one 事迹 list, 落款, links to its 更正, a QR code.

The page's print CSS is site_templates/assets/gridscore-print.css; this module gives the template what
it places: who issues the notice, to whom it is addressed, each deed once in date order, and the
notices a correction corrects (and the other way round).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .datafiles import NoticeFile

if TYPE_CHECKING:
    from .site import Deed, NamedList, NoticeRef, Site, SiteGatherer

# A 公示 addresses the public, not the units under the issuing body (REFERENCES.md: 标题, 正文, 署名, 日期).
_UNADDRESSED = {"publicity"}
# What a correction can correct: the notices that published a period's results.
_CORRECTABLE = {"commendation", "publicity", "criticism"}


@dataclass(frozen=True)
class NoticeLayout:
    issuer: str  # 发文机关标志 and 署名
    addressee: str  # 主送, ending in "：" ("" for none)
    deeds: list[Deed]  # every deed the lists publish, once, by date
    corrects: list[NoticeRef] = field(default_factory=list)  # a correction: the notices it corrects
    corrected_by: list[NoticeRef] = field(default_factory=list)  # the corrections of this notice
    date_text: str = ""  # 成文日期: 2026年4月8日
    deeds_title: str = "主要事迹"
    named: frozenset[str] = frozenset()  # workers the lists name (with community and grid): their deeds omit it


def chinese_date(day: date) -> str:
    """成文日期 in Arabic numerals without zero padding (GB/T 9704: 2026年4月8日)."""
    return f"{day.year}年{day.month}月{day.day}日"


def addressee(g: SiteGatherer, file: NoticeFile) -> str:
    """主送: the units and people under the issuing body (the organization has no 主送 field)."""
    if file.notice.kind in _UNADDRESSED:
        return ""
    communities = g.dataset.organization.communities
    if len(communities) == 1:
        return f"{communities[0].name}各网格员："
    return "各社区、各网格员："


def merged_deeds(lists: list[NamedList]) -> list[Deed]:
    """Each deed once (a worker holding two honors has the same deeds under both), oldest first."""
    seen: dict[tuple[Any, ...], Deed] = {}
    for named in lists:
        for deed in named.deeds:
            seen.setdefault((deed.worker.id, deed.date, deed.kind, deed.summary, deed.amount), deed)
    return sorted(seen.values(), key=lambda d: (d.date, d.worker.id, d.kind))


def layout(g: SiteGatherer, file: NoticeFile, lists: list[NamedList]) -> NoticeLayout:
    notice = file.notice
    visible = g.visible_notices()
    same_period = [n for n in visible if str(n.notice.period) == str(notice.period) and n.stem != file.stem]
    corrects: list[NoticeFile] = []
    corrected_by: list[NoticeFile] = []
    if notice.kind == "correction":
        corrects = [n for n in same_period if n.notice.kind in _CORRECTABLE and n.notice.date <= notice.date]
    elif notice.kind in _CORRECTABLE:
        corrected_by = [n for n in same_period if n.notice.kind == "correction" and n.notice.date >= notice.date]
    org = g.dataset.organization
    return NoticeLayout(
        issuer=notice.issued_by or org.unit.leading_group,
        addressee=addressee(g, file),
        deeds=merged_deeds(lists),
        corrects=[g.notice_ref(n) for n in _by_date(corrects)],
        corrected_by=[g.notice_ref(n) for n in _by_date(corrected_by)],
        date_text=chinese_date(notice.date),
        # a month's 突出事迹 are a list of their own; a year's are those of the people it names
        named=frozenset(worker.id for named in lists for worker, _ in named.rows),
        deeds_title=next((named.title for named in lists if named.deeds and not named.rows), "主要事迹"),
    )


def _by_date(files: list[NoticeFile]) -> list[NoticeFile]:
    return sorted(files, key=lambda n: (n.notice.date, n.stem))


def qr_svg(url: str) -> Markup:
    """The URL as an inline SVG QR code (no image file, no network), sized by CSS."""
    import segno

    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=2, dark="#000", light="#fff", omitsize=True, svgclass="gs-qr-code")
    return Markup(svg)  # made by segno from the URL's modules: no text of the URL is in it


def notice_url(site_url: str, page: str) -> str:
    """The online address of a notice page (use_directory_urls: notices/<stem>/)."""
    return site_url.rstrip("/") + "/" + page.removesuffix(".md") + "/"


def add_qr_codes(site: Site, site_url: str | None) -> None:
    """Give every notice page the QR code of its own online address when the site knows where it lives."""
    for page in site.pages:
        if page.template == "notice.md.j2":
            page.context["qr_svg"] = qr_svg(notice_url(site_url, page.path)) if site_url else None
            page.context["online_url"] = notice_url(site_url, page.path) if site_url else None
