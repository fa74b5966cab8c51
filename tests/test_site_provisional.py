"""Provisional is never shown as final (PRODUCT.md §5), read from sites built by the real command line.

The sample has every case: months sealed through 2026-09 and 2026-10 open; the year 2025 sealed and
2026 not; commendation notices for 2026-03 and 2026-09 only, though other months had 优秀 workers.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from generator.periods import Month
from generator.privacy import mask_name
from generator.results import Results
from generator.validate import load_dataset

from .conftest import PROJECT, Repo, run_cli

TODAY = "2026-11-30"  # after every record and notice of the sample; the default 2027-12-31 would do as well
ADMONITION = re.compile(r'<div class="admonition warning">\s*<p class="admonition-title">暂定</p>')
WORKER_LINK = re.compile(r'href="[./]*workers/')


def build(root: Path, audience: str, site_dir: Path) -> Path:
    run = run_cli("build", "--root", str(root), "--audience", audience, "--site-dir", str(site_dir), "--today", TODAY)
    assert run.code == 0, run.err
    return site_dir


def copy_sample(target: Path) -> Path:
    shutil.copytree(PROJECT / "records", target / "records")
    shutil.copytree(PROJECT / "rubric", target / "rubric")
    return target


@pytest.fixture(scope="module")
def sample_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = copy_sample(tmp_path_factory.mktemp("sample") / "repo")
    out = root.parent
    return {audience: build(root, audience, out / audience) for audience in ("public", "internal")}


def html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def article(site: Path, path: str) -> str:
    """A page's own content, without the navigation (whose titles name every period)."""
    match = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html(site, path), re.S)
    assert match, path
    return match.group(1)


def section(text: str, heading: str) -> str:
    """The part of an article under the <h2> that contains ``heading``, up to the next <h2>."""
    parts = re.split(r"(?=<h2)", text)
    found = [part for part in parts if part.startswith("<h2") and heading in part.split("</h2>")[0]]
    assert len(found) == 1, f"no single section {heading!r}"
    return found[0]


def shown(worker) -> str:
    return worker.name if worker.publish_name else mask_name(worker.name)


# --- 暂定 on every page of an unsealed period, and only there -------------------------------------------


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_an_unsealed_month_is_marked_provisional_and_sealed_months_are_not(
    sample_sites: dict[str, Path], audience: str
) -> None:
    site = sample_sites[audience]
    october = article(site, "rankings/2026-10")
    assert "<h1" in october and "2026年10月排行榜（暂定）</h1>" in october
    assert ADMONITION.search(october) and "本期结果尚未封存，封存前可能调整" in october
    assert "<title>2026年10月排行榜（暂定）" in html(site, "rankings/2026-10")
    for sealed in ("rankings/2026-09", "rankings/2026-03", "rankings/2025-12", "rankings/2025"):
        text = article(site, sealed)
        assert "暂定" not in text and "尚未封存" not in text, sealed
        assert "封存公布" in text, sealed
    year = article(site, "rankings/2026")
    assert "2026年度排行榜（暂定）</h1>" in year and ADMONITION.search(year)
    assert "12 个月中已封存 9 个月" in year
    # lists and navigation tag the open periods only
    index = article(site, "rankings")
    assert ">2026年10月（暂定）</a>" in index and ">2026年度排行榜（暂定）</a>" in index
    assert ">2026年9月</a>" in index and ">2025年度排行榜</a>" in index
    home = html(site, "")
    assert "10月（暂定）" in home and "9月（暂定）" not in home and "2025年度（暂定）" not in home


def test_worker_pages_mark_the_provisional_rows(sample_sites: dict[str, Path]) -> None:
    text = article(sample_sites["public"], "workers/wg-0103")
    assert ADMONITION.search(text) and "2026年度、2026年10月的结果尚未封存" in text
    assert "2026年10月</a>（暂定）</td>" in text and "2026年9月</a></td>" in text
    assert "<summary>2026年10月（暂定）：" in text  # the latest month's computation (public: that one only)
    assert '<th scope="col">10月（暂定）</th>' in text and '<th scope="col">9月</th>' in text  # the matrix
    internal = article(sample_sites["internal"], "workers/wg-0103")
    assert "<summary>2026年10月（暂定）：" in internal and "<summary>2026年9月：" in internal
    assert "2026年度</a>（暂定）</td>" in text and "2025年度</a></td>" in text
    # the chart: the open month is a hollow point (class "o", white in gridscore.css), the sealed ones are filled
    assert re.search(r'<circle class="o" cx="[0-9.]+" cy="[0-9.]+" r="3.5"><title>2026-10：[0-9.]+ 分（暂定）', text)
    assert re.search(r'<circle cx="[0-9.]+" cy="[0-9.]+" r="3.5"><title>2026-09：[0-9.]+ 分</title>', text)
    assert len(re.findall(r'<circle class="o"', text)) == 1
    assert "空心圆点为暂定结果（尚未封存，封存前可能调整）" in text
    # a worker who left in 2025 has no open period, and her page says nothing of the kind
    left = next(w for w in load_dataset(PROJECT).organization.workers if w.left and w.left.year == 2025)
    text = article(sample_sites["public"], f"workers/{left.id}")
    assert "暂定" not in text and "尚未封存" not in text and "<summary>" in text


def test_internal_sanctions_of_an_open_month_are_marked(sample_sites: dict[str, Path]) -> None:
    text = article(sample_sites["internal"], "internal/sanctions")
    periods = set(re.findall(r"<td>(20\d\d-\d\d(?:（暂定）)?)</td>", text))
    assert "2026-10（暂定）" in periods and "2026-09" in periods
    assert not {p for p in periods if p.endswith("（暂定）")} - {"2026-10（暂定）"}


def test_open_data_says_which_periods_are_sealed(sample_sites: dict[str, Path]) -> None:
    site = sample_sites["public"]
    monthly = list(csv.DictReader(io.StringIO((site / "data/monthly.csv").read_text(encoding="utf-8-sig"))))
    flags = {(row["period"], row["sealed"]) for row in monthly}
    assert ("2026-10", "false") in flags and ("2026-09", "true") in flags and ("2025-01", "true") in flags
    assert not {period for period, sealed in flags if sealed == "false"} - {"2026-10"}
    data = json.loads((site / "data/results.json").read_text(encoding="utf-8"))
    assert {d["period"]: d["sealed"] for d in data["monthly"]}["2026-10"] is False
    assert {d["period"]: d["sealed"] for d in data["annual"]} == {"2025": True, "2026": False}
    dictionary = article(site, "data")
    assert "<td>sealed</td>" in dictionary and "暂定" in dictionary
    assert '<a href="monthly.csv">monthly.csv</a></td>' in dictionary  # the file table is a table


# --- honors only for a sealed year -------------------------------------------------------------------------


def test_public_site_names_no_honors_of_an_unsealed_year(sample_sites: dict[str, Path]) -> None:
    site = sample_sites["public"]
    dataset = load_dataset(PROJECT)
    rubric = Results(dataset).year(2026).rubric
    names = [honor.name for honor in rubric.honors]
    honors_2026 = article(site, "honors/2026")
    assert "年度评选进行中" in honors_2026 and "12 个月中已有 9 个月的考评结果封存" in honors_2026
    assert all(name in honors_2026 for name in names)
    assert not WORKER_LINK.search(honors_2026) and "年度得分" not in honors_2026
    in_progress = section(article(site, "honors"), "2026年度")
    assert "年度评选进行中" in in_progress and not WORKER_LINK.search(in_progress)
    home_2026 = section(article(site, ""), "2026年度光荣榜")
    assert "年度评选进行中" in home_2026 and not WORKER_LINK.search(home_2026)
    # the year ranking shows the running scores, no annual grade and no honors
    ranking = article(site, "rankings/2026")
    assert (
        "年度评选进行中" in ranking
        and '<th scope="col">等次</th>' not in ranking
        and '<th scope="col">荣誉</th>' not in ranking
    )
    assert not any(name in ranking.split("<table>")[1] for name in names)
    # nor does a worker page or the open data
    worker = article(site, "workers/wg-0203")
    assert "2026年度荣誉" not in worker and "评选进行中</td>" in worker
    data = json.loads((site / "data/results.json").read_text(encoding="utf-8"))
    year = next(d for d in data["annual"] if d["period"] == "2026")
    assert {(r["grade"], r["honors"]) for r in year["results"]} == {(None, None)}
    annual = list(csv.DictReader(io.StringIO((site / "data/annual.csv").read_text(encoding="utf-8-sig"))))
    assert {(r["grade"], r["honors"]) for r in annual if r["year"] == "2026"} == {("", "")}
    assert any(r["honors"] for r in annual if r["year"] == "2025")


def test_public_site_names_the_honors_of_a_sealed_year(sample_sites: dict[str, Path]) -> None:
    site = sample_sites["public"]
    summary = Results(load_dataset(PROJECT)).year(2025)
    holders = [r.worker for r in summary.results if r.honors]
    assert holders
    for text in (article(site, "honors/2025"), section(article(site, "honors"), "2025年度")):
        assert "评选进行中" not in text and "暂定" not in text
        for worker in holders:
            assert shown(worker) in text
    home = section(article(site, ""), "2025年度光荣榜")
    assert all(shown(worker) in home for worker in holders)
    assert '<th scope="col">荣誉</th>' in article(site, "rankings/2025")


def test_internal_site_shows_the_provisional_honors_marked(sample_sites: dict[str, Path]) -> None:
    site = sample_sites["internal"]
    summary = Results(load_dataset(PROJECT)).year(2026)
    holders = [r.worker for r in summary.results if r.honors]
    text = article(site, "honors/2026")
    assert ADMONITION.search(text) and "公开版在封存前不公布名单" in text
    assert all(worker.name in text for worker in holders)
    assert all(f"{honor.name}（暂定）" in text for honor in summary.rubric.honors)
    assert "2026年度荣誉（暂定）：" in article(site, f"workers/{holders[0].id}")
    assert '<th scope="col">荣誉</th>' in article(site, "rankings/2026")


def test_sealing_the_year_publishes_its_honors(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "repo")
    # the sample's year 2025 as it was before its seal (and before its 公示 and 通报表扬)
    (root / "records/seals/2025.yaml").unlink()
    for notice in ("2026-01-12-publicity-2025", "2026-01-20-commendation-2025"):
        (root / f"records/notices/{notice}.yaml").unlink()
    shutil.rmtree(root / "records/objections/2026-01-12-publicity-2025")  # the objections to that 公示
    # sealing a year today needs an annual review of everyone assessed in it (§6), wg-0309 (left in September) too
    (root / "records/2025/annual/chaoyang/wg-0309.yaml").write_text(
        "worker: wg-0309\nyear: 2025\nreview_score: 80\nassessed_by: zz-li\nassessed_on: 2026-01-08\n", encoding="utf-8"
    )
    holders = [r.worker for r in Results(load_dataset(root)).year(2025).results if r.honors]
    before = build(root, "public", tmp_path / "before")
    text = article(before, "honors/2025")
    assert "年度评选进行中" in text and "12 个月中已有 12 个月的考评结果封存" in text
    assert not WORKER_LINK.search(text)
    assert "2025年度光荣榜（评选进行中）" in html(before, "honors/2025")
    seal = run_cli("seal", "2025", "--root", str(root), "--today", TODAY)
    assert seal.code == 0, seal.err
    after = build(root, "public", tmp_path / "after")
    text = article(after, "honors/2025")
    assert "评选进行中" not in text
    assert all(shown(worker) in text for worker in holders)


# --- the home headline, and 通报表扬 only with a notice ----------------------------------------------------


def test_home_headline_is_the_latest_sealed_month(sample_sites: dict[str, Path]) -> None:
    home = article(sample_sites["public"], "")
    headline = section(home, "考评结果")
    assert "2026年9月考评结果" in headline and 'href="rankings/2026-09/"' in headline
    assert "2026年10月考评结果" not in home
    assert 'href="rankings/2026-10/">2026年10月（暂定）</a>' in home


def test_home_headline_waits_for_the_first_seal(repo: Repo, tmp_path: Path) -> None:
    org = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    repo.write("records/organization.yaml", org.replace("joined: 2025-01, left: null", "joined: 2026-03, left: null"))
    for worker in ("w1", "w2"):
        repo.record(worker, "2026-03")
    home = article(build(repo.root, "public", tmp_path / "none"), "")
    assert "暂无已封存的考评结果" in home and "2026年3月考评结果" not in home
    assert 'href="rankings/2026-03/">2026年3月（暂定）</a>' in home
    assert run_cli("seal", "2026-03", "--root", str(repo.root)).code == 0
    for worker in ("w1", "w2"):
        repo.record(worker, "2026-04")
    home = article(build(repo.root, "public", tmp_path / "one"), "")
    assert "暂无已封存" not in home and "2026年3月考评结果" in home and "2026年4月考评结果" not in home
    assert 'href="rankings/2026-04/">2026年4月（暂定）</a>' in home


def test_commendations_are_listed_only_for_months_with_a_notice(sample_sites: dict[str, Path]) -> None:
    dataset = load_dataset(PROJECT)
    results = Results(dataset)
    noticed = {
        n.notice.period
        for n in dataset.notices
        if n.notice.kind == "commendation" and isinstance(n.notice.period, Month)
    }
    assert noticed == {Month(2026, 3), Month(2026, 9)}
    without = [m for m in (Month(2026, 10), Month(2026, 8)) if results.commendation(m).excellent]
    assert without, "the sample has months with 优秀 workers and no notice"
    listed = section(article(sample_sites["public"], "honors"), "近期月度通报表扬")
    for month in without:
        assert month.label not in listed
    assert '<a href="../notices/2026-10-09-commendation-2026-09/">2026年9月通报表扬</a>' in listed
    assert '<a href="../notices/2026-04-08-commendation-2026-03/">2026年3月通报表扬</a>' in listed
    # the names are the notice's own
    notice = article(sample_sites["public"], "notices/2026-10-09-commendation-2026-09")
    september = listed.split("2026年9月通报表扬")[1].split("</li>")[0]
    names = re.findall(r'<a href="\.\./workers/[^"]+">([^<]+)</a>', september)
    assert names and all(name in notice for name in names)
    assert names == [shown(r.entry.worker) for r in results.commendation(Month(2026, 9)).excellent]


# --- every number from the rubric ------------------------------------------------------------------------------


def test_the_new_sentences_follow_the_rubric(repo: Repo, tmp_path: Path) -> None:
    for version in ("2025", "2026"):
        path = repo.root / f"rubric/{version}.yaml"
        text = path.read_text(encoding="utf-8")
        for old, new in (
            ("name: 反诈能手", "name: 反诈标兵"),
            ("bonus_cap: 10 ", "bonus_cap: 8 "),
            ("bonus_cap: 5 ", "bonus_cap: 8 "),
            ("monthly_weight: 0.7 ", "monthly_weight: 0.6 "),
            ("review_weight: 0.3 ", "review_weight: 0.4 "),
        ):
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    repo.record("w1", "2026-03")
    repo.record("w2", "2026-03")
    site = build(repo.root, "public", tmp_path / "site")
    home = article(site, "")
    assert "每月最多加 8 分" in home and "反诈标兵和优秀网格员名单" in home and "反诈能手" not in home
    ranking = article(site, "rankings/2026")
    assert "0.6 × 月度平均分 + 0.4 × 年度综合评议" in ranking and "0.7" not in ranking
    honors = article(site, "honors")
    assert "反诈标兵" in honors and "反诈能手" not in honors
    assert "（0–108，两位小数）" in article(site, "data")
