#!/usr/bin/env python3
"""A longer fuzz run of the loader and `gridscore check` (the test suite runs a short one).

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

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.fuzzing import assert_clean_answer, hostile_documents, mutated_records  # noqa: E402
from tests.test_fuzz import fresh_repo  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000, help="inputs per strategy")
    args = parser.parse_args()
    repo = fresh_repo()
    tried = {"mutated": 0, "hostile": 0}
    relaxed = settings(
        max_examples=args.examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )

    @relaxed
    @given(mutated_records())
    def mutated(content: bytes) -> None:
        tried["mutated"] += 1
        assert_clean_answer(repo.root, content)

    @relaxed
    @given(hostile_documents())
    def hostile(content: bytes) -> None:
        tried["hostile"] += 1
        assert_clean_answer(repo.root, content)

    started = time.perf_counter()
    mutated()
    hostile()
    total = sum(tried.values())
    print(
        f"fuzz: {total} inputs ({tried['mutated']} mutated records, {tried['hostile']} hostile documents) "
        f"in {time.perf_counter() - started:.0f} s, no traceback"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
