"""Typed models of the repository's data files (§2 of the spec).

Unknown fields are refused everywhere. Metrics and events depend on the rubric
in force, so they are checked against it in ``validate`` (``rubric.metrics_model``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    StrictBool,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from .periods import Month, Period, coerce_month, coerce_period

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


def fail(message: str) -> PydanticCustomError:
    """A validation error whose message is a whole sentence, shown as it is."""
    return PydanticCustomError("gridscore", "{message}", {"message": message})


def expect(predicate: str) -> PydanticCustomError:
    """A validation error about the field itself: shown as “field”<predicate>."""
    return PydanticCustomError("gridscore_field", "{message}", {"message": predicate})


def bounded(places: int, maximum: int) -> Any:
    """A Decimal with at most ``places`` decimals and at most ``maximum``: exact arithmetic
    on 1e99999999 would build a number of a hundred million digits and never finish."""

    def check(value: Decimal) -> Decimal:
        sign, digits, exponent = value.as_tuple()
        if isinstance(exponent, int):
            kept = len(digits) - len(bytes(digits).rstrip(b"\0")) if any(digits) else len(digits)
            if exponent + kept < -places:
                raise expect(f"最多保留 {places} 位小数，实际为 {value}")
        if value.copy_abs() > maximum:  # copy_abs: no context, so no overflow on 1e99999999
            raise expect(f"不能超过 {maximum:,}，实际为 {value}")
        return value

    return AfterValidator(check)


def _shown(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"“{value}”"


def _identifier(value: Any) -> str:
    if value is None or value == "":
        raise expect("不能为空")
    if isinstance(value, int) and not isinstance(value, bool):
        raise expect(f'应为编号文字，实际为数字 {value}：纯数字的编号请加引号，如 "{value}"')
    if not isinstance(value, str):
        raise expect(f"应为编号（英文字母、数字、- 或 _），实际为 {_shown(value)}")
    if not _ID.fullmatch(value):
        raise expect(f"只能包含英文字母、数字、-、_ 和 .，且不能有空格，实际为 {_shown(value)}")
    return value


def _text(value: Any) -> str:
    if value is None:
        raise expect("不能为空")
    if not isinstance(value, str):
        raise expect(f"应为文字，实际为 {_shown(value)}（如果是数字或日期，请加引号）")
    if not value.strip():
        raise expect("不能为空")
    return value.strip()


def _month(value: Any) -> Month:
    try:
        return coerce_month(value)
    except ValueError as error:
        raise expect(str(error)) from None


def _period(value: Any) -> Period:
    try:
        return coerce_period(value)
    except ValueError as error:
        raise expect(str(error)) from None


def _day(value: Any) -> date:
    if value is None:
        raise expect("未填写，格式如 2026-04-02")
    if isinstance(value, datetime):
        raise expect(f"只写日期（如 {value.date()}），不要写时间")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}.*", value.strip()):
            raise expect(f"只写日期（如 {value.strip()[:10]}），不要写时间")
    raise expect(f"应为日期，格式如 2026-04-02，实际为 {_shown(value)}")


def _score(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise expect(f"应为 0–100 的数字，实际为 {_shown(value)}")
    number = Decimal(value)
    if not Decimal(0) <= number <= Decimal(100):
        raise expect(f"应在 0 到 100 之间，实际为 {value}")
    if number != number.quantize(Decimal("0.01")):
        raise expect(f"最多保留两位小数，实际为 {value}")
    return number


Id = Annotated[str, PlainValidator(_identifier), WithJsonSchema({"type": "string", "pattern": _ID.pattern})]
Text = Annotated[str, PlainValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
MonthField = Annotated[
    Month, PlainValidator(_month), WithJsonSchema({"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"})
]
PeriodField = Annotated[
    Period,
    PlainValidator(_period),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}, {"type": "integer"}]}),
]
Day = Annotated[date, PlainValidator(_day), WithJsonSchema({"type": "string", "format": "date"})]
Score = Annotated[Decimal, PlainValidator(_score), WithJsonSchema({"type": "number", "minimum": 0, "maximum": 100})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- organization.yaml ------------------------------------------------------


class Unit(Strict):
    name: Text = Field(title="考评单位全称")
    short: Text = Field(title="简称")
    leading_group: Text = Field(title="领导小组（通报落款）")


class Grid(Strict):
    id: Id = Field(title="网格编号")
    name: Text = Field(title="网格名称")


class Community(Strict):
    id: Id = Field(title="社区编号")
    name: Text = Field(title="社区名称")
    grids: list[Grid] = Field(default_factory=list, title="网格")


ROLE_LABELS = {"full_time": "专职", "part_time": "兼职"}


def _role(value: Any) -> str:
    by_label = {label: key for key, label in ROLE_LABELS.items()}
    if value in ROLE_LABELS:
        return value
    if value in by_label:
        return by_label[value]
    raise expect(f"应为 full_time（专职）或 part_time（兼职），实际为 {_shown(value)}")


Role = Annotated[str, PlainValidator(_role), WithJsonSchema({"enum": [*ROLE_LABELS, *ROLE_LABELS.values()]})]


class Worker(Strict):
    id: Id = Field(title="网格员编号")
    name: Text = Field(title="姓名")
    community: Id = Field(title="所属社区编号")
    grid: Id = Field(title="所属网格编号")
    role: Role = Field(title="岗位类型", description="full_time 专职 | part_time 兼职")
    joined: MonthField = Field(title="首个考评月", description="格式 2024-01")
    left: MonthField | None = Field(default=None, title="最后一个考评月", description="仍在岗写 null")
    publish_name: StrictBool = Field(
        default=False,
        title="同意公开全名",
        description="本人单独同意公开全名（个人信息保护法第二十五条）；false 时公开页面显示为“张*”",
    )

    def active_in(self, month: Month) -> bool:
        return self.joined <= month and (self.left is None or month <= self.left)


def _communities(value: Any) -> str | list[str]:
    if value == "all":
        return "all"
    if isinstance(value, list) and all(isinstance(item, str) and _ID.fullmatch(item) for item in value):
        return value
    raise expect(f"应为 all（全部社区）或社区编号列表，如 [dongfeng-1, chaoyang]，实际为 {_shown(value)}")


Communities = Annotated[
    Literal["all"] | list[str],
    PlainValidator(_communities),
    WithJsonSchema({"anyOf": [{"const": "all"}, {"type": "array", "items": {"type": "string"}}]}),
]


class Assessor(Strict):
    id: Id = Field(title="考评人编号")
    name: Text = Field(title="姓名")
    org: Text = Field(title="所在单位", description="如 综治办、派出所")
    communities: Communities = Field(title="可考评的社区", description="all 或社区编号列表")
    worker: Id | None = Field(default=None, title="本人的网格员编号（若本人也是网格员）")
    git_account: str | None = Field(default=None, title="代码托管平台账号（生成 CODEOWNERS 用）")

    def may_assess(self, community: str) -> bool:
        return self.communities == "all" or community in self.communities


class Organization(Strict):
    unit: Unit = Field(title="考评单位")
    communities: list[Community] = Field(title="社区")
    workers: list[Worker] = Field(title="网格员")
    assessors: list[Assessor] = Field(title="考评人")


# --- monthly records ----------------------------------------------------------


class Event(BaseModel):
    """An event's common fields; fields that depend on its kind are checked against the rubric."""

    model_config = ConfigDict(extra="allow", frozen=True)

    kind: Id = Field(title="事件类型", description="考评标准事件目录中的编号")
    date: Day = Field(title="日期", description="须在考评月内")
    summary: Text = Field(title="事迹摘要（公开）", description="会公开发布，不得含电话、身份证号、银行卡号")
    evidence: Text | None = Field(default=None, title="佐证材料（内部）")
    amount_yuan: Annotated[Decimal, bounded(2, 10**12)] | None = Field(default=None, title="涉及金额（元）")


def _events(value: Any) -> Any:
    return [] if value is None else value  # an empty "events:" means none


class MonthlyRecord(Strict):
    worker: Id = Field(title="网格员编号")
    period: MonthField = Field(title="考评月份", description="须与所在文件夹一致")
    assessed_by: Id = Field(title="考评人编号")
    assessed_on: Day = Field(title="考评日期")
    metrics: dict[str, Any] = Field(title="考评指标")
    events: Annotated[list[Event], BeforeValidator(_events)] = Field(default_factory=list, title="扣分与加分事件")
    notes: Text | None = Field(default=None, title="内部备注")


class AnnualReview(Strict):
    worker: Id = Field(title="网格员编号")
    year: int = Field(title="年度", ge=2000, le=2999)
    review_score: Score = Field(title="年度综合评议得分", description="群众评议、实地走访、台账检查，0–100")
    assessed_by: Id = Field(title="考评人编号")
    assessed_on: Day = Field(title="评议日期")


# --- notices ------------------------------------------------------------------

NOTICE_KINDS = {
    "commendation": "通报表扬",
    "publicity": "公示",
    "correction": "更正",
    "criticism": "通报批评",
}


class PublicityWindow(Strict):
    start: Day = Field(title="公示开始日期")
    end: Day = Field(title="公示结束日期")
    contact: Text = Field(title="异议受理渠道")


def _notice_kind(value: Any) -> str:
    by_label = {label: key for key, label in NOTICE_KINDS.items()}
    if isinstance(value, str) and value in NOTICE_KINDS:
        return value
    if isinstance(value, str) and value in by_label:
        return by_label[value]
    choices = "、".join(f"{key}（{label}）" for key, label in NOTICE_KINDS.items())
    raise expect(f"应为以下之一：{choices}，实际为 {_shown(value)}")


NoticeKind = Annotated[
    str, PlainValidator(_notice_kind), WithJsonSchema({"enum": [*NOTICE_KINDS, *NOTICE_KINDS.values()]})
]


class Notice(Strict):
    kind: NoticeKind = Field(
        title="公告类型",
        description="commendation 通报表扬 | publicity 公示 | correction 更正 | criticism 通报批评（内部）",
    )
    number: Text = Field(title="发文字号", description="如 东风反诈〔2026〕3号")
    title: Text = Field(title="标题")
    period: PeriodField = Field(title="所涉考评期", description="月份 2026-03 或年度 2026")
    date: Day = Field(title="发文日期")
    issued_by: Text = Field(title="落款单位")
    publicity: PublicityWindow | None = Field(default=None, title="公示期与异议渠道（公示必填）")
    body: Text = Field(title="正文", description="Markdown，不得含 HTML")


# --- seals (written by gridscore seal) --------------------------------------------


class SealedResult(Strict):
    worker: Id
    total: str
    grade: str
    rank: int
    community_rank: int | None = None
    monthly_mean: str | None = None
    review_score: str | None = None
    honors: list[str] = Field(default_factory=list)


class Change(Strict):
    worker: Id
    field: str
    old: str | int | None
    new: str | int | None


class SealCorrection(Strict):
    notice: Text = Field(title="更正公告（文件名，不含 .yaml）")
    sealed_on: Day
    changes: list[Change]


class Seal(Strict):
    period: PeriodField
    rubric: Text
    sealed_on: Day
    results: list[SealedResult]
    corrections: list[SealCorrection] = Field(default_factory=list)

    def current(self) -> dict[str, dict[str, Any]]:
        """The figures as they stand now: the original results with every correction applied."""
        values = {r.worker: r.model_dump(exclude={"worker"}) for r in self.results}
        for correction in self.corrections:
            for change in correction.changes:
                if change.field == "record":
                    if change.new is None:
                        values.pop(change.worker, None)
                    else:
                        values.setdefault(change.worker, {})
                    continue
                values.setdefault(change.worker, {})[change.field] = decode_change(change.field, change.new)
        return values


def decode_change(field: str, value: Any) -> Any:
    """A correction stores honors as one text (优秀网格员、反诈能手); the seal keeps a list."""
    if field == "honors":
        return [part for part in str(value or "").split("、") if part]
    return value
