"""The built portal, read as HTML: audiences, masking, escaping, links, reproducibility."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest

from generator.build import build
from generator.privacy import mask_name
from generator.results import Results
from generator.sitedir import MARKER, MARKER_TEXT
from generator.validate import load_dataset

from .conftest import PROJECT, Repo, run_subprocess
from .test_scoring import event, events

EPOCH = "1795996800"  # 2026-11-30 (China): after every publicity window and every record of the sample


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    base = tmp_path_factory.mktemp("sites")
    built = {audience: build(PROJECT, audience, base / audience).site_dir for audience in ("public", "internal")}
    mp.undo()
    return built


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(PROJECT)


def text_files(site: Path) -> dict[str, str]:
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".json", ".csv", ".xml", ".txt", ".js"}:
            if "assets/javascripts" in path.as_posix():
                continue  # Material's own bundle
            found[path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8-sig")
    return found


def page(site: Path, relative: str) -> str:
    return (site / relative).read_text(encoding="utf-8")


def test_every_page_of_the_nav_exists(sites: dict[str, Path]) -> None:
    public = sites["public"]
    for relative in [
        "index.html",
        "rankings/index.html",
        "rankings/2026-03/index.html",
        "rankings/2025/index.html",
        "honors/index.html",
        "honors/2025/index.html",
        "notices/index.html",
        "notices/2026-04-08-commendation-2026-03/index.html",
        "rubric/index.html",
        "rubric/2025/index.html",
        "workers/wg-0101/index.html",
        "data/index.html",
        "data/monthly.csv",
        "data/annual.csv",
        "data/results.json",
        "search/search_index.json",
    ]:
        assert (public / relative).is_file(), relative


def test_names_without_consent_are_masked_everywhere_in_public(sites: dict[str, Path], dataset) -> None:
    hidden = [w for w in dataset.organization.workers if not w.publish_name]
    assert hidden, "the sample has workers without consent"
    files = text_files(sites["public"])
    for worker in hidden:
        for relative, text in files.items():
            assert worker.name not in text, f"{worker.name} in {relative}"
        worker_page = page(sites["public"], f"workers/{worker.id}/index.html")
        assert mask_name(worker.name) in worker_page
    compound = next(w for w in hidden if w.name.startswith("欧阳"))
    assert "欧阳*" in page(sites["public"], f"workers/{compound.id}/index.html")
    internal = page(sites["internal"], f"workers/{compound.id}/index.html")
    assert compound.name in internal


def test_internal_only_content_never_reaches_public(sites: dict[str, Path], dataset) -> None:
    evidence = {
        e.event.evidence for entries in dataset.entries.values() for x in entries for e in x.events if e.event.evidence
    }
    notes = {x.record.notes for entries in dataset.entries.values() for x in entries if x.record.notes}
    assert evidence and notes
    public = "\n".join(text_files(sites["public"]).values())
    internal = "\n".join(text_files(sites["internal"]).values())
    for secret in sorted(evidence | notes):
        assert secret not in public, secret
    assert any(secret in internal for secret in evidence)
    assert any(secret in internal for secret in notes)
    for word in ("通报批评", "约谈", "业务培训", "岗位调整", "不再续聘", "内部备注", "佐证"):
        assert word not in public, word
        assert word in internal, word
    assert not (sites["public"] / "notices/2026-06-10-criticism-2026-05").exists()
    assert (sites["internal"] / "notices/2026-06-10-criticism-2026-05/index.html").is_file()
    assert not (sites["public"] / "internal").exists()
    assert "田志明" in page(sites["internal"], "internal/sanctions/index.html")


def test_internal_is_marked_on_every_page(sites: dict[str, Path]) -> None:
    pages = sorted(sites["internal"].rglob("*.html"))
    assert len(pages) > 50
    for path in pages:
        assert "内部资料" in path.read_text(encoding="utf-8"), path
    assert "内部资料" not in page(sites["public"], "index.html")


def test_honor_roll_shows_the_computed_names_and_deeds(sites: dict[str, Path], dataset) -> None:
    summary = Results(dataset).year(2025)
    experts = [r for r in summary.results if any(h.name == "反诈能手" for h in r.honors)]
    excellent = [r for r in summary.results if r.grade.name == "优秀"]
    assert experts and excellent
    html = page(sites["public"], "honors/2025/index.html")
    for result in experts + excellent:
        shown = result.worker.name if result.worker.publish_name else mask_name(result.worker.name)
        assert shown in html
    deed = next(e for r in experts for m in r.months for e in m.commendable_events)
    assert deed.event.summary in html


def test_commendation_lists_come_from_results(sites: dict[str, Path], dataset) -> None:
    from generator.periods import Month

    commendation = Results(dataset).commendation(Month(2026, 3))
    html = page(sites["public"], "notices/2026-04-08-commendation-2026-03/index.html")
    assert "东风反诈〔2026〕3号" in html
    for result in commendation.excellent:
        worker = result.entry.worker
        assert (worker.name if worker.publish_name else mask_name(worker.name)) in html
    for _, deed in commendation.deeds:
        assert deed.event.summary in html
    assert "东风街道反诈工作领导小组" in html


def test_publicity_state_follows_the_build_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.build import render_site

    # The sample is checked as of today (it holds records up to 2026-11); the pages are drawn as of each date.
    for day, state in ((date(2026, 1, 13), "公示中"), (date(2026, 11, 30), "已结束")):
        _, files = render_site(PROJECT, "public", day)
        notice = files["notices/2026-01-12-publicity-2025.md"].decode("utf-8")
        assert f'">{state}</span>' in notice
        assert "公示期：2026-01-12 至 2026-01-18" in notice
        assert "东风街道综治中心 电话 0000\\-0000000" in notice


def test_no_page_loads_anything_from_the_web(sites: dict[str, Path]) -> None:
    loads = re.compile(
        r"""(?:src|href)\s*=\s*["'](?:https?:)?//|@import\s+url\(\s*["']?https?:|url\(\s*["']?https?://"""
    )
    for site in sites.values():
        for path in sorted(site.rglob("*")):
            if path.suffix not in {".html", ".css"}:
                continue
            text = path.read_text(encoding="utf-8")
            for match in loads.finditer(text):
                context = text[max(0, match.start() - 60) : match.end() + 60]
                if re.match(r'<a href="https://beian\.(miit|mps)\.gov\.cn/"', text[match.start() - 3 :]):
                    continue  # the footer's 备案号 link to their record sites (a link, not a load)
                # Material has no other link to the web unless configured
                assert "<a " not in context, f"{path}: {context}"
                pytest.fail(f"{path} loads from the web: {context}")
            assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def test_search_index_has_chinese_words_and_one_short_entry_a_worker(sites: dict[str, Path]) -> None:
    index = json.loads(page(sites["public"], "search/search_index.json"))
    assert index["config"]["lang"] == ["zh"]
    locations = [doc["location"] for doc in index["docs"]]
    workers = [loc for loc in locations if loc.startswith("workers/")]
    assert workers and all(re.fullmatch(r"workers/[^/#]+/", loc) for loc in workers)  # no page's sections
    assert len(workers) == len(set(workers))  # more in tests/test_search.py
    texts = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "反诈\u200b能手" in texts, "jieba segments Chinese text with zero-width spaces"
    joined = texts.replace("\u200b", "")
    assert "反诈能手" in joined and "朝阳社区" in joined


def test_open_data_matches_the_scores_and_masks_names(sites: dict[str, Path], dataset) -> None:
    data = json.loads(page(sites["public"], "data/results.json"))
    march = next(d for d in data["monthly"] if d["period"] == "2026-03")
    from generator.periods import Month
    from generator.report import monthly_json

    expected = monthly_json(Month(2026, 3), Results(dataset).month(Month(2026, 3)), sealed=True)
    workers = dataset.workers
    for row, want in zip(march["results"], expected["results"], strict=True):
        worker = workers[row["worker"]]
        assert row["name"] == (worker.name if worker.publish_name else mask_name(worker.name))
        assert {**row, "name": want["name"]} == want
    raw = (sites["public"] / "data/monthly.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == sum(len(entries) for entries in dataset.entries.values())
    assert {"period", "worker", "name", "total", "grade", "rank", "item.publicity", "bonus"} <= set(rows[0])


def test_rubric_page_shows_version_and_history(sites: dict[str, Path]) -> None:
    html = page(sites["public"], "rubric/index.html")
    assert "网格反诈奖惩考评标准（2026 版）" in html
    assert "现行版本" in html and "2026年1月" in html
    assert "2025 版" in html and "创新做法经上级认可或媒体报道" in html
    old = page(sites["public"], "rubric/2025/index.html")
    assert "历史版本" in old and "创新做法经上级认可或媒体报道" not in old.split("<h2")[2]


def test_worker_page_has_trend_breakdown_and_honors(sites: dict[str, Path]) -> None:
    html = page(sites["public"], "workers/wg-0103/index.html")
    assert html.count('<svg class="gs-trend"') == 1
    assert "<circle" in html and "2026-10" in html
    assert "宣传任务完成率" in html and "四舍五入" in html
    assert "优秀网格员" in html and "反诈能手" in html
    # the breakdowns are put in after MkDocs (page_hook), with their links resolved by MkDocs' rules:
    # every month's item scores in a matrix per year, the computation of the latest month (public) or of
    # every month (internal)
    months = sorted(p.parts[-4] + "-" + p.parts[-3] for p in (PROJECT / "records").glob("20*/[01]*/*/wg-0103.yaml"))
    matrices = re.findall(r'<div class="gs-matrix">(.*?)</div>', html, re.S)
    assert [m.count('<th scope="col">') - 2 for m in matrices] == [
        sum(1 for m in months if m.startswith(year)) for year in sorted({m[:4] for m in months})
    ]
    data = json.loads(page(sites["public"], "data/results.json"))
    march = next(
        r for d in data["monthly"] if d["period"] == "2026-03" for r in d["results"] if r["worker"] == "wg-0103"
    )
    year_2026 = matrices[-1]
    publicity = re.search(r'<th scope="row">宣传教育普及</th><td>15</td>((?:<td>[^<]*</td>)+)</tr>', year_2026)
    assert publicity is not None
    assert re.findall(r"<td>([^<]*)</td>", publicity.group(1))[2] == march["items"]["publicity"]  # 1月, 2月, 3月
    assert html.count('<details class="note"') == 1 and f"{months[-1][:4]}年{int(months[-1][5:])}月" in html
    internal = page(sites["internal"], "workers/wg-0103/index.html")
    assert internal.count('<details class="note"') == len(months)
    assert 'href="../../rubric/2026/"' in html and "data-gs-href" not in html
    for path in sites["public"].rglob("*"):
        assert not path.name.endswith(".fragment.html"), path
        if path.suffix == ".html":
            assert '<div class="gs-fragment">' not in path.read_text(encoding="utf-8"), path


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = build(PROJECT, "public", tmp_path / "a").site_dir
    second = build(PROJECT, "public", tmp_path / "b").site_dir
    files_a = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files_a == files_b
    different = [f for f in files_a if (first / f).read_bytes() != (second / f).read_bytes()]
    assert different == []


def test_a_build_splits_search_text_as_a_fresh_process_does(
    repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The names one build teaches jieba do not change how a later build in the process splits its pages."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    repo.record("w1", "2026-03")
    org = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    # a name that is also a piece of the sample's text ("东风第一社区"): taught to jieba, it would split it
    repo.write("records/organization.yaml", org.replace("name: 张三", "name: 风第一"))
    for _ in range(3):  # another repository's names, taught again and again (gridscore serve rebuilds)
        build(repo.root, "public", tmp_path / "other")
    in_process = build(PROJECT, "public", tmp_path / "a").site_dir
    fresh = tmp_path / "fresh"
    run = run_subprocess("build", "--root", str(PROJECT), "--site-dir", str(fresh))
    assert run.returncode == 0, run.stderr
    index = "search/search_index.json"
    assert (in_process / index).read_bytes() == (fresh / index).read_bytes()


def test_markup_in_data_is_shown_as_text(repo: Repo, tmp_path: Path) -> None:
    summary = "<script>alert(1)</script> [x](javascript:alert(1)) **粗体** <img src=x onerror=alert(2)>"
    repo.record(
        "w1",
        "2026-03",
        extra=events(event("major_dissuasion", "2026-03-12", "    amount_yuan: 80000\n")).replace(
            "测试事迹", f"'{summary}'"
        ),
    )
    org = (repo.root / "records/organization.yaml").read_text(encoding="utf-8")
    org = org.replace("name: 张三", "name: '<b>张三</b>'").replace("short: 测试街道", "short: '<i>测试</i>街道'")
    repo.write("records/organization.yaml", org)
    site = build(repo.root, "internal", tmp_path / "site").site_dir
    html = page(site, "workers/w1/index.html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert 'href="javascript:' not in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<strong>粗体</strong>" not in html and "**粗体**" in html
    assert "&lt;b&gt;张三&lt;/b&gt;" in html and "<b>张三</b>" not in html
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<b>张三</b>" not in text and 'href="javascript:' not in text, path
        assert "<i>测试</i>" not in text, path


def test_a_failed_build_writes_nothing(repo: Repo, tmp_path: Path) -> None:
    repo.record("w1", "2026-03")
    target = tmp_path / "site"
    target.mkdir()
    (target / "index.html").write_text("old", encoding="utf-8")
    (target / MARKER).write_text(MARKER_TEXT, encoding="utf-8")  # an earlier build's site
    repo.record("w2", "2026-03", extra="notes: [\n")
    run = repo.run("build", "--site-dir", str(target))
    assert run.code == 1
    assert run.lines[0].startswith("records/2026/03/c1/w2.yaml:")
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "index.html"]
    assert (target / "index.html").read_text(encoding="utf-8") == "old"
    assert not (repo.root / "site").exists()


def test_build_command_reports_what_it_made(repo: Repo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    repo.record("w1", "2026-03")
    run = repo.run("build", "--site-dir", str(tmp_path / "out"))
    assert run.code == 0, run.err
    assert run.out.startswith(f"已生成公开版站点：{tmp_path / 'out'}")
    assert (tmp_path / "out/index.html").is_file()
    internal = repo.run("build", "--audience", "internal")
    assert internal.code == 0, internal.err
    assert (repo.root / "site-internal/index.html").is_file()
