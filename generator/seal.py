"""Sealed results: freeze a published period, and prove later that nothing moved silently.

A seal (records/seals/<period>.yaml) keeps the figures as published. When a
record is corrected afterwards, ``check`` fails until a 更正 (correction)
notice for that period explains the change; ``gridscore seal`` then appends
the old and the new values to the seal. The original figures are never
rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .datafiles import NoticeFile
from .errors import GridscoreError, Problem
from .models import Seal
from .numbers import fmt
from .periods import Month, Period, Year
from .results import Results
from .validate import Dataset

SEALS = "seals"
MONTHLY_FIELDS = ("total", "grade", "rank", "community_rank")
ANNUAL_FIELDS = ("monthly_mean", "review_score", "total", "grade", "rank", "honors")
FIELD_LABELS = {
    "total": "总分",
    "grade": "等次",
    "rank": "排名",
    "community_rank": "社区排名",
    "monthly_mean": "月度平均分",
    "review_score": "年度评议",
    "honors": "荣誉",
    "record": "考评记录",
}


@dataclass(frozen=True)
class Difference:
    worker: str
    field: str
    old: Any
    new: Any


def _encode(value: Any) -> str | int | None:
    if isinstance(value, list):
        return "、".join(value)
    return value


def figures(results: Results, period: Period) -> dict[str, dict[str, Any]]:
    """Today's figures for a period, in the shape a seal keeps."""
    if isinstance(period, Month):
        return {
            r.worker_id: {
                "total": fmt(r.total),
                "grade": r.grade.name,
                "rank": r.rank,
                "community_rank": r.community_rank,
            }
            for r in results.month(period)
        }
    return {
        r.worker_id: {
            "monthly_mean": fmt(r.monthly_mean),
            "review_score": fmt(r.review_score) if r.review_score is not None else None,
            "total": fmt(r.total),
            "grade": r.grade.name,
            "rank": r.rank,
            "honors": [h.name for h in r.honors],
        }
        for r in results.year(period.year).results
    }


def differences(sealed: dict[str, dict[str, Any]], now: dict[str, dict[str, Any]], period: Period) -> list[Difference]:
    fields = MONTHLY_FIELDS if isinstance(period, Month) else ANNUAL_FIELDS
    found: list[Difference] = []
    for worker in sorted(set(sealed) | set(now)):
        if worker not in now:
            found.append(Difference(worker, "record", "有", None))
            continue
        if worker not in sealed:
            found.append(Difference(worker, "record", None, "有"))
            continue
        for name in fields:
            old, new = sealed[worker].get(name), now[worker].get(name)
            if old != new:
                found.append(Difference(worker, name, old, new))
    return found


def pending_corrections(dataset: Dataset, seal: Seal) -> list[NoticeFile]:
    """Correction notices for the seal's period that the seal has not recorded yet."""
    recorded = {c.notice for c in seal.corrections}
    return [
        n
        for n in dataset.notices
        if n.notice.kind == "correction" and n.notice.period == seal.period and n.stem not in recorded
    ]


def verify_seals(dataset: Dataset, results: Results) -> list[Problem]:
    """Recompute every sealed period; each silent change is a problem at the worker's line in the seal."""
    problems: list[Problem] = []
    for seal_file in dataset.seals.values():
        seal = seal_file.seal
        changed = differences(seal.current(), figures(results, seal.period), seal.period)
        if not changed or pending_corrections(dataset, seal):
            continue
        by_worker: dict[str, list[Difference]] = {}
        for difference in changed:
            by_worker.setdefault(difference.worker, []).append(difference)
        index = {r.worker: i for i, r in enumerate(seal.results)}
        how = (
            f"已公布的结果不能悄悄改变：如确需更正，请发布更正公告（records/notices/日期-correction-{seal.period}.yaml，"
            f"kind: correction，period: {seal.period}），再运行 gridscore seal {seal.period} 记录更正"
        )
        ordered = sorted(by_worker.items(), key=lambda item: index.get(item[0], len(index)))
        for number, (worker_id, found) in enumerate(ordered):
            worker = dataset.workers.get(worker_id)
            who = f"{worker_id}（{worker.name}）" if worker else worker_id
            what = "、".join(describe(d) for d in found)
            line = (
                seal_file.doc.line_of(("results", index[worker_id]))
                if worker_id in index
                else seal_file.doc.line_of(("results",))
            )
            advice = how if number == 0 else "更正办法见本文件的第一条提示"
            problems.append(
                Problem(seal_file.doc.path, line, f"已封存的{seal.period.label}结果有变化：{who}{what}。{advice}")
            )
    return problems


def correction_changes(dataset: Dataset, results: Results, notice: NoticeFile) -> list[Difference]:
    """What a correction notice corrects: recorded in the seal, or still pending (sealed → recomputed)."""
    seal_file = dataset.seals.get(str(notice.notice.period))
    if seal_file is None:
        return []
    seal = seal_file.seal
    for correction in seal.corrections:
        if correction.notice == notice.stem:
            return [Difference(c.worker, c.field, c.old, c.new) for c in correction.changes]
    if notice in pending_corrections(dataset, seal):
        return differences(seal.current(), figures(results, seal.period), seal.period)
    return []


def describe(difference: Difference) -> str:
    label = FIELD_LABELS.get(difference.field, difference.field)
    if difference.field == "record":
        return "的考评记录被删除" if difference.new is None else "新增了考评记录"
    return f"{label} {show(difference.old)} → {show(difference.new)}"


def show(value: Any) -> str:
    if value is None:
        return "无"
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
        _require_ended(period, today)
        _require_complete(dataset, period)
        rubric = dataset.rubric_for(period) if isinstance(period, Month) else dataset.annual_rubric(period.year)
        assert rubric is not None
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, render_seal(period, rubric.version, today, now))
        return SealOutcome(
            path, f"已封存{period.label}的 {len(now)} 条结果：{path.relative_to(dataset.root).as_posix()}"
        )
    seal = existing.seal
    changed = differences(seal.current(), now, period)
    if not changed:
        return SealOutcome(path, f"{period.label}已封存（{seal.sealed_on}），重新计算的结果与封存一致，无需改动")
    pending = pending_corrections(dataset, seal)
    if not pending:
        listing = "；".join(f"{d.worker} {describe(d)}" for d in changed[:10])
        raise GridscoreError(
            f"{period.label}已封存，但重新计算的结果有 {len(changed)} 处变化（{listing}）。"
            f"已公布的结果只能通过更正公告改变：请先在 records/notices/ 发布 kind: correction、period: {period} 的更正公告"
        )
    notice = pending[-1]
    text = (
        existing.doc.full_text().rstrip("\n")
        + "\n"
        + render_correction(notice.stem, today, changed, has_block=bool(seal.corrections))
    )
    _write_atomically(path, text)
    return SealOutcome(
        path,
        f"已在 {path.relative_to(dataset.root).as_posix()} 记录更正（{notice.stem}）：{len(changed)} 处变化，原值与新值均保留",
    )


def _require_ended(period: Period, today: date) -> None:
    """A period is sealed only once it is over (§6): results of a month still running are not final."""
    ends = period.next().first_day() if isinstance(period, Month) else date(period.year + 1, 1, 1)
    if today < ends:
        raise GridscoreError(
            f"无法封存{period.label}：{period.label}还没有结束（今天是 {today}），"
            f"{ends} 起才能封存（要按另一天封存，用 --today）"
        )


def _require_complete(dataset: Dataset, period: Period) -> None:
    if isinstance(period, Year):
        missing_months = [m for m in period.months() if str(m) not in dataset.seals]
        if missing_months:
            raise GridscoreError(
                f"无法封存{period.label}：该年还有 {len(missing_months)} 个月没有封存（{'、'.join(str(m) for m in missing_months)}），"
                "请先逐月封存"
            )
        return
    assessed = {entry.worker.id for entry in dataset.entries.get(period, [])}
    communities = {c.id: c.name for c in dataset.organization.communities}
    missing = [w for w in dataset.organization.workers if w.active_in(period) and w.id not in assessed]
    if not assessed:
        raise GridscoreError(f"无法封存{period.label}：这个月还没有任何考评记录")
    if missing:
        names = "、".join(f"{w.id}（{w.name}，{communities[w.community]}）" for w in missing)
        raise GridscoreError(f"无法封存{period.label}：以下 {len(missing)} 名在岗网格员还没有考评记录：{names}")


def render_seal(period: Period, rubric: str, today: date, values: dict[str, dict[str, Any]]) -> str:
    lines = [
        f"# {period.label}考评结果封存文件：由 gridscore seal {period} 生成，请勿手工修改。",
        "# 封存后如重新计算的结果与此不同，gridscore check 会报错，除非有该期的更正公告；",
        "# 更正时运行 gridscore seal 会在文末追加原值与新值，原有内容保持不变。",
        f"period: {period}" if isinstance(period, Month) else f"period: {period.year}",
        f'rubric: "{rubric}"',
        f"sealed_on: {today}",
        "results:",
    ]
    for worker, row in sorted(values.items(), key=lambda item: (item[1]["rank"], item[0])):
        fields = [f"worker: {worker}"]
        for name, value in row.items():
            fields.append(f"{name}: {_yaml_scalar(value)}")
        lines.append("  - {" + ", ".join(fields) + "}")
    return "\n".join(lines) + "\n"


def render_correction(notice: str, today: date, changed: list[Difference], has_block: bool) -> str:
    lines = [] if has_block else ["corrections:"]
    lines += [f"  - notice: {notice}", f"    sealed_on: {today}", "    changes:"]
    for d in changed:
        lines.append(
            f"      - {{worker: {d.worker}, field: {d.field}, old: {_yaml_scalar(_encode(d.old))}, new: {_yaml_scalar(_encode(d.new))}}}"
        )
    return "\n".join(lines) + "\n"


def _yaml_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml_scalar(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
