"""What changed inside each record file between two trees, field by field (old → new).

Both versions of a changed file are parsed the way ``load`` parses them (no
anchors, tags or duplicate keys; size checked first) and compared as data, so
comments and formatting do not count. Paths are dotted, with list positions:
``metrics.publicity.key_people_reached``, ``events[0].summary``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from .fsguard import FileProblem, read_regular
from .yamlio import MAX_BYTES, YamlProblem, parse_document

# records/YYYY/MM/<community>/<worker>.yaml and records/YYYY/annual/<community>/<worker>.yaml
_WORKER_FILE = re.compile(r"records/(\d{4})/(0[1-9]|1[0-2]|annual)/[^/]+/([^/]+)\.yaml")
ABSENT = object()


@dataclass(frozen=True)
class FieldChange:
    path: str
    old: Any  # ABSENT when the field is new
    new: Any  # ABSENT when the field was removed


@dataclass(frozen=True)
class FileChange:
    """One changed record file: added, removed, changed (with its fields) or unreadable on a side."""

    path: str
    worker: str
    period: str  # "2026-03", or "2026" for an annual review
    state: str  # "added" | "removed" | "changed" | "unreadable"
    fields: tuple[FieldChange, ...] = ()


def worker_file(path: str) -> tuple[str, str] | None:
    """(worker id, period) of a monthly record or annual review path; None for any other file."""
    match = _WORKER_FILE.fullmatch(path)
    if match is None:
        return None
    year, month, worker = match.groups()
    return worker, year if month == "annual" else f"{year}-{month}"


def record_changes(changed: list[str], old_root: Path, new_root: Path) -> list[FileChange]:
    """The field-level changes of every changed record file, in path order."""
    found: list[FileChange] = []
    for path in changed:
        named = worker_file(path)
        if named is None:
            continue
        worker, period = named
        before, after = _present(old_root / path), _present(new_root / path)
        if not before and not after:
            continue
        if not before or not after:  # a new month's records are not parsed again just to say so
            found.append(FileChange(path, worker, period, "added" if after else "removed"))
            continue
        old, new = _data(old_root / path, path), _data(new_root / path, path)
        if old is None or new is None:
            found.append(FileChange(path, worker, period, "unreadable"))
        else:
            found.append(FileChange(path, worker, period, "changed", tuple(field_changes(old, new))))
    return found


def _present(path: Path) -> bool:
    return path.exists() or path.is_symlink()


def _data(path: Path, shown: str) -> Any:
    """The parsed data of a file, None when it cannot be read (check says why)."""
    try:
        return parse_document(read_regular(path, MAX_BYTES), shown).data
    except (FileProblem, YamlProblem, OSError):
        return None


def field_changes(old: Any, new: Any, path: str = "") -> list[FieldChange]:
    """Every leaf that differs between ``old`` and ``new``, as dotted paths."""
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[FieldChange] = []
        for key in [*old, *(key for key in new if key not in old)]:
            found += field_changes(old.get(key, ABSENT), new.get(key, ABSENT), _join(path, str(key)))
        return found
    if isinstance(old, list) and isinstance(new, list):
        found = []
        for index in range(max(len(old), len(new))):
            found += field_changes(
                old[index] if index < len(old) else ABSENT,
                new[index] if index < len(new) else ABSENT,
                f"{path}[{index}]",
            )
        return found
    if old is ABSENT and isinstance(new, (dict, list)) and new:
        return [change for key, value in _items(new) for change in field_changes(ABSENT, value, _step(path, key))]
    if new is ABSENT and isinstance(old, (dict, list)) and old:
        return [change for key, value in _items(old) for change in field_changes(value, ABSENT, _step(path, key))]
    if _same(old, new):
        return []
    return [FieldChange(path or "（整个文件）", old, new)]


def _items(container: dict[str, Any] | list[Any]) -> list[tuple[str | int, Any]]:
    return list(container.items()) if isinstance(container, dict) else list(enumerate(container))


def _step(path: str, key: str | int) -> str:
    return f"{path}[{key}]" if isinstance(key, int) else _join(path, key)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _same(old: Any, new: Any) -> bool:
    # 1 and true, or "1" and 1, are different data even where Python calls them equal
    return type(old) is type(new) and old == new


def shown_value(data: Any) -> str:
    """A field's value as plain text (escaped for Markdown by the caller)."""
    if data is ABSENT:
        return "（无）"
    if data is None:
        return "（空）"
    if isinstance(data, bool):
        return "true" if data else "false"
    if isinstance(data, Decimal):
        return format(data, "f")
    if isinstance(data, date):
        return data.isoformat()
    if isinstance(data, dict):
        return "{…}" if data else "{}"
    if isinstance(data, list):
        return "[…]" if data else "[]"
    if isinstance(data, str):
        return f"“{data}”" if data == "" or data != data.strip() else data
    return str(data)
