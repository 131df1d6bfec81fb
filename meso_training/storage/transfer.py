"""Move progress between machines: export stored attempts to CSV or JSON (``progress_import`` reads them back).

Why it works this way:

* **Rows as a spreadsheet shows them.** CSV row 1 is the header, so "row 5" is row 5 in
  Excel or LibreOffice. In JSON, row N is the N-th entry of ``attempts``.
* **One field per line in JSON** (``indent``): the importer refuses lines longer than any
  export writes, which bounds what a hostile file can make it hold.
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
from pathlib import Path
from typing import Any, Literal

from meso_training.errors import ProgressFileError
from meso_training.model.attempt import ATTEMPT_FIELDS, Attempt, answer_json
from meso_training.storage.interface import ProgressStore

Format = Literal["csv", "json"]
FORMATS: tuple[Format, ...] = ("csv", "json")
JSON_KIND = "meso-training-progress"
JSON_VERSION = 1
COLUMNS = ATTEMPT_FIELDS


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
    write_text_atomically(dest, text, encoding="utf-8-sig" if kind == "csv" else "utf-8")
    return len(attempts)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
# Cells we write as numbers, booleans or JSON: never read as formulas, never escaped.
UNESCAPED = frozenset({"answer", "score", "points", "max_points", "correct", "critical", "seed"})


def _spreadsheet_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def from_spreadsheet_text(cell: str) -> str:
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
        writer.writerow([row[name] if name in UNESCAPED else _spreadsheet_text(row[name]) for name in COLUMNS])
    return out.getvalue()


def _json_text(attempts: Sequence[Attempt], trainee: str | None) -> str:
    document = {
        "kind": JSON_KIND, "version": JSON_VERSION,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "trainee": trainee,
        "attempts": [a.to_dict() for a in attempts],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def write_text_atomically(dest: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Write ``text`` beside ``dest`` and rename it over ``dest``: a crash or a full disk never leaves half a file."""
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
