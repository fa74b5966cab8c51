"""The open-data CSV is read by people in Excel / WPS: it names each worker's community and grid (§5)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from .conftest import run_cli


def rows(site: Path, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((site / "data" / name).read_text(encoding="utf-8-sig"))))


def test_the_csv_names_the_community_and_the_grid(sample: Path, tmp_path: Path) -> None:
    org = sample / "records/organization.yaml"
    org.write_text(
        org.read_text(encoding="utf-8").replace("name: 东风第一社区", "name: =东风第一社区", 1), encoding="utf-8"
    )
    site = tmp_path / "site"
    built = run_cli("build", "--root", str(sample), "--site-dir", str(site))
    assert built.code == 0, built.err
    monthly = rows(site, "monthly.csv")
    header = list(monthly[0])
    assert header[header.index("community") + 1 : header.index("community") + 3] == ["community_name", "grid"]
    row = next(r for r in monthly if r["worker"] == "wg-0101" and r["period"] == "2026-03")
    assert (row["community"], row["community_name"], row["grid"]) == ("dongfeng-1", "'=东风第一社区", "第一网格")
    annual = next(r for r in rows(site, "annual.csv") if r["worker"] == "wg-0301")
    assert (annual["community_name"], annual["grid"]) == ("朝阳社区", "第一网格")
    assert "| community_name | 社区名称 |" not in (site / "data/index.html").read_text(encoding="utf-8")


def test_a_worker_page_gives_the_months_assessed_not_the_join_date(tmp_path: Path) -> None:
    from .conftest import PROJECT

    site = tmp_path / "site"
    assert run_cli("build", "--root", str(PROJECT), "--site-dir", str(site)).code == 0
    page = (site / "workers/wg-0101/index.html").read_text(encoding="utf-8")
    assert "考评期间 2025年1月起" in page and "2023-06 起" not in page  # joined 2023-06, first record 2025-01
    left = (site / "workers/wg-0309/index.html").read_text(encoding="utf-8")
    assert "考评期间 2025年1月至2025年9月" in left


def test_a_month_ranking_shows_ties_the_change_and_each_community(repo, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from .test_scoring import metrics

    repo.record("w1", "2026-02")
    repo.record("w2", "2026-02", metrics=metrics(case="good"))
    repo.record("w3", "2026-02", community="c2")
    repo.record("w1", "2026-03", metrics=metrics(case="good"))
    repo.record("w2", "2026-03", metrics=metrics(case="good"))  # the same total as w1: both rank 1
    site = tmp_path / "site"
    assert repo.run("build", "--site-dir", str(site)).code == 0
    first = (site / "rankings/2026-02/index.html").read_text(encoding="utf-8")
    assert "升降" not in first  # nothing to compare the first month with
    march = (site / "rankings/2026-03/index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-community="(\w+)">(.*?)</tr>', march)
    cells = {re.search(r">([^<]+)</a>", row).group(1): re.findall(r"<td[^>]*>(.*?)</td>", row) for _, row in rows}
    assert cells["张三"][0] == '1<span class="gs-tie">并列</span>' and cells["张三"][-1] == "持平"
    assert (
        cells["欧阳*"][0] == '1<span class="gs-tie">并列</span>' and cells["欧阳*"][-1] == "↑2"
    )  # third in February (w1 and w3 tied first)
    assert "各社区概况" not in march  # one community assessed: nothing to compare
    february = re.sub(r"\s+", "", first)
    assert '<td>第一社区</td><tdstyle="text-align:right;">2</td>' in february
    assert '<td>第二社区</td><tdstyle="text-align:right;">1</td>' in february
