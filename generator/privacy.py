"""Personal data in public text, and masking names without consent.

Public text is searched after normalization (§9), so that a number written in
full-width digits, grouped by spaces, dots, dashes or brackets, or with the
+86 country code is still found:

- each character is NFKC-normalized and every decimal digit becomes an ASCII digit
  (１３８ → 138, ① → 1);
- between two digits, up to three separators are dropped: horizontal spaces (U+3000 and
  NBSP among them), dots (. · ・ 。), dashes (- ‐ ‑ – — － ﹣ and every other Unicode dash),
  brackets ( ) [ ] 【 】, the joiners U+200C/U+200D, and line breaks (Markdown shows a line
  break inside a paragraph as a space);
- a leading 86 or 0086 (+86 once the + is set apart) is dropped when what follows is a phone number.

Each run of digits found so is then a personal number when it is a mobile number
(1[3-9] and 9 digits), a landline with its area code (0, 2–3 digits, 7–8 digits), an ID
number (17 digits and a digit or X; or 15 digits, the old form), or any other run of 16 or
more digits (bank cards have 16–19). A run made only of dates and years (2026-04-08—2026-04-14)
is not one. Eight digits alone are never a phone: dates, amounts and scores stay allowed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from .errors import Problem
from .yamlio import Document

_DASHES = "\\-\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\u301c\u3030"
_SEPARATORS = f"[ \t\n\r\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000.·・•。()\\[\\]【】\u200c\u200d{_DASHES}]"
# Digits with up to three separators between each two; a trailing X closes an ID number.
_RUN = re.compile(rf"[0-9](?:{_SEPARATORS}{{0,3}}[0-9])*[Xx]?")
_OPENING = {"(": ")", "[": "]", "【": "】"}
_GROUP = re.compile(r"[0-9]+")
_DIGIT = re.compile(r"\d")
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")
_MAY_CHANGE = re.compile(r"[^\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[1-9][0-9]{8,10}")  # 0 + a 2–3-digit area code + 7–8 digits
_ID_CARD = re.compile(r"[0-9]{17}[0-9Xx]|[0-9]{15}")

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
    """Like ``personal_numbers``, with the position in ``text`` and the text as written of each."""
    quick = text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)
    if not _DIGIT.search(quick) or (not _NON_ASCII_DIGIT.search(quick) and not _scan(quick)):
        return []  # most texts: nothing found, nothing to map back
    normal, origin = normalize(text)
    found = []
    for what, start, end in _scan(normal):
        first, last = origin[start], origin[end - 1] + 1
        written = text[first:last]
        found.append((f"{what}“{written}”", first, written))
    return found


def _scan(normal: str) -> list[tuple[str, int, int]]:
    """Each personal number in normalized text: what it is, where it starts and ends."""
    found: list[tuple[str, int, int]] = []
    for match in _RUN.finditer(normal):
        if match.end() - match.start() < 10:  # fewer than 10 digits: no personal number
            continue
        run = match.group()
        end = match.end()
        digits = "".join(_GROUP.findall(run))
        if len(digits) < 10:
            continue
        if run[-1] in "Xx":
            if len(digits) == 17:
                digits += "X"
            else:  # an X closes only an ID number
                end -= 1
                run = run[:-1]
        what = _kind(digits, run)
        if what is None:
            continue
        start = match.start()
        if start > 0 and normal[start - 1] in _OPENING and _OPENING[normal[start - 1]] in run:
            start -= 1  # the bracket of (010)1234 5678
        if start > 0 and normal[start - 1] == "+":
            start -= 1  # the + of +86
        found.append((what, start, end))
    return found


def normalize(text: str) -> tuple[str, list[int]]:
    """``text`` in NFKC with ASCII digits, and for each of its characters the index it comes from.

    Characters are normalized one by one (a digit never composes with its neighbours), and only
    those that might change: ASCII and CJK ideographs are kept as they are.
    """
    pieces: list[str] = []
    origin: list[int] = []
    kept = 0
    for match in _MAY_CHANGE.finditer(text):
        index = match.start()
        pieces.append(text[kept:index])
        origin.extend(range(kept, index))
        for piece in unicodedata.normalize("NFKC", match.group()):
            digit = unicodedata.decimal(piece, None)
            pieces.append(str(digit) if digit is not None else piece)
            origin.append(index)
        kept = index + 1
    pieces.append(text[kept:])
    origin.extend(range(kept, len(text)))
    return "".join(pieces), origin


def _kind(number: str, written: str) -> str | None:
    """What a run of digits is if it is a personal number (``written``: the run with its separators)."""
    if len(number) < 10 or _only_dates(written):
        return None
    if _MOBILE.fullmatch(number):
        return "手机号码"
    if _LANDLINE.fullmatch(number):
        return "电话号码"
    for prefix in ("0086", "86"):
        rest = number.removeprefix(prefix)
        if rest != number and _MOBILE.fullmatch(rest):
            return "手机号码"
        if rest != number and rest[:1] != "0" and _LANDLINE.fullmatch("0" + rest):
            return "电话号码"
    if _ID_CARD.fullmatch(number):
        return "身份证号码"
    if len(number) >= 16:
        return "银行卡号" if len(number) <= 19 else "过长的数字（可能含有银行卡号或身份证号）"
    return None


def _only_dates(written: str) -> bool:
    """Whether a run of digits is nothing but dates and years, as 2026-04-08—2026-04-14 or 2024 2025 2026."""
    parts = _GROUP.findall(written)
    index = 0
    while index < len(parts):
        if _is_date(parts[index : index + 3]):
            index += 3
        elif len(parts[index]) == 8 and _is_date([parts[index][:4], parts[index][4:6], parts[index][6:]]):
            index += 1
        elif len(parts[index]) == 4 and _is_year(parts[index]):
            index += 1
        else:
            return False
    return True


def _is_date(parts: Sequence[str]) -> bool:
    if len(parts) != 3 or len(parts[0]) != 4 or not (1 <= len(parts[1]) <= 2 and 1 <= len(parts[2]) <= 2):
        return False
    return _is_year(parts[0]) and 1 <= int(parts[1]) <= 12 and 1 <= int(parts[2]) <= 31


def _is_year(text: str) -> bool:
    return 1900 <= int(text) <= 2099


def public_text_problems(
    doc: Document, loc: tuple[str | int, ...], text: Any, lead: str, advice: str = "，请删除"
) -> list[Problem]:
    """A problem at its line for every personal number in the text at ``loc``: ``lead`` 不能含有 … ``advice``."""
    if not isinstance(text, str):
        return []
    return [
        Problem(doc.path, doc.line_within(loc, position, written), f"{lead}不能含有{found}{advice}")
        for found, position, written in personal_numbers_at(text)
    ]


def mask_name(name: str) -> str:
    """Keep the surname, hide the given name: 张三 → 张*, 欧阳娜娜 → 欧阳*."""
    surname = name[:2] if name.startswith(COMPOUND_SURNAMES) and len(name) > 2 else name[:1]
    return f"{surname}*"
