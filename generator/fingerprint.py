"""The digest a seal keeps of each record: what was published stays as published (§6).

A seal stores, per worker, the SHA-256 of a canonical form of the parsed
record, so a change that moves no score (a public summary, the assessor, a
level switched between two levels worth the same) still shows. Comments,
key order, quoting and layout do not count; every field does, internal ones
included. Values are canonical: levels by their id (优秀 and excellent are the
same level), amounts as plain decimals (80000 and 80000.00 are the same sum),
dates as ISO text, an omitted optional field the same as an empty one.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from .models import AnnualReview, MonthlyRecord
from .periods import Month, Year


def record_digest(record: MonthlyRecord, metrics: dict[str, Any]) -> str:
    """The digest of a monthly record, with its metrics as checked against the rubric (levels by id)."""
    data = _fields(record)
    data["metrics"] = metrics
    data["events"] = [{**_fields(event), **(event.model_extra or {})} for event in record.events]
    return _digest(data)


def review_digest(review: AnnualReview) -> str:
    return _digest(_fields(review))


def _fields(model: BaseModel) -> dict[str, Any]:
    return {name: getattr(model, name) for name in type(model).model_fields}


def _digest(data: dict[str, Any]) -> str:
    text = json.dumps(_canonical(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _canonical(item) for key, item in value.items() if item not in (None, [], {})}
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (Month, Year)):
        return str(value)
    if isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"no canonical form for {type(value).__name__}")
