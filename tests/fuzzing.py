"""Hostile inputs for the loader and ``check``, shared by the test suite and scripts/fuzz.py.

Whatever a file holds, ``gridscore check`` must answer with exit 0 or 1 and
``path:line: message`` lines, never a traceback.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from hypothesis import strategies as st

from generator.cli import main

from .conftest import PERFECT_METRICS

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


def run_check(root: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", "--root", str(root)])
    return code, out.getvalue(), err.getvalue()


def assert_clean_answer(root: Path, content: bytes) -> None:
    """Write ``content`` as a record and check the repository: exit 0 or 1, only error lines."""
    (root / TARGET).write_bytes(content)
    code, out, err = run_check(root)
    assert code in (0, 1), (code, err[-2000:])
    assert "Traceback" not in out + err and "程序内部错误" not in err, err[-2000:]
    if code == 1:
        lines = [line for line in err.splitlines() if line]
        assert lines[-1].startswith("发现 ") and lines[-1].endswith("个问题，请逐条修改后重新运行 gridscore check。")
        for line in lines[:-1]:
            assert line.startswith(("records/", "rubric/")) and ": " in line, line
