"""MkDocs hook: put each page's pre-rendered HTML in its slots, after its Markdown is converted.

MkDocs loads a hook by its file path, so imports are absolute. The fragment's
links name docs files (``data-gs-href="rubric/2026.md"``); they are resolved
here the way MkDocs resolves Markdown links, and a link to a page that does not
exist fails the build, as it would in strict Markdown.

It also shapes the search index (generator/search.py): the rankings' tables are
left out, and the index Material wrote gets the worker entries and tags.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

from generator import search
from generator.render import FRAGMENT_PART, FRAGMENT_SLOT, fragment_path, fragments_dir

_LINK = re.compile(r'data-gs-href="([^"]*)"')


_KEEP_WHITESPACE = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b.*?</script>)", re.S | re.I)
_BETWEEN_TAGS = re.compile(r">[ \t\r\n]*\n[ \t\r\n]*<")
_extras: dict[str, Any] | None = None


@event_priority(-100)  # after gridscore serve's hook regenerated the docs
def on_pre_build(config: Any, **kwargs: Any) -> None:
    global _extras
    _extras = search.load_extras(Path(config["docs_dir"]))
    search.add_words(_extras["words"] if _extras is not None else [])


def on_page_content(html_text: str, page: Any, config: Any, files: Any, **kwargs: Any) -> str:
    return _fill_fragments(html_text, page, config, files)


@event_priority(-100)  # after the search plugin indexed the page without its tables (search_hook.py)
def on_page_context(context: Any, page: Any, **kwargs: Any) -> Any:
    search.restore_tables(page)
    return context


def on_post_page(output: str, page: Any, **kwargs: Any) -> str:
    """The page without the indentation of the theme's templates (a tenth of a county's site).

    Only whitespace between two tags that holds a line break is collapsed, to one line break,
    which a browser renders exactly as it did; <pre>, <textarea> and <script> keep theirs.
    """
    parts = _KEEP_WHITESPACE.split(output)
    parts[::2] = [_BETWEEN_TAGS.sub(">\n<", part) for part in parts[::2]]
    return "".join(parts)


@event_priority(-100)  # after the search plugin wrote the index
def on_post_build(config: Any, **kwargs: Any) -> None:
    index = Path(config["site_dir"]) / "search" / "search_index.json"
    if _extras is not None and index.is_file():
        search.rewrite_index(index, _extras)


def _fill_fragments(html_text: str, page: Any, config: Any, files: Any) -> str:
    if FRAGMENT_SLOT not in html_text:
        return html_text
    source = fragments_dir(Path(config["docs_dir"])) / fragment_path(page.file.src_uri)
    try:
        fragment = source.read_text(encoding="utf-8")
    except OSError as error:
        raise PluginError(f"页面 {page.file.src_uri} 缺少生成的内容片段（{error.strerror}）") from None

    def link(match: re.Match[str]) -> str:
        target = files.get_file_from_path(html.unescape(match.group(1)))
        if target is None:
            raise PluginError(f"页面 {page.file.src_uri} 链接到不存在的页面 {match.group(1)}")
        return f'href="{html.escape(get_relative_url(target.url, page.file.url))}"'

    parts = _LINK.sub(link, fragment).split(FRAGMENT_PART)
    pieces = html_text.split(FRAGMENT_SLOT)
    if len(pieces) != len(parts) + 1:
        raise PluginError(f"页面 {page.file.src_uri} 有 {len(pieces) - 1} 处内容位置，生成的片段却有 {len(parts)} 段")
    return "".join(piece + part for piece, part in zip(pieces, [*parts, ""], strict=True))
