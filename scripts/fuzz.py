#!/usr/bin/env python3
"""A longer fuzz run of the loader and `gridscore check` on records and rubrics (the test suite runs a short one).

    python scripts/fuzz.py --examples 20000

Every input must get exit code 0 or 1 and only `path:line: message` lines; the
first input that does not is printed (hypothesis shrinks it first).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

from tests.fuzzing import (  # noqa: E402
    RUBRIC_TARGET,
    assert_clean_answer,
    hostile_documents,
    mutated_records,
    mutated_rubrics,
)
from tests.test_fuzz import fresh_repo, fresh_rubric_repo  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000, help="inputs per strategy")
    parser.add_argument(
        "--only", choices=["mutated", "hostile", "rubrics"], action="append", help="run only this strategy (repeatable)"
    )
    parser.add_argument("--database", type=Path, help="keep failing examples in this folder (replayed next run)")
    args = parser.parse_args()
    repo = fresh_repo()
    rubric_repo = fresh_rubric_repo()  # a repository of its own: a mutated rubric must not reach the records' run
    tried = {"mutated": 0, "hostile": 0, "rubrics": 0}
    started = time.perf_counter()

    def count(kind: str) -> None:
        tried[kind] += 1
        done = sum(tried.values())
        if done % 500 == 0:  # a long run says how far it got (stderr, so the summary stays one line)
            print(f"… {done} inputs, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    relaxed = settings(
        max_examples=args.examples,
        deadline=None,
        database=DirectoryBasedExampleDatabase(args.database) if args.database else None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.target, Phase.shrink],  # not "explain": its tracer makes shrinking crawl
    )

    @relaxed
    @given(mutated_records())
    def mutated(content: bytes) -> None:
        count("mutated")
        assert_clean_answer(repo.root, content)

    @relaxed
    @given(hostile_documents())
    def hostile(content: bytes) -> None:
        count("hostile")
        assert_clean_answer(repo.root, content)

    @relaxed
    @given(mutated_rubrics())
    def rubrics(content: bytes) -> None:
        count("rubrics")
        assert_clean_answer(rubric_repo.root, content, target=RUBRIC_TARGET)

    for name, strategy in (("mutated", mutated), ("hostile", hostile), ("rubrics", rubrics)):
        if not args.only or name in args.only:
            strategy()
    total = sum(tried.values())
    print(
        f"fuzz: {total} inputs ({tried['mutated']} mutated records, {tried['hostile']} hostile documents, "
        f"{tried['rubrics']} mutated rubrics) in {time.perf_counter() - started:.0f} s, no traceback"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
