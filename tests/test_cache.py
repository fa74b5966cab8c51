"""The content-hash cache: used when a file is unchanged, never trusted over the file, safe to lose."""

from __future__ import annotations

import pickle
import re
import shutil
from pathlib import Path

import pytest

import generator.load
from generator.cache import CACHE_DIR, FileCache, _shard_file

from .conftest import run_cli

RECORD = "records/2026/10/chaoyang/wg-0301.yaml"  # a month not sealed yet


def check(root: Path) -> tuple[int, str, str]:
    run = run_cli("check", "--root", str(root))
    return run.code, re.sub(r"用时 [\d.]+ 秒", "用时 … 秒", run.out), run.err


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose outcome was computed (not taken from the cache), in each run."""
    names: list[str] = []
    original = FileCache.put

    def put(self: FileCache, name: str, key: bytes, blob: bytes) -> None:
        names.append(name)
        original(self, name, key, blob)

    monkeypatch.setattr(FileCache, "put", put)
    return names


def test_unchanged_files_come_from_the_cache(sample: Path, computed: list[str]) -> None:
    first = check(sample)
    files = len(list((sample / "records").rglob("*.yaml")))
    assert first[0] == 0 and len(computed) == files
    assert (sample / CACHE_DIR / ".gitignore").read_text(encoding="utf-8").endswith("*\n")
    computed.clear()
    assert check(sample) == first and computed == []
    path = sample / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("coordination: ", "coordination:  "), encoding="utf-8")
    assert check(sample) == first and computed == [RECORD]  # same data, other bytes: read again


def test_the_files_win_over_the_cache(sample: Path) -> None:
    assert check(sample)[0] == 0
    path = sample / RECORD
    text = path.read_text(encoding="utf-8")
    broken = re.sub(r"tasks_completed: \d+", "tasks_completed: 999", text)
    assert broken != text
    path.write_text(broken, encoding="utf-8")
    code, _, err = check(sample)
    line = broken[: broken.index("tasks_completed: 999")].count("\n") + 1
    assert code == 1 and f"{RECORD}:{line}: " in err and "不能大于" in err
    path.write_text(text, encoding="utf-8")  # put back: the cached outcome of these bytes is used again
    assert check(sample)[0] == 0


def test_a_rubric_change_makes_every_record_be_checked_again(sample: Path, computed: list[str]) -> None:
    assert check(sample)[0] == 0
    computed.clear()
    rubric = sample / "rubric/2026.yaml"
    rubric.write_text(rubric.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    assert check(sample)[0] == 0
    assert len(computed) == len(list((sample / "records").rglob("*.yaml")))


def test_a_damaged_or_missing_cache_changes_nothing(sample: Path) -> None:
    first = check(sample)
    shards = sorted((sample / CACHE_DIR).glob("files-*.pickle"))
    assert len(shards) > 3  # a shard per month folder, and a few more
    whole = [shard.read_bytes() for shard in shards[:3]]
    shards[0].write_bytes(b"not a pickle")
    shards[1].write_bytes(whole[1][:100])
    shards[2].write_bytes(whole[2][:-1] + bytes([whole[2][-1] ^ 1]))  # one bit: the signature no longer fits
    assert check(sample) == first
    assert [shard.read_bytes() for shard in shards[:3]] == whole  # written anew, the same
    shutil.rmtree(sample / CACHE_DIR)
    assert check(sample) == first
    shutil.rmtree(sample / CACHE_DIR)
    (sample / CACHE_DIR).write_text("in the way", encoding="utf-8")  # cannot be written: not needed either
    assert check(sample) == first


def test_deleted_files_leave_the_cache(sample: Path) -> None:
    assert check(sample)[0] == 0
    (sample / "records/2026/10/chaoyang/wg-0301.yaml").unlink()  # an unsealed month: still valid without it
    code, out, err = check(sample)
    assert code == 0, err
    cache = FileCache(sample, generator.load._cache_context(_rubrics_loaded(sample)))
    assert "records/2026/10/chaoyang/wg-0301.yaml" not in cache.shards["records/2026/10"]
    assert "records/2026/10/chaoyang/wg-0302.yaml" in cache.shards["records/2026/10"]


def test_many_files_are_read_on_every_core_with_the_same_result(
    sample: Path, computed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = check(sample)
    shutil.rmtree(sample / CACHE_DIR)
    monkeypatch.setattr(generator.load, "PARALLEL_FROM", 10)
    computed.clear()
    assert check(sample) == serial
    files = len(list((sample / "records").rglob("*.yaml")))
    assert sorted(computed) == sorted(set(computed)) and len(computed) == files
    computed.clear()
    assert check(sample) == serial and computed == []  # the workers found everything in the cache
    path = sample / RECORD
    path.write_text(re.sub(r"tasks_completed: \d+", "tasks_completed: 999", path.read_text(encoding="utf-8")))
    code, _, err = check(sample)
    assert code == 1 and RECORD in err and computed == [RECORD]


def _rubrics_loaded(root: Path) -> generator.load.Repository:
    repo = generator.load.Repository(root=root)
    generator.load._load_rubrics(repo)
    return repo


class _Planted:
    """A pickle that would create a file when loaded: what a hostile cache could do."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, tuple[Path]]:
        return (Path.touch, (self.target,))


def test_a_cache_not_written_here_is_never_unpickled(sample: Path, tmp_path: Path) -> None:
    first = check(sample)
    shard = next(p for p in (sample / CACHE_DIR).glob("files-*.pickle") if p.name == _shard_file("records/2026/10"))
    planted = tmp_path / "planted"
    payload = pickle.dumps(_Planted(planted), protocol=pickle.HIGHEST_PROTOCOL)
    for mac in (shard.read_bytes()[:32], bytes(32)):  # a signature copied from a real shard, or none
        shard.write_bytes(mac + payload)
        assert check(sample) == first
        assert not planted.exists()
    pickle.loads(payload)  # the test's own check that the payload is live
    assert planted.exists()


@pytest.mark.parametrize("parallel", [False, True])
def test_an_unreadable_file_is_reported_and_not_cached(
    sample: Path, computed: list[str], monkeypatch: pytest.MonkeyPatch, parallel: bool
) -> None:
    if parallel:
        monkeypatch.setattr(generator.load, "PARALLEL_FROM", 10)
    broken = "records/2026/10/chaoyang/wg-0399.yaml"
    (sample / broken).write_text("worker: wg-0399\n", encoding="utf-8")  # listed, but cannot be opened
    read_regular = generator.load.read_regular

    def unreadable(path: str, limit: int) -> bytes:  # tests run as root, who may open any file
        if str(path).endswith(broken):
            raise PermissionError(13, "Permission denied", str(path))
        return read_regular(path, limit)

    monkeypatch.setattr(generator.load, "read_regular", unreadable)
    for _ in range(2):
        computed.clear()
        code, _, err = check(sample)
        assert code == 1 and f"{broken}:1: 无法读取文件：没有读取权限（Permission denied）" in err, err
        assert broken not in computed
