"""Material's own search box on the built public site (headless Chromium): what comes first.

Both sides of a Chinese search are split differently: jieba splits the pages when the site
is built, the browser splits the query by the words the index holds. Only the real client
shows what a reader gets; test_search.py checks the index itself.
"""

from __future__ import annotations

from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from .test_browser import SET_QUERY, TIMEOUT, base_url, driver, open_page, search, site_dir  # noqa: F401

__all__ = ["base_url", "driver", "site_dir"]  # fixtures, used by name


def first_results(driver: WebDriver, base_url: str, query: str) -> list[str]:  # noqa: F811
    """The pages of the results Material shows for ``query``, best first, relative to the site."""
    search(driver, query)

    def links(d: WebDriver) -> Any:
        hrefs = d.execute_script(
            "return Array.from(document.querySelectorAll('.md-search-result__item > a'))"
            ".map(a => a.getAttribute('href'))"
        )
        return hrefs or False

    hrefs: list[str] = WebDriverWait(driver, TIMEOUT).until(links)
    return [
        href.split("#")[0].split("?")[0].removeprefix(base_url).removeprefix("./").removeprefix("../") for href in hrefs
    ]


@pytest.fixture(scope="module")
def home(driver: WebDriver, base_url: str) -> WebDriver:  # noqa: F811
    open_page(driver, base_url)
    return driver


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("张伟", "workers/wg-0101/"),  # a worker who consented, by name
        ("wg-0101", "workers/wg-0101/"),  # anyone, by id
        ("wg-0104", "workers/wg-0104/"),  # a worker who did not consent: found by id
        ("2026年3月", "rankings/2026-03/"),
        ("3月", "rankings/2026-03/"),
        ("2026-03", "rankings/2026-03/"),
        ("2026年3月排行榜", "rankings/2026-03/"),
        ("反诈能手", "honors/"),
    ],
)
def test_first_result(home: WebDriver, base_url: str, query: str, first: str) -> None:  # noqa: F811
    found = first_results(home, base_url, query)
    assert found[0] == first, f"{query!r} shows first {found[:5]}"


def test_a_name_without_consent_finds_nothing_by_the_full_name(home: WebDriver, base_url: str) -> None:  # noqa: F811
    search(home, "wg-0104")  # results shown: the box works, and the next query must replace them
    home.execute_script(SET_QUERY, home.find_element(By.CSS_SELECTOR, "input.md-search__input"), "欧阳明轩")
    WebDriverWait(home, TIMEOUT).until(
        lambda d: d.find_element(By.CSS_SELECTOR, ".md-search-result__meta").text == "没有找到符合条件的结果"
    )
    assert not home.find_elements(By.CSS_SELECTOR, ".md-search-result__item")
