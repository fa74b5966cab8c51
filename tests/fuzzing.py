"""Hostile inputs for the loader and ``check``, shared by the test suite and scripts/fuzz.py.

Whatever a file holds, a record or the rubric, ``gridscore check`` must answer
with exit 0 or 1 and ``path:line: message`` (or ``path: message``) lines, never a
traceback. Whatever is in place of a file (a symlink, a FIFO, a device, a folder,
a data file not named ``.yaml``) gets the same. And whatever ``check`` accepts,
``build`` builds (PRODUCT.md §9: check ⊇ build).
"""

from __future__ import annotations

import contextlib
import copy
import datetime
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from generator.cli import main
from generator.yamlio import parse_document

from . import payloads
from .conftest import ORGANIZATION, PERFECT_METRICS, PROJECT

GOOD = (
    "worker: w1\nperiod: 2026-03\nassessed_by: a1\nassessed_on: 2026-04-02\n"
    + PERFECT_METRICS
    + "events:\n  - kind: major_dissuasion\n    date: 2026-03-12\n    amount_yuan: 80000\n    summary: 劝阻转账\n"
)
TARGET = "records/2026/03/c1/w1.yaml"

TOKENS = [
    ": ",
    "- ",
    "\n",
    "  ",
    "\t",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "!!int ",
    "!x ",
    '"',
    "'",
    "#",
    "|",
    ">",
    "-1",
    "1.5",
    "1e9",
    "null",
    "~",
    "yes",
    "no",
    "0x1F",
    "0o17",
    "010",
    "1_000",
    "12:30",
    ".inf",
    ".nan",
    "<<: ",
    "? ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "2026-13-45",
    "2026-02-30",
    "2026-04-02 10:00",
    "优秀",
    "无此项",
    "<script>",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x7f",
    "😀",
    "𠀀",
]


@st.composite
def mutated_records(draw: st.DrawFn) -> bytes:
    """A good record, then a few insertions, deletions and duplicated lines."""
    text = GOOD
    for _ in range(draw(st.integers(1, 5))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "duplicate", "replace-value"]))
        if action == "insert":
            text = text[:position] + draw(st.sampled_from(TOKENS)) + text[position:]
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 12)) :]
        elif action == "duplicate":
            lines = text.split("\n")
            line = draw(st.sampled_from(lines))
            lines.insert(draw(st.integers(0, len(lines))), line)
            text = "\n".join(lines)
        else:
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            key = lines[index].split(":")[0]
            lines[index] = f"{key}: {draw(st.sampled_from(TOKENS + ['', '[]', '{}', '-5', '999999999999']))}"
            text = "\n".join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return text.encode(encoding, errors="replace")


@st.composite
def hostile_documents(draw: st.DrawFn) -> bytes:
    """Known attacks and oddities: billion laughs, deep nesting, huge lines, binary junk, mixed encodings."""
    kind = draw(st.sampled_from(["laughs", "nesting", "long-line", "junk", "mixed", "many-keys", "huge-number"]))
    if kind == "laughs":
        depth = draw(st.integers(2, 9))
        lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]" for i in range(depth)]
        return "\n".join(lines).encode()
    if kind == "nesting":
        depth = draw(st.integers(50, 3000))
        opener = draw(st.sampled_from(["[", "{a: "]))
        return ("worker: " + opener * depth).encode()
    if kind == "long-line":
        size = draw(st.sampled_from([1024 * 1024 - 40, 1024 * 1024 + 1, 300_000]))
        return ("worker: w1\nnotes: " + "长" * (size // 3) + "\n").encode()
    if kind == "junk":
        return draw(st.binary(min_size=0, max_size=400))
    if kind == "mixed":
        return GOOD.encode("utf-8")[:120] + "备注：内部".encode("gbk") + GOOD.encode("utf-8")[120:]
    if kind == "many-keys":
        return ("worker: w1\n" + "".join(f"k{i}: {i}\n" for i in range(draw(st.integers(1, 3000))))).encode()
    return ("worker: w1\nperiod: 2026-03\nmetrics: {publicity: {tasks_assigned: " + "9" * 5000 + "}}\n").encode()


# --- rubrics ----------------------------------------------------------------------------------------------------

RUBRIC_TARGET = "rubric/2026.yaml"  # the edition in force for the records below (rubric/2025.yaml is older)
RUBRIC_TEXT = (PROJECT / RUBRIC_TARGET).read_text(encoding="utf-8")
RUBRIC_DATA = parse_document(RUBRIC_TEXT.encode("utf-8"), RUBRIC_TARGET).data

# Records a mutated rubric is checked and scored against: every kind of item, level and event parameter,
# a veto, an item deduction, two months and an annual review, so a rubric that still loads is really used.
RUBRIC_RECORDS = {
    TARGET: GOOD,
    "records/2026/02/c1/w1.yaml": GOOD.replace("2026-03", "2026-02").replace("2026-04-02", "2026-03-02"),
    "records/2026/03/c1/w2.yaml": (
        "worker: w2\nperiod: 2026-03\nassessed_by: a1\nassessed_on: 2026-04-02\nmetrics:\n"
        "  publicity: {tasks_assigned: 4, tasks_completed: 3, key_people: 30, key_people_reached: 11}\n"
        "  screening: {inspections_required: 4, inspections_done: 6, valid_leads: 2}\n"
        "  info_collection: {entries: 0, complete: 0, accurate: 0, timely: 0}\n"
        "  warning_response: {received: 3, responded_in_time: 2, visited: 1, dissuaded: 1}\n"
        "  case_assistance: none\n  asset_recovery: 一般\n  method_innovation: good\n  coordination: poor\n"
        "events:\n"
        "  - {kind: publicity_task_missed, date: 2026-03-03, severity: 严重, summary: 宣传任务未完成}\n"
        "  - {kind: coordination_failure, date: 2026-03-04, summary: 协作不畅}\n"
        "  - {kind: major_risk_incident, date: 2026-03-05, summary: 发生重大涉诈风险事件}\n"
        "  - {kind: innovation_recognized, date: 2026-03-06, level: city, summary: 创新做法获市级认可}\n"
        "  - {kind: loss_recovered, date: 2026-03-07, amount_yuan: 3000, summary: 协助挽回损失}\n"
    ),
    "records/2026/annual/c1/w1.yaml": (
        "worker: w1\nyear: 2026\nreview_score: 88.5\nassessed_by: a1\nassessed_on: 2027-01-10\n"
    ),
}

# Exponents stay in the thousands: ``bonus_cap: 1e99999999`` (or such a level ratio or ``per``) is accepted and
# then stalls check for minutes while Fraction builds 10**99999999, a known problem this fuzz must not hang on.
ODD_NUMBERS: list[Any] = [
    0,
    -1,
    1,
    2,
    99,
    101,
    10**12,
    10**40,  # too long for an int in YAML: read back as text
    Decimal("-0.01"),
    Decimal("0.001"),
    Decimal("0.333"),
    Decimal("1.005"),
    Decimal("1.5"),
    Decimal("99.99"),
    Decimal("100.01"),
    Decimal("1E+30"),
    Decimal("1E-30"),
    Decimal("1E+99999999"),  # exact arithmetic on these would never finish: refused as out of range
    Decimal("1E-99999999"),
]
NUMBER_TEXTS = ["0", "-1", "0.5", ".5", "5.", "1.005", "99", "100.00", "1e3", "1E+5000", "1e-5000", "1_0", "010"]
NUMBER_TEXTS += ["1e99999999", "1e-99999999"]
NUMBER_TEXTS += ["0x10", "0o7", "-0", "+3", "1,5", "１０", "十", "NaN", "Infinity", "-.inf", '"10"']
WRONG_VALUES: list[Any] = [None, True, False, "", " ", "文字", "yes", [], {}, ["a"], {"a": 1}, [{"id": "x"}], 7]
WRONG_VALUES += [Decimal("2.5"), datetime.date(2026, 1, 1), "2026-13", "x" * 300]
# Every other id of the rubric, words the loader gives a meaning to, and ids nobody declared.
ODD_IDS = ["none", "excellent", "good", "pass", "fail", "foundation", "intervention", "publicity", "coordination"]
ODD_IDS += ["warning_response", "warning_response.dissuaded", "warning_response.nope", "tasks_completed", "severity"]
ODD_IDS += ["level", "minor", "county", "kind", "date", "summary", "evidence", "amount_yuan", "worker", "metrics"]
ODD_IDS += ["ratio", "count", "formula", "bonus", "item_deduction", "annual_excellent", "top_category_mean"]
ODD_IDS += ["nope", "a b", "编号", "-", "x.", "2026-01", "2026-02", "2025-01", "2026-04", "2026-13", "1", "0"]
# Names pydantic gives a meaning to: an item or a count may be called so (metrics_model uses aliases).
PYDANTIC_NAMES = ["model_config", "model_dump", "copy", "json", "schema", "validate"]
ODD_IDS += PYDANTIC_NAMES
UNKNOWN_KEYS: list[Any] = ["extra", "Points", "point", "ratios", "备注", "ID", "id_", "description2", 1, True]


class _Dumper(yaml.SafeDumper):
    """``yaml.safe_dump`` that also writes the Decimal values the loader reads numbers with a point as."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # a value used twice is written twice: the loader refuses anchors


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float", text if "." in text else text + ".0")


_Dumper.add_representer(Decimal, _represent_decimal)


def dump_yaml(data: Any) -> str:
    """YAML text that ``generator.yamlio`` reads back as ``data`` (keys in their order, Chinese unescaped)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every node of a data tree with its path (the root first)."""
    found = [(path, data)]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _nodes(value, (*path, index))
    return found


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    return _at(data, path[:-1])


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool)


# The keys whose values are ids or references: an odd id goes there more often than into a name or label.
ID_KEYS = {"id", "item", "by", "category", "veto_grade_cap", "min_grade", "category_mean", "metric_total"}
ID_KEYS |= {"part", "whole", "count", "method", "effect", "rule", "version", "effective_from"}


def _rename_everywhere(data: Any, old: str, new: str) -> Any:
    """``data`` with an id renamed wherever it is used: values, keys and ``item.metric`` references."""
    if isinstance(data, dict):
        return {(new if key == old else key): _rename_everywhere(value, old, new) for key, value in data.items()}
    if isinstance(data, list):
        return [_rename_everywhere(value, old, new) for value in data]
    if data == old:
        return new
    if isinstance(data, str) and data.startswith(old + "."):
        return new + data[len(old) :]
    return data


def _replace_key(mapping: dict[Any, Any], old: Any, new: Any) -> None:
    """Rename a key where it stands (a later key of the same name is overwritten, as YAML would refuse)."""
    items = [(new if key == old else key, value) for key, value in mapping.items()]
    mapping.clear()
    mapping.update(items)


@st.composite
def _mutate_tree(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """One change to the rubric's data (in place, or a renamed copy): a number, a key, an id, a type, a list."""
    nodes = _nodes(data)
    numbers = [path for path, value in nodes if _is_number(value)]
    strings = [path for path, value in nodes if isinstance(value, str)]
    references = [path for path in strings if path[-1] in ID_KEYS]
    mappings = [path for path, value in nodes if isinstance(value, dict) and value]
    lists = [path for path, value in nodes if isinstance(value, list) and value]
    with_ids = [path for path in lists if all(isinstance(v, dict) and "id" in v for v in _at(data, path))]
    candidates = {
        "number": numbers,
        "drop-key": mappings,
        "rename-key": mappings,
        "duplicate-id": with_ids,
        "wrong-type": [path for path, _ in nodes[1:]],
        "unknown-field": mappings,
        "odd-id": references or strings,
        "odd-string": strings,
        "rename-id": [path for path in strings if path[-1] == "id"],
        "list": lists,
    }
    action = draw(st.sampled_from([action for action, paths in candidates.items() if paths]))
    path = draw(st.sampled_from(candidates[action]))
    node = _at(data, path)
    if action == "number":  # most often: the sums no longer add up
        step = draw(st.sampled_from([1, -1, Decimal("0.5"), Decimal("0.01"), Decimal("-0.01")]))
        try:
            shifted = node + step
        except ArithmeticError:  # an earlier mutation left a number like 1e999999999: keep it
            shifted = node
        new = draw(
            st.sampled_from([shifted, *ODD_NUMBERS])
            | st.integers(-5, 200)
            | st.decimals(-5, 200, places=2, allow_nan=False, allow_infinity=False)
        )
        _parent(data, path)[path[-1]] = new
    elif action == "drop-key":  # a required key, or one that only some shapes allow
        del node[draw(st.sampled_from(list(node)))]
    elif action == "rename-key":  # a misspelt field, or a metric, scale or level key that nothing else names
        _replace_key(node, draw(st.sampled_from(list(node))), draw(st.sampled_from(ODD_IDS + UNKNOWN_KEYS)))
    elif action == "duplicate-id":
        first = draw(st.integers(0, len(node) - 1))
        if len(node) == 1 or draw(st.booleans()):
            node.insert(draw(st.integers(0, len(node))), copy.deepcopy(node[first]))
        else:
            node[draw(st.integers(0, len(node) - 1))]["id"] = node[first]["id"]
    elif action == "wrong-type":
        _parent(data, path)[path[-1]] = copy.deepcopy(draw(st.sampled_from(WRONG_VALUES)))
    elif action == "unknown-field":
        node[draw(st.sampled_from(UNKNOWN_KEYS))] = draw(st.sampled_from(["x", 1, None, []]))
    elif action in ("odd-id", "odd-string"):  # another id, a word the loader knows, or nothing known
        _parent(data, path)[path[-1]] = draw(st.sampled_from(ODD_IDS))
    elif action == "rename-id":  # an item, level or category renamed consistently: the records no longer follow
        return _rename_everywhere(data, node, draw(st.sampled_from(ODD_IDS)))
    else:  # a list emptied, shortened or reversed (grades upside down, none first)
        how = draw(st.sampled_from(["empty", "drop-one", "reverse"]))
        if how == "empty":
            node.clear()
        elif how == "drop-one":
            del node[draw(st.integers(0, len(node) - 1))]
        else:
            node.reverse()
    return data


@st.composite
def _mutate_text(draw: st.DrawFn, text: str) -> str:
    """One change to the rubric's text: a token, a cut, a line twice, an odd value, a number, an indent."""
    lines = text.split("\n")
    action = draw(st.sampled_from(["insert", "delete", "duplicate", "replace-value", "number", "drop-line", "indent"]))
    if action == "insert":
        position = draw(st.integers(0, len(text)))
        return text[:position] + draw(st.sampled_from(TOKENS)) + text[position:]
    if action == "delete":
        position = draw(st.integers(0, len(text)))
        return text[:position] + text[position + draw(st.integers(1, 40)) :]
    if action == "duplicate":  # a duplicate key, or a list item twice
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(lines)))
    elif action == "replace-value":
        index = draw(st.integers(0, len(lines) - 1))
        key = lines[index].split(":")[0]
        odd = draw(st.sampled_from([*TOKENS, *NUMBER_TEXTS, *ODD_IDS, "", "[]", "{}", "{id: x}", "[1, 2]"]))
        lines[index] = f"{key}: {odd}"
    elif action == "number":
        found = list(re.finditer(r"(?<![\w.-])\d+(?:\.\d+)?(?![\w.-])", text))
        if found:
            match = draw(st.sampled_from(found))
            return text[: match.start()] + draw(st.sampled_from(NUMBER_TEXTS)) + text[match.end() :]
    elif action == "drop-line":
        keyed = [index for index, line in enumerate(lines) if ":" in line]
        del lines[draw(st.sampled_from(keyed))]
    else:
        index = draw(st.integers(0, len(lines) - 1))
        lines[index] = draw(st.sampled_from(["  ", " ", ""])) + lines[index][draw(st.integers(0, 2)) :]
    return "\n".join(lines)


@st.composite
def mutated_rubrics(draw: st.DrawFn) -> bytes:
    """The real rubric/2026.yaml with a few changes to its data and then to its text, in some encoding.

    Data changes (numbers that no longer add up, dropped keys, duplicate ids, wrong types, unknown fields,
    ids that are another id or nothing known, ids renamed everywhere, lists emptied or reversed) are written
    back with PyYAML and lose the comments; without them the original text, comments and flow style
    included, is mutated. Then tokens, cuts, duplicate lines, odd values and numbers go into the text.
    """
    data = copy.deepcopy(RUBRIC_DATA)
    tree_changes = draw(st.integers(0, 3))
    for _ in range(tree_changes):
        data = draw(_mutate_tree(data))
    text = dump_yaml(data) if tree_changes else RUBRIC_TEXT
    for _ in range(draw(st.integers(0 if tree_changes else 1, 3))):
        text = draw(_mutate_text(text))
    # Mostly UTF-8: every other encoding stops at the same first check, so a few of them are enough.
    encoding = draw(st.sampled_from(["utf-8"] * 12 + ["utf-8-sig", "gb18030", "utf-16", "mixed"]))
    if encoding != "mixed":
        return text.encode(encoding, errors="replace")
    raw = text.encode("utf-8")
    position = draw(st.integers(0, len(raw)))
    return raw[:position] + "备注：内部".encode("gbk") + raw[position:]


# --- checking ----------------------------------------------------------------------------------------------------


def run_check(root: Path) -> tuple[int, str, str]:
    """Run ``gridscore check``; warnings are added to stderr, where a user would see them."""
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["check", "--root", str(root)])
    shown = "".join(warnings.formatwarning(w.message, w.category, w.filename, w.lineno, None) for w in caught)
    return code, out.getvalue(), shown + err.getvalue()


PROBLEM_LINE = re.compile(r"(records|rubric|site_templates)/[^:\n]*(:\d+)?: \S")
SUMMARY_LINE = re.compile(r"发现 \d+ 个问题，请逐条修改后重新运行 gridscore check。")


def assert_clean_output(code: int, out: str, err: str) -> None:
    """Exit 0 with nothing on stderr, or exit 1 with ``path:line: message`` lines and the count; no traceback."""
    assert code in (0, 1), (code, err[-2000:])
    assert "Traceback" not in out + err and "程序内部错误" not in err, err[-2000:]
    if code == 0:
        assert err == "", err[-2000:]
    if code == 1:
        lines = [line for line in err.splitlines() if line]
        assert lines and SUMMARY_LINE.fullmatch(lines[-1]), err[-2000:]
        for line in lines[:-1]:
            assert PROBLEM_LINE.match(line), f"not a path:line: message line: {line!r}\n{err[-2000:]}"


def assert_clean_answer(root: Path, content: bytes, target: str = TARGET) -> None:
    """Write ``content`` to ``target`` (a record by default) and check the repository: exit 0 or 1, only error lines."""
    (root / target).write_bytes(content)
    assert_clean_output(*run_check(root))


# --- hostile text in every field ------------------------------------------------------------------------------

NOTICE_TARGET = "records/notices/2026-04-10-criticism.yaml"  # a criticism notice needs no seal
NOTICE = (
    "kind: criticism\nnumber: 测试反诈〔2026〕9号\ntitle: 关于通报批评的通知\nperiod: 2026-03\ndate: 2026-04-10\n"
    "issued_by: 测试街道反诈工作领导小组\nbody: |\n  现予通报批评。\n"
)
ORGANIZATION_TARGET = "records/organization.yaml"
# The files whose every text field the hostile-text strategy reaches, as they stand in the fuzz repository.
TEXT_TARGETS = {
    ORGANIZATION_TARGET: ORGANIZATION,
    TARGET: GOOD,
    NOTICE_TARGET: NOTICE,
    RUBRIC_TARGET: RUBRIC_TEXT,
}
TEXT_DATA = {path: parse_document(text.encode("utf-8"), path).data for path, text in TEXT_TARGETS.items()}
# Keys whose values are ids or references (an odd id goes there); every other string is text.
IDENTIFIER_KEYS = ID_KEYS | {"worker", "assessed_by", "kind", "community", "grid", "communities", "period"}
# Optional text fields the base files leave out: the strategy adds them too.
OPTIONAL_TEXTS = {
    ORGANIZATION_TARGET: [("assessors", 0, "git_account"), ("workers", 0, "name")],
    TARGET: [("notes",), ("events", 0, "evidence")],
    NOTICE_TARGET: [],
    RUBRIC_TARGET: [],
}
LONG_TEXTS = ["名" * 33, "题" * 101, "述" * 501, "正" * 20_001, "长" * 100_000]
HOSTILE_TEXTS: list[str] = [
    *(p.text for p in payloads.ONE_LINE + payloads.ONE_LINE_LONG + payloads.BODY_LINES),
    *payloads.CONTROL,
    *payloads.LINE_BREAK_INJECTIONS,
    *payloads.PII,
    *payloads.BAD_GIT_ACCOUNTS,
    payloads.BODY_ALLOWED,
    "\n".join(p.text for p in payloads.BODY_LINES),
    "\u2028",
    "\u202e翻转",
    "\u200b",
    "",
    " ",
    "\t",
]
ODD_IDENTIFIERS = [*payloads.BAD_IDS, "w2", "c2", "a2", "g02", "x" * 64, "W1", "w1.", "w-1_2.3"]


def _text_paths(data: Any) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The paths of every text and every id string in a data tree."""
    texts, ids = [], []
    for path, value in _nodes(data):
        if isinstance(value, str) and path:
            key = next((step for step in reversed(path) if isinstance(step, str)), "")
            (ids if key in IDENTIFIER_KEYS else texts).append(path)
    return texts, ids


def _hostile_text(long: bool) -> st.SearchStrategy[str]:
    pool = HOSTILE_TEXTS + (LONG_TEXTS if long else LONG_TEXTS[:3])
    one = st.sampled_from(pool)
    return one | st.tuples(st.sampled_from(["", "张", "通报 "]), one, one).map("".join)


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


# The fields §9 calls names, titles, summaries and bodies: an accepted payload there must be accepted.
PUBLISHED_TEXT_KEYS = {"name", "short", "leading_group", "org", "summary", "evidence", "notes", "title", "issued_by"}
PUBLISHED_TEXT_KEYS |= {"label", "description", "basis", "changes", "measures"}  # bodies: test_attack_browser


@st.composite
def hostile_texts(draw: st.DrawFn, long: bool = True, accepted: bool = False) -> dict[str, bytes]:
    """One of the organization, a record, a notice or the rubric, with payloads in some of its text fields and
    odd ids in its id fields: markup, template syntax, formulas, control characters, PII, over-long text.

    ``long=False`` keeps texts under 20,001 characters (for builds: a 100,000-character name is check's to refuse).
    ``accepted=True`` puts only payloads §9 accepts (markup within a name's length) into published text fields,
    so that check accepts the result and build has something to build.
    """
    target = draw(st.sampled_from(sorted(TEXT_DATA)))
    data = copy.deepcopy(TEXT_DATA[target])
    texts, ids = _text_paths(data)
    if accepted:
        published = [
            path for path in texts if next(s for s in reversed(path) if isinstance(s, str)) in PUBLISHED_TEXT_KEYS
        ]
        names = [p.text for p in payloads.NAMES]
        for _ in range(draw(st.integers(1, 4))):
            _set(data, draw(st.sampled_from(published)), draw(st.sampled_from(names)))
        if target == NOTICE_TARGET and draw(st.booleans()):  # links: to pages, to repository files, to nothing
            links = draw(st.lists(st.sampled_from(payloads.BODY_LINKS), min_size=1, max_size=3))
            data["body"] = payloads.BODY_ALLOWED + "\n" + "\n\n".join(links) + "\n"
        return {target: dump_yaml(data).encode("utf-8")}
    for _ in range(draw(st.integers(1, 3))):
        action = draw(st.sampled_from(["text", "text", "text", "id", "add"] if ids else ["text", "add"]))
        if action == "text" and texts:
            _set(data, draw(st.sampled_from(texts)), draw(_hostile_text(long)))
        elif action == "id":
            _set(data, draw(st.sampled_from(ids)), draw(st.sampled_from(ODD_IDENTIFIERS)))
        elif OPTIONAL_TEXTS[target]:
            _set(data, draw(st.sampled_from(OPTIONAL_TEXTS[target])), draw(_hostile_text(long)))
    return {target: dump_yaml(data).encode("utf-8")}


# --- files that are not what they seem ---------------------------------------------------------------------------

GOOD_BYTES = GOOD.encode("utf-8")
RECORD_DIR = "records/2026/03/c1"


@st.composite
def odd_files(draw: st.DrawFn) -> dict[str, bytes | None]:
    """Data files named or placed oddly: not ``.yaml``, a bad id or stem in the name, a wrong folder, a rubric
    whose ``version`` is a path. Values are the new content; None deletes the file."""
    kind = draw(st.sampled_from(["not-yaml", "bad-record-name", "bad-folder", "bad-notice-stem", "rubric-version"]))
    if kind == "not-yaml":
        name = draw(st.sampled_from(payloads.NON_YAML_NAMES))
        moved: dict[str, bytes | None] = {f"{RECORD_DIR}/{name}": GOOD_BYTES}
        if draw(st.booleans()):
            moved[TARGET] = None  # renamed, not copied: the record would vanish from the ranking
        return moved
    if kind == "bad-record-name":
        name = draw(st.sampled_from([i for i in payloads.BAD_IDS if "/" not in i and "\n" not in i] + ["W1", "w1 "]))
        return {
            TARGET: None,
            f"{RECORD_DIR}/{name}.yaml": GOOD_BYTES.replace(b"worker: w1", f"worker: {name}".encode()),
        }
    if kind == "bad-folder":
        folder = draw(
            st.sampled_from(
                [
                    "records/2026/3/c1",
                    "records/2026/03/c1/sub",
                    "records/2026/03",
                    "records/26/03/c1",
                    "records/2026/13/c1",
                ]
                + ["records/2026/03/ｃ１", "records/2026/03/" + "c" * 65, "records/2026/03/.c1", "records/notices/x"]
            )
        )
        return {f"{folder}/w1.yaml": GOOD_BYTES}
    if kind == "bad-notice-stem":
        stem = draw(
            st.sampled_from(
                ["2026-04-10-中文", "2026-04-10-A_B", "2026-4-10-x", "2026-04-10-" + "x" * 60, ".2026-04-10-x"]
            )
            | st.sampled_from([i for i in payloads.BAD_IDS if "/" not in i and "\n" not in i])
        )
        return {NOTICE_TARGET: None, f"records/notices/{stem}.yaml": NOTICE.encode("utf-8")}
    version = draw(st.sampled_from(payloads.BAD_IDS + ["../../../../outside", "/tmp/x", "2026/../2025", "2026\\x"]))
    rubric = RUBRIC_TEXT.replace('version: "2026"', f"version: {json.dumps(version, ensure_ascii=False)}")
    assert rubric != RUBRIC_TEXT
    return {RUBRIC_TARGET: rubric.encode("utf-8")}


SPECIAL_KINDS = [
    "directory",
    "symlink-to-outside-file",
    "symlink-dangling",
    "symlink-loop",
    "symlink-to-directory",
    "symlink-to-dev-null",
    "fifo",
    "symlink-to-fifo",
    "symlink-to-dev-zero",
    "symlink-to-dev-urandom",
]
# What could hang or fill the memory if it were read: checked in a child process with a time and memory limit.
BLOCKING_KINDS = {"fifo", "symlink-to-fifo", "symlink-to-dev-zero", "symlink-to-dev-urandom"}
SPECIAL_PLACES = [TARGET, ORGANIZATION_TARGET, RUBRIC_TARGET, NOTICE_TARGET, "records/2026/annual/c1/w1.yaml"]


@dataclass(frozen=True)
class Special:
    """Something that is not a regular file, in place of one."""

    kind: str


@st.composite
def special_files(draw: st.DrawFn, blocking: bool = True) -> dict[str, bytes | Special | None]:
    """A symlink, FIFO, device or folder where gridscore expects a data file (a record, the organization, …).

    ``blocking=False`` leaves out what needs a child process (FIFOs, endless devices), for quick runs.
    """
    kinds = [kind for kind in SPECIAL_KINDS if blocking or kind not in BLOCKING_KINDS]
    return {draw(st.sampled_from(SPECIAL_PLACES)): Special(draw(st.sampled_from(kinds)))}


def _make_special(path: Path, special: Special, scratch: Path) -> None:
    kind = special.kind
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink-to-outside-file":
        outside = scratch / "outside.yaml"
        outside.write_bytes(GOOD_BYTES)
        path.symlink_to(outside)
    elif kind == "symlink-dangling":
        path.symlink_to(scratch / "missing.yaml")
    elif kind == "symlink-loop":
        path.symlink_to(path)
    elif kind == "symlink-to-directory":
        path.symlink_to(scratch)
    elif kind == "symlink-to-fifo":
        fifo = scratch / "fifo"
        if not fifo.exists():
            os.mkfifo(fifo)
        path.symlink_to(fifo)
    else:
        path.symlink_to("/dev/" + kind.removeprefix("symlink-to-dev-"))


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file() or (path.exists() and not path.is_dir()):
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


@contextlib.contextmanager
def changed_files(root: Path, changes: dict[str, Any]) -> Iterator[None]:
    """Apply ``changes`` (content, None to delete, or a Special) to the repository, and undo them afterwards."""
    saved: dict[Path, bytes | None] = {}
    created: list[Path] = []  # folders that did not exist before
    scratch = Path(tempfile.mkdtemp(prefix="gridscore-fuzz-outside-"))
    try:
        for relative, change in changes.items():
            path = root / relative
            saved[path] = path.read_bytes() if path.is_file() and not path.is_symlink() else None
            missing = [parent for parent in path.parents if not parent.exists()]
            if missing:
                created.append(missing[-1])
            path.parent.mkdir(parents=True, exist_ok=True)
            _remove(path)
            if isinstance(change, Special):
                _make_special(path, change, scratch)
            elif change is not None:
                path.write_bytes(change)
        yield
    finally:
        for path, content in saved.items():
            _remove(path)
            if content is not None:
                path.write_bytes(content)
        for folder in created:
            shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)


CHILD_TIMEOUT = 10  # seconds: a FIFO read blocks forever; the child is killed instead
CHILD_MEMORY = 1024**3  # bytes of address space: reading /dev/zero must stop well before the machine does


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def run_check_in_child(root: Path) -> tuple[int, str, str]:
    """``gridscore check`` in a child process with a time and memory limit (for inputs that could hang it)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "generator", "check", "--root", str(root)],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
            env=env,
            preexec_fn=_limit_memory,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise AssertionError(
            f"check did not finish within {CHILD_TIMEOUT} s (it reads something that never ends)"
        ) from None
    return done.returncode, done.stdout, done.stderr


def check_changed(root: Path, changes: dict[str, Any]) -> tuple[int, str, str]:
    """Check the repository with ``changes`` applied; in a child process when one of them could block."""
    blocking = any(isinstance(c, Special) and c.kind in BLOCKING_KINDS for c in changes.values())
    with changed_files(root, changes):
        return run_check_in_child(root) if blocking else run_check(root)


def assert_clean_changes(root: Path, changes: dict[str, Any]) -> None:
    """Apply ``changes``, check: exit 0 or 1 and only error lines (then undo the changes)."""
    assert_clean_output(*check_changed(root, changes))


# --- check ⊇ build ------------------------------------------------------------------------------------------------


def assert_check_implies_build(root: Path, changes: dict[str, Any], audience: str) -> bool:
    """With ``changes`` applied: if check accepts the repository, build builds it. Returns whether check accepted."""
    with changed_files(root, changes):
        code, out, err = run_check(root)
        assert_clean_output(code, out, err)
        if code != 0:
            return False
        site = Path(tempfile.mkdtemp(prefix="gridscore-fuzz-site-")) / "site"
        try:
            built = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(built[0]), contextlib.redirect_stderr(built[1]):
                status = main(["build", "--audience", audience, "--site-dir", str(site), "--root", str(root)])
            message = built[1].getvalue()
            assert status == 0, f"check accepts, build --audience {audience} exits {status}:\n{message[-3000:]}"
            assert "Traceback" not in message, message[-3000:]
        finally:
            shutil.rmtree(site.parent, ignore_errors=True)
    return True
