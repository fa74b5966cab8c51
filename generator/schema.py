"""JSON Schema of the data files, for editors (VS Code's YAML extension completes and marks errors).

The monthly record's metrics and events come from the rubric in force, so a
street that edits its rubric gets a schema that matches.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .models import OUTCOMES, PENDING, AnnualReview, FollowUp, MonthlyRecord, Notice, Objection, Organization
from .rubric import Rubric

KINDS = ("record", "annual", "organization", "notice", "objection", "followup")
TITLES = {
    "record": "网格员月度考评记录",
    "annual": "网格员年度综合评议",
    "organization": "考评单位、社区、网格、网格员与考评人",
    "notice": "公告（通报表扬、公示、更正、通报批评）",
    "objection": "公示的异议及核实结果",
    "followup": "处理措施的落实情况（内部）",
}
GLOBS = {
    "record": ["records/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/*.yaml"],
    "annual": ["records/*/annual/*/*.yaml"],
    "organization": ["records/organization.yaml"],
    "notice": ["records/notices/*.yaml"],
    "objection": ["records/objections/*/*.yaml"],
    "followup": ["records/followups/*/*.yaml"],
}
SCHEMA_DIR = "schemas"


def schema_for(kind: str, rubric: Rubric) -> dict[str, Any]:
    models: dict[str, type[BaseModel]] = {
        "record": MonthlyRecord,
        "annual": AnnualReview,
        "organization": Organization,
        "notice": Notice,
        "objection": Objection,
    }
    schema = _followup_schema() if kind == "followup" else models[kind].model_json_schema()
    if kind == "record":
        _record_details(schema, rubric)
    if kind == "objection":
        _objection_details(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = TITLES[kind]
    return schema


def _followup_schema() -> dict[str, Any]:
    """A follow-up file holds one measure, or a list of them (one file per worker and period)."""
    one = FollowUp.model_json_schema()
    defs = one.pop("$defs", None)
    schema: dict[str, Any] = {"anyOf": [one, {"type": "array", "minItems": 1, "items": one}]}
    if defs:
        schema["$defs"] = defs
    return schema


def _record_details(schema: dict[str, Any], rubric: Rubric) -> None:
    metrics = rubric.metrics_model.model_json_schema()
    for name, definition in metrics.get("$defs", {}).items():
        schema.setdefault("$defs", {})[name] = definition
    metrics.pop("$defs", None)
    for item in rubric.items:
        prop = metrics["properties"][item.id]
        prop["title"] = item.name
        if item.method == "level":
            allowed = [level for level in rubric.levels if item.allow_none or level.id != "none"]
            prop.clear()
            prop.update(
                {
                    "title": item.name,
                    "description": f"{item.name}（{item.points} 分）的等级："
                    + "、".join(f"{lv.label} {lv.id}" for lv in allowed),
                    "enum": [v for level in allowed for v in (level.id, level.label)],
                }
            )
    metrics["title"] = "考评指标"
    metrics["description"] = f"按{rubric.title}填写；数字为非负整数，部分不大于整体"
    schema["properties"]["metrics"] = metrics
    event = schema["$defs"]["Event"]
    event["properties"]["kind"] = {
        "title": "事件类型",
        "description": "；".join(f"{k.id}：{k.name}" for k in rubric.events),
        "enum": [k.id for k in rubric.events],
    }
    for scale, values in rubric.scales.items():
        event["properties"][scale] = {
            "title": {"severity": "情节", "level": "认可级别"}.get(scale, scale),
            "enum": [v for value in values for v in (value.id, value.label)],
        }
    event["additionalProperties"] = False
    event["description"] = "扣分或加分事件；severity、level、amount_yuan 只在该类事件需要时填写"


def _objection_details(schema: dict[str, Any]) -> None:
    """Reply and resolution date exactly when the objection is resolved (models.Objection says why)."""
    pending = [PENDING, OUTCOMES[PENDING]]
    schema["description"] = "对公示的一件异议：核实中（pending）不填 reply 和 resolved_on；核实办结后两者必填"
    schema["allOf"] = [
        {
            "if": {"properties": {"outcome": {"enum": pending}}, "required": ["outcome"]},
            "then": {"properties": {"reply": {"type": "null"}, "resolved_on": {"type": "null"}}},
            "else": {
                "required": ["reply", "resolved_on"],
                "properties": {"reply": {"type": "string"}, "resolved_on": {"type": "string"}},
            },
        }
    ]


def all_schemas(rubric: Rubric) -> dict[str, dict[str, Any]]:
    return {kind: schema_for(kind, rubric) for kind in KINDS}


def write_schemas(root: Path, rubric: Rubric) -> list[Path]:
    """schemas/<kind>.schema.json plus VS Code settings that map each kind of file to its schema."""
    folder = root / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    written = []
    for kind, schema in all_schemas(rubric).items():
        path = folder / f"{kind}.schema.json"
        path.write_text(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    settings_path = root / ".vscode" / "settings.json"
    settings: dict[str, Any] = {}
    if settings_path.is_file():
        try:
            settings = json.loads(settings_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            settings = {}
    settings["yaml.schemas"] = {f"./{SCHEMA_DIR}/{kind}.schema.json": GLOBS[kind] for kind in KINDS}
    settings.setdefault("files.encoding", "utf8")
    settings.setdefault("[yaml]", {"editor.insertSpaces": True, "editor.tabSize": 2})
    settings_path.parent.mkdir(exist_ok=True)
    settings_path.write_text(json.dumps(settings, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    written.append(settings_path)
    return written
