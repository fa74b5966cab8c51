"""A worker's monthly trend as an inline SVG line chart: no script, no library.

Drawn for a phone: the chart is 360 units wide and its text is sized in those units, so it is
as large on a 360 px screen as the page's own small print; gridscore.css caps the chart's width
on a wide screen, where it would otherwise grow past the text around it. Paint and sizes are
classes in gridscore.css (a county has 3,000 worker pages: every repeated attribute counts).
Every figure and name of the grade bands comes from the rubric; every data string is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from .numbers import fmt, fmt_plain
from .rubric import Grade, Rubric

WIDTH, HEIGHT = 360, 240
LEFT = 30  # the plot's left edge: room for the axis figures ("100")
EDGE = 24  # the least room right of the plot: half a month label ("2026年")
TOP, BOTTOM = 28, 198  # under the legend, above the month and year labels
FONT = 13  # gridscore.css `.gs-trend text` (user units); a Chinese glyph is FONT wide, a digit about 0.6 of it
LINE = 20  # a line of text, top to bottom (Chromium's box of a 13-unit CJK font is 19.3)
LABEL_GAP = 32  # the least distance of two month labels ("12月" is about 29 units wide)
YEAR_GAP = 46  # and of two year labels ("2025年" is about 41)
INSET = 16  # the first and the last point from the plot's edges: half a value label
VALUE_GAP = 40  # the least distance of two points for every point to carry its value ("87.23" is about 35 wide)


@dataclass(frozen=True)
class TrendPoint:
    month: str  # "2026-03"
    total: Fraction
    provisional: bool = False
    mean: Fraction | None = None  # the unit's mean total that month (rounded to two decimals)


def _n(value: float) -> str:
    """A coordinate with one decimal at most: 36, 46.2."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def trend_svg(
    points: list[TrendPoint], title: str, rubric: Rubric | None = None, mean_label: str = "", describedby: str = ""
) -> str:
    """Monthly totals, the unit's monthly mean (dashed) and ``rubric``'s grade bands.

    The bands are the grades of ``rubric`` (the one of the latest month shown) and the top of the
    scale is its full score with the bonus: nothing here is a figure of its own. Every point carries
    its value as text when there is room for it; otherwise the latest does, and the page's table
    (``describedby`` names the note that says so) lists every month.
    """
    if not points:
        return ""
    grades = sorted(rubric.grades, key=lambda g: g.min, reverse=True) if rubric else []
    ceiling = Fraction(rubric.total_points) + Fraction(rubric.bonus_cap) if rubric else Fraction(0)
    floors = [Fraction(g.min) for g in grades if g.min > 0]
    values = [p.total for p in points] + [p.mean for p in points if p.mean is not None]
    # The lowest boundary with a tenth of the full score of room below it; never cut a point off.
    margin = Fraction(rubric.total_points) / 10 if rubric else Fraction(0)
    low = max(Fraction(0), min([*values, *[floor - margin for floor in floors[-1:]]]))
    high = max([*values, ceiling])
    if high <= low:
        high = low + 1
    # The grade names are right of the plot, in the middle of their bands: as much room as the longest.
    right = WIDTH - max([EDGE, *[8 + _text_width(g.name) for g in grades]])
    step_x = (right - LEFT - 2 * INSET) / (len(points) - 1) if len(points) > 1 else 0.0

    def x(index: int) -> float:
        return LEFT + INSET + step_x * index if len(points) > 1 else (LEFT + right) / 2

    def y(value: Fraction) -> float:
        return TOP + float((high - value) / (high - low)) * (BOTTOM - TOP)

    described = f' aria-describedby="{html.escape(describedby)}"' if describedby else ""
    parts = [
        f'<svg class="gs-trend" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{html.escape(title)}"{described} '
        f'xmlns="http://www.w3.org/2000/svg"><title>{html.escape(title)}</title>'
    ]
    parts += _bands(grades, low, high, y, right)
    parts += _legend(any(p.mean is not None for p in points), mean_label)
    means = [(i, p.mean) for i, p in enumerate(points) if p.mean is not None]
    if means:
        path = " ".join(f"{'M' if k == 0 else 'L'}{_n(x(i))},{_n(y(m))}" for k, (i, m) in enumerate(means))
        parts.append(f'<path class="a" d="{path}"/>')
    path = " ".join(f"{'M' if i == 0 else 'L'}{_n(x(i))},{_n(y(p.total))}" for i, p in enumerate(points))
    parts.append(f'<path class="l" d="{path}"/>')
    every_value = len(points) == 1 or step_x >= VALUE_GAP
    ys = [y(p.total) for p in points]
    for i, p in enumerate(points):
        cx, cy = x(i), y(p.total)
        # A provisional month is a hollow point: its result may still change before the seal.
        tag = "（暂定）" if p.provisional else ""
        hollow = ' class="o"' if p.provisional else ""
        parts.append(
            f'<circle{hollow} cx="{_n(cx)}" cy="{_n(cy)}" r="3.5"><title>{p.month}：{fmt(p.total)} 分{tag}</title></circle>'
        )
        if every_value or i == len(points) - 1:
            near = [ys[j] for j in (i - 1, i + 1) if 0 <= j < len(ys)]
            parts.append(_value_label(cx, cy, near, fmt(p.total)))
    parts += _month_labels(points, x, step_x)
    parts.append("</svg>")
    return "".join(parts)


def _value_label(cx: float, cy: float, near: list[float], text: str) -> str:
    """A point's value on the side away from its neighbours (under a dip, over a peak), inside the plot."""
    above, below = cy - 8, cy + 18
    under = bool(near) and sum(near) / len(near) < cy  # the neighbours are higher: the line comes from above
    if (under and below + 4 <= BOTTOM) or above - LINE < TOP - 8:  # not into the legend nor the month labels
        return f'<text class="v" x="{_n(cx)}" y="{_n(below)}">{text}</text>'
    return f'<text class="v" x="{_n(cx)}" y="{_n(above)}">{text}</text>'


def _bands(
    grades: list[Grade], low: Fraction, high: Fraction, y: Callable[[Fraction], float], right: float
) -> list[str]:
    """One light band per grade in view, its name right of it; its floor on the axis."""
    parts: list[str] = []
    last_figure = None  # y of the last axis figure written: two close floors do not overprint
    upper = high
    for index, grade in enumerate(grades):
        floor = max(Fraction(grade.min), low)
        if upper <= low:
            break
        if floor >= upper:
            continue
        top, bottom = y(upper), y(floor)
        shade = "t" if index == 0 else ("f" if index == len(grades) - 1 else ("n", "m")[index % 2])
        parts.append(
            f'<rect class="{shade}" x="{LEFT}" y="{_n(top)}" width="{_n(right - LEFT)}" height="{_n(bottom - top)}"/>'
        )
        if bottom - top >= LINE:  # a band thinner than a line of text is left unnamed (its floor still shows)
            middle = (top + bottom) / 2 + FONT * 0.35
            parts.append(f'<text class="g" x="{_n(right + 6)}" y="{_n(middle)}">{html.escape(grade.name)}</text>')
        if grade.min > 0 and Fraction(grade.min) > low and (last_figure is None or bottom - last_figure >= LINE):
            parts.append(f'<text class="y" x="{LEFT - 4}" y="{_n(bottom + 4)}">{fmt_plain(Fraction(grade.min))}</text>')
            last_figure = bottom
        upper = floor
    return parts


def _text_width(text: str) -> float:
    """About how wide ``text`` is drawn: a Chinese character is an em, a digit or letter about half of one."""
    return sum(FONT if ord(c) > 0x2E7F else FONT * 0.6 for c in text)


def _legend(with_mean: bool, mean_label: str) -> list[str]:
    own = "本人总分"
    parts = [f'<path class="l" d="M{LEFT},12 h18"/><circle cx="{LEFT + 9}" cy="12" r="3.5"/>']
    parts.append(f'<text x="{LEFT + 22}" y="17">{own}</text>')
    if with_mean and mean_label:
        start = LEFT + 22 + int(_text_width(own)) + 14
        parts.append(
            f'<path class="a" d="M{start},12 h18"/><text x="{start + 22}" y="17">{html.escape(mean_label)}</text>'
        )
    return parts


def _month_labels(points: list[TrendPoint], x: Callable[[int], float], step_x: float) -> list[str]:
    """Month labels ("3月") under points, the year under the first and wherever the year changes.

    Labels fall on every month, or every 2nd, 3rd… (calendar-aligned: 1月, 4月, 7月, 10月), as
    far apart as a label is wide; the first and the latest month are always labelled. A year too
    close to the one before (a trend starting in December) goes under its next label.
    """
    step = next((s for s in (1, 2, 3, 4, 6, 12) if step_x * s >= LABEL_GAP), 12) if len(points) > 1 else 1
    months = [(int(p.month[:4]), int(p.month[5:7])) for p in points]
    chosen = [0]
    for i, (_, month) in enumerate(months[1:], start=1):
        if (month - 1) % step == 0 and i - chosen[-1] >= step:
            chosen.append(i)
    last = len(points) - 1
    if chosen[-1] != last:
        if last - chosen[-1] < step and len(chosen) > 1:
            chosen.pop()  # too close to the latest month, which matters more
        chosen.append(last)
    parts = []
    shown_year, shown_at = 0, -float(YEAR_GAP)
    for i in chosen:
        year, month = months[i]
        parts.append(f'<text class="x" x="{_n(x(i))}" y="{BOTTOM + 17}">{month}月</text>')
        if year != shown_year and x(i) - shown_at >= YEAR_GAP:
            parts.append(f'<text class="x" x="{_n(x(i))}" y="{BOTTOM + 37}">{year}年</text>')
            shown_year, shown_at = year, x(i)
    return parts
