"""Render the gathered site: Markdown pages from Jinja2 templates, data files, RSS.

Escaping is by construction, not by remembering a filter: in the Markdown
templates every ``{{ … }}`` is escaped for Markdown (``md``: HTML-escaped, then
every Markdown punctuation mark backslash-escaped) unless the value is already
``Markup`` (made by code: links, macros, the chart). The HTML fragments are
autoescaped by Jinja. Notice bodies are rendered and sanitized in
``notice_body``; RSS is plain text, XML-escaped; CSV cells never start a formula.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import jinja2
import markupsafe
import yaml
from markupsafe import Markup

from .chart import trend_svg
from .errors import InvalidInput, Problem
from .notice_body import plain_text
from .numbers import fmt
from .periods import Year
from .report import annual_json, is_sealed, monthly_json
from .results import Results
from .rubric_text import TEMPLATE_GLOBALS
from .site import Page, Site, relative

TEMPLATES = "site_templates"

# Python-Markdown's backslash escapes, `|` included (the tables extension adds it everywhere).
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
_SPACES = re.compile(r"\s+")


def md(value: Any) -> Markup:
    """Data text as inline Markdown that renders as exactly that text, in a table cell too."""
    if isinstance(value, Markup):
        return value
    text = _SPACES.sub(" ", str(value)).strip()
    return Markup(_MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(text, quote=True)))


cell = md  # kept for the templates' readability: `|` is always escaped


def html_text(value: Any) -> Markup:
    """Data text inside a raw HTML block of a Markdown page (Markdown is not read there)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(_SPACES.sub(" ", str(value)).strip(), quote=True))


def join(values: Any, separator: str = "") -> Markup:
    """Jinja's join, escaping each item for Markdown (the built-in escapes for HTML only)."""
    return Markup(md(separator).join(md(value) for value in values))


def _finalize(value: Any) -> Any:
    """Every ``{{ … }}`` of a Markdown template: Markup passes, anything else is escaped."""
    if isinstance(value, Markup):
        return value
    return md(value)


def environment(project: Path) -> jinja2.Environment:
    """The Markdown pages' templates: every expression is escaped for Markdown unless it is Markup."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(project / TEMPLATES)),
        autoescape=True,  # macros return Markup, and literal template text is never escaped
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Only filters that escape for Markdown: the built-in e/join/safe would let data through as HTML.
    env.filters = {name: env.filters[name] for name in _SAFE_BUILTINS}
    env.filters.update(md=md, cell=cell, e=html_text, escape=html_text, join=join, fmt=_markup(fmt))
    env.globals.update(trend_svg=lambda *args, **kwargs: Markup(trend_svg(*args, **kwargs)))
    env.globals.update(TEMPLATE_GLOBALS)
    return env


# Built-in filters that return plain values (escaped afterwards by _finalize), never Markup of data.
_SAFE_BUILTINS = (
    "length",
    "count",
    "int",
    "float",
    "first",
    "last",
    "default",
    "d",
    "sort",
    "list",
    "round",
    "abs",
    "lower",
    "upper",
    "trim",
    "selectattr",
    "rejectattr",
    "map",
    "select",
    "reject",
    "sum",
    "min",
    "max",
    "batch",
    "slice",
    "dictsort",
    "groupby",
    "unique",
    "reverse",
    "string",
    "attr",
)


def _markup(function: Any) -> Any:
    """A filter that makes a number's text from code (no data text goes in)."""
    return lambda *args, **kwargs: md(function(*args, **kwargs))


def html_environment(project: Path) -> jinja2.Environment:
    """For the HTML fragments: autoescaped, so data is always text."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(project / TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(fmt=fmt)
    env.globals.update(trend_svg=lambda *args, **kwargs: markupsafe.Markup(trend_svg(*args, **kwargs)))
    env.globals.update(TEMPLATE_GLOBALS)
    return env


# A page's HTML fragment is kept beside the docs folder (never published on its own) under
# the page's path with this suffix. generator/page_hook.py puts its parts (separated by
# FRAGMENT_PART) into the page's FRAGMENT_SLOTs, in order.
FRAGMENT_SUFFIX = ".fragment.html"
FRAGMENT_SLOT = '<div class="gs-fragment"></div>'
FRAGMENT_PART = "<!-- gs-slot -->"


def fragments_dir(docs_dir: Path) -> Path:
    return docs_dir.with_name(docs_dir.name + "-fragments")


def fragment_path(page_path: str) -> str:
    return page_path.removesuffix(".md") + FRAGMENT_SUFFIX


def render_pages(site: Site, env: jinja2.Environment, html_env: jinja2.Environment) -> Iterator[tuple[str, str]]:
    """Every page's Markdown text by docs-relative path, and each page's HTML fragment (see FRAGMENT_SUFFIX).

    The templates are the repository's own (site_templates/): an error in one is reported at its line.
    """
    try:
        yield from _render_pages(site, env, html_env)
    except jinja2.TemplateError as error:
        raise InvalidInput([template_problem(error)]) from None


def template_problems(project: Path) -> list[Problem]:
    """Every template of ``project`` that does not even parse (check says so before a build would)."""
    problems = []
    for env, suffix in ((environment(project), ".md.j2"), (html_environment(project), ".html.j2")):
        for name in env.list_templates(filter_func=lambda name, suffix=suffix: name.endswith(suffix)):
            try:
                env.get_template(name)
            except jinja2.TemplateError as error:
                problems.append(template_problem(error))
    return sorted(set(problems))


# Jinja's commonest messages, in the words of the rest of gridscore (others are shown as Jinja wrote them).
_JINJA_MESSAGES = (
    (re.compile(r"No filter named '([^']*)'\.?"), "没有名为 {0} 的过滤器（可用的有 md、cell、e、join、fmt 等）"),
    (re.compile(r"No test named '([^']*)'\.?"), "没有名为 {0} 的判断（test）"),
    (re.compile(r"'([^']*)' is undefined"), "变量 {0} 没有定义（拼错了，或页面没有这项内容）"),
    (re.compile(r"Unexpected end of template\..*"), "模板提前结束：缺少结束标签（如 {{% endif %}}、{{% endfor %}}）"),
    (re.compile(r"Encountered unknown tag '([^']*)'.*"), "不认识的标签 {0}（或它的位置不对）"),
    (re.compile(r"unexpected '([^']*)'"), "这里不应有“{0}”"),
)


def _jinja_message(message: str) -> str:
    for pattern, chinese in _JINJA_MESSAGES:
        match = pattern.fullmatch(message.strip())
        if match:
            return chinese.format(*match.groups())
    return message


def template_problem(error: jinja2.TemplateError) -> Problem:
    """A template's error as ``site_templates/name:line: message``."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        name, line = error.name or error.filename or "", error.lineno
        what = f"模板语法错误：{_jinja_message(error.message or '')}"
    elif isinstance(error, jinja2.TemplateNotFound):
        name, line, what = error.name or "", 0, "找不到模板文件（被删除或改名了？）"
    else:
        name, line = "", 0
        trace = error.__traceback__
        while trace is not None:  # Jinja maps a template's frames to its own lines
            filename = trace.tb_frame.f_code.co_filename
            if f"{os.sep}{TEMPLATES}{os.sep}" in filename:
                name, line = filename.rsplit(f"{os.sep}{TEMPLATES}{os.sep}", 1)[1], trace.tb_lineno
            trace = trace.tb_next
        what = f"模板出错：{_jinja_message(error.message or type(error).__name__)}"
    shown = f"{TEMPLATES}/{Path(name).name if os.sep in name else name}" if name else TEMPLATES
    return Problem(shown, line, what + "；请改正模板，或从 gridscore 的项目中恢复原来的 site_templates/")


def _render_pages(site: Site, env: jinja2.Environment, html_env: jinja2.Environment) -> Iterator[tuple[str, str]]:
    for page in site.pages:
        template = env.get_template(page.template)

        def link(target: str, page: Page = page) -> Markup:
            return Markup(relative(_site_path(target), page.path))

        context = page.full_context()
        text = template.render(**context, page_path=page.path, title=page.title, link=link)
        yield page.path, front_matter(page) + text
        if page.fragment is not None:
            yield fragment_path(page.path), html_env.get_template(page.fragment).render(**context)


_SITE_PATH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")


def _site_path(target: str) -> str:
    """A link target made by the gatherer from identifiers: refuse anything a URL could be fooled by."""
    if not _SITE_PATH.fullmatch(target) or ".." in target.split("/"):
        raise ValueError(f"unsafe link target {target!r}")
    return target


def front_matter(page: Page) -> str:
    # MkDocs puts the title into <title> and the search index unescaped: escape it here.
    meta: dict[str, Any] = {"title": html.escape(page.title, quote=False)}
    if not page.in_search:
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=True) + "---\n\n"


# --- open data and the feed ---------------------------------------------------------


def data_files(site: Site, results: Results) -> dict[str, bytes]:
    """CSV (with a BOM, so Excel and WPS read UTF-8) and JSON of every result, names as the audience may see them.

    Every period says whether it is sealed (``sealed`` in the JSON, a ``sealed`` column in the CSV: false is
    暂定). The public data of an unsealed year carries no annual grade and no honors (null: 年度评选进行中),
    as the public pages name nobody before the year is sealed.
    """
    names = _visible_names(site)
    monthly = []
    for month in sorted(results.dataset.entries):
        document = monthly_json(month, results.month(month), is_sealed(results.dataset, month))
        for row in document["results"]:
            row["name"] = names[row["worker"]]
        monthly.append(document)
    annual = []
    for year in results.dataset.years():
        sealed = is_sealed(results.dataset, Year(year))
        document = annual_json(results.year(year), sealed)
        for row in document["results"]:
            row["name"] = names[row["worker"]]
            if site.audience == "public" and not sealed:
                row["grade"] = None
                row["honors"] = None
        annual.append(document)
    files = {
        "data/results.json": (
            # Compact: a county's is 17 MB so, 24 MB indented (PRODUCT.md §8 budget); any JSON tool pretty-prints it.
            json.dumps({"monthly": monthly, "annual": annual}, ensure_ascii=False, separators=(",", ":")) + "\n"
        ).encode("utf-8"),
        "data/monthly.csv": _csv(_with_places(_monthly_rows(monthly), results)),
        "data/annual.csv": _csv(_with_places(_annual_rows(annual), results)),
    }
    return files


def _with_places(rows: list[list[str]], results: Results) -> list[list[str]]:
    """The CSV is read by people: after the community id, the community's name and the worker's grid (§5)."""
    org = results.dataset.organization
    communities = {c.id: c for c in org.communities}
    grids = {
        w.id: next((g.name for g in communities[w.community].grids if g.id == w.grid), w.grid)
        for w in org.workers
        if w.community in communities
    }
    header = rows[0]
    at, worker_at = header.index("community") + 1, header.index("worker")
    placed = [[*header[:at], "community_name", "grid", *header[at:]]]
    for row in rows[1:]:
        community = communities.get(row[at - 1])
        extra = [community.name if community else "", grids.get(row[worker_at], "")]
        placed.append([*row[:at], *extra, *row[at:]])
    return placed


def _visible_names(site: Site) -> dict[str, str]:
    names: dict[str, str] = {}
    for page in site.pages:
        worker = page.context.get("worker")
        if page.template == "worker.md.j2" and worker is not None:
            names[worker.id] = worker.name
    return names


def _monthly_rows(documents: list[dict[str, Any]]) -> list[list[str]]:
    """The JSON documents laid out as cells (their figures are rows.MonthlyRow's), so the CSV and JSON agree."""
    items = sorted({key for d in documents for r in d["results"] for key in r["items"]}, key=_item_order(documents))
    categories = sorted(
        {key for d in documents for r in d["results"] for key in r["categories"]},
        key=_item_order(documents, "categories"),
    )
    header = [
        "period",
        "sealed",
        "rubric",
        "worker",
        "name",
        "community",
        "total",
        "grade",
        "rank",
        "community_rank",
        *[f"category.{c}" for c in categories],
        *[f"item.{i}" for i in items],
        "bonus",
        "deductions",
        "vetoed",
    ]
    rows = [header]
    for document in documents:
        for r in document["results"]:
            rows.append(
                [
                    document["period"],
                    _flag(document["sealed"]),
                    document["rubric"],
                    r["worker"],
                    r["name"],
                    r["community"],
                    r["total"],
                    r["grade"],
                    str(r["rank"]),
                    str(r["community_rank"]),
                    *[r["categories"].get(c, "") for c in categories],
                    *[r["items"].get(i, "") for i in items],
                    r["bonus"],
                    r["deductions"],
                    _flag(r["vetoed"]),
                ]
            )
    return rows


def _item_order(documents: list[dict[str, Any]], key: str = "items") -> Any:
    order: list[str] = []
    for document in documents:
        for result in document["results"]:
            for name in result[key]:
                if name not in order:
                    order.append(name)
    return order.index


def _annual_rows(documents: list[dict[str, Any]]) -> list[list[str]]:
    """The JSON documents laid out as cells, with the grades and honors the audience may see."""
    rows = [
        [
            "year",
            "sealed",
            "rubric",
            "worker",
            "name",
            "community",
            "months_assessed",
            "monthly_mean",
            "review_score",
            "total",
            "grade",
            "rank",
            "honors",
            "vetoed",
        ]
    ]
    for document in documents:
        for r in document["results"]:
            rows.append(
                [
                    document["period"],
                    _flag(document["sealed"]),
                    document["rubric"],
                    r["worker"],
                    r["name"],
                    r["community"],
                    str(r["months_assessed"]),
                    r["monthly_mean"],
                    r["review_score"] or "",
                    r["total"],
                    r["grade"] or "",
                    str(r["rank"]),
                    "、".join(r["honors"] or []),
                    _flag(r["vetoed"]),
                ]
            )
    return rows


def _flag(value: bool) -> str:
    return "true" if value else "false"


# A cell starting with one of these is a formula to Excel and WPS ("=HYPERLINK(…)", "@SUM(…)").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_cell(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text: a leading ' stops a formula (OWASP's advice)."""
    if value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def rss_feed(site: Site, site_url: str) -> bytes:
    """RSS 2.0 of the notices this audience may read, newest first; every link absolute (feed readers need them)."""
    base = site_url.rstrip("/") + "/"
    notice_pages = [p for p in site.pages if p.template == "notice.md.j2"]
    notice_pages.sort(key=lambda p: (p.context["notice"].date, p.path), reverse=True)
    items = []
    for page in notice_pages:
        notice = page.context["notice"]
        url = f"{base}{page.path.removesuffix('.md')}/"
        summary = plain_text(notice.body)
        items.append(
            "    <item>\n"
            f"      <title>{_rss_text(notice.title)}</title>\n"
            f"      <link>{xml_escape(url)}</link>\n"
            f'      <guid isPermaLink="true">{xml_escape(url)}</guid>\n'
            f"      <pubDate>{_rfc822(notice.date)}</pubDate>\n"
            f"      <category>{_rss_text(page.context['ref'].kind_label)}</category>\n"
            f"      <description>{_rss_text(summary)}</description>\n"
            "    </item>\n"
        )
    channel_link = f"{base}notices/"
    text = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0">\n  <channel>\n'
        f"    <title>{_rss_text(site.unit_short)}网格反诈考评 · 公示公告</title>\n"
        f"    <link>{xml_escape(channel_link)}</link>\n"
        f"    <description>{_rss_text(site.unit_name)}网格反诈工作考评的通报表扬、公示与更正</description>\n"
        "    <language>zh-CN</language>\n" + "".join(items) + "  </channel>\n</rss>\n"
    )
    return text.encode("utf-8")


def _rss_text(text: str) -> str:
    """Plain text for an RSS element: feed readers read titles and descriptions as HTML, so
    the text is HTML-escaped first (it shows as typed), then escaped for XML."""
    return xml_escape(html.escape(text, quote=False))


def _rfc822(day: date) -> str:
    weekdays = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{weekdays[day.weekday()]}, {day.day:02d} {months[day.month - 1]} {day.year} 00:00:00 +0800"
