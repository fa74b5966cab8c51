"""The rubric as typed data: categories, items, the event catalog and the rules.

Scoring methods form a small closed set, so a rubric edit never needs Python:
an item is either a ``level`` table or a sum of ``terms``, each term a
``ratio`` of two counts (optionally capped at 1) or a ``count`` worth some
points apiece up to a maximum.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, StrictBool, StrictInt, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from .errors import Problem
from .messages import show
from .models import Id, MonthField, Name, Summary, Title, Version, bounded, expect, fail, identifier_problem
from .privacy import public_text_problems
from .yamlio import Document

Points = Annotated[Decimal, Field(ge=0), bounded(4, 1000)]


def _metric_ref(value: Any) -> str:
    """``item.metric``: two identifiers; whether they exist is checked with the rubric (``_check_reference``)."""
    if isinstance(value, str) and value.count(".") >= 1:
        item, _, metric = value.partition(".")
        if _is_id(item) and _is_id(metric):
            return value
    raise expect(f"应写成 项目.指标，如 warning_response.dissuaded，实际为 {show(value)}")


def _is_id(text: str) -> bool:
    try:
        identifier_problem(text)
    except PydanticCustomError:
        return False
    return True


MetricRef = Annotated[str, PlainValidator(_metric_ref), WithJsonSchema({"type": "string"})]
Share = Annotated[Decimal, bounded(4, 1)]  # a ratio, weight or quota between 0 and 1


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Level(_Model):
    id: Id
    label: Name
    ratio: Share = Field(ge=0, le=1)
    description: Summary | None = None

    @cached_property
    def ratio_exact(self) -> Fraction:
        return Fraction(self.ratio)


class ScaleValue(_Model):
    id: Id
    label: Name


class Term(_Model):
    """One addend of an item: a ratio of two counts, or a capped count."""

    method: Literal["ratio", "count"]
    label: Name
    points: Points
    part: Id | None = None
    whole: Id | None = None
    cap_at_one: bool = False
    count: Id | None = None
    per: Points | None = None

    def fields(self) -> list[str]:
        names = [self.part, self.whole] if self.method == "ratio" else [self.count]
        return [name for name in names if name]

    @cached_property
    def points_exact(self) -> Fraction:
        return Fraction(self.points)

    @cached_property
    def per_exact(self) -> Fraction:
        return Fraction(self.per or 0)


class Item(_Model):
    id: Id
    name: Name
    points: Points
    method: Literal["formula", "level"]
    fields: dict[Id, Name] = Field(default_factory=dict)
    terms: list[Term] = Field(default_factory=list)
    allow_none: bool = True
    description: Summary | None = None

    @cached_property
    def points_exact(self) -> Fraction:
        return Fraction(self.points)

    @cached_property
    def integer_terms(self) -> list[tuple[bool, str, str, bool, int, int, int, int]]:
        """Each term as plain integers for the scoring loop:
        (is_ratio, part or count, whole, cap_at_one, points numerator, points denominator, per n, per d)."""
        found = []
        for term in self.terms:
            points, per = term.points_exact, term.per_exact
            if term.method == "ratio":
                assert term.part is not None and term.whole is not None
                found.append((True, term.part, term.whole, term.cap_at_one, points.numerator, points.denominator, 0, 1))
            else:
                assert term.count is not None
                found.append(
                    (False, term.count, "", False, points.numerator, points.denominator, per.numerator, per.denominator)
                )
        return found


class Category(_Model):
    id: Id
    name: Name
    points: Points
    items: list[Item]


class EventKind(_Model):
    id: Id
    name: Name
    effect: Literal["item_deduction", "total_deduction", "bonus"]
    item: Id | None = None
    points: Points | dict[Id, Points]
    by: Id | None = None
    amount_min: Annotated[Decimal, bounded(2, 10**12)] | None = None
    veto: bool = False
    commendable: bool = False
    criticism: bool = False
    description: Summary | None = None

    @property
    def needs_amount(self) -> bool:
        return self.amount_min is not None

    def points_for(self, parameter: str | None) -> Fraction:
        return self.points_table[parameter or ""] if isinstance(self.points, dict) else self.points_table[""]

    @cached_property
    def points_table(self) -> dict[str, Fraction]:
        if isinstance(self.points, dict):
            return {key: Fraction(value) for key, value in self.points.items()}
        return {"": Fraction(self.points)}


class Grade(_Model):
    id: Id
    name: Name
    min: Points


class TieBreak(_Model):
    category_mean: Id | None = None
    metric_total: MetricRef | None = None


class AnnualRules(_Model):
    monthly_weight: Share = Field(ge=0, le=1)
    review_weight: Share = Field(ge=0, le=1)
    excellent_min_months: StrictInt = Field(ge=0)
    excellent_quota: Share = Field(gt=0, le=1)
    excellent_quota_min: StrictInt = Field(ge=0)
    tie_breaks: list[TieBreak] = Field(default_factory=list)
    review_required: StrictBool = True  # a year is sealed only when every worker assessed has an annual review


class Honor(_Model):
    id: Id
    name: Name
    rule: Literal["annual_excellent", "top_category_mean"]
    category: Id | None = None
    top: StrictInt | None = Field(default=None, ge=1)
    min_months: StrictInt = 0
    min_grade: Id | None = None
    no_veto: bool = False
    metric_total_min: dict[MetricRef, StrictInt] = Field(default_factory=dict)
    description: Summary | None = None


class Streak(_Model):
    length: StrictInt = Field(ge=2)
    measures: list[Name]


class Sanctions(_Model):
    monthly_fail: list[Name]
    monthly_fail_streak: Streak
    annual_fail: list[Name]
    annual_fail_streak: Streak
    veto: list[Name]
    # a measure is due this many days after its period is sealed (the results it follows from are final)
    followup_days: StrictInt = Field(default=30, ge=1, le=366)


# An amount of money: exact, in fen at most, and bounded so that no sum of a county overflows a sheet.
Amount = Annotated[Decimal, Field(ge=0), bounded(2, 10_000_000)]


class Rewards(_Model):
    """What the results pay (§10): by monthly grade, per bonus event, per honor. Every amount is the street's own."""

    currency: Name = "元"
    monthly_by_grade: dict[Id, Amount] = Field(default_factory=dict)  # a grade not listed pays nothing
    veto_forfeits_monthly: StrictBool = True  # a month with a veto event pays no monthly reward
    events: dict[Id, Amount] = Field(default_factory=dict)  # per event of that kind in the month
    honors: dict[Id, Amount] = Field(default_factory=dict)  # once, when the year is sealed

    def monthly_for(self, grade_id: str) -> Decimal:
        return self.monthly_by_grade.get(grade_id, Decimal(0))


class Rubric(_Model):
    version: Version
    title: Title
    effective_from: MonthField
    basis: Summary
    total_points: Points
    bonus_cap: Points
    levels: list[Level]
    scales: dict[Id, list[ScaleValue]] = Field(default_factory=dict)
    categories: list[Category]
    events: list[EventKind]
    grades: list[Grade]
    veto_grade_cap: Id
    annual: AnnualRules
    honors: list[Honor]
    sanctions: Sanctions
    rewards: Rewards | None = None  # None: this edition pays no rewards (the ledger lists sanctions only)
    changes: list[Summary] = Field(default_factory=list)

    # --- lookups -------------------------------------------------------------

    @cached_property
    def bonus_cap_exact(self) -> Fraction:
        return Fraction(self.bonus_cap)

    @cached_property
    def items(self) -> list[Item]:
        return [item for category in self.categories for item in category.items]

    @cached_property
    def item_by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}

    @cached_property
    def category_of(self) -> dict[str, Category]:
        return {item.id: category for category in self.categories for item in category.items}

    @cached_property
    def event_by_id(self) -> dict[str, EventKind]:
        return {kind.id: kind for kind in self.events}

    @cached_property
    def level_by_id(self) -> dict[str, Level]:
        return {level.id: level for level in self.levels}

    @cached_property
    def grade_by_id(self) -> dict[str, Grade]:
        return {grade.id: grade for grade in self.grades}

    @cached_property
    def grade_floors(self) -> list[tuple[Fraction, Grade]]:
        """Grades from the highest down, each with its lower bound as a Fraction."""
        return [(Fraction(g.min), g) for g in sorted(self.grades, key=lambda grade: grade.min, reverse=True)]

    @cached_property
    def level_values(self) -> dict[tuple[str, str], Fraction]:
        """(item id, level id) → the points that level gives that item."""
        return {
            (item.id, level.id): level.ratio_exact * item.points_exact
            for item in self.items
            if item.method == "level"
            for level in self.levels
        }

    def exact_items(self, metrics: dict[str, Any]) -> tuple[tuple[int, int], ...]:
        """Each item's exact value from valid ``metrics``, before deductions: (numerator, denominator), in item order.

        Pure integers (this runs for every item of every record): the loader computes it
        with the file, on every core, and the cache keeps it.
        """
        found = []
        level_values = self.level_values
        for item in self.items:
            value = metrics[item.id]
            if item.method == "level":
                exact_value = level_values[(item.id, value)]
                found.append((exact_value.numerator, exact_value.denominator))
                continue
            numerator, denominator = 0, 1
            for is_ratio, part_name, whole_name, cap_at_one, points_n, points_d, per_n, per_d in item.integer_terms:
                if is_ratio:
                    part, whole = value[part_name], value[whole_name]
                    if whole == 0 or (cap_at_one and part >= whole):  # no task, or over-fulfilled: full points
                        n, d = points_n, points_d
                    else:
                        n, d = points_n * part, points_d * whole
                else:  # per × count, capped at the term's points
                    n, d = per_n * value[part_name], per_d
                    if n * points_d > points_n * d:
                        n, d = points_n, points_d
                if d == denominator:
                    numerator += n
                else:
                    numerator, denominator = numerator * d + n * denominator, denominator * d
            found.append((numerator, denominator))
        return tuple(found)

    @cached_property
    def category_position(self) -> dict[str, int]:
        """Category id → its place in ``categories`` (and in a record score's category cents)."""
        return {category.id: position for position, category in enumerate(self.categories)}

    @cached_property
    def category_item_ids(self) -> list[tuple[str, list[str]]]:
        return [(category.id, [item.id for item in category.items]) for category in self.categories]

    def grade_for(self, total: Fraction, vetoed: bool) -> Grade:
        grade = next(g for floor, g in self.grade_floors if total >= floor)
        cap = self.grade_by_id[self.veto_grade_cap]
        if vetoed and grade.min > cap.min:
            return cap
        return grade

    @property
    def top_grade(self) -> Grade:
        return max(self.grades, key=lambda grade: grade.min)

    @property
    def bottom_grade(self) -> Grade:
        return min(self.grades, key=lambda grade: grade.min)

    def level_value(self, text: str, allow_none: bool) -> str | None:
        """Normalize a level written as an id or a Chinese label; None if not allowed."""
        for level in self.levels:
            if text in (level.id, level.label) and (allow_none or level.id != "none"):
                return level.id
        return None

    def scale_value(self, scale: str, text: Any) -> str | None:
        """Normalize an event parameter (``severity: 严重`` → ``severe``); None if unknown."""
        for value in self.scales.get(scale, []):
            if text in (value.id, value.label):
                return value.id
        return None

    @cached_property
    def metrics_model(self) -> type[BaseModel]:
        """A pydantic model of ``metrics`` for this rubric: counts and levels, nothing else.

        Item ids and count names are the rubric's to choose, so they are aliases of
        neutral field names: an item called ``copy`` or ``model_dump`` must not collide
        with pydantic's own members. Dump with ``by_alias=True``.
        """
        config = ConfigDict(extra="forbid", frozen=True, protected_namespaces=())
        fields: dict[str, Any] = {}
        for index, item in enumerate(self.items):
            if item.method == "level":
                fields[f"item_{index}"] = (
                    Annotated[str, PlainValidator(_level_validator(self, item))],
                    Field(alias=item.id, title=item.name),
                )
            else:
                sub = create_model(  # type: ignore[call-overload]
                    f"Metrics_{index}",
                    __config__=config,
                    **{
                        f"count_{position}": (StrictInt, Field(ge=0, alias=name, title=label))
                        for position, (name, label) in enumerate(item.fields.items())
                    },
                )
                fields[f"item_{index}"] = (sub, Field(alias=item.id, title=item.name))
        return create_model(f"Metrics_{self.version}", __config__=config, **fields)


def _level_validator(rubric: Rubric, item: Item) -> Any:
    def validate(value: Any) -> str:
        choices = "、".join(
            f"{level.id}（{level.label}）" for level in rubric.levels if item.allow_none or level.id != "none"
        )
        if value is None or (isinstance(value, str) and not value.strip()):
            raise fail(f"{item.name}（{item.id}）的等级未填写，可选：{choices}")
        level = rubric.level_value(str(value).strip(), item.allow_none) if isinstance(value, str) else None
        if level is None and rubric.level_value(str(value).strip(), True) == "none":
            typed = f"“{value}”" if value == rubric.level_by_id["none"].label else f"“{value}”（无此项）"
            raise fail(f"{item.name}（{item.id}）每月都须评定等级，不能填{typed}，可选：{choices}")
        if level is None:
            raise fail(f"{item.name}（{item.id}）的等级“{value}”无效，可选：{choices}")
        return level

    return validate


def check_rubric(rubric: Rubric, doc: Document) -> list[Problem]:
    """Everything that must add up in a rubric, each problem at its line."""
    problems: list[Problem] = []

    def at(loc: tuple[str | int, ...], message: str) -> None:
        problems.append(doc.problem(loc, message))

    _unique(at, ("levels",), [level.id for level in rubric.levels], "等级")
    _unique(at, ("categories",), [c.id for c in rubric.categories], "类别")
    _unique(at, ("events",), [kind.id for kind in rubric.events], "事件类型")
    _unique(at, ("grades",), [grade.id for grade in rubric.grades], "等次")
    _unique(at, ("honors",), [honor.id for honor in rubric.honors], "荣誉")
    all_items = [(ci, ii, item) for ci, c in enumerate(rubric.categories) for ii, item in enumerate(c.items)]
    seen_items: dict[str, int] = {}
    for ci, ii, item in all_items:
        if item.id in seen_items or item.id in {c.id for c in rubric.categories}:
            at(("categories", ci, "items", ii, "id"), f"编号“{item.id}”重复")
        seen_items[item.id] = ci

    category_sum = sum((c.points for c in rubric.categories), Decimal(0))
    if category_sum != rubric.total_points:
        at(("total_points",), f"各类别分值之和为 {category_sum}，与总分 {rubric.total_points} 不一致")
    for ci, category in enumerate(rubric.categories):
        item_sum = sum((item.points for item in category.items), Decimal(0))
        if item_sum != category.points:
            at(
                ("categories", ci, "points"),
                f"类别“{category.name}”的分值为 {category.points}，但其各项之和为 {item_sum}",
            )
        for ii, item in enumerate(category.items):
            _check_item(at, ("categories", ci, "items", ii), item)

    if "none" not in rubric.level_by_id:
        at(("levels",), "等级表必须包含 none（无此项任务，计满分）")
    for ei, kind in enumerate(rubric.events):
        _check_event_kind(at, ("events", ei), kind, rubric)

    if not rubric.grades or rubric.bottom_grade.min != 0:
        at(("grades",), "等次必须包含一个最低分为 0 的等次")
    if rubric.veto_grade_cap not in rubric.grade_by_id:
        at(("veto_grade_cap",), f"未知的等次“{rubric.veto_grade_cap}”")
    annual = rubric.annual
    if annual.monthly_weight + annual.review_weight != 1:
        at(("annual", "monthly_weight"), "月度平均分与年度评议的权重之和必须为 1")
    for ti, tie in enumerate(annual.tie_breaks):
        _check_reference(at, ("annual", "tie_breaks", ti), tie.category_mean, tie.metric_total, rubric)
    for hi, honor in enumerate(rubric.honors):
        if honor.rule == "top_category_mean" and (honor.category is None or honor.top is None):
            at(("honors", hi, "rule"), "top_category_mean 规则需要 category 与 top")
        _check_reference(at, ("honors", hi), honor.category, None, rubric)
        for metric in honor.metric_total_min:
            _check_reference(at, ("honors", hi, "metric_total_min"), None, metric, rubric)
        if honor.min_grade is not None and honor.min_grade not in rubric.grade_by_id:
            at(("honors", hi, "min_grade"), f"未知的等次“{honor.min_grade}”")
    if rubric.rewards is not None:
        _check_rewards(at, rubric.rewards, rubric)
    problems.extend(_public_text(doc, doc.data, ()))
    return problems


def _check_rewards(at: Any, rewards: Rewards, rubric: Rubric) -> None:
    """Every reward names a grade, a bonus event or an honor of this edition."""
    for grade in rewards.monthly_by_grade:
        if grade not in rubric.grade_by_id:
            known = "、".join(f"{g.id}（{g.name}）" for g in rubric.grades)
            at(("rewards", "monthly_by_grade", grade), f"未知的等次“{grade}”，本版考评标准的等次：{known}")
    for kind_id in rewards.events:
        kind = rubric.event_by_id.get(kind_id)
        if kind is None:
            bonus = "、".join(k.id for k in rubric.events if k.effect == "bonus")
            at(("rewards", "events", kind_id), f"未知的事件类型“{kind_id}”，本版考评标准的加分事件：{bonus}")
        elif kind.effect != "bonus":
            at(("rewards", "events", kind_id), f"“{kind.name}”是扣分事件：专项奖金只能设给加分事件")
    for honor in rewards.honors:
        if honor not in {h.id for h in rubric.honors}:
            known = "、".join(f"{h.id}（{h.name}）" for h in rubric.honors)
            at(("rewards", "honors", honor), f"未知的荣誉“{honor}”，本版考评标准的荣誉：{known}")


def _public_text(doc: Document, data: Any, loc: tuple[str | int, ...]) -> list[Problem]:
    """The rubric is published (考评标准): no personal number in any of its texts."""
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _public_text(doc, value, (*loc, key))]
    if isinstance(data, list):
        return [p for index, value in enumerate(data) for p in _public_text(doc, value, (*loc, index))]
    named = next((step for step in reversed(loc) if isinstance(step, str)), "")
    return public_text_problems(doc, loc, data, f"{named} 会在考评标准页面公开发布，")


def _unique(at: Any, loc: tuple[str, ...], ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            at((*loc, index, "id"), f"{what}编号“{value}”重复")
        seen.add(value)


def _check_item(at: Any, loc: tuple[str | int, ...], item: Item) -> None:
    if item.method == "level":
        if item.terms or item.fields:
            at((*loc, "terms"), f"等级评定的项目“{item.name}”不能有 terms 或 fields")
        return
    if not item.terms:
        at((*loc, "terms"), f"项目“{item.name}”缺少计分公式 terms")
        return
    term_sum = sum((term.points for term in item.terms), Decimal(0))
    if term_sum != item.points:
        at((*loc, "points"), f"项目“{item.name}”的分值为 {item.points}，但其公式各部分之和为 {term_sum}")
    used: set[str] = set()
    for ti, term in enumerate(item.terms):
        if term.method == "ratio" and (term.part is None or term.whole is None):
            at((*loc, "terms", ti), "ratio 计分需要 part 与 whole")
        if term.method == "count" and (term.count is None or term.per is None):
            at((*loc, "terms", ti), "count 计分需要 count 与 per")
        for name in term.fields():
            used.add(name)
            if name not in item.fields:
                at((*loc, "terms", ti), f"公式用到的指标“{name}”没有在 fields 中定义")
    for name in item.fields:
        if name not in used:
            at((*loc, "fields", name), f"指标“{name}”没有被任何公式使用")


def _check_event_kind(at: Any, loc: tuple[str | int, ...], kind: EventKind, rubric: Rubric) -> None:
    if kind.effect == "item_deduction" and kind.item not in rubric.item_by_id:
        at((*loc, "item"), f"事件“{kind.name}”扣分的项目“{kind.item}”不存在")
    if kind.effect != "item_deduction" and kind.item is not None:
        at((*loc, "item"), "只有 item_deduction 事件才能指定 item")
    if isinstance(kind.points, dict):
        if kind.by not in rubric.scales:
            at((*loc, "by"), f"事件“{kind.name}”按档次计分，需要 by 指向 scales 中的一个档次表")
        else:
            expected = {value.id for value in rubric.scales[kind.by]}
            if set(kind.points) != expected:
                at((*loc, "points"), f"事件“{kind.name}”的分值必须覆盖档次 {'、'.join(sorted(expected))}")
    elif kind.by is not None:
        at((*loc, "by"), "分值固定的事件不能指定 by")
    if kind.by in ("kind", "date", "summary", "evidence", "amount_yuan"):
        at((*loc, "by"), f"档次字段不能叫“{kind.by}”")


def _check_reference(
    at: Any, loc: tuple[str | int, ...], category: str | None, metric: str | None, rubric: Rubric
) -> None:
    if category is not None and category not in {c.id for c in rubric.categories}:
        at(loc, f"未知的类别“{category}”")
    if metric is not None:
        item_id, _, field = metric.partition(".")
        item = rubric.item_by_id.get(item_id)
        if item is None or field not in item.fields:
            at(loc, f"未知的指标“{metric}”，应写成 项目.指标，如 warning_response.dissuaded")
