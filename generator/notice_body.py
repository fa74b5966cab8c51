"""A notice's body: Markdown written by staff, published as a small, safe subset of HTML.

The body never passes through the site's own Markdown (which has raw HTML and
attribute lists on for the templates). It is converted here with raw HTML,
images and attribute syntax off, then sanitized by nh3 (a maintained HTML
sanitizer), which keeps only the tags and link schemes of PRODUCT.md §9. The
result is put into the page after MkDocs has converted it (``page_hook``), so
nothing in it is read as Markdown again.

Links to pages of the site are written as site addresses (``rankings/2026-03/``,
``/notices/``, ``data/monthly.csv``); ``check`` refuses one that names no page,
so the build never does.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import markdown
import nh3

from .errors import Problem
from .yamlio import Document

TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "a",
}
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = {"http", "https", "mailto", "tel"}

# What check refuses outright (the renderer would make it inert anyway).
_RAW_HTML = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\s*[(\[]")
_ATTRIBUTES = re.compile(r"\{\s*:|\{\s*[#.][A-Za-z_]")
_MARKDOWN_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*)>")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_ANCHOR = re.compile(r'<a href="([^"]*)"')


_HTML_TAG = "正文不能含 HTML 标签（{tags}），请只用 Markdown"


@dataclass(frozen=True)
class BodyProblem:
    position: int  # in the body text
    needle: str  # the text found there, to name its line
    message: str


def _converter() -> markdown.Markdown:
    converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
    # No raw HTML and no images: "<b>" and "![x](y)" stay text (nh3 is the second wall).
    converter.preprocessors.deregister("html_block")
    for name in ("html", "image_link", "image_reference", "short_image_ref"):
        if name in converter.inlinePatterns:
            converter.inlinePatterns.deregister(name)
    return converter


def to_html(body: str, internal: Callable[[str], str | None]) -> str:
    """The body as sanitized HTML; ``internal`` maps a site address to its docs path (or None)."""
    converter = _converter()
    raw = converter.convert(body)
    # A body's headings sit under the notice's own title.
    raw = re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", raw)
    clean = nh3.clean(raw, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="noopener noreferrer")

    def link(match: re.Match[str]) -> str:
        href = html.unescape(match.group(1))
        if href.startswith("//"):  # another host without a scheme: check refuses it
            return "<a"
        if _SCHEME.match(href) or href.startswith("#"):
            return match.group()
        target = internal(href)
        if target is None:  # check refuses it; never publish a broken link
            return "<a"
        return f'<a data-gs-href="{html.escape(target)}"'

    return _ANCHOR.sub(link, clean)


def plain_text(body: str) -> str:
    """The body's first paragraph as plain text (for RSS), with its Markdown read, not shown."""
    first = body.strip().split("\n\n")[0]
    rendered = _converter().convert(first)
    text = html.unescape(nh3.clean(rendered, tags=set()))
    return re.sub(r"\s+", " ", text).strip()


def site_targets(address: str) -> list[str] | None:
    """The docs paths a site address may name (``rankings/2026-03/`` → ``rankings/2026-03.md``, …).

    None when the address cannot name a page of the site (it climbs out with ``..``).
    """
    parts = urlsplit(address)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path).lstrip("/")
    segments = [s for s in path.split("/") if s not in ("", ".")]
    if ".." in segments:
        return None
    folder = "/".join(segments)
    if path.endswith("/") or not segments:
        return [f"{folder}/index.md" if folder else "index.md", *([f"{folder}.md"] if folder else [])]
    last = segments[-1]
    if last.endswith(".md"):
        return [folder]
    if last.endswith(".html"):
        stem = folder.removesuffix(".html")
        return ["index.md"] if stem == "index" else [f"{stem}.md", f"{stem}/index.md"]
    if "." in last:  # a data file: data/monthly.csv, notices/feed.xml
        return [folder]
    return [f"{folder}.md", f"{folder}/index.md"]


def resolver(paths: set[str]) -> Callable[[str], str | None]:
    """Map a site address to the docs path of a page or file in ``paths``."""

    def resolve(address: str) -> str | None:
        fragment = urlsplit(address).fragment
        for candidate in site_targets(address) or []:
            if candidate in paths:
                return f"{candidate}#{fragment}" if fragment else candidate
        return None

    return resolve


def links(body: str) -> Iterator[tuple[int, str]]:
    """Every link target written in the body, with its position (an image's source is not a link: it is refused)."""
    images = [match.span() for match in _IMAGE.finditer(body)]
    for pattern in (_MARKDOWN_LINK, _REFERENCE_LINK, _AUTOLINK):
        for match in pattern.finditer(body):
            position = match.start(1)
            if not any(start < position <= end + 2 for start, end in images):
                yield position, match.group(1)


def problems(body: str) -> list[BodyProblem]:
    """What the body may not contain, with no knowledge of the site (that is ``link_problems``)."""
    found: list[BodyProblem] = []
    for match in _RAW_HTML.finditer(body):
        found.append(BodyProblem(match.start(), match.group(), _HTML_TAG))
    for match in _IMAGE.finditer(body):
        found.append(
            BodyProblem(match.start(), match.group(), "正文不能插入图片（![...](...)）：公示网站不从外部加载图片")
        )
    for match in _ATTRIBUTES.finditer(body):
        found.append(
            BodyProblem(
                match.start(), match.group(), "正文不能用 {: ...} 属性写法：样式由网站统一设置，请删除花括号部分"
            )
        )
    for position, target in links(body):
        if target.startswith("//"):
            found.append(
                BodyProblem(position, target, f"链接“{target}”缺少 https:，外部网址请写完整，如 https://www.gov.cn/")
            )
            continue
        scheme = _scheme_of(target)
        if scheme is None and target and not target.startswith("#") and not could_be_page(target):
            found.append(BodyProblem(position, target, _not_a_page(target)))
        elif scheme is not None and scheme not in SCHEMES:
            found.append(
                BodyProblem(
                    position,
                    target,
                    f"正文不能含 {scheme}: 链接；只能链接到 http(s) 网址、mailto: 邮箱、tel: 电话或本站页面",
                )
            )
    return sorted(found, key=lambda p: p.position)


def located(doc: Document, name: str, found: list[BodyProblem]) -> list[Problem]:
    """Each problem at its line of the file; the HTML tags of one line in one message."""
    tags: dict[int, list[str]] = {}
    located: list[Problem] = []
    for problem in found:
        line = doc.line_within((name,), problem.position, problem.needle)
        if problem.message == _HTML_TAG:
            tags.setdefault(line, []).append(problem.needle[:30])
        else:
            located.append(Problem(doc.path, line, problem.message))
    located += [Problem(doc.path, line, _HTML_TAG.format(tags="、".join(t))) for line, t in tags.items()]
    return located


# The site's top-level pages and sections (site_sections.gather_site): an address outside them names no page,
# whatever the data, so check says so even before the site can be gathered.
TOP_PAGES = {"index.md"}
SECTIONS = {"rankings", "honors", "notices", "rubric", "data", "workers", "internal"}


def could_be_page(address: str) -> bool:
    """Whether ``address`` may name a page of some site (the real pages are checked in ``link_problems``)."""
    targets = site_targets(address)
    if not targets:
        return False
    return any(t in TOP_PAGES or t.split("/", 1)[0] in SECTIONS and "/" in t for t in targets)


def _not_a_page(target: str) -> str:
    return (
        f"正文链接“{target}”不是本站的页面：站内链接写网站上的地址，"
        "如 rankings/2026-03/（排行榜）、notices/（公示公告）、data/monthly.csv；"
        "仓库里的文件（如 records/…）不会发布，不能链接"
    )


def link_problems(body: str, paths: set[str]) -> list[BodyProblem]:
    """Links to the site that name no page of it (``paths``: the docs paths the build writes)."""
    resolve = resolver(paths)
    found = []
    for position, target in links(body):
        if has_scheme(target) or target.startswith(("#", "//")) or not target:
            continue
        if could_be_page(target) and resolve(target) is None:  # the others are refused by ``problems``
            found.append(BodyProblem(position, target, _not_a_page(target)))
    return found


def has_scheme(target: str) -> bool:
    return _scheme_of(target) is not None


def _scheme_of(target: str) -> str | None:
    """The scheme a browser would see, after entities and percent-escapes are read (``java&#115;cript:``)."""
    decoded = unquote(html.unescape(target))
    decoded = re.sub(r"[\x00-\x20]", "", decoded)  # browsers drop these inside a scheme
    match = _SCHEME.match(decoded)
    return match.group(1).lower() if match else None
