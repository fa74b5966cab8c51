"""Cross-file checks: turn a loaded repository into a consistent ``Dataset``.

Every problem is collected; ``validate`` raises ``InvalidInput`` once with all
of them, so one run of ``gridscore check`` lists everything to fix.
"""

from __future__ import annotations

import gc
import os
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import notice_body
from .datafiles import AnnualFile, Entry, FollowUpFile, NoticeFile, ObjectionFile, RecordFile, RubricFile, SealFile
from .errors import InvalidInput, Problem
from .load import NOTICES, RECORDS, Repository, event_entries, load_repository, rubric_in_force
from .messages import did_you_mean
from .models import ID_MAX, NOTICE_KINDS, NOTICE_STEM, Assessor, MonthlyRecord, Organization, Worker
from .notice_numbers import number_order_problems
from .periods import Month, Year
from .privacy import public_text_problems
from .rubric import Rubric
from .today import today
from .yamlio import Document

_NOTICE_NUMBER = re.compile(r"(?P<prefix>.+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号")
_NOTICE_STEM = NOTICE_STEM


@dataclass
class Dataset:
    """Everything the scoring needs, already consistent."""

    root: Path
    organization: Organization
    rubrics: list[RubricFile]
    entries: dict[Month, list[Entry]]
    reviews: dict[tuple[int, str], AnnualFile]
    notices: list[NoticeFile]
    workers: dict[str, Worker] = field(default_factory=dict)
    seals: dict[str, SealFile] = field(default_factory=dict)  # by period, "2026-03" or "2026"
    objections: list[ObjectionFile] = field(default_factory=list)  # by notice stem, then number
    followups: list[FollowUpFile] = field(default_factory=list)  # by period, then worker

    def rubric_for(self, month: Month) -> Rubric | None:
        return rubric_in_force(self.rubrics, month)

    def annual_rubric(self, year: int) -> Rubric | None:
        """Annual rules come from the edition in force for the year's last month."""
        return self.rubric_for(Month(year, 12))

    def months(self) -> list[Month]:
        return sorted(self.entries)

    def years(self) -> list[int]:
        return sorted({month.year for month in self.entries})


def load_dataset(root: Path, *, notices_need_seals: bool = True) -> Dataset:
    """Load and validate a repository, or raise ``InvalidInput`` listing every problem.

    ``gridscore seal`` loads with ``notices_need_seals=False``: a notice waiting
    for its period to be sealed must not stop the sealing.
    """
    with without_cycle_collection():
        return validate(load_repository(root), notices_need_seals=notices_need_seals)


@contextmanager
def without_cycle_collection(*, keep: bool = True) -> Iterator[None]:
    """Build a big, long-lived dataset without Python's cycle collector rescanning it.

    Loading a county allocates millions of objects, and each automatic
    collection walks all of them again (about half the time of scoring). The
    collector is paused while loading, and what was loaded is then moved out
    of its reach (``gc.freeze``) until the command ends (``cli.main`` unfreezes it); plain
    reference counting still frees it. ``keep=False``: what was built is not kept (e.g. seals
    parsed one after another by ``verify``), so it is left to reference counting, not frozen.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if keep:
                gc.freeze()
            gc.enable()


def validate(repo: Repository, *, notices_need_seals: bool = True) -> Dataset:
    problems = list(repo.problems)
    org = repo.organization
    if org is not None and repo.organization_doc is not None:
        problems.extend(check_organization(org, repo.organization_doc))
        problems.extend(_check_organization_text(org, repo.organization_doc))
    workers = {worker.id: worker for worker in org.workers} if org else {}
    checker = _RecordChecker(repo, org, workers, problems)
    duplicated = _check_duplicates(repo.records, problems)
    entries: dict[Month, list[Entry]] = defaultdict(list)
    for record_file in repo.records:
        entry = checker.check(record_file)
        if entry is not None and record_file not in duplicated:
            entries[entry.month].append(entry)
    assessed = {(file.record.period.year, file.record.worker) for file in repo.records}
    reviews = _check_reviews(repo.annual, org, workers, assessed, problems)
    for notice_file in repo.notices:
        problems.extend(_check_notice(notice_file))
        problems.extend(_check_notice_workers(notice_file, workers))
    problems.extend(number_order_problems(repo.notices))
    problems.extend(_check_objections(repo))
    problems.extend(_check_followups(repo.followups, org, workers))
    # a seal needs records to check against: those on disk, valid or not (a bad one is reported at its line)
    seals = _check_seals(repo.seals, {file.record.period for file in repo.records}, problems)
    problems.extend(_check_sealed_names(repo.seals, repo.rubrics))
    if notices_need_seals:
        problems.extend(_check_notices_against_seals(repo.notices, seals))
    if problems or org is None:
        raise InvalidInput(problems)
    for month_entries in entries.values():
        month_entries.sort(key=lambda entry: entry.worker.id)
    return Dataset(
        root=repo.root,
        organization=org,
        rubrics=repo.rubrics,
        entries=dict(sorted(entries.items())),
        reviews=reviews,
        notices=sorted(repo.notices, key=lambda n: (n.notice.date, n.stem)),
        workers=workers,
        seals=seals,
        objections=sorted(repo.objections, key=lambda o: (o.notice_stem, o.number)),
        followups=sorted(repo.followups, key=lambda f: (str(f.period), f.worker_id)),
    )


# --- organization -------------------------------------------------------------


def check_organization(org: Organization, doc: Document) -> list[Problem]:
    problems: list[Problem] = []

    def unique(section: str, ids: list[str], what: str) -> None:
        first: dict[str, int] = {}
        for index, value in enumerate(ids):
            if value in first:
                line = doc.line_of((section, first[value], "id"))
                problems.append(doc.problem((section, index, "id"), f"{what}编号“{value}”重复（第 {line} 行已登记）"))
            else:
                first[value] = index

    unique("communities", [c.id for c in org.communities], "社区")
    unique("workers", [w.id for w in org.workers], "网格员")
    unique("assessors", [a.id for a in org.assessors], "考评人")
    communities = {c.id: c for c in org.communities}
    for ci, community in enumerate(org.communities):
        seen: set[str] = set()
        for gi, grid in enumerate(community.grids):
            if grid.id in seen:
                problems.append(
                    doc.problem(("communities", ci, "grids", gi, "id"), f"网格编号“{grid.id}”在本社区内重复")
                )
            seen.add(grid.id)
    for wi, worker in enumerate(org.workers):
        home = communities.get(worker.community)
        if home is None:
            hint = did_you_mean(worker.community, list(communities)) or f"（已登记的社区：{'、'.join(communities)}）"
            problems.append(doc.problem(("workers", wi, "community"), f"未知的社区“{worker.community}”{hint}"))
        elif worker.grid not in {grid.id for grid in home.grids}:
            hint = did_you_mean(worker.grid, [grid.id for grid in home.grids])
            problems.append(doc.problem(("workers", wi, "grid"), f"社区“{home.name}”没有网格“{worker.grid}”{hint}"))
        if worker.left is not None and worker.left < worker.joined:
            problems.append(
                doc.problem(("workers", wi, "left"), f"离岗月份 {worker.left} 早于首个考评月 {worker.joined}")
            )
    worker_ids = {w.id for w in org.workers}
    for ai, assessor in enumerate(org.assessors):
        if assessor.communities != "all":
            for index, community_id in enumerate(assessor.communities):
                if community_id not in communities:
                    hint = (
                        did_you_mean(community_id, list(communities)) or f"（已登记的社区：{'、'.join(communities)}）"
                    )
                    problems.append(
                        doc.problem(("assessors", ai, "communities", index), f"未知的社区“{community_id}”{hint}")
                    )
        if assessor.worker is not None and assessor.worker not in worker_ids:
            problems.append(doc.problem(("assessors", ai, "worker"), f"未知的网格员“{assessor.worker}”"))
    return problems


def _check_organization_text(org: Organization, doc: Document) -> list[Problem]:
    """Names are published (the unit's on every page, a worker's with consent): no personal number in any."""
    problems: list[Problem] = []

    def check(loc: tuple[str | int, ...], text: str) -> None:
        problems.extend(public_text_problems(doc, loc, text, f"{loc[-1]} 会公开发布，"))

    for key in ("name", "short", "leading_group"):
        check(("unit", key), getattr(org.unit, key))
    if org.unit.site is not None and org.unit.site.host:  # contact holds the unit's phone; 备案号 are digits
        check(("unit", "site", "host"), org.unit.site.host)
    for ci, community in enumerate(org.communities):
        check(("communities", ci, "name"), community.name)
        for gi, grid in enumerate(community.grids):
            check(("communities", ci, "grids", gi, "name"), grid.name)
    for wi, worker in enumerate(org.workers):
        check(("workers", wi, "name"), worker.name)
    for ai, assessor in enumerate(org.assessors):
        check(("assessors", ai, "name"), assessor.name)
        check(("assessors", ai, "org"), assessor.org)
    return problems


# --- monthly records ----------------------------------------------------------


class _RecordChecker:
    def __init__(
        self, repo: Repository, org: Organization | None, workers: dict[str, Worker], problems: list[Problem]
    ) -> None:
        self.repo = repo
        self.org = org
        self.workers = workers
        self.assessors = {a.id: a for a in org.assessors} if org else {}
        self.problems = problems
        self.today = today()

    def check(self, file: RecordFile) -> Entry | None:
        """The checks that need the organization; the file was checked on its own by the loader."""
        doc, record = file.doc, file.record
        before = len(self.problems)

        def at(loc: tuple[str | int, ...], message: str) -> None:
            self.problems.append(doc.problem(loc, message))

        if record.assessed_on > self.today:
            at(("assessed_on",), future(f"考评日期 {record.assessed_on}", self.today))
        worker = self._check_worker(at, record, file.folder_community)
        if worker is None or file.metrics is None or file.score is None or len(self.problems) > before:
            return None
        rubric = self.repo.rubric_for(record.period)
        assert rubric is not None  # valid on its own: it has a rubric
        return Entry(file, rubric, worker, file.metrics, event_entries(record, rubric))

    def _check_worker(self, at: Any, record: MonthlyRecord, folder_community: str) -> Worker | None:
        if self.org is None:
            return None
        worker = self.workers.get(record.worker)
        assessor = self.assessors.get(record.assessed_by)
        if assessor is None:
            at(("assessed_by",), _unknown_assessor(record.assessed_by, list(self.assessors)))
        if worker is None:
            at(
                ("worker",),
                f"未知的网格员“{record.worker}”{did_you_mean(record.worker, list(self.workers))}（请先在 organization.yaml 中登记）",
            )
            return None
        if worker.community != folder_community:
            at(
                ("worker",),
                f"网格员 {worker.id}（{worker.name}）属于社区 {worker.community}，文件却放在 {folder_community} 文件夹中",
            )
        if not worker.active_in(record.period):
            span = f"{worker.joined} 至 {worker.left}" if worker.left else f"{worker.joined} 起"
            at(
                ("worker",),
                f"网格员 {worker.id}（{worker.name}）在 {record.period} 不在岗（在岗期间 {span}），不应有考评记录",
            )
        if assessor is not None:
            _check_assessor(at, assessor, worker)
        return worker


def _unknown_assessor(assessor_id: str, known: list[str]) -> str:
    hint = did_you_mean(assessor_id, known) or f"（已登记的考评人：{'、'.join(known)}）"
    return f"未知的考评人“{assessor_id}”{hint}"


def _check_assessor(at: Any, assessor: Assessor, worker: Worker) -> None:
    if assessor.id == worker.id or assessor.worker == worker.id:
        at(("assessed_by",), f"考评人 {assessor.id}（{assessor.name}）就是被考评的网格员本人，不能自己考评自己")
    elif not assessor.may_assess(worker.community):
        allowed = "全部社区" if assessor.communities == "all" else "、".join(assessor.communities)
        at(
            ("assessed_by",),
            f"考评人 {assessor.id}（{assessor.name}）只能考评 {allowed} 的网格员，不能考评社区 {worker.community} 的 {worker.id}",
        )


def _check_duplicates(files: list[RecordFile], problems: list[Problem]) -> list[RecordFile]:
    """Report every record that shares its worker and month with another; return them all."""
    groups: dict[tuple[str, Month], list[RecordFile]] = defaultdict(list)
    for file in files:
        groups[(file.record.worker, file.record.period)].append(file)
    duplicated: list[RecordFile] = []
    for (worker_id, month), found in sorted(item for item in groups.items() if len(item[1]) > 1):
        duplicated.extend(found)
        paths = sorted(file.doc.path for file in found)
        for file in found:
            others = "、".join(path for path in paths if path != file.doc.path)
            problems.append(
                file.doc.problem(
                    ("worker",), f"网格员 {worker_id} 在 {month} 有两份考评记录（另见 {others}），请只保留一份"
                )
            )
    return duplicated


# --- annual reviews -----------------------------------------------------------


def _check_reviews(
    files: list[AnnualFile],
    org: Organization | None,
    workers: dict[str, Worker],
    assessed: set[tuple[int, str]],
    problems: list[Problem],
) -> dict[tuple[int, str], AnnualFile]:
    assessors = {a.id: a for a in org.assessors} if org else {}
    reviews: dict[tuple[int, str], AnnualFile] = {}
    now = today()
    for file in files:
        doc, review = file.doc, file.review

        def at(loc: tuple[str | int, ...], message: str, doc: Document = doc) -> None:
            problems.append(doc.problem(loc, message))

        if review.year != file.folder_year:
            at(("year",), f"year 为 {review.year}，但文件在 {file.folder_year} 文件夹中，两者必须一致")
        if review.assessed_on > now:
            at(("assessed_on",), future(f"评议日期 {review.assessed_on}", now))
        stem = doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if stem != review.worker:
            at(("worker",), f"文件名应与网格员编号一致：worker 为“{review.worker}”，文件名却是“{stem}.yaml”")
        if org is None:
            continue
        worker = workers.get(review.worker)
        if worker is None:
            at(("worker",), f"未知的网格员“{review.worker}”{did_you_mean(review.worker, list(workers))}")
            continue
        if worker.community != file.folder_community:
            at(
                ("worker",),
                f"网格员 {worker.id}（{worker.name}）属于社区 {worker.community}，文件却放在 {file.folder_community} 文件夹中",
            )
        if (review.year, worker.id) not in assessed:
            at(
                ("worker",),
                f"网格员 {worker.id}（{worker.name}）{review.year} 年没有任何月度考评记录，不能进行年度评议",
            )
        assessor = assessors.get(review.assessed_by)
        if assessor is None:
            at(("assessed_by",), _unknown_assessor(review.assessed_by, list(assessors)))
        else:
            _check_assessor(at, assessor, worker)
        key = (review.year, worker.id)
        if key in reviews:
            at(("worker",), f"网格员 {worker.id} 的 {review.year} 年度评议重复（另见 {reviews[key].doc.path}）")
        else:
            reviews[key] = file
    return reviews


# --- seals --------------------------------------------------------------------


def _check_sealed_names(files: list[SealFile], rubrics: list[RubricFile]) -> list[Problem]:
    """A seal's grades and honors reach pages (a correction shows old → new): only the rubrics' own names."""
    grades = {grade.name for entry in rubrics for grade in entry.rubric.grades}
    honors = {honor.name for entry in rubrics for honor in entry.rubric.honors}
    if not grades:  # no valid rubric: already an error
        return []
    problems: list[Problem] = []
    advice = "（封存文件由 gridscore seal 生成，请勿手工修改）"

    def unknown(file: SealFile, loc: tuple[str | int, ...], what: str, name: str, known: set[str]) -> None:
        choices = "、".join(sorted(known)) or "无"
        problems.append(file.doc.problem(loc, f"{what}“{name}”不是考评标准中的{what}（可选：{choices}）{advice}"))

    for file in files:
        seal = file.seal
        for ri, result in enumerate(seal.results):
            if result.grade not in grades:
                unknown(file, ("results", ri, "grade"), "等次", result.grade, grades)
            for hi, honor in enumerate(result.honors):
                if honor not in honors:
                    unknown(file, ("results", ri, "honors", hi), "荣誉", honor, honors)
        for ci, correction in enumerate(seal.corrections):
            for xi, change in enumerate(correction.changes):
                for key in ("old", "new"):
                    value = getattr(change, key)
                    loc = ("corrections", ci, "changes", xi, key)
                    if change.field == "grade" and isinstance(value, str) and value not in grades:
                        unknown(file, loc, "等次", value, grades)
                    if change.field == "honors" and isinstance(value, str):
                        for name in value.split("、"):
                            if name and name not in honors:
                                unknown(file, loc, "荣誉", name, honors)
    return problems


def _check_seals(files: list[SealFile], assessed: set[Month], problems: list[Problem]) -> dict[str, SealFile]:
    seals: dict[str, SealFile] = {}
    assessed_years = {month.year for month in assessed}
    for file in sorted(files, key=lambda f: f.stem):
        period = file.seal.period
        if file.stem != str(period):
            problems.append(
                file.doc.problem(
                    ("period",), f"封存文件名应为 {period}.yaml（与 period 一致），实际为 {file.stem}.yaml"
                )
            )
            continue
        has_records = period in assessed if isinstance(period, Month) else period.year in assessed_years
        if not has_records:
            problems.append(file.doc.problem(("period",), f"{period.label}没有任何考评记录，封存文件无从核对"))
            continue
        seals[str(period)] = file
    return seals


def notices_without_seals(dataset: Dataset) -> list[Problem]:
    return _check_notices_against_seals(dataset.notices, dataset.seals)


def _check_notices_against_seals(notices: list[NoticeFile], seals: dict[str, SealFile]) -> list[Problem]:
    """Commendations name people only from sealed results; corrections only correct sealed ones.

    A 公示 (publicity) is what comes before the seal: results are put up for objections, and the
    period is sealed once its 公示 has ended and every objection is settled (§2, §6).
    """
    problems: list[Problem] = []
    for file in notices:
        notice = file.notice
        if notice.kind not in ("commendation", "correction"):
            continue
        if str(notice.period) not in seals:
            what = {"commendation": "通报表扬", "publicity": "公示", "correction": "更正"}[notice.kind]
            problems.append(
                file.doc.problem(
                    ("period",),
                    f"{what}所涉的{notice.period.label}结果还没有封存：请先运行 gridscore seal {notice.period}，"
                    "名单以封存的结果为准",
                )
            )
    return problems


# --- notices ------------------------------------------------------------------


def _check_notice_workers(file: NoticeFile, workers: dict[str, Worker]) -> list[Problem]:
    """A correction's scope names workers of the organization."""
    if not workers:  # organization.yaml failed: already reported
        return []
    problems = []
    for index, worker in enumerate(file.notice.workers or []):
        if worker not in workers:
            hint = did_you_mean(worker, list(workers))
            problems.append(file.doc.problem(("workers", index), f"未知的网格员编号“{worker}”{hint}"))
    return problems


def future(what: str, now: date) -> str:
    """The message for a date after today (§6: nothing is assessed, reviewed or issued in advance)."""
    return f"{what} 晚于今天（{now}）：不能填写将来的日期，请核对年份和月份（要按另一天检查，用 --today）"


def _check_notice(file: NoticeFile) -> list[Problem]:
    doc, notice = file.doc, file.notice
    problems: list[Problem] = []

    def at(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(doc.problem(loc, message))

    now = today()
    if notice.date > now:
        at(("date",), future(f"发文日期 {notice.date}", now))

    stem = _NOTICE_STEM.fullmatch(file.stem)
    if len(file.stem) > ID_MAX:
        at(("date",), f"文件名太长：不含 .yaml 最多 {ID_MAX} 个字符，实际为 {len(file.stem)} 个字符")
    elif stem is None:
        at(
            ("date",),
            f"文件名应为“日期-英文短名.yaml”，如 {notice.date}-commendation.yaml（短名只用小写字母、数字和 -）",
        )
    elif stem.group("date") != notice.date.isoformat():
        at(("date",), f"文件名中的日期 {stem.group('date')} 与 date {notice.date} 不一致")
    number = _NOTICE_NUMBER.fullmatch(notice.number)
    if number is None or "第" in notice.number:
        at(
            ("number",),
            f"发文字号“{notice.number}”格式不对，应如“东风反诈〔{notice.date.year}〕3号”（年份用六角括号〔〕，不加“第”，序号不补 0）",
        )
    elif int(number.group("year")) != notice.date.year:
        at(("number",), f"发文字号中的年份 {number.group('year')} 与发文日期 {notice.date} 不一致")
    if notice.kind == "publicity":
        if notice.publicity is None:
            at(("kind",), "公示（publicity）须填写 publicity：公示开始日期 start、结束日期 end 和异议渠道 contact")
        elif notice.publicity.end < notice.publicity.start:
            at(("publicity", "end"), f"公示结束日期 {notice.publicity.end} 早于开始日期 {notice.publicity.start}")
    elif notice.publicity is not None:
        at(("publicity",), "只有公示（kind: publicity）才填写 publicity")
    if notice.kind == "correction":
        if not notice.workers:
            at(
                ("kind",),
                "更正公告须填写 workers：更正的网格员编号列表（如 workers: [wg-0103]），只有列出的网格员的封存结果可以更正",
            )
        seen: set[str] = set()
        for index, worker in enumerate(notice.workers or []):
            if worker in seen:
                at(("workers", index), f"workers 中的 {worker} 重复")
            seen.add(worker)
    elif notice.workers is not None:
        at(("workers",), "只有更正公告（kind: correction）才填写 workers")
    period = notice.period
    if isinstance(period, Month) and period.first_day() > notice.date:
        at(("period",), f"发文日期 {notice.date} 早于所涉考评月份 {period}")
    if isinstance(period, Year) and period.year > notice.date.year:
        at(("period",), f"发文日期 {notice.date} 早于所涉考评年度 {period}")

    def line(name: str, position: int, needle: str) -> int:
        return doc.line_within((name,), position, needle)

    body = doc.data.get("body", "") if isinstance(doc.data, dict) else ""
    if isinstance(body, str):
        problems += notice_body.located(doc, "body", notice_body.problems(body))
    data = doc.data if isinstance(doc.data, dict) else {}
    for name in ("number", "title", "issued_by", "body"):  # publicity.contact is where a phone belongs
        advice = "（异议电话请写在 publicity.contact 中）"
        problems.extend(public_text_problems(doc, (name,), data.get(name), f"{name} 会公开发布，", advice))
    return problems


# --- follow-ups of sanctions ------------------------------------------------------


def _check_followups(files: list[FollowUpFile], org: Organization | None, workers: dict[str, Worker]) -> list[Problem]:
    """Each follow-up names a known worker and assessor, a date in its period or after, and not in the future.

    Whether the rubric calls for the measure is decided with the results (``ledger.followup_problems``).
    """
    problems: list[Problem] = []
    assessors = {a.id: a for a in org.assessors} if org else {}
    now = today()
    for file in files:
        doc = file.doc
        if file.worker_id not in workers:
            hint = did_you_mean(file.worker_id, list(workers))
            problems.append(doc.problem((), f"文件名中的网格员编号“{file.worker_id}”不在 organization.yaml 中{hint}"))
        first = file.period.first_day() if isinstance(file.period, Month) else date(file.period.year, 1, 1)
        seen: dict[str, int] = {}
        for index, (loc, entry) in enumerate(zip(file.locs, file.entries, strict=True)):
            if entry.by not in assessors:
                hint = did_you_mean(entry.by, list(assessors)) or f"（已登记的考评人：{'、'.join(assessors)}）"
                problems.append(doc.problem((*loc, "by"), f"未知的考评人“{entry.by}”{hint}"))
            if entry.done_on > now:
                problems.append(doc.problem((*loc, "done_on"), future(f"落实日期 {entry.done_on}", now)))
            elif entry.done_on < first:
                problems.append(
                    doc.problem(
                        (*loc, "done_on"),
                        f"落实日期 {entry.done_on} 早于考评期 {file.period} 的开始：请核对日期，或放到对应考评期的文件夹",
                    )
                )
            if entry.measure in seen:
                problems.append(
                    doc.problem(
                        (*loc, "measure"),
                        f"“{entry.measure}”已在第 {seen[entry.measure] + 1} 条登记过：同一措施每期只登记一次",
                    )
                )
            seen.setdefault(entry.measure, index)
    return problems


# --- objections to a publicity notice ---------------------------------------------


def _check_objections(repo: Repository) -> list[Problem]:
    """Each objection names its folder's notice, a 公示 it was received during, and nothing personal."""
    problems: list[Problem] = []
    notices = {file.stem: file for file in repo.notices}
    now = today()
    for file in repo.objections:
        doc, objection = file.doc, file.objection

        def at(loc: tuple[str | int, ...], message: str, doc: Document = doc) -> None:
            problems.append(doc.problem(loc, message))

        if objection.notice != file.notice_stem:
            at(
                ("notice",),
                f"notice 为“{objection.notice}”，但文件在 {file.notice_stem} 文件夹中，两者必须一致"
                "（文件夹名就是所涉公示的文件名，不含 .yaml）",
            )
        if objection.received_on > now:
            at(("received_on",), future(f"收到日期 {objection.received_on}", now))
        if objection.resolved_on is not None:
            if objection.resolved_on > now:
                at(("resolved_on",), future(f"办结日期 {objection.resolved_on}", now))
            if objection.resolved_on < objection.received_on:
                at(
                    ("resolved_on",),
                    f"办结日期 {objection.resolved_on} 早于收到日期 {objection.received_on}，请核对",
                )
        problems.extend(_check_objection_notice(repo, file, notices))
        for name in ("summary", "reply"):
            problems.extend(
                public_text_problems(
                    doc,
                    (name,),
                    getattr(objection, name),
                    f"{name} 会公开发布，",
                    "，请删除（不要写异议人的联系方式和证件号）",
                )
            )
    return problems


def _check_objection_notice(repo: Repository, file: ObjectionFile, notices: dict[str, NoticeFile]) -> list[Problem]:
    """The folder names a publicity notice, and the objection came in during its 公示."""
    doc, objection = file.doc, file.objection
    stem = file.notice_stem
    notice_file = notices.get(stem)
    where = f"{RECORDS}/{NOTICES}/{stem}.yaml"
    if notice_file is None:
        if os.path.lexists(repo.root / RECORDS / NOTICES / f"{stem}.yaml"):
            return []  # the notice is there but wrong: its own problems say why
        publicity = [n.stem for n in repo.notices if n.notice.kind == "publicity"]
        hint = did_you_mean(stem, publicity) or (f"（现有的公示：{'、'.join(sorted(publicity))}）" if publicity else "")
        return [
            doc.problem(
                ("notice",),
                f"找不到公示 {where}：异议须放在所涉公示的文件名（不含 .yaml）命名的文件夹里{hint}",
            )
        ]
    notice = notice_file.notice
    if notice.kind != "publicity":
        return [
            doc.problem(
                ("notice",),
                f"{where} 是{NOTICE_KINDS[notice.kind]}（kind: {notice.kind}），不是公示：只有公示（kind: publicity）受理异议",
            )
        ]
    window = notice.publicity
    if window is None:  # a publicity without its window: reported with the notice
        return []
    if not window.start <= objection.received_on <= window.end:
        return [
            doc.problem(
                ("received_on",),
                f"收到日期 {objection.received_on} 不在公示期（{window.start} 至 {window.end}）内："
                "只有公示期内收到的意见才登记为对这次公示的异议，请核对日期",
            )
        ]
    return []
