"""The search index (search/search_index.json): worker entries, month labels, 光荣榜's tags, privacy, size.

How Material's browser client reads it is tested in test_search_browser.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator import search
from generator.build import build
from generator.privacy import mask_name
from generator.validate import load_dataset

from .conftest import PROJECT

EPOCH = "1795996800"  # 2026-11-30 (China), as in test_site.py
ZWSP = "\u200b"


@pytest.fixture(scope="module")
def indexes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    base = tmp_path_factory.mktemp("search")
    found = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for audience in ("public", "internal"):
            site = build(PROJECT, audience, base / audience).site_dir
            raw = (site / "search" / "search_index.json").read_text(encoding="utf-8")
            march = (site / "rankings" / "2026-03" / "index.html").read_text(encoding="utf-8")
            found[audience] = {**json.loads(raw), "raw": raw, "march_page": march}
    return found


def entry(index: dict[str, Any], location: str) -> dict[str, Any]:
    matches = [doc for doc in index["docs"] if doc["location"] == location]
    assert len(matches) == 1, f"{location}: {len(matches)} entries"
    return matches[0]


def words(text: str) -> list[str]:
    """The tokens lunr sees (Material's zh separator includes the zero-width space and spaces)."""
    return text.replace(ZWSP, " ").split()


def test_a_worker_page_has_one_short_entry_with_name_and_id(indexes: dict[str, dict[str, Any]]) -> None:
    public = indexes["public"]
    worker = entry(public, "workers/wg-0101/")
    assert words(worker["title"]) == ["张伟", "wg-0101"]  # one word each: found whole, not as 张 + 伟
    assert "东风第一社区" in worker["text"].replace(ZWSP, "")
    # Only that entry: no section of the worker page (breakdowns, trend) is indexed.
    assert [d for d in public["docs"] if d["location"].startswith("workers/wg-0101/")] == [worker]
    dataset = load_dataset(PROJECT)
    workers = [d for d in public["docs"] if d["location"].startswith("workers/")]
    assert len(workers) == len(dataset.organization.workers)


def test_public_index_never_holds_a_full_name_without_consent(indexes: dict[str, dict[str, Any]]) -> None:
    dataset = load_dataset(PROJECT)
    hidden = [w for w in dataset.organization.workers if not w.publish_name]
    assert hidden, "the sample has workers without consent"
    text = json.dumps(indexes["public"], ensure_ascii=False).replace(ZWSP, "")
    internal = json.dumps(indexes["internal"], ensure_ascii=False).replace(ZWSP, "")
    for worker in hidden:
        assert worker.name not in text, worker.id
        title = entry(indexes["public"], f"workers/{worker.id}/")["title"]
        assert words(title) == [mask_name(worker.name), worker.id]  # the masked name stays one word
        assert worker.name in internal, worker.id  # the internal build finds everyone by full name


def test_month_rankings_carry_their_labels_whole(indexes: dict[str, dict[str, Any]]) -> None:
    public = indexes["public"]
    march = entry(public, "rankings/2026-03/")
    assert march["tags"] == ["2026年3月", "3月", "2026-03"]
    # jieba alone cuts the title to 2026/年/3/月: no word a query "2026年3月*" or "3月*" would match.
    assert "2026年3月" not in words(march["title"])
    # the year's ranking and other pages carry no month tags
    assert "tags" not in entry(public, "rankings/2026/")


def test_honor_roll_carries_the_honors_as_tags(indexes: dict[str, dict[str, Any]]) -> None:
    honors = entry(indexes["public"], "honors/")
    assert honors["tags"][:2] == ["光荣榜", "反诈能手"]
    others = [d["location"] for d in indexes["public"]["docs"] if "反诈能手" in d.get("tags", [])]
    assert others == ["honors/"]


def test_ranking_tables_stay_out_of_the_index(indexes: dict[str, dict[str, Any]]) -> None:
    # and the page keeps its plain <table> (the search plugin strips the mark it reads)
    assert "<table>" in indexes["public"]["march_page"] and "data-search" not in indexes["public"]["march_page"]
    dataset = load_dataset(PROJECT)
    ranked = [d for d in indexes["public"]["docs"] if d["location"].startswith("rankings/2026-03/")]
    text = "".join(d["text"] for d in ranked).replace(ZWSP, "")
    published = [w.name for w in dataset.organization.workers if w.publish_name]
    assert not [name for name in published if name in text]
    assert "参加考评" in text  # the page's own sentences are still found


def test_index_is_written_compactly_in_utf8(indexes: dict[str, dict[str, Any]]) -> None:
    # Material writes \\uXXXX escapes (6 bytes a character); the rewrite keeps the characters (3 bytes).
    raw = indexes["public"]["raw"]
    assert "排行榜" in raw and "\\u6392" not in raw
    assert indexes["public"]["config"]["lang"] == ["zh"]


def test_rewrite_escapes_the_worker_entries_and_keeps_masked_names_whole(tmp_path: Path) -> None:
    index = tmp_path / "search_index.json"
    page = {"location": "rankings/2026-03/", "title": "排行榜", "text": f"马{ZWSP}*{ZWSP}东风"}
    index.write_text(json.dumps({"config": {}, "docs": [page]}), encoding="utf-8")
    extras = {
        "workers": [{"page": "workers/x.md", "title": '<img src=x onerror="alert(1)"> x', "text": "社区&网格"}],
        "tags": {"rankings/2026-03.md": ["<b>3月</b>"]},
        "boosts": {"rankings/2026-03.md": 1.001},
        "words": [],
    }
    search.rewrite_index(index, extras)
    raw = index.read_text(encoding="utf-8")
    docs = json.loads(raw)["docs"]
    assert "<img" not in raw and "<b>" not in raw
    assert docs[0] == {
        "location": "rankings/2026-03/",
        "title": "排行榜",
        "text": f"马*{ZWSP}东风",
        "tags": ["&lt;b&gt;3月&lt;/b&gt;"],
        "boost": 1.001,
    }
    assert docs[1]["location"] == "workers/x/"
    assert docs[1]["title"].startswith("&lt;img src=x onerror=")
    assert "&amp;" in docs[1]["text"]


@pytest.mark.parametrize(
    ("path", "url"), [("index.md", ""), ("honors/index.md", "honors/"), ("rankings/2026-03.md", "rankings/2026-03/")]
)
def test_url_of_a_docs_page(path: str, url: str) -> None:
    assert search.url_of(path) == url


def test_index_stays_within_the_county_budget(tmp_path_factory: pytest.TempPathFactory) -> None:
    """§8: a county's index (3,000 workers, a year) within 2 MB: a worker costs a short entry, not rows."""
    from .test_synth import synth

    root = tmp_path_factory.mktemp("county") / "repo"
    synth.generate(root, workers=200, months=12, seed=7)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1802620800")  # 2027-02-15 (China), as the benchmarks
        site = build(root, "public", root.parent / "site").site_dir
    index = site / "search" / "search_index.json"
    workers = [d for d in json.loads(index.read_text(encoding="utf-8"))["docs"] if d["location"].startswith("workers/")]
    assert len(workers) >= 200
    per_worker = index.stat().st_size / len(workers)
    # 2 MB over 3,000 workers is 699 bytes each, the pages that are not workers' included
    assert per_worker <= 2 * 1024 * 1024 / 3000, f"{per_worker:.0f} bytes a worker"
