"""发文字号 order: within one 代字 and year, numbers follow the dates the notices were issued."""

from __future__ import annotations

import re
from collections import defaultdict

from .datafiles import NoticeFile
from .errors import Problem

# The same shape validate checks (a wrong one is reported there, and skipped here).
NOTICE_NUMBER = re.compile(r"(?P<prefix>.+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号")


def number_order_problems(notices: list[NoticeFile]) -> list[Problem]:
    """A higher number dated before a lower one of the same prefix and year, at the higher one's ``number``.

    The message names the lowest such earlier number, the one a reader looks for first.
    """
    series: dict[tuple[str, str], list[tuple[int, NoticeFile]]] = defaultdict(list)
    for file in notices:
        match = NOTICE_NUMBER.fullmatch(file.notice.number)
        if match is not None and "第" not in file.notice.number:
            series[(match.group("prefix"), match.group("year"))].append((int(match.group("seq")), file))
    problems = []
    for numbered in series.values():
        numbered.sort(key=lambda item: (item[0], item[1].stem))
        for seq, file in numbered:
            later = [(s, f) for s, f in numbered if s < seq and f.notice.date > file.notice.date]
            if not later:
                continue
            _, lower = later[0]
            problems.append(
                file.doc.problem(
                    ("number",),
                    f"发文字号 {file.notice.number} 的发文日期 {file.notice.date} 早于序号更小的 "
                    f"{lower.notice.number}（{lower.notice.date}，{lower.doc.path}）：同一代字、同一年的文号"
                    "按发文先后编号，请改正文号或日期",
                )
            )
    return problems
