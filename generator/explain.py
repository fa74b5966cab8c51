"""Explain one score so the grid worker can check it: every point traced to its
record line and rubric rule, with the arithmetic written out."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .annual import AnnualResult, AnnualSummary
from .datafiles import EventEntry
from .ledger import honor_rewards, money, month_rewards
from .models import ROLE_LABELS
from .numbers import ZERO, exact, exact_sum, fmt, fmt_plain
from .periods import Period, Year
from .report import PROVISIONAL, is_sealed
from .rubric import Rubric
from .rubric_text import veto_cap
from .score import ItemScore, MonthlyResult, TermScore
from .validate import Dataset
from .yamlio import Document

CHINESE_NUMERALS = "一二三四五六七八九十"


def _rubric_doc(dataset: Dataset, rubric: Rubric) -> Document:
    return next(entry.doc for entry in dataset.rubrics if entry.rubric is rubric)


def rounding_text(value: Fraction, rounded: Fraction) -> str:
    if value == rounded:
        return f"{fmt(rounded)}"
    return f"{fmt_plain(value)} → 四舍五入 {fmt(rounded)}"


def _header(dataset: Dataset, worker_id: str, title: str, period: Period) -> list[str]:
    worker = dataset.workers[worker_id]
    community = next(c for c in dataset.organization.communities if c.id == worker.community)
    grid = next((g.name for g in community.grids if g.id == worker.grid), worker.grid)
    header = [f"{worker.name}（{worker.id}，{community.name}{grid}，{ROLE_LABELS[worker.role]}网格员） {title}"]
    return header if is_sealed(dataset, period) else [*header, PROVISIONAL]


def explain_month(dataset: Dataset, result: MonthlyResult, total_workers: int, community_workers: int) -> str:
    entry = result.entry
    rubric = result.rubric
    rubric_doc = _rubric_doc(dataset, rubric)
    doc = entry.doc
    record = entry.record
    lines = _header(dataset, result.worker_id, f"{result.month.label}考评得分明细", result.month)
    assessor = next(a for a in dataset.organization.assessors if a.id == record.assessed_by)
    lines.append(f"考评记录：{doc.path}（考评人 {assessor.name}，{assessor.org}，{record.assessed_on}）")
    lines.append(f"考评标准：{rubric.title}（{rubric_doc.path}）")
    lines.append("说明：每项按公式精确计算后再四舍五入到两位小数（各部分不单独取舍）；扣分扣到该项为 0 为止。")
    for ci, category in enumerate(rubric.categories):
        lines.append("")
        lines.append(f"{CHINESE_NUMERALS[ci % 10]}、{category.name}（满分 {category.points}）")
        for ii, item in enumerate(category.items):
            score = result.items[item.id]
            rule_line = rubric_doc.line_of(("categories", ci, "items", ii))
            lines.append(f"  {item.name}（满分 {item.points}，规则见 {rubric_doc.path}:{rule_line}）")
            lines.extend(_item_lines(doc, rubric, score))
        lines.append(
            f"  小计：{' + '.join(fmt(result.items[i.id].score) for i in category.items)} = {fmt(result.categories[category.id])}"
        )

    lines.append("")
    cap = exact(rubric.bonus_cap)
    if result.bonuses:
        lines.append(f"加分（每月最多 +{fmt_plain(cap)}）：")
        for event, points in result.bonuses:
            lines.append(
                f"  +{fmt_plain(points)} {_event_text(event)}（{doc.path}:{doc.line_of(('events', event.index))}）"
            )
        uncapped = result.bonus_uncapped
        if uncapped > cap:
            lines.append(f"  合计 +{fmt_plain(uncapped)}，超过上限，按 +{fmt(result.bonus)} 计")
        else:
            lines.append(f"  合计 +{fmt(result.bonus)}")
    else:
        lines.append("加分：无")
    if result.total_deductions:
        lines.append("总分扣分：")
        for event, points in result.total_deductions:
            veto = f"，一票否决：当月及当年等次最高为{veto_cap(result.rubric)}" if event.kind.veto else ""
            lines.append(
                f"  −{fmt_plain(points)} {_event_text(event)}{veto}（{doc.path}:{doc.line_of(('events', event.index))}）"
            )

    lines.append("")
    parts = " + ".join(fmt(result.categories[c.id]) for c in rubric.categories)
    formula = f"总分 = {parts} + {fmt(result.bonus)}（加分）"
    if result.total_deductions:
        formula += f" − {fmt(result.deductions)}（扣分）"
    raw = result.items_sum + result.bonus - result.deductions
    formula += f" = {fmt(raw)}" if raw >= 0 else f" = {fmt(raw)}，不低于 0，计 0.00"
    lines.append(formula)
    grade = result.grade
    grade_text = f"等次：{grade.name}（{grade_rule(rubric, grade.id)}）"
    if result.vetoed and rubric.grade_for(result.total, False).id != grade.id:
        grade_text = f"等次：{grade.name}（得分达到{rubric.top_grade.name}，但有一票否决事件，最高为{grade.name}）"
    lines.append(grade_text)
    lines.append(
        f"排名：全{dataset.organization.unit.short}第 {result.rank} 名（共 {total_workers} 人），社区内第 {result.community_rank} 名（共 {community_workers} 人）"
    )
    lines.extend(_month_reward_lines(dataset, result))
    return "\n".join(lines)


def _year_reward_lines(dataset: Dataset, rubric: Rubric, result: AnnualResult) -> list[str]:
    """The year's honor rewards (only once the year is sealed) and what its months paid."""
    if rubric.rewards is None:
        return []
    sealed = is_sealed(dataset, Year(result.year))
    honors = honor_rewards(result, rubric)
    lines = _reward_header(dataset, rubric, sealed)
    if sealed:
        lines.extend(f"  {reward.line(rubric.rewards.currency)}" for reward in honors)
    elif honors:
        lines.append("  荣誉奖励：本年度结果尚未封存，封存后才发放")
    paid = money(sum((reward.amount for month in result.months for reward in month_rewards(month)), Decimal(0)))
    first = result.months[0].month if result.months else f"{result.year}-01"
    lines.append(
        f"  各月绩效奖励和专项奖金：共 {paid} {rubric.rewards.currency}"
        f"（逐月见 gridscore explain {result.worker_id} {first} 等）"
    )
    return lines


def _month_reward_lines(dataset: Dataset, result: MonthlyResult) -> list[str]:
    """One line per reward the month pays (月度绩效奖励：优秀 → 300.00 元)."""
    rubric = result.rubric
    if rubric.rewards is None:
        return []
    rewards = month_rewards(result)
    lines = _reward_header(dataset, rubric, is_sealed(dataset, result.month))
    lines.extend(f"  {reward.line(rubric.rewards.currency)}" for reward in rewards)
    return lines if rewards else [*lines, "  无"]


def _reward_header(dataset: Dataset, rubric: Rubric, sealed: bool) -> list[str]:
    """A blank line and the heading, with where the amounts are set and whether they can be paid yet."""
    doc = _rubric_doc(dataset, rubric)
    where = f"{doc.path}:{doc.line_of(('rewards',))}"
    return ["", f"奖励（金额见 {where}）：" if sealed else f"奖励（暂定，结果封存后才能发放；金额见 {where}）："]


def _item_lines(doc: Document, rubric: Rubric, score: ItemScore) -> list[str]:
    item = score.item
    lines: list[str] = []
    if score.level is not None:
        level = rubric.level_by_id[score.level]
        line = doc.line_of(("metrics", item.id))
        note = f"，{level.description}" if level.description else ""
        lines.append(
            f"    评定等级：{level.label}（{level.id}{note}，记录第 {line} 行）"
            f" → {item.points} × {fmt_plain(exact(level.ratio))} = {fmt_plain(score.exact)}"
        )
    else:
        for term in score.terms:
            lines.append(
                f"    {term.term.label}：{term_text(item.fields, term)}（记录第 {_term_line(doc, item.id, term)} 行）"
            )
        if len(score.terms) > 1:
            lines.append(
                f"    公式合计：{' + '.join(fmt_plain(t.value) for t in score.terms)} = {fmt_plain(score.exact)}"
            )
    for event, points in score.deductions:
        lines.append(
            f"    扣分 −{fmt_plain(points)}：{_event_text(event)}（记录第 {doc.line_of(('events', event.index))} 行）"
        )
    if score.deductions:
        remaining = score.exact - score.deducted
        floor = "，扣完为止，计 0" if remaining < 0 else ""
        lines.append(
            f"    扣分后：{fmt_plain(score.exact)} − {fmt_plain(score.deducted)} = {fmt_plain(remaining)}{floor}"
        )
        lines.append(f"    得分：{rounding_text(max(ZERO, remaining), score.score)}")
    else:
        lines.append(f"    得分：{rounding_text(score.exact, score.score)}")
    return lines


def term_text(fields: dict[str, str], term: TermScore) -> str:
    points = fmt_plain(term.term.points_exact)
    if term.term.method == "ratio":
        part_name, whole_name = term.term.part or "", term.term.whole or ""
        ratio = f"{fields[part_name]} {term.part} ÷ {fields[whole_name]} {term.whole}"
        if term.whole == 0:
            return f"{fields[whole_name]}为 0（本月无此项任务），计满分 {points}"
        if term.term.cap_at_one and term.part is not None and term.whole is not None and term.part > term.whole:
            return f"{points} × min({ratio}, 1) = {points} × 1 = {fmt_plain(term.value)}"
        return f"{points} × {ratio} = {fmt_plain(term.value)}"
    count_name = term.term.count or ""
    per = fmt_plain(term.term.per_exact)
    raw = term.term.per_exact * (term.count or 0)
    capped = f"，最多 {points} 分，计 {fmt_plain(term.value)}" if raw > term.value else ""
    return f"{fields[count_name]} {term.count} × {per} = {fmt_plain(raw)}{capped}"


def _term_line(doc: Document, item_id: str, term: TermScore) -> int:
    name = term.term.part if term.term.method == "ratio" else term.term.count
    return doc.line_of(("metrics", item_id, name or ""))


def _event_text(event: EventEntry) -> str:
    kind, raw, parameter = event.kind, event.event, event.parameter
    extra = f"，{parameter}" if parameter else ""
    amount = f"，金额 {raw.amount_yuan} 元" if raw.amount_yuan is not None else ""
    return f"{kind.name}（{raw.date}{extra}{amount}）：{raw.summary}"


def grade_rule(rubric: Rubric, grade_id: str) -> str:
    grades = sorted(rubric.grades, key=lambda g: g.min, reverse=True)
    index = next(i for i, g in enumerate(grades) if g.id == grade_id)
    low = grades[index].min
    if index == 0:
        return f"≥ {low} 分"
    high = grades[index - 1].min
    return f"{low} 分 ≤ 得分 < {high} 分" if low else f"< {high} 分"


def explain_year(dataset: Dataset, summary: AnnualSummary, result: AnnualResult) -> str:
    rubric = summary.rubric
    rules = rubric.annual
    lines = _header(dataset, result.worker_id, f"{result.year}年度考评得分明细", Year(result.year))
    lines.append(f"年度规则：{rubric.title}（{_rubric_doc(dataset, rubric).path}）")
    lines.append("说明：每个数字四舍五入到两位小数，后一步用前一步四舍五入后的数字计算。")
    lines.append("")
    lines.append(f"月度得分（共 {result.months_assessed} 个月）：")
    for month in result.months:
        flags = "，一票否决" if month.vetoed else ""
        lines.append(f"  {month.month}  {fmt(month.total):>6}  {month.grade.name}{flags}（{month.entry.doc.path}）")
    totals = " + ".join(fmt(m.total) for m in result.months)
    exact_mean = sum((m.total for m in result.months), ZERO) / result.months_assessed
    lines.append(
        f"月度平均分 = ({totals}) ÷ {result.months_assessed} = {rounding_text(exact_mean, result.monthly_mean)}"
    )
    for category in rubric.categories:
        values = [m.categories[category.id] for m in result.months if category.id in m.categories]
        exact_mean = exact_sum(values) / len(values) if values else ZERO
        lines.append(f"{category.name}月均分 = {rounding_text(exact_mean, result.category_means[category.id])}")
    lines.append("")
    if result.review is not None and result.review_score is not None:
        review_doc = result.review.doc
        lines.append(
            f"年度综合评议：{fmt(result.review_score)}（{review_doc.path}:{review_doc.line_of(('review_score',))}）"
        )
        mw, rw = exact(rules.monthly_weight), exact(rules.review_weight)
        raw = mw * result.monthly_mean + rw * result.review_score
        lines.append(
            f"年度得分 = {fmt_plain(mw)} × {fmt(result.monthly_mean)} + {fmt_plain(rw)} × {fmt(result.review_score)}"
            f" = {rounding_text(raw, result.total)}"
        )
    else:
        lines.append("年度综合评议：无")
        lines.append(f"年度得分 = 月度平均分 = {fmt(result.total)}")
    lines.append("")
    lines.append(f"等次：{result.grade.name}")
    if result.excellent_note:
        lines.append(f"  {result.excellent_note}")
    if result.vetoed:
        barred = [h.name for h in rubric.honors if h.no_veto]
        lines.append(
            f"  本年度有一票否决事件，等次最高为{veto_cap(rubric)}"
            + (f"，不得评为{'、'.join(barred)}" if barred else "")
        )
    lines.append(f"荣誉：{'、'.join(h.name for h in result.honors) or '无'}")
    for honor in rubric.honors:
        if honor.rule == "top_category_mean" and honor.category is not None:
            category_name = next(c.name for c in rubric.categories if c.id == honor.category)
            lines.append(
                f"  {honor.name}：{category_name}月均分前 {honor.top} 名"
                f"（本人 {fmt(result.category_means[honor.category])}）；{honor.description or ''}"
            )
    units = len(summary.results)
    peers = sum(1 for r in summary.results if r.worker.community == result.worker.community)
    lines.append(
        f"排名：全{dataset.organization.unit.short}第 {result.rank} 名（共 {units} 人），社区内第 {result.community_rank} 名（共 {peers} 人）"
    )
    lines.extend(_year_reward_lines(dataset, rubric, result))
    return "\n".join(lines)
