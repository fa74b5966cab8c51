"""The open-data CSV is read by people in Excel / WPS: it names each worker's community and grid (§5)."""

from __future__ import annotations

import csv
import io
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
