"""``gridscore import``: plan every record a workbook changes, validate as ``check`` does, write all or nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from .. import pipeline
from ..errors import Problem, display_path
from ..fsguard import unsafe_target, write_replacing
from ..load import Repository, load_data_file, load_repository
from ..models import Worker
from ..periods import Month, Year
from ..rubric import Rubric
from ..validate import Dataset
from ..yamlio import Document
from .columns import (
    Column,
    Loc,
    _event_cells,
    _lookup,
    _present,
    _same,
    _scale_key,
    _unchanged,
    event_columns,
    from_excel,
    record_columns,
    to_excel,
)
from .existing import _Existing, _month_folder, _read_existing, _setup
from .layout import HEADER_ROWS
from .problems import CellProblem, ImportRefused
from .read import _blank, _read_workbook, _Row, _Sheet
from .text import (
    EVENT_NOT_ACTIVE,
    KEY_NOT_IN_RUBRIC,
    NO_EVENT_WORKER,
    NOT_ACTIVE,
    NOT_WRITABLE,
    NOUN_RECORDS,
    NOUN_REVIEWS,
    SHEET_EVENTS,
    SHEET_RECORDS,
    TWO_ROWS,
    UNKNOWN_KEY,
)
from .yamltext import _dump_record, _put, _round_trip_load, _yaml_text

RECORD_ORDER = ("worker", "period", "assessed_by", "assessed_on", "metrics", "events", "notes")


@dataclass
class _Planned:
    """One record file the import would write, and where each of its values came from."""

    worker: str
    path: Path
    shown: str
    text: str
    original: str | None
    # where each value came from: ("metrics", "publicity", "tasks_completed") → "考评记录!H7"
    cells: dict[Loc, str]
    row_cell: str
    doc: Document | None = None
    lines: dict[Loc, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportSummary:
    period: Month | Year
    created: list[Path]
    updated: list[Path]
    unchanged: int
    kept: list[str]  # workers whose row was blank although a file exists
    unrelated: int  # problems elsewhere in the repository, not caused by this import

    @property
    def noun(self) -> str:
        """What the files written are called: 考评记录 (a month), 年度评议 (a year)."""
        return NOUN_REVIEWS if isinstance(self.period, Year) else NOUN_RECORDS


def import_workbook(root: Path, source: Path, label: str | None = None) -> ImportSummary:
    """Read ``source``, validate everything as ``check`` does, then write every changed record (or nothing)."""
    label = label or source.name
    workbook = _read_workbook(source, label)
    if isinstance(workbook.period, Year):
        from .annual import import_reviews  # the annual sheet is built on this module

        return import_reviews(root, workbook, label)
    month, sheet_problems = workbook.period, workbook.problems
    records, events = workbook.sheets[SHEET_RECORDS], workbook.sheets[SHEET_EVENTS]
    base = load_repository(root)
    org, rubric = _setup(base, month)
    active = {w.id: w for w in org.workers if w.active_in(month)}
    record_cols = {c.key: c for c in record_columns(rubric, month)}
    event_cols = {c.key: c for c in event_columns(rubric, month)}
    _check_keys(records, record_cols, rubric, sheet_problems)
    _check_keys(events, event_cols, rubric, sheet_problems)

    rows: dict[str, _Row] = {}
    for row in records.rows:
        worker_id = row.values.get("worker")
        if worker_id not in active:
            message = NOT_ACTIVE.format(worker=worker_id, month=month)
            sheet_problems.append(CellProblem(SHEET_RECORDS, row.number, records.columns["worker"], message))
        elif worker_id in rows:
            message = TWO_ROWS.format(worker=worker_id, row=rows[worker_id].number)
            sheet_problems.append(CellProblem(SHEET_RECORDS, row.number, records.columns["worker"], message))
        else:
            rows[worker_id] = row
    event_rows: dict[str, list[_Row]] = {}
    worker_column = events.columns.get("worker", 1)
    for row in events.rows:
        worker_id = row.values.get("worker")
        if _blank(worker_id):
            sheet_problems.append(CellProblem(SHEET_EVENTS, row.number, worker_column, NO_EVENT_WORKER))
        elif str(worker_id).strip() not in active:
            message = EVENT_NOT_ACTIVE.format(worker=worker_id, month=month)
            sheet_problems.append(CellProblem(SHEET_EVENTS, row.number, worker_column, message))
        else:
            event_rows.setdefault(str(worker_id).strip(), []).append(row)

    existing = _read_existing(root, _month_folder(root, month), list(active.values()))
    planned: list[_Planned] = []
    kept: list[str] = []
    for worker_id in sorted(set(rows) | set(event_rows)):
        record = existing.get(worker_id)
        found = event_rows.get(worker_id, [])
        plan = _plan(
            root, month, rubric, active[worker_id], rows.get(worker_id), found, record, record_cols, event_cols
        )
        if plan is None:
            if record is not None and _has_values(record.data, record_cols.values()):
                kept.append(worker_id)
        elif plan.text != plan.original:
            planned.append(plan)

    headers = {
        SHEET_RECORDS: _headers(record_cols.values(), rubric),
        SHEET_EVENTS: _headers(event_cols.values(), rubric),
    }
    created, updated, unrelated = _write_all(root, label, base, planned, sheet_problems, headers)
    return ImportSummary(month, created, updated, len(existing) - len(updated), sorted(kept), unrelated)


def _write_all(
    root: Path,
    label: str,
    base: Repository,
    planned: list[_Planned],
    sheet_problems: list[CellProblem],
    headers: dict[str, dict[str, str]],
) -> tuple[list[Path], list[Path], int]:
    """Validate ``planned`` in ``base``, then write it all, or raise ``ImportRefused`` and write nothing.

    Returns the files created, those updated, and how many problems elsewhere the import did not cause.
    """
    after, unrelated = _validate_planned(base, planned)
    lines = _locate(label, sheet_problems, planned, after, headers)
    lines += [
        NOT_WRITABLE.format(path=plan.shown, reason=reason)
        for plan in planned
        if (reason := unsafe_target(root, plan.path))
    ]
    if lines:
        raise ImportRefused(lines)
    created: list[Path] = []
    updated: list[Path] = []
    for plan in planned:
        (updated if plan.original is not None else created).append(plan.path)
        write_replacing(plan.path, plan.text.encode("utf-8"))
    return created, updated, unrelated


def _check_keys(sheet: _Sheet, known: dict[str, Column], rubric: Rubric, problems: list[CellProblem]) -> None:
    for key, column in sheet.columns.items():
        if key not in known:
            message = (
                KEY_NOT_IN_RUBRIC.format(key=key, version=rubric.version)
                if key.startswith("metrics.")
                else UNKNOWN_KEY.format(key=key, row=HEADER_ROWS)
            )
            problems.append(CellProblem(sheet.name, sheet.key_row, column, message))


def _has_values(data: dict[str, Any], columns: Iterable[Column]) -> bool:
    return any(_lookup(data, c.loc) is not None for c in columns if not c.locked) or bool(data.get("events"))


def _plan(
    root: Path,
    month: Month,
    rubric: Rubric,
    worker: Worker,
    row: _Row | None,
    event_rows: list[_Row],
    existing: _Existing | None,
    record_cols: dict[str, Column],
    event_cols: dict[str, Column],
) -> _Planned | None:
    """The text a worker's record would have after the import, or None when the sheet says nothing about it.

    A blank row without events means “no record yet”: nothing is written, and an
    existing record is left alone (clearing a row never deletes a file).
    """
    blank = row is None or all(_blank(row.values.get(k)) for k, c in record_cols.items() if not c.locked)
    if blank and not event_rows:
        return None
    if existing is None:
        data = CommentedMap([("worker", worker.id), ("period", str(month))])
        path = _month_folder(root, month) / worker.community / f"{worker.id}.yaml"
        plain: dict[str, Any] = {}
    else:
        data = _round_trip_load(existing.text)
        path = existing.path
        plain = existing.data
    row_cell = row.cell(SHEET_RECORDS, "worker") if row else event_rows[0].cell(SHEET_EVENTS, "worker")
    cells: dict[Loc, str] = {("worker",): row_cell}
    for key, column in record_cols.items():
        if column.locked or row is None or key not in row.columns:
            continue
        cells[column.loc] = row.cell(SHEET_RECORDS, key)
        if blank and existing is not None:
            continue  # a blank row leaves an existing record's values alone
        cell = row.values.get(key)
        if existing is not None and _unchanged(column, _lookup(plain, column.loc), cell, rubric):
            continue
        _assign(data, column.loc, from_excel(column, cell, rubric), rubric)
    _apply_events(data, plain, event_rows, event_cols, rubric, cells)
    text = _dump_record(data, existing.text if existing else None)
    return _Planned(
        worker.id, path, display_path(path, root), text, existing.text if existing else None, cells, row_cell
    )


def _assign(data: CommentedMap, loc: Loc, value: Any, rubric: Rubric) -> None:
    """Set one record value, creating the maps on its way in the rubric's order."""
    value = _yaml_text(value)
    if loc[0] == "metrics":
        metrics = data.get("metrics")
        if not isinstance(metrics, CommentedMap):
            metrics = CommentedMap()
            _put(data, "metrics", metrics, RECORD_ORDER)
        item_order = tuple(item.id for item in rubric.items)
        if len(loc) == 2:
            _put(metrics, str(loc[1]), value, item_order)
            return
        item = rubric.item_by_id[str(loc[1])]
        counts = metrics.get(loc[1])
        if not isinstance(counts, CommentedMap):
            counts = CommentedMap()
            counts.fa.set_flow_style()
            _put(metrics, item.id, counts, item_order)
        _put(counts, str(loc[2]), value, tuple(item.fields))
        return
    key = str(loc[0])
    if value is None and key == "notes":
        if key in data:
            del data[key]
        return
    _put(data, key, value, RECORD_ORDER)


EVENT_FIELDS = ("kind", "date", "scale", "amount_yuan", "summary", "evidence")
OPTIONAL_EVENT_FIELDS = ("scale", "amount_yuan", "evidence")


def _apply_events(
    data: CommentedMap,
    plain: dict[str, Any],
    rows: list[_Row],
    columns: dict[str, Column],
    rubric: Rubric,
    cells: dict[Loc, str],
) -> None:
    """Match the sheet's rows to the record's events: same content stays, changed ones are edited, the rest added or removed."""
    old_plain = plain.get("events") if isinstance(plain.get("events"), list) else []
    old_events: list[Any] = list(old_plain or [])
    current = data.get("events")
    sequence = current if isinstance(current, CommentedSeq) else None
    if not rows and not old_events:
        return

    def wanted(row: _Row) -> dict[str, Any]:
        kind = from_excel(columns["kind"], row.values.get("kind"), rubric)
        return {
            key: from_excel(columns[key], row.values.get(key), rubric, kind)
            for key in EVENT_FIELDS
            if key in row.columns
        }

    def shown(event: Any) -> dict[str, Any] | None:
        if not isinstance(event, dict):
            return None
        raw = _event_cells("", event, rubric)
        kind = event.get("kind")
        return {
            key: from_excel(columns[key], to_excel(columns[key], raw.get(key), rubric, kind), rubric, kind)
            for key in EVENT_FIELDS
        }

    targets = [wanted(row) for row in rows]
    olds = [shown(event) for event in old_events]
    pairs: dict[int, int] = {}  # row index → old event index
    for r, target in enumerate(targets):
        for o, old in enumerate(olds):
            if o not in pairs.values() and old is not None and all(_same(old.get(k), v) for k, v in target.items()):
                pairs[r] = o
                break
    spare = [o for o, old in enumerate(olds) if o not in pairs.values() and old is not None]
    for r in range(len(targets)):
        if r not in pairs and spare:
            pairs[r] = spare.pop(0)
    removed = set(spare)
    if sequence is None:
        sequence = CommentedSeq()
        _put(data, "events", sequence, RECORD_ORDER)
    sequence.fa.set_block_style()
    for o in sorted(removed, reverse=True):
        del sequence[o]
    final_index = {o: o - sum(1 for gone in removed if gone < o) for o in range(len(old_events)) if o not in removed}
    next_index = len(old_events) - len(removed)
    for r, (row, target) in enumerate(zip(rows, targets, strict=True)):
        if r in pairs:
            index = final_index[pairs[r]]
            event = sequence[index]
            old = olds[pairs[r]] or {}
            for key, value in target.items():
                if not _same(old.get(key), value):
                    _set_event_field(event, key, value, target.get("kind"), rubric)
        else:
            index = next_index
            next_index += 1
            event = CommentedMap()
            for key in EVENT_FIELDS:
                value = target.get(key)
                if value is not None or key not in OPTIONAL_EVENT_FIELDS:
                    _set_event_field(event, key, value, target.get("kind"), rubric)
            sequence.append(event)
        for key in EVENT_FIELDS:
            if key in row.columns:
                name = _scale_key(rubric, target.get("kind"), event, target.get("scale")) if key == "scale" else key
                cells[("events", index, name)] = row.cell(SHEET_EVENTS, key)
    if not sequence and old_events:
        del data["events"]  # the last event removed: no “events:” line, as in records written by hand


def _event_order(rubric: Rubric) -> tuple[str, ...]:
    return ("kind", "date", "amount_yuan", *rubric.scales, "summary", "evidence")


def _set_event_field(event: CommentedMap, key: str, value: Any, kind_value: Any, rubric: Rubric) -> None:
    order = _event_order(rubric)
    if key == "scale":
        target = _scale_key(rubric, kind_value, None, value)
        for scale in rubric.scales:
            if scale in event and (scale != target or value is None):
                del event[scale]
        if value is not None:
            _put(event, target, value, order)
        return
    if value is None and key in OPTIONAL_EVENT_FIELDS:
        if key in event:
            del event[key]
        return
    _put(event, key, _yaml_text(value), order)


def _all_problems(repo: Repository) -> tuple[list[Problem], Dataset | None]:
    """What ``gridscore check`` would report for ``repo`` (the same chain: ``pipeline.check_loaded``)."""
    checked = pipeline.check_loaded(repo)
    return checked.problems, checked.dataset


def _validate_planned(base: Repository, planned: list[_Planned]) -> tuple[list[Problem], int]:
    """Problems the import would cause (in the files it writes, or new elsewhere), and how many others exist."""
    before, _ = _all_problems(base)
    paths = {plan.shown for plan in planned}
    after_repo = replace(
        base,
        records=[r for r in base.records if r.doc.path not in paths],
        annual=[a for a in base.annual if a.doc.path not in paths],
        problems=[p for p in base.problems if p.path not in paths],
    )
    for plan in planned:
        plan.doc = _load_record(after_repo, plan)
    after, _ = _all_problems(after_repo)
    known = set(before)
    caused = [p for p in after if p.path in paths or p not in known]
    unrelated = sum(1 for p in after if p.path not in paths and p in known)
    return caused, unrelated


def _load_record(repo: Repository, plan: _Planned) -> Document | None:
    """Read a planned record (or review) exactly as ``load`` reads its file."""
    doc = load_data_file(repo, plan.path, plan.text.encode("utf-8"))
    if doc is not None:
        plan.lines = {loc: doc.line_of(loc) for loc in plan.cells}
    return doc


def _locate(
    label: str,
    sheet_problems: list[CellProblem],
    planned: list[_Planned],
    problems: list[Problem],
    headers: dict[str, dict[str, str]],
) -> list[str]:
    """Every problem as one line: at its cell when it is about a value from the workbook, else at its file and line."""
    by_path = {plan.shown: plan for plan in planned}
    located: list[tuple[tuple[int, int, int, str], str]] = []
    order = {SHEET_RECORDS: 0, SHEET_EVENTS: 1}

    def at_cell(cell: str, message: str) -> None:
        sheet, _, ref = cell.partition("!")
        letters = "".join(ch for ch in ref if ch.isalpha())
        number = int("".join(ch for ch in ref if ch.isdigit()) or 0)
        column = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters)))
        message = _in_sheet_terms(message, headers.get(sheet, {}))
        located.append(((order.get(sheet, 2), number, column, message), f"{label} {cell}: {message}"))

    for found in sheet_problems:
        at_cell(found.cell, found.message)
    others: list[str] = []
    for problem in sorted(set(problems), key=lambda p: (p.path, p.line, p.message)):
        plan = by_path.get(problem.path)
        if plan is None:
            others.append(str(problem))
            continue
        at_cell(_cell_for(problem, plan), problem.message)
    return [line for _, line in sorted(located)] + others


def _cell_for(problem: Problem, plan: _Planned) -> str:
    """The cell a problem in a planned record is about: the value on its line, told apart by the field it names."""
    candidates = [loc for loc, line in plan.lines.items() if line == problem.line]
    if not candidates:
        return plan.row_cell
    named = []
    for loc in candidates:
        match = re.search(rf"(?<![A-Za-z0-9_]){re.escape(str(loc[-1]))}(?![A-Za-z0-9_])", problem.message)
        if match:
            named.append((match.start(), -len(loc), loc))
    if named:
        return plan.cells[min(named)[2]]
    data = plan.doc.data if plan.doc is not None else {}
    present = [loc for loc in candidates if _present(data, loc)]
    return plan.cells[(present or candidates)[0]]


def _headers(columns: Iterable[Column], rubric: Rubric) -> dict[str, str]:
    """Field id → the Chinese header a sheet shows for it (an item's level column: the item's name)."""
    headers: dict[str, str] = {}
    for column in columns:
        if column.item is not None:
            headers.setdefault(column.item.id, column.item.name)
        if column.kind == "level" and column.item is not None:
            continue
        headers.setdefault(str(column.loc[-1]), column.label)
        if column.kind == "scale":
            headers.update({scale: column.label for scale in rubric.scales})
    return headers


_QUOTED = re.compile(r"“[^“”]*”")
_PARENTHESIZED = re.compile(r"（([A-Za-z][A-Za-z0-9_]*)(?::\s*([^（）]*))?）")
_WORD = re.compile(r"(?<![A-Za-z0-9_.-])[A-Za-z][A-Za-z0-9_]*(?![A-Za-z0-9_.-])")
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _in_sheet_terms(message: str, headers: dict[str, str]) -> str:
    """A message about a cell with each field id as its Chinese column header (the sheet never shows the ids).

    A quoted value (“五”) is left as typed; an id the message already explains
    (“完成的宣传任务数（tasks_completed: 9）”) is dropped, any other becomes its header.
    """
    pieces: list[str] = []
    last = 0
    for match in _QUOTED.finditer(message):
        pieces.append(_plain_terms(message[last : match.start()], headers, message))
        inner = match.group()[1:-1]
        pieces.append(f"“{headers[inner]}”" if inner in headers else match.group())
        last = match.end()
    pieces.append(_plain_terms(message[last:], headers, message))
    return "".join(pieces)


def _base(header: str) -> str:
    return header.split("（")[0] or header


def _plain_terms(text: str, headers: dict[str, str], message: str) -> str:
    def parenthesized(match: re.Match[str]) -> str:
        field_id, value = match.group(1), match.group(2)
        if field_id not in headers:
            return match.group()
        if _base(headers[field_id]) in message:
            return f"（{value}）" if value else ""
        return f"（“{headers[field_id]}”{'：' + value if value else ''}）"

    text = _PARENTHESIZED.sub(parenthesized, text)
    pieces: list[str] = []
    last = 0
    for match in _WORD.finditer(text):
        field_id = match.group()
        if field_id not in headers:
            continue
        before = text[last : match.start()]
        last = match.end()
        if before.rstrip().endswith(_base(headers[field_id])):
            pieces.append(before.rstrip())  # “须填写金额 amount_yuan（元）”: the header is already there
            continue
        # an id stands apart from Chinese by spaces (“请写入 evidence”); a quoted header does not need them
        if before.endswith(" ") and _CJK.match(before[-2:-1] or " "):
            before = before[:-1]
        pieces.append(f"{before}“{headers[field_id]}”")
        if text[last : last + 1] == " " and _CJK.match(text[last + 1 : last + 2] or " "):
            last += 1
    pieces.append(text[last:])
    return "".join(pieces)
