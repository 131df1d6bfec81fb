"""Move progress between machines: export stored attempts to CSV or JSON, and import them back.

Why it works this way:

* **Idempotent.** Every attempt keeps its ``attempt_uid``, and the store ignores a uid it
  already holds, so importing the same file twice (or a file that overlaps the database)
  adds nothing the second time. ``ImportSummary.skipped`` counts those.
* **All or nothing.** An import reads and checks every row first and writes only if all
  are good, in one ``record_many`` transaction: a hand-edited file with one bad row changes
  nothing, and ``ProgressFileError`` lists every bad row with its number.
* **Rows as a spreadsheet shows them.** CSV row 1 is the header, so "row 5" is row 5 in
  Excel or LibreOffice. In JSON, row N is the N-th entry of ``attempts``.
* **Exports never leave half a file.** The file is written beside the target and renamed
  over it, so a full disk or a crash leaves the old file (or none), never a truncated one.
* **CSV for people, JSON for machines.** The CSV has one column per ``Attempt`` field,
  the answer as JSON text; it is written with a byte-order mark so Excel reads accents.
* **No formulas in a spreadsheet.** A trainee types their own name; a name such as
  ``=HYPERLINK(...)`` would run as a formula when an instructor opens the CSV. Text cells
  that start with ``= + - @``, a tab or a return, or with an apostrophe, get a leading
  apostrophe (spreadsheets show the rest as text) and import takes it off again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from meso_training.errors import AttemptError, ProgressFileError
from meso_training.model.attempt import ATTEMPT_FIELDS, Attempt, answer_json
from meso_training.storage.interface import ProgressStore

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
JSON_KIND = "meso-training-progress"
JSON_VERSION = 1
COLUMNS = ATTEMPT_FIELDS


@dataclass(frozen=True)
class ImportSummary:
    """What an import did: rows read, attempts added, and those the database already had."""

    read: int
    added: int
    skipped: int


Rows = list[tuple[int, dict[str, Any], set[str]]]  # row number, values, columns already found bad
Problems = list[tuple[int | None, str]]


def format_of(path: Path, fmt: str | None = None, *, action: str = "export") -> Format:
    """``fmt`` if given, else the file's suffix (.csv or .json); anything else is CSV."""
    chosen = fmt or path.suffix.lower().lstrip(".")
    if chosen == "json":
        return "json"
    if fmt is not None and fmt != "csv":
        raise ProgressFileError(path, [(None, f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")],
                                action=action)
    return "csv"


# ---- export ----------------------------------------------------------------------------------


def export_progress(store: ProgressStore, dest: Path, *, trainee: str | None = None, fmt: str | None = None) -> int:
    """Write the store's attempts (one trainee's, if given) to ``dest``; returns how many."""
    if not store.exists():  # opening would create an empty database: a mistyped --db
        missing: Problems = [(None, "there is no progress database at this path; check --db")]
        raise ProgressFileError(Path(store.location), missing,
                                action="export from")
    attempts = store.attempts(trainee=trainee)
    kind = format_of(dest, fmt)
    text = _csv_text(attempts) if kind == "csv" else _json_text(attempts, trainee)
    _write_atomically(dest, text, encoding="utf-8-sig" if kind == "csv" else "utf-8")
    return len(attempts)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
# Cells we write as numbers, booleans or JSON: never read as formulas, never escaped.
_UNESCAPED = frozenset({"answer", "score", "points", "max_points", "correct", "critical", "seed"})


def _spreadsheet_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _from_spreadsheet_text(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _csv_text(attempts: Sequence[Attempt]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)  # "\r\n" endings: with "\n" alone, a "\r" in a name went unquoted and split the row
    writer.writerow(COLUMNS)
    for attempt in attempts:
        row: dict[str, Any] = dict(attempt.to_dict())
        row["answer"] = answer_json(attempt.answer)
        for name in ("correct", "critical"):
            row[name] = "true" if row[name] else "false"
        row["seed"] = "" if attempt.seed is None else str(attempt.seed)
        for name in ("score", "points", "max_points"):
            row[name] = repr(row[name])  # repr round-trips a float exactly
        writer.writerow([row[name] if name in _UNESCAPED else _spreadsheet_text(row[name]) for name in COLUMNS])
    return out.getvalue()


def _json_text(attempts: Sequence[Attempt], trainee: str | None) -> str:
    document = {
        "kind": JSON_KIND, "version": JSON_VERSION,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "trainee": trainee,
        "attempts": [a.to_dict() for a in attempts],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _write_atomically(dest: Path, text: str, *, encoding: str) -> None:
    try:
        fd, temp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    except OSError as exc:
        raise ProgressFileError(dest, [(None, f"cannot write here: {exc.strerror}")], action="export to") from exc
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temp).replace(dest)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ProgressFileError(dest, [(None, f"cannot write here: {exc.strerror}")], action="export to") from exc


# ---- import ----------------------------------------------------------------------------------


def import_progress(store: ProgressStore, source: Path, *, fmt: str | None = None) -> ImportSummary:
    """Add the attempts in ``source`` to ``store``; all or nothing, and never twice."""
    attempts = read_progress(source, fmt=fmt)
    added = store.record_many(attempts) if attempts else 0
    return ImportSummary(read=len(attempts), added=added, skipped=len(attempts) - added)


def read_progress(source: Path, *, fmt: str | None = None) -> list[Attempt]:
    """Every attempt in ``source``, checked; raises ``ProgressFileError`` listing all bad rows."""
    try:
        raw = source.read_bytes()
    except OSError as exc:
        raise ProgressFileError(source, [(None, f"cannot read the file: {exc.strerror}")]) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ProgressFileError(source, [(None, f"not UTF-8 text (line {line}); export it again")]) from exc
    if fmt is None and source.suffix.lower() not in {".csv", ".json"}:
        fmt = "json" if text.lstrip().startswith("{") else "csv"
    csv_file = format_of(source, fmt, action="import") == "csv"
    rows, problems = _csv_rows(source, text) if csv_file else _json_rows(source, text)
    attempts: list[Attempt] = []
    first_row: dict[str, tuple[int, Attempt]] = {}
    for number, values, bad_columns in rows:
        try:
            attempt = Attempt.from_dict(values)
        except AttemptError as exc:  # its messages start with the field's name; skip those said already
            problems.extend((number, p) for p in exc.problems if p.split(" ", 1)[0] not in bad_columns)
            continue
        except (TypeError, ValueError, OverflowError) as exc:  # 9999-12-31T23:00-05:00 is past year 9999 in UTC
            problems.append((number, f"cannot read the attempt: {exc}"))
            continue
        seen = first_row.setdefault(attempt.attempt_uid, (number, attempt))
        if seen[1] != attempt:  # the same row twice is harmless (the store keeps one); two versions are not
            problems.append((number, f"attempt_uid {attempt.attempt_uid!r} is also row {seen[0]}, with other values"))
        attempts.append(attempt)
    if problems:
        raise ProgressFileError(source, sorted(problems, key=lambda problem: problem[0] or 0))
    return attempts


def _csv_rows(source: Path, text: str) -> tuple[Rows, Problems]:
    """Rows whose cells have the right types, and the problems of the others."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ProgressFileError(source, [(reader.line_num, f"not valid CSV: {exc}")]) from exc
    if not records or records[0] != list(COLUMNS):
        header = records[0] if records else []
        missing = [c for c in COLUMNS if c not in header]
        unknown = [c for c in header if c not in COLUMNS]
        details = [f"missing columns: {', '.join(missing)}"] if missing else []
        details += [f"unknown columns: {', '.join(unknown)}"] if unknown else []
        detail = "; ".join(details)
        raise ProgressFileError(source, [(1, f"the header must be the columns {','.join(COLUMNS)} in this order"
                                             + (f" ({detail})" if detail else ""))])
    rows: Rows = []
    problems: Problems = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line, as spreadsheets leave at the end
        if len(record) != len(COLUMNS):
            problems.append((number, f"has {len(record)} cells, expected {len(COLUMNS)}"))
            continue
        cells = {name: cell if name in _UNESCAPED else _from_spreadsheet_text(cell)
                 for name, cell in zip(COLUMNS, record, strict=True)}
        values, errors = _typed(cells)
        problems.extend((number, error) for _, error in errors)
        rows.append((number, values, {column for column, _ in errors}))
    return rows, problems


def _typed(cells: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """CSV cells are text: turn each back into the type its ``Attempt`` field holds.

    A cell that cannot be converted is reported as ``(column, message)`` and left as text.
    """
    values: dict[str, Any] = dict(cells)
    errors: list[tuple[str, str]] = []
    try:
        values["answer"] = json.loads(cells["answer"], parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        errors.append(("answer", f"answer is not JSON text: {cells['answer'][:60]!r}"))
    for name in ("score", "points", "max_points"):
        try:
            values[name] = float(cells[name])
        except ValueError:
            errors.append((name, f"{name} is not a number: {cells[name][:60]!r}"))
    for name in ("correct", "critical"):
        flag = cells[name].strip().lower()
        if flag not in {"true", "false"}:
            errors.append((name, f"{name} must be true or false, got {cells[name][:60]!r}"))
        values[name] = flag == "true"
    seed = cells["seed"].strip()
    try:
        values["seed"] = int(seed) if seed else None
    except ValueError:
        errors.append(("seed", f"seed must be empty or a whole number, got {seed[:60]!r}"))
    return values, errors


def _json_rows(source: Path, text: str) -> tuple[Rows, Problems]:
    """The entries of ``attempts`` that are objects, and the problems of the others."""
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", None)
        raise ProgressFileError(source, [(None, f"not valid JSON{f' (line {line})' if line else ''}: {exc}")]) from exc
    if not isinstance(document, dict) or document.get("kind") != JSON_KIND:
        raise ProgressFileError(source, [(None, f"not a meso-training progress file (no \"kind\": \"{JSON_KIND}\")")])
    if document.get("version") != JSON_VERSION:
        raise ProgressFileError(source, [(None, f"progress file version {document.get('version')!r} is not "
                                                f"{JSON_VERSION}; export it again with this meso-training")])
    entries = document.get("attempts")
    if not isinstance(entries, list):
        raise ProgressFileError(source, [(None, '"attempts" must be a list')])
    rows: Rows = []
    problems: Problems = []
    for number, entry in enumerate(entries, start=1):
        if isinstance(entry, dict):
            rows.append((number, entry, set()))
        else:
            problems.append((number, f"expected an object with the attempt's fields, got {type(entry).__name__}"))
    return rows, problems


def _refuse_constant(name: str) -> float:
    """JSON has no NaN or Infinity; Python's reader accepts them unless told not to."""
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)

