"""Typed models of the repository's data files (§2 of the spec).

Unknown fields are refused everywhere. Metrics and events depend on the rubric
in force, so they are checked against it in ``validate`` (``rubric.metrics_model``).

The repository is untrusted input (§9), so every identifier and every text is bounded:

- identifiers (worker, community, grid, assessor, event kind, every id in a rubric, the rubric
  ``version``, notice and seal file stems) match ``[A-Za-z0-9][A-Za-z0-9._-]{0,63}``;
- ``Name`` ≤ 32 characters: names of the unit, communities, grids, workers, assessors and their
  org, the document number of a notice, and every name or label in a rubric;
- ``Title`` ≤ 100: a notice's title, its issuer (joint issuers fit) and its objection contact,
  a rubric's title;
- ``Summary`` ≤ 500: event summaries and evidence, rubric descriptions, basis and changes, an objection's
  summary and reply (§9 bounds them so, on one line: they are shown inline in a notice's 公示结果);
- ``Note`` ≤ 2,000: a record's internal notes;
- ``Body`` ≤ 20,000: a notice body, the only text that may span lines (``\r\n`` becomes ``\n``).

No text holds a control character, a line break (bodies: other than ``\n``), a bidi control
(U+202A–U+202E, U+2066–U+2069, U+200E/F, U+061C: they make a PR review show text in another
order than it has) or another invisible format character (U+200B, U+FEFF, …). Lengths count
characters after surrounding spaces are stripped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .periods import Month, Period, coerce_month, coerce_period

ID_MAX = 64
_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9_.-]{{0,{ID_MAX - 1}}}")
_ID_CHARS = re.compile(r"[A-Za-z0-9_.-]+")

NAME_MAX, TITLE_MAX, SUMMARY_MAX, NOTE_MAX, BODY_MAX = 32, 100, 500, 2000, 20000

# Line breaks YAML or Unicode know, then every other control or invisible format character.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Unicode's format characters (category Cf) but the joiners U+200C/U+200D of emoji and some scripts.
_FORMAT = (
    "\u00ad\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u2060-\u2064\u206a-\u206f"
    "\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}{_FORMAT}\u2028\u2029]")
_UNSAFE_IN_BODY = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff{_BIDI}{_FORMAT}\u2028\u2029]")
_IS_BIDI = re.compile(f"[{_BIDI}]")
_HIDDEN = re.compile(f"[\ud800-\udfff{_BIDI}{_FORMAT}]")
# For JSON Schema (editors): the same characters, refused in a pattern.
_SCHEMA_SINGLE_LINE = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$"
_SCHEMA_BODY = "^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]*$"


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
    """A wrong value quoted in a message: short, and with nothing in it that hides or reorders text."""
    if value is None:
        return "空值"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = visible(str(value))
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"


def visible(text: str) -> str:
    """``text`` with bidi controls and invisible format characters spelt out (\\u202e), for a message.

    Line breaks and other control characters are left to ``errors.one_line``, which every problem goes through.
    """
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _identifier(value: Any) -> str:
    if value is None or value == "":
        raise expect("不能为空")
    if isinstance(value, int) and not isinstance(value, bool):
        raise expect(f'应为编号文字，实际为数字 {value}：纯数字的编号请加引号，如 "{value}"')
    if not isinstance(value, str):
        raise expect(f"应为编号（英文字母、数字、- 或 _），实际为 {_shown(value)}")
    return identifier_problem(value)


def identifier_problem(value: str) -> str:
    """``value`` if it is a valid identifier, else raise the error that says why."""
    if _ID.fullmatch(value):
        return value
    if not _ID_CHARS.fullmatch(value):
        raise expect(f"只能包含英文字母、数字、-、_ 和 .，且不能有空格，实际为 {_shown(value)}")
    if len(value) > ID_MAX:
        raise expect(f"不能超过 {ID_MAX} 个字符，实际为 {len(value)} 个字符")
    raise expect(f"须以英文字母或数字开头，实际为 {_shown(value)}")


def _text(value: Any) -> str:
    if value is None:
        raise expect("不能为空")
    if not isinstance(value, str):
        raise expect(f"应为文字，实际为 {_shown(value)}（如果是数字或日期，请加引号）")
    if not value.strip():
        raise expect("不能为空")
    return value.strip()


def describe_character(char: str) -> str:
    """Name a character that may not be in a text, for a message."""
    code = f"U+{ord(char):04X}"
    if char == "\n":
        return "换行"
    if char == "\r":
        return "回车符 \\r"
    if char == "\t":
        return "制表符 Tab"
    if char in ("\u2028", "\u2029", "\x85"):
        return f"换行符 {code}"
    if _IS_BIDI.fullmatch(char):
        return f"文字方向控制符 {code}，它会让文字显示的顺序与实际不同"
    if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
        return f"控制字符 {code}"
    return f"不可见的格式字符 {code}"


def _hint(char: str) -> str:
    if char in _LINE_BREAKS:
        return "请写成一行"
    return "请改用空格" if char == "\t" else "请删除这个字符"


def text_check(limit: int, *, multiline: bool = False) -> Callable[[Any], str]:
    """Check a text of at most ``limit`` characters with nothing that breaks a line or hides (see the module)."""

    def check(value: Any) -> str:
        text = _text(value)
        if multiline:
            text = text.replace("\r\n", "\n")
        if len(text) > limit:
            raise expect(f"不能超过 {limit} 个字符，实际为 {len(text)} 个字符")
        found = (_UNSAFE_IN_BODY if multiline else _UNSAFE).search(text)
        if found is not None:
            char = found.group()
            if multiline:
                line = text.count("\n", 0, found.start()) + 1
                column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
                hint = "请改用普通的换行" if char in _LINE_BREAKS else _hint(char)
                raise expect(f"不能含有控制字符（第 {line} 行第 {column} 个字符是{describe_character(char)}），{hint}")
            raise expect(
                f"不能含有换行或控制字符（第 {found.start() + 1} 个字符是{describe_character(char)}），{_hint(char)}"
            )
        return text

    return check


def _text_schema(limit: int, *, multiline: bool = False) -> WithJsonSchema:
    pattern = _SCHEMA_BODY if multiline else _SCHEMA_SINGLE_LINE
    return WithJsonSchema({"type": "string", "minLength": 1, "maxLength": limit, "pattern": pattern})


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


Id = Annotated[str, PlainValidator(_identifier), WithJsonSchema({"type": "string", "pattern": f"^{_ID.pattern}$"})]
Name = Annotated[str, PlainValidator(text_check(NAME_MAX)), _text_schema(NAME_MAX)]
Title = Annotated[str, PlainValidator(text_check(TITLE_MAX)), _text_schema(TITLE_MAX)]
Summary = Annotated[str, PlainValidator(text_check(SUMMARY_MAX)), _text_schema(SUMMARY_MAX)]
Note = Annotated[str, PlainValidator(text_check(NOTE_MAX)), _text_schema(NOTE_MAX)]
Body = Annotated[str, PlainValidator(text_check(BODY_MAX, multiline=True)), _text_schema(BODY_MAX, multiline=True)]
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


def _version(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise expect(f'应为版本号文字，如 "2026"，实际为 {_shown(value)}')
    return identifier_problem(value.strip())


# A rubric's version names its pages and folders: an identifier (a number is taken as its text).
Version = Annotated[str, PlainValidator(_version), WithJsonSchema({"type": ["string", "integer"]})]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- organization.yaml ------------------------------------------------------


class SiteIdentity(Strict):
    """The footer of every page (《政府网站发展指引》): every line optional, an absent one is not shown."""

    host: Title | None = Field(default=None, title="主办单位")
    contact: Title | None = Field(default=None, title="联系方式", description="如 东风街道综治中心 0000-0000000")
    icp: Name | None = Field(default=None, title="ICP备案号", description="如 京ICP备00000000号")
    police_record: Name | None = Field(
        default=None, title="公安机关备案号", description="如 京公网安备00000000000000号"
    )
    site_code: Name | None = Field(default=None, title="政府网站标识码", description='纯数字请加引号，如 "0000000000"')


class Unit(Strict):
    name: Name = Field(title="考评单位全称")
    short: Name = Field(title="简称")
    leading_group: Name = Field(title="领导小组（通报落款）")
    site: SiteIdentity | None = Field(default=None, title="网站页脚（主办单位、联系方式、备案号，均可不填）")


class Grid(Strict):
    id: Id = Field(title="网格编号")
    name: Name = Field(title="网格名称")


class Community(Strict):
    id: Id = Field(title="社区编号")
    name: Name = Field(title="社区名称")
    grids: list[Grid] = Field(default_factory=list, title="网格")


ROLE_LABELS = {"full_time": "专职", "part_time": "兼职"}


def _role(value: Any) -> str:
    by_label = {label: key for key, label in ROLE_LABELS.items()}
    if not isinstance(value, str):
        raise expect(f"应为 full_time（专职）或 part_time（兼职），实际为 {_shown(value)}")
    if value in ROLE_LABELS:
        return value
    if value in by_label:
        return by_label[value]
    raise expect(f"应为 full_time（专职）或 part_time（兼职），实际为 {_shown(value)}")


Role = Annotated[str, PlainValidator(_role), WithJsonSchema({"enum": [*ROLE_LABELS, *ROLE_LABELS.values()]})]


class Worker(Strict):
    id: Id = Field(title="网格员编号")
    name: Name = Field(title="姓名")
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


# A GitHub user (letters, digits, single hyphens, ≤ 39) or org/team, or a GitLab user, group or
# group/subgroup path (letters, digits, _ . -; not starting with - or ., not ending with .), with or
# without a leading @: each part starts with a letter, digit or _, and the whole is at most 255 characters.
GIT_ACCOUNT_MAX = 255
_ACCOUNT_PART = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?"
GIT_ACCOUNT = re.compile(rf"@?{_ACCOUNT_PART}(?:/{_ACCOUNT_PART}){{0,19}}")


def valid_git_account(value: str) -> bool:
    """Whether ``value`` is a user or group name CODEOWNERS can hold as it is (see ``GIT_ACCOUNT``)."""
    return (
        len(value) <= GIT_ACCOUNT_MAX
        and GIT_ACCOUNT.fullmatch(value) is not None
        and not any(part.endswith((".git", ".atom")) for part in value.split("/"))
    )


def _git_account(value: Any) -> str | None:
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else None
    if not text or not valid_git_account(text):
        raise expect(
            "应为 GitHub 或 GitLab 的用户名或群组路径，如 li-si、@li-si 或 @dongfeng/zongzhi"
            f"（只用英文字母、数字、-、_ 和 .，群组之间用 /，不含空格或换行），实际为 {_shown(value)}"
        )
    return text


GitAccount = Annotated[
    str | None,
    PlainValidator(_git_account),
    WithJsonSchema({"type": ["string", "null"], "pattern": f"^{GIT_ACCOUNT.pattern}$", "maxLength": GIT_ACCOUNT_MAX}),
]


class Assessor(Strict):
    id: Id = Field(title="考评人编号")
    name: Name = Field(title="姓名")
    org: Name = Field(title="所在单位", description="如 综治办、派出所")
    communities: Communities = Field(title="可考评的社区", description="all 或社区编号列表")
    worker: Id | None = Field(default=None, title="本人的网格员编号（若本人也是网格员）")
    git_account: GitAccount = Field(
        default=None,
        title="代码托管平台账号（生成 CODEOWNERS 用）",
        description="GitHub 或 GitLab 的用户名或群组路径，如 li-si、@li-si、@dongfeng/zongzhi",
    )

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
    summary: Summary = Field(
        title="事迹摘要（公开）", description="会公开发布，不得含电话、身份证号、银行卡号；一行，最多 500 字"
    )
    evidence: Summary | None = Field(default=None, title="佐证材料（内部）", description="一行，最多 500 字")
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
    notes: Note | None = Field(default=None, title="内部备注", description="一行，最多 2000 字")


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
    contact: Title = Field(title="异议受理渠道")


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


# A notice's file stem: its date, then a short slug (2026-01-12-publicity-2025); the folder of its objections.
NOTICE_STEM = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)")


class Notice(Strict):
    kind: NoticeKind = Field(
        title="公告类型",
        description="commendation 通报表扬 | publicity 公示 | correction 更正 | criticism 通报批评（内部）",
    )
    number: Name = Field(title="发文字号", description="如 东风反诈〔2026〕3号")
    title: Title = Field(title="标题", description="最多 100 字")
    period: PeriodField = Field(title="所涉考评期", description="月份 2026-03 或年度 2026")
    date: Day = Field(title="发文日期")
    issued_by: Title = Field(title="落款单位")
    publicity: PublicityWindow | None = Field(default=None, title="公示期与异议渠道（公示必填）")
    workers: list[Id] | None = Field(
        default=None,
        title="更正范围（更正必填）",
        description="更正公告可以改变其封存结果和记录的网格员编号，如 [wg-0103]；只有这些人的结果可以更正",
    )
    body: Body = Field(title="正文", description="Markdown，不得含 HTML；最多 20000 字")


# --- objections to a publicity notice (records/objections/<notice stem>/<n>.yaml) --------

CHANNELS = {"phone": "来电", "letter": "来信", "visit": "来访", "online": "网上"}
OUTCOMES = {"upheld": "属实", "partly": "部分属实", "rejected": "不属实", "pending": "核实中"}
PENDING = "pending"


def _choice(labels: dict[str, str]) -> Callable[[Any], str]:
    """An id from ``labels``, written as the id or as its Chinese label (like notice kinds)."""
    by_label = {label: key for key, label in labels.items()}
    choices = "、".join(f"{key}（{label}）" for key, label in labels.items())

    def check(value: Any) -> str:
        if isinstance(value, str) and value.strip() in labels:
            return value.strip()
        if isinstance(value, str) and value.strip() in by_label:
            return by_label[value.strip()]
        raise expect(f"应为以下之一：{choices}，实际为 {_shown(value)}")

    return check


Channel = Annotated[str, PlainValidator(_choice(CHANNELS)), WithJsonSchema({"enum": [*CHANNELS, *CHANNELS.values()]})]
Outcome = Annotated[str, PlainValidator(_choice(OUTCOMES)), WithJsonSchema({"enum": [*OUTCOMES, *OUTCOMES.values()]})]


# One objection received during a 公示 and what its verification found (§2). While ``outcome`` is
# ``pending`` there is no reply and no ``resolved_on`` yet; once verified, both are required (the
# reply is published with the summary). Summary and reply are ``Summary`` texts: §9 bounds them to
# 500 characters on one line, and the notice page shows them inline, in a list item.
class FollowUp(Strict):
    """That one sanction measure (约谈, 培训, a review) was carried out: records/followups/<period>/<worker>.yaml."""

    measure: Name = Field(
        title="处理措施",
        description="考评标准 sanctions 为该期列出的措施名称，如 约谈提醒、业务培训、岗位调整审查",
    )
    done_on: Day = Field(title="落实日期", description="不早于该考评期开始，不能晚于今天")
    by: Id = Field(title="经办人（考评人编号）", description="organization.yaml 中 assessors 的编号")
    note: Note | None = Field(default=None, title="备注（内部）", description="只在内部版本中显示；一行")


class Objection(Strict):
    notice: Id = Field(title="所涉公示（公示文件名，不含 .yaml）", description="须与所在文件夹名一致")
    received_on: Day = Field(title="收到日期", description="须在公示期内，不能晚于今天")
    channel: Channel = Field(title="收到渠道", description="phone 来电 | letter 来信 | visit 来访 | online 网上")
    summary: Summary = Field(
        title="异议内容摘要（公开）",
        description="会公开发布：只写异议的事项，不写异议人的姓名、电话、身份证号、住址等个人信息；一行，最多 500 字",
    )
    outcome: Outcome = Field(
        title="核实结果",
        description="upheld 属实 | partly 部分属实 | rejected 不属实 | pending 核实中（尚未办结）",
    )
    reply: Summary | None = Field(
        default=None,
        validate_default=True,
        title="答复（办结后公开）",
        description="核实办结后必填，随异议摘要一并公开；核实中不填；一行，最多 500 字",
    )
    resolved_on: Day | None = Field(
        default=None,
        validate_default=True,
        title="办结日期",
        description="核实办结后必填，不早于收到日期；核实中不填",
    )

    @field_validator("reply", "resolved_on", mode="after")
    @classmethod
    def _by_outcome(cls, value: Any, info: ValidationInfo) -> Any:
        """A reply and a resolution date exactly when the objection is resolved."""
        outcome = info.data.get("outcome")
        if outcome is None:  # the outcome itself is wrong: already reported
            return value
        what = "答复 reply" if info.field_name == "reply" else "办结日期 resolved_on"
        if outcome == PENDING and value is not None:
            raise fail(
                f"outcome 为 pending（核实中），不能填写{what}：核实办结后，"
                "把 outcome 改为核实结果（upheld 属实、partly 部分属实或 rejected 不属实），再填写 reply 和 resolved_on"
            )
        if outcome != PENDING and value is None:
            raise fail(
                f"outcome 为 {outcome}（{OUTCOMES[outcome]}），须填写{what}"
                f"{'（会随异议摘要一并公开）' if info.field_name == 'reply' else ''}；尚未核实完毕请写 outcome: pending"
            )
        return value


# --- seals (written by gridscore seal) --------------------------------------------


# A seal is written by ``gridscore seal``; a hand-edited one must still hold only what it writes.
_FIGURE = re.compile(r"-?\d{1,5}\.\d{2}")
_BY_SEAL = "（封存文件由 gridscore seal 生成，请勿手工修改）"


def _figure(value: Any) -> str:
    if not isinstance(value, str) or not _FIGURE.fullmatch(value):
        raise expect(f"应为保留两位小数的分数（如 “92.50”），实际为 {_shown(value)}{_BY_SEAL}")
    return value


def _place(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise expect(f"应为从 1 起的名次，实际为 {_shown(value)}{_BY_SEAL}")
    return value


Figure = Annotated[str, PlainValidator(_figure), WithJsonSchema({"type": "string", "pattern": f"^{_FIGURE.pattern}$"})]
Place = Annotated[int, PlainValidator(_place), WithJsonSchema({"type": "integer", "minimum": 1})]
_name = text_check(NAME_MAX)  # for names inside a seal's text


_DIGEST = re.compile(r"[0-9a-f]{64}")


def _digest(value: Any) -> str:
    if not isinstance(value, str) or not _DIGEST.fullmatch(value):
        raise expect(f"应为 64 位十六进制的记录摘要（SHA-256），实际为 {_shown(value)}{_BY_SEAL}")
    return value


def _count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise expect(f"应为不小于 0 的整数，实际为 {_shown(value)}{_BY_SEAL}")
    return value


Digest = Annotated[str, PlainValidator(_digest), WithJsonSchema({"type": "string", "pattern": "^[0-9a-f]{64}$"})]
SEAL_FORMAT = 2


class SealedResult(Strict):
    """One worker's published figures. Format 2 adds the breakdown and the record's digest."""

    worker: Id
    total: Figure
    grade: Name
    rank: Place
    community_rank: Place | None = None
    bonus: Figure | None = None
    deductions: Figure | None = None
    vetoed: StrictBool | None = None
    categories: dict[Id, Figure] | None = None
    items: dict[Id, Figure] | None = None
    months_assessed: Annotated[int, PlainValidator(_count)] | None = None
    monthly_mean: Figure | None = None
    review_score: Figure | None = None
    honors: list[Name] = Field(default_factory=list)
    record: Digest | None = None  # a year's worker without an annual review has none


# What a seal amendment may change: the figures ``gridscore seal`` writes (``seal.figures``), an item
# or category score as ``items.<id>`` / ``categories.<id>``, and "record", the record's digest (old null:
# a record added; new null: removed; a format-1 seal wrote "有" for present).
SEAL_FIELDS = (
    "total",
    "grade",
    "rank",
    "community_rank",
    "bonus",
    "deductions",
    "vetoed",
    "months_assessed",
    "monthly_mean",
    "review_score",
    "honors",
    "record",
)
_NESTED_FIELD = re.compile(rf"(items|categories)\.{_ID.pattern}")


def _seal_field(value: Any) -> str:
    if not isinstance(value, str) or not (value in SEAL_FIELDS or _NESTED_FIELD.fullmatch(value)):
        choices = "、".join(SEAL_FIELDS)
        raise expect(f"应为以下之一：{choices}、items.<细项>、categories.<类别>，实际为 {_shown(value)}{_BY_SEAL}")
    return value


SealField = Annotated[str, PlainValidator(_seal_field), WithJsonSchema({"type": "string"})]


class Change(Strict):
    worker: Id
    field: SealField
    old: str | int | bool | None
    new: str | int | bool | None

    @field_validator("old", "new", mode="plain")
    @classmethod
    def _value(cls, value: Any, info: ValidationInfo) -> str | int | bool | None:
        """The old or new value as ``gridscore seal`` writes it for the field."""
        field = info.data.get("field")
        if value is None or field is None:  # field None: already reported
            return value
        if field in ("total", "monthly_mean", "review_score", "bonus", "deductions") or "." in field:
            return _figure(value)
        if field in ("rank", "community_rank"):
            return _place(value)
        if field == "months_assessed":
            return _count(value)
        if field == "vetoed":
            if not isinstance(value, bool):
                raise expect(f"应为 true 或 false，实际为 {_shown(value)}{_BY_SEAL}")
            return value
        if field == "record":
            return value if value == "有" else _digest(value)
        if not isinstance(value, str):
            raise expect(f"应为文字，实际为 {_shown(value)}{_BY_SEAL}")
        if field == "grade":
            return _name(value)
        for part in value.split("、"):  # honors: names joined by 、, or "" for none
            if part:
                _name(part)
        return value


class SealCorrection(Strict):
    notice: Id = Field(title="更正公告（文件名，不含 .yaml）")
    sealed_on: Day
    changes: list[Change]


class Seal(Strict):
    format: Literal[2] | None = None  # None: written by an earlier gridscore (format 1), refused by check
    period: PeriodField
    rubric: Version
    sealed_on: Day
    results: list[SealedResult]
    corrections: list[SealCorrection] = Field(default_factory=list)

    def original(self) -> dict[str, dict[str, Any]]:
        """The figures as first sealed, per worker, in the shape ``seal.figures`` gives."""
        return {r.worker: r.model_dump(exclude={"worker"}, exclude_none=True) for r in self.results}

    def current(self, upto: int | None = None) -> dict[str, dict[str, Any]]:
        """The figures as they stand now: the original results with every correction (or the first ``upto``) applied."""
        values = self.original()
        for correction in self.corrections[:upto]:
            for change in correction.changes:
                apply_change(values, change)
        return values

    def last_sealed_on(self) -> date:
        """When the seal last changed: its own date or its latest amendment's."""
        return max([self.sealed_on, *(c.sealed_on for c in self.corrections)])


def apply_change(values: dict[str, dict[str, Any]], change: Change) -> None:
    """Apply one recorded change to per-worker figures (``Seal.current``)."""
    if change.field == "record" and change.new is None:
        values.pop(change.worker, None)
        return
    row = values.setdefault(change.worker, {})
    group, _, key = change.field.partition(".")
    if key:
        row.setdefault(group, {})[key] = change.new
    else:
        row[change.field] = decode_change(change.field, change.new)


def decode_change(field: str, value: Any) -> Any:
    """A correction stores honors as one text (优秀网格员、反诈能手); the seal keeps a list."""
    if field == "honors":
        return [part for part in str(value or "").split("、") if part]
    return value
