"""Fuzzing the loader and check: never a traceback, only `path:line: message` lines.

A longer run: ``python scripts/fuzz.py --examples 20000``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from .conftest import Repo
from .fuzzing import assert_clean_answer, hostile_documents, mutated_records


def fresh_repo() -> Repo:
    repo = Repo(Path(tempfile.mkdtemp(prefix="gridscore-fuzz-")) / "repo")
    repo.record("w2", "2026-03")
    return repo


REPO = None


def shared_repo() -> Repo:
    global REPO
    if REPO is None:
        REPO = fresh_repo()
    return REPO


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_records())
def test_mutated_records_get_messages_not_tracebacks(content: bytes) -> None:
    assert_clean_answer(shared_repo().root, content)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_documents())
def test_hostile_documents_get_messages_not_tracebacks(content: bytes) -> None:
    assert_clean_answer(shared_repo().root, content)
