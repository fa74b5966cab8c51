#!/usr/bin/env python3
"""A longer fuzz run of the loader, `gridscore check` and `gridscore build` (the test suite runs a short one).

    python scripts/fuzz.py --examples 20000
    python scripts/fuzz.py --only build --build-examples 200

Every input must get exit code 0 or 1 and only `path:line: message` lines; the
first input that does not is printed (hypothesis shrinks it first). Strategies:
mutated and hostile records, mutated rubrics, hostile texts in every field of the
organization, a record, a notice and the rubric, oddly named or placed files,
symlinks/FIFOs/devices/folders in place of files (FIFOs and endless devices are
checked in a child process with a time and memory limit), and `build`: whatever
check accepts (hostile payloads in published fields), build builds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

from tests.fuzzing import (  # noqa: E402
    RUBRIC_TARGET,
    assert_check_implies_build,
    assert_clean_answer,
    assert_clean_changes,
    hostile_documents,
    hostile_texts,
    mutated_records,
    mutated_rubrics,
    odd_files,
    special_files,
)
from tests.test_fuzz import fresh_repo, fresh_rubric_repo, fresh_text_repo  # noqa: E402

STRATEGIES = ["mutated", "hostile", "rubrics", "texts", "files", "specials", "build"]
LABELS = {
    "mutated": "mutated records",
    "hostile": "hostile documents",
    "rubrics": "mutated rubrics",
    "texts": "hostile texts",
    "files": "odd files",
    "specials": "special files",
    "build": "builds of accepted input",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=20000, help="inputs per strategy")
    parser.add_argument("--special-examples", type=int, default=300, help="inputs of `specials` (some run a child)")
    parser.add_argument("--build-examples", type=int, default=100, help="inputs of `build` (each one builds a site)")
    parser.add_argument("--only", choices=STRATEGIES, action="append", help="run only this strategy (repeatable)")
    parser.add_argument("--database", type=Path, help="keep failing examples in this folder (replayed next run)")
    args = parser.parse_args()
    repo = fresh_repo()
    rubric_repo = fresh_rubric_repo()  # a repository of its own: a mutated rubric must not reach the records' run
    text_repo = fresh_text_repo()  # every change is undone after its input
    tried = dict.fromkeys(STRATEGIES, 0)
    accepted_builds = 0
    started = time.perf_counter()

    def count(kind: str) -> None:
        tried[kind] += 1
        done = sum(tried.values())
        if done % 500 == 0:  # a long run says how far it got (stderr, so the summary stays one line)
            print(f"… {done} inputs, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    def relaxed(examples: int) -> settings:
        return settings(
            max_examples=examples,
            deadline=None,
            database=DirectoryBasedExampleDatabase(args.database) if args.database else None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate, Phase.target, Phase.shrink],  # not "explain": its tracer makes shrinking crawl
        )

    @relaxed(args.examples)
    @given(mutated_records())
    def mutated(content: bytes) -> None:
        count("mutated")
        assert_clean_answer(repo.root, content)

    @relaxed(args.examples)
    @given(hostile_documents())
    def hostile(content: bytes) -> None:
        count("hostile")
        assert_clean_answer(repo.root, content)

    @relaxed(args.examples)
    @given(mutated_rubrics())
    def rubrics(content: bytes) -> None:
        count("rubrics")
        assert_clean_answer(rubric_repo.root, content, target=RUBRIC_TARGET)

    @relaxed(args.examples)
    @given(hostile_texts())
    def texts(changes: dict[str, bytes]) -> None:
        count("texts")
        assert_clean_changes(text_repo.root, changes)

    @relaxed(args.examples)
    @given(odd_files())
    def files(changes: dict[str, bytes | None]) -> None:
        count("files")
        assert_clean_changes(text_repo.root, changes)

    @relaxed(args.special_examples)
    @given(special_files())
    def specials(changes: dict[str, object]) -> None:
        count("specials")
        assert_clean_changes(text_repo.root, changes)

    @relaxed(args.build_examples)
    @given(hostile_texts(long=False, accepted=True), st.sampled_from(["public", "internal"]))
    def build(changes: dict[str, bytes], audience: str) -> None:
        nonlocal accepted_builds
        count("build")
        accepted_builds += assert_check_implies_build(text_repo.root, changes, audience)

    runs = {
        "mutated": mutated,
        "hostile": hostile,
        "rubrics": rubrics,
        "texts": texts,
        "files": files,
        "specials": specials,
        "build": build,
    }
    for name in STRATEGIES:
        if not args.only or name in args.only:
            runs[name]()
    total = sum(tried.values())
    parts = ", ".join(f"{tried[name]} {LABELS[name]}" for name in STRATEGIES if tried[name])
    built = f"; {accepted_builds} of the {tried['build']} build inputs passed check and built" if tried["build"] else ""
    print(f"fuzz: {total} inputs ({parts}) in {time.perf_counter() - started:.0f} s, no traceback{built}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
