"""A worker page's trend chart in headless Chromium, on a 360 px phone and a 1280 px screen.

The chart is an SVG scaled to its box, so how large its text is depends on the page around it: only a
browser can say. Every label is at least 11 px, none is cut off by the chart's edge or runs into
another, and the chart does not grow past the text's own size on a wide screen. tests/test_trend_chart.py
checks what the chart says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from .test_browser import DESKTOP, WIDTH, assert_fits_width, base_url, desktop, driver, open_page, site_dir  # noqa: F401

__all__ = ["base_url", "desktop", "driver", "site_dir"]  # fixtures, used by name

# 22 months (the latest carries its value) and 7 (every point does): the two layouts of the labels.
WORKERS = ["wg-0101", "wg-0410"]
SMALLEST_PX = 11

MEASURE = """
const svg = document.querySelector('svg.gs-trend');
const box = svg.getBoundingClientRect();
const view = svg.viewBox.baseVal;
const body = document.querySelector('.md-typeset p');
return {
  box: [box.left, box.top, box.right, box.bottom],
  view: [view.x, view.y, view.x + view.width, view.y + view.height],
  page: document.documentElement.clientWidth,
  body_px: parseFloat(getComputedStyle(body).fontSize),
  texts: Array.from(svg.querySelectorAll('text')).map(t => {
    const r = t.getBoundingClientRect(), b = t.getBBox();
    return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
            rect: [r.left, r.top, r.right, r.bottom], bbox: [b.x, b.y, b.x + b.width, b.y + b.height]};
  }),
  circles: Array.from(svg.querySelectorAll('circle title')).map(t => [t.textContent, getComputedStyle(t.parentNode).fill]),
};
"""


def measure(browser: WebDriver, url: str) -> dict[str, Any]:
    open_page(browser, url)
    return browser.execute_script(MEASURE)  # type: ignore[no-any-return]


def _overlap(a: list[float], b: list[float]) -> float:
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def check_chart(found: dict[str, Any], width: int) -> None:
    texts = found["texts"]
    assert len(texts) > 10
    small = [(t["text"], round(t["px"], 1)) for t in texts if t["px"] < SMALLEST_PX]
    assert small == [], f"labels under {SMALLEST_PX} px at {width} px"
    x0, y0, x1, y1 = found["view"]
    clipped = [
        t["text"] for t in texts if t["bbox"][0] < x0 or t["bbox"][1] < y0 or t["bbox"][2] > x1 or t["bbox"][3] > y1
    ]
    assert clipped == [], f"labels cut off by the chart's edge at {width} px"
    left, _, right, _ = found["box"]
    assert 0 <= left and right <= found["page"], f"the chart runs off a {width} px page: {found['box']}"
    crossing = [
        (a["text"], b["text"])
        for i, a in enumerate(texts)
        for b in texts[i + 1 :]
        if _overlap(a["rect"], b["rect"]) > 1
    ]
    assert crossing == [], f"labels printed over each other at {width} px"
    # On a wide screen the chart stops growing: its labels stay near the size of the text around it.
    largest = max(t["px"] for t in texts)
    assert largest <= found["body_px"] * 1.25, f"labels of {largest:.1f} px beside {found['body_px']} px text"


@pytest.mark.parametrize("worker", WORKERS)
def test_labels_are_readable_on_a_phone(driver: WebDriver, base_url: str, worker: str) -> None:  # noqa: F811
    found = measure(driver, f"{base_url}workers/{worker}/")
    assert driver.execute_script("return window.innerWidth") == WIDTH
    check_chart(found, WIDTH)
    assert_fits_width(driver)


def test_no_worker_has_a_label_cut_off_or_overprinted(driver: WebDriver, base_url: str, site_dir: Path) -> None:  # noqa: F811
    """Every worker of the sample at phone width: high and low scores, short and long trends, a veto."""
    workers = sorted(p.parent.name for p in site_dir.glob("workers/*/index.html") if "gs-trend" in p.read_text("utf-8"))
    assert len(workers) > 30
    failed = {}
    for worker in workers:
        try:
            check_chart(measure(driver, f"{base_url}workers/{worker}/"), WIDTH)
        except AssertionError as error:
            failed[worker] = str(error).splitlines()[0]
    assert failed == {}


@pytest.mark.parametrize("worker", WORKERS)
def test_labels_are_readable_on_a_wide_screen(desktop: WebDriver, base_url: str, worker: str) -> None:  # noqa: F811
    found = measure(desktop, f"{base_url}workers/{worker}/")
    assert desktop.execute_script("return window.innerWidth") == DESKTOP
    check_chart(found, DESKTOP)


def test_provisional_points_are_hollow(driver: WebDriver, base_url: str) -> None:  # noqa: F811
    found = measure(driver, f"{base_url}workers/wg-0101/")
    fills = {title.split("：")[0]: fill for title, fill in found["circles"] if "：" in title}
    assert fills["2026-10"] == "rgb(255, 255, 255)"  # 暂定: still open at the build date
    assert {fill for month, fill in fills.items() if month != "2026-10"} == {"rgb(200, 22, 29)"}
