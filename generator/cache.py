"""A cache of what each data file said, keyed by the hash of its bytes.

``gridscore check`` reads every file on every run; a file whose bytes, rubric
and gridscore code are the same as last time is not parsed and validated
again: its outcome (the typed record, or the problems found in it) comes from
``.gridscore-cache/``. The cache is never trusted over the files: an entry is
used only when the hash of the file read just now matches, and anything odd
about the cache (missing, truncated, from another version) makes it empty.
Deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pydantic

CACHE_DIR = ".gridscore-cache"
_FILE = "files.pickle"
_FORMAT = 1

_code_hash: str | None = None


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
    """Outcomes by repository-relative path, each with the digest of the bytes it came from."""

    def __init__(self, root: Path, context: Iterable[bytes]) -> None:
        hasher = hashlib.blake2b(code_fingerprint().encode(), digest_size=16)
        for part in context:  # e.g. the rubric files: outcomes depend on them
            hasher.update(digest(part))
        self.fingerprint = hasher.hexdigest()
        self.path = root / CACHE_DIR / _FILE
        self.entries: dict[str, tuple[bytes, bytes]] = {}
        self.changed = False
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)  # noqa: S301 - our own file, under the repository
            if isinstance(stored, dict) and stored.get("fingerprint") == self.fingerprint:
                self.entries = stored["entries"]
        except Exception:  # noqa: BLE001 - an unreadable cache is an empty cache
            self.entries = {}

    def get(self, name: str, key: bytes) -> bytes | None:
        entry = self.entries.get(name)
        if entry is not None and entry[0] == key:
            return entry[1]
        return None

    def put(self, name: str, key: bytes, blob: bytes) -> None:
        self.entries[name] = (key, blob)
        self.changed = True

    def keep_only(self, names: set[str]) -> None:
        """Forget files that no longer exist."""
        gone = [name for name in self.entries if name not in names]
        for name in gone:
            del self.entries[name]
        self.changed = self.changed or bool(gone)

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is simply not written."""
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# gridscore's cache: safe to delete\n*\n", encoding="utf-8")
            fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".files-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as handle:
                    pickle.dump(
                        {"fingerprint": self.fingerprint, "entries": self.entries},
                        handle,
                        protocol=pickle.HIGHEST_PROTOCOL,
                    )
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return
