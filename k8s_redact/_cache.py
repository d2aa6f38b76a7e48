"""A small content-addressed on-disk cache (validated rule packs, Hyperscan databases).

Entries are keyed by a hash of everything they derive from, written atomically, and only ever
contain derived data (never scanned text).  Any failure to read or write is ignored: the cache
only saves time.  Location: ``$K8S_REDACT_CACHE_DIR``, else ``$XDG_CACHE_HOME/k8s-redact``, else
``~/.cache/k8s-redact``; ``K8S_REDACT_CACHE_DIR=off`` disables it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path | None:
    configured = os.environ.get("K8S_REDACT_CACHE_DIR")
    if configured is not None:
        return None if configured.lower() in ("", "off", "0", "none") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "k8s-redact"


def key(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:40]


def read(name: str) -> bytes | None:
    directory = cache_dir()
    if directory is None:
        return None
    try:
        return (directory / name).read_bytes()
    except OSError:
        return None


#: Entries kept; older ones are removed when a new one is written (rule edits make new keys).
MAX_ENTRIES = 64


def write(name: str, data: bytes) -> None:
    directory = cache_dir()
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, directory / name)
        _prune(directory)
    except OSError:
        pass


def _prune(directory: Path) -> None:
    entries = [p for p in directory.iterdir() if not p.name.startswith(".")]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - MAX_ENTRIES]:
        with contextlib.suppress(OSError):
            old.unlink()
