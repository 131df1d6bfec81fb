"""A checked course kept on disk, so opening a module does not parse and validate every quiz file again.

Every notebook kernel used to read all the YAML, build pydantic's validators and run the
cross-file rules before showing one module: about a tenth of a second per kernel, paid
again by every trainee's notebook and by every kernel CI starts. Only a course that loaded
without problems is kept, under a key made of the bytes of every quiz file, of the
package's own code and of the Python and pydantic versions. Any edit to any of them is a
miss that goes through the full loader, so a stale or broken file can never be served in
place of a check. A cache that cannot be read or written is skipped, never an error.

Entries are pickles, so they are only read from a folder and file that belong to the user
running the kernel and that nobody else can write to. ``MESO_TRAINING_CACHE`` moves the
folder; ``MESO_TRAINING_CACHE=off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import platformdirs

from meso_training.authoring.quiz_files import find_quiz_files, locate_course
from meso_training.authoring.yaml_source import quiz_bytes
from meso_training.errors import Problem
from meso_training.model import Course

CACHE_ENV = "MESO_TRAINING_CACHE"
KEEP_ENTRIES = 8  # an instructor editing files makes a new entry per save; old ones are dropped
_FORMAT = b"meso-training course cache 1"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """The folder entries live in, or None when the cache is turned off."""
    override = os.environ.get(CACHE_ENV, "").strip()
    if override.lower() == "off":
        return None
    if override:
        return Path(override).expanduser()
    return platformdirs.user_cache_path("meso-training") / "courses"


def code_fingerprint(package_dir: Path = _PACKAGE_DIR) -> bytes:
    """A digest of the package's Python files: a changed loader or model must not read old entries."""
    digest = hashlib.sha256()
    for path in sorted(package_dir.rglob("*.py")):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def course_key(paths: Sequence[Path] | None) -> str:
    """What a loaded course depends on, as one hex digest."""
    files, registry = find_quiz_files(locate_course(paths).paths)
    digest = hashlib.sha256(_FORMAT)
    digest.update(f"{sys.version}\0{metadata.version('pydantic')}\0".encode())
    digest.update(code_fingerprint())
    for path in [*files, *([registry] if registry else [])]:
        content = quiz_bytes(path)
        if isinstance(content, Problem):  # the load that follows reports it at its file
            content = content.message.encode()
        digest.update(path.name.encode() + b"\0" + content + b"\0")
    return digest.hexdigest()


def _private_to_user(path: Path) -> bool:
    """Owned by this user and writable by nobody else: safe to unpickle (POSIX; elsewhere, always)."""
    if not hasattr(os, "getuid"):
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(entry: Path) -> Course | None:
    try:
        if not (_private_to_user(entry.parent) and _private_to_user(entry)):
            log.warning("course cache %s is writable by others; not reading it", entry)
            return None
        course = pickle.loads(entry.read_bytes())  # noqa: S301 - a private file this package wrote
    except FileNotFoundError:
        return None
    except Exception as exc:  # any unreadable entry (truncated, from another version) is only a miss
        log.warning("course cache %s is unreadable (%s); loading the quiz files instead", entry, exc)
        return None
    return course if isinstance(course, Course) else None


def _write(entry: Path, course: Course) -> None:
    folder = entry.parent
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".course-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                pickle.dump(course, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)  # atomic: a kernel reading at the same time sees all or nothing
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        others = [p for p in folder.glob("course-*.pickle") if p != entry]
        for stale in sorted(others, key=lambda p: p.stat().st_mtime, reverse=True)[KEEP_ENTRIES - 1:]:
            with contextlib.suppress(OSError):
                stale.unlink()
    except OSError as exc:
        log.warning("could not keep the checked course in %s (%s); the next notebook checks it again", folder, exc)


def _entry(folder: Path | None, paths: Sequence[Path] | None) -> Path | None:
    """The entry for the course under ``paths`` now, or None when the cache is off or a file is unreadable."""
    if folder is None:
        return None
    try:
        return folder / f"course-{course_key(paths)[:40]}.pickle"
    except OSError:
        return None  # the loader says which file, with its own message


def cached_course(paths: Sequence[Path] | None = None) -> Course:
    """``load_course(paths)``, read from the cache when nothing it depends on has changed.

    Raises what ``load_course`` raises: a course with problems is never cached.
    """
    folder = cache_dir()
    located = list(locate_course(paths).paths)  # once: the key, the load and the edit check read the same files
    entry = _entry(folder, located)
    course = _read(entry) if entry is not None else None
    if course is not None:
        return course
    from meso_training.authoring.loader import load_course  # only on a miss: it imports the YAML parser and validators

    course = load_course(located)
    if entry is not None and _entry(folder, located) == entry:  # not edited while loading
        _write(entry, course)
    return course
