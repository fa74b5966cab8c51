"""The rubric's rules as the sentences the pages print: every figure and name comes from the rubric.

A template never writes a weight, point value, quota, grade boundary or "前 3 名" itself
(PRODUCT.md §5): it asks here, so that changing the rubric changes every sentence.
These return plain text; the templates escape it like any other value.
"""

from __future__ import annotations

from .numbers import exact, fmt_plain
from .rubric import Grade, Honor, Rubric, TieBreak


def veto_cap(rubric: Rubric) -> str:
    """The highest grade a month (and a year) with a 一票否决 event can get."""
    return rubric.grade_by_id[rubric.veto_grade_cap].name


def below_top(rubric: Rubric) -> Grade:
    """The grade given to those at or above the top grade's line who do not get it (quota, months, 不合格)."""
    top = rubric.top_grade
    return max((g for g in rubric.grades if g.min < top.min), key=lambda g: g.min, default=top)


def metric_label(rubric: Rubric, reference: str) -> str:
    """``warning_response.dissuaded`` → its name in the rubric (成功劝阻数)."""
    item_id, _, field = reference.partition(".")
    item = rubric.item_by_id.get(item_id)
    return item.fields.get(field, reference) if item else reference


def category_name(rubric: Rubric, category_id: str) -> str:
    return next((c.name for c in rubric.categories if c.id == category_id), category_id)


def tie_break_label(rubric: Rubric, tie: TieBreak) -> str:
    if tie.category_mean:
        return f"{category_name(rubric, tie.category_mean)}月均分"
    return f"全年{metric_label(rubric, tie.metric_total or '')}"


def tie_breaks(rubric: Rubric) -> str:
    """``预警劝阻与案件协防月均分、全年成功劝阻数``: what decides a tie at the 优秀 quota's edge, in order."""
    return "、".join(tie_break_label(rubric, tie) for tie in rubric.annual.tie_breaks)


def honor_rule(rubric: Rubric, honor: Honor) -> str:
    """Who earns ``honor``, from its rule's fields (its free ``description`` may lag behind an edit)."""
    if honor.rule == "annual_excellent":
        return f"年度考评等次为{rubric.top_grade.name}。"
    conditions = []
    if honor.min_months:
        conditions.append(f"考评满 {honor.min_months} 个月")
    if honor.min_grade and honor.min_grade in rubric.grade_by_id:
        grade = rubric.grade_by_id[honor.min_grade]
        conditions.append(f"年度{grade.name}{'及以上' if grade.id != rubric.top_grade.id else ''}")
    if honor.no_veto:
        conditions.append("无一票否决")
    conditions += [f"全年{metric_label(rubric, m)}不少于 {n}" for m, n in honor.metric_total_min.items()]
    text = f"{category_name(rubric, honor.category or '')}月均分前 {honor.top} 名"
    if conditions:
        text += f"（{'、'.join(conditions)}）"
    return text + "；名次边界并列的都入选。"


def quota_percent(rubric: Rubric) -> str:
    """The 优秀 quota as a percentage: ``20``, or ``12.5``."""
    return fmt_plain(exact(rubric.annual.excellent_quota) * 100)


TEMPLATE_GLOBALS = {
    "veto_cap": veto_cap,
    "below_top": below_top,
    "metric_label": metric_label,
    "category_name": category_name,
    "tie_breaks": tie_breaks,
    "honor_rule": honor_rule,
    "quota_percent": quota_percent,
}
