"""The typed contents of the repository's data files, as every later stage sees them.

``load`` makes these (one file at a time), ``validate`` links them into a
``Dataset``, ``score`` reads them. They live apart from all three so that no
stage needs another's module to name what it works on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .models import AnnualReview, Event, FollowUp, MonthlyRecord, Notice, Objection, Organization, Seal, Worker
from .periods import Month, Year
from .rubric import EventKind, Rubric
from .yamlio import Document

if TYPE_CHECKING:
    from .score import RecordScore


@dataclass(frozen=True)
class EventEntry:
    """One valid event of a record, with its kind in the record's rubric."""

    kind: EventKind
    event: Event
    parameter: str | None  # the scale value (e.g. severity) for kinds scored by one
    index: int


@dataclass
class RecordFile:
    doc: Document
    record: MonthlyRecord
    folder_month: Month
    folder_community: str
    # checked against the rubric in force for record.period: None when wrong, or when there is no rubric
    metrics: dict[str, Any] | None = None
    # what it scores on its own, everything but its rank (see score.score_record); None unless everything
    # the file decides by itself passed (its place, its rubric, metrics, events)
    score: RecordScore | None = None
    digest: str = ""  # the canonical digest a seal keeps (fingerprint.record_digest); set with ``score``


@dataclass
class AnnualFile:
    doc: Document
    review: AnnualReview
    folder_year: int
    folder_community: str


@dataclass
class NoticeFile:
    doc: Document
    notice: Notice
    stem: str


@dataclass
class ObjectionFile:
    """records/objections/<notice_stem>/<number>.yaml: one objection to that publicity notice."""

    doc: Document
    objection: Objection
    notice_stem: str  # the folder's name
    number: int  # the file's name


@dataclass
class FollowUpFile:
    """records/followups/<2026-03 or 2026>/<worker>.yaml: the sanction measures carried out for that period.

    The file holds one follow-up (a mapping) or several (a list of them); ``locs`` is where each one is in it.
    """

    doc: Document
    entries: list[FollowUp]
    locs: list[tuple[int, ...]]
    period: Month | Year  # the folder's name
    worker_id: str  # the file's name


@dataclass
class SealFile:
    doc: Document
    seal: Seal
    stem: str


@dataclass
class OrganizationFile:
    doc: Document
    organization: Organization


@dataclass
class RubricFile:
    doc: Document
    rubric: Rubric


@dataclass
class Entry:
    """One valid monthly record with its rubric, normalized metrics and events."""

    file: RecordFile
    rubric: Rubric
    worker: Worker
    metrics: dict[str, Any]
    events: list[EventEntry]

    @property
    def doc(self) -> Document:
        return self.file.doc

    @property
    def record(self) -> MonthlyRecord:
        return self.file.record

    @property
    def month(self) -> Month:
        return self.file.record.period
