"""Sealed results: freeze a published period, and prove later that nothing moved silently (§6).

A seal (records/seals/<period>.yaml) keeps, for every worker, the figures as
published and a digest of the record they came from (``fingerprint``). Once a
period is sealed, ``check`` recomputes it: a worker whose figures or record
differ from the seal is an error at the record's file, unless a 更正
(correction) notice for the period, dated on or after the seal, names the
worker in ``workers:``, and the seal's amendment for that notice (appended by
re-running ``gridscore seal``) records exactly that change. The original
figures are never rewritten; see ``seal_history`` for the git side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .datafiles import NoticeFile, SealFile
from .errors import GridscoreError, Problem
from .fingerprint import review_digest
from .models import SEAL_FORMAT, Seal
from .periods import Month, Period
from .results import Results
from .rows import annual_rows, fields, monthly_rows
from .sealing_rules import require_sealable
from .validate import Dataset

SEALS = "seals"
FIELD_LABELS = {
    "total": "总分",
    "grade": "等次",
    "rank": "排名",
    "community_rank": "社区排名",
    "bonus": "加分",
    "deductions": "扣分",
    "vetoed": "一票否决",
    "months_assessed": "考评月数",
    "monthly_mean": "月度平均分",
    "review_score": "年度评议",
    "honors": "荣誉",
    "record": "考评记录",
}


@dataclass(frozen=True)
class Difference:
    worker: str
    field: str  # a key of FIELD_LABELS, or "items.<id>" / "categories.<id>"
    old: Any
    new: Any


# --- what a seal keeps ------------------------------------------------------------


# What a seal keeps of a row, in the order it writes them: a stored format, never reorder or rename.
SEALED_MONTHLY = ("total", "grade", "rank", "community_rank", "bonus", "deductions", "vetoed", "categories", "items")
SEALED_ANNUAL = ("total", "grade", "rank", "community_rank", "vetoed", "months_assessed", "monthly_mean", "honors")


def figures(results: Results, period: Period) -> dict[str, dict[str, Any]]:
    """Today's figures for a period, in the shape a seal keeps (and ``Seal.current`` gives back).

    Besides the figures, a seal keeps each record's digest (``record``); a worker without an annual
    review has neither ``review_score`` nor ``record`` in a year's seal.
    """
    kept: dict[str, dict[str, Any]] = {}
    if isinstance(period, Month):
        month = results.month(period)
        for r, row in zip(month, monthly_rows(month), strict=True):
            kept[row.worker] = fields(row, SEALED_MONTHLY)
            kept[row.worker]["record"] = r.entry.file.digest
        return kept
    summary = results.year(period.year)
    for result, annual in zip(summary.results, annual_rows(summary), strict=True):
        kept[annual.worker] = fields(annual, SEALED_ANNUAL)
        if result.review is not None:
            kept[annual.worker]["review_score"] = annual.review_score
            kept[annual.worker]["record"] = review_digest(result.review.review)
    return kept


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    """One worker's figures as dotted fields (``items.publicity``), the way a change names them."""
    flat: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{inner}": item for inner, item in value.items()})
        else:
            flat[key] = value
    return flat


# The order changes are listed in: the figures, then the breakdown, then the record itself.
_ORDER = {
    name: i for i, name in enumerate([*(f for f in FIELD_LABELS if f != "record"), "categories", "items", "record"])
}


def differences(sealed: dict[str, dict[str, Any]], now: dict[str, dict[str, Any]]) -> list[Difference]:
    """Every figure that differs, worker by worker; a record added or removed is one ``record`` difference."""
    found: list[Difference] = []
    for worker in sorted(set(sealed) | set(now)):
        if worker not in now:
            found.append(Difference(worker, "record", sealed[worker].get("record"), None))
            continue
        before, after = flatten(sealed.get(worker, {})), flatten(now[worker])
        if worker not in sealed:
            before = {}
        names = sorted(set(before) | set(after), key=lambda n: (_ORDER.get(n.partition(".")[0], 99), n))
        for name in names:
            old, new = before.get(name), after.get(name)
            if name == "honors":
                old, new = old or [], new or []
            if old != new:
                found.append(Difference(worker, name, old, new))
    return found


def by_worker(found: list[Difference]) -> dict[str, list[Difference]]:
    grouped: dict[str, list[Difference]] = {}
    for difference in found:
        grouped.setdefault(difference.worker, []).append(difference)
    return grouped


# --- corrections --------------------------------------------------------------------


def corrections_of(dataset: Dataset, seal: Seal) -> list[NoticeFile]:
    """Correction notices for the seal's period, by date."""
    return [n for n in dataset.notices if n.notice.kind == "correction" and n.notice.period == seal.period]


def pending_corrections(dataset: Dataset, seal: Seal) -> list[NoticeFile]:
    """Correction notices for the seal's period that the seal has not recorded yet."""
    recorded = {c.notice for c in seal.corrections}
    return [n for n in corrections_of(dataset, seal) if n.stem not in recorded]


def open_for(notice: NoticeFile, seal: Seal) -> bool:
    """Whether a pending correction may change the seal: dated on or after the seal's last change."""
    return notice.notice.date >= seal.last_sealed_on()


def scope(notice: NoticeFile) -> list[str]:
    return list(notice.notice.workers or [])


def correction_changes(dataset: Dataset, results: Results, notice: NoticeFile) -> list[Difference]:
    """What a correction notice corrects: as recorded in the seal, or still pending (sealed → recomputed)."""
    seal_file = dataset.seals.get(str(notice.notice.period))
    if seal_file is None:
        return []
    seal = seal_file.seal
    for correction in seal.corrections:
        if correction.notice == notice.stem:
            return [Difference(c.worker, c.field, c.old, c.new) for c in correction.changes]
    if notice in pending_corrections(dataset, seal):
        listed = set(scope(notice))
        changed = differences(seal.current(), figures(results, seal.period))
        return [d for d in changed if d.worker in listed]
    return []


# --- check: every sealed period, recomputed -----------------------------------------


def verify_seals(dataset: Dataset, results: Results) -> tuple[list[Problem], list[Problem]]:
    """Compare every seal with today's figures.

    Returns (problems, awaiting): ``awaiting`` are the problems that running
    ``gridscore seal PERIOD`` resolves (a correction in scope, not recorded
    yet); they are problems for ``check`` too.
    """
    problems: list[Problem] = []
    awaiting: list[Problem] = []
    for seal_file in dataset.seals.values():
        if seal_file.seal.format != SEAL_FORMAT:
            problems.append(_old_format(seal_file))
            continue
        found, waiting = _verify_seal(dataset, results, seal_file)
        problems += found
        awaiting += waiting
    return problems + awaiting, awaiting


def _old_format(seal_file: SealFile) -> Problem:
    return seal_file.doc.problem(
        (),
        f"封存文件缺少 format: {SEAL_FORMAT}：它由旧版 gridscore 生成，没有记录摘要，无法证明记录未被改动。"
        "请按 README「封存文件升级」处理",
    )


def _verify_seal(dataset: Dataset, results: Results, seal_file: SealFile) -> tuple[list[Problem], list[Problem]]:
    seal, period = seal_file.seal, seal_file.seal.period
    notices = {n.stem: n for n in corrections_of(dataset, seal)}
    problems = _check_amendments(dataset, seal_file, notices)
    pending = [n for n in pending_corrections(dataset, seal)]
    changed = by_worker(differences(seal.current(), figures(results, period)))
    awaiting: list[Problem] = []
    for notice in pending:
        if not open_for(notice, seal):
            problems.append(
                notice.doc.problem(
                    ("date",),
                    f"更正公告的日期 {notice.notice.date} 早于{period.label}结果的封存日期 {seal.last_sealed_on()}："
                    "更正只能针对已封存公布的结果，须在封存之后发布，请核对发文日期",
                )
            )
        for index, worker in enumerate(scope(notice)):
            if worker not in changed:
                problems.append(
                    notice.doc.problem(
                        ("workers", index),
                        f"{_who(dataset, worker)}的考评记录和{period.label}结果与封存一致，没有可更正的内容："
                        "请从 workers 中删除，或先修改该网格员的记录",
                    )
                )
    names = rubric_names(dataset, period)
    for worker, found in changed.items():
        what = "、".join(describe(d, names) for d in found[:6]) + (f" 等 {len(found)} 处" if len(found) > 6 else "")
        place = _record_place(dataset, seal_file, worker)
        head = f"已封存的{period.label}结果有变化：{_who(dataset, worker)}：{what}。"
        covering = [n for n in pending if worker in scope(n) and open_for(n, seal)]
        if covering:
            awaiting.append(
                Problem(
                    place.path,
                    place.line,
                    f"{head}更正公告 {covering[-1].stem} 已列出该网格员，"
                    f"请运行 gridscore seal {period} 在封存文件中记录这次更正（原值与新值）",
                )
            )
            continue
        listed = [n.stem for n in pending if worker in scope(n)]
        if listed:  # listed, but by a notice dated before the seal: reported at the notice's date
            advice = f"更正公告 {listed[-1]} 的日期早于封存日期，不能更正这一期"
        elif any(d.field == "record" for d in found):
            advice = (
                "已公布的结果不能悄悄改变：如确需更正，请发布更正公告（records/notices/日期-correction-"
                f"{period}.yaml，kind: correction，period: {period}，workers 列出该网格员），"
                f"再运行 gridscore seal {period} 记录更正"
            )
        else:
            advice = (
                "该网格员的记录没有改动，结果随其他记录或考评标准的改动而变化；如确需更正，"
                "该网格员也须列入更正公告的 workers"
            )
        problems.append(Problem(place.path, place.line, head + advice))
    return problems, awaiting


def _check_amendments(dataset: Dataset, seal_file: SealFile, notices: dict[str, NoticeFile]) -> list[Problem]:
    """Each amendment in the seal answers a correction notice in scope, and records what really stood before."""
    seal, period = seal_file.seal, seal_file.seal.period
    problems: list[Problem] = []
    before = seal.sealed_on
    for ci, correction in enumerate(seal.corrections):
        at = ("corrections", ci)
        notice = notices.get(correction.notice)
        if notice is None:
            problems.append(
                seal_file.doc.problem(
                    (*at, "notice"),
                    f"封存文件记录了更正公告 {correction.notice}，但 records/notices/ 中没有{period.label}的这份更正公告"
                    "（kind: correction）：更正必须有公开的更正公告",
                )
            )
        else:
            if notice.notice.date < before:
                problems.append(
                    notice.doc.problem(
                        ("date",),
                        f"更正公告的日期 {notice.notice.date} 早于{period.label}结果的封存日期 {before}：更正只能在封存之后发布",
                    )
                )
            listed = set(scope(notice))
            outside = sorted({c.worker for c in correction.changes} - listed)
            for worker in outside:
                problems.append(
                    seal_file.doc.problem(
                        (*at, "changes"),
                        f"封存文件中的更正改变了{_who(dataset, worker)}的结果，但更正公告 {notice.stem} 的 workers 没有列出该网格员："
                        "更正不能改变公告范围以外的人",
                    )
                )
            changed = {c.worker for c in correction.changes}
            for index, worker in enumerate(scope(notice)):
                if worker not in changed:
                    problems.append(
                        notice.doc.problem(
                            ("workers", index),
                            f"{_who(dataset, worker)}在封存文件的这次更正中没有任何变化：请从 workers 中删除",
                        )
                    )
        if correction.sealed_on < before:
            problems.append(
                seal_file.doc.problem(
                    (*at, "sealed_on"), f"更正的封存日期 {correction.sealed_on} 早于之前的封存日期 {before}"
                )
            )
        state = seal.current(upto=ci)
        for xi, change in enumerate(correction.changes):
            recorded = flatten(state.get(change.worker, {})).get(change.field)
            if change.field == "honors":
                recorded = "、".join(recorded or [])
            old = change.old if change.field != "honors" else (change.old or "")
            if recorded != old:
                problems.append(
                    seal_file.doc.problem(
                        (*at, "changes", xi, "old"),
                        f"更正记录的原值 {show(change.old)} 与此前封存的值 {show(recorded)} 不一致"
                        "（封存文件由 gridscore seal 生成，请勿手工修改）",
                    )
                )
        before = max(before, correction.sealed_on)
    return problems


@dataclass(frozen=True)
class _Place:
    path: str
    line: int


def _record_place(dataset: Dataset, seal_file: SealFile, worker: str) -> _Place:
    """Where a sealed worker's change shows: the record (or annual review) file, else the seal's line."""
    period = seal_file.seal.period
    if isinstance(period, Month):
        for entry in dataset.entries.get(period, []):
            if entry.worker.id == worker:
                return _Place(entry.doc.path, entry.doc.line_of(("worker",)))
        known = dataset.workers.get(worker)
        if known is not None:
            return _Place(f"records/{period.year:04d}/{period.month:02d}/{known.community}/{worker}.yaml", 0)
    else:
        review = dataset.reviews.get((period.year, worker))
        if review is not None:
            return _Place(review.doc.path, review.doc.line_of(("worker",)))
    index = next((i for i, r in enumerate(seal_file.seal.results) if r.worker == worker), None)
    loc: tuple[str | int, ...] = ("results", index) if index is not None else ("results",)
    return _Place(seal_file.doc.path, seal_file.doc.line_of(loc))


def _who(dataset: Dataset, worker_id: str) -> str:
    worker = dataset.workers.get(worker_id)
    return f"{worker_id}（{worker.name}）" if worker else worker_id


def describe(difference: Difference, names: dict[str, str] | None = None) -> str:
    if difference.field == "record":
        if difference.new is None:
            return "考评记录被删除"
        if difference.old is None:
            return "新增了考评记录"
        return "考评记录有改动"
    return f"{label(difference.field, names)} {show(difference.old)} → {show(difference.new)}"


def rubric_names(dataset: Dataset, period: Period) -> dict[str, str]:
    """Item and category names of the period's rubric, for labels such as 协调配合得分."""
    rubric = dataset.rubric_for(period) if isinstance(period, Month) else None
    if rubric is None:
        return {}
    return {**{c.id: c.name for c in rubric.categories}, **{i.id: i.name for i in rubric.items}}


def label(field: str, names: dict[str, str] | None = None) -> str:
    """A field's Chinese label; ``names`` maps item and category ids to the rubric's names."""
    group, _, key = field.partition(".")
    if key:
        name = (names or {}).get(key, key)
        return f"{name}得分" if group == "items" else f"{name}小计"
    return FIELD_LABELS.get(field, field)


def show_change(difference: Difference) -> tuple[str, str]:
    """Old and new as a page shows them; a record's digest means nothing to a reader, so it is named."""
    if difference.field == "record":
        old = "原记录" if difference.old is not None else "无"
        new = "已删除" if difference.new is None else ("已更正" if difference.old is not None else "新增")
        return old, new
    return show(difference.old), show(difference.new)


def show(value: Any) -> str:
    if value is None:
        return "无"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value) or "无"
    return str(value)


# --- sealing --------------------------------------------------------------------


@dataclass(frozen=True)
class SealOutcome:
    path: Path
    message: str


def seal_period(dataset: Dataset, results: Results, period: Period, today: date) -> SealOutcome:
    """Write or extend the seal of ``period``; raise ``GridscoreError`` explaining any refusal."""
    path = dataset.root / "records" / SEALS / f"{period}.yaml"
    existing = dataset.seals.get(str(period))
    now = figures(results, period)
    if existing is None:
        require_sealable(dataset, period, today)
        rubric = dataset.rubric_for(period) if isinstance(period, Month) else dataset.annual_rubric(period.year)
        assert rubric is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, render_seal(period, rubric.version, today, now))
        return SealOutcome(
            path, f"已封存{period.label}的 {len(now)} 条结果：{path.relative_to(dataset.root).as_posix()}"
        )
    seal = existing.seal
    if seal.format != SEAL_FORMAT:
        raise GridscoreError(str(_old_format(existing)))
    changed = by_worker(differences(seal.current(), now))
    if not changed:
        return SealOutcome(path, f"{period.label}已封存（{seal.sealed_on}），重新计算的结果与封存一致，无需改动")
    pending = [n for n in pending_corrections(dataset, seal) if open_for(n, seal)]
    claimed: dict[str, list[Difference]] = {}
    for notice in pending:
        for worker in scope(notice):
            if worker in changed and worker not in {w for ds in claimed.values() for w in {d.worker for d in ds}}:
                claimed.setdefault(notice.stem, []).extend(changed[worker])
    covered = {d.worker for ds in claimed.values() for d in ds}
    outside = [w for w in changed if w not in covered]
    if outside:
        names = rubric_names(dataset, period)
        listing = "；".join(
            f"{_who(dataset, w)}：{'、'.join(describe(d, names) for d in changed[w][:3])}" for w in outside[:10]
        )
        more = f" 等 {len(outside)} 人" if len(outside) > 10 else ""
        hint = (
            "请在更正公告的 workers 中列出他们"
            if pending
            else f"请先在 records/notices/ 发布 kind: correction、period: {period}、workers 列出这些网格员的更正公告（日期不早于 {seal.last_sealed_on()}）"
        )
        raise GridscoreError(
            f"{period.label}已封存，以下网格员的结果或记录与封存不同，但没有更正公告列出他们：{listing}{more}。"
            f"已公布的结果只能通过更正公告改变：{hint}"
        )
    text = existing.doc.full_text().rstrip("\n") + "\n"
    has_block = bool(seal.corrections)
    for notice in pending:
        if notice.stem in claimed:
            text += render_correction(notice.stem, today, claimed[notice.stem], has_block)
            has_block = True
    _write_atomically(path, text)
    total = sum(len(ds) for ds in claimed.values())
    return SealOutcome(
        path,
        f"已在 {path.relative_to(dataset.root).as_posix()} 记录更正（{'、'.join(claimed)}）：{len(covered)} 名网格员 {total} 处变化，"
        "原值与新值均保留",
    )


def render_seal(period: Period, rubric: str, today: date, values: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"# {period.label}考评结果封存文件：由 gridscore seal {period} 生成，请勿手工修改。",
        "# 封存后如重新计算的结果或考评记录（record 为记录摘要）与此不同，gridscore check 会报错，",
        "# 除非该期的更正公告在 workers 中列出了该网格员；更正时运行 gridscore seal 会在文末追加原值与新值。",
        f"format: {SEAL_FORMAT}",
        f"period: {period}" if isinstance(period, Month) else f"period: {period.year}",
        f'rubric: "{rubric}"',
        f"sealed_on: {today}",
        "results:",
    ]
    for worker, row in sorted(values.items(), key=lambda item: (item[1]["rank"], item[0])):
        fields = [f"worker: {worker}"]
        for name, value in row.items():
            fields.append(f"{name}: {_yaml_value(value)}")
        lines.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


def render_correction(notice: str, today: date, changed: list[Difference], has_block: bool) -> str:
    lines = [] if has_block else ["corrections:"]
    lines += [f"  - notice: {notice}", f"    sealed_on: {today}", "    changes:"]
    for d in changed:
        old, new = _encode(d.field, d.old), _encode(d.field, d.new)
        lines.append(
            f"      - {{worker: {d.worker}, field: {d.field}, old: {_yaml_value(old)}, new: {_yaml_value(new)}}}"
        )
    return "\n".join(lines) + "\n"


def _encode(field: str, value: Any) -> Any:
    if field == "honors":
        return "、".join(value or [])
    return value


def _yaml_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_yaml_value(item)}" for key, item in value.items()) + "}"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
