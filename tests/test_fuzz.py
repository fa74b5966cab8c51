"""Fuzzing the loader and check: never a traceback, only `path:line: message` lines.

A longer run: ``python scripts/fuzz.py --examples 20000``.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from .conftest import Repo
from .fuzzing import (
    PYDANTIC_NAMES,
    RUBRIC_RECORDS,
    RUBRIC_TARGET,
    RUBRIC_TEXT,
    assert_clean_answer,
    hostile_documents,
    mutated_records,
    mutated_rubrics,
    run_check,
)


def fresh_repo() -> Repo:
    repo = Repo(Path(tempfile.mkdtemp(prefix="gridscore-fuzz-")) / "repo")
    repo.record("w2", "2026-03")
    return repo


def fresh_rubric_repo() -> Repo:
    """A repository of its own for rubric fuzzing, so a mutated rubric never reaches the record fuzzing."""
    repo = Repo(Path(tempfile.mkdtemp(prefix="gridscore-fuzz-rubric-")) / "repo")
    for relative, text in RUBRIC_RECORDS.items():
        repo.write(relative, text)
    return repo


REPO = None
RUBRIC_REPO = None


def shared_repo() -> Repo:
    global REPO
    if REPO is None:
        REPO = fresh_repo()
    return REPO


def shared_rubric_repo() -> Repo:
    global RUBRIC_REPO
    if RUBRIC_REPO is None:
        RUBRIC_REPO = fresh_rubric_repo()
    return RUBRIC_REPO


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_records())
def test_mutated_records_get_messages_not_tracebacks(content: bytes) -> None:
    assert_clean_answer(shared_repo().root, content)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_documents())
def test_hostile_documents_get_messages_not_tracebacks(content: bytes) -> None:
    assert_clean_answer(shared_repo().root, content)


def test_the_rubric_fuzz_target_is_the_rubric_in_force(repo: Repo) -> None:
    """The unmutated rubric scores the fuzz records cleanly, and a change to RUBRIC_TARGET is what check reads."""
    for relative, text in RUBRIC_RECORDS.items():
        repo.write(relative, text)
    code, out, err = run_check(repo.root)
    assert (code, err) == (0, ""), err
    assert "3 份月度考评、1 份年度评议" in out and "考评标准 2025、2026 版" in out
    broken = RUBRIC_TEXT.replace("    points: 35\n", "    points: 36\n", 1)
    assert broken != RUBRIC_TEXT
    repo.write(RUBRIC_TARGET, broken)
    code, _, err = run_check(repo.root)
    assert code == 1
    assert err.splitlines()[0].startswith(f"{RUBRIC_TARGET}:"), err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_rubrics())
def test_mutated_rubrics_get_messages_not_tracebacks(content: bytes) -> None:
    assert_clean_answer(shared_rubric_repo().root, content, target=RUBRIC_TARGET)


@pytest.mark.parametrize("name", PYDANTIC_NAMES)
def test_rubric_ids_named_like_pydantic_members(repo: Repo, name: str) -> None:
    """An item may be called ``model_dump``: records not yet following get messages; records that follow score alike."""
    renamed = RUBRIC_TEXT.replace("id: coordination\n", f"id: {name}\n").replace(
        "item: coordination\n", f"item: {name}\n"
    )
    assert renamed.count(name) == 2
    for relative, text in RUBRIC_RECORDS.items():
        repo.write(relative, re.sub(r"  coordination: \w+\n", "", text))
    assert_clean_answer(repo.root, renamed.encode("utf-8"), target=RUBRIC_TARGET)
    code, _, err = run_check(repo.root)
    assert code == 1 and f"缺少 {name}" in err or name in err, err
    for relative, text in RUBRIC_RECORDS.items():
        repo.write(relative, text)
    (repo.root / RUBRIC_TARGET).write_text(RUBRIC_TEXT, encoding="utf-8")
    before = repo.run("score", "2026-03", "--json")
    for relative, text in RUBRIC_RECORDS.items():
        repo.write(relative, text.replace("  coordination: ", f"  {name}: "))
    (repo.root / RUBRIC_TARGET).write_text(renamed, encoding="utf-8")
    after = repo.run("score", "2026-03", "--json")
    assert before.code == after.code == 0, after.err
    assert after.err == ""  # no pydantic warning about shadowed names
    # the same figures; only the item's key in the JSON follows its new id
    assert json.loads(after.out.replace(f'"{name}"', '"coordination"')) == json.loads(before.out)


@pytest.mark.parametrize(
    ("pattern", "replacement"),
    [
        (r"bonus_cap: [\d.]+", "bonus_cap: 1e99999999"),
        (r"ratio: 0\.8\b", "ratio: 1e-99999999"),
        (r"per: 1\b", "per: 1e-99999999"),
    ],
)
def test_numbers_with_huge_exponents_are_refused_at_once(repo: Repo, pattern: str, replacement: str) -> None:
    """Exact arithmetic on 1e99999999 would build a hundred-million-digit number: the rubric is refused instead."""
    for relative, text in RUBRIC_RECORDS.items():
        repo.write(relative, text)
    broken, count = re.subn(pattern, replacement, RUBRIC_TEXT, count=1)
    assert count == 1
    (repo.root / RUBRIC_TARGET).write_text(broken, encoding="utf-8")
    started = time.perf_counter()
    code, _, err = run_check(repo.root)
    assert code == 1 and time.perf_counter() - started < 30
    line = broken[: broken.index(replacement)].count("\n") + 1
    assert f"{RUBRIC_TARGET}:{line}: " in err, err
