"""The package's own exceptions.

Every error carries enough context for a person to act on it: a quiz problem names the
file, line and field; an answer problem names the question. None of them is meant to
reach a trainee as a traceback: views catch ``MesoTrainingError`` and show the message.

Each one survives pickling with its fields (pytest-xdist workers and kernels pass errors
between processes): ``__reduce__`` gives back the arguments its constructor takes, as
nbclient's ``CellExecutionError`` does, because ``Exception`` would replay only the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any


class MesoTrainingError(Exception):
    """Base of every error this package raises on purpose."""

    _args: tuple[Any, ...] | None = None
    """The constructor's arguments, for errors whose constructor builds the message."""

    _kwargs: dict[str, Any] | None = None
    """Keyword-only constructor arguments, given back through ``functools.partial``."""

    def __reduce__(self) -> tuple[Any, ...]:
        if self._args is None:
            return (type(self), self.args)
        if self._kwargs:
            return (partial(type(self), **self._kwargs), self._args)
        return (type(self), self._args)


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a quiz file, where it is, and how to fix it."""

    path: Path
    line: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field or '(file)'}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class QuizFormatError(MesoTrainingError):
    """Quiz files that cannot be loaded; holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        # Two checks can find the same fault (the schema and a rule): say it once.
        unique = {(str(p.path), p.line, p.field, p.message, p.hint): p for p in problems}
        self.problems = sorted(unique.values(), key=lambda p: (str(p.path), p.line, p.field))
        self._args: tuple[Any, ...] = (problems,)
        count = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the quiz files:\n{lines}")


class AnswerError(MesoTrainingError):
    """An answer of the wrong shape for its question (wrong type, unknown option)."""

    def __init__(self, question_id: str, message: str) -> None:
        self.question_id = question_id
        self._args = (question_id, message)
        super().__init__(f"answer to {question_id!r} not accepted: {message}")


class UnknownQuestionTypeError(MesoTrainingError, LookupError):
    """A question type with no grader or view registered: a programming error, named so it is fixed at once."""


class AttemptError(MesoTrainingError, ValueError):
    """An ``Attempt`` that cannot be stored faithfully; lists every problem at once."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self._args = (problems,)
        super().__init__("attempt not valid: " + "; ".join(problems))


class SessionError(MesoTrainingError):
    """An action the attempt rules do not allow now (e.g. a second answer in assessment)."""


class NotebookRunError(MesoTrainingError):
    """A notebook could not be read or its kernel could not start."""


class StoreError(MesoTrainingError):
    """The progress database could not be used; ``path`` names the file (or the server's URL, password masked)."""

    retryable = True
    """Whether saving may work later in this session (so the UI offers Retry saving)."""

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = path
        if self._args is None:  # a subclass sets its own arguments first
            self._args = (path, message)
        super().__init__(message)


class StoreUnreachableError(StoreError):
    """The database server did not answer (stopped, restarting, wrong address) or refused the login.

    ``location`` is the server's URL with its password masked; ``detail`` is the driver's reason.
    """

    def __init__(self, location: str, detail: str = "") -> None:
        self.detail = detail
        self._args = (location, detail)
        super().__init__(
            location,
            f"Cannot reach the progress database server {location}{f' ({detail})' if detail else ''}. "
            "Your answers are kept in memory for this session and saved with your next submission; "
            "if this keeps happening, ask your course team to check that the database server is "
            "running and that MESO_TRAINING_DB names it correctly.",
        )


class StoreRefusedError(StoreError):
    """The course's records service answered but refused the request (``status``: its HTTP status).

    Not retryable: sending the same answers again gets the same refusal; the reason says what to do.
    """

    retryable = False

    def __init__(self, location: str, status: int, reason: str) -> None:
        self.status, self.reason = status, reason
        self._args = (location, status, reason)
        super().__init__(location, f"The course's records service {location} refused this: {reason}")


class RecordsRequestError(MesoTrainingError):
    """A request the records service refuses; ``status`` is the HTTP status it answers with."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        self._args = (status, message)
        super().__init__(message)


class StoreReadOnlyError(StoreError):
    """The database file, or the folder it lives in, cannot be written."""

    def __init__(self, path: Path) -> None:
        self._args = (path,)
        super().__init__(
            path,
            f"Cannot save to the progress database {path}: the file or its folder is "
            "read-only. Your answers are kept in memory for this session; make the folder "
            "writable, or set MESO_TRAINING_DB to a file in a folder you can write to, "
            "then submit again.",
        )


class StoreLockedError(StoreError):
    """The database stayed busy for longer than the store waits; ``holders`` are the processes seen holding it."""

    def __init__(self, path: Path, timeout: float, holders: tuple[str, ...] = ()) -> None:
        self.timeout, self.holders = timeout, tuple(holders)
        self._args = (path, timeout, self.holders)
        if self.holders:
            who = f"locked by {', '.join(self.holders)}"
            advice = "close the other notebook or program if this keeps happening"
        else:
            who = "busy"
            advice = "this happens when the computer is very busy; submit again in a moment"
        super().__init__(
            path,
            f"The progress database {path} stayed {who} for more than {timeout:g} s. "
            f"Your answers are kept in memory and saved with your next submission; {advice}.",
        )


class StoreFullError(StoreError):
    """SQLite reported SQLITE_FULL: the disk (or a size limit) has no room left."""

    def __init__(self, path: Path) -> None:
        self._args = (path,)
        super().__init__(
            path,
            f"Cannot save to the progress database {path}: the disk is full. Your answers "
            "are kept in memory for this session; free some disk space, then submit again.",
        )


class StoreCorruptError(StoreError):
    """The file is not a readable database; ``moved_to`` is where it was put aside.

    ``recovered`` and ``found`` say how many answers were copied from it into the new file,
    of how many it still listed (None when nothing was tried).
    """

    def __init__(self, path: Path, moved_to: Path | None = None, detail: str = "",
                 recovered: int | None = None, found: int | None = None) -> None:
        self.moved_to, self.recovered, self.found = moved_to, recovered, found
        self._args = (path, moved_to, detail, recovered, found)
        if moved_to is not None:
            message = (
                f"The progress database {path} was damaged. It was moved aside to {moved_to} "
                f"(nothing was deleted) and {_started(recovered, found)}; "
                "send the moved file to your course team if your earlier answers matter."
            )
        else:
            message = (
                f"The progress database {path} is damaged and could not be read"
                f"{': ' + detail if detail else ''}. Your answers are kept in memory; "
                "reopen the notebook so the damaged file is moved aside and a new one started."
            )
        super().__init__(path, message)


def _started(recovered: int | None, found: int | None) -> str:
    if not recovered:
        tail = " (no answers could be read from the damaged one)" if recovered == 0 else ""
        return f"a new, empty database was started{tail}"
    lost = max((found or recovered) - recovered, 0)
    if not lost:
        return f"a new database was started with all {recovered} answer{'s' if recovered != 1 else ''} it still held"
    return f"a new database was started with the {recovered} answers that could still be read ({lost} could not)"


class StoreVersionError(StoreError):
    """The file (or database: ``path`` is then its URL, password masked) was written by a newer meso-training."""

    retryable = False  # nothing in this session can make this release write the file

    def __init__(self, path: Path | str, found: int, supported: int) -> None:
        self.found, self.supported = found, supported
        self._args = (path, found, supported)
        super().__init__(
            path,
            f"The progress database {path} was written by a newer meso-training (schema "
            f"version {found}; this one understands up to {supported}). Upgrade "
            f"meso-training (pip install --upgrade meso-training); the "
            f"{'database' if isinstance(path, str) else 'file'} was left untouched.",
        )


class ProgressFileError(MesoTrainingError):
    """A progress export or import file that cannot be written or read; names the file and rows.

    ``problems`` holds ``(row, message)`` pairs (row None for the whole file), every one found,
    so a hand-edited file can be fixed in one pass; nothing of a bad file is imported.
    """

    _SHOWN = 20

    def __init__(self, path: Path, problems: list[tuple[int | None, str]], *, action: str = "import",
                 more: int = 0) -> None:
        # ``more``: problems found but not kept (a hostile file can have millions of bad rows).
        self.path = path
        self.problems = problems
        self._args = (path, problems)
        self._kwargs: dict[str, Any] = {"action": action, "more": more}
        shown = problems[: self._SHOWN]
        lines = [f"  {f'row {row}' if row is not None else 'file'}: {message}" for row, message in shown]
        hidden = len(problems) - len(shown) + more
        if hidden:
            lines.append(f"  ... and {hidden:,} more")
        outcome = {"import": "nothing was imported", "analyse": "no figures were computed"}.get(
            action, "nothing was written")
        super().__init__(f"cannot {action} {path} ({outcome}):\n" + "\n".join(lines))


class CertificateCodeError(MesoTrainingError):
    """Text that cannot be a certificate code, even allowing for the usual typing slips."""

    def __init__(self, given: str) -> None:
        self.given = given
        self._args = (given,)
        super().__init__(
            f"{given!r} is not a certificate code. A code reads MESO and three groups of four letters "
            "and digits, like MESO-7KQ2-9XRT-4DFA (printed under the signature line of the certificate); "
            "copy it from there. Capitals, dashes and spaces do not matter, and O and 0, I and 1 are "
            "read alike.")


class CourseFolderError(MesoTrainingError):
    """A course folder or module that cannot be created, or a preview that cannot start; the message says why."""
