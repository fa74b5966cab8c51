"""MkDocs hook: what Material's search plugin reads of a page (generator/search.py).

A hook module has one function per event, and this one must run before the search plugin
while page_hook's runs after it: hence a file of its own.
"""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

from generator import search


@event_priority(100)  # before the search plugin (priority 0) indexes the page
def on_page_context(context: Any, page: Any, **kwargs: Any) -> Any:
    search.hold_tables(page)
    return context
