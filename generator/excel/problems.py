"""What import refuses a workbook with: problems at cells, and the refusal itself."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from ..errors import GridscoreError, one_line


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int
    column: int
    message: str

    @property
    def cell(self) -> str:
        return f"{self.sheet}!{get_column_letter(self.column)}{self.row}"


class ImportRefused(GridscoreError):
    """The workbook has problems: every one, located by cell (or file and line), and nothing written."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = [one_line(line) for line in lines]  # a sheet name or a value may hold a line break
        super().__init__("\n".join(self.lines))
