"""One writer at a time per index, and a generation marker that tells readers it changed.

The lock is an advisory `flock` on a file beside the index. The kernel drops it when
its holder dies, kill -9 included, so a crashed ingest never leaves a stale lock that
someone must delete by hand; the pid written into the file only serves the message
a waiting writer prints.

With a Chroma server the lock file still lives in the local `--index` folder (named
after the server and collection): it serialises the writers of this machine that use
the same `--index` folder. Writers on other machines, or with another `--index`, are
not covered; give them one shared folder (e.g. on NFS with working flock) or run
ingests from one place.

The generation marker is a small file rewritten (temp + rename) after every write;
a reader that sees another value reopens its view of the index (see NewsIndex.refresh).
With a Chroma server the marker is a record in the server instead (NewsIndex._bump_generation),
since processes on other machines share no folder.
"""

from __future__ import annotations

import fcntl
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import IndexLockedError

POLL_S = 0.2


@contextmanager
def write_lock(path: Path, where: str, timeout_s: float) -> Iterator[None]:
    """Hold the exclusive write lock at `path` for the block; wait up to `timeout_s` seconds.

    Raises IndexLockedError (naming the holder's pid and the fix) when the wait runs out.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(timeout_s, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLockedError(where, _holder(fd), timeout_s) from None
                time.sleep(POLL_S)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip() or "?"
    except OSError:
        return "?"


def read_generation(path: Path) -> str:
    """The marker's value; "" when nothing was ever written (a fresh or pre-marker index)."""
    try:
        # Compared, never parsed: whatever bytes are there (even garbage) are a value.
        return path.read_bytes().decode("utf-8", "replace").strip()
    except OSError:
        return ""


def bump_generation(path: Path) -> str:
    """Write a new random marker atomically and return it."""
    value = uuid.uuid4().hex
    atomic_write_bytes(path, value.encode())
    return value


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Temp file in the same folder, fsync, rename: readers see the old file or the new, whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
