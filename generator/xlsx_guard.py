"""A workbook from outside, checked before openpyxl reads it; files read and written without following links.

An .xlsx is a zip of XML parts. openpyxl trusts what it finds: a sheet whose only
cell is ``A1048576`` makes it build a million rows, a crafted zip unpacks to
gigabytes, a broken part raises whatever its XML parser raises. So the file is
read here first, once, into memory: a regular file (never a link, FIFO or
device) of at most 20 MiB; a zip of at most 10,000 parts unpacking to at most
200 MiB, none encrypted; every XML part well-formed, without a DTD, not nested
absurdly deep; every sheet at most 100,000 rows × 200 columns, counted the way
openpyxl counts (a ``<row>`` without ``r`` is the next row, a cell without
``r`` the next column) and refused at the first row or cell beyond, so a lying
``<dimension>`` or a missing one changes nothing. openpyxl then reads the same
bytes in read-only mode.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from pyexpat import ExpatError, ParserCreate
from typing import Any

from . import fsguard
from .errors import GridscoreError
from .fsguard import kind_name as _kind

MiB = 1024 * 1024
MAX_WORKBOOK_BYTES = 20 * MiB
MAX_UNPACKED_BYTES = 200 * MiB
MAX_PART_BYTES = 32 * MiB  # a part openpyxl reads whole: styles, shared strings, the workbook
MAX_PARTS = 10_000
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_SHARED_STRINGS = 1_000_000
MAX_DEPTH = 64  # Excel writes a dozen levels; openpyxl builds some parts recursively
CHUNK = 64 * 1024

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# pyexpat joins a namespace and a local name with this separator: "uri}row"
_ROW, _DIMENSION, _SHARED_STRING = f"{_MAIN}}}row", f"{_MAIN}}}dimension", f"{_MAIN}}}si"
_SHEET, _RELATIONSHIP, _REL_ID = f"{_MAIN}}}sheet", f"{_RELATIONSHIPS}}}Relationship", f"{_DOC_RELATIONSHIPS}}}id"
_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,9})")
_ROW_NUMBER = re.compile(r"[0-9]{1,9}(?:\.0*)?")
_RANGE = re.compile(r"([A-Za-z]{1,3})([0-9]{1,9})(?::([A-Za-z]{1,3})([0-9]{1,9}))?")
# Compound File Binary: .xls, .et, and an .xlsx with an opening password (Excel encrypts it into one)
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

RESAVE = "请在 Excel 或 WPS 中打开，“另存为”Excel 文件(*.xlsx) 后再导入"
LIMITS = f"每个工作表最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列"
SHRINK = "请删除多余的行和列（包括只设置了格式的空行、空列）后保存为 .xlsx，再导入"


class FileRefused(GridscoreError):
    """A path that is not a regular file of bounded size; ``reason`` says what it is instead."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class FileMissing(FileRefused):
    """Nothing at the path."""


class WorkbookRefused(GridscoreError):
    """The workbook may not be read; ``cell`` (``考评记录!A1048576``) when the problem has one."""

    def __init__(self, message: str, cell: str | None = None) -> None:
        self.message = message
        self.cell = cell
        super().__init__(f"{cell}: {message}" if cell else message)


def _size(count: int) -> str:
    return f"{count / MiB:.1f} MiB" if count % MiB else f"{count // MiB} MiB"


def _bytes(count: int) -> str:
    return f"{count:,} 字节"


# --- files ---------------------------------------------------------------------------------


def read_regular(path: Path, limit: int) -> bytes:
    """The bytes of ``path``: a regular file (not a link to one) of at most ``limit`` bytes, checked before reading."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        raise FileMissing("找不到文件") from None
    except OSError as error:
        raise FileRefused(f"无法读取（{error.strerror}）") from None
    if not stat.S_ISREG(mode):  # before opening: opening a device or FIFO can itself do something
        raise FileRefused(f"不是普通文件，而是{_kind(mode)}")
    try:
        return fsguard.read_regular(path, limit)
    except fsguard.FileProblem as problem:  # replaced since lstat, or too big: said in this module's words
        if problem.size is not None:
            raise FileRefused(f"文件有 {_bytes(problem.size)}，超过上限 {_size(limit)}（{_bytes(limit)}）") from None
        raise FileRefused(f"不是普通文件，而是{_kind(problem.mode or 0)}") from None
    except OSError as error:
        raise FileRefused(f"无法读取（{error.strerror}）") from None


# --- the workbook ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedWorkbook:
    """A workbook's bytes, within every limit, and the sheets it names (name → part)."""

    data: bytes
    sheets: dict[str, str]


def check_workbook(data: bytes) -> CheckedWorkbook:
    """Refuse (``WorkbookRefused``) a workbook that is not a bounded, well-formed .xlsx."""
    if data.startswith(_OLE2):
        raise WorkbookRefused(
            "这是旧版 Excel（.xls）或 WPS（.et）格式的文件，或者设置了打开密码，不能导入：请取消密码，" + RESAVE
        )
    if not data.startswith(b"PK"):
        raise WorkbookRefused("不是 .xlsx 文件（内容不是 Excel 工作簿的格式）：" + RESAVE)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise WorkbookRefused("文件已损坏（无法按 .xlsx 格式解压）：" + RESAVE) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise WorkbookRefused(f"文件内部有 {len(parts)} 个部件，超过上限 {MAX_PARTS}：" + RESAVE)
        if len({part.filename for part in parts}) < len(parts):  # which one would be read is up to the reader
            raise WorkbookRefused("文件已损坏（内部有重名的部件）：" + RESAVE)
        if any(part.flag_bits & 0x1 for part in parts):
            raise WorkbookRefused("文件设置了密码，不能导入：请取消密码，" + RESAVE)
        unpacked = sum(part.file_size for part in parts)
        if unpacked > MAX_UNPACKED_BYTES:
            raise WorkbookRefused(f"解压后有 {_size(unpacked)}，超过上限 {_size(MAX_UNPACKED_BYTES)}：" + RESAVE)
        scan = _Scan(archive)
        sheets = scan.sheet_names()
        names = {part: name for name, part in sheets.items()}
        for part in parts:
            scan.part(part, names.get(part.filename))
        return CheckedWorkbook(data, sheets)


class _Scan:
    """Stream-parse the parts of one archive, counting what openpyxl would build."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.read = 0  # bytes actually unpacked, whatever the zip's directory says
        self.done: set[str] = set()

    def sheet_names(self) -> dict[str, str]:
        """Sheet name → part, from the package and workbook relationships (for naming sheets in messages)."""
        workbook = next(iter(self._targets("_rels/.rels", "officeDocument").values()), "xl/workbook.xml")
        folder, name = posixpath.split(workbook)
        targets = self._targets(posixpath.join(folder, "_rels", f"{name}.rels"), "worksheet", folder)
        found: dict[str, str] = {}

        def on_sheet(tag: str, attributes: dict[str, str]) -> None:
            if tag == _SHEET and attributes.get(_REL_ID) in targets:
                found.setdefault(attributes.get("name", ""), targets[attributes[_REL_ID]])

        self._named(workbook, on_sheet)
        return found

    def _targets(self, rels: str, kind: str, folder: str = "") -> dict[str, str]:
        targets: dict[str, str] = {}

        def on_relationship(tag: str, attributes: dict[str, str]) -> None:
            target = attributes.get("Target", "")
            if tag == _RELATIONSHIP and attributes.get("Type", "").endswith(f"/{kind}") and target:
                joined = target[1:] if target.startswith("/") else posixpath.join(folder, target)
                targets[attributes.get("Id", "")] = posixpath.normpath(joined)

        self._named(rels, on_relationship)
        return targets

    def _named(self, name: str, on_start: Callable[[str, dict[str, str]], None]) -> None:
        try:
            part = self.archive.getinfo(name)
        except KeyError:
            return  # openpyxl will say it is not a workbook
        self.part(part, None, on_start)

    def part(
        self,
        part: zipfile.ZipInfo,
        sheet: str | None,
        on_start: Callable[[str, dict[str, str]], None] | None = None,
    ) -> None:
        """Parse one part to its end, or refuse at the first thing beyond a limit."""
        if part.filename in self.done:
            return
        self.done.add(part.filename)
        where = f"“{sheet}”表" if sheet else f"文件内部的 {part.filename} "
        if sheet is None and part.file_size > MAX_PART_BYTES:
            raise WorkbookRefused(
                f"{where}解压后有 {_size(part.file_size)}，超过上限 {_size(MAX_PART_BYTES)}：" + RESAVE
            )
        counter = _Counter(sheet or part.filename, where, on_start)
        parser = ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        counter.attach(parser)
        try:
            with self.archive.open(part) as stream:
                while chunk := stream.read(CHUNK):
                    self.read += len(chunk)
                    if self.read > MAX_UNPACKED_BYTES:
                        raise WorkbookRefused(f"解压后超过上限 {_size(MAX_UNPACKED_BYTES)}：" + RESAVE)
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except ExpatError as error:
            if sheet is None and not part.filename.lower().endswith((".xml", ".rels", ".vml")):
                return  # a picture or another binary part, which openpyxl does not read as XML; counted up to here
            detail = f"XML 第 {error.lineno} 行第 {error.offset + 1} 列有误"
            raise WorkbookRefused(f"{where}已损坏（{detail}）：" + RESAVE) from None
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, RuntimeError):
            raise WorkbookRefused(f"{where}已损坏（无法解压）：" + RESAVE) from None


class _Counter:
    """Expat handlers: rows, cells and text as openpyxl's sheet reader would see them."""

    def __init__(self, sheet: str, where: str, on_start: Callable[[str, dict[str, str]], None] | None) -> None:
        self.sheet = sheet  # a sheet's name, or the part's when the workbook does not name it
        self.where = where
        self.on_start = on_start
        self.depth = 0
        self.row_depth = 0  # depth of the open <row>, 0 outside one
        self.row = 0
        self.column = 0
        self.text = 0  # characters in the open cell or shared string
        self.counting_text = False
        self.shared_strings = 0

    def attach(self, parser: Any) -> None:
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.characters
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.doctype

    def doctype(self, *_: Any) -> None:
        raise WorkbookRefused(f"{self.where}含有 DTD 声明（Excel 和 WPS 不会写出这种内容），不能导入：" + RESAVE)

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise WorkbookRefused(f"{self.where}的结构嵌套超过 {MAX_DEPTH} 层，不能导入：" + RESAVE)
        if self.on_start is not None:
            self.on_start(tag, attributes)
        if self.row_depth and self.depth == self.row_depth + 1:
            self.cell(attributes.get("r"))
        elif tag == _ROW:
            self.start_row(attributes.get("r"))
        elif tag == _DIMENSION:
            self.dimension(attributes.get("ref", ""))
        elif tag == _SHARED_STRING:
            self.shared_strings += 1
            if self.shared_strings > MAX_SHARED_STRINGS:
                raise WorkbookRefused(f"{self.where}中的文字超过 {MAX_SHARED_STRINGS} 个，不能导入：" + RESAVE)
            self.text, self.counting_text = 0, True

    def end(self, tag: str) -> None:
        if self.row_depth and self.depth == self.row_depth + 1:
            self.counting_text = False
        elif self.depth == self.row_depth:
            self.row_depth = 0
        elif tag == _SHARED_STRING:
            self.counting_text = False
        self.depth -= 1

    def characters(self, text: str) -> None:
        if self.counting_text:
            self.text += len(text)
            if self.text > MAX_CELL_CHARS:
                too_long = f"超过 {MAX_CELL_CHARS} 个字符（Excel 单元格的上限），不能导入"
                if self.row_depth:
                    raise WorkbookRefused(f"单元格的文字{too_long}", self.cell_name())
                raise WorkbookRefused(f"{self.where}中第 {self.shared_strings} 个文字{too_long}")

    def start_row(self, number: str | None) -> None:
        if number is None:
            self.row += 1
        elif _ROW_NUMBER.fullmatch(number):
            self.row = int(number.split(".")[0])
        else:
            raise WorkbookRefused(f"{self.where}的行号“{number[:20]}”无效：" + RESAVE)
        self.row_depth = self.depth
        self.column = 0
        if self.row > MAX_ROWS:
            self.too_large(f"{self.sheet}!A{self.row}")

    def cell(self, reference: str | None) -> None:
        if reference is None:
            self.column += 1
        else:
            match = _CELL_REF.fullmatch(reference)
            if match is None:
                raise WorkbookRefused(f"{self.where}的单元格地址“{reference[:20]}”无效：" + RESAVE)
            self.column = _column_number(match.group(1))
            if int(match.group(2)) > MAX_ROWS:
                self.too_large(f"{self.sheet}!{reference.upper()}")
        if self.column > MAX_COLUMNS:
            self.too_large(self.cell_name())
        self.text, self.counting_text = 0, True

    def cell_name(self) -> str:
        return f"{self.sheet}!{_column_letters(self.column)}{self.row}"

    def dimension(self, reference: str) -> None:
        match = _RANGE.fullmatch(reference)
        if match is None:
            raise WorkbookRefused(f"{self.where}的范围“{reference[:40]}”无效：" + RESAVE)
        last_column, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
        if _column_number(last_column) > MAX_COLUMNS or int(last_row) > MAX_ROWS:
            raise WorkbookRefused(
                f"{self.where}的已用范围 {reference.upper()} 超出工作表大小上限（{LIMITS}）：{SHRINK}"
            )

    def too_large(self, cell: str) -> None:
        raise WorkbookRefused(f"超出工作表大小上限（{LIMITS}）：{SHRINK}", cell)


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters or "A"
