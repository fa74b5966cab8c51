"""What a rubric edit changes, read from the parsed models (not a text diff): one line per change.

Items, categories, levels, grades and events are matched by id, so an entry
moved in the file is not a change, and every value is the rubric's own (a
weight written ``0.80`` or ``0.8`` is the same weight). Every text comes from
the rubric file, untrusted, and is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .diff_render import escape
from .fsguard import FileProblem, read_regular
from .rubric import Category, EventKind, Grade, Honor, Item, Level, Rubric, Term
from .yamlio import MAX_BYTES, YamlProblem, parse_document

M = TypeVar("M", bound=BaseModel)

RUBRIC_FIELDS = {
    "version": "版本号",
    "title": "标题",
    "effective_from": "适用起始月份",
    "basis": "依据",
    "total_points": "基础分满分",
    "bonus_cap": "每月加分上限",
    "veto_grade_cap": "有一票否决时的最高等次",
}
LEVEL_FIELDS = {"label": "名称", "ratio": "得分比例", "description": "说明"}
CATEGORY_FIELDS = {"name": "名称", "points": "分值"}
ITEM_FIELDS = {
    "name": "名称",
    "points": "分值",
    "method": "计分方式",
    "allow_none": "可评“无此项”",
    "fields": "指标",
    "description": "说明",
}
TERM_FIELDS = {
    "label": "名称",
    "method": "计分方式",
    "points": "分值",
    "part": "分子",
    "whole": "分母",
    "cap_at_one": "超额按 100% 计",
    "count": "计数指标",
    "per": "每个计分",
}
EVENT_FIELDS = {
    "name": "名称",
    "effect": "效果",
    "item": "扣分项目",
    "by": "按档次",
    "amount_min": "最低金额（元）",
    "veto": "一票否决",
    "commendable": "通报表扬",
    "criticism": "通报批评",
    "description": "说明",
}
GRADE_FIELDS = {"name": "名称", "min": "最低分"}
ANNUAL_FIELDS = {
    "monthly_weight": "月度平均分权重",
    "review_weight": "年度评议权重",
    "excellent_min_months": "评年度优秀至少考评月数",
    "excellent_quota": "年度优秀名额比例",
    "excellent_quota_min": "年度优秀名额至少",
    "tie_breaks": "同分时依次比较",
}
HONOR_FIELDS = {
    "name": "名称",
    "rule": "评选规则",
    "category": "按类别",
    "top": "名额（前几名）",
    "min_months": "至少考评月数",
    "min_grade": "最低年度等次",
    "no_veto": "不得有一票否决",
    "metric_total_min": "全年指标合计至少",
    "description": "说明",
}
SANCTION_FIELDS = {
    "monthly_fail": "月度不合格",
    "monthly_fail_streak": "连续月度不合格",
    "annual_fail": "年度不合格",
    "annual_fail_streak": "连续年度不合格",
    "veto": "一票否决",
    "followup_days": "落实期限（封存后天数）",
}
REWARD_FIELDS = {
    "currency": "货币单位",
    "monthly_by_grade": "月度绩效奖励",
    "veto_forfeits_monthly": "一票否决当月不发月度绩效奖励",
    "events": "专项奖金",
    "honors": "荣誉奖励",
}
ENUMS = ("method", "effect", "rule")  # fields whose values have a Chinese name in WORDS
WORDS = {
    "formula": "公式",
    "level": "等级评定",
    "ratio": "比例",
    "count": "计数",
    "item_deduction": "扣单项分",
    "total_deduction": "扣总分",
    "bonus": "加分",
    "annual_excellent": "年度优秀",
    "top_category_mean": "类别月均分前几名",
}


def read_rubric(path: Path) -> Rubric | None:
    """A rubric file as its model, or None when it is missing or not a valid rubric (check says why)."""
    if not path.is_file() or path.is_symlink():
        return None
    try:
        return Rubric.model_validate(parse_document(read_regular(path, MAX_BYTES), path.name).data)
    except (FileProblem, YamlProblem, ValidationError, OSError, TypeError, ValueError):
        return None


def rubric_changes(old: Rubric, new: Rubric) -> list[str]:
    """Each difference between two versions of one edition, as a line of Markdown."""
    lines = _fields("", old, new, RUBRIC_FIELDS)
    lines += _keyed("等级", old.levels, new.levels, _level, LEVEL_FIELDS)
    lines += _keyed("类别", old.categories, new.categories, _category, CATEGORY_FIELDS)
    lines += _items(old, new)
    lines += _keyed(
        "事件", old.events, new.events, lambda kind: _event(new if kind in new.events else old, kind), EVENT_FIELDS
    )
    lines += _event_points(old, new)
    lines += _keyed("等次", old.grades, new.grades, _grade, GRADE_FIELDS)
    lines += _fields("年度规则：", old.annual, new.annual, ANNUAL_FIELDS)
    lines += _keyed("荣誉", old.honors, new.honors, _honor, HONOR_FIELDS)
    lines += _fields("处理措施：", old.sanctions, new.sanctions, SANCTION_FIELDS)
    if old.rewards is None or new.rewards is None:
        if old.rewards != new.rewards:
            lines.append(f"物质奖励 {_show(old.rewards)} → {_show(new.rewards)}")
    else:
        lines += _fields("物质奖励：", old.rewards, new.rewards, REWARD_FIELDS)
    for scale in sorted(set(old.scales) | set(new.scales)):
        before, after = old.scales.get(scale), new.scales.get(scale)
        if before != after:
            lines.append(f"档次表 {escape(scale)}：{_show(before)} → {_show(after)}")
    added = [change for change in new.changes if change not in old.changes]
    lines += [f"修订说明新增：{escape(change)}" for change in added]
    return lines


def rubric_outline(rubric: Rubric) -> str:
    """One line about a whole edition (when it is added or removed)."""
    return (
        f"{escape(rubric.title)}（版本 {escape(rubric.version)}，自 {rubric.effective_from} 起适用）："
        f"{len(rubric.categories)} 个类别、{len(rubric.items)} 个项目、{len(rubric.events)} 类事件，"
        f"每月加分上限 {_number(rubric.bonus_cap)}"
    )


# --- matching entries by id ---------------------------------------------------------------


def _keyed(
    what: str,
    old: Sequence[M],
    new: Sequence[M],
    describe: Callable[[M], str],
    labels: dict[str, str],
) -> list[str]:
    before = {entry.id: entry for entry in old}  # type: ignore[attr-defined]
    after = {entry.id: entry for entry in new}  # type: ignore[attr-defined]
    lines = [f"新增{what}{describe(entry)}" for key, entry in after.items() if key not in before]
    lines += [f"删除{what}{describe(entry)}" for key, entry in before.items() if key not in after]
    for key, entry in after.items():
        if key in before:
            lines += _fields(f"{what}{_name(entry)}：", before[key], entry, labels)
    return lines


def _items(old: Rubric, new: Rubric) -> list[str]:
    lines = _keyed("项目", old.items, new.items, lambda item: _item(item, new.category_of.get(item.id)), ITEM_FIELDS)
    for item in new.items:
        previous = old.item_by_id.get(item.id)
        if previous is None:
            continue
        moved_from, moved_to = old.category_of[item.id], new.category_of[item.id]
        if moved_from.id != moved_to.id:
            lines.append(f"项目{_name(item)}：所属类别 {_name(moved_from)} → {_name(moved_to)}")
        lines += _terms(item, previous.terms, item.terms)
    return lines


def _event_points(old: Rubric, new: Rubric) -> list[str]:
    """An event's points, a scaled one by its scale's labels (“省级 3 → 4”)."""
    lines = []
    for kind in new.events:
        previous = old.event_by_id.get(kind.id)
        if previous is None or previous.points == kind.points:
            continue
        before, after = _scaled(old, previous), _scaled(new, kind)
        if isinstance(previous.points, dict) and isinstance(kind.points, dict) and set(before) == set(after):
            changed = [f"{label} {before[label]} → {after[label]}" for label in after if before[label] != after[label]]
            lines.append(f"事件{_name(kind)}：分值 {'、'.join(changed)}")
        else:
            lines.append(f"事件{_name(kind)}：分值 {_points(before)} → {_points(after)}")
    return lines


def _points(shown: dict[str, str]) -> str:
    return "、".join(points if label == "" else f"{label} {points}" for label, points in shown.items())


def _scaled(rubric: Rubric, kind: EventKind) -> dict[str, str]:
    """An event's points as shown, by its scale's labels (already escaped)."""
    if not isinstance(kind.points, dict):
        return {"": _number(kind.points)}
    labels = {value.id: value.label for value in rubric.scales.get(kind.by or "", [])}
    return {escape(labels.get(key, key)): _number(points) for key, points in kind.points.items()}


def _terms(item: Item, old: list[Term], new: list[Term]) -> list[str]:
    lines = []
    for index in range(max(len(old), len(new))):
        where = f"项目{_name(item)}的计分公式第 {index + 1} 项"
        if index >= len(old):
            lines.append(f"{where}：新增“{escape(new[index].label)}”（{_number(new[index].points)} 分）")
        elif index >= len(new):
            lines.append(f"{where}：删除“{escape(old[index].label)}”（{_number(old[index].points)} 分）")
        else:
            lines += _fields(f"{where}“{escape(new[index].label)}”：", old[index], new[index], TERM_FIELDS)
    return lines


def _fields(prefix: str, old: BaseModel, new: BaseModel, labels: dict[str, str]) -> list[str]:
    """``prefix`` + each field that differs (every field of the model, labelled ones by their Chinese name)."""
    skipped = {
        "levels",
        "categories",
        "items",
        "events",
        "grades",
        "annual",
        "honors",
        "sanctions",
        "scales",
        "rewards",
    }
    skipped |= {"changes", "terms", "points"} if isinstance(new, EventKind) else {"changes", "terms"}
    names = [*labels, *(name for name in type(new).model_fields if name not in labels and name not in skipped)]
    lines = []
    for name in names:
        before, after = getattr(old, name), getattr(new, name)
        if before != after and isinstance(before, dict) and isinstance(after, dict):
            label = labels.get(name, escape(name))
            lines.append(f"{prefix}{label} {_dict_change(before, after)}")
        elif before != after:
            label = labels.get(name, escape(name))
            lines.append(f"{prefix}{label} {_show(before, name in ENUMS)} → {_show(after, name in ENUMS)}")
    return lines


def _dict_change(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What changed in a table such as an item's metrics: added, removed and changed keys."""
    parts = [f"新增 {escape(key)} {_show(value)}" for key, value in after.items() if key not in before]
    parts += [f"删除 {escape(key)} {_show(value)}" for key, value in before.items() if key not in after]
    parts += [
        f"{escape(key)} {_show(before[key])} → {_show(value)}"
        for key, value in after.items()
        if key in before and before[key] != value
    ]
    return "；".join(parts)


# --- how an entry is named and a value shown ----------------------------------------------------


def _name(entry: Any) -> str:
    label = getattr(entry, "name", None) or getattr(entry, "label", None) or entry.id
    return f"“{escape(label)}”（{escape(entry.id)}）"


def _level(level: Level) -> str:
    return f"{_name(level)}，得分比例 {_number(level.ratio)}"


def _category(category: Category) -> str:
    return f"{_name(category)}，{_number(category.points)} 分"


def _item(item: Item, category: Category | None) -> str:
    within = f"，属于{_name(category)}" if category is not None else ""
    return f"{_name(item)}，{_number(item.points)} 分，{_show(item.method, True)}{within}"


def _event(rubric: Rubric, kind: EventKind) -> str:
    return f"{_name(kind)}，{_show(kind.effect, True)} {_points(_scaled(rubric, kind))}"


def _grade(grade: Grade) -> str:
    return f"{_name(grade)}，最低分 {_number(grade.min)}"


def _honor(honor: Honor) -> str:
    return f"{_name(honor)}，{_show(honor.rule, True)}"


def _number(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _show(data: Any, word: bool = False) -> str:
    if data is None:
        return "无"
    if isinstance(data, bool):
        return "是" if data else "否"
    if isinstance(data, Decimal):
        return _number(data)
    if isinstance(data, str):
        return (WORDS.get(data) if word else None) or escape(data) or "（空）"
    if isinstance(data, BaseModel):
        shown = {key: value for key, value in data.model_dump().items() if value not in (None, [], {}, False)}
        return _show(shown)
    if isinstance(data, dict):
        return "、".join(f"{escape(str(key))} {_show(value)}" for key, value in data.items()) or "无"
    if isinstance(data, (list, tuple)):
        return "、".join(_show(value) for value in data) or "无"
    return escape(str(data))
