"""Accessibility in a real browser (PRODUCT.md §5): axe-core on every page type, and the 大字 switch.

Builds the sample site for both audiences, serves each over HTTP and, in headless Chromium (the machinery
of tests/test_browser.py), injects axe-core into each page type — home, month and year rankings, 光荣榜, a
notice of each kind, a worker, 考评标准, open data, 404, and the internal pages — and runs it with the WCAG
2.1 A/AA rules (and axe's best practices): no serious or critical violation may remain. axe-core is an npm
package used by this test only (tests/axe/package.json; `npm ci --prefix tests/axe`); it is never part of a
site. The 大字 switch is driven with the keyboard at 360 px: it enlarges every page without sideways
scrolling, is remembered across pages, and a page without JavaScript is whole.

Skipped without Chromium, chromedriver, selenium or axe-core, except under CI, where that is a failure.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import build

from .conftest import PROJECT
from .test_browser import (
    BUILD_EPOCH,
    DESKTOP,
    TIMEOUT,
    WIDTH,
    _QuietHandler,
    assert_fits_width,
    assert_no_script_errors,
    open_page,
)
from .test_browser import desktop as _desktop
from .test_browser import driver as _phone

driver = _phone  # the shared phone-width Chromium fixture (360 px, mobile emulation)
desktop = _desktop  # and the 1280 px one

AXE = PROJECT / "tests" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
if not AXE.is_file():
    _reason = f"{AXE.relative_to(PROJECT)} missing (npm ci --prefix tests/axe)"
    if os.environ.get("CI"):
        pytest.fail(f"accessibility test cannot run under CI: {_reason}", pytrace=False)
    pytest.skip(_reason, allow_module_level=True)

from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = {"serious", "critical"}
LARGE_KEY = "gridscore.largeText"  # assets/a11y.js
NORMAL_ROOT, LARGE_ROOT = 20.0, 25.0  # px: Material's 125% below 100em, and 大字's 25% more

# One page of each type; a glob picks notices and workers, so the test follows the sample data.
PAGE_TYPES: dict[str, str] = {
    "首页": "",
    "排行榜目录": "rankings/",
    "月度排行榜": "rankings/2026-03/",
    "年度排行榜": "rankings/2025/",
    "光荣榜": "honors/",
    "年度光荣榜": "honors/2025/",
    "公示公告": "notices/",
    "通报表扬": "notices/*-commendation-*/",
    "公示": "notices/*-publicity-*/",
    "更正": "notices/*-correction-*/",
    "网格员": "workers/*/",
    "考评标准": "rubric/",
    "考评标准（某版）": "rubric/2026/",
    "开放数据": "data/",
    "网站核验": "verify/",
    "404": "404.html",
}
INTERNAL_ONLY: dict[str, str] = {
    "通报批评": "notices/*-criticism-*/",
    "惩戒记录": "internal/sanctions/",
    "奖惩台账": "internal/ledger/",
    "奖惩台账（某月）": "internal/ledger/2026-09/",
    "奖惩台账（某年）": "internal/ledger/2025/",
}

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done({passes: r.passes.length, violations: r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                summary: (n.failureSummary || '').replace(/\\s+/g, ' ').slice(0, 300)}))}))}))
  .catch(e => done({error: String(e)}));
"""


def _resolve(site: Path, pattern: str) -> str:
    """The first built page matching ``pattern`` (a path under the site, * allowed), as a URL path."""
    if "*" not in pattern:
        target = site / pattern if pattern.endswith(".html") else site / pattern / "index.html"
        assert target.is_file(), f"the sample site has no {pattern or 'home page'}"
        return pattern
    found = sorted(site.glob(pattern.rstrip("/") + "/index.html"))
    assert found, f"the sample site has no page like {pattern}"
    return found[0].parent.relative_to(site).as_posix() + "/"


class Site:
    def __init__(self, folder: Path, url: str) -> None:
        self.folder, self.url = folder, url


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    built, servers = {}, []
    for audience in ("public", "internal"):
        folder = tmp_path_factory.mktemp(f"a11y-{audience}") / "site"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
            build(PROJECT, audience, folder)  # type: ignore[arg-type]
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder))
        )
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, name=f"a11y-{audience}", daemon=True).start()
        servers.append(server)
        built[audience] = Site(folder, f"http://127.0.0.1:{server.server_address[1]}/")
    try:
        yield built
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def _set_large(driver: WebDriver, site: Site, on: bool) -> None:
    open_page(driver, site.url + "404.html")  # any page of the site's origin
    driver.execute_script(
        "if (arguments[1]) localStorage.setItem(arguments[0], '1'); else localStorage.removeItem(arguments[0]);",
        LARGE_KEY,
        on,
    )


def axe_violations(driver: WebDriver) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page open in ``driver``."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    result = driver.execute_async_script(RUN_AXE, AXE_TAGS)
    assert "error" not in result, f"axe-core failed: {result['error']}"
    assert result["passes"] > 10, f"axe-core checked almost nothing ({result['passes']} rules passed)"
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} elements; {v['url']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}  {node['html']}")
            lines.append(f"      {node['summary']}")
    return "\n".join(lines)


def _cases() -> list[Any]:
    cases = []
    for audience in ("public", "internal"):
        pages = {**PAGE_TYPES, **(INTERNAL_ONLY if audience == "internal" else {})}
        # The internal build differs from the public one in its banner and content, not in its layout:
        # phone width only (where the banner and the header are tightest).
        for width in (WIDTH, DESKTOP) if audience == "public" else (WIDTH,):
            for name, pattern in pages.items():
                cases.append(pytest.param(audience, width, pattern, id=f"{audience}-{width}-{name}"))
    return cases


@pytest.mark.parametrize(("audience", "width", "pattern"), _cases())
def test_axe_finds_no_serious_violation(
    driver: WebDriver, desktop: WebDriver, sites: dict[str, Site], audience: str, width: int, pattern: str
) -> None:
    site = sites[audience]
    path = _resolve(site.folder, pattern)
    browser = driver if width == WIDTH else desktop
    open_page(browser, site.url + path)
    assert browser.execute_script("return window.innerWidth") == width
    violations = axe_violations(browser)
    assert not violations, f"axe-core on {audience} {path or '/'} at {width} px:\n{describe(violations)}"


@pytest.mark.parametrize("pattern", ["", "rankings/2026-03/", "workers/*/", "notices/*-commendation-*/"])
def test_axe_with_large_text(driver: WebDriver, sites: dict[str, Site], pattern: str) -> None:
    site = sites["public"]
    path = _resolve(site.folder, pattern)
    _set_large(driver, site, True)
    try:
        open_page(driver, site.url + path)
        assert driver.execute_script("return document.documentElement.classList.contains('gs-large')")
        violations = axe_violations(driver)
        assert not violations, f"axe-core on {path or '/'} with 大字:\n{describe(violations)}"
    finally:
        _set_large(driver, site, False)


def test_axe_harness_reports_low_contrast(driver: WebDriver, sites: dict[str, Site]) -> None:
    """The check can fail: Material's own red (#ef5552) on white is reported, as it was before a11y.css."""
    open_page(driver, sites["public"].url)
    driver.execute_script("document.body.style.setProperty('--md-typeset-a-color', '#ef5552')")
    violations = axe_violations(driver)
    assert any(v["id"] == "color-contrast" for v in violations), describe(violations)
    ratios = [float(r) for r in re.findall(r"contrast of (\d+\.\d+)", describe(violations))]
    assert ratios and max(ratios) < 4.5, describe(violations)  # Material's red measures about 3.4:1


def _ratio(driver: WebDriver, foreground: str, background: str) -> float:
    """WCAG contrast of two computed colours (rgb()/rgba() strings; alpha over the background)."""

    def channels(color: str) -> list[float]:
        values = [float(x) for x in re.findall(r"[\d.]+", color)]
        return values + [1.0] * (4 - len(values))

    def luminance(rgb: list[float]) -> float:
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (x / 255 for x in rgb)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    *fg, alpha = channels(foreground)
    bg = channels(background)[:3]
    fg = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True)]
    high, low = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_red_header_and_links_pass_aa(desktop: WebDriver, sites: dict[str, Site]) -> None:
    driver = desktop
    open_page(driver, sites["public"].url)
    header = driver.execute_script(
        "const s = getComputedStyle(document.querySelector('.md-header')); return [s.color, s.backgroundColor]"
    )
    link = driver.execute_script("return getComputedStyle(document.querySelector('article p a')).color")
    tab = driver.execute_script(
        "const a = document.querySelector('.md-tabs__item:not(.md-tabs__item--active) .md-tabs__link');"
        "const s = getComputedStyle(a); return [s.color, s.opacity, getComputedStyle(document.querySelector('.md-tabs')).backgroundColor]"
    )
    red = re.findall(r"\d+", header[1])
    assert int(red[0]) > 150 and int(red[1]) < 60 and int(red[2]) < 60, f"the header is no longer red: {header[1]}"
    assert _ratio(driver, *header) >= 4.5, f"header text {header}: {_ratio(driver, *header):.2f}:1"
    assert _ratio(driver, link, "rgb(255, 255, 255)") >= 4.5, f"links {link}"
    tab_color = re.sub(r"rgba?\(([^)]*)\)", lambda m: f"rgba({','.join(m.group(1).split(',')[:3])},{tab[1]})", tab[0])
    assert _ratio(driver, tab_color, tab[2]) >= 4.5, f"inactive tab {tab}: {_ratio(driver, tab_color, tab[2]):.2f}:1"


def _root_px(driver: WebDriver) -> float:
    return float(driver.execute_script("return parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def _switch_state(driver: WebDriver) -> str | None:
    return driver.execute_script(
        "const b = document.querySelector('.md-header .gs-large-text-switch'); return b && b.getAttribute('aria-pressed')"
    )


def _tab_to_switch(driver: WebDriver) -> None:
    """Move the keyboard focus to the 大字 switch with Tab alone."""
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.focus();")
    for _ in range(12):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script("return document.activeElement.classList.contains('gs-large-text-switch')"):
            return
    pytest.fail("the 大字 switch cannot be reached with Tab from the top of the page")


def test_large_text_switch_by_keyboard_is_remembered(driver: WebDriver, sites: dict[str, Site]) -> None:
    site = sites["public"]
    _set_large(driver, site, False)
    open_page(driver, site.url)
    button = driver.find_element(By.CSS_SELECTOR, ".md-header .gs-large-text-switch")
    assert button.tag_name == "button" and button.is_displayed()
    assert "大字" in button.text and "大字" in (button.accessible_name or "")
    assert _switch_state(driver) == "false" and _root_px(driver) == NORMAL_ROOT

    _tab_to_switch(driver)
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert _switch_state(driver) == "true"
    assert _root_px(driver) == LARGE_ROOT
    assert driver.execute_script("return localStorage.getItem(arguments[0])", LARGE_KEY) == "1"
    body = driver.execute_script(
        "return parseFloat(getComputedStyle(document.querySelector('article.md-typeset p')).fontSize)"
    )
    assert body >= 19.5, f"body text is {body} px with 大字"

    # Another page, another visit: still large, and the switch says so.
    open_page(driver, site.url + "rankings/2026-03/")
    assert _root_px(driver) == LARGE_ROOT and _switch_state(driver) == "true"

    _tab_to_switch(driver)
    ActionChains(driver).send_keys(" ").perform()  # Space toggles a button too
    assert _switch_state(driver) == "false" and _root_px(driver) == NORMAL_ROOT
    assert driver.execute_script("return localStorage.getItem(arguments[0])", LARGE_KEY) is None
    open_page(driver, site.url)
    assert _root_px(driver) == NORMAL_ROOT
    assert_no_script_errors(driver)


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large"])
@pytest.mark.parametrize("pattern", [*PAGE_TYPES.values(), *INTERNAL_ONLY.values()])
def test_text_fits_a_phone(driver: WebDriver, sites: dict[str, Site], pattern: str, large: bool) -> None:
    audience = "internal" if pattern in INTERNAL_ONLY.values() else "public"
    site = sites[audience]
    path = _resolve(site.folder, pattern)
    _set_large(driver, site, large)
    try:
        open_page(driver, site.url + path)
        assert _root_px(driver) == (LARGE_ROOT if large else NORMAL_ROOT)
        assert_fits_width(driver)
        # The header keeps the menu, the title, the switch and the search button on one line, inside it.
        header = driver.execute_script(
            """const h = document.querySelector('.md-header').getBoundingClientRect();
               return [h.top, h.bottom, Array.from(document.querySelectorAll('.md-header__inner > *'))
                 .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width > 0)
                 .map(e => [e.className, e.getBoundingClientRect().toJSON()])];"""
        )
        top, bottom, parts = header
        outside = [
            name
            for name, box in parts
            if box["top"] < top - 1 or box["bottom"] > bottom + 1 or box["right"] > WIDTH + 1
        ]
        assert outside == [], f"the header cannot hold {outside}: {parts}"
        title = [box for name, box in parts if "md-header__title" in name]
        assert title and title[0]["width"] >= 100, f"the site title is squeezed: {parts}"
        tables = driver.execute_script(
            """return Array.from(document.querySelectorAll('.md-content__inner table'))
               .filter(t => t.offsetParent !== null)
               .map(t => { const box = t.closest('.md-typeset__scrollwrap, .md-content__inner');
                           return [t.scrollWidth, box.clientWidth, t.rows[0].textContent.trim().slice(0, 30),
                                   !!t.closest('.gs-matrix'), box.tabIndex, box.getAttribute('aria-label'),
                                   t.getBoundingClientRect().right]; });"""
        )
        # Not even a few pixels past the screen's edge (a table can fit its scroll box and still be cut off).
        cut = [table[:3] + [table[6]] for table in tables if not table[3] and table[6] > WIDTH + 1]
        assert cut == [], f"tables run past the edge of a {WIDTH} px phone on {path}: {cut}"
        # A worker's matrix (items × twelve months) is a two-dimensional data table, which may scroll
        # (WCAG 1.4.10) when its box can be reached by keyboard and says it scrolls; nothing else may.
        wide = [table[:3] for table in tables if table[0] > table[1] + 1 and not table[3]]
        assert wide == [], f"tables scroll sideways on {path}: {wide}"
        matrices = [table for table in tables if table[3] and table[0] > table[1] + 1]
        assert all(t[4] == 0 and t[5] == "表格（可左右滚动）" for t in matrices), matrices
        if pattern == PAGE_TYPES["网格员"]:
            assert matrices, "a year of months does not fit a phone: the matrix should scroll"
            sticky = driver.execute_script(
                """const box = document.querySelector('.gs-matrix .md-typeset__scrollwrap');
                   box.scrollLeft = box.scrollWidth;
                   const th = box.querySelector('tbody th'), r = th.getBoundingClientRect();
                   return [r.left - box.getBoundingClientRect().left, th.textContent];"""
            )
            assert abs(sticky[0]) <= 1, f"the item names scroll out of view: {sticky}"
        assert_no_script_errors(driver)
    finally:
        _set_large(driver, site, False)


def test_pages_without_javascript(driver: WebDriver, sites: dict[str, Site]) -> None:
    """No script, no switch: the page is whole, at normal size, and fits the phone."""
    site = sites["public"]
    _set_large(driver, site, True)  # a remembered choice cannot apply without JavaScript, and must not half-apply
    driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        for path in ("", "rankings/2026-03/"):
            driver.get(site.url + path)
            WebDriverWait(driver, TIMEOUT).until(lambda d: d.find_elements(By.CSS_SELECTOR, "article table tbody tr"))
            assert not driver.find_elements(By.CSS_SELECTOR, ".gs-large-text-switch")
            assert driver.find_element(By.CSS_SELECTOR, ".md-header__title").is_displayed()
            assert len(driver.find_elements(By.CSS_SELECTOR, "article table tbody tr")) >= 3
            assert_fits_width(driver)
    finally:
        driver.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})
        _set_large(driver, site, False)


def test_switch_script_loads_in_head_and_is_local(sites: dict[str, Site]) -> None:
    """a11y.js runs before the body is painted (no flash of normal-size text) and is the site's own file."""
    for audience, site in sites.items():
        for page in (site.folder / "index.html", site.folder / "rankings" / "2026-03" / "index.html"):
            text = page.read_text(encoding="utf-8")
            head = text.split("</head>", 1)[0]
            assert re.search(r'<script src="[./]*assets/a11y\.js"></script>', head), f"{audience} {page}"
            assert "assets/a11y.css" in head
        assert (site.folder / "assets" / "a11y.js").is_file()
        assert not list(site.folder.rglob("axe*.js")), "axe-core must never be part of a site"
