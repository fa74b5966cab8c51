"""The site's search index: what Material's search finds, and how small it stays at county scale.

Material's search plugin indexes every page's HTML, splitting Chinese into words with jieba
(``lang: zh``); its browser client splits a Chinese query greedily into words the index
holds, and matches each as a prefix. Three things it cannot do alone:

* find a worker by name or id: worker pages are left out of the index (a county has
  thousands, each with a year of breakdowns), so each gets one short entry instead, its
  title the name the audience may see (a masked name in public when the worker did not
  consent) and its id, its text the community, grid and role;
* find a month by what people type ("2026年3月", "3月"): jieba cuts "2026年3月" into
  2026/年/3/月, while the client keeps the query whole, so each month's ranking carries its
  labels as tags, kept whole;
* put 光荣榜 first for 反诈能手: the honor roll carries the honors' names as tags (the
  tags field weighs most).

The ranking tables are left out of the index (the worker entries find a name), which keeps
a county's index small. The generator writes what the index needs (``search_extras``) beside
the pages' HTML fragments; ``page_hook`` applies it when MkDocs has written the index.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from .render import fragments_dir
from .site import Site

SEARCH_EXTRAS = "search-extras.json"  # in the fragments folder: not a page, not published

_TABLE = re.compile(r"<table(?=[\s>]).*?</table>", re.S)  # the site's tables are never nested
_held: dict[str, str] = {}  # a ranking's HTML while the search plugin indexes it without its tables
_HAN = re.compile(r"^[\u3400-\u9fff]{2,}$")
# A masked name (张*) as Material's splitter leaves it: the surname, a separator, the star.
_MASKED = re.compile(r"([\u3400-\u9fff])\u200b\*")


def search_extras(site: Site) -> bytes:
    """What the search index needs beyond the pages' text: worker entries, tags, names for jieba."""
    workers: list[dict[str, str]] = []
    tags: dict[str, list[str]] = {}
    months: dict[str, Any] = {}
    for page in site.pages:
        context = page.context
        if page.template == "worker.md.j2":
            worker = context["worker"]
            workers.append(
                {
                    "page": page.path,
                    "title": f"{worker.name} {worker.id}",
                    "text": f"{worker.community} {worker.grid} {context['role']}",
                }
            )
        elif page.template == "ranking_month.md.j2":
            month = context["month"]
            tags[page.path] = [month.label, f"{month.month}月", str(month)]
            months[page.path] = month
        elif page.template == "honors_index.md.j2":
            names = [name for year in context["years"] for name in year.names]
            tags[page.path] = list(dict.fromkeys(["光荣榜", *names]))
    # Names as jieba's words, so that a name is one word on both sides: the index's text and
    # the query, which the browser splits by the words the index holds.
    words = sorted({w["title"].split(" ")[0] for w in workers} - {""})
    # "3月" finds every March: the latest first (a boost just above 1 breaks the tie, nothing more).
    latest_last = sorted(months, key=lambda path: months[path])
    boosts = {path: round(1 + (rank + 1) / 1000, 3) for rank, path in enumerate(latest_last)}
    extras = {"workers": workers, "tags": tags, "boosts": boosts, "words": [w for w in words if _HAN.match(w)]}
    return json.dumps(extras, ensure_ascii=False, sort_keys=True).encode("utf-8")


def hold_tables(page: Any) -> None:
    """Show the search plugin a ranking without its tables (search_hook.py; ``restore_tables`` after).

    Material's plugin parses all of a page's HTML, even what is marked data-search-exclude, and a
    county's month ranking is 3,000 rows: leaving them out of what it reads keeps them out of the
    index and saves it the parse.
    """
    if page.file.src_uri.startswith("rankings/") and "<table" in page.content:
        _held[page.file.src_uri] = page.content
        page.content = _TABLE.sub("", page.content)


def restore_tables(page: Any) -> None:
    held = _held.pop(page.file.src_uri, None)
    if held is not None:
        page.content = held


def load_extras(docs_dir: Path) -> dict[str, Any] | None:
    path = fragments_dir(docs_dir) / SEARCH_EXTRAS
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    return data


# jieba's dictionary as it was before any build taught it names: every build starts from it, so two
# builds in one process (gridscore serve, the tests) split the same pages the same way.
_pristine: tuple[dict[str, int], int] | None = None


def add_words(words: list[str]) -> None:
    """Teach jieba the workers' names (before the search plugin splits the pages), and no other build's."""
    global _pristine
    try:
        import jieba  # type: ignore[import-untyped]
    except ImportError:
        return
    tokenizer = jieba.dt
    tokenizer.check_initialized()
    if _pristine is None:
        _pristine = (dict(tokenizer.FREQ), tokenizer.total)
    else:
        tokenizer.FREQ, tokenizer.total = dict(_pristine[0]), _pristine[1]
    for word in words:
        jieba.add_word(word, freq=100000)


def segment(text: str) -> str:
    """``text`` split into words the way Material's search plugin splits a page."""
    from material.plugins.search import plugin  # type: ignore[import-untyped]

    if plugin.jieba is None:
        return text
    return str(plugin.SearchIndex()._segment_chinese(text))


def url_of(path: str) -> str:
    """The URL MkDocs gives a docs page (use_directory_urls)."""
    stem = path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def rewrite_index(index_file: Path, extras: dict[str, Any]) -> None:
    """Add the worker entries and the tags to the index Material wrote; keep masked names whole."""
    data = json.loads(index_file.read_text(encoding="utf-8"))
    docs = data["docs"]
    tags = {url_of(path): names for path, names in extras["tags"].items()}
    boosts = {url_of(path): boost for path, boost in extras["boosts"].items()}
    for doc in docs:
        for field in ("title", "text"):
            doc[field] = _MASKED.sub(r"\1*", doc[field])
        if doc["location"] in tags:
            doc["tags"] = [html.escape(tag, quote=False) for tag in tags[doc["location"]]]
        if doc["location"].split("#")[0] in boosts:
            doc["boost"] = boosts[doc["location"].split("#")[0]]
    for worker in extras["workers"]:
        docs.append(
            {
                "location": url_of(worker["page"]),
                # The index holds HTML: names and places are data, escaped.
                "title": _MASKED.sub(r"\1*", segment(html.escape(worker["title"], quote=False))),
                "text": _MASKED.sub(r"\1*", segment(html.escape(worker["text"], quote=False))),
            }
        )
    index_file.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
