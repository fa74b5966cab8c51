"""Read one YAML file strictly: size, encoding, duplicate keys, anchors and tags.

Parsing uses libyaml (``CSafeLoader``) when present. Line numbers are not kept
while loading (that would cost every file); ``Document.line_of`` composes the
node tree again only for a file that has a problem to report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem
from .fsguard import FileProblem, read_regular, too_big

MAX_BYTES = 1024 * 1024
# organization.yaml and the seals list every worker of the unit: a city's (30,000 workers)
# organization is about 5 MB, a month's seal about 2.5 MB. They get a larger limit than a record.
UNIT_MAX_BYTES = 64 * 1024 * 1024
# Our data nests 8 levels deep at most (the rubric). libyaml composes nodes recursively, in C,
# calling back into Python at each level: 100,000 nested "[" in a 1 MiB file crash the process.
MAX_DEPTH = 32
TOO_DEEP = "YAML 格式错误：嵌套层级过深，无法读取"

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_PLAIN_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_UTF8_BOM = b"\xef\xbb\xbf"
# C0 and C1 controls but tab and line ends; NEL, LINE and PARAGRAPH SEPARATOR, which YAML reads as line breaks.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_ODD_LINE_BREAKS = {"\x85", "\u2028", "\u2029"}

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
    """A loaded file: its display path, its text and the plain data in it.

    A document may travel light (``text`` and ``data`` dropped, e.g. when
    records are parsed in worker processes): its text is then read again from
    ``source`` the first time a line number is needed.
    """

    path: str
    text: str | None
    data: Any
    _nodes: yaml.Node | None = field(default=None, repr=False)
    source: Path | str | None = field(default=None, repr=False)

    def lighten(self) -> Document:
        """The same document without its text and data (cheap to send between processes)."""
        return Document(self.path, None, None, source=self.source)

    def __reduce__(self) -> tuple[Any, ...]:
        # The parsed nodes are rebuilt when needed; ``source`` is set again by whoever unpickles.
        return (Document, (self.path, self.text, self.data))

    def full_text(self) -> str:
        if self.text is None:
            if self.source is None:
                return ""
            try:
                raw = read_regular(self.source, UNIT_MAX_BYTES)  # accepted once: read the same way again
            except (FileProblem, OSError):
                raw = b""  # changed since: no line to name but the first
            self.text = decode(raw, limit=None)
        return self.text

    def problem(self, loc: Sequence[str | int], message: str) -> Problem:
        return Problem(self.path, self.line_of(loc), message)

    def line_of(self, loc: Sequence[str | int]) -> int:
        """Return the 1-based line of the deepest node that ``loc`` reaches."""
        return self._walk(loc)[0]

    def line_within(self, loc: Sequence[str | int], position: int, needle: str) -> int:
        """The line of ``needle``, found at ``position`` in the text value at ``loc``."""
        line, node = self._walk(loc)
        if not isinstance(node, yaml.ScalarNode):
            return line
        if node.style == "|":  # a literal block: each line of the value is a line of the file
            return node.start_mark.line + 2 + node.value.count("\n", 0, position)
        # Folded, plain and quoted text is re-flowed by YAML: look for the needle in the source.
        text = self.full_text()
        source = text[node.start_mark.index : node.end_mark.index]
        offset = source.find(needle)
        if offset < 0:
            return line
        return text.count("\n", 0, node.start_mark.index + offset) + 1

    def _walk(self, loc: Sequence[str | int]) -> tuple[int, yaml.Node | None]:
        if self._nodes is None:
            self._nodes = yaml.compose(self.full_text(), Loader=_BaseLoader)
        node = self._nodes
        if node is None:
            return 1, None
        line = node.start_mark.line + 1
        for step in loc:
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                        line = key_node.start_mark.line + 1
                        node = value_node
                        break
                else:
                    return line, None
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                if not 0 <= step < len(node.value):
                    return line, None
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                return line, None
        return line, node


def read_document(path: Path, display: str, limit: int = MAX_BYTES) -> Document:
    """Load one file or raise ``YamlProblem`` saying what is wrong and where."""
    try:
        raw = read_regular(path, limit)
    except FileProblem as problem:
        raise YamlProblem(1, problem.message) from None
    doc = parse_document(raw, display, limit)
    doc.source = path
    return doc


def parse_document(raw: bytes, display: str, limit: int = MAX_BYTES) -> Document:
    text = decode(raw, limit)
    if "&" in text or "*" in text or "!" in text:
        _refuse_anchors_and_tags(text)
    try:
        data = _load(text)
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as error:
        line, message = _describe_yaml_error(error, text)
        raise YamlProblem(line, message) from None
    except yaml.YAMLError as error:
        raise YamlProblem(1, f"YAML 格式错误：{error}") from None
    except ValueError as error:  # libyaml's own depth limit, among others
        raise YamlProblem(1, f"YAML 格式错误：{error}") from None
    except _TooDeep:
        raise YamlProblem(_too_deep_line(text), TOO_DEEP) from None
    except RecursionError:  # never expected (see _may_nest_too_deep), but never a traceback either
        raise YamlProblem(1, TOO_DEEP) from None
    return Document(display, text, data)


def decode(raw: bytes, limit: int | None = MAX_BYTES) -> str:
    """Decode UTF-8 (a BOM is fine) or explain which encoding it seems to be."""
    if limit is not None and len(raw) > limit:
        raise YamlProblem(1, too_big(len(raw), limit))
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(raw):
        raise YamlProblem(1, "文件是 UTF-16 编码（Windows 记事本的“Unicode”），请另存为 UTF-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            raise YamlProblem(line, "文件不是 UTF-8 编码（这一行有无法识别的字节），请另存为 UTF-8") from None
        raise YamlProblem(line, GBK_HINT) from None
    bad = _INVISIBLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        char = bad.group()
        if char in _ODD_LINE_BREAKS:  # YAML breaks the line there, an editor does not: lines would disagree
            raise YamlProblem(line, f"文件含有特殊换行符（U+{ord(char):04X}），请删除或改为普通的回车换行")
        raise YamlProblem(line, f"文件含有不可见的控制字符（U+{ord(char):04X}），请删除")
    return text


def _looks_utf16(raw: bytes) -> bool:
    """UTF-16 text without a BOM: every other byte of ASCII characters is NUL."""
    sample = raw[:200]
    if len(sample) < 4:
        return False
    return sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4


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


# libyaml's wording → (Chinese message, report at the line where the construct opened).
_YAML_ERRORS: tuple[tuple[str, str, bool], ...] = (
    ("tab character", "不能用 Tab 缩进，请改用空格", False),
    ("did not find expected ',' or '}'", "花括号“{”没有配对的“}”，或两项之间缺少逗号", True),
    ("did not find expected ',' or ']'", "方括号“[”没有配对的“]”，或两项之间缺少逗号", True),
    (
        "expected a single document",
        "这里的“---”开始了第二份内容，一个文件只能有一份：请删除这一行“---”（如果后面是另一份记录，请另存为单独的文件）",
        False,
    ),
    ("mapping values are not allowed", "这里不能出现冒号（: ），请检查缩进，或给含冒号的文字加引号", False),
    ("did not find expected key", "缩进不对，或这一行不是“字段: 值”的格式", False),
    ("did not find expected '-' indicator", "列表的每一项都要以“- ”开头，且缩进一致", False),
    ("found unknown escape character", "双引号里有无法识别的转义字符（\\），请改用单引号", False),
    ("did not find expected <document start>", "有多余的内容（例如多了一个括号），请检查这一行", False),
    ("could not find expected ':'", "缺少冒号（: ），或缩进不对", True),
    ("did not find expected node content", "这里缺少内容，请检查括号和引号是否配对", False),
    ("found unknown directive name", "不支持以 % 开头的 YAML 指令，请删除这一行", False),
    ("while scanning an alias", "“*”后面缺少名称；如果是普通文字，请加引号", False),
    ("while scanning an anchor", "“&”后面缺少名称；如果是普通文字，请加引号", False),
    ("exceeded maximum nesting depth", "嵌套层级过深，无法读取", False),  # libyaml ≥ 0.2.5's own limit
    ("expected <block end>", "缩进不对，请检查这一行与上一行是否对齐", False),
)


def _describe_yaml_error(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    problem_line = error.problem_mark.line + 1 if error.problem_mark is not None else 1
    context_line = error.context_mark.line + 1 if error.context_mark is not None else problem_line
    both = f"{context} {problem}"
    if "quoted scalar" in context and "end of stream" in problem:
        return context_line, "YAML 格式错误：引号没有配对（缺少结尾的引号）"
    if "cannot start any token" in problem:
        lines = text.splitlines()
        current = lines[problem_line - 1] if 0 < problem_line <= len(lines) else ""
        if "\t" in current:
            return problem_line, "YAML 格式错误：不能用 Tab 缩进，请改用空格"
        return problem_line, "YAML 格式错误：这一行有 YAML 不允许的字符（如 @ 或 `）开头，请给这段文字加引号"
    for english, chinese, at_context in _YAML_ERRORS:
        if english in both:
            return (context_line if at_context else problem_line), f"YAML 格式错误：{chinese}"
    detail = "；".join(part for part in (context, problem) if part)
    return problem_line, f"YAML 格式错误，请检查这一行及上一行的缩进、冒号、引号和括号（{detail or error}）"


# --- building plain data from libyaml's node tree ------------------------------------------------------
#
# libyaml composes the node tree in C; PyYAML's own constructor then walks it
# with generators and a method lookup per node, which costs more than the
# parsing. Records are small trees of plain mappings, lists and scalars, so one
# direct recursive function builds them, about twice as fast as ``yaml.load``
# with the stock CSafeLoader.

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_TAG_CACHE_SIZE = 50_000


class _TooDeep(Exception):
    """Nodes nest deeper than MAX_DEPTH (raised while composing, before the recursion goes further)."""


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """libyaml's parser with a memoized resolver (the same words recur in every record)."""

    _plain_tags: dict[str, str] = {}

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR  # quoted text is always text
            tag = self._plain_tags.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(self._plain_tags) < _TAG_CACHE_SIZE:
                    self._plain_tags[value] = tag
            return tag
        return _MAP if kind is yaml.MappingNode else _SEQ


class _CountingLoader(_StrictLoader):
    """The same, counting how deep it is: for a text that ``_may_nest_too_deep``."""

    _depth = 0

    # The composer calls these around every node it composes (about a tenth of the cost of composing).
    def descend_resolver(self, current_node: yaml.Node | None, current_index: Any) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _TooDeep

    def ascend_resolver(self) -> None:
        self._depth -= 1


def _load(text: str) -> Any:
    loader = (_CountingLoader if _may_nest_too_deep(text) else _StrictLoader)(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    return None if node is None else _construct(node)


_INDENT = 8
_DEEP_LINE = "\n" + " " * _INDENT


def _may_nest_too_deep(text: str) -> bool:
    """Whether nodes in ``text`` may nest deeper than MAX_DEPTH; False is certain, and cheap to tell.

    Going down a chain of nested block collections, each step is either on the same line,
    after a "- " or "? " indicator, or onto a later line indented at least as far (a
    sequence may sit at its key's indentation), and the step after such a level one is
    indented further. With every line indented less than ``_INDENT`` spaces, block
    collections nest at most ``2 * _INDENT`` levels plus one per indicator; a flow
    collection adds one per bracket, the root and a scalar one each. Records pass in a
    few microseconds; organization.yaml, seals and rubrics are counted while composing.
    """
    if _DEEP_LINE in text or text.startswith(" " * _INDENT):
        return True
    # Tabs, and line breaks other than \n, would upset the count of indentation: count those texts.
    if "\t" in text or "\r" in text or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return True
    steps = text.count("- ") + text.count("? ") + text.count("[") + text.count("{")
    return steps + 2 * _INDENT + 2 > MAX_DEPTH


def _too_deep_line(text: str) -> int:
    """The line where nodes first nest deeper than MAX_DEPTH (the parser's events keep no stack in Python)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.ScalarEvent | yaml.AliasEvent | yaml.CollectionStartEvent):
                if depth + 1 > MAX_DEPTH:
                    return event.start_mark.line + 1
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        pass
    return 1


def _construct(node: yaml.Node) -> Any:
    kind = type(node)
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        scalar = _SCALARS.get(node.tag)
        if scalar is None:
            raise YamlProblem(node.start_mark.line + 1, f"不允许使用 YAML 标签（{node.tag}），请删除它")
        return scalar(node)  # type: ignore[arg-type]  # checked by type(), faster than isinstance
    if kind is yaml.MappingNode:
        if node.tag != _MAP:
            raise YamlProblem(node.start_mark.line + 1, f"不允许使用 YAML 标签（{node.tag}），请删除它")
        return _construct_mapping(node)  # type: ignore[arg-type]
    if node.tag != _SEQ:
        raise YamlProblem(node.start_mark.line + 1, f"不允许使用 YAML 标签（{node.tag}），请删除它")
    return [_construct(child) for child in node.value]


def _construct_mapping(node: yaml.MappingNode) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if type(key_node) is yaml.ScalarNode and key_node.tag == _STR:
            key = key_node.value
        else:
            key = _construct_key(key_node)
        if key in mapping:
            first = next(k for k, _ in node.value if isinstance(k, yaml.ScalarNode) and k.value == key)
            raise YamlProblem(
                key_node.start_mark.line + 1,
                f"字段“{key}”重复出现（第 {first.start_mark.line + 1} 行已有），YAML 只会保留最后一个，请删除多余的",
            )
        mapping[key] = _construct(value_node)
    return mapping


def _construct_key(node: yaml.Node) -> str:
    line = node.start_mark.line + 1
    if node.tag == "tag:yaml.org,2002:merge":
        raise YamlProblem(line, "不允许使用 YAML 合并键（<<），请把字段直接写出来")
    key = _construct(node) if isinstance(node, yaml.ScalarNode) else None
    if not isinstance(key, str):
        shown = node.value if isinstance(node, yaml.ScalarNode) else "（一组内容）"
        raise YamlProblem(line, f"字段名“{shown}”应为文字（字段名只用英文字母、数字和 _）")
    return key


def _construct_int(node: yaml.ScalarNode) -> int | str:
    # YAML 1.1 reads 010 as octal 8 and 1:30 as 90; keep such text as text so
    # validation reports it instead of silently using a surprising number.
    text = node.value
    if _PLAIN_INT.fullmatch(text) and len(text) <= 30:  # longer is no count; keep it as text
        return int(text)
    return text


def _construct_decimal(node: yaml.ScalarNode) -> Decimal | str:
    text = node.value.replace("_", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return node.value
    if not value.is_finite():
        return node.value
    return value


def _construct_bool(node: yaml.ScalarNode) -> bool | str:
    # Only true/false are booleans; YAML 1.1's yes/no/on/off stay text, so
    # "worker: no" is a name and "publish_name: yes" is refused, not guessed.
    word = node.value.lower()
    if word in ("true", "false"):
        return word == "true"
    return node.value


_TIMESTAMPS = yaml.constructor.SafeConstructor()


def _construct_timestamp(node: yaml.ScalarNode) -> Any:
    try:
        return _TIMESTAMPS.construct_yaml_timestamp(node)
    except ValueError:
        raise YamlProblem(node.start_mark.line + 1, f"日期“{node.value}”不存在，请检查年、月、日") from None


def _construct_merge(node: yaml.ScalarNode) -> Any:
    raise YamlProblem(node.start_mark.line + 1, "不允许使用 YAML 合并键（<<），请把字段直接写出来")


_SCALARS: dict[str, Callable[[yaml.ScalarNode], Any]] = {
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": _construct_bool,
    "tag:yaml.org,2002:int": _construct_int,
    "tag:yaml.org,2002:float": _construct_decimal,
    "tag:yaml.org,2002:timestamp": _construct_timestamp,
    "tag:yaml.org,2002:merge": _construct_merge,
    "tag:yaml.org,2002:value": lambda node: node.value,  # a lone "=" is text
}
