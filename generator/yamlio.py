"""Read one YAML file strictly: size, encoding, duplicate keys, anchors and tags.

Parsing uses libyaml (``CSafeLoader``) when present. Line numbers are not kept
while loading (that would cost every file); ``Document.line_of`` composes the
node tree again only for a file that has a problem to report.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

MAX_BYTES = 1024 * 1024

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_UTF8_BOM = b"\xef\xbb\xbf"

GBK_HINT = (
    "文件不是 UTF-8 编码，看起来是 GBK（GB2312/GB18030）编码。"
    "请另存为 UTF-8：VS Code 点右下角的编码 →“通过编码保存”→ UTF-8；"
    "记事本或 WPS“另存为”时把编码选为 UTF-8"
)


class YamlProblem(Exception):
    """Raised while loading; carries the 1-based line and a Chinese message."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class Document:
    """A loaded file: its display path, its text and the plain data in it."""

    path: str
    text: str
    data: Any
    _nodes: yaml.Node | None = field(default=None, repr=False)

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        return Problem(self.path, self.line_of(loc), message)

    def line_of(self, loc: Sequence[str | int]) -> int:
        """Return the 1-based line of the deepest node that ``loc`` reaches."""
        if self._nodes is None:
            self._nodes = yaml.compose(self.text, Loader=_BaseLoader)
        node = self._nodes
        if node is None:
            return 1
        line = node.start_mark.line + 1
        for step in loc:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                        line = key_node.start_mark.line + 1
                        node = value_node
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    return line
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def read_document(path: Path, display: str) -> Document:
    """Load one file or raise ``YamlProblem`` saying what is wrong and where."""
    raw = path.read_bytes()
    return parse_document(raw, display)


def parse_document(raw: bytes, display: str) -> Document:
    text = decode(raw)
    if "&" in text or "*" in text or "!" in text:
        _refuse_anchors_and_tags(text)
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a safe loader subclass
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise YamlProblem(line, _describe_yaml_error(error)) from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, f"YAML 格式错误：{error}") from None
    except RecursionError:
        raise YamlProblem(1, "YAML 嵌套层级过深，无法读取") from None
    return Document(display, text, data)


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a BOM is fine) or explain which encoding it seems to be."""
    if len(raw) > MAX_BYTES:
        raise YamlProblem(
            1, f"文件过大（{len(raw) / MAX_BYTES:.1f} MiB），单个文件不能超过 1 MiB，请检查是否放错了文件"
        )
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise YamlProblem(1, "文件是 UTF-16 编码，请另存为 UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            raise YamlProblem(line, "文件不是 UTF-8 编码（这一行有无法识别的字节），请另存为 UTF-8") from None
        raise YamlProblem(line, GBK_HINT) from None
    bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise YamlProblem(line, f"文件含有不可见的控制字符（U+{ord(bad.group()):04X}），请删除")
    return text


def _refuse_anchors_and_tags(text: str) -> None:
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent):
                raise YamlProblem(line, f"不允许使用 YAML 别名（*{event.anchor}），请把内容直接写出来")
            anchor = getattr(event, "anchor", None)
            if anchor:
                raise YamlProblem(line, f"不允许使用 YAML 锚点（&{anchor}），请把内容直接写出来")
            tag = getattr(event, "tag", None)
            if tag is not None:
                shown = tag.replace("tag:yaml.org,2002:", "!!")
                raise YamlProblem(line, f"不允许使用 YAML 标签（{shown}），请删除它")
    except yaml.YAMLError:
        return  # the loader reports syntax errors with their line


def _describe_yaml_error(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    translations = {
        "found character '\\t' that cannot start any token": "不能用 Tab 缩进，请改用空格",
        "mapping values are not allowed": "这里不能出现冒号（: ），请检查缩进，或给含冒号的文字加引号",
        "could not find expected ':'": "缺少冒号（: ），或缩进不对",
        "found undefined alias": "不允许使用 YAML 别名",
        "found unexpected end of stream": "文件意外结束，可能缺少引号或括号",
        "expected <block end>, but found '<block sequence start>'": "列表缩进不对",
        "did not find expected key": "缩进不对，或这一行缺少“字段: 值”的格式",
        "did not find expected node content": "这里缺少内容，请检查引号和括号",
        "found unknown escape character": "双引号里有无法识别的转义字符（\\），请改用单引号",
    }
    for english, chinese in translations.items():
        if english in problem or english in context:
            return f"YAML 格式错误：{chinese}"
    detail = "；".join(part for part in (context, problem) if part)
    return f"YAML 格式错误：{detail or error}"


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading that refuses duplicate keys and never produces floats."""


def _construct_mapping(loader: yaml.BaseLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = {}
    first_line: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            seen = key in mapping
        except TypeError:
            raise YamlProblem(line, "字段名必须是简单的文字") from None
        if seen:
            raise YamlProblem(
                line, f"字段“{key}”重复出现（第 {first_line[key]} 行已有），YAML 只会保留最后一个，请删除多余的"
            )
        first_line[key] = line
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


def _construct_sequence(loader: yaml.BaseLoader, node: yaml.SequenceNode) -> list[Any]:
    return [loader.construct_object(child, deep=True) for child in node.value]


def _construct_int(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> int | str:
    # YAML 1.1 reads 010 as octal 8 and 1:30 as 90; keep such text as text so
    # validation reports it instead of silently using a surprising number.
    text = node.value
    if _PLAIN_INT.fullmatch(text):
        return int(text)
    return text


def _construct_decimal(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> Decimal | str:
    text = node.value.replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return node.value
    if not value.is_finite():
        return node.value
    return value


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
