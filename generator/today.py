"""What "today" is, for every date rule and for the date printed on pages (PRODUCT.md §4).

In order: ``--today YYYY-MM-DD``, the environment variable ``GRIDSCORE_TODAY``,
``SOURCE_DATE_EPOCH`` (reproducible builds), else the current date in Asia/Shanghai.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone

from .errors import UsageError

CHINA = timezone(timedelta(hours=8))

_chosen: date | None = None  # set from --today for one command (cli.main resets it)


def parse(text: str, where: str) -> date:
    """A date written as 2026-12-02, or a Chinese error naming ``where`` it came from."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{where} 应为日期，格式如 2026-12-02，实际为“{text}”") from None


def choose(day: date | None) -> None:
    global _chosen
    _chosen = day


def today() -> date:
    if _chosen is not None:
        return _chosen
    written = os.environ.get("GRIDSCORE_TODAY")
    if written:
        return parse(written, "环境变量 GRIDSCORE_TODAY")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=CHINA).date()
        except ValueError:
            raise UsageError(f"环境变量 SOURCE_DATE_EPOCH 应为整数秒，实际为“{epoch}”") from None
    return datetime.now(tz=CHINA).date()
