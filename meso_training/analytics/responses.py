"""A cohort's answers as the item analysis reads them: one response per trainee and question version.

Why these rules:

* **First attempts only**, as Moodle's report uses by default: a practice retry after
  feedback says how well the feedback works, not how hard the question is.
* **Versions apart.** An attempt counts for the version it answered (its content hash); a
  question edited mid-cohort becomes two items, so a fixed key does not blur the figures.
* **Assessment and practice apart.** Assessment answers are given once, without feedback;
  practice answers after earlier feedback. The instructor picks which to analyse.
* **Long-form tables** (``trainee,question_id,score,max_points``, one row per trainee and
  question, ``score`` in points) come from other systems: no versions, no answers.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from meso_training.errors import ProgressFileError
from meso_training.model import Attempt, Mode

LONG_FORM_COLUMNS = ("trainee", "question_id", "score", "max_points")
MAX_TABLE_BYTES = 200 * 1024 * 1024  # a 1,000 x 1,000 table is about 40 MB
MAX_CELL = 500


@dataclass(frozen=True)
class Response:
    trainee: str
    question_id: str
    version: str
    """The content hash answered ("" when the source has none)."""
    points: float
    max_points: float
    module_id: str | None = None
    answer: Any = None
    critical: bool = False
    item_id: str | None = None
    """The case holding this step, or the question's own id; None from a long-form table."""
    correct: bool | None = None


def first_responses(attempts: Iterable[Attempt], mode: Mode) -> list[Response]:
    """The first attempt of each trainee at each question version, in ``mode``."""
    first: dict[tuple[str, str, str], Attempt] = {}
    for a in sorted((a for a in attempts if a.mode == mode), key=lambda a: a.submitted_at):
        first.setdefault((a.trainee, a.question_id, a.content_hash), a)
    return [Response(a.trainee, a.question_id, a.content_hash, a.points, a.max_points, a.module_id, a.answer,
                     a.critical, a.item_id, a.correct) for a in first.values()]


def is_long_form(path: Path) -> bool:
    """Whether a CSV file's header names the long-form columns (in any order, any case)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(io.StringIO(handle.readline(4096))), [])
    except (OSError, UnicodeDecodeError):
        return False
    return sorted(c.strip().lower() for c in header) == sorted(LONG_FORM_COLUMNS)


def _number(text: str, column: str, problems: list[tuple[int | None, str]], row: int) -> float:
    try:
        value = float(text)
    except ValueError:
        problems.append((row, f"{column} {text[:40]!r} is not a number; write points such as 1 or 0.5"))
        return 0.0
    if not math.isfinite(value) or value < 0:
        problems.append((row, f"{column} must be a number of points, 0 or more (found {text[:40]!r})"))
        return 0.0
    return value


def read_long_form(path: Path) -> list[Response]:
    """Every row of a long-form table, checked; all problems are listed by row, as a spreadsheet numbers them."""
    try:
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise ProgressFileError(path, [(None, f"the file is {size:,} bytes; the most a table may be is "
                                                  f"{MAX_TABLE_BYTES:,}")], action="analyse")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProgressFileError(path, [(None, "the file is not UTF-8 text; save it as CSV UTF-8")],
                                action="analyse") from exc
    except OSError as exc:
        raise ProgressFileError(path, [(None, f"cannot be read: {exc.strerror}")], action="analyse") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [c.strip().lower() for c in next(reader, [])]
    column = {name: header.index(name) for name in LONG_FORM_COLUMNS if name in header}
    if len(column) != len(LONG_FORM_COLUMNS):
        raise ProgressFileError(path, [(1, f"the header must be {','.join(LONG_FORM_COLUMNS)}")], action="analyse")
    problems: list[tuple[int | None, str]] = []
    out: dict[tuple[str, str], Response] = {}
    for row, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header) or any(len(c) > MAX_CELL for c in cells):
            problems.append((row, f"expected {len(header)} cells of at most {MAX_CELL} characters"))
            continue
        trainee, question = cells[column["trainee"]].strip(), cells[column["question_id"]].strip()
        score = _number(cells[column["score"]].strip(), "score", problems, row)
        max_points = _number(cells[column["max_points"]].strip(), "max_points", problems, row)
        if not trainee or not question:
            problems.append((row, "trainee and question_id must not be empty"))
        elif max_points == 0:
            problems.append((row, "max_points must be more than 0"))
        elif score > max_points:
            problems.append((row, f"score {score:g} is more than max_points {max_points:g}"))
        elif (trainee, question) in out:
            problems.append((row, f"a second row for {trainee} and {question}; keep only the first attempt"))
        else:
            out[trainee, question] = Response(trainee, question, "", score, max_points)
    if problems:
        raise ProgressFileError(path, problems, action="analyse")
    return list(out.values())
