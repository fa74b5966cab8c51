"""Objections (异议) to a 公示: what a notice's page says about them, and what still blocks a year seal.

A publicity notice states the outcome of its 公示 from its objection files and
the date (§2):

- before the start: "公示将于 1月12日开始";
- while open: "公示中（至 1月18日），已收到异议 N 件";
- after the end: "公示期满，未收到异议", or "公示期内收到异议 N 件，已全部核实处理";
- after the end with objections still ``pending``: "公示期满，收到异议 N 件，其中 M 件正在核实处理"
  (the notice is 处理中, and the year cannot be sealed: ``pending_objections``).

The statement is as of ``today``: an objection received later does not count yet,
and one resolved later is still being verified, so a page drawn for an earlier
day says what was true that day. Dates are written 1月18日, with the year
(2027年1月3日) when it is not the year of the notice's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .datafiles import NoticeFile, ObjectionFile
from .models import CHANNELS, OUTCOMES, PENDING
from .periods import Year
from .validate import Dataset

NOT_STARTED, OPEN, PROCESSING, CLOSED = "未开始", "公示中", "处理中", "已结束"


@dataclass(frozen=True)
class ObjectionLine:
    """One objection as the notice page shows it (summary and reply are public, §2)."""

    number: int
    received: str  # 1月14日
    channel: str  # 来电
    summary: str
    outcome: str  # 不属实, or 核实中 while it is being verified
    resolved: str | None  # 1月17日; None while pending
    reply: str | None  # None while pending


@dataclass(frozen=True)
class Statement:
    """The 公示结果 of a publicity notice on one day."""

    state: str  # 未开始 | 公示中 | 处理中 | 已结束
    text: str
    objections: list[ObjectionLine]

    @property
    def open(self) -> bool:
        """The 公示 still runs or an objection is still being verified."""
        return self.state in (OPEN, PROCESSING)


def day_label(day: date, year: int) -> str:
    """1月18日; with its year (2027年1月3日) when ``day`` is not in ``year``."""
    prefix = "" if day.year == year else f"{day.year}年"
    return f"{prefix}{day.month}月{day.day}日"


def objections_for(dataset: Dataset, notice_file: NoticeFile) -> list[ObjectionFile]:
    """The objections filed under ``notice_file``, by number."""
    return sorted((o for o in dataset.objections if o.notice_stem == notice_file.stem), key=lambda o: o.number)


def is_pending(file: ObjectionFile, today: date | None = None) -> bool:
    """Still being verified (as of ``today``, when given: a later resolution has not happened yet)."""
    objection = file.objection
    if objection.outcome == PENDING or objection.resolved_on is None:
        return True
    return today is not None and objection.resolved_on > today


def publicity_statement(notice_file: NoticeFile, objections: list[ObjectionFile], today: date) -> Statement:
    """What the notice's page says about its 公示 on ``today`` (the notice is a publicity with its window)."""
    notice = notice_file.notice
    window = notice.publicity
    assert window is not None, "only a publicity notice has a 公示 to state"
    year = notice.date.year
    received = sorted(
        (o for o in objections if o.objection.received_on <= today),
        key=lambda o: (o.objection.received_on, o.number),
    )
    lines = [_line(o, today, year) for o in received]
    count = len(received)
    if today < window.start:
        return Statement(NOT_STARTED, f"公示将于 {day_label(window.start, year)}开始", lines)
    if today <= window.end:
        return Statement(OPEN, f"公示中（至 {day_label(window.end, year)}），已收到异议 {count} 件", lines)
    if count == 0:
        return Statement(CLOSED, "公示期满，未收到异议", lines)
    pending = sum(1 for o in received if is_pending(o, today))
    if pending:
        return Statement(PROCESSING, f"公示期满，收到异议 {count} 件，其中 {pending} 件正在核实处理", lines)
    return Statement(CLOSED, f"公示期内收到异议 {count} 件，已全部核实处理", lines)


def _line(file: ObjectionFile, today: date, year: int) -> ObjectionLine:
    objection = file.objection
    pending = is_pending(file, today)
    return ObjectionLine(
        number=file.number,
        received=day_label(objection.received_on, year),
        channel=CHANNELS[objection.channel],
        summary=objection.summary,
        outcome=OUTCOMES[PENDING] if pending else OUTCOMES[objection.outcome],
        resolved=None if pending or objection.resolved_on is None else day_label(objection.resolved_on, year),
        reply=None if pending else objection.reply,
    )


def statement_for(dataset: Dataset, notice_file: NoticeFile, today: date) -> Statement | None:
    """The 公示结果 of a publicity notice; None for any other notice."""
    if notice_file.notice.kind != "publicity" or notice_file.notice.publicity is None:
        return None
    return publicity_statement(notice_file, objections_for(dataset, notice_file), today)


def pending_objections(dataset: Dataset, year: int) -> list[ObjectionFile]:
    """Objections still ``pending`` to a 公示 of ``year``'s results: the year's own or one of its months'.

    A month's result is part of the year's, so an objection to a month's 公示 that is
    still being verified holds the year seal back too.
    """
    publicity = {
        file.stem for file in dataset.notices if file.notice.kind == "publicity" and file.notice.period.year == year
    }
    return [o for o in dataset.objections if o.notice_stem in publicity and o.objection.outcome == PENDING]


def year_seal_refusal(dataset: Dataset, year: int) -> str | None:
    """Why ``gridscore seal YEAR`` must wait for objections, or None when none is pending."""
    pending = pending_objections(dataset, year)
    if not pending:
        return None
    paths = "、".join(o.doc.path for o in pending)
    return (
        f"无法封存{Year(year).label}：公示的异议还有 {len(pending)} 件正在核实（{paths}）。"
        "核实办结后，在异议文件中填写核实结果 outcome、答复 reply 和办结日期 resolved_on，再封存"
    )
