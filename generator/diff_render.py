"""The PR report as Markdown: escaping data for it, and cutting it to fit a comment.

A report is a header (always shown) and sections of parts. A part is a ``Block``
(lines shown together or not at all: a table row, one problem, one field change)
or a ``Group`` of blocks that share an opening and a closing (a table's header,
a code fence, a ``<details>`` element). Cut to a limit, the report keeps whole
blocks only and closes any group it stops in, so no table row or code fence is
ever cut, and it says how many changes it left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .errors import one_line

MARKER = "<!-- gridscore-diff -->"
COMMENT_LIMIT = 60_000  # GitHub refuses a comment over 65,536 characters
ARTIFACT = "gridscore-diff"  # the CI artifact holding the full report (review.yml, .gitlab-ci.yml)


def omitted_line(count: int) -> str:
    return f"另有 {count} 项变化未显示，完整报告见 CI 的 {ARTIFACT} 附件（artifact）"


@dataclass
class Block:
    """Lines shown together or not at all; ``changes`` is how many changes they show (0: a heading or a note)."""

    lines: list[str]
    changes: int = 1


@dataclass
class Group:
    """Blocks between an opening and a closing that are kept with any part of them shown."""

    head: list[str]
    blocks: list[Block]
    tail: list[str] = field(default_factory=lambda: [""])


Part = Block | Group


@dataclass
class Report:
    header: list[str]
    parts: list[Part] = field(default_factory=list)

    def add(self, *parts: Part) -> None:
        self.parts.extend(parts)

    def changes(self) -> int:
        return sum(block.changes for block in _blocks(self.parts))

    def text(self, limit: int | None = None) -> str:
        """The whole report, or as much as fits in ``limit`` characters (counted as GitHub counts them)."""
        full = _join(self.header + [line for part in self.parts for line in _lines(part)])
        if limit is None or _length(full) <= limit:
            return full
        return self._cut(limit)

    def _cut(self, limit: int) -> str:
        # Room for the closing line, whatever the count in it turns out to be.
        budget = limit - _cost(["", omitted_line(self.changes())])
        kept = list(self.header)
        used = _cost(kept)
        pending: list[str] = []  # headings and notes, shown only with the change that follows them
        shown = 0
        for part in self.parts:
            if isinstance(part, Block) and part.changes == 0:
                pending += part.lines
                continue
            group = part if isinstance(part, Group) else Group([], [part], [])
            opened = False
            for block in group.blocks:
                lines = block.lines if opened else pending + group.head + block.lines
                cost = _cost(lines)
                if used + cost + _cost(group.tail) > budget:
                    break
                kept += lines
                used += cost
                shown += block.changes
                if not opened:
                    opened, pending = True, []
            else:
                if opened:
                    kept += group.tail
                    used += _cost(group.tail)
                continue
            if opened:
                kept += group.tail
            break
        kept += ["", omitted_line(self.changes() - shown)]
        return _join(kept)


def _blocks(parts: list[Part]) -> list[Block]:
    return [block for part in parts for block in ([part] if isinstance(part, Block) else part.blocks)]


def _lines(part: Part) -> list[str]:
    if isinstance(part, Block):
        return part.lines
    return part.head + [line for block in part.blocks for line in block.lines] + part.tail


def _join(lines: list[str]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


def _cost(lines: list[str]) -> int:
    """At most what ``lines`` add to the report (joining only ever takes blank lines away)."""
    return sum(_length(line) + 1 for line in lines)


def _length(text: str) -> int:
    """Length in UTF-16 code units, as GitHub's limit counts (a character beyond the BMP is two)."""
    return len(text.encode("utf-16-le")) // 2


# --- escaping data ------------------------------------------------------------------------

# The marks that start emphasis, code, links, images, tables, strikethrough or headings inline.
_GFM_PUNCTUATION = re.compile(r"([\\`*_{}\[\]#!|~])")


def escape(text: str) -> str:
    """Data as inline GitHub / GitLab Markdown that shows as exactly that text, in a table cell too.

    HTML is escaped, every Markdown mark backslash-escaped, "@" written as an entity so a
    name can never mention (notify) anyone, and a line break can never end a table row.
    """
    text = _GFM_PUNCTUATION.sub(r"\\\1", one_line(text))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")


def code(text: str) -> str:
    """A file name or stem as a code span that nothing in it can close."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    return f"{ticks} {text} {ticks}" if longest else f"`{text}`"


def fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in ``lines``, so nothing in them can close it."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def value(shown: Any) -> str:
    """A figure or a list of names for a table cell."""
    if isinstance(shown, list):
        return escape("、".join(shown)) or "—"
    return "—" if shown is None else escape(str(shown))


def table(columns: list[str], rows: list[Block]) -> Group:
    head = ["| " + " | ".join(columns) + " |", "|" + " --- |" * len(columns)]
    return Group(head, rows)


def fenced(lines: list[str], info: str = "text") -> Group:
    """Text shown as it is, one block a line, in a fence nothing in it can close."""
    ticks = fence(lines)
    return Group([f"{ticks}{info}"], [Block([line]) for line in lines], [ticks, ""])
