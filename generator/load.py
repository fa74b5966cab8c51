"""Gather the repository: find every data file, read it, and validate it on its own.

Everything one file decides is done here, file by file (on every core for a
county, and kept by the cache): typed objects, what is wrong inside the file,
and for a monthly record its score before ranking (``score.score_record``).
Checks that need more than one file (a record's worker, its assessor,
duplicates) live in ``validate``.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeGuard, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from .cache import FileCache, digest
from .datafiles import (
    AnnualFile,
    EventEntry,
    FollowUpFile,
    NoticeFile,
    ObjectionFile,
    OrganizationFile,
    RecordFile,
    RubricFile,
    SealFile,
)
from .errors import Problem, display_path
from .fingerprint import record_digest
from .fsguard import DIRECTORY, FileProblem, Listing, check_project, folder_problem, read_regular, walk
from .messages import did_you_mean, show, translate
from .models import (
    ID_MAX,
    NOTICE_STEM,
    AnnualReview,
    Event,
    FollowUp,
    MonthlyRecord,
    Notice,
    Objection,
    Organization,
    Seal,
    identifier_problem,
)
from .periods import Month, Year
from .privacy import personal_numbers
from .progress import Progress
from .rubric import EventKind, Rubric, check_rubric
from .score import score_record
from .yamlio import MAX_BYTES, UNIT_MAX_BYTES, Document, YamlProblem, parse_document

M = TypeVar("M", bound=BaseModel)

RECORDS = "records"
RUBRICS = "rubric"
ORGANIZATION = "organization.yaml"
NOTICES = "notices"
ANNUAL = "annual"
SEALS = "seals"
OBJECTIONS = "objections"
FOLLOWUPS = "followups"

_YEAR_DIR = re.compile(r"\d{4}")
_MONTH_DIR = re.compile(r"0[1-9]|1[0-2]")
_OBJECTION_NUMBER = re.compile(r"[1-9][0-9]{0,5}")  # 1.yaml, 2.yaml, …: no zero padding
_FOLLOWUP_PERIOD = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2]))?")  # 2026-03 (a month's measures) or 2026 (the year's)


@dataclass
class Repository:
    """Everything read from one repository, before cross-file checks."""

    root: Path
    organization: Organization | None = None
    organization_doc: Document | None = None
    rubrics: list[RubricFile] = field(default_factory=list)
    records: list[RecordFile] = field(default_factory=list)
    annual: list[AnnualFile] = field(default_factory=list)
    notices: list[NoticeFile] = field(default_factory=list)
    seals: list[SealFile] = field(default_factory=list)
    objections: list[ObjectionFile] = field(default_factory=list)
    followups: list[FollowUpFile] = field(default_factory=list)
    organizations: list[OrganizationFile] = field(default_factory=list)  # while loading files one by one
    problems: list[Problem] = field(default_factory=list)
    rubric_failed: bool = False  # a broken rubric: records are not checked against the others
    rubric_bytes: list[tuple[str, bytes]] = field(default_factory=list)  # every rubric file read, by name

    def rubric_for(self, month: Month) -> Rubric | None:
        return rubric_in_force(self.rubrics, month)


def rubric_in_force(rubrics: list[RubricFile], month: Month) -> Rubric | None:
    """The edition in force for ``month``: the latest one that took effect by then (``rubrics`` in date order)."""
    chosen = None
    for entry in rubrics:
        if entry.rubric.effective_from <= month:
            chosen = entry.rubric
    return chosen


def load_repository(root: Path) -> Repository:
    """Read and type every data file under ``root``; problems are collected, not raised."""
    repo = Repository(root=root)
    records_dir = root / RECORDS
    linked = folder_problem(str(records_dir), RECORDS)
    if linked is not None:
        repo.problems.append(linked)
        return repo
    if not records_dir.is_dir():
        repo.problems.append(Problem(RECORDS, 0, "找不到 records 文件夹：请在考评仓库的根目录运行，或用 --root 指定"))
        return repo
    _load_rubrics(repo)
    repo.problems += check_project(root)  # what the build reads besides the data: check refuses it first
    listing = walk(str(records_dir), RECORDS, _data_file, _data_folder)
    repo.problems += listing.problems
    if not os.path.lexists(records_dir / ORGANIZATION):
        repo.problems.append(Problem(f"{RECORDS}/{ORGANIZATION}", 0, "缺少组织信息文件 organization.yaml"))
    _load_data_files(repo, listing.files)  # organization.yaml among them
    return repo


def _data_file(name: str) -> str | None:
    """records/ holds .yaml data and nothing that looks like data in another form (a .md note is fine)."""
    if name.endswith(".yaml"):
        return None
    lower = name.lower()
    if ".yaml" in lower or ".yml" in lower:
        return _misnamed(name)
    if lower.endswith(".md"):
        return ""
    if lower.endswith((".xlsx", ".xlsm", ".xls", ".et", ".ods", ".csv")):
        return (
            "records/ 里只能放 .yaml 数据文件，表格不会被读取：请用 gridscore import 把它转换为 .yaml 记录，"
            "再把表格移出 records/"
        )
    return (
        "records/ 里只能放 .yaml 数据文件（说明文字可写在 .md 文件里），gridscore 不读取这个文件："
        "如果是考评数据，请改写为 .yaml 文件；否则请移出 records/"
    )


def _misnamed(name: str) -> str:
    """A file named almost like YAML data: gridscore reads only ``*.yaml``, so it would be left out unseen."""
    lower = name.lower()
    if lower.endswith(".yml"):
        return "请使用 .yaml 扩展名（不是 .yml）"
    if lower.endswith(".yaml"):
        return f"扩展名须为小写的 .yaml，否则 gridscore 不读取这个文件：请改名为“{name[:-5]}.yaml”"
    base = name[: min(at for at in (lower.find(".yaml"), lower.find(".yml")) if at >= 0)]
    return (
        f"文件名须以 .yaml 结尾，否则 gridscore 不读取这个文件（其中的内容不会计入）："
        f"如果是数据，请改名为“{base}.yaml”；如果是备份或副本，请删除"
    )


def _data_folder(name: str) -> str | None:
    return DIRECTORY if name.lower().endswith((".yaml", ".yml")) else None


def _limit(name: str) -> int:
    """The size limit of a file of records/ (``name`` relative to the root): the unit-wide files get more."""
    if name == f"{RECORDS}/{ORGANIZATION}" or (name.startswith(f"{RECORDS}/{SEALS}/") and name.count("/") == 2):
        return UNIT_MAX_BYTES
    return MAX_BYTES


# A county has tens of thousands of records: parse the changed ones on every core.
PARALLEL_FROM = 2000
_FORKED: tuple[Repository, FileCache, list[_File]] | None = None  # inherited by forked workers


@dataclass
class Outcome:
    """What one data file said: the typed file (if it is valid on its own) and its problems."""

    item: RecordFile | AnnualFile | NoticeFile | SealFile | ObjectionFile | FollowUpFile | OrganizationFile | None
    problems: list[Problem]


@dataclass(frozen=True)
class _File:
    path: str
    name: str  # relative to the repository root, with forward slashes


def _load_data_files(repo: Repository, paths: list[str]) -> None:
    """Load every data file in order, taking unchanged files' outcomes from the cache."""
    files = [_File(path, _relative(path, repo.root)) for path in paths]
    cache = FileCache(repo.root, _cache_context(repo))
    outcomes: list[Outcome | None] = [None] * len(files)
    progress = Progress("读取并校验数据文件", len(files))
    for index, loaded, key, fresh in _process(repo, cache, files):
        outcomes[index] = loaded
        if fresh is not None:
            cache.put(files[index].name, key, fresh)
        progress.advance()
    progress.finish()
    cache.keep_only({file.name for file in files})
    cache.save()
    for file, outcome in zip(files, outcomes, strict=True):
        assert outcome is not None
        repo.problems += outcome.problems
        item = outcome.item
        if item is None:
            continue
        item.doc.source = file.path
        if isinstance(item, RecordFile):
            repo.records.append(item)
        elif isinstance(item, AnnualFile):
            repo.annual.append(item)
        elif isinstance(item, NoticeFile):
            repo.notices.append(item)
        elif isinstance(item, SealFile):
            repo.seals.append(item)
        elif isinstance(item, ObjectionFile):
            repo.objections.append(item)
        elif isinstance(item, FollowUpFile):
            repo.followups.append(item)
        else:
            repo.organization_doc, repo.organization = item.doc, item.organization


def _cache_context(repo: Repository) -> list[bytes]:
    """What outcomes depend on besides a file's bytes: the rubric files (valid or not)."""
    context = [name.encode() + b"\0" + raw for name, raw in repo.rubric_bytes]
    return [*context, b"rubric failed" if repo.rubric_failed else b"rubric ok"]


# What one file gives: its index, its outcome, the digest of its bytes, and the outcome pickled
# when it was computed now (None when the cache had it, or the file could not be read).
_Loaded = tuple[int, Outcome, bytes, bytes | None]


def _process(repo: Repository, cache: FileCache, files: list[_File]) -> Iterator[_Loaded]:
    """Read every file and take its outcome from the cache or compute it; on every core when there are many.

    The main process takes a share itself (it would only wait otherwise) and the
    other cores share the rest, sending their outcomes back pickled.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if len(files) < PARALLEL_FROM or cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for index, file in enumerate(files):
            yield _load_one(repo, cache, index, file)
        return
    global _FORKED
    _FORKED = (repo, cache, files)
    # The main process also unpickles what the others send: it takes a little less than its share.
    own = int(len(files) / cores * 0.85)
    size = max(50, -(-(len(files) - own) // ((cores - 1) * 4)))
    spans = [(start, min(start + size, len(files))) for start in range(own, len(files), size)]
    try:
        with ProcessPoolExecutor(cores - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_process_span, span) for span in spans]
            for index in range(own):
                yield _load_one(repo, cache, index, files[index])
            for future in futures:
                for index, key, blob, fresh in future.result():
                    try:
                        outcome = pickle.loads(blob)  # noqa: S301 - written by this program
                    except Exception:  # noqa: BLE001 - a damaged cache entry: read the file here
                        yield _load_one(repo, None, index, files[index])
                        continue
                    yield index, outcome, key, blob if fresh else None
    finally:
        _FORKED = None


def _process_span(span: tuple[int, int]) -> list[tuple[int, bytes, bytes, bool]]:
    """In a forked worker: (index, digest, pickled outcome, computed now?) for some files."""
    assert _FORKED is not None
    repo, cache, files = _FORKED
    found = []
    for index in range(*span):
        file = files[index]
        read = _read_cached(cache, file)
        if isinstance(read, Outcome):  # unreadable: reported, never cached
            found.append((index, b"", _pickled(read), False))
            continue
        raw, key, blob = read
        if blob is not None:
            found.append((index, key, blob, False))
        else:
            found.append((index, key, _pickled(_outcome(repo, file.path, raw)), True))
    return found


def _read_cached(cache: FileCache | None, file: _File) -> tuple[bytes, bytes, bytes | None] | Outcome:
    """The file's bytes, their digest and the cached outcome for them if any; or the problem reading it."""
    try:
        raw = read_regular(file.path, _limit(file.name))
    except FileProblem as problem:
        return Outcome(None, [Problem(file.name, 1, problem.message)])
    except OSError as error:
        return Outcome(None, [_unreadable(file.name, error)])
    key = digest(raw)
    return raw, key, cache.get(file.name, key) if cache is not None else None


def _load_one(repo: Repository, cache: FileCache | None, index: int, file: _File) -> _Loaded:
    read = _read_cached(cache, file)
    if isinstance(read, Outcome):  # unreadable: reported, never cached
        return index, read, b"", None
    raw, key, blob = read
    if blob is not None:
        try:
            return index, pickle.loads(blob), key, None  # noqa: S301 - written by this program
        except Exception:  # noqa: BLE001, S110 - a damaged cache entry: read the file again
            pass
    outcome = _outcome(repo, file.path, raw)
    return index, outcome, key, _pickled(outcome)


def _outcome(repo: Repository, path: str, raw: bytes) -> Outcome:
    part = Repository(root=repo.root, rubrics=repo.rubrics, rubric_failed=repo.rubric_failed)
    load_data_file(part, path, raw)
    item: RecordFile | AnnualFile | NoticeFile | SealFile | ObjectionFile | FollowUpFile | OrganizationFile | None
    item = None
    for found in (part.records, part.annual, part.organizations, part.seals, part.followups):
        for entry in found:
            entry.doc = entry.doc.lighten()  # the text is read again only to name a line
            item = entry
    if part.notices:  # a notice's text is checked again with the seals (validate._check_notice)
        item = part.notices[0]
    if part.objections:  # few and small; checked against their notice in validate
        item = part.objections[0]
    return Outcome(item, part.problems)


def _pickled(outcome: Outcome) -> bytes:
    return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)


def _load_rubrics(repo: Repository) -> None:
    folder = repo.root / RUBRICS
    linked = folder_problem(str(folder), RUBRICS)
    listing = walk(str(folder), RUBRICS, _rubric_file, _rubric_folder) if folder.is_dir() else Listing()
    refused = ([linked] if linked is not None else []) + listing.problems
    if refused:
        repo.problems += refused
        repo.rubric_failed = True
    if not listing.files:
        if not refused:
            repo.problems.append(Problem(RUBRICS, 0, "找不到考评标准：rubric 文件夹里至少要有一个 .yaml 文件"))
        return
    for path in map(Path, listing.files):
        doc = _read(repo, path)
        rubric = _validate(repo, doc, Rubric) if doc is not None else None
        problems = check_rubric(rubric, doc) if rubric is not None and doc is not None else []
        repo.problems.extend(problems)
        if rubric is None or doc is None or problems:
            repo.rubric_failed = True
        else:
            repo.rubrics.append(RubricFile(doc, rubric))
    repo.rubrics.sort(key=lambda entry: entry.rubric.effective_from)
    seen: dict[Month, RubricFile] = {}
    for entry in repo.rubrics:
        other = seen.get(entry.rubric.effective_from)
        if other is not None:
            repo.problems.append(
                entry.doc.problem(
                    ("effective_from",),
                    f"与 {other.doc.path} 的生效月份相同（{entry.rubric.effective_from}），无法确定用哪一版",
                )
            )
        seen[entry.rubric.effective_from] = entry


def load_data_file(repo: Repository, path: Path | str, raw: bytes) -> Document | None:
    """Read one file of ``records/`` (given its bytes) into ``repo``; return its document if it parsed."""
    # string work rather than Path.relative_to: this runs for every file of a county
    shown = _relative(path, repo.root)
    relative = (
        tuple(shown.split("/")[1:])
        if shown.startswith(RECORDS + "/")
        else Path(path).relative_to(repo.root / RECORDS).parts
    )
    stem = relative[-1].rsplit(".", 1)[0] if relative else ""
    if relative == (ORGANIZATION,):
        doc = _parse(repo, path, raw, limit=UNIT_MAX_BYTES)
        organization = _validate(repo, doc, Organization) if doc is not None else None
        if doc is not None and organization is not None:
            repo.organizations.append(OrganizationFile(doc, organization))
        return doc
    if shown.endswith(".yml"):
        repo.problems.append(Problem(shown, 1, "请使用 .yaml 扩展名（不是 .yml）"))
        return None
    kind = _classify(relative)
    if kind is None:
        repo.problems.append(
            Problem(
                shown,
                1,
                "文件位置无法识别：月度考评放在 records/年/月/社区/网格员.yaml，"
                "年度评议放在 records/年/annual/社区/网格员.yaml，公告放在 records/notices/，封存文件在 records/seals/，"
                "处理措施的落实情况放在 records/followups/年-月/网格员.yaml",
            )
        )
        return None
    place = _objection_place(repo, shown, relative) if kind == "objection" else None
    if kind == "followup":
        _load_followup(repo, path, raw, shown, relative)
        return None
    doc = _parse(repo, path, raw, limit=UNIT_MAX_BYTES if kind == "seal" else MAX_BYTES)
    if doc is None:
        return None
    if kind == "notice":
        notice = _validate(repo, doc, Notice)
        if notice is not None:
            repo.notices.append(NoticeFile(doc, notice, stem))
    elif kind == "objection":
        objection = _validate(repo, doc, Objection)
        if objection is not None and place is not None:
            repo.objections.append(ObjectionFile(doc, objection, *place))
    elif kind == "seal":
        seal = _validate(repo, doc, Seal)
        if seal is not None:
            repo.seals.append(SealFile(doc, seal, stem))
    elif kind == "annual":
        review = _validate(repo, doc, AnnualReview)
        if review is not None:
            repo.annual.append(AnnualFile(doc, review, int(relative[0]), relative[2]))
    else:
        record = _validate(repo, doc, MonthlyRecord)
        folder = Month(int(relative[0]), int(relative[1]))
        if record is not None:
            repo.records.append(_check_record(repo, doc, record, folder, relative[2], stem))
        else:
            _validate_metrics_anyway(repo, doc, folder)
    return doc


def _check_record(
    repo: Repository, doc: Document, record: MonthlyRecord, folder: Month, community: str, stem: str
) -> RecordFile:
    """Everything about a monthly record that its own file and its rubric decide (the organization comes later)."""
    before = len(repo.problems)

    def at(loc: tuple[str | int, ...], message: str) -> None:
        repo.problems.append(doc.problem(loc, message))

    if record.period != folder:
        at(
            ("period",),
            f"period 为 {record.period}，但文件在 {folder.year}/{folder.month:02d} 文件夹中，两者必须一致",
        )
    if stem != record.worker:
        at(("worker",), f"文件名应与网格员编号一致：worker 为“{record.worker}”，文件名却是“{stem}.yaml”")
    if record.assessed_on < record.period.first_day():
        at(("assessed_on",), f"考评日期 {record.assessed_on} 早于考评月份 {record.period}")
    rubric = None if repo.rubric_failed else repo.rubric_for(record.period)
    if rubric is None:
        if repo.rubrics and not repo.rubric_failed:
            at(("period",), f"{record.period} 早于所有考评标准的生效月份，没有可用的考评标准")
        return RecordFile(doc, record, folder, community)
    metrics = check_metrics(doc, rubric, record.metrics, repo.problems.append)
    _check_events(at, record, rubric)
    if metrics is None or len(repo.problems) > before:
        return RecordFile(doc, record, folder, community, metrics)
    score = score_record(rubric, metrics, event_entries(record, rubric))
    return RecordFile(doc, record, folder, community, metrics, score, record_digest(record, metrics))


def event_entries(record: MonthlyRecord, rubric: Rubric) -> list[EventEntry]:
    """The events of a record that is valid on its own, with their kinds and scale values."""
    return [
        EventEntry(kind, event, _parameter(event, kind, rubric), index)
        for index, event in enumerate(record.events)
        for kind in (rubric.event_by_id[event.kind],)
    ]


def _parameter(event: Event, kind: EventKind, rubric: Rubric) -> str | None:
    if kind.by is None:
        return None
    return rubric.scale_value(kind.by, (event.model_extra or {}).get(kind.by))


_EVENT_COMMON = ("kind", "date", "summary", "evidence")


_At = Callable[[tuple[str | int, ...], str], None]  # report a problem at a place in the file


def _check_events(at: _At, record: MonthlyRecord, rubric: Rubric) -> None:
    for index, event in enumerate(record.events):
        loc = ("events", index)
        kind = rubric.event_by_id.get(event.kind)
        if kind is None:
            known = list(rubric.event_by_id)
            hint = did_you_mean(event.kind, known)
            listing = "" if hint else f"；考评标准 {rubric.version} 版的事件类型：{'、'.join(known)}"
            at((*loc, "kind"), f"未知的事件类型“{event.kind}”{hint}{listing}")
            continue
        if not record.period.contains(event.date):
            at((*loc, "date"), f"事件日期 {event.date} 不在考评月份 {record.period} 内")
        for found in personal_numbers(event.summary):
            at((*loc, "summary"), f"summary 会公开发布，不能含有{found}；请删除，或写入内部的 evidence")
        _check_event_fields(at, loc, event, kind, rubric)


def _check_event_fields(at: _At, loc: tuple[str | int, ...], event: Event, kind: EventKind, rubric: Rubric) -> None:
    allowed = [*_EVENT_COMMON, *(["amount_yuan"] if kind.needs_amount else []), *([kind.by] if kind.by else [])]
    extras = dict(event.model_extra or {})
    if event.amount_yuan is not None and not kind.needs_amount:
        at((*loc, "amount_yuan"), f"事件“{kind.name}”不需要填写 amount_yuan")
    if kind.needs_amount:
        minimum = kind.amount_min or Decimal(0)
        if event.amount_yuan is None:
            at(loc, f"事件“{kind.name}”须填写金额 amount_yuan（元）")
        elif event.amount_yuan < minimum:
            at((*loc, "amount_yuan"), f"事件“{kind.name}”的金额须不少于 {minimum} 元，实际为 {event.amount_yuan}")
    if kind.by is not None:
        value = extras.pop(kind.by, None)
        choices = "、".join(f"{v.id}（{v.label}）" for v in rubric.scales[kind.by])
        if value is None:
            at(loc, f"事件“{kind.name}”须填写 {kind.by}，可选：{choices}")
        elif rubric.scale_value(kind.by, value) is None:
            at((*loc, kind.by), f"{kind.by} 的值 {show(value)} 无效，可选：{choices}")
    for name in extras:
        hint = did_you_mean(str(name), allowed) or f"；可用的字段：{'、'.join(allowed)}"
        at((*loc, str(name)), f"事件“{kind.name}”不接受字段“{name}”{hint}")


def _validate_metrics_anyway(repo: Repository, doc: Document, month: Month) -> None:
    """A record whose header is wrong still gets its metrics checked, so one run lists everything."""
    metrics = doc.data.get("metrics")
    rubric = None if repo.rubric_failed else repo.rubric_for(month)
    if isinstance(metrics, dict) and rubric is not None:
        check_metrics(doc, rubric, metrics, repo.problems.append)


def check_metrics(
    doc: Document, rubric: Rubric, metrics: Any, report: Callable[[Problem], None]
) -> dict[str, Any] | None:
    """Validate a record's metrics against the rubric: types and levels, then each part ≤ its whole."""
    model = validate_model(doc, rubric.metrics_model, metrics, ("metrics",), report)
    # Parts are compared even when something else in the metrics is wrong, so one run lists everything.
    values = model.model_dump(by_alias=True) if model is not None else metrics
    valid = model is not None
    for item in rubric.items:
        counts = values.get(item.id) if isinstance(values, dict) else None
        if not isinstance(counts, dict):
            continue
        for term in item.terms:
            if term.method != "ratio" or term.cap_at_one or term.part is None or term.whole is None:
                continue
            part, whole = counts.get(term.part), counts.get(term.whole)
            if not (_is_count(part) and _is_count(whole)):
                continue
            if part > whole:
                valid = False
                report(
                    doc.problem(
                        ("metrics", item.id, term.part),
                        f"{item.name}：{item.fields[term.part]}（{term.part}: {part}）"
                        f"不能大于{item.fields[term.whole]}（{term.whole}: {whole}）",
                    )
                )
    if not valid:
        return None
    # Usually nothing was normalized (labels to level ids): keep the record's own dict, one copy in
    # memory and in the cache. Equal means identical here: counts are StrictInt, so no 1 == True.
    return metrics if values == metrics else values


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _objection_place(repo: Repository, shown: str, parts: tuple[str, ...]) -> tuple[str, int] | None:
    """The notice stem and number an objection's path names, or None after reporting what is wrong with it.

    The file is read either way, so that one run also lists what is wrong inside it.
    """
    example = f"{RECORDS}/{OBJECTIONS}/2026-01-12-publicity-2025/1.yaml"
    if len(parts) != 3:
        repo.problems.append(
            Problem(shown, 1, f"异议文件应放在 {RECORDS}/{OBJECTIONS}/<公示的文件名>/<序号>.yaml，如 {example}")
        )
        return None
    folder, number = parts[1], parts[2].removesuffix(".yaml")
    place_ok = True
    if len(folder) > ID_MAX or NOTICE_STEM.fullmatch(folder) is None:
        place_ok = False
        repo.problems.append(
            Problem(
                shown,
                1,
                f"文件夹名{show(folder)}不是公示的文件名：异议放在以所涉公示的文件名（不含 .yaml）命名的文件夹里，"
                f"如 {example}",
            )
        )
    if _OBJECTION_NUMBER.fullmatch(number) is None:
        place_ok = False
        repo.problems.append(
            Problem(
                shown,
                1,
                f"异议文件名应为从 1 起的序号，如 1.yaml、2.yaml（不补 0），实际为 {show(parts[2])}",
            )
        )
    return (folder, int(number)) if place_ok else None


def _load_followup(repo: Repository, path: Path | str, raw: bytes, shown: str, parts: tuple[str, ...]) -> None:
    """A follow-up file: one follow-up (a mapping) or several (a list of mappings), at a place naming its period."""
    place = _followup_place(repo, shown, parts)
    doc = _parse(repo, path, raw, allow_list=True)
    if doc is None:
        return
    data = doc.data
    if isinstance(data, list) and not data:
        repo.problems.append(Problem(shown, 1, "文件是空的：请写一条落实情况（measure、done_on、by），或删除这个文件"))
        return
    locs: list[tuple[int, ...]] = [(index,) for index in range(len(data))] if isinstance(data, list) else [()]
    entries = [validate_model(doc, FollowUp, _at(data, loc), loc, repo.problems.append) for loc in locs]
    if place is not None and all(entry is not None for entry in entries):
        valid = [entry for entry in entries if entry is not None]
        repo.followups.append(FollowUpFile(doc, valid, locs, *place))


def _at(data: Any, loc: tuple[int, ...]) -> Any:
    return data[loc[0]] if loc else data


def _followup_place(repo: Repository, shown: str, parts: tuple[str, ...]) -> tuple[Month | Year, str] | None:
    """The period and worker a follow-up's path names, or None after reporting what is wrong with it."""
    example = f"{RECORDS}/{FOLLOWUPS}/2026-03/wg-0101.yaml"
    match = _FOLLOWUP_PERIOD.fullmatch(parts[1]) if len(parts) == 3 else None
    if match is None:
        repo.problems.append(
            Problem(
                shown,
                1,
                f"处理措施的落实情况应放在 {RECORDS}/{FOLLOWUPS}/<考评月份>/<网格员编号>.yaml，如 {example}；"
                f"年度考评引起的措施放在 {RECORDS}/{FOLLOWUPS}/<年份>/<网格员编号>.yaml",
            )
        )
        return None
    worker = parts[2].removesuffix(".yaml")
    try:
        identifier_problem(worker)
    except PydanticCustomError:
        repo.problems.append(Problem(shown, 1, f"文件名应为网格员编号，如 wg-0101.yaml，实际为 {show(parts[2])}"))
        return None
    year, month = int(match.group(1)), match.group(2)
    return (Month(year, int(month)) if month else Year(year)), worker


def _classify(parts: tuple[str, ...]) -> str | None:
    if len(parts) >= 2 and parts[0] == OBJECTIONS:
        return "objection"
    if len(parts) >= 2 and parts[0] == FOLLOWUPS:
        return "followup"
    if len(parts) == 2 and parts[0] == NOTICES:
        return "notice"
    if len(parts) == 2 and parts[0] == SEALS:
        return "seal"
    if len(parts) == 4 and _YEAR_DIR.fullmatch(parts[0]):
        if parts[1] == ANNUAL:
            return "annual"
        if _MONTH_DIR.fullmatch(parts[1]):
            return "record"
    return None


def _relative(path: Path | str, root: Path) -> str:
    text, prefix = str(path), str(root) + os.sep
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    return display_path(Path(path), root)


def _rubric_file(name: str) -> str | None:
    """rubric/ holds the editions as ``*.yaml``; a file named almost so is an error, anything else is left alone."""
    if name.endswith(".yaml"):
        return None
    lower = name.lower()
    return _misnamed(name) if ".yaml" in lower or ".yml" in lower else ""


def _rubric_folder(name: str) -> str:
    return DIRECTORY if name.lower().endswith((".yaml", ".yml")) else ""  # editions are not kept in subfolders


def _read(repo: Repository, path: Path, limit: int = MAX_BYTES) -> Document | None:
    """Read and parse one rubric file (kept, valid or not, for the cache's fingerprint)."""
    shown = _relative(path, repo.root)
    try:
        raw = read_regular(path, limit)
    except FileProblem as problem:
        repo.problems.append(Problem(shown, 1, problem.message))
        return None
    except OSError as error:
        repo.problems.append(_unreadable(shown, error))
        return None
    repo.rubric_bytes.append((path.name, raw))
    return _parse(repo, path, raw, limit)


def _unreadable(shown: str, error: OSError) -> Problem:
    reason = "没有读取权限" if isinstance(error, PermissionError) else "文件无法打开"
    return Problem(shown, 1, f"无法读取文件：{reason}（{error.strerror}）")


def _parse(
    repo: Repository, path: Path | str, raw: bytes, limit: int = MAX_BYTES, *, allow_list: bool = False
) -> Document | None:
    shown = _relative(path, repo.root)
    try:
        doc = parse_document(raw, shown, limit)
    except YamlProblem as problem:
        repo.problems.append(Problem(shown, problem.line, problem.message))
        return None
    doc.source = path
    if doc.data is None:
        repo.problems.append(Problem(shown, 1, "文件是空的"))
        return None
    if allow_list and isinstance(doc.data, list) and all(isinstance(entry, dict) for entry in doc.data):
        return doc
    if not isinstance(doc.data, dict):
        what = "“字段: 值”形式，或由这样的条目组成的列表" if allow_list else "“字段: 值”形式，而不是列表或单个值"
        repo.problems.append(Problem(shown, 1, f"文件内容应为{what}"))
        return None
    return doc


def _validate(repo: Repository, doc: Document, model: type[M]) -> M | None:
    return validate_model(doc, model, doc.data, (), repo.problems.append)


def validate_model(
    doc: Document,
    model: type[M],
    data: Any,
    prefix: tuple[str | int, ...],
    report: Callable[[Problem], None],
) -> M | None:
    """Validate ``data`` (found at ``prefix`` in ``doc``) or report each error at its line."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for loc, message in translate(error, model, data):
            report(doc.problem((*prefix, *loc), message))
        return None
