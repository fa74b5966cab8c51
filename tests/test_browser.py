"""The public site in a real browser: headless Chromium at phone width (360 px).

Builds the sample site once, serves it over HTTP on 127.0.0.1 (Material's search
fetches search/search_index.json, which a file:// page cannot) and drives Debian's
chromium with selenium. Skipped when chromium, chromedriver or selenium are missing,
except under CI (the CI environment variable is set), where that is a failure.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.build import build

from .conftest import PROJECT

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
WIDTH, HEIGHT = 360, 800
DESKTOP = 1280
# 2026-11-30 (China): the build date fixes the "公示中/已结束" states, so every run sees the same site.
BUILD_EPOCH = "1795996800"
TIMEOUT = 15


def _missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            return f"{path} not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium not installed (pip install -e '.[test]')"
    return None


_reason = _missing()
if _reason:
    if os.environ.get("CI"):
        pytest.fail(f"browser test cannot run under CI: {_reason}", pytrace=False)
    pytest.skip(_reason, allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.remote.webelement import WebElement  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("browser") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        build(PROJECT, "public", target)
    return target


@pytest.fixture(scope="module")
def base_url(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},{HEIGHT}",
    ):
        options.add_argument(arg)
    # Headless windows are at least 500 px wide: emulate the phone's viewport (chromedriver applies it to every page).
    options.add_experimental_option(
        "mobileEmulation", {"deviceMetrics": {"width": WIDTH, "height": HEIGHT, "pixelRatio": 2.0}}
    )
    # Every network request the page makes, including failed ones (which leave no Resource Timing
    # entry), and the console, for script errors.
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def desktop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    """Chromium at 1280 px, as tests/test_browser.py's phone but without mobile emulation (the tabs show)."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-desktop")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--window-size={DESKTOP},900",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.set_page_load_timeout(30)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the phone-width screenshots go (for a human to look at; nothing compares them)."""
    return tmp_path_factory.mktemp("screenshots")


def open_page(driver: WebDriver, url: str) -> None:
    driver.get_log("performance")  # drop what earlier pages requested and logged
    driver.get_log("browser")
    driver.get(url)
    WebDriverWait(driver, TIMEOUT).until(lambda d: d.execute_script("return document.readyState") == "complete")


def assert_fits_width(driver: WebDriver) -> None:
    """No horizontal scrolling at phone width.

    With mobile emulation an over-wide page does not scroll: the browser zooms out, widening the
    layout viewport (innerWidth) beyond the phone's 360 px. Either symptom fails.
    """
    width, scroll = driver.execute_script("return [window.innerWidth, document.documentElement.scrollWidth]")
    if width > WIDTH or scroll > width + 1:
        culprits = driver.execute_script(
            """
            const out = [];
            for (const el of document.querySelectorAll('body *')) {
              const r = el.getBoundingClientRect();
              if (r.right > arguments[0] + 1 && r.width > 0 && getComputedStyle(el).position !== 'fixed')
                out.push(el.tagName.toLowerCase() + '.' + el.className + ' right=' + Math.round(r.right));
              if (out.length >= 8) break;
            }
            return out;""",
            WIDTH,
        )
        pytest.fail(f"page is {max(width, scroll)} px wide on a {WIDTH} px phone (horizontal scrolling): {culprits}")


def assert_only_local_requests(driver: WebDriver, base_url: str) -> None:
    """Everything the page loaded came from the local site, and loaded.

    Resource Timing lists what loaded; Chromium's network log also shows requests that failed (an
    unreachable CDN leaves no Resource Timing entry).
    """
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert any(name.endswith(".css") for name in resources), f"no stylesheet loaded: {resources}"
    foreign = [name for name in resources if not name.startswith(base_url)]
    failed = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message.get("method") == "Network.requestWillBeSent":
            url = params["request"]["url"]
            # Only the network counts: not data:/blob: URLs, nor Chromium's own chrome:// pages.
            if re.match(r"(https?|wss?|ftp):", url) and not url.startswith(base_url):
                foreign.append(url)
        elif message.get("method") == "Network.responseReceived":
            url, status = params["response"]["url"], params["response"]["status"]
            if status >= 400:
                failed.append(f"{url} ({status})")
    assert not foreign, f"the page contacted other hosts: {sorted(set(foreign))}"
    assert not failed, f"local requests failed: {failed}"


def assert_no_script_errors(driver: WebDriver) -> None:
    """No JavaScript error on the console (failed loads are assert_only_local_requests's business)."""
    errors = [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "Failed to load resource" not in entry["message"]
    ]
    assert not errors, f"script errors: {errors}"


def visible(driver: WebDriver, css: str) -> list[WebElement]:
    return [element for element in driver.find_elements(By.CSS_SELECTOR, css) if element.is_displayed()]


def test_home_page_at_phone_width(driver: WebDriver, base_url: str, screenshots: Path) -> None:
    open_page(driver, base_url)
    driver.save_screenshot(str(screenshots / "home-360.png"))

    assert "网格反诈考评公示" in driver.title
    assert_fits_width(driver)
    rows = visible(driver, "article table tbody tr")
    assert len(rows) >= 3, "the ranking table's rows are not visible"
    first = rows[0].find_elements(By.TAG_NAME, "td")
    assert first[0].text.strip() == "1" and first[1].text.strip(), f"first row reads {rows[0].text!r}"
    for cell in first:
        box = cell.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH + 1, f"cell {cell.text!r} is cut off: {box}"
    assert_only_local_requests(driver, base_url)
    assert_no_script_errors(driver)


def notice_url(driver: WebDriver, base_url: str) -> str:
    open_page(driver, base_url + "notices/")
    hrefs = [a.get_attribute("href") or "" for a in driver.find_elements(By.CSS_SELECTOR, "article a[href]")]
    links = [href for href in hrefs if re.search(r"/notices/\d{4}-\d{2}-\d{2}-", href)]
    assert links, "notices/index.html lists no notices"
    wanted = [href for href in links if "2026-04-08-commendation" in href]
    return wanted[0] if wanted else links[0]


def test_notice_at_phone_width(driver: WebDriver, base_url: str, screenshots: Path) -> None:
    url = notice_url(driver, base_url)
    open_page(driver, url)
    driver.save_screenshot(str(screenshots / "notice-360.png"))

    number = driver.find_element(By.CSS_SELECTOR, ".gs-notice-number")
    assert number.is_displayed(), "the 发文字号 is hidden"
    assert re.search(r"〔\d{4}〕|\[\d{4}\]|\d+号", number.text), f"发文字号 reads {number.text!r}"
    assert driver.find_element(By.CSS_SELECTOR, "article h1").is_displayed()
    assert_fits_width(driver)
    assert_only_local_requests(driver, base_url)
    assert_no_script_errors(driver)


SET_QUERY = """
const box = arguments[0];
box.value = arguments[1];
box.dispatchEvent(new Event('input', {bubbles: true}));
box.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true}));
"""


def search(driver: WebDriver, query: str) -> list[str]:
    """Search with Material's search box; return the texts of the results shown."""
    box = driver.find_element(By.CSS_SELECTOR, "input.md-search__input")
    if not box.is_displayed():
        # At phone width the search field hides behind the magnifier in the header.
        driver.find_element(By.CSS_SELECTOR, "label.md-header__button[for='__search']").click()
        WebDriverWait(driver, TIMEOUT).until(ec.visibility_of(box))
    # Empty the box first and set the query in one go, so the results shown can only be this query's.
    driver.execute_script(SET_QUERY, box, "")
    WebDriverWait(driver, TIMEOUT).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".md-search-result__item"))
    driver.execute_script(SET_QUERY, box, query)

    def results(d: WebDriver) -> list[str] | bool:
        return [item.text for item in d.find_elements(By.CSS_SELECTOR, ".md-search-result__item")] or False

    try:
        return WebDriverWait(driver, TIMEOUT).until(results)
    except TimeoutException:
        meta = driver.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text
        pytest.fail(f"searching {query!r} shows no results within {TIMEOUT} s (search says: {meta!r})")


def published_name(driver: WebDriver, base_url: str) -> str:
    """The first honoree on the 2025 honors page whose name is published (not masked like 马*)."""
    open_page(driver, base_url + "honors/2025/")
    for heading in driver.find_elements(By.CSS_SELECTOR, "article h3"):
        name = re.split(r"[（(]", heading.text)[0].strip()
        if name and "*" not in name:
            return name
    pytest.fail("no published name on honors/2025/")


def test_chinese_search(driver: WebDriver, base_url: str) -> None:
    name = published_name(driver, base_url)
    open_page(driver, base_url)

    found = search(driver, "反诈能手")
    assert any("反诈能手" in text for text in found), f"no result mentions 反诈能手: {found[:5]}"

    # A word found only inside sentences: without jieba splitting the text into words when the
    # site is built (search plugin lang: zh), lunr sees whole clauses and finds nothing for it.
    found = search(driver, "能手")
    assert any("能手" in text for text in found), f"no result mentions 能手: {found[:5]}"

    found = search(driver, "朝阳社区")
    assert any("朝阳社区" in text for text in found), f"no result mentions 朝阳社区: {found[:5]}"

    found = search(driver, name)
    assert any(name in text for text in found), f"no result mentions {name}: {found[:5]}"


def test_community_filter_on_ranking_page(driver: WebDriver, base_url: str) -> None:
    open_page(driver, base_url + "rankings/2026-03/")
    assert_fits_width(driver)
    select_element = WebDriverWait(driver, TIMEOUT).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, ".gs-filter-bar select"))
    )
    table = driver.find_element(By.CSS_SELECTOR, ".gs-filterable table")
    column = [th.text.strip() for th in table.find_elements(By.CSS_SELECTOR, "thead th")].index("社区")

    def communities() -> list[str]:
        """The 社区 cell of every row a reader can see, in table order."""
        return driver.execute_script(
            "return Array.from(arguments[0].tBodies[0].rows)"
            ".filter(row => row.checkVisibility())"
            ".map(row => row.cells[arguments[1]].textContent.trim())",
            table,
            column,
        )

    everyone = communities()
    assert len(set(everyone)) >= 2, f"the table should list several communities: {set(everyone)}"
    select = Select(select_element)
    # the choices: every community, by id, in the organization's order (the same every month)
    options = [(o.get_attribute("value"), o.text) for o in select.options if o.get_attribute("value")]
    assert options == [
        ("dongfeng-1", "东风第一社区"),
        ("dongfeng-2", "东风第二社区"),
        ("chaoyang", "朝阳社区"),
        ("hepan", "河畔社区"),
    ]

    select.select_by_value("chaoyang")
    shown = communities()
    assert shown and set(shown) == {"朝阳社区"}, f"after choosing 朝阳社区: {shown}"
    assert len(shown) == everyone.count("朝阳社区")
    assert driver.current_url.endswith("rankings/2026-03/?community=chaoyang")  # the choice can be shared

    select.select_by_value("")
    assert communities() == everyone
    assert "community=" not in driver.current_url

    open_page(driver, base_url + "rankings/2026-04/?community=hepan")  # a shared link opens filtered
    WebDriverWait(driver, TIMEOUT).until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".gs-filter-bar select")))
    table = driver.find_element(By.CSS_SELECTOR, ".gs-filterable table")
    assert set(communities()) == {"河畔社区"}
    assert_no_script_errors(driver)


def test_a_ranking_sorts_by_a_column(driver: WebDriver, base_url: str) -> None:
    open_page(driver, base_url + "rankings/2026-03/")
    table = WebDriverWait(driver, TIMEOUT).until(
        ec.visibility_of_element_located((By.CSS_SELECTOR, ".gs-sortable table"))
    )
    headers = table.find_elements(By.CSS_SELECTOR, "thead th")
    names = [th.get_attribute("textContent").strip() for th in headers]  # 社区排名 is hidden on a phone

    def column(name: str) -> list[str]:
        return driver.execute_script(
            "return Array.from(arguments[0].tBodies[0].rows).map(r => r.cells[arguments[1]].textContent.trim())",
            table,
            names.index(name),
        )

    ranks = [int(text.removesuffix("并列")) for text in column("排名")]
    assert ranks == sorted(ranks)

    def groups(values: list[str]) -> list[str]:
        return [name for i, name in enumerate(values) if i == 0 or values[i - 1] != name]

    community = headers[names.index("社区")]
    community.click()
    assert community.get_attribute("aria-sort") == "ascending"
    ascending = groups(column("社区"))
    assert len(ascending) == len(set(ascending)) >= 2  # each community's rows together
    community.send_keys(" ")  # the keyboard sorts too, the other way round
    assert community.get_attribute("aria-sort") == "descending"
    assert groups(column("社区")) == list(reversed(ascending))
    totals_header = headers[names.index("总分")]
    totals_header.click()
    totals = [float(v) for v in column("总分")]
    assert totals == sorted(totals)
    assert_no_script_errors(driver)


@pytest.mark.parametrize("path", ["rankings/2026-03/", "rankings/2025/", "workers/wg-0103/", "verify/"])
def test_tables_fit_a_phone_without_sideways_scrolling(driver: WebDriver, base_url: str, path: str) -> None:
    open_page(driver, base_url + path)
    assert_fits_width(driver)
    tables = driver.execute_script(
        """return Array.from(document.querySelectorAll('.md-content__inner table'))
           .filter(t => t.offsetParent !== null)
           .map(t => [t.scrollWidth, t.parentElement.clientWidth, t.rows[0].textContent.trim().slice(0, 30)]);"""
    )
    assert tables, f"no visible table on {path}"
    wide = [table for table in tables if table[0] > table[1] + 1]
    assert wide == [], f"tables wider than the phone on {path}: {wide}"
