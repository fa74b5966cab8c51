"""The JSON Schema editors use: it accepts every sample file and rejects broken ones."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.schema import GLOBS, KINDS

from .conftest import PROJECT, Repo, run_cli
from .test_scoring import SPEC_EXAMPLE


def schemas() -> dict[str, Any]:
    run = run_cli("schema", "--root", str(PROJECT))
    assert run.code == 0, run.err
    return json.loads(run.out)


def as_json(value: Any) -> Any:
    """What an editor's YAML language server sees: dates as text, numbers as numbers."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def load(path: Path) -> Any:
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_schema_kinds_have_chinese_titles() -> None:
    found = schemas()
    assert sorted(found) == sorted(KINDS)
    assert found["record"]["title"] == "网格员月度考评记录"
    assert found["record"]["properties"]["metrics"]["properties"]["publicity"]["title"] == "宣传教育普及"
    assert "优秀" in found["record"]["properties"]["metrics"]["properties"]["case_assistance"]["enum"]


@pytest.mark.parametrize("kind", KINDS)
def test_schema_accepts_every_sample_file(kind: str) -> None:
    validator = jsonschema.Draft202012Validator(schemas()[kind])
    paths = sorted({p for pattern in GLOBS[kind] for p in PROJECT.glob(pattern)})
    assert paths, kind
    for path in paths:
        errors = list(validator.iter_errors(load(path)))
        assert errors == [], f"{path}: {errors[0].message}"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("tasks_completed: 4", "tasks_complete: 4"),  # misspelt field
        ("tasks_completed: 4", "tasks_completed: -1"),  # negative count
        ("case_assistance: good", "case_assistance: great"),  # unknown level
        ("method_innovation: fair", "method_innovation: none"),  # none is not allowed here
        ("worker: wg-0101", "worker: [wg-0101]"),  # wrong type
    ],
)
def test_schema_rejects_a_broken_record(old: str, new: str) -> None:
    record = (
        "worker: wg-0101\nperiod: 2026-03\nassessed_by: zz-li\nassessed_on: 2026-04-02\n"
        + SPEC_EXAMPLE
        + "events:\n  - {kind: major_dissuasion, date: 2026-03-12, amount_yuan: 80000, summary: 劝阻转账}\n"
    )
    validator = jsonschema.Draft202012Validator(schemas()["record"])
    assert list(validator.iter_errors(as_json(yaml.safe_load(record)))) == []
    broken = record.replace(old, new)
    assert broken != record
    assert list(validator.iter_errors(as_json(yaml.safe_load(broken)))) != []


def test_unknown_event_kind_and_stray_event_field_are_rejected() -> None:
    validator = jsonschema.Draft202012Validator(schemas()["record"])
    record = load(next(PROJECT.glob("records/2026/09/*/*.yaml")))
    record["events"] = [{"kind": "praise", "date": "2026-09-01", "summary": "x"}]
    assert list(validator.iter_errors(record))
    record["events"] = [{"kind": "info_error", "date": "2026-09-01", "summary": "x", "remark": "y"}]
    assert list(validator.iter_errors(record))


def test_write_gives_files_and_vscode_settings(repo: Repo) -> None:
    run = repo.run("schema", "--write")
    assert run.code == 0, run.err
    settings = json.loads((repo.root / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"]["./schemas/record.schema.json"] == GLOBS["record"]
    assert json.loads((repo.root / "schemas/notice.schema.json").read_text(encoding="utf-8"))["title"].startswith(
        "公告"
    )


def test_scaffolded_records_point_editors_at_the_schema(repo: Repo) -> None:
    repo.run("new", "2026-04")
    first = (repo.root / "records/2026/04/c1/w1.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../../schemas/record.schema.json"
    assert (repo.root / "records/2026/04/c1/w1.yaml").parent.joinpath("../../../../schemas").resolve() == (
        repo.root / "schemas"
    ).resolve()


def test_pre_commit_runs_the_real_check() -> None:
    from generator.cli import cli

    config = yaml.safe_load((PROJECT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    program, command = hook["entry"].split()
    assert program == "gridscore" and command in cli.commands
    assert hook["pass_filenames"] is False and hook["files"] == "^(records|rubric)/"
