"""Time ``gridscore verify`` on a synthetic county history (fictional data, seeded, written with git fast-import).

    python scripts/bench_verify.py --commits 2000 --workers 3000 --workdir /tmp/gridscore-verify-bench

The history: one record changed per commit, a month sealed every ``--seal-every`` commits
(a v2 seal of every worker, about 1 MB for 3,000), and a correction appended to the latest
seal every ``--correct-every`` commits; one merge of a side branch every 100 commits.
Each measurement is a fresh ``python -m generator verify`` process; the median of ``--runs``.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def seal_text(month: str, workers: int, rng: random.Random, corrections: list[str]) -> str:
    lines = [
        "# synthetic seal",
        "format: 2",
        f"period: {month}",
        'rubric: "2026"',
        f"sealed_on: {month}-28",
        "results:",
    ]
    for rank in range(1, workers + 1):
        digest = f"{rng.getrandbits(256):064x}"
        total = f"{100 - rank * 60 / workers:.2f}"
        lines.append(
            f'  - {{worker: wg-{rank:05d}, record: "{digest}", total: "{total}", grade: "良好", rank: {rank},'
            f' community_rank: {rank % 12 + 1}, bonus: "0.00", deductions: "0.00", vetoed: false,'
            f' categories: {{work: "60.00", result: "30.00"}}, items: {{publicity: "18.00", screening: "17.00"}}}}'
        )
    text = "\n".join(lines) + "\n"
    return text + ("corrections:\n" + "".join(corrections) if corrections else "")


def correction(month: str, number: int, rng: random.Random) -> str:
    worker = f"wg-{rng.randrange(1, 3000):05d}"
    return (
        f"  - notice: {month}-30-correction-{number}\n    sealed_on: {month}-28\n    changes:\n"
        f'      - {{worker: {worker}, field: total, old: "80.00", new: "79.50"}}\n'
    )


def build(root: Path, commits: int, workers: int, seal_every: int, correct_every: int) -> dict[str, int]:
    rng = random.Random(1)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    stream: list[bytes] = []

    def data(text: str) -> None:
        raw = text.encode("utf-8")
        stream.append(b"data %d\n" % len(raw) + raw + b"\n")

    months: list[str] = []
    corrections: list[str] = []
    seals = versions = merges = 0
    for number in range(1, commits + 1):
        files: dict[str, str] = {}
        month = f"{2026 + len(months) // 12}-{len(months) % 12 + 1:02d}"
        worker = rng.randrange(1, workers + 1)
        files[f"records/{month.replace('-', '/')}/c{worker % 250:03d}/wg-{worker:05d}.yaml"] = (
            f"worker: wg-{worker:05d}\n"
        )
        message = f"{month} 考评记录 {number}"
        if number % seal_every == 0:
            months.append(month)
            corrections = []
            files[f"records/seals/{month}.yaml"] = seal_text(month, workers, random.Random(month), corrections)
            message, seals, versions = f"封存 {month}", seals + 1, versions + 1
        elif months and number % correct_every == 0:
            corrections.append(correction(months[-1], number, rng))
            files[f"records/seals/{months[-1]}.yaml"] = seal_text(
                months[-1], workers, random.Random(months[-1]), corrections
            )
            message, versions = f"更正 {months[-1]}", versions + 1
        stamp = 1767225600 + number * 3600
        merge = number % 100 == 0 and number > 1
        if merge:  # a side commit, merged back
            stream.append(b"commit refs/heads/side\nmark :%d\n" % (number * 2 + 1))
            stream.append(b"committer bench <bench@example.invalid> %d +0800\n" % stamp)
            data(f"side {number}")
            stream.append(b"from :%d\n" % ((number - 1) * 2))
            stream.append(f"M 100644 inline records/side/{number}.yaml\n".encode())
            data("side: true\n")
            merges += 1
        stream.append(b"commit refs/heads/main\nmark :%d\n" % (number * 2))
        stream.append(b"committer bench <bench@example.invalid> %d +0800\n" % stamp)
        data(message)
        if number > 1:
            stream.append(b"from :%d\n" % ((number - 1) * 2))
        if merge:
            stream.append(b"merge :%d\n" % (number * 2 + 1))
        for path, text in files.items():
            stream.append(f"M 100644 inline {path}\n".encode())
            data(text)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "main"], cwd=root, check=True)
    return {"commits": commits + merges, "seals": seals, "versions": versions, "merges": merges}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=3000)
    parser.add_argument("--seal-every", type=int, default=80)
    parser.add_argument("--correct-every", type=int, default=190)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/gridscore-verify-bench"))
    args = parser.parse_args()
    shape = build(args.workdir, args.commits, args.workers, args.seal_every, args.correct_every)
    print(f"history: {shape}", flush=True)
    times, cpus = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "generator", "verify", "--root", str(args.workdir)],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            sys.exit(f"verify failed ({done.returncode}): {done.stderr}")
    print(done.stdout.strip())
    print(f"wall s: median {statistics.median(times):.2f}, runs {', '.join(f'{t:.2f}' for t in times)}")
    print(f"cpu s (user + sys, verify and its git): median {statistics.median(cpus):.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
