"""Turn pydantic's validation errors into Chinese messages with a did-you-mean."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import one_line
from .models import visible

Loc = tuple[str | int, ...]


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """Return ``，您是否想写“x”？`` for the closest choice, or an empty string."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"，您是否想写“{close[0]}”？" if close else ""


def show(value: Any) -> str:
    """A short rendering of a wrong value for a message."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return str(value)
    if isinstance(value, dict):
        return "一组字段"
    if isinstance(value, list):
        return "一个列表"
    text = visible(one_line(str(value)))  # nothing that would reorder or hide the message
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def translate(error: ValidationError, model: type[BaseModel], data: Any = None) -> Iterator[tuple[Loc, str]]:
    """Yield ``(location, message)`` for every error, in Chinese; ``data`` is what was validated."""
    details = error.errors(include_url=False)
    misspelt = set()  # (parent, field) a misspelt key already points to: skip its "missing"
    suggestions: dict[Loc, str] = {}
    for detail in details:
        loc = tuple(detail["loc"])
        if detail["type"] == "extra_forbidden" and loc:
            present = _keys_at(data, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), fields_at(model, loc[:-1]), n=1, cutoff=0.6)
            if close and close[0] in present:
                suggestions[loc] = f"，与已有的“{close[0]}”相近，可能是多写的一行，请删除"
            elif close:
                misspelt.add((loc[:-1], close[0]))
                suggestions[loc] = f"，您是否想写“{close[0]}”？"
    for detail in details:
        loc = tuple(detail["loc"])
        if detail["type"] == "missing" and loc and (loc[:-1], loc[-1]) in misspelt:
            continue
        if detail["type"] == "extra_forbidden":
            yield loc, _unknown_field(loc, model, suggestions.get(loc))
            continue
        yield loc, _message(detail, loc, model)


def _keys_at(data: Any, loc: Loc) -> set[str]:
    for step in loc:
        if isinstance(data, dict) and step in data:
            data = data[step]
        elif isinstance(data, list) and isinstance(step, int) and 0 <= step < len(data):
            data = data[step]
        else:
            return set()
    return set(data) if isinstance(data, dict) else set()


def _unknown_field(loc: Loc, model: type[BaseModel], suggestion: str | None) -> str:
    name = show(str(loc[-1]))[1:-1] if loc else ""  # a key may be long or hold anything: shown like a value
    if suggestion:
        return f"未知字段“{name}”{suggestion}"
    allowed = fields_at(model, loc[:-1])
    listing = f"；可用的字段：{'、'.join(allowed)}" if allowed else ""
    return f"未知字段“{name}”{listing}"


def _message(detail: Any, loc: Loc, model: type[BaseModel]) -> str:
    kind = detail["type"]
    value = detail.get("input")
    ctx = detail.get("ctx") or {}
    name = _label(loc)
    if kind == "gridscore":
        return str(ctx.get("message", detail["msg"]))
    if kind == "gridscore_field":
        return f"“{name}”{ctx.get('message', detail['msg'])}"
    if kind == "missing":
        return f"缺少必填字段“{loc[-1] if loc else ''}”"
    if kind in ("int_type", "int_parsing", "int_from_float") and value is None:
        return f"“{name}”未填写，请填整数（没有就填 0）"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"“{name}”应为整数，实际为 {show(value)}{_number_hint(value)}"
    if kind in ("greater_than_equal", "greater_than"):
        if ctx.get("ge") == 0:
            return f"“{name}”不能为负数，实际为 {show(value)}"
        return f"“{name}”应不小于 {ctx.get('ge', ctx.get('gt'))}，实际为 {show(value)}"
    if kind in ("less_than_equal", "less_than"):
        return f"“{name}”应不大于 {ctx.get('le', ctx.get('lt'))}，实际为 {show(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"“{name}”应为 true 或 false，实际为 {show(value)}"
    if kind in ("string_type", "str_type"):
        return f"“{name}”应为文字，实际为 {show(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"“{name or '文件'}”应为“字段: 值”形式的内容，实际为 {show(value)}"
    if kind == "list_type":
        return f"“{name}”应为列表（每项以“- ”开头），实际为 {show(value)}"
    if kind in ("decimal_type", "decimal_parsing", "float_type", "float_parsing", "finite_number"):
        return f"“{name}”应为数字，实际为 {show(value)}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing"):
        return f"“{name}”应为日期，格式如 2026-04-02，实际为 {show(value)}"
    if kind == "literal_error":
        return f"“{name}”的值 {show(value)} 无效，可选：{ctx.get('expected', '')}"
    if kind in ("string_too_short", "too_short"):
        return f"“{name}”不能为空"
    if kind == "union_tag_invalid":
        return f"“{name}”的值 {show(value)} 无效"
    return f"“{name}”有误：{detail['msg']}"


def _number_hint(value: Any) -> str:
    if isinstance(value, str) and re.fullmatch(r"[-+]?0\d+", value.strip()):
        return "（整数不能以 0 开头，请去掉前面的 0）"
    if isinstance(value, str) and re.fullmatch(r"[-+]?\d+", value.strip()):
        return "（数字不要加引号）"
    if isinstance(value, str) and re.fullmatch(r"[-+]?[\d_]+", value.strip()):
        return "（请去掉数字中的下划线）"
    if isinstance(value, Decimal):
        return "（请填写整数，不要带小数点）"
    return ""


def _label(loc: Loc) -> str:
    """Name a location for a message: ``events`` 第 2 项 rather than a bare index."""
    if not loc:
        return ""
    last = loc[-1]
    if last == "[key]" and len(loc) > 1:  # a mapping's key is itself wrong: name the key
        return str(loc[-2])
    if isinstance(last, int):
        parent = f"{loc[-2]} " if len(loc) > 1 else ""
        return f"{parent}第 {last + 1} 项"
    return str(last)


def fields_at(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names a mapping at ``loc`` inside ``model`` may have."""
    current: Any = model
    for step in loc:
        current = _unwrap(current, step)
        if current is None:
            return []
    current = _unwrap(current, None)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [field.alias or name for name, field in current.model_fields.items()]
    return []


def _unwrap(annotation: Any, step: str | int | None) -> Any:
    """Follow one step of a location through an annotation."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            models = [arg for arg in options if isinstance(arg, type) and issubclass(arg, BaseModel)]
            lists = [arg for arg in options if typing.get_origin(arg) is list]
            annotation = (models or lists or options or [None])[0]
        else:
            break
    if step is None:
        return annotation
    if isinstance(step, int):
        if typing.get_origin(annotation) is list:
            return typing.get_args(annotation)[0]
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = next((f for name, f in annotation.model_fields.items() if (f.alias or name) == step), None)
        return field.annotation if field else None
    return None
