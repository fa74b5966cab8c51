"""Personal data in public text, and masking names without consent."""

from __future__ import annotations

import re

# Digits may be grouped by spaces or hyphens ("6222 0212 3456 7890 123").
_GROUPED_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d(?:[ -]?\d){10,18}[0-9Xx]?(?![0-9A-Za-z])")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_ID_CARD = re.compile(r"^(\d{17}[\dXx]|\d{15})$")
_BANK_CARD = re.compile(r"^\d{16,19}$")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")

COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "轩辕",
    "令狐",
    "端木",
    "独孤",
    "南宫",
    "西门",
    "澹台",
    "呼延",
    "闻人",
    "赫连",
    "万俟",
    "申屠",
    "司空",
    "钟离",
    "太史",
    "濮阳",
    "公冶",
)


def personal_numbers(text: str) -> list[str]:
    """Describe each phone, ID-card or bank-card number found in ``text``."""
    return [found for found, _, _ in personal_numbers_at(text)]


def personal_numbers_at(text: str) -> list[tuple[str, int, str]]:
    """Like ``personal_numbers``, with the position and the text of each."""
    found: list[tuple[str, int, str]] = []
    for match in _GROUPED_DIGITS.finditer(text):
        digits = re.sub(r"[ -]", "", match.group())
        if _MOBILE.match(digits):
            found.append((f"手机号码“{match.group()}”", match.start(), match.group()))
        elif _ID_CARD.match(digits):
            found.append((f"身份证号码“{match.group()}”", match.start(), match.group()))
        elif _BANK_CARD.match(digits):
            found.append((f"银行卡号“{match.group()}”", match.start(), match.group()))
    for match in _LANDLINE.finditer(text):
        found.append((f"电话号码“{match.group()}”", match.start(), match.group()))
    return sorted(found, key=lambda item: item[1])


def mask_name(name: str) -> str:
    """Keep the surname, hide the given name: 张三 → 张*, 欧阳娜娜 → 欧阳*."""
    surname = name[:2] if name.startswith(COMPOUND_SURNAMES) and len(name) > 2 else name[:1]
    return f"{surname}*"
