"""Open a progress file for import and read it in bounded pieces, whatever it turns out to be.

An import file comes from elsewhere (a trainee's laptop, a script, an attacker), so nothing
about it is trusted before it is read:

* only a regular file is opened (a device such as ``/dev/zero`` never ends, a named pipe
  may never start), checked on the path and again on the descriptor, which is opened
  without blocking;
* the file's size is capped before reading, and the bytes read are counted too (a file can
  grow while it is read);
* no line may be longer than ``MAX_LINE_BYTES``: every line ``export-progress`` writes holds
  at most one answer (itself capped at ``MAX_ANSWER_BYTES``), so a longer line is not an
  export, and refusing it bounds the memory any one CSV cell or JSON value can take.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from meso_training.errors import ProgressFileError
from meso_training.model.attempt import MAX_ANSWER_BYTES, MAX_ANSWER_DEPTH

MAX_IMPORT_BYTES = 1_000_000_000
"""Largest file import-progress reads: about 2.5 million attempts as exported, years of a large cohort."""

MAX_IMPORT_ROWS = 2_000_000
"""Most attempts one file may hold; checking duplicates keeps about 100 bytes per row in memory."""

MAX_LINE_BYTES = 16 * MAX_ANSWER_BYTES
"""Longest line: an answer at its limit, quoted for CSV (every quote doubled), with room to spare."""

MAX_JSON_DEPTH = MAX_ANSWER_DEPTH + 8
"""Deepest nesting a JSON import may reach: an answer at its limit inside the file, its entry and
``attempts``, with slack so a slightly deep answer is named by its row. Checked on the bytes before
parsing: the parser's work grows with the square of the depth, so a file nested a million deep
would never finish."""

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')  # a JSON string never spans lines
_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
_HINT = "give the path of a .csv or .json file written by export-progress"


class TooDeepError(Exception):
    """Raised by ``BoundedReader`` when brackets nest past ``MAX_JSON_DEPTH``."""

    def __init__(self, line: int) -> None:
        super().__init__(f"line {line} nests lists and objects more than {MAX_JSON_DEPTH} levels deep")
        self.line = line


class LineTooLongError(Exception):
    """Raised by ``bounded_lines`` inside a reader; the importer turns it into a ``ProgressFileError``."""

    def __init__(self, line: int) -> None:
        super().__init__(f"line {line} is longer than {MAX_LINE_BYTES:,} bytes")
        self.line = line


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def open_import(path: Path) -> BinaryIO:
    """``path`` opened for reading in binary, once it is known to be a regular file within the size limit."""
    try:
        kind = _not_regular(os.stat(path).st_mode)  # names a socket, which cannot even be opened
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)) if kind is None \
            else -1
    except OSError as exc:
        raise ProgressFileError(path, [(None, f"cannot read the file: {exc.strerror}")]) from exc
    try:
        info = os.fstat(fd) if fd >= 0 else None
        kind = kind or (_not_regular(info.st_mode) if info else None)  # swapped between the stat and the open?
        if kind is not None:
            raise ProgressFileError(path, [(None, f"this is {kind}, not a progress file; {_HINT}")])
        if info is not None and info.st_size > MAX_IMPORT_BYTES:
            raise ProgressFileError(path, [(None, f"the file is over the {MAX_IMPORT_BYTES:,}-byte limit for "
                                                  "one import; export each trainee on their own (--trainee) and "
                                                  "import the files one by one")])
    except ProgressFileError:
        if fd >= 0:
            os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def bounded_lines(file: BinaryIO) -> Iterator[bytes]:
    """The file's lines (with their endings), refusing a line over ``MAX_LINE_BYTES`` or a file past the limit."""
    total = 0
    number = 0
    while True:
        line = file.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        total += len(line)
        if len(line) > MAX_LINE_BYTES or total > MAX_IMPORT_BYTES:
            raise LineTooLongError(number)
        yield line


class BoundedReader:
    """A ``read(size)`` over ``bounded_lines``, for a streaming JSON parser, refusing nesting past the limit.

    The depth is tracked line by line at C speed: strings are cut out with one regular
    expression, brackets counted with ``bytes.count``, and only a line whose opening brackets
    could pass the limit is walked bracket by bracket.
    """

    def __init__(self, file: BinaryIO) -> None:
        self._lines = bounded_lines(file)
        self._pending = b""
        self._first = True
        self._depth = 0
        self.lines_read = 0
        """Lines handed on so far: a parse error lies at or before this line."""

    def read(self, size: int = -1) -> bytes:
        """At least one byte unless the file is over; never more than one line beyond ``size``."""
        while size < 0 or len(self._pending) < size:
            line = next(self._lines, None)
            if line is None:
                break
            self.lines_read += 1
            if self._first:
                line = line.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark an editor may add
                self._first = False
            self._nest(line)
            self._pending += line
        if size < 0:
            size = len(self._pending)
        chunk, self._pending = self._pending[:size], self._pending[size:]
        return chunk

    def _nest(self, line: bytes) -> None:
        bare = _STRING.sub(b"", line) if b'"' in line else line
        opens = bare.count(b"[") + bare.count(b"{")
        if self._depth + opens > MAX_JSON_DEPTH:
            depth = self._depth
            for byte in bare:
                if byte in b"[{":
                    depth += 1
                    if depth > MAX_JSON_DEPTH:
                        raise TooDeepError(self.lines_read)
                elif byte in b"]}":
                    depth -= 1
        self._depth += opens - bare.count(b"]") - bare.count(b"}")
