"""The columns of the monthly sheets, and values between a record's YAML and its cells."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..numbers import exact, fmt_plain
from ..periods import Month
from ..rubric import EventKind, Item, Rubric
from .layout import cell_text
from .text import (
    BAD_FORMAT,
    COUNT_HINT,
    COUNT_PART_HINT,
    EVENT_COLUMNS,
    ITEM_GROUP,
    LEVEL_HINT,
    LEVEL_LABEL,
    LEVEL_NONE_ALLOWED,
    LEVEL_REQUIRED_HINT,
    LEVELS,
    RECORD_COLUMNS,
)

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its field key (written in the key row) and how to show it."""

    key: str
    label: str
    group: str  # the row above the label: an item's name, or a hint
    kind: str  # id, label, assessor, date, count, level, text, kind, scale, amount
    width: float
    locked: bool = False
    item: Item | None = None
    hint: str = ""  # shown by Excel when the cell is selected

    @property
    def loc(self) -> Loc:
        return tuple(self.key.split("."))


def text_column(
    texts: dict[str, tuple[str, str, str]], key: str, kind: str, width: float, locked: bool = False, **values: Any
) -> Column:
    """A column whose label, group and hint are ``texts[key]`` (in ``text``), filled with ``values``."""
    label, group, hint = (part.format(**values) for part in texts[key])
    return Column(key, label, group, kind, width, locked=locked, hint=hint)


def record_columns(rubric: Rubric, month: Month) -> list[Column]:
    columns = [
        text_column(RECORD_COLUMNS, "worker", "id", 10, locked=True),
        text_column(RECORD_COLUMNS, "name", "label", 9, locked=True),
        text_column(RECORD_COLUMNS, "community", "label", 13, locked=True),
        text_column(RECORD_COLUMNS, "grid", "label", 9, locked=True),
        text_column(RECORD_COLUMNS, "assessed_by", "assessor", 11),
        text_column(RECORD_COLUMNS, "assessed_on", "date", 12, next_month=month.next(), first_day=month.first_day()),
    ]
    for item in rubric.items:
        group = ITEM_GROUP.format(name=item.name, points=fmt_plain(exact(item.points)))
        if item.method == "level":
            allowed = LEVELS + (LEVEL_NONE_ALLOWED if item.allow_none else LEVEL_REQUIRED_HINT)
            hint = LEVEL_HINT.format(allowed=allowed)
            columns.append(Column(f"metrics.{item.id}", LEVEL_LABEL, group, "level", 11, item=item, hint=hint))
            continue
        wholes = {t.part: t.whole for t in item.terms if t.method == "ratio" and not t.cap_at_one and t.part}
        for name, label in item.fields.items():
            whole = wholes.get(name)
            hint = COUNT_PART_HINT.format(whole=item.fields[whole]) if whole else COUNT_HINT
            columns.append(Column(f"metrics.{item.id}.{name}", label, group, "count", 10, item=item, hint=hint))
    columns.append(text_column(RECORD_COLUMNS, "notes", "text", 28))
    return columns


def event_columns(rubric: Rubric, month: Month) -> list[Column]:
    scales = "；".join("/".join(v.label for v in values) for values in rubric.scales.values())
    return [
        text_column(EVENT_COLUMNS, "worker", "id", 10),
        text_column(EVENT_COLUMNS, "name", "label", 9, locked=True),
        text_column(EVENT_COLUMNS, "kind", "kind", 36),
        text_column(EVENT_COLUMNS, "date", "date", 12, month=month),
        text_column(EVENT_COLUMNS, "scale", "scale", 8, scales=scales),
        text_column(EVENT_COLUMNS, "amount_yuan", "amount", 12),
        text_column(EVENT_COLUMNS, "summary", "text", 46),
        text_column(EVENT_COLUMNS, "evidence", "text", 24),
    ]


def _event_cells(worker_id: str, event: dict[str, Any], rubric: Rubric) -> dict[str, Any]:
    """An event as the sheet's columns see it (raw values; ``to_excel`` shows them)."""
    values = {key: event.get(key) for key in ("kind", "date", "amount_yuan", "summary", "evidence")}
    values["worker"] = worker_id
    values["scale"] = event.get(_scale_key(rubric, event.get("kind"), event))
    return values


def _lookup(data: Any, loc: Loc) -> Any:
    for step in loc:
        if isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def _present(data: Any, loc: Loc) -> bool:
    for step in loc:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return False
    return True


def _scale_key(rubric: Rubric, kind_value: Any, event: dict[str, Any] | None = None, value: Any = None) -> str:
    """Which event field the 档次 column stands for: the kind's scale, else the one the value or event uses."""
    kind = _kind_of(rubric, kind_value)
    if kind is not None and kind.by:
        return kind.by
    if event is not None:
        for scale in rubric.scales:
            if scale in event:
                return scale
    for scale in rubric.scales:
        if value is not None and rubric.scale_value(scale, value) is not None:
            return scale
    return next(iter(rubric.scales), "severity")


def _kind_of(rubric: Rubric, value: Any) -> EventKind | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    return next((k for k in rubric.events if text in (k.id, k.name)), None)


def to_excel(column: Column, value: Any, rubric: Rubric, kind_value: Any = None) -> Any:
    """A record's raw value as its cell shows it (Chinese labels for levels, kinds and scales)."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return BAD_FORMAT
    if column.kind == "level" and isinstance(value, str):
        level = rubric.level_value(value.strip(), True)
        return rubric.level_by_id[level].label if level else value
    if column.kind == "kind":
        kind = _kind_of(rubric, value)
        return kind.name if kind else value
    if column.kind == "scale":
        scale = _scale_key(rubric, kind_value, value=value)
        found = rubric.scale_value(scale, value)
        labels = {v.id: v.label for v in rubric.scales.get(scale, [])}
        return labels[found] if found else value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, str):
        return cell_text(value)
    return value


_DATE_TEXT = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_NUMBER_TEXT = re.compile(r"[-+]?[0-9]{1,30}(\.[0-9]{1,30})?")  # longer is no count or score: left as text


def from_excel(column: Column, value: Any, rubric: Rubric, kind_value: Any = None) -> Any:
    """A cell's value as the record stores it; ``None`` for an empty cell. Wrong values pass through for validation."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        value = value.strip()
    if column.kind == "date":
        return _date_value(value)
    if column.kind in ("count", "score"):
        return _number_value(value)
    if column.kind == "amount":
        if isinstance(value, str):
            value = value.replace(",", "").replace("，", "").removesuffix("元").strip()
        return _number_value(value)
    if isinstance(value, datetime):
        value = value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if column.kind == "level":
        text = str(value)
        allow_none = column.item.allow_none if column.item else True
        return rubric.level_value(text, allow_none) or text
    if column.kind == "kind":
        kind = _kind_of(rubric, str(value))
        return kind.id if kind else str(value)
    if column.kind == "scale":
        scale = _scale_key(rubric, kind_value, value=str(value))
        return rubric.scale_value(scale, str(value)) or str(value)
    if isinstance(value, bool):
        return value
    return str(value)


def _date_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.fullmatch(value)
        if match:
            try:
                return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            except ValueError:
                return value
        return value
    return str(value)


def _number_value(value: Any) -> Any:
    """A number typed in a cell (or as text) as YAML would read it: int when whole, else Decimal.

    Text is read after NFKC, so what a Chinese input method types in full-width mode (“８８．５”, “－３”)
    is the number it shows; any other text (“八十八”, “88,5”, digits of other scripts) is left as it is, for
    validation to refuse.
    """
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str) and _NUMBER_TEXT.fullmatch(text := unicodedata.normalize("NFKC", value).strip()):
        number = Decimal(text)
    elif isinstance(value, datetime):
        return value.date().isoformat()
    else:
        return value if isinstance(value, str) else str(value)
    return int(number) if number == number.to_integral_value() else number


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, (int, Decimal)) and isinstance(new, (int, Decimal)):
        return Decimal(old) == Decimal(new)
    if isinstance(old, datetime) or isinstance(new, datetime):
        return type(old) is type(new) and old == new
    return type(old) is type(new) and old == new


def _unchanged(column: Column, old: Any, cell: Any, rubric: Rubric, kind_value: Any = None) -> bool:
    """A cell still shows what export wrote for ``old`` (or means the same)."""
    new = from_excel(column, cell, rubric, kind_value)
    shown = from_excel(column, to_excel(column, old, rubric, kind_value), rubric, kind_value)
    return _same(shown, new) or _same(from_excel(column, old, rubric, kind_value), new)
