"""The Excel / WPS route: ``gridscore export`` writes a month to a workbook, ``gridscore import`` reads it back.

A 考评组 that works in Excel or WPS fills one row per grid worker (sheet 考评记录)
and one row per event (sheet 事件). Import turns the rows into the records'
data, validates them exactly as ``gridscore check`` does (the real loader,
models and cross-file checks, in memory) and points each problem at its cell
(``考评记录!H7``). Nothing is written unless everything is valid. A record
whose values did not change is not touched; a changed one keeps its comments,
key order and layout (ruamel.yaml round trip, then the original spacing is put
back on every line whose content did not change).

The workbook maps its columns by a row of field keys under the Chinese
headers (``metrics.publicity.tasks_completed``), so a moved or inserted
column does not shift data into the wrong field.

A workbook is untrusted input (§9): ``xlsx_guard`` reads it once and checks its
size, its zip and every sheet's extent before openpyxl reads it, in read-only
mode. Records are read and written without following links. Export writes every
text as text: nothing from the data becomes a formula.

Modules: ``layout`` (cell writing and styling shared by every workbook), ``columns``
(the sheets' columns, values between YAML and cells), ``text`` (the sheet text),
``export`` (a month's workbook), ``read`` (reading an uploaded workbook),
``importer`` (planning, validating and writing the records), ``yamltext`` (YAML
round trip), ``existing`` (the repository side shared by export and import),
``problems`` (what import refuses a workbook with), ``annual`` (the annual
review workbook) and ``ledger`` (the finance sheet, ``gridscore export-ledger``).
"""

from .annual import export_reviews, import_reviews, review_columns
from .columns import Column, event_columns, from_excel, record_columns, to_excel
from .export import ExportSummary, export_workbook
from .importer import ImportSummary, import_workbook
from .ledger import LedgerSheetSummary, export_ledger
from .problems import CellProblem, ImportRefused

__all__ = [
    "CellProblem",
    "Column",
    "ExportSummary",
    "ImportRefused",
    "ImportSummary",
    "LedgerSheetSummary",
    "event_columns",
    "export_ledger",
    "export_reviews",
    "export_workbook",
    "from_excel",
    "import_reviews",
    "import_workbook",
    "record_columns",
    "review_columns",
    "to_excel",
]
