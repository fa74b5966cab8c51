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
from hypothesis import strategies as st

from . import payloads
from .conftest import Repo
from .fuzzing import (
    NOTICE,
    NOTICE_TARGET,
    PYDANTIC_NAMES,
    RECORD_DIR,
    RUBRIC_RECORDS,
    RUBRIC_TARGET,
    RUBRIC_TEXT,
    SPECIAL_KINDS,
    TARGET,
    TEXT_DATA,
    Special,
    assert_check_implies_build,
    assert_clean_answer,
    assert_clean_changes,
    assert_clean_output,
    check_changed,
    dump_yaml,
    hostile_documents,
    hostile_texts,
    mutated_records,
    mutated_rubrics,
    odd_files,
    run_check,
    special_files,
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


def fresh_text_repo() -> Repo:
    """A repository of its own for hostile texts and odd files: two records and a criticism notice (no seal needed)."""
    repo = fresh_repo()
    repo.record("w1", "2026-03")
    repo.write(NOTICE_TARGET, NOTICE)
    return repo


REPO = None
RUBRIC_REPO = None
TEXT_REPO = None


def shared_repo() -> Repo:
    global REPO
    if REPO is None:
        REPO = fresh_repo()
    return REPO


def shared_text_repo() -> Repo:
    global TEXT_REPO
    if TEXT_REPO is None:
        TEXT_REPO = fresh_text_repo()
    return TEXT_REPO


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


# --- hostile texts, odd files, special files, and check ⊇ build ---------------------------------------------------


def test_the_hostile_text_targets_are_clean_as_the_strategy_writes_them() -> None:
    """Written back as the strategy writes them (PyYAML, no comments), the unchanged files still check clean,
    so whatever check refuses in a fuzzed one is the payload."""
    root = shared_text_repo().root
    code, out, err = run_check(root)
    assert (code, err) == (0, ""), err
    assert "2 份月度考评" in out and "1 份公告" in out
    for path, data in TEXT_DATA.items():
        assert (root / path).is_file(), path
        code, _, err = check_changed(root, {path: dump_yaml(data).encode("utf-8")})
        assert (code, err) == (0, ""), f"{path} as the strategy writes it:\n{err}"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_texts())
def test_hostile_texts_in_every_field_get_messages_not_tracebacks(changes: dict[str, bytes]) -> None:
    assert_clean_changes(shared_text_repo().root, changes)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(odd_files())
def test_oddly_named_or_placed_files_get_messages_not_tracebacks(changes: dict[str, bytes | None]) -> None:
    assert_clean_changes(shared_text_repo().root, changes)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(special_files(blocking=False))  # FIFOs and endless devices: the test below, once each
def test_special_files_get_messages_not_tracebacks(changes: dict[str, Special]) -> None:
    assert_clean_changes(shared_text_repo().root, changes)


@pytest.mark.parametrize("name", payloads.NON_YAML_NAMES)
def test_a_data_file_not_named_yaml_is_an_error_naming_it(name: str) -> None:
    """§9: a file under records/ that looks like data but is not .yaml is an error, never silently skipped."""
    root = shared_text_repo().root
    code, out, err = check_changed(root, {TARGET: None, f"{RECORD_DIR}/{name}": (root / TARGET).read_bytes()})
    assert_clean_output(code, out, err)
    assert code == 1 and any(line.startswith(f"{RECORD_DIR}/{name}:") for line in err.splitlines()), (
        f"check should name {RECORD_DIR}/{name}; it exited {code}:\n{err or out}"
    )


@pytest.mark.parametrize("kind", SPECIAL_KINDS)
def test_a_special_file_in_place_of_a_record_is_an_error_naming_it(kind: str) -> None:
    """§9: symlinks, FIFOs, devices and folders in place of a file are errors with the path, and never read."""
    code, out, err = check_changed(shared_text_repo().root, {TARGET: Special(kind)})
    assert_clean_output(code, out, err)
    assert code == 1 and any(line.startswith(f"{TARGET}:") for line in err.splitlines()), (
        f"check should name {TARGET} ({kind}); it exited {code}:\n{err or out}"
    )


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_texts(long=False, accepted=True), st.sampled_from(["public", "internal"]))
def test_what_check_accepts_builds(changes: dict[str, bytes], audience: str) -> None:
    """§9, check ⊇ build: payloads check accepts in published fields never make build fail."""
    assert_check_implies_build(shared_text_repo().root, changes, audience)


def test_links_check_accepts_in_a_notice_body_build(tmp_path: Path) -> None:
    """§9, check ⊇ build, for notice links: one criticism notice per link of payloads.BODY_LINKS; those check
    refuses are refused at their body line, and with the rest the internal build (it shows criticisms) succeeds."""
    repo = fresh_text_repo()
    (repo.root / NOTICE_TARGET).unlink()
    notices = {}
    for index, link in enumerate(payloads.BODY_LINKS, start=1):
        relative = f"records/notices/2026-04-10-link-{index}.yaml"
        text = NOTICE.replace("9号", f"{index}号").replace("  现予通报批评。\n", f"  现予通报批评。\n\n  {link}\n")
        repo.write(relative, text)
        notices[relative] = (link, text.split("\n").index(f"  {link}") + 1)
    code, out, err = run_check(repo.root)
    assert_clean_output(code, out, err)
    for line in err.splitlines()[:-1]:
        relative = line.split(":")[0]
        assert relative in notices and line.startswith(f"{relative}:{notices[relative][1]}: "), (
            f"check refuses a link notice elsewhere than at its link:\n{err}"
        )
        (repo.root / relative).unlink(missing_ok=True)
    code, out, err = run_check(repo.root)
    assert (code, err) == (0, ""), err
    site = tmp_path / "site"
    built = repo.run("build", "--audience", "internal", "--site-dir", str(site))
    accepted = [link for relative, (link, _) in notices.items() if (repo.root / relative).exists()]
    assert built.code == 0, f"check accepts the links {accepted}, but build fails:\n{built.err}"
