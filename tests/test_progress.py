"""The terminal progress counter: shown on a terminal for long runs, never in pipes or logs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import generator.build
import generator.load
from generator.load import load_repository
from generator.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_counter_is_rewritten_in_place_and_erased() -> None:
    stream = Terminal()
    progress = Progress("读取并校验数据文件", 128, stream=stream, force=True)
    for _ in range(128):
        progress.advance()
    shown = stream.getvalue()
    assert shown.startswith("\r读取并校验数据文件 ") and "128/128（100%）" in shown
    assert "\n" not in shown  # one line, rewritten with \r
    progress.finish()
    assert stream.getvalue().endswith("\r") and stream.getvalue()[len(shown) :].strip() == ""


def test_quiet_when_not_a_terminal_or_quick() -> None:
    piped = io.StringIO()
    progress = Progress("读取", 1000, stream=piped)
    for _ in range(1000):
        progress.advance()
    progress.finish()
    assert piped.getvalue() == ""
    quick = Terminal()
    progress = Progress("读取", 1000, stream=quick)  # a terminal, but done within a second
    for _ in range(1000):
        progress.advance()
    progress.finish()
    assert quick.getvalue() == ""


def test_loading_counts_every_data_file(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stream = Terminal()
    made: list[Progress] = []

    def recording(label: str, total: int) -> Progress:
        made.append(Progress(label, total, stream=stream, force=True))
        return made[-1]

    monkeypatch.setattr(generator.load, "Progress", recording)
    repo = load_repository(sample)
    files = list((sample / "records").rglob("*.yaml"))  # organization.yaml too
    assert len(made) == 1 and made[0].total == len(files) == made[0].done
    assert f"{len(files):,}/{len(files):,}（100%）" in stream.getvalue()
    assert len(repo.records) > 0


def test_build_counts_the_pages_mkdocs_converts_and_writes(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = Terminal()
    made: dict[str, Progress] = {}

    def recording(label: str, total: int) -> Progress:
        made[label] = Progress(label, total, stream=stream, force=True)
        return made[label]

    monkeypatch.setattr(generator.build, "Progress", recording)
    report = generator.build.build(sample, "public", tmp_path / "site")
    converted, written = made["MkDocs 转换页面"], made["MkDocs 生成页面"]
    assert converted.total == written.total == converted.done == written.done == report.pages
    assert f"{report.pages}/{report.pages}（100%）" in stream.getvalue()
