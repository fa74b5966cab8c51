"""Hostile workbooks through the real ``gridscore import`` and ``export`` (PRODUCT.md §9).

Each attack is a small workbook made here, mostly an exported one with one part
rewritten. Each is refused with its exact line and exit 1, and no record file
changes; what is accepted reads back exactly as typed.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from generator.yamlio import parse_document

from .conftest import PROJECT
from .test_excel import Sheet, cli, export, snapshot

RECORDS_PART = "xl/worksheets/sheet2.xml"  # 考评记录 in an exported workbook
EVENTS_PART = "xl/worksheets/sheet3.xml"  # 事件
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SUMMARY = "发现 1 个问题，没有写入任何文件。请在表格中逐条修改后重新导入。"
RESAVE = "请在 Excel 或 WPS 中打开，“另存为”Excel 文件(*.xlsx) 后再导入"
OURS = "请使用 gridscore export 生成、用 Excel 或 WPS 填好后保存为 .xlsx 的文件"
LIMIT = (
    "超出工作表大小上限（每个工作表最多 100000 行、200 列）："
    "请删除多余的行和列（包括只设置了格式的空行、空列）后保存为 .xlsx，再导入"
)
MiB = 1024 * 1024

Change = bytes | Callable[[bytes], bytes] | None


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A copy of the sample repository and its October workbook, shared by the attacks that write nothing."""
    root = tmp_path_factory.mktemp("attacks") / "repo"
    shutil.copytree(PROJECT / "records", root / "records")
    shutil.copytree(PROJECT / "rubric", root / "rubric")
    return root, export(root)


def rewrite(source: Path, target: Path, changes: dict[str, Change]) -> Path:
    """``source`` with some parts replaced (bytes, or a function of the old bytes), removed (None) or added."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for name in old.namelist():
            change = changes.get(name, old.read(name))
            if change is not None:
                new.writestr(name, change(old.read(name)) if callable(change) else change)
        for name, change in changes.items():
            if name not in old.namelist() and isinstance(change, bytes):
                new.writestr(name, change)
    return target


def in_sheet(xml: bytes) -> Callable[[bytes], bytes]:
    """Append rows (XML) at the end of a sheet's data, and drop its <dimension> so only the rows tell."""
    return lambda data: re.sub(rb"<dimension [^>]*/>", b"", data).replace(b"</sheetData>", xml + b"</sheetData>")


def patch_directory(data: bytes, name: str, offset: int, value: int, fmt: str = "<I") -> bytes:
    """Change one field of a part's entry in the zip's central directory (what a reader believes)."""
    encoded = name.encode()
    position = data.find(b"PK\x01\x02")
    while position >= 0:
        length = struct.unpack_from("<H", data, position + 28)[0]
        if data[position + 46 : position + 46 + length] == encoded:
            patched = bytearray(data)
            struct.pack_into(fmt, patched, position + offset, value)
            return bytes(patched)
        position = data.find(b"PK\x01\x02", position + 1)
    raise AssertionError(f"{name} not in the zip")


def refused(root: Path, workbook: Path) -> list[str]:
    """Import ``workbook``: it must be refused (exit 1) with nothing written; the lines it printed."""
    before = snapshot(root)
    result = cli(root, "import", str(workbook))
    assert result.code == 1, (result.out, result.err)
    assert snapshot(root) == before
    return result.lines


def records_of(root: Path) -> dict[str, Any]:
    return {
        path.stem: parse_document(path.read_bytes(), path.name).data
        for path in sorted((root / "records/2026/10").glob("*/*.yaml"))
    }


# --- sheet size: refused before openpyxl builds anything ---------------------------------------------


def test_the_one_cell_at_a1048576_is_refused_without_loading(
    exported: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's workbook (100 s and 5.9 GB before): refused by the sheet's size, openpyxl never called."""
    root, _ = exported

    def never(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("load_workbook was called")  # an internal error: exit 2, and the test fails

    monkeypatch.setattr("generator.excel.read.load_workbook", never)
    wb = Workbook()
    wb.active["A1048576"] = 1
    workbook = tmp_path / "tall.xlsx"
    wb.save(workbook)
    assert refused(root, workbook) == [f"{workbook}: “Sheet”表的已用范围 A1048576:A1048576 {LIMIT}", SUMMARY]

    undimensioned = rewrite(workbook, tmp_path / "no-dimension.xlsx", {"xl/worksheets/sheet1.xml": in_sheet(b"")})
    assert refused(root, undimensioned) == [f"{undimensioned} Sheet!A1048576: {LIMIT}", SUMMARY]


@pytest.mark.parametrize(
    ("part", "rows", "cell"),
    [
        (RECORDS_PART, b'<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>', "考评记录!A1048576"),
        (RECORDS_PART, b'<row r="100001" />', "考评记录!A100001"),  # an empty row is still a row to build
        (RECORDS_PART, b'<row r="99999" /><row /><row><c t="n"><v>1</v></c></row>', "考评记录!A100001"),
        (EVENTS_PART, b'<row r="6"><c r="GS6" t="n"><v>1</v></c></row>', "事件!GS6"),
        (EVENTS_PART, b'<row r="50">' + b"<c />" * 201 + b"</row>", "事件!GS50"),  # cells without r: the next column
    ],
    ids=["A1048576", "empty-row-100001", "rows-without-r", "column-201", "cells-without-r"],
)
def test_rows_and_columns_are_counted_as_openpyxl_counts(
    exported: tuple[Path, Path], tmp_path: Path, part: str, rows: bytes, cell: str
) -> None:
    root, workbook = exported
    hostile = rewrite(workbook, tmp_path / "hostile.xlsx", {part: in_sheet(rows)})
    assert refused(root, hostile) == [f"{hostile} {cell}: {LIMIT}", SUMMARY]


def test_the_largest_sheet_allowed_is_read(exported: tuple[Path, Path], tmp_path: Path) -> None:
    """Row 100,000 and 200 columns are within the limits: read, and (all empty) change nothing."""
    root, workbook = exported
    rows = b'<row r="50">' + b"<c />" * 200 + b'</row><row r="100000" />'
    largest = rewrite(workbook, tmp_path / "largest.xlsx", {EVENTS_PART: in_sheet(rows)})
    before = snapshot(root)
    result = cli(root, "import", str(largest))
    assert result.code == 0, result.err
    assert result.out.startswith("已导入 2026年10月：新建 0 份、更新 0 份考评记录，39 份没有变化。")
    assert snapshot(root) == before


def test_a_dimension_that_lies_small_hides_no_row(sample: Path, tmp_path: Path) -> None:
    """openpyxl's read-only mode would stop at a sheet's <dimension>: the rows there are what counts."""
    workbook = export(sample)
    wb = load_workbook(workbook)
    records = Sheet(wb["考评记录"])
    records.cell("wg-0304", "metrics.publicity.tasks_completed").value = 4
    wb.save(workbook)
    lying = rewrite(
        workbook,
        tmp_path / "lying.xlsx",
        {RECORDS_PART: lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', d)},
    )
    result = cli(sample, "import", str(lying))
    assert result.code == 0, result.err
    assert "更新 1 份" in result.out
    assert "tasks_completed: 4," in (sample / "records/2026/10/chaoyang/wg-0304.yaml").read_text(encoding="utf-8")

    beyond = rewrite(lying, tmp_path / "beyond.xlsx", {RECORDS_PART: in_sheet(b'<row r="100001" />')})
    assert refused(sample, beyond) == [f"{beyond} 考评记录!A100001: {LIMIT}", SUMMARY]


# --- broken, bombed or foreign workbooks ----------------------------------------------------------


def _deep(data: bytes) -> bytes:
    return data.replace(b"</styleSheet>", b"<x>" * 65 + b"</x>" * 65 + b"</styleSheet>")


def _dtd(data: bytes) -> bytes:
    laughs = b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    return laughs + data


STRINGS = f'<sst xmlns="{MAIN}"><si><t>{"长" * 32768}</t></si></sst>'.encode()
LONG_CELL = f'<row r="500"><c r="G500" t="inlineStr"><is><t>{"长" * 32768}</t></is></c></row>'.encode()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (  # the case: exit 2 with an internal error before
            {RECORDS_PART: lambda d: d.replace(b"<sheetData>", b'<sheetData><row r="1"><c r="A1"></row>')},
            "“考评记录”表已损坏（XML 第 1 行第 {column} 列有误）：" + RESAVE,
        ),
        (
            {"xl/styles.xml": lambda d: d.replace(b"</styleSheet>", b"<styleSheet>")},
            "文件内部的 xl/styles.xml 已损坏（XML 第 1 行第 {column} 列有误）：" + RESAVE,
        ),
        (
            {RECORDS_PART: _dtd},
            "“考评记录”表含有 DTD 声明（Excel 和 WPS 不会写出这种内容），不能导入：" + RESAVE,
        ),
        ({"xl/styles.xml": _deep}, "文件内部的 xl/styles.xml 的结构嵌套超过 64 层，不能导入：" + RESAVE),
        (
            {EVENTS_PART: lambda d: d.replace(b'<c r="A5"', b'<c r="A0x"')},
            "“事件”表的单元格地址“A0x”无效：" + RESAVE,
        ),
        ({EVENTS_PART: lambda d: d.replace(b'<row r="5"', b'<row r="5x"')}, "“事件”表的行号“5x”无效：" + RESAVE),
        (
            {EVENTS_PART: lambda d: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:?"', d)},
            "“事件”表的范围“A1:?”无效：" + RESAVE,
        ),
        (
            {"xl/sharedStrings.xml": STRINGS},
            "文件内部的 xl/sharedStrings.xml 中第 1 个文字超过 32767 个字符（Excel 单元格的上限），不能导入",
        ),
        (
            {EVENTS_PART: in_sheet(LONG_CELL)},
            "事件!G500: 单元格的文字超过 32767 个字符（Excel 单元格的上限），不能导入",
        ),
        (
            {"xl/styles.xml": lambda d: d.replace(b"</styleSheet>", b" " * (32 * MiB) + b"</styleSheet>")},
            "文件内部的 xl/styles.xml 解压后有 32.0 MiB，超过上限 32 MiB：" + RESAVE,
        ),
        (  # a string openpyxl looks up in a shared-string table that is not there
            {RECORDS_PART: lambda d: d.replace(b't="inlineStr"><is><t>wg-0101</t></is>', b't="s"><v>7</v>')},
            "“考评记录”表第 4 行之后的内容无法读取（IndexError）：" + RESAVE,
        ),
        ({"xl/workbook.xml": None}, "无法读取（KeyError）：" + OURS),
        (
            {"xl/workbook.xml": lambda d: d.replace("考评记录".encode(), "考评记录（旧）".encode())},
            f"工作簿中没有“考评记录”工作表：{OURS}，不要删除或改名工作表",
        ),
    ],
    ids=[
        "broken-sheet-xml",
        "broken-styles-xml",
        "billion-laughs",
        "deep-nesting",
        "bad-cell-reference",
        "bad-row-number",
        "bad-dimension",
        "long-shared-string",
        "long-cell",
        "part-over-32-mib",
        "unreadable-cell",
        "no-workbook-part",
        "missing-sheet",
    ],
)
def test_a_broken_workbook_is_one_clear_line(
    exported: tuple[Path, Path], tmp_path: Path, changes: dict[str, Change], expected: str
) -> None:
    root, workbook = exported
    hostile = rewrite(workbook, tmp_path / "hostile.xlsx", changes)
    if "{column}" in expected:  # where expat stops, in characters: a mismatched end tag's name, or the end
        part, change = next(iter(changes.items()))
        assert callable(change)
        broken = change(zipfile.ZipFile(workbook).read(part))
        stop = broken.index(b"</row>") + 2 if part == RECORDS_PART else len(broken)
        expected = expected.format(column=len(broken[:stop].decode()) + 1)
    where = expected.split(": ", 1)[0]
    if "!" in where:  # at a cell
        assert refused(root, hostile) == [f"{hostile} {expected}", SUMMARY]
    else:
        assert refused(root, hostile) == [f"{hostile}: {expected}", SUMMARY]


def test_the_zip_itself(exported: tuple[Path, Path], tmp_path: Path) -> None:
    root, workbook = exported
    data = workbook.read_bytes()
    parts = zipfile.ZipFile(workbook).infolist()

    def refused_bytes(name: str, content: bytes) -> list[str]:
        path = tmp_path / name
        path.write_bytes(content)
        return refused(root, path)

    total = sum(p.file_size for p in parts if p.filename != RECORDS_PART) + 300 * MiB
    assert refused_bytes("bomb.xlsx", patch_directory(data, RECORDS_PART, 24, 300 * MiB)) == [
        f"{tmp_path / 'bomb.xlsx'}: 解压后有 {total / MiB:.1f} MiB，超过上限 200 MiB：{RESAVE}",
        SUMMARY,
    ]
    size = next(p.file_size for p in parts if p.filename == RECORDS_PART)  # says less than it unpacks to
    assert refused_bytes("understated.xlsx", patch_directory(data, RECORDS_PART, 24, size // 2)) == [
        f"{tmp_path / 'understated.xlsx'}: “考评记录”表已损坏（无法解压）：{RESAVE}",
        SUMMARY,
    ]
    assert refused_bytes("encrypted.xlsx", patch_directory(data, RECORDS_PART, 8, 0x1, "<H")) == [
        f"{tmp_path / 'encrypted.xlsx'}: 文件设置了密码，不能导入：请取消密码，{RESAVE}",
        SUMMARY,
    ]
    assert refused_bytes("cut.xlsx", data[: len(data) // 2]) == [
        f"{tmp_path / 'cut.xlsx'}: 文件已损坏（无法按 .xlsx 格式解压）：{RESAVE}",
        SUMMARY,
    ]
    many = rewrite(workbook, tmp_path / "many.xlsx", {f"x/{n}.bin": b"" for n in range(10_000)})
    assert refused(root, many) == [
        f"{many}: 文件内部有 {10_000 + len(parts)} 个部件，超过上限 10000：{RESAVE}",
        SUMMARY,
    ]
    twice = tmp_path / "twice.xlsx"
    with zipfile.ZipFile(workbook) as old, zipfile.ZipFile(twice, "w") as new, pytest.warns(UserWarning):
        for part in parts:
            new.writestr(part.filename, old.read(part.filename))
        new.writestr(RECORDS_PART, b"<worksheet/>")  # which of the two a reader takes is up to it
    assert refused(root, twice) == [f"{twice}: 文件已损坏（内部有重名的部件）：{RESAVE}", SUMMARY]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "names.xlsx",
            "编号,姓名\nwg-0101,张伟\n".encode(),
            "不是 .xlsx 文件（内容不是 Excel 工作簿的格式）：" + RESAVE,
        ),
        (  # .xls, .et and an .xlsx with an opening password are all OLE2 compound files
            "old.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
            "这是旧版 Excel（.xls）或 WPS（.et）格式的文件，或者设置了打开密码，不能导入：请取消密码，" + RESAVE,
        ),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "不是 .xlsx 文件：" + RESAVE),
        ("wps.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "不是 .xlsx 文件：" + RESAVE),
        ("empty.xlsx", b"", "不是 .xlsx 文件（内容不是 Excel 工作簿的格式）：" + RESAVE),
    ],
    ids=["text-renamed", "xls-or-encrypted-renamed", "xls", "et", "empty"],
)
def test_a_file_that_is_not_an_xlsx(
    exported: tuple[Path, Path], tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    root, _ = exported
    path = tmp_path / name
    path.write_bytes(content)
    assert refused(root, path) == [f"{path}: {expected}", SUMMARY]


# --- the file: regular, bounded, never followed -----------------------------------------------------


def test_only_a_regular_file_of_at_most_20_mib_is_read(exported: tuple[Path, Path], tmp_path: Path) -> None:
    root, workbook = exported
    link = tmp_path / "link.xlsx"
    link.symlink_to(workbook)
    assert refused(root, link) == [f"{link}: 不是普通文件，而是符号链接：{OURS}", SUMMARY]
    to_zero = tmp_path / "zero.xlsx"
    to_zero.symlink_to("/dev/zero")
    assert refused(root, to_zero) == [f"{to_zero}: 不是普通文件，而是符号链接：{OURS}", SUMMARY]
    assert refused(root, Path("/dev/zero")) == [f"/dev/zero: 不是普通文件，而是设备文件：{OURS}", SUMMARY]
    fifo = tmp_path / "fifo.xlsx"
    os.mkfifo(fifo)  # opening it would wait for a writer forever
    assert refused(root, fifo) == [f"{fifo}: 不是普通文件，而是命名管道（FIFO）：{OURS}", SUMMARY]
    large = tmp_path / "large.xlsx"
    with large.open("wb") as out:
        out.truncate(20 * MiB + 1)  # sparse: nothing is written to disk
    assert refused(root, large) == [
        f"{large}: 文件有 20,971,521 字节，超过上限 20 MiB（20,971,520 字节）：{OURS}",
        SUMMARY,
    ]
    missing = tmp_path / "missing.xlsx"
    assert refused(root, missing) == [f"{missing}: 找不到文件：请检查文件名和所在的文件夹", SUMMARY]


# --- writing records: inside the repository, never through a link ---------------------------------


def test_a_link_where_the_temporary_file_went_is_not_followed(sample: Path, tmp_path: Path) -> None:
    """Import used to write ``.NAME.tmp`` beside the record, following a link planted there."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n", encoding="utf-8")
    record = sample / "records/2026/10/chaoyang/wg-0304.yaml"
    (record.parent / f".{record.name}.tmp").symlink_to(victim)
    workbook = export(sample)
    wb = load_workbook(workbook)
    Sheet(wb["考评记录"]).cell("wg-0304", "metrics.publicity.tasks_completed").value = 4
    wb.save(workbook)
    result = cli(sample, "import", str(workbook))
    assert result.code == 0, result.err
    assert victim.read_text(encoding="utf-8") == "keep me\n"
    assert "tasks_completed: 4," in record.read_text(encoding="utf-8")
    assert (record.parent / f".{record.name}.tmp").is_symlink()  # left as it was, for the reviewer to see


def test_a_linked_folder_is_never_written_into(sample: Path, tmp_path: Path) -> None:
    workbook = export(sample)
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = sample / "records/2026/10/dongfeng-2"
    workers = sorted(path.stem for path in folder.glob("*.yaml"))
    shutil.rmtree(folder)
    folder.symlink_to(outside, target_is_directory=True)
    lines = refused(sample, workbook)
    reason = "不能写入：路径中的 records/2026/10/dongfeng-2 不是文件夹，而是符号链接"
    assert lines == [f"records/2026/10/dongfeng-2/{worker}.yaml: {reason}" for worker in workers] + [
        f"发现 {len(workers)} 个问题，没有写入任何文件。请在表格中逐条修改后重新导入。"
    ]
    assert list(outside.iterdir()) == []


def test_a_linked_record_is_not_read(sample: Path, tmp_path: Path) -> None:
    workbook = export(sample)
    record = sample / "records/2026/10/chaoyang/wg-0304.yaml"
    outside = tmp_path / "wg-0304.yaml"
    shutil.move(record, outside)
    record.symlink_to(outside)
    result = cli(sample, "import", str(workbook))
    assert result.code == 1
    assert result.lines == [
        "records/2026/10/chaoyang/wg-0304.yaml:1: 不是普通文件，而是符号链接（请先改正这个文件）",
        "发现 1 个问题，请逐条修改后重新运行 gridscore check。",
    ]
    assert record.is_symlink()


# --- text from cells: located at its cell, and YAML that cannot grow structure ----------------------

PAYLOADS = [
    ": {",
    "'",
    "#",
    "摘要 # 不是注释",
    "assessed_by: attacker",
    "- x",
    "&a *a",
    "!!python/object/apply:os.system [echo]",
    "%YAML 1.1",
    "---",
    "...",
    "{worker: attacker}",
    "[x]",
    "? x",
    "|",
    ">",
    "@SUM(A1)",
    '"quoted"',
    "null",
    "yes",
    "<<",
    "1_000.5",
    "1:20",
    '=HYPERLINK("https://example.invalid","点我")',
    "  leading and trailing  ",
]


def _fill_events(workbook: Path, rows: list[dict[str, Any]]) -> list[int]:
    wb = load_workbook(workbook)
    events = Sheet(wb["事件"])
    first = events.first_empty_row()
    for offset, values in enumerate(rows):
        for key, value in values.items():
            cell = events.ws.cell(first + offset, events.keys[key])
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # “=…” typed as text (after an apostrophe), not a formula
    wb.save(workbook)
    return [first + offset for offset in range(len(rows))]


def test_text_that_looks_like_yaml_stays_text(sample: Path) -> None:
    workbook = export(sample)
    workers = [w for w in sorted(records_of(sample)) if not records_of(sample)[w].get("events")][: len(PAYLOADS)]
    assert len(workers) == len(PAYLOADS)
    before = records_of(sample)
    _fill_events(
        workbook,
        [
            {"worker": worker, "kind": "提供重要线索破获大案", "date": date(2026, 10, 1 + n % 28), "summary": text}
            for n, (worker, text) in enumerate(zip(workers, PAYLOADS, strict=True))
        ],
    )
    result = cli(sample, "import", str(workbook))
    assert result.code == 0, result.err
    after = records_of(sample)
    for worker, text in zip(workers, PAYLOADS, strict=True):
        expected = {
            **before[worker],
            "events": [
                {"kind": "key_lead_case_solved", "date": after[worker]["events"][0]["date"], "summary": text.strip()}
            ],
        }
        assert after[worker] == expected, (text, after[worker])
    assert cli(sample, "check").code == 0


@pytest.mark.parametrize("line_break", ["\n", "\u2028", "\x85"], ids=["LF", "LINE-SEPARATOR", "NEL"])
def test_a_line_break_in_a_one_line_field_never_becomes_a_field(sample: Path, line_break: str) -> None:
    """``x⏎assessed_by: attacker``: refused at its cell (a summary is one line), never a new key."""
    workbook = export(sample)
    before = records_of(sample)
    summary = f"x{line_break}assessed_by: attacker"
    [row] = _fill_events(
        workbook,
        [{"worker": "wg-0101", "kind": "提供重要线索破获大案", "date": date(2026, 10, 9), "summary": summary}],
    )
    result = cli(sample, "import", str(workbook))
    after = records_of(sample)
    assert after["wg-0101"]["assessed_by"] == before["wg-0101"]["assessed_by"]
    assert set(after["wg-0101"]) <= set(before["wg-0101"]) | {"events"}
    assert result.code == 1, result.out
    assert result.lines[0].startswith(f"{workbook} 事件!G{row}: “事迹摘要（公开）”"), result.lines
    assert after == before


def test_a_problem_in_text_is_at_its_cell_with_the_chinese_header(sample: Path) -> None:
    workbook = export(sample)
    [row] = _fill_events(
        workbook,
        [
            {
                "worker": "wg-0101",
                "kind": "提供重要线索破获大案",
                "date": date(2026, 10, 9),
                "summary": "回访电话13812345678",
            }
        ],
    )
    assert refused(sample, workbook) == [
        f"{workbook} 事件!G{row}: “事迹摘要（公开）”会公开发布，不能含有手机号码“13812345678”；请删除，或写入内部的“佐证（内部）”",
        SUMMARY,
    ]


def test_a_value_quoted_in_a_message_stays_on_its_line(sample: Path) -> None:
    workbook = export(sample)
    wb = load_workbook(workbook)
    records = Sheet(wb["考评记录"])
    records.cell("wg-0305", "metrics.screening.valid_leads").value = "五\n发现 0 个问题"
    wb.save(workbook)
    assert refused(sample, workbook) == [
        f"{workbook} {records.ref('wg-0305', 'metrics.screening.valid_leads')}: "
        "“上报的有效线索数”应为整数，实际为 “五⏎发现 0 个问题”",
        SUMMARY,
    ]


# --- export: text cells stay text, the file is not written through a link ---------------------------

FORMULAS = ['=HYPERLINK("https://example.invalid","点我")', "+1+2", "-3+4", "@SUM(A1)", "＝1+1", "#N/A"]


def test_export_writes_text_that_looks_like_a_formula_as_text(sample: Path) -> None:
    record = sample / "records/2026/10/chaoyang/wg-0304.yaml"
    text = record.read_text(encoding="utf-8")
    events = "".join(
        f"  - kind: key_lead_case_solved\n    date: 2026-10-{n + 2:02d}\n    summary: '{value.replace(chr(39), chr(39) * 2)}'\n"
        for n, value in enumerate(FORMULAS)
    )
    record.write_text(text.replace("events:\n", "events:\n" + events, 1) + 'notes: "=1+1\\a"\n', encoding="utf-8")
    organization = sample / "records/organization.yaml"
    people = organization.read_text(encoding="utf-8")
    assert "    name: 张伟\n" in people
    organization.write_text(people.replace("    name: 张伟\n", '    name: "=2+3"\n', 1), encoding="utf-8")
    workbook = export(sample)

    with zipfile.ZipFile(workbook) as archive:
        sheets = {name: archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")}
        styles = archive.read("xl/styles.xml").decode()
    formulas = [f for xml in sheets.values() for f in re.findall(r"<f>(.*?)</f>", xml)]
    assert formulas and all(f.startswith("IF(A") and "VLOOKUP" in f for f in formulas)  # only the 姓名 lookups
    quoted = [
        i for i, xf in enumerate(re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])) if 'quotePrefix="1"' in xf
    ]
    events_xml = sheets[EVENTS_PART]
    for value in FORMULAS:
        cell = re.search(rf'<c r="G\d+" s="(\d+)" t="inlineStr"><is><t>{re.escape(value)}</t></is></c>', events_xml)
        assert cell is not None, value
        assert (int(cell.group(1)) in quoted) == (value[0] in "=+-@＝"), value
    assert re.search(r'<c r="B\d+" s="\d+" t="inlineStr"><is><t>=2\+3</t></is></c>', sheets[RECORDS_PART])
    wb = load_workbook(workbook)
    assert Sheet(wb["考评记录"]).cell("wg-0304", "notes").value == "=1+1\\x07"  # a control character, shown

    before = snapshot(sample)
    result = cli(sample, "import", str(workbook))  # the same text comes back: nothing changes
    assert result.code == 0, result.err
    assert snapshot(sample) == before


def test_export_does_not_write_through_a_link(sample: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.xlsx"
    victim.write_bytes(b"keep me")
    link = tmp_path / "2026-10.xlsx"
    link.symlink_to(victim)
    result = cli(sample, "export", "2026-10", str(link))
    assert result.code == 1
    assert result.lines == [f"错误：导出文件 {link} 是符号链接，不能写入：请换一个文件名，或先删除这个链接"]
    assert victim.read_bytes() == b"keep me"
    assert link.is_symlink()


# --- numbers typed as text ---------------------------------------------------------------------


def test_a_number_too_long_for_any_count_is_refused_not_a_crash(sample: Path) -> None:
    """5,000 digits once went through to the YAML writer, which cannot print such an int (exit 2)."""
    workbook = export(sample)
    wb = load_workbook(workbook)
    records = Sheet(wb["考评记录"])
    records.cell("wg-0304", "metrics.publicity.tasks_assigned").value = "9" * 5000
    wb.save(workbook)
    assert refused(sample, workbook) == [
        f"{workbook} {records.ref('wg-0304', 'metrics.publicity.tasks_assigned')}: "
        f"“布置的宣传任务数”应为整数，实际为 “{'9' * 40}…”（数字不要加引号）",
        SUMMARY,
    ]


def test_full_width_digits_in_a_count_are_the_number_they_show(sample: Path) -> None:
    """As in the annual score: ``１０`` typed in full-width mode is 10; ``１０．５`` is 10.5, which is no count."""
    workbook = export(sample)
    wb = load_workbook(workbook)
    records = Sheet(wb["考评记录"])
    records.cell("wg-0304", "metrics.info_collection.entries").value = "４２０"
    records.cell("wg-0305", "metrics.publicity.key_people").value = "３０．５"
    wb.save(workbook)
    assert refused(sample, workbook) == [
        f"{workbook} {records.ref('wg-0305', 'metrics.publicity.key_people')}: "
        "“网格内重点人群人数”应为整数，实际为 30.5（请填写整数，不要带小数点）",
        SUMMARY,
    ]
