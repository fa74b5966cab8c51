#!/usr/bin/env python3
"""Benchmark ``gridscore check`` and ``build`` on a synthetic repository against a YAML-parsing floor.

    python scripts/bench.py --workers 3000 --months 12 [--workdir DIR] [--skip-build] [--write]

It generates (or reuses, keyed by its parameters) a repository with
``scripts/synth.py``, then measures, in one run and on the same files, each in a
fresh child process (wall time, and the child's peak RSS from ``os.wait4``):

- floor: a tiny program that only parses every record file with ``yaml.CSafeLoader``;
- naive: pure-Python ``yaml.safe_load`` plus pydantic validation of every record;
- ``gridscore check`` cold (any ``.gridscore-cache`` deleted first), and warm after
  one record changed;
- ``gridscore build`` of the public site (unless ``--skip-build``).

Each timing is repeated (``--repeat``, default 3) and the median reported (build
runs once). It prints a Markdown table; ``--write`` puts it into BENCHMARKS.md,
replacing the section of the same parameters and keeping the others.
Keep the module's top-level imports to the standard library: the floor runs this
file as its child program.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
PROJECT = SCRIPTS.parent
BENCHMARKS = PROJECT / "BENCHMARKS.md"
CACHE_DIR = ".gridscore-cache"
MEASUREMENTS = ("floor", "naive", "check", "warm", "build")
GIB = 1024.0  # MiB
LOAD_BEFORE = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)


# --- what the floor and the naive child programs do (importable, for tests) ---------------------------
def record_files(root: Path) -> list[Path]:
    """Every data file under records/ except organization.yaml, in a stable order."""
    return sorted(p for p in (root / "records").glob("**/*.yaml") if p.name != "organization.yaml")


def parse_floor(root: Path) -> int:
    """Parse every record file with libyaml and nothing else; return how many were parsed."""
    import yaml

    loader = yaml.CSafeLoader
    count = 0
    for path in record_files(root):
        yaml.load(path.read_bytes(), Loader=loader)  # noqa: S506 - CSafeLoader is the safe loader
        count += 1
    return count


def parse_naive(root: Path) -> int:
    """Pure-Python ``yaml.safe_load`` and pydantic validation of every record file; return the count."""
    from decimal import Decimal

    import yaml

    from generator.models import AnnualReview, MonthlyRecord, Notice, Seal
    from generator.rubric import Rubric

    rubrics = sorted(
        (
            Rubric.model_validate(yaml.safe_load(p.read_text(encoding="utf-8")))
            for p in (root / "rubric").glob("*.yaml")
        ),
        key=lambda rubric: rubric.effective_from,
    )
    count = 0
    for path in record_files(root):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        folder = path.relative_to(root / "records").parts[:-1]
        if folder[:1] == ("notices",):
            Notice.model_validate(data)
        elif folder[:1] == ("seals",):
            Seal.model_validate(data)
        elif len(folder) >= 2 and folder[1] == "annual":
            if isinstance(data.get("review_score"), float):  # exact scores, as gridscore reads them
                data["review_score"] = Decimal(str(data["review_score"]))
            AnnualReview.model_validate(data)
        else:
            record = MonthlyRecord.model_validate(data)
            rubric = [r for r in rubrics if r.effective_from <= record.period][-1]
            rubric.metrics_model.model_validate(record.metrics)
        count += 1
    return count


CHILDREN: dict[str, Callable[[Path], int]] = {"floor": parse_floor, "naive": parse_naive}


# --- running and measuring one child process ------------------------------------------------------------
@dataclass
class Run:
    seconds: float
    rss_mib: float  # peak RSS of the largest single process (the child or a worker it waited for)
    code: int
    output: str
    tree_mib: float = 0.0  # peak sampled PSS of the child and all its descendants together (0: not sampled)


def measure(command: list[str], label: str = "", env: dict[str, str] | None = None) -> Run:
    """Run ``command`` as its own child: wall time, peak RSS (``os.wait4``), peak tree memory, exit code, output."""
    with tempfile.TemporaryFile() as out, ticker(label):
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=PROJECT)
        with TreeMemory(child.pid) as tree:
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace")
    return Run(seconds, usage.ru_maxrss / 1024, child.returncode, output, tree.peak_mib)  # ru_maxrss: KiB


class TreeMemory:
    """Sample the memory of a process and its descendants (PSS, so shared pages count once) every 0.2 s.

    ``os.wait4`` gives the largest single process; a check that forks parsing
    workers uses the sum, which only sampling /proc can see (Linux only; 0 elsewhere).
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_mib = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        if Path("/proc/self/smaps_rollup").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while True:
            self.peak_mib = max(self.peak_mib, tree_pss_mib(self.pid))
            if self._done.wait(self.interval):
                return


def tree_pss_mib(root: int) -> float:
    """The summed PSS of ``root`` and its descendants, in MiB (0 if it is gone)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    total_kib = 0
    pending = [root]
    while pending:
        pid = pending.pop()
        pending += children.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
                for line in f:
                    if line.startswith(b"Pss:"):
                        total_kib += int(line.split()[1])
                        break
        except (OSError, ValueError):
            continue
    return total_kib / 1024


@contextmanager
def ticker(label: str) -> Iterator[None]:
    """Show ``label`` and the elapsed seconds on stderr while a child runs (only on a terminal)."""
    if not label or not sys.stderr.isatty():
        yield
        return
    done = threading.Event()
    started = time.perf_counter()

    def tick() -> None:
        while not done.wait(0.5):
            sys.stderr.write(f"\r\033[K{label} · {time.perf_counter() - started:.0f} s")
            sys.stderr.flush()

    thread = threading.Thread(target=tick, daemon=True)
    sys.stderr.write(f"\r\033[K{label}")
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def say(message: str) -> None:
    """A line of progress on stderr, only when it is a terminal."""
    if sys.stderr.isatty():
        sys.stderr.write(f"\r\033[K{message}\n")
        sys.stderr.flush()


# --- the synthetic repository ---------------------------------------------------------------------------
@dataclass
class Params:
    workers: int
    months: int
    start: str
    seed: int
    reviews: bool
    sealed: bool

    @property
    def key(self) -> str:
        suffix = ("-reviews" if self.reviews else "") + ("-sealed" if self.sealed else "")
        return f"synth-{self.workers}x{self.months}-{self.start}-s{self.seed}{suffix}"

    @property
    def section(self) -> str:
        return f"{self.workers}x{self.months}"

    def synth_dict(self) -> dict:
        return {
            "workers": self.workers,
            "months": self.months,
            "start": self.start,
            "seed": self.seed,
            "reviews": self.reviews,
            **({"sealed": True} if self.sealed else {}),
        }


def synthetic_repo(params: Params, workdir: Path) -> tuple[Path, dict, float | None]:
    """The repository for ``params`` under ``workdir``: reused if complete, else generated.

    Returns its root, its synth.json and the seconds generation took (None when reused).
    """
    sys.path.insert(0, str(SCRIPTS))
    import synth

    root = workdir / params.key
    marker = synth.read_marker(root)
    if marker and marker.get("complete") and marker.get("params") == params.synth_dict():
        return root, marker, None
    say(f"generating {params.workers:,} workers × {params.months} months into {root}")
    # In a process of its own: sealing loads the whole repository, and on Linux a child keeps the
    # peak RSS of the process it was forked from, so every later measurement would report it.
    command = [sys.executable, str(SCRIPTS / "synth.py"), "--workers", str(params.workers)]
    command += ["--months", str(params.months), "--start", params.start, "--seed", str(params.seed), "--out", str(root)]
    command += ["--reviews"] * params.reviews + ["--sealed"] * params.sealed
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return root, synth.read_marker(root) or {}, time.perf_counter() - started


# --- the measurements -------------------------------------------------------------------------------------
@dataclass
class Result:
    name: str
    label: str
    command: str
    runs: list[Run] = field(default_factory=list)
    site: SiteSize | None = None  # the build's: what it wrote

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def rss_mib(self) -> float:
        return max(run.rss_mib for run in self.runs)

    @property
    def tree_mib(self) -> float:
        return max(run.tree_mib for run in self.runs)

    @property
    def memory_mib(self) -> float:
        """What the memory target is judged on: the larger of the two peaks."""
        return max(self.rss_mib, self.tree_mib)

    @property
    def ok(self) -> bool:
        return all(run.code == 0 for run in self.runs)


@dataclass
class SiteSize:
    """What a build wrote: bytes in all, by file type, by top-level folder, and the search index."""

    files: int
    total: int
    search_index: int
    by_type: dict[str, int]
    by_folder: dict[str, int]
    largest_page: tuple[str, int]

    @classmethod
    def of(cls, site: Path) -> SiteSize:
        files = total = 0
        by_type: dict[str, int] = {}
        by_folder: dict[str, int] = {}
        largest = ("", 0)
        for path in site.rglob("*"):
            if not path.is_file() or path.is_symlink():
                continue
            size = path.stat().st_size
            relative = path.relative_to(site)
            files += 1
            total += size
            kind = path.suffix.lstrip(".").lower() or "other"
            by_type[kind] = by_type.get(kind, 0) + size
            folder = relative.parts[0] if len(relative.parts) > 1 else "(top level)"
            by_folder[folder] = by_folder.get(folder, 0) + size
            if path.suffix == ".html" and size > largest[1]:
                largest = (relative.as_posix(), size)
        index = site / "search" / "search_index.json"
        return cls(files, total, index.stat().st_size if index.is_file() else 0, by_type, by_folder, largest)


LABELS = {
    "floor": "floor: parse every record file with yaml.CSafeLoader",
    "naive": "naive: yaml.safe_load + pydantic validation of every record",
    "check": "gridscore check, cold",
    "warm": "gridscore check, warm after one record changed",
    "build": "gridscore build, public site",
}


def gridscore(*args: str) -> list[str]:
    return [sys.executable, "-m", "generator", *args]


def shown(command: list[str], root: Path) -> str:
    """A command as a reader would type it (``python``, the repository as ROOT)."""
    words = ["python" if word == sys.executable else word for word in command]
    words = [word.replace(str(root), "ROOT").replace(str(SCRIPTS.parent) + "/", "") for word in words]
    return shlex.join(words)


def run_benchmarks(root: Path, chosen: list[str], repeat: int, site_dir: Path) -> list[Result]:
    results: list[Result] = []
    steps = sum(repeat if name != "build" else 1 for name in chosen)
    step = 0

    def run(result: Result, command: list[str], before: Callable[[], None] | None = None) -> None:
        nonlocal step
        step += 1
        if before:
            before()
        label = f"[{step}/{steps}] {result.name} run {len(result.runs) + 1}"
        found = measure(command, label)
        result.runs.append(found)
        say(
            f"[{step}/{steps}] {result.name}: {found.seconds:.2f} s, {found.rss_mib:.0f} MiB RSS, "
            f"{found.tree_mib:.0f} MiB tree PSS, exit {found.code}"
        )
        if found.code != 0:
            tail = "\n".join(found.output.splitlines()[-15:])
            print(f"{result.name} exited with {found.code}:\n{tail}", file=sys.stderr)

    def drop_cache() -> None:
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)

    for name in ("floor", "naive"):
        if name in chosen:
            command = [sys.executable, str(SCRIPTS / "bench.py"), "--child", name, str(root)]
            result = Result(name, LABELS[name], shown(command, root))
            for _ in range(repeat):
                run(result, command)
            results.append(result)
    check = gridscore("check", "--root", str(root))
    if "check" in chosen:
        result = Result("check", LABELS["check"], f"rm -rf ROOT/{CACHE_DIR}; " + shown(check, root))
        for _ in range(repeat):
            run(result, check, drop_cache)
        results.append(result)
    if "warm" in chosen:
        if "check" not in chosen:
            say("priming the cache with one untimed gridscore check")
            measure(check, "priming")
        path = record_files_of_last_month(root)
        original = path.read_bytes()
        changed = toggle_level(original)
        relative = path.relative_to(root)
        result = Result(
            "warm",
            LABELS["warm"],
            f"(edit ROOT/{relative}: coordination level) ; " + shown(check, root),
        )
        try:
            for index in range(repeat):
                content = changed if index % 2 == 0 else original  # each run sees exactly one changed file
                run(result, check, lambda content=content: path.write_bytes(content))
        finally:
            path.write_bytes(original)
        results.append(result)
    if "build" in chosen:
        command = gridscore("build", "--root", str(root), "--site-dir", str(site_dir))
        result = Result("build", LABELS["build"], shown(command, root).replace(str(site_dir), "SITE"))
        try:
            run(result, command, lambda: shutil.rmtree(site_dir, ignore_errors=True))
            if result.ok:
                result.site = SiteSize.of(site_dir)
        finally:
            shutil.rmtree(site_dir, ignore_errors=True)
            shutil.rmtree(root / ".docs_build", ignore_errors=True)
        results.append(result)
    return results


_LEVEL_LINE = re.compile(rb"^(  coordination: )(\S+)$", re.MULTILINE)
_OTHER_LEVEL = {
    "excellent": "good",
    "good": "fair",
    "fair": "good",
    "poor": "fair",
    "优秀": "良好",
    "良好": "一般",
    "一般": "良好",
    "较差": "一般",
}


def toggle_level(text: bytes) -> bytes:
    """The record with its coordination level changed to another valid one."""
    match = _LEVEL_LINE.search(text)
    if match is None:
        raise SystemExit("no 'coordination:' line to change in the record chosen for the warm check")
    other = _OTHER_LEVEL[match.group(2).decode("utf-8")].encode("utf-8")
    return text[: match.start(2)] + other + text[match.end(2) :]


def record_files_of_last_month(root: Path) -> Path:
    months = sorted(p for p in (root / "records").glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]") if p.is_dir())
    return sorted(months[-1].glob("*/*.yaml"))[0]


# --- targets ------------------------------------------------------------------------------------------------
COUNTY = (3000, 12)
CITY = (30000, 12)
# PRODUCT.md §8, a county-year's public build: its time, the site's size and the search index's.
BUILD_SECONDS = 30
SITE_BYTES = 60 * 1000 * 1000
SEARCH_BYTES = 2 * 1000 * 1000


def target_for(result: Result, params: Params, floor: float | None) -> tuple[str, str]:
    """The issue's target for this measurement at this scale, and whether it is met."""
    scale = (params.workers, params.months)
    if not result.ok:
        return ("completes" if scale == CITY else "—", "not met (failed)")
    memory_ok = result.memory_mib <= GIB
    memory = f"{result.memory_mib / 1024:.2f} GiB" if not memory_ok else ""
    if scale == CITY:
        return ("completes", "met") if result.name in ("check", "warm", "build") else ("—", "")
    if scale != COUNTY or result.name in ("floor", "naive"):
        return ("—", "")
    if result.name == "check":
        ratio = result.seconds / floor if floor else None
        target = "≤ 1.0× floor, ≤ 1 GiB"
        if ratio is None:
            return target, "unknown (no floor measured)"
        misses = ([f"{ratio:.2f}× floor"] if ratio > 1.0 else []) + ([memory] if memory else [])
    elif result.name == "warm":
        target = "≤ 1 s, ≤ 1 GiB"
        misses = ([f"{result.seconds:.2f} s"] if result.seconds > 1.0 else []) + ([memory] if memory else [])
    else:
        target = f"≤ {BUILD_SECONDS} s, ≤ 1 GiB"
        misses = [f"{result.seconds:.1f} s"] if result.seconds > BUILD_SECONDS else []
        misses += [memory] if memory else []
    return target, ("met" if not misses else "not met (" + ", ".join(misses) + ")")


# --- reporting ------------------------------------------------------------------------------------------------
def machine() -> dict[str, str]:
    import yaml

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        meminfo = Path("/proc/meminfo").read_text()
        kib = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo).group(1))  # type: ignore[union-attr]
        ram = f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        import pydantic

        pydantic_version = pydantic.VERSION
    except ImportError:
        pydantic_version = "not installed"
    libyaml = "libyaml (CSafeLoader) available" if getattr(yaml, "__with_libyaml__", False) else "pure Python only"
    return {
        "CPU": cpu,
        "cores": f"{usable} usable ({os.cpu_count()} online)",
        "RAM": ram,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "PyYAML": f"{yaml.__version__}, {libyaml}",
        "pydantic": pydantic_version,
        "gridscore": code_version(),
        "load average before the run": " ".join(f"{x:.2f}" for x in LOAD_BEFORE),
    }


def code_version() -> str:
    def git(*args: str) -> str:
        found = subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True, check=False)
        return found.stdout.strip() if found.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "unknown (not a git checkout)"
    dirty = git("status", "--porcelain", "--", "generator")
    return f"commit {commit}" + (" + uncommitted changes in generator/" if dirty else "")


def table(results: list[Result], params: Params) -> str:
    floor = next((r.seconds for r in results if r.name == "floor" and r.ok), None)
    rows = [
        "| measurement | wall s (median) | runs s | × floor | peak RSS MiB | peak tree PSS MiB | target | met |",
        "| --- | ---: | --- | ---: | ---: | ---: | --- | --- |",
    ]
    for result in results:
        runs = " / ".join(f"{run.seconds:.2f}" for run in result.runs)
        ratio = f"{result.seconds / floor:.2f}" if floor else "—"
        target, met = target_for(result, params, floor)
        seconds = f"{result.seconds:.2f}" if result.ok else f"{result.seconds:.2f} (exit {result.runs[-1].code})"
        tree = f"{result.tree_mib:.0f}" if result.tree_mib else "—"
        rows.append(
            f"| {result.label} | {seconds} | {runs} | {ratio} | {result.rss_mib:.0f} | {tree} | {target} | {met} |"
        )
    return "\n".join(rows)


def report(
    params: Params,
    argv: list[str],
    root: Path,
    marker: dict,
    generated: float | None,
    results: list[Result],
    notes: Sequence[str] = (),
) -> str:
    scale = (params.workers, params.months)
    title = {COUNTY: "County-year", CITY: "City-year"}.get(scale, "Synthetic repository")
    files = len(record_files(root))
    lines = [
        f"## {title}: {params.workers:,} workers × {params.months} months",
        "",
        f"Measured {date.today().isoformat()} with:",
        "",
        "```bash",
        shlex.join(["python", "scripts/bench.py", *argv]),
        "```",
        "",
        f"Repository: `scripts/synth.py --workers {params.workers} --months {params.months} --start {params.start} "
        f"--seed {params.seed}{' --reviews' if params.reviews else ''}{' --sealed' if params.sealed else ''}` — "
        f"{marker.get('records', 0):,} monthly records, "
        f"{marker.get('reviews', 0):,} annual reviews, {marker.get('seals', 0):,} sealed months "
        f"({files:,} files parsed by the floor), "
        f"{marker.get('communities', 0):,} communities, {marker.get('events', 0):,} events; "
        + (f"generated in {generated:.1f} s." if generated is not None else "reused from an earlier run."),
        "",
        "Machine:",
        "",
        *(f"- {k}: {v}" for k, v in machine().items()),
        "",
        table(results, params),
        "",
        "Commands measured (ROOT is the synthetic repository; each run is a fresh process):",
        "",
    ]
    lines += [f"- {r.name}: `{r.command}`" for r in results]
    built = next((r for r in results if r.site is not None), None)
    if built is not None and built.site is not None:
        lines += ["", *site_report(built.site, scale == COUNTY)]
    check_line = next(
        (line for r in results if r.name == "check" for line in r.runs[-1].output.splitlines() if "用时" in line),
        None,
    )
    if check_line:
        lines += ["", f"`gridscore check` said: {check_line.strip()}"]
    for result in results:
        failed = next((run for run in result.runs if run.code != 0), None)
        if failed is not None:
            tail = failed.output.strip().splitlines()[-5:]
            lines += ["", f"{result.name} failed (exit {failed.code}); its last lines:", "", "```text", *tail, "```"]
    if notes:
        lines += ["", "Notes:", "", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n"


def site_report(site: SiteSize, county: bool) -> list[str]:
    """The public site the build wrote, against the county budget (MB = 10⁶ bytes, as hosts count)."""

    def mb(size: int) -> str:
        return f"{size / 1e6:.1f} MB" if size >= 100_000 else f"{size / 1e3:.0f} kB"

    def met(size: int, budget: int) -> str:
        return ("met" if size <= budget else f"not met ({mb(size)})") if county else "—"

    lines = [
        f"The public site: {site.files:,} files.",
        "",
        "| measure | size | budget | met |",
        "| --- | ---: | --- | --- |",
        f"| whole site | {mb(site.total)} | ≤ {mb(SITE_BYTES)} | {met(site.total, SITE_BYTES)} |",
        f"| search index (`search/search_index.json`) | {mb(site.search_index)} | ≤ {mb(SEARCH_BYTES)} "
        f"| {met(site.search_index, SEARCH_BYTES)} |",
        f"| largest page (`{site.largest_page[0]}`) | {mb(site.largest_page[1])} | — | |",
        "",
        "By file type: "
        + ", ".join(f"{kind} {mb(size)}" for kind, size in sorted(site.by_type.items(), key=lambda kv: -kv[1])),
        "",
        "By folder: "
        + ", ".join(f"`{name}` {mb(size)}" for name, size in sorted(site.by_folder.items(), key=lambda kv: -kv[1])),
    ]
    return lines


HEADER = """\
# Benchmarks

Written by `scripts/bench.py --write`, one section per repository size; re-running
it replaces the section of the same size and keeps the others. The repositories are
synthetic (`scripts/synth.py`: fictional, seeded, in the style of `records/`) and, unless
`--no-seals`, sealed like a unit that publishes monthly: every month but the last (the
open one, where the warm check edits a record) has its seal, which `check` verifies and
the floor parses too.

How it measures: every measurement is a fresh child process; wall time is the
median of the runs (build runs once). Memory is shown twice: **peak RSS** is the
largest single process (the child, or a worker it waited for; `os.wait4`), and
**peak tree PSS** is sampled every 0.2 s over the child and all its descendants
together, counting shared pages once: what a check that forks parsing workers
really uses. The memory target is judged on the larger of the two; both are the
largest over the runs.

The **floor** parses every record file with libyaml (`yaml.CSafeLoader`) in one
process and does nothing else: `check` can only beat it by parsing on several
cores or by not parsing unchanged files again (a cache). The **naive** row is
what a straightforward loader costs (pure-Python `yaml.safe_load` and pydantic
validation), for scale. **Cold** `check` runs with any `.gridscore-cache`
deleted; **warm** runs right after one record's `coordination` level was changed
(the runs alternate between the changed and the original text, so each sees
exactly one changed file).

Targets (issue 6), for a county-year (3,000 workers × 12 months = 36,000
records) on a 2-core laptop:

- `gridscore check` ≤ 1.0× the floor;
- `gridscore check` after one changed record ≤ 1 s;
- public `gridscore build` ≤ 30 s (PRODUCT.md §8; it was 60 s before the portal issue);
- the public site ≤ 60 MB, its search index ≤ 2 MB, with the size by file type and folder;
- peak memory ≤ 1 GiB;
- and a city-year (30,000 × 12) completes.
"""

_SECTION = re.compile(r"<!-- bench:(?P<key>[^ ]+) -->\n.*?<!-- /bench:(?P=key) -->\n", re.DOTALL)
NOTES = "<!-- notes: written by hand, kept as they are by bench.py -->\n"


def write_benchmarks(path: Path, key: str, body: str) -> None:
    """Rewrite ``path``: the header, then every section, ours replaced or added; ordered by size; then the notes."""
    sections: dict[str, str] = {}
    notes = ""
    if path.is_file():
        text = path.read_text(encoding="utf-8")
        if NOTES in text:
            text, notes = text.split(NOTES, 1)
            notes = NOTES + notes
        for match in _SECTION.finditer(text):
            sections[match.group("key")] = match.group(0)
    sections[key] = f"<!-- bench:{key} -->\n{body}<!-- /bench:{key} -->\n"

    def size(k: str) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", k))

    ordered = [sections[k] for k in sorted(sections, key=size)]
    path.write_text(HEADER + "\n" + "\n".join(ordered) + ("\n" + notes if notes else ""), encoding="utf-8")


# --- command line ----------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:  # the floor and naive programs, run as their own processes
        count = CHILDREN[argv[1]](Path(argv[2]))
        print(f"{argv[1]}: parsed {count} files")
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=3000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--start", default="2026-01")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-reviews", action="store_true", help="no annual reviews in the synthetic repository")
    parser.add_argument("--no-seals", action="store_true", help="no sealed months in the synthetic repository")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "gridscore-bench")
    parser.add_argument("--skip-build", action="store_true", help="do not measure gridscore build")
    parser.add_argument(
        "--measure",
        default=",".join(MEASUREMENTS),
        help=f"comma-separated subset of {','.join(MEASUREMENTS)} (default: all)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing, median reported (build: 1)")
    parser.add_argument("--write", action="store_true", help=f"write the results into {BENCHMARKS.name}")
    parser.add_argument("--note", action="append", default=[], help="a note to add under the table (repeatable)")
    args = parser.parse_args(argv)
    # "Today" for every child (synth's sealing, check, build): a month after the data's last records,
    # so their assessment dates (and January's annual reviews) are in the past and every month can be sealed.
    year, month = (int(part) for part in args.start.split("-"))
    after = year * 12 + month - 1 + args.months + 1
    os.environ.setdefault("GRIDSCORE_TODAY", f"{after // 12:04d}-{after % 12 + 1:02d}-15")
    chosen = [m.strip() for m in args.measure.split(",") if m.strip()]
    unknown = sorted(set(chosen) - set(MEASUREMENTS))
    if unknown:
        parser.error(f"unknown measurement(s): {', '.join(unknown)}")
    if args.skip_build:
        chosen = [m for m in chosen if m != "build"]
    chosen = [m for m in MEASUREMENTS if m in chosen]

    params = Params(args.workers, args.months, args.start, args.seed, not args.no_reviews, not args.no_seals)
    args.workdir.mkdir(parents=True, exist_ok=True)
    root, marker, generated = synthetic_repo(params, args.workdir.resolve())
    if generated is not None:
        print(f"generated {root} in {generated:.1f} s")
    else:
        print(f"reusing {root}")
    results = run_benchmarks(root, chosen, args.repeat, args.workdir.resolve() / f"site-{params.key}")
    text = report(params, argv, root, marker, generated, results, args.note)
    print()
    print(text)
    if args.write:
        write_benchmarks(BENCHMARKS, params.section, text)
        print(f"wrote {BENCHMARKS}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
