"""Records as YAML text: ruamel round trip that keeps comments, key order and the original layout."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString, SingleQuotedScalarString

from ..errors import GridscoreError
from ..yamlio import YamlProblem, parse_document
from .text import RECORD_NOT_A_MAPPING


def _put(mapping: CommentedMap, key: str, value: Any, order: Iterable[str]) -> None:
    """Set ``key``; a new key goes after the keys that precede it in ``order``."""
    if key in mapping:
        mapping[key] = value
        return
    order = tuple(order)
    rank = order.index(key) if key in order else len(order)
    position = 0
    for index, existing in enumerate(mapping):
        if existing in order and order.index(existing) < rank:
            position = index + 1
    mapping.insert(position, key, value)


# Characters a YAML 1.1 reader (the loader) takes for line breaks, or that a block cannot hold as they are
_ESCAPED_IN_YAML = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_PLAIN_TEXT = "tag:yaml.org,2002:str"


def _yaml_text(value: Any) -> Any:
    """Text as YAML that reads back as exactly that text; multi-line text as a literal block, as written by hand."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
        if _ESCAPED_IN_YAML.search(value):
            return DoubleQuotedScalarString(value)  # written as escapes (\x85, \L): nothing re-read as a line break
        if "\n" in value:
            return LiteralScalarString(value)
        if yaml.SafeLoader.resolve(yaml.SafeLoader, yaml.ScalarNode, value, (True, False)) != _PLAIN_TEXT:
            # ruamel writes YAML 1.2, the loader reads 1.1: “1_000.5” or “2026-10-01 08:00” must stay text
            return SingleQuotedScalarString(value)
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _round_trip_load(text: str) -> CommentedMap:
    loaded = _yaml().load(text)
    if not isinstance(loaded, CommentedMap):
        raise GridscoreError(RECORD_NOT_A_MAPPING)
    return loaded


def _dump_record(data: CommentedMap, original: str | None) -> str:
    stream = io.StringIO()
    _yaml().dump(data, stream)
    text = stream.getvalue()
    if original is None:
        return _align_flow_maps(text)
    return _keep_layout(original, text)


_FLOW_LINE = re.compile(r"^(  )([A-Za-z0-9_.-]+:)\s+(\{.*)$")


def _align_flow_maps(text: str) -> str:
    """``publicity:        {…}``: the count maps of a new record line up, as in records written by hand."""
    lines = text.split("\n")
    keys = [m.group(2) for m in map(_FLOW_LINE.match, lines) if m]
    if not keys:
        return text
    width = max(len(key) for key in keys) + 1
    for index, line in enumerate(lines):
        match = _FLOW_LINE.match(line)
        if match:
            lines[index] = f"{match.group(1)}{match.group(2):<{width}}{match.group(3)}"
    return "\n".join(lines)


def _squeeze(line: str) -> str:
    return " ".join(line.split())


_KEY_GAP = re.compile(r"^(\s*[A-Za-z0-9_.-]+:)(\s+)(\{.*)$")


def _keep_layout(original: str, edited: str) -> str:
    """Put the original text back on every line whose content did not change (ruamel re-spaces some lines)."""
    old_lines = original.splitlines(keepends=True)
    new_lines = edited.splitlines(keepends=True)
    matcher = SequenceMatcher(None, [_squeeze(x) for x in old_lines], [_squeeze(x) for x in new_lines], autojunk=False)
    merged: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            merged.extend(old_lines[i1:i2])
            continue
        gaps = {m.group(1).strip(): m.group(2) for m in map(_KEY_GAP.match, old_lines[i1:i2]) if m}
        for line in new_lines[j1:j2]:
            match = _KEY_GAP.match(line)
            if match and match.group(1).strip() in gaps:
                line = f"{match.group(1)}{gaps[match.group(1).strip()]}{match.group(3)}"
            merged.append(line if line.endswith("\n") else line + "\n")
    result = "".join(merged)
    if not edited.endswith("\n"):
        result = result.rstrip("\n")
    try:
        same = parse_document(result.encode("utf-8"), "").data == parse_document(edited.encode("utf-8"), "").data
    except YamlProblem:
        same = False
    return result if same else edited
