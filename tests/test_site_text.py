"""The portal's text: every figure from the rubric, no Markdown left unrendered, no deduction narrative in public.

All through the real CLI build of the sample (PRODUCT.md §5).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from .conftest import PROJECT, run_cli

EPOCH = "1795996800"  # 2026-11-30 (China): after every publicity window and every record of the sample
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)


def build_both(root: Path, out: Path) -> dict[str, Path]:
    sites = {}
    for audience in ("public", "internal"):
        run = run_cli("build", "--root", str(root), "--audience", audience, "--site-dir", str(out / audience))
        assert run.code == 0, run.err
        sites[audience] = out / audience
    return sites


def articles(site: Path) -> dict[str, str]:
    """Every HTML page's main content (without the navigation, whose titles name every period)."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        match = ARTICLE.search(path.read_text(encoding="utf-8"))
        assert match, f"{path} has no main content"
        found[path.relative_to(site).as_posix()] = match.group(1)
    assert len(found) > 50
    return found


def all_text(site: Path) -> dict[str, str]:
    """Every text file the site publishes: pages, search index, CSV, JSON, RSS, sitemap."""
    found = {}
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".json", ".csv", ".xml", ".txt", ".js", ".md"}:
            if "assets/javascripts" in path.as_posix():
                continue  # Material's own bundle
            found[path.relative_to(site).as_posix()] = path.read_text(encoding="utf-8-sig")
    return found


@pytest.fixture(scope="module")
def sample_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        return build_both(PROJECT, tmp_path_factory.mktemp("sample"))
    finally:
        mp.undo()


# --- Markdown that failed to render ------------------------------------------------------------

# A Markdown table row or separator left as text, a Jinja delimiter, or bold that did not become <strong>.
UNRENDERED = [
    ("table separator", re.compile(r"\|\s*:?-{3,}:?\s*\|")),
    ("table row", re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)),
    ("Jinja", re.compile(r"\{%|%\}|\{\{|\}\}|\{#|#\}")),
    ("bold", re.compile(r"\*\*")),
]


def unrendered(article: str) -> list[str]:
    """Markdown syntax visible in a page's content: its text, tags removed, one line per source line."""
    text = re.sub(r"<[^>]+>", "\n", article)  # "<p>| a | b |</p>" → "| a | b |" on a line of its own
    text = text.replace("&#124;", "|").replace("&lbrace;", "{").replace("&rbrace;", "}")
    return [f"{name}: {m.group(0)!r}" for name, pattern in UNRENDERED for m in pattern.finditer(text)]


def test_the_guard_sees_raw_markdown() -> None:
    assert unrendered("<p>| 文件 | 内容 |\n| --- | --- |</p>")
    assert unrendered("<p>{% endif %}</p>")
    assert unrendered("<p>see {{ x }}</p>")
    assert unrendered("<p>**优秀网格员**：…</p>")
    assert unrendered("<p>文件 | 内容 | 说明</p>") == []
    assert unrendered("<table><tr><td>a</td><td>b</td></tr></table><p><strong>x</strong></p>") == []


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_no_page_shows_unrendered_markdown(sample_sites: dict[str, Path], audience: str) -> None:
    found = {path: hits for path, article in articles(sample_sites[audience]).items() if (hits := unrendered(article))}
    assert found == {}


# --- privacy: deduction narratives are internal ------------------------------------------------


def deduction_summaries(root: Path) -> dict[str, str]:
    """Summary → file, of every deduction and veto event of the sample's records (long enough to be unique text)."""
    kinds = {}
    for rubric in (root / "rubric").glob("*.yaml"):
        for kind in yaml.safe_load(rubric.read_text(encoding="utf-8"))["events"]:
            kinds[kind["id"]] = kind["effect"]
    found = {}
    for path in sorted((root / "records").glob("[0-9]*/*/*/*.yaml")):
        for event in yaml.safe_load(path.read_text(encoding="utf-8")).get("events") or []:
            if kinds.get(event["kind"]) in ("item_deduction", "total_deduction"):
                found[event["summary"]] = path.relative_to(root).as_posix()
    return found


def test_no_deduction_summary_is_published(sample_sites: dict[str, Path]) -> None:
    summaries = deduction_summaries(PROJECT)
    veto = "网格内多名老年人卷入“养老投资”骗局，前期排查不力"  # wg-0405's 一票否决, 2026-05 (consents to his name)
    assert veto in summaries and len(summaries) >= 10
    public, internal = all_text(sample_sites["public"]), all_text(sample_sites["internal"])
    for summary in summaries:
        leaked = [path for path, text in public.items() if summary in text]
        assert leaked == [], f"{summary!r} ({summaries[summary]}) is published in {leaked}"
        assert any(summary in text for text in internal.values()), f"{summary!r} is missing from the internal site"
    # The public page still shows the event, by its rubric name and points.
    page = public["workers/wg-0405/index.html"]
    assert "−10 排查不力导致网格内发生重大涉诈风险事件（2026-05-18）" in page
    assert veto in internal["workers/wg-0405/index.html"]
    assert "（2026-05-18）：" + veto in internal["workers/wg-0405/index.html"]


# --- every number from the rubric ---------------------------------------------------------------

# (file, old text, new text): each a rule the pages state, changed to something no page could say by chance.
RUBRIC_EDITS = [
    ("*", "monthly_weight: 0.7 ", "monthly_weight: 0.6 "),
    ("*", "review_weight: 0.3 ", "review_weight: 0.4 "),
    ("*", "    top: 3\n", "    top: 5\n"),
    ("*", "min_months: 6\n", "min_months: 5\n"),
    ("*", "excellent_min_months: 6 ", "excellent_min_months: 7 "),
    ("*", "excellent_quota: 0.2 ", "excellent_quota: 0.25 "),
    ("*", "name: 优秀, min: 90}", "name: 优秀, min: 92}"),
    ("*", "name: 良好, min: 80}", "name: 良好, min: 82}"),
    ("*", "name: 合格, min: 60}", "name: 合格, min: 65}"),
    ("*", "name: 不合格, min: 0}", "name: 待改进, min: 0}"),
    ("*", "veto_grade_cap: good ", "veto_grade_cap: pass "),
    ("*", "    name: 预警劝阻与案件协防\n", "    name: 劝阻协防\n"),
    ("2026", "bonus_cap: 10 ", "bonus_cap: 8 "),
    ("2026", "每月加分上限由 5 分提高到 10 分", "每月加分上限由 4 分提高到 8 分"),
    ("2025", "bonus_cap: 5 ", "bonus_cap: 4 "),
]
# Text the sample's pages say with the real rubric and must not say with the edited one. The honor's free
# description still says "前 3 名" and "预警劝阻与案件协防": the pages state the rule from its fields.
STALE = [
    "0.7 ×",
    "0.3 ×",
    "前 3 名",
    "满 6 个月",
    "20%",
    "× 0.2（",
    "≥ 90 分",
    "90 分以上",
    "&lt; 90 分",
    "80 分 ≤",
    "&lt; 80 分",
    "60 分 ≤",
    "&lt; 60 分",
    ">90</text>",
    ">60</text>",
    "最高为良好",
    "不合格",
    "预警劝阻与案件协防",
    "最多加 10 分",
    "最多 +10",
    "最多 +5",
    "0–110",
]
# And what they say instead (each on some page).
FRESH = [
    "0.6 ×",
    "0.4 ×",
    "前 5 名",
    "满 7 个月",
    "满 5 个月",
    "25%",
    "≥ 92 分",
    "92 分以上",
    "82 分 ≤ 得分 &lt; 92 分",
    "65 分 ≤ 得分 &lt; 82 分",
    ">92</text>",
    ">65</text>",
    "最高为合格",
    "待改进",
    "无月度待改进",
    "劝阻协防月均分",
    "最多加 8 分",
    "最多 +8",
    "最多 +4",
    "0–108",
]


def edited_sample(root: Path) -> Path:
    shutil.copytree(PROJECT / "records", root / "records")
    shutil.copytree(PROJECT / "rubric", root / "rubric")
    for path in (root / "rubric").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        for which, old, new in RUBRIC_EDITS:
            if which in ("*", path.stem):
                assert old in text, f"{path.name}: {old!r}"
                text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    # The sealed results no longer hold, nor the notices that need a seal (commendations, corrections).
    shutil.rmtree(root / "records" / "seals")
    for notice in (root / "records" / "notices").glob("*.yaml"):
        if "-commendation-" in notice.name or "-correction-" in notice.name:
            notice.unlink()
    return root


@pytest.fixture(scope="module")
def edited_sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = edited_sample(tmp_path_factory.mktemp("edited") / "repo")
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    try:
        run = run_cli("check", "--root", str(root))
        assert run.code == 0, run.out + run.err
        return build_both(root, root.parent)
    finally:
        mp.undo()


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_the_sample_says_what_the_edit_changes(sample_sites: dict[str, Path], audience: str) -> None:
    """The stale list is not empty words: the real rubric's pages say each of them."""
    text = "\n".join(articles(sample_sites[audience]).values())
    assert [old for old in STALE if old not in text] == []


@pytest.mark.parametrize("audience", ["public", "internal"])
def test_every_figure_follows_the_rubric(edited_sites: dict[str, Path], audience: str) -> None:
    # A record's free text (an internal note, a follow-up's note) is the assessor's words, not the rubric's:
    # it may say 不合格.
    notes = re.compile(r"<p>内部备注：.*?</p>|<small>备注：.*?</small>")
    pages = {path: notes.sub("", text) for path, text in articles(edited_sites[audience]).items()}
    stale = {old: [path for path, text in pages.items() if old in text] for old in STALE}
    assert {old: paths for old, paths in stale.items() if paths} == {}
    text = "\n".join(pages.values())
    assert [new for new in FRESH if new not in text] == []
