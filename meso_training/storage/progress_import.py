"""Import exported progress: streamed, bounded, checked against the course, and all or nothing.

Why it works this way:

* **Never the whole file in memory.** Rows are read one at a time (CSV through ``csv.reader``
  over bounded lines, JSON through ijson's streaming parser), so memory does not grow with
  the file; only a small fingerprint per attempt is kept, to find one uid with two versions.
  The limits (file size, rows, line length, answer size and depth) are in ``import_source``
  and ``model.attempt`` and listed in docs/reliability.md.
* **All or nothing, in two passes.** The first pass checks every row and collects every
  problem (the first ``_KEPT`` are listed, the rest counted); only a clean file is read again
  and streamed into one ``record_many`` transaction. If the file changes between the passes
  and a row turns bad, the generator raises inside the transaction and nothing is written.
* **Idempotent.** The store ignores a uid it holds, so importing twice adds nothing more.
* **A file is a claim, not a fact.** Given a ``check`` (the CLI passes the engine's
  ``Regrader``), every attempt is looked up in the course and graded again: a forged grade is
  corrected and counted, an answer the question cannot take refuses the file, an attempt at
  an older version of a question is kept as it was and counted as not re-graded, and rows for
  questions the course does not have are left out (``keep_unknown`` keeps them) and counted.
  Storage cannot call the graders itself: they live in a layer further on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meso_training.errors import AttemptError, ProgressFileError
from meso_training.model.attempt import MAX_ANSWER_DEPTH, Attempt
from meso_training.model.verdict import Standing, Verdict
from meso_training.storage.export_rows import UnusableFileError, csv_rows, json_rows
from meso_training.storage.import_source import MAX_IMPORT_ROWS, LineTooLongError, TooDeepError, open_import
from meso_training.storage.interface import ProgressStore
from meso_training.storage.transfer import format_of

Check = Callable[[Attempt], Verdict]
_KEPT = 200  # problems listed in full; a file with millions of bad rows is refused without keeping them all
_EXAMPLES = 5  # rows named per kind of finding in the summary


@dataclass(frozen=True)
class ImportSummary:
    """What an import did and what it found; the CLI prints each figure that is not zero."""

    read: int
    added: int
    skipped: int
    corrected: int = 0
    not_regraded: int = 0
    unknown: int = 0
    unknown_kept: bool = False
    corrected_rows: tuple[str, ...] = ()
    unknown_rows: tuple[str, ...] = ()


@dataclass
class _Findings:
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    more_problems: int = 0
    read: int = 0
    offered: int = 0
    corrected: int = 0
    corrected_rows: list[str] = field(default_factory=list)  # the first few, as examples
    not_regraded: int = 0
    unknown: int = 0
    unknown_rows: list[str] = field(default_factory=list)
    versions: dict[int, int] = field(default_factory=dict)  # uid fingerprint -> value fingerprint << 32 | row
    """One entry per attempt: the only thing that grows with the file (about 100 bytes a row)."""

    def problem(self, row: int | None, message: str) -> None:
        if len(self.problems) < _KEPT:
            self.problems.append((row, message))
        else:
            self.more_problems += 1


def import_progress(store: ProgressStore, source: Path, *, fmt: str | None = None, check: Check | None = None,
                    keep_unknown: bool = False) -> ImportSummary:
    """Add the attempts in ``source`` to ``store``: all or nothing, never twice, checked by ``check`` if given."""
    kind = _format(source, fmt)
    first = _Findings()
    for _ in _accepted(source, kind, check, keep_unknown, first):
        pass
    if first.problems:
        raise ProgressFileError(source, first.problems, more=first.more_problems)
    # The second pass checks each row against the first pass's fingerprints: a row edited in
    # between is "also row N, with other values", and one dictionary serves both passes.
    second = _Findings(versions=first.versions)
    del first

    def written() -> Iterator[Attempt]:
        yield from _accepted(source, kind, check, keep_unknown, second)
        if second.problems:  # the file changed since the first pass: roll the whole transaction back
            raise ProgressFileError(source, second.problems, more=second.more_problems)

    added = store.record_many(written())
    return ImportSummary(
        read=second.read, added=added, skipped=second.offered - added, corrected=second.corrected,
        not_regraded=second.not_regraded, unknown=second.unknown, unknown_kept=keep_unknown,
        corrected_rows=tuple(second.corrected_rows), unknown_rows=tuple(second.unknown_rows),
    )


def read_progress(source: Path, *, fmt: str | None = None) -> list[Attempt]:
    """Every attempt in ``source``, checked, in a list (for small files and tests; import streams)."""
    findings = _Findings()
    attempts = list(_accepted(source, _format(source, fmt), None, True, findings))
    if findings.problems:
        raise ProgressFileError(source, findings.problems, more=findings.more_problems)
    return attempts


def _format(source: Path, fmt: str | None) -> str:
    if fmt is None and source.suffix.lower() not in {".csv", ".json"}:
        with open_import(source) as file:
            fmt = "json" if file.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"
    return format_of(source, fmt, action="import")


def _accepted(source: Path, kind: str, check: Check | None, keep_unknown: bool,
              findings: _Findings) -> Iterator[Attempt]:
    """The attempts to write, in file order; every problem goes to ``findings``."""
    try:
        with open_import(source) as file:
            rows = csv_rows(file) if kind == "csv" else json_rows(file)
            for number, values, errors in rows:
                if not errors and values is None:
                    continue  # a blank line, as spreadsheets leave at the end
                findings.read += 1
                if findings.read > MAX_IMPORT_ROWS:
                    raise UnusableFileError(None, f"the file holds more than {MAX_IMPORT_ROWS:,} attempts, the limit "
                                             "for one import; export each trainee on their own (--trainee)")
                for _, message in errors:
                    findings.problem(number, message)
                if values is None:
                    continue
                attempt = _attempt(number, values, {column for column, _ in errors}, findings)
                if attempt is None:
                    continue
                kept = _judged(number, attempt, check, keep_unknown, findings)
                if kept is not None:
                    findings.offered += 1
                    yield kept
    except LineTooLongError as exc:
        raise ProgressFileError(source, [(None, f"{exc}, longer than any line export-progress writes; "
                                                "this is not a progress export")]) from exc
    except TooDeepError as exc:
        raise ProgressFileError(source, [(None, f"{exc}, deeper than any answer (at most {MAX_ANSWER_DEPTH}); "
                                                "this is not a progress export")]) from exc
    except UnusableFileError as exc:
        raise ProgressFileError(source, [(exc.row, exc.message)]) from exc


def _attempt(number: int, values: dict[str, Any], bad_columns: set[str], findings: _Findings) -> Attempt | None:
    try:
        attempt = Attempt.from_dict(values)
    except AttemptError as exc:  # its messages start with the field's name; skip those said already
        for p in exc.problems:
            if p.split(" ", 1)[0] not in bad_columns:
                findings.problem(number, p)
        return None
    except (TypeError, ValueError, OverflowError) as exc:  # 9999-12-31T23:00-05:00 is past year 9999 in UTC
        findings.problem(number, f"cannot read the attempt: {exc}")
        return None
    if bad_columns:
        return None
    uid_print = int.from_bytes(hashlib.blake2b(attempt.attempt_uid.encode("utf-8", "surrogatepass"),
                                               digest_size=8).digest())
    value_print = int.from_bytes(hashlib.blake2b(
        json.dumps(attempt.to_dict(), sort_keys=True, ensure_ascii=True).encode(), digest_size=4).digest())
    seen = findings.versions.setdefault(uid_print, value_print << 32 | number)
    if seen >> 32 != value_print:  # the same row twice is harmless (the store keeps one); two versions are not
        findings.problem(number, f"attempt_uid {attempt.attempt_uid!r} is also row {seen & 0xFFFFFFFF}, "
                                 "with other values")
        return None
    return attempt


def _judged(number: int, attempt: Attempt, check: Check | None, keep_unknown: bool,
            findings: _Findings) -> Attempt | None:
    """The attempt to write after checking it against the course, or None to leave it out."""
    if check is None:
        return attempt
    verdict = check(attempt)
    match verdict.standing:
        case Standing.CONFIRMED:
            return attempt
        case Standing.CORRECTED:
            findings.corrected += 1
            if len(findings.corrected_rows) < _EXAMPLES:
                findings.corrected_rows.append(f"row {number}: {verdict.reason}")
            return verdict.attempt
        case Standing.CHANGED:
            findings.not_regraded += 1
            return attempt
        case Standing.UNKNOWN:
            findings.unknown += 1
            if len(findings.unknown_rows) < _EXAMPLES:
                findings.unknown_rows.append(f"row {number}: {verdict.reason}")
            return attempt if keep_unknown else None
        case Standing.REFUSED:
            findings.problem(number, f"{verdict.reason}; the row was damaged or edited by hand: export it again "
                                     "from the trainee's own database")
            return None
