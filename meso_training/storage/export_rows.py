"""Rows out of an export file (CSV or JSON), one at a time, with their problems, never the whole file.

The CSV is read through ``csv.reader`` over bounded lines; the JSON through ijson's streaming
parser over a reader that refuses deep nesting byte by byte before ijson sees it (ijson's cost
grows with the square of the depth). Each row comes with its number as the trainee's tools
show it (a spreadsheet's row, the N-th JSON entry) so a problem can be found and fixed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import ijson  # type: ignore[import-untyped]

from meso_training.model.attempt import MAX_ANSWER_DEPTH, TOO_DEEP
from meso_training.storage.import_source import BoundedReader, bounded_lines
from meso_training.storage.transfer import COLUMNS, JSON_KIND, JSON_VERSION, UNESCAPED, from_spreadsheet_text


class UnusableFileError(Exception):
    """The whole file is unusable; carries the row (or None) and the message for ``ProgressFileError``."""

    def __init__(self, row: int | None, message: str) -> None:
        super().__init__(message)
        self.row, self.message = row, message


# ---- CSV -------------------------------------------------------------------------------------


def _text_lines(file: Any) -> Iterator[str]:
    for number, line in enumerate(bounded_lines(file), start=1):
        try:
            yield (line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnusableFileError(None, f"not UTF-8 text (line {number}); export it again") from exc


Row = tuple[int, dict[str, Any] | None, list[tuple[str, str]]]
"""A row's number, its values (None: nothing to make an attempt of) and its ``(column, problem)`` pairs."""


def csv_rows(file: Any) -> Iterator[Row]:
    """Rows numbered as a spreadsheet shows them: the header is row 1."""
    reader = csv.reader(_text_lines(file), strict=True)
    try:
        header = next(reader, [])
        if header != list(COLUMNS):
            raise UnusableFileError(1, _header_problem(header))
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                yield number, None, []
            elif len(record) != len(COLUMNS):
                yield number, None, [("", f"has {len(record)} cells, expected {len(COLUMNS)}")]
            else:
                cells = {name: cell if name in UNESCAPED else from_spreadsheet_text(cell)
                         for name, cell in zip(COLUMNS, record, strict=True)}
                yield number, *_typed(cells)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            message = (f"a cell is longer than {csv.field_size_limit():,} characters, longer than any cell "
                       "export-progress writes; this is not a progress export")
            raise UnusableFileError(None, f"line {reader.line_num}: {message}") from exc
        raise UnusableFileError(reader.line_num, f"not valid CSV: {exc}") from exc


def _header_problem(header: list[str]) -> str:
    missing = [c for c in COLUMNS if c not in header]
    unknown = [c[:40] for c in header if c not in COLUMNS][:10]
    details = [f"missing columns: {', '.join(missing)}"] if missing else []
    details += [f"unknown columns: {', '.join(unknown)}"] if unknown else []
    detail = "; ".join(details)
    return f"the header must be the columns {','.join(COLUMNS)} in this order" + (f" ({detail})" if detail else "")


def _typed(cells: dict[str, str]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """CSV cells are text: each turned back into the type its ``Attempt`` field holds, or a problem."""
    values: dict[str, Any] = dict(cells)
    errors: list[tuple[str, str]] = []
    try:
        values["answer"] = json.loads(cells["answer"], parse_constant=_refuse_constant)
    except RecursionError:  # Python's JSON reader recurses: far deeper than the limit
        errors.append(("answer", TOO_DEEP))
    except ValueError:
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


def _refuse_constant(name: str) -> float:
    """JSON has no NaN or Infinity; Python's reader accepts them unless told not to."""
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


# ---- JSON ------------------------------------------------------------------------------------

_SCALARS = frozenset({"string", "number", "boolean", "null", "integer", "double"})


def json_rows(file: Any) -> Iterator[Row]:
    """The entries of ``attempts``, numbered from 1, after the file's kind and version are checked."""
    reader = BoundedReader(file)
    try:
        _check_header(reader)
        file.seek(0)
        reader = BoundedReader(file)
        for number, entry in enumerate(ijson.items(reader, "attempts.item"), start=1):
            if isinstance(entry, dict):
                yield number, _floats(entry), []
            else:
                yield number, None, [("", f"expected an object with the attempt's fields, got {_json_type(entry)}")]
    except ijson.JSONError as exc:
        raise UnusableFileError(None, f"not valid JSON (at or before line {reader.lines_read}): {exc}") from exc


def _check_header(reader: BoundedReader) -> None:
    """``kind`` and ``version`` right and ``attempts`` a list; stops reading once all three are seen."""
    found: dict[str, Any] = {}
    for prefix, event, value in ijson.parse(reader):
        if prefix == "" and (event == "start_array" or event in _SCALARS):
            for _ in ijson.parse(reader):
                pass  # not an object at all; read to the end so a broken file is called broken
            break
        if prefix in {"kind", "version", "attempts"} and prefix not in found and event != "map_key":
            found[prefix] = value if event in _SCALARS else event
        if len(found) == 3:
            break
    if found.get("kind") != JSON_KIND:
        raise UnusableFileError(None, f'not a meso-training progress file (no "kind": "{JSON_KIND}")')
    if found.get("version") != JSON_VERSION:
        raise UnusableFileError(None, f"progress file version {found.get('version')!r} is not {JSON_VERSION}; "
                                 "export it again with this meso-training")
    if found.get("attempts") != "start_array":
        raise UnusableFileError(None, '"attempts" must be a list')


def _floats(entry: dict[str, Any]) -> dict[str, Any]:
    """``entry`` with ijson's ``Decimal`` numbers made floats, in place and without recursion.

    Not ijson's ``use_float``: with it, the C parser refuses whole numbers past 64 bits
    (and -2**63, a valid seed). Nesting below the answer limit is left alone: that answer is
    refused anyway, and the walk stays as short as a real attempt.
    """
    stack: list[tuple[Any, int]] = [(entry, 0)]
    while stack:
        container, depth = stack.pop()
        keys = container.keys() if isinstance(container, dict) else range(len(container))
        for key in keys:
            value = container[key]
            if isinstance(value, Decimal):
                container[key] = float(value)
            elif isinstance(value, dict | list) and depth <= MAX_ANSWER_DEPTH:
                stack.append((value, depth + 1))
    return entry


def _json_type(value: Any) -> str:
    return {list: "list", str: "text", bool: "true/false", Decimal: "number", int: "number"}.get(
        type(value), "an empty value" if value is None else type(value).__name__)
