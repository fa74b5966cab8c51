"""Months and years as values: parsing ``2026-03`` and ``2026``, stepping, comparing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH.fullmatch(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(text)
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        return f"{self.year}年{self.month}月"

    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def contains(self, day: date) -> bool:
        return day.year == self.year and day.month == self.month

    def first_day(self) -> date:
        return date(self.year, self.month, 1)


@dataclass(frozen=True, order=True)
class Year:
    year: int

    def __str__(self) -> str:
        return f"{self.year:04d}"

    @property
    def label(self) -> str:
        return f"{self.year}年度"

    def months(self) -> list[Month]:
        return [Month(self.year, m) for m in range(1, 13)]

    def contains(self, day: date) -> bool:
        return day.year == self.year


Period = Month | Year


def parse_period(text: str) -> Period:
    """Read ``2026-03`` as a month or ``2026`` as a year; ValueError otherwise."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return Year(int(text))
    return Month.parse(text)


def coerce_month(value: Any) -> Month:
    """Pydantic before-validator: accept ``2026-03`` (a string in YAML)."""
    if isinstance(value, Month):
        return value
    if isinstance(value, str):
        try:
            return Month.parse(value.strip())
        except ValueError:
            pass
    if isinstance(value, date):
        raise ValueError(f"应为年月（如 {value.year}-{value.month:02d}），不要写日")
    raise ValueError(f"应为年月，格式如 2026-03，实际为 “{value}”" if value is not None else "不能为空")


def coerce_period(value: Any) -> Period:
    """Pydantic before-validator for a notice's period: a month or a year."""
    if isinstance(value, (Month, Year)):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return Year(value)
    if isinstance(value, str):
        try:
            return parse_period(value)
        except ValueError:
            pass
    raise ValueError(f"应为年月（如 2026-03）或年份（如 2026），实际为 “{value}”")
