"""The synthetic repository generator (scripts/synth.py) and the benchmark helpers (scripts/bench.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from .conftest import PROJECT, run_cli


def script(name: str) -> ModuleType:
    """Import scripts/<name>.py (the scripts folder is not a package)."""
    module_name = f"_gridscore_script_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, PROJECT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


synth = script("synth")
bench = script("bench")


def tree(root: Path) -> dict[str, bytes]:
    """The generated files (not the cache a check run leaves behind)."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".gridscore-cache" not in p.parts
    }


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("synth") / "county"
    return root, synth.generate(root, workers=60, months=2, seed=5)


def test_synthetic_repository_passes_check(county: tuple[Path, object]) -> None:
    root, summary = county
    run = run_cli("check", "--root", str(root))
    assert run.code == 0, run.err
    assert "检查通过" in run.out and "120 份月度考评" in run.out
    assert summary.records == 120 and summary.events > 0  # one record per post and month; some events
    text = (root / "records" / "organization.yaml").read_text(encoding="utf-8")
    assert "publish_name: false" in text and "role: part_time" in text
    assert sorted(p.name for p in (root / "rubric").glob("*.yaml")) == ["2025.yaml", "2026.yaml"]


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path, county: tuple[Path, object]) -> None:
    root, _ = county
    synth.generate(tmp_path / "again", workers=60, months=2, seed=5)
    assert tree(tmp_path / "again") == tree(root)
    synth.generate(tmp_path / "other", workers=60, months=2, seed=6)
    assert tree(tmp_path / "other") != tree(root)


def test_a_complete_year_with_reviews_turnover_and_two_rubric_editions(tmp_path: Path) -> None:
    root = tmp_path / "year"
    summary = synth.generate(root, workers=24, months=13, start="2025-12", seed=3, reviews=True)
    run = run_cli("check", "--root", str(root))
    assert run.code == 0, run.err
    assert summary.records == 24 * 13
    assert summary.reviews == summary.workers  # everyone assessed in 2026 is reviewed; 2025 is incomplete
    assert list((root / "records").glob("2025/annual")) == []
    assert bench.parse_naive(root) == bench.parse_floor(root) == summary.records + summary.reviews


def test_sealed_repository_seals_every_month_but_the_last(tmp_path: Path) -> None:
    root = tmp_path / "sealed"
    summary = synth.generate(root, workers=20, months=3, seed=4, sealed=True)
    assert summary.seals == 2
    assert sorted(p.name for p in (root / "records/seals").iterdir()) == ["2026-01.yaml", "2026-02.yaml"]
    assert "sealed_on: 2026-02-07" in (root / "records/seals/2026-01.yaml").read_text(encoding="utf-8")
    assert not (root / ".gridscore-cache").exists()  # sealing leaves only the repository behind
    run = run_cli("check", "--root", str(root))
    assert run.code == 0, run.err
    assert "2 个已封存考评期" in run.out
    # the benchmark's warm edit lands in the open month, so the seals stay valid
    path = bench.record_files_of_last_month(root)
    assert path.relative_to(root).parts[1:3] == ("2026", "03")
    path.write_bytes(bench.toggle_level(path.read_bytes()))
    assert run_cli("check", "--root", str(root)).code == 0
    assert bench.parse_floor(root) == bench.parse_naive(root) == summary.records + 2


def test_refuses_to_replace_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(SystemExit):
        synth.generate(tmp_path, workers=5, months=1)
    assert (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep"


def test_floor_and_naive_parse_every_record_file(county: tuple[Path, object]) -> None:
    root, _ = county
    files = bench.record_files(root)
    assert len(files) == 120 and all(p.name != "organization.yaml" for p in files)
    assert bench.parse_floor(root) == 120
    assert bench.parse_naive(root) == 120


def test_warm_edit_is_a_valid_change_and_measure_reads_the_child(tmp_path: Path, county: tuple[Path, object]) -> None:
    root, _ = county
    path = bench.record_files_of_last_month(root)
    original = path.read_bytes()
    changed = bench.toggle_level(original)
    assert changed != original and len(changed.splitlines()) == len(original.splitlines())
    copy = tmp_path / "copy"
    synth.generate(copy, workers=60, months=2, seed=5)
    (copy / path.relative_to(root)).write_bytes(changed)
    assert run_cli("check", "--root", str(copy)).code == 0
    run = bench.measure([sys.executable, "-c", "print('hello')"])
    assert run.code == 0 and run.output.strip() == "hello" and run.rss_mib > 0 and run.seconds > 0


def test_write_benchmarks_replaces_its_own_section_only(tmp_path: Path) -> None:
    target = tmp_path / "BENCHMARKS.md"
    bench.write_benchmarks(target, "30000x12", "## City\nold city\n")
    bench.write_benchmarks(target, "3000x12", "## County\nfirst\n")
    bench.write_benchmarks(target, "3000x12", "## County\nsecond\n")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks") and "old city" in text and "second" in text and "first" not in text
    assert text.index("## County") < text.index("## City")


def test_bench_measures_the_site_against_the_county_budget(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "workers/w1").mkdir(parents=True)
    (site / "search").mkdir()
    (site / "index.html").write_bytes(b"x" * 1000)
    (site / "workers/w1/index.html").write_bytes(b"x" * 3000)
    (site / "search/search_index.json").write_bytes(b"x" * 2_500_000)
    (site / "robots.txt").write_bytes(b"x" * 10)
    size = bench.SiteSize.of(site)
    assert (size.files, size.total, size.search_index) == (4, 2_504_010, 2_500_000)
    assert size.by_type == {"html": 4000, "json": 2_500_000, "txt": 10}
    assert size.by_folder == {"(top level)": 1010, "workers": 3000, "search": 2_500_000}
    assert size.largest_page == ("workers/w1/index.html", 3000)
    text = "\n".join(bench.site_report(size, county=True))
    assert "| whole site | 2.5 MB | ≤ 60.0 MB | met |" in text
    assert "| search index (`search/search_index.json`) | 2.5 MB | ≤ 2.0 MB | not met (2.5 MB) |" in text
    assert "By file type: json 2.5 MB, html 4 kB, txt 0 kB" in text
