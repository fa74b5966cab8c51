"""Exact arithmetic: every figure is a Fraction until it is shown.

Shown figures are rounded half-up (四舍五入) to two decimals, the way a
resident with a calculator rounds, never with float or banker's rounding.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

ZERO = Fraction(0)


def exact(value: int | Decimal | Fraction | str) -> Fraction:
    """Turn a number read from YAML (int or Decimal, never float) into a Fraction."""
    if isinstance(value, float):
        raise TypeError("floats are never used for scores")
    return Fraction(value)


def round2(value: Fraction) -> Fraction:
    """Round half-up (away from zero on .5) to two decimals."""
    return _round_ratio(value.numerator, value.denominator)


def _round_ratio(numerator: int, denominator: int) -> Fraction:
    """numerator / denominator (denominator > 0) rounded half-up to two decimals, in integers."""
    magnitude = (abs(numerator) * 200 + denominator) // (2 * denominator)  # floor(|x| × 100 + 1/2)
    return Fraction(magnitude if numerator >= 0 else -magnitude, 100)


def rounded_mean_cents(values: Sequence[int]) -> Fraction:
    """The mean of figures given in hundredths, rounded half-up to two decimals (0 for none)."""
    return _round_ratio(sum(values), 100 * len(values)) if values else ZERO


def rounded_mean(values: Sequence[Fraction]) -> Fraction:
    """The mean rounded half-up to two decimals (0 for no values), added in integers."""
    if not values:
        return ZERO
    total = exact_sum(values)
    return _round_ratio(total.numerator, total.denominator * len(values))


def fmt(value: Fraction) -> str:
    """Show a figure with exactly two decimals; it must already be rounded."""
    if 100 % value.denominator:
        raise ValueError(f"{value} is not rounded to two decimals")
    return fmt_cents(value.numerator * (100 // value.denominator))


def fmt_cents(cents: int) -> str:
    """Hundredths as a figure with two decimals: 1234 → "12.34"."""
    whole, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{whole}.{rest:02d}"


def fmt_plain(value: Fraction) -> str:
    """Show an exact figure as briefly as it allows (4, 0.5, 1/3 ≈ 0.3333)."""
    if value.denominator == 1:
        return str(value.numerator)
    decimal = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(decimal.normalize(), "f")
    if len(text.split(".")[1]) <= 4:
        return text
    return f"{round(decimal, 4)}…"


def integer_keys(values: Sequence[Fraction]) -> list[int]:
    """The same order as ``values`` in integers over a common denominator (sorting Fractions is slow)."""
    common = math.lcm(*{value.denominator for value in values}) if values else 1
    return [value.numerator * (common // value.denominator) for value in values]


def exact_sum(values: Sequence[Fraction]) -> Fraction:
    """The sum, added in integers over a common denominator (one Fraction, not one per addition)."""
    if not values:
        return ZERO
    common = math.lcm(*{value.denominator for value in values})
    return Fraction(sum(value.numerator * (common // value.denominator) for value in values), common)
