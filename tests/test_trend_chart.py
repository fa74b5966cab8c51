"""A worker page's trend chart (PRODUCT.md §5, generator/chart.py), read from the real built sample site.

Every value readable as text, the unit's monthly mean as a second line, the grade bands named from the
rubric, and small enough for a county's 3,000 worker pages. How it looks in a browser (text size, nothing
clipped or overprinted at 360 and 1280 px) is tests/test_trend_chart_browser.py.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from generator.chart import TrendPoint, trend_svg
from generator.validate import load_dataset

from .conftest import PROJECT, run_cli
from .test_site_text import edited_sample

EPOCH = "1795996800"  # 2026-11-30 (China): 2026-10 is still open (暂定)
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
SVG = re.compile(r'<svg class="gs-trend".*?</svg>', re.S)
CIRCLE = re.compile(r'<circle(?: class="o")? cx="([\d.]+)" cy="([\d.]+)" r="3.5"><title>(\d{4}-\d\d)：([\d.]+) 分')
VALUE = re.compile(r'<text class="v" x="[\d.]+" y="[\d.]+">([\d.]+)</text>')
ROW = re.compile(r'<tr><td><a href="[^"]+">(\d{4})年(\d{1,2})月</a>(?:（暂定）)?</td><td class="gs-num">([\d.]+)</td>')


def build(root: Path, out: Path) -> Path:
    run = run_cli("build", "--root", str(root), "--audience", "public", "--site-dir", str(out))
    assert run.code == 0, run.err
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return build(PROJECT, tmp_path_factory.mktemp("chart") / "site")


def worker_page(site: Path, worker: str) -> tuple[str, str]:
    """A worker page's main content and its chart."""
    text = (site / "workers" / worker / "index.html").read_text(encoding="utf-8")
    match = ARTICLE.search(text)
    assert match, worker
    chart = SVG.search(match.group(1))
    assert chart, f"{worker} has no trend chart"
    return match.group(1), chart.group(0)


def table_totals(article: str) -> dict[str, str]:
    """The 月份/总分 table under the chart: month → total."""
    table = article.split("<table>", 1)[1].split("</table>", 1)[0]
    return {f"{y}-{int(m):02d}": total for y, m, total in ROW.findall(table)}


def months_of(worker: str) -> int:
    return len(list((PROJECT / "records").glob(f"20*/[01]*/*/{worker}.yaml")))


def test_every_value_is_text_where_there_is_room(site: Path) -> None:
    """Seven months: each point carries its total; the chart's figures are the table's."""
    assert months_of("wg-0410") == 7
    article, chart = worker_page(site, "wg-0410")
    points = CIRCLE.findall(chart)
    table = table_totals(article)
    assert len(points) == 7 and {month: total for _, _, month, total in points} == table
    assert VALUE.findall(chart) == [total for _, _, _, total in points]


def test_a_long_trend_labels_the_latest_and_points_to_the_table(site: Path) -> None:
    """22 months leave no room for 22 figures: the latest carries its own, the note under the chart says where the rest are."""
    assert months_of("wg-0101") == 22
    article, chart = worker_page(site, "wg-0101")
    points = CIRCLE.findall(chart)
    assert len(points) == 22
    assert VALUE.findall(chart) == [points[-1][3]]
    assert {month: total for _, _, month, total in points} == table_totals(article)
    # the chart is described by the visible note right under it, which names the table
    assert 'aria-describedby="gs-trend-note"' in chart
    note = re.search(r'<p id="gs-trend-note" class="gs-trend-note">(.*?)</p>', article)
    assert note and article.index(chart) < note.start() < article.index("<table>")
    assert "各月总分见下表" in note.group(1) and "空心圆点为暂定结果" in note.group(1)
    # the month labels are short, and the year is said where it starts
    labels = re.findall(r'<text class="x" x="[\d.]+" y="[\d.]+">([^<]+)</text>', chart)
    assert labels[:2] == ["1月", "2025年"] and "2026年" in labels and labels[-1] == "10月"
    assert not [label for label in labels if "-" in label]


def _mean(totals: list[str]) -> str:
    exact = sum(Decimal(t) for t in totals) / len(totals)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_the_unit_mean_is_the_mean_of_the_months_results(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    run = run_cli("score", "2026-03", "--json", "--root", str(PROJECT))
    assert run.code == 0, run.err
    results = json.loads(run.out)["results"]
    assert len(results) > 30
    mean = _mean([r["total"] for r in results])
    unit = yaml.safe_load((PROJECT / "records/organization.yaml").read_text(encoding="utf-8"))["unit"]["short"]
    label = f"全{unit}平均"
    article, chart = worker_page(site, "wg-0101")
    assert f">{label}</text>" in chart  # the legend
    # the matrix says it in figures, month by month (the line's own figures, for a touch screen too)
    year_2026 = article.split("<strong>2026年各项得分</strong>", 1)[1].split("</table>", 1)[0]
    row = re.search(rf'<tr class="gs-mean"><th scope="row">{label}</th><td></td>((?:<td>[^<]*</td>)+)</tr>', year_2026)
    assert row is not None
    assert re.findall(r"<td>([^<]*)</td>", row.group(1))[2] == mean  # 1月, 2月, 3月
    # The dashed line passes through the mean: the worker's own points give the scale.
    points = [(float(x), float(y), month, Fraction(total)) for x, y, month, total in CIRCLE.findall(chart)]
    (_, y1, _, v1), (_, y2, _, v2) = min(points, key=lambda p: p[3]), max(points, key=lambda p: p[3])
    slope = (y2 - y1) / float(v2 - v1)
    legend, line = re.findall(r'<path class="a" d="([^"]+)"/>', chart)  # the legend's sample, then the line
    assert "L" not in legend
    vertices = [tuple(map(float, v.split(","))) for v in line.replace("M", "").split(" L")]
    assert len(vertices) == len(points)
    x, y, _, _ = next(p for p in points if p[2] == "2026-03")
    vx, vy = next(v for v in vertices if abs(v[0] - x) < 0.01)
    assert vy == pytest.approx(y1 + slope * float(Fraction(mean) - v1), abs=0.15)


def test_the_grade_bands_follow_the_rubric(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = edited_sample(tmp_path / "repo")  # every grade boundary moved, 不合格 renamed 待改进
    rubric_file = root / "rubric/2026.yaml"
    rubric_file.write_text(
        rubric_file.read_text(encoding="utf-8").replace("name: 优秀, min: 92}", 'name: "<b>卓越</b>", min: 92}'),
        encoding="utf-8",
    )
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    site = build(root, tmp_path / "site")
    grades = sorted(yaml.safe_load(rubric_file.read_text(encoding="utf-8"))["grades"], key=lambda g: -g["min"])
    assert [g["name"] for g in grades] == ["<b>卓越</b>", "良好", "合格", "待改进"]
    _, chart = worker_page(site, "wg-0101")
    names = re.findall(r'<text class="g" x="[\d.]+" y="[\d.]+">([^<]+)</text>', chart)
    assert names == ["&lt;b&gt;卓越&lt;/b&gt;", "良好", "合格", "待改进"]
    assert "<b>" not in chart and "不合格" not in chart
    figures = re.findall(r'<text class="y" x="[\d.]+" y="[\d.]+">([^<]+)</text>', chart)
    assert figures == [str(g["min"]) for g in grades if g["min"] > 0] == ["92", "82", "65"]
    assert len(re.findall(r"<rect class=", chart)) == 4


def test_the_chart_is_small(site: Path) -> None:
    """A county has 3,000 worker pages and a 60 MB budget: at most about 3.2 KB for a year of months."""
    sizes = {}
    for page in sorted((site / "workers").glob("*/index.html")):
        worker = page.parent.name
        months = months_of(worker)
        if months:
            sizes[worker] = (months, len(worker_page(site, worker)[1].encode("utf-8")))
    assert len(sizes) > 30
    assert {w: s for w, (m, s) in sizes.items() if s > 1500 + 140 * m} == {}
    assert sizes["wg-0101"][1] < 4 * 1024  # 22 months


def test_one_month_and_a_missing_mean() -> None:
    """A worker's first month: one point in the middle, with its value; no mean, no dashed line."""
    rubric = load_dataset(PROJECT).rubrics[-1].rubric
    chart = trend_svg([TrendPoint("2026-10", Fraction("77.5"), provisional=True)], "新人", rubric, "全东风街道平均")
    assert re.search(
        r'<circle class="o" cx="[\d.]+" cy="[\d.]+" r="3.5"><title>2026-10：77.50 分（暂定）</title>', chart
    )
    assert VALUE.findall(chart) == ["77.50"]
    assert 'class="a"' not in chart and "全东风街道平均" not in chart
    assert re.findall(r'<text class="x" x="[\d.]+" y="[\d.]+">([^<]+)</text>', chart) == ["10月", "2026年"]
    assert trend_svg([], "空", rubric) == ""


def test_a_trend_from_december_says_both_years_apart() -> None:
    """Every month labelled (seven points have room); 2026年 cannot sit beside 2025年, so it goes one label on."""
    rubric = load_dataset(PROJECT).rubrics[-1].rubric
    months = ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    chart = trend_svg(
        [TrendPoint(m, Fraction(80 + i), mean=Fraction(79)) for i, m in enumerate(months)], "t", rubric, "均"
    )
    labels = re.findall(r'<text class="x" x="([\d.]+)" y="([\d.]+)">([^<]+)</text>', chart)
    assert [text for _, _, text in labels] == ["12月", "2025年", "1月", "2月", "2026年", "3月", "4月", "5月", "6月"]
    years = [float(x) for x, _, text in labels if text.endswith("年")]
    assert years[1] - years[0] >= 46
    assert len(VALUE.findall(chart)) == 7
