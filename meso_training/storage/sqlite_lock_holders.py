"""Which other process holds a progress file's write lock, so a message blames it only when one does.

SQLite locks with POSIX advisory locks, which Linux lists in ``/proc/locks`` with the
holder's process id. A write lock on the file's lock bytes (rollback journal, or WAL in
exclusive locking mode) or on the WAL write-lock byte of its ``-shm`` file means a writer
is inside a transaction. Elsewhere (no ``/proc``) nobody is named, and the message says so.
"""

from __future__ import annotations

import os
from pathlib import Path

_PENDING_BYTE = 0x40000000  # SQLite's lock bytes start here in the database file
_LOCK_BYTES = range(_PENDING_BYTE, _PENDING_BYTE + 512)
_WAL_WRITE_LOCK = 120  # offset of the WAL write lock in the -shm file


def _file_key(path: Path) -> str | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"


def lock_holders(db_path: Path) -> list[str]:
    """Other processes holding a write lock on ``db_path``, as ``"pid 123 (python -m ipykernel …)"``."""
    try:
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return []
    db_key, shm_key = _file_key(db_path), _file_key(Path(f"{db_path}-shm"))
    pids: set[int] = set()
    for line in table.splitlines():
        fields = line.split()
        if len(fields) < 8 or fields[1] != "POSIX" or fields[3] != "WRITE":
            continue
        try:
            pid, start = int(fields[4]), int(fields[6])
            end = int(fields[7]) if fields[7] != "EOF" else 2**63
        except ValueError:
            continue
        key = fields[5]
        on_db = key == db_key and start <= _LOCK_BYTES[-1] and end >= _LOCK_BYTES[0]
        on_wal = key == shm_key and start <= _WAL_WRITE_LOCK <= end
        if (on_db or on_wal) and pid != os.getpid():
            pids.add(pid)
    return [f"pid {pid} ({_command(pid)})" for pid in sorted(pids)]


def _command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "a program that has ended"
    words = raw.rstrip(b"\0").split(b"\0")
    text = " ".join(" ".join(word.decode("utf-8", "replace").split()) for word in words)
    return text if len(text) <= 80 else text[:79] + "…"
