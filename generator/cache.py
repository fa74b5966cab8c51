"""A cache of what each data file said, keyed by the hash of its bytes.

``gridscore check`` reads every file on every run; a file whose bytes, rubric
and gridscore code are the same as last time is not parsed and validated
again: its outcome (the typed record, or the problems found in it) comes from
``.gridscore-cache/``. The cache is never trusted over the files: an entry is
used only when the hash of the file read just now matches, and anything odd
about the cache (missing, truncated, from another version) makes it empty.
Deleting the folder is always safe.

The cache holds pickles, and unpickling runs code: a shard is read only if it
carries a MAC made with this machine's own key (kept outside the repository, in
the user's cache folder). A ``.gridscore-cache`` committed to a pull request,
or written by anyone else, is ignored rather than trusted; one that is a symlink
(or holds symlinks) is neither read nor written through.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pydantic

from .fsguard import read_regular

CACHE_DIR = ".gridscore-cache"
_FORMAT = 2
_SHARD_MAX_BYTES = 1024 * 1024 * 1024  # a month of a city (30,000 records) is about 40 MB

_code_hash: str | None = None


_MAC_SIZE = 32
_key: bytes | None = None


def machine_key() -> bytes | None:
    """This user's secret for signing cache shards, made on first use; None if it cannot be kept."""
    global _key
    if _key is None:
        home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        path = Path(home) / "gridscore" / "cache-key"
        try:
            if not path.is_file():
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(os.urandom(_MAC_SIZE))
            key = path.read_bytes()
        except OSError:
            return None
        if len(key) != _MAC_SIZE:
            return None
        _key = key
    return _key


def _mac(key: bytes, payload: bytes) -> bytes:
    return hashlib.blake2b(payload, key=key, digest_size=_MAC_SIZE).digest()


def digest(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


def code_fingerprint() -> str:
    """Everything besides a file's bytes that its outcome depends on: the code and its libraries."""
    global _code_hash
    if _code_hash is None:
        hasher = hashlib.blake2b(digest_size=16)
        hasher.update(f"{_FORMAT} {sys.version} {pydantic.VERSION}".encode())
        package = Path(__file__).parent
        for source in sorted(package.glob("*.py")):
            hasher.update(source.name.encode())
            hasher.update(source.read_bytes())
        _code_hash = hasher.hexdigest()
    return _code_hash


class FileCache:
    """Outcomes by repository-relative path, each with the digest of the bytes it came from.

    Stored in shards, one per folder of a month (``records/2026/03``) or so, so that
    changing one record rewrites one shard rather than the whole cache.
    """

    def __init__(self, root: Path, context: Iterable[bytes]) -> None:
        hasher = hashlib.blake2b(code_fingerprint().encode(), digest_size=16)
        for part in context:  # e.g. the rubric files: outcomes depend on them
            hasher.update(digest(part))
        self.fingerprint = hasher.hexdigest()
        self.folder = root / CACHE_DIR
        self.shards: dict[str, dict[str, tuple[bytes, bytes]]] = {}
        self.dirty: set[str] = set()
        self.stale: list[Path] = []  # shard files of another version, unsigned or unreadable
        self.key = machine_key() if _real_folder(self.folder) else None
        if self.key is None:
            return  # no key (or a cache folder that is a symlink), no cache: nothing is read, nothing is written
        for path in self._shard_files():
            try:
                signed = read_regular(path, _SHARD_MAX_BYTES)
                mac, payload = signed[:_MAC_SIZE], signed[_MAC_SIZE:]
                if hmac.compare_digest(mac, _mac(self.key, payload)):
                    stored = pickle.loads(payload)  # noqa: S301 - signed with this machine's key
                    if stored["fingerprint"] == self.fingerprint and path.name == _shard_file(stored["shard"]):
                        self.shards[stored["shard"]] = stored["entries"]
                        continue
            except Exception:  # noqa: BLE001, S110 - an unreadable shard (a symlink, too big) is an empty one
                pass
            self.stale.append(path)

    def _shard_files(self) -> list[Path]:
        try:
            with os.scandir(self.folder) as entries:
                names = [entry.name for entry in entries if entry.name.startswith("files-")]
        except OSError:
            return []
        return [self.folder / name for name in sorted(names) if name.endswith(".pickle")]

    def get(self, name: str, key: bytes) -> bytes | None:
        entry = self.shards.get(_shard(name), {}).get(name)
        if entry is not None and entry[0] == key:
            return entry[1]
        return None

    def put(self, name: str, key: bytes, blob: bytes) -> None:
        shard = _shard(name)
        self.shards.setdefault(shard, {})[name] = (key, blob)
        self.dirty.add(shard)

    def keep_only(self, names: set[str]) -> None:
        """Forget files that no longer exist."""
        for shard, entries in self.shards.items():
            gone = [name for name in entries if name not in names]
            for name in gone:
                del entries[name]
            if gone:
                self.dirty.add(shard)

    def save(self) -> None:
        """Write the changed shards atomically; a cache that cannot be written is simply not written."""
        if self.key is None:
            return
        try:
            for path in self.stale:
                path.unlink(missing_ok=True)
            if not self.dirty:
                return
            self.folder.mkdir(exist_ok=True)
            if not _real_folder(self.folder):
                return
            try:
                fd = os.open(self.folder / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write("# gridscore's cache: safe to delete\n*\n")
            for shard in sorted(self.dirty):
                entries = self.shards[shard]
                target = self.folder / _shard_file(shard)
                if not entries:
                    target.unlink(missing_ok=True)
                    continue
                fd, temporary = tempfile.mkstemp(dir=self.folder, prefix=".files-", suffix=".tmp")
                try:
                    data = {"fingerprint": self.fingerprint, "shard": shard, "entries": entries}
                    payload = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(_mac(self.key, payload))
                        handle.write(payload)
                    os.replace(temporary, target)
                except BaseException:
                    Path(temporary).unlink(missing_ok=True)
                    raise
        except OSError:
            return


def _real_folder(folder: Path) -> bool:
    """The cache folder is usable: missing (it will be made) or a real folder, not a symlink to one."""
    try:
        return stat.S_ISDIR(os.lstat(folder).st_mode)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _shard(name: str) -> str:
    """records/2026/03/c001/w.yaml → records/2026/03; records/notices/x.yaml → records/notices."""
    parts = name.split("/")
    return "/".join(parts[:3] if len(parts) > 4 else parts[:-1])


def _shard_file(shard: str) -> str:
    return f"files-{hashlib.blake2b(shard.encode(), digest_size=8).hexdigest()}.pickle"
