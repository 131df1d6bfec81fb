"""One submitted answer, graded, as it is kept: the record the store writes and reads.

Checked when made, so a bad record is refused with every problem listed before it can
reach the database; its answer goes through JSON and its times through UTC, so a record
equals itself after a save and reload.

An answer is also bounded in size and nesting (``MAX_ANSWER_BYTES``, ``MAX_ANSWER_DEPTH``),
checked without recursion: whatever makes an ``Attempt`` (a session, a store, an import)
cannot keep one that Python's recursive JSON reader would later fail on, which would make
every later read of the database fail with it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypedDict

from meso_training.errors import AttemptError
from meso_training.model.base import Mode

_TEXT_FIELDS = ("trainee", "module_id", "item_id", "question_id", "content_hash", "attempt_uid")
_NUMBER_FIELDS = ("score", "points", "max_points")
_INT64 = 2**63

MAX_ANSWER_BYTES = 65_536
"""Longest answer, in bytes of its JSON text: real answers are a few hundred bytes (a short-text
answer is at most 500 characters), and every stored copy, export and re-grade pays for it."""

MAX_ANSWER_DEPTH = 16
"""Deepest nesting of lists and objects in an answer: real answers are at most 3 deep, and Python's
JSON reader recurses, so an answer nested about 1,000 deep could be written but not read back."""

TOO_DEEP = f"answer is nested more than {MAX_ANSWER_DEPTH} levels deep (a real answer is at most 3)"
TOO_BIG = f"answer is over {MAX_ANSWER_BYTES:,} bytes as JSON text (a real answer is a few hundred)"


@dataclass(frozen=True)
class Attempt:
    """One submitted answer, graded, as it is stored.

    Validated on construction so a bad value fails where it was made, not at write time.
    ``answer`` is normalised through JSON (tuples become lists, keys become strings), so
    an attempt equals itself after a round trip through the database or ``to_dict``.
    Datetimes must be timezone-aware and are normalised to UTC.
    """

    trainee: str
    module_id: str
    item_id: str
    question_id: str
    content_hash: str
    answer: Any
    score: float
    points: float
    max_points: float
    correct: bool
    critical: bool
    mode: Mode
    seed: int | None
    shown_at: dt.datetime
    submitted_at: dt.datetime
    attempt_uid: str

    def __post_init__(self) -> None:
        text, answer_problem = checked_answer_json(self.answer)
        problems = _attempt_problems(self) + ([answer_problem] if answer_problem else [])
        if problems or text is None:
            raise AttemptError(problems)
        object.__setattr__(self, "answer", json.loads(text))
        object.__setattr__(self, "mode", Mode(self.mode))
        for name in ("score", "points", "max_points"):
            object.__setattr__(self, name, float(getattr(self, name)))
        for name in ("shown_at", "submitted_at"):
            object.__setattr__(self, name, getattr(self, name).astimezone(dt.UTC))

    def __hash__(self) -> int:
        # By uid, because ``answer`` may be a list; equal attempts share a uid.
        return hash(self.attempt_uid)

    def to_dict(self) -> StoredAttempt:
        """The stored form every backend and export writes: JSON types only, times as UTC ISO 8601 text."""
        return StoredAttempt(
            trainee=self.trainee, module_id=self.module_id, item_id=self.item_id, question_id=self.question_id,
            content_hash=self.content_hash, answer=self.answer, score=self.score, points=self.points,
            max_points=self.max_points, correct=self.correct, critical=self.critical, mode=self.mode.value,
            seed=self.seed, shown_at=iso_utc(self.shown_at), submitted_at=iso_utc(self.submitted_at),
            attempt_uid=self.attempt_uid,
        )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attempt:
        """Inverse of ``to_dict``; reports every missing, unknown or unparsable key at once."""
        names = ATTEMPT_FIELDS
        problems = [f"missing key {k!r}" for k in names if k not in data]
        problems += [f"unknown key {k!r}" for k in data if k not in names]
        values = {k: data[k] for k in names if k in data}
        for key in ("shown_at", "submitted_at"):
            raw = values.get(key)
            if isinstance(raw, str):
                try:
                    values[key] = dt.datetime.fromisoformat(raw)
                except ValueError:
                    problems.append(f"{key} is not an ISO 8601 datetime: {raw!r}")
        if problems:
            raise AttemptError(problems)
        return cls(**values)


class StoredAttempt(TypedDict):
    """An attempt as stored and exported: what ``Attempt.to_dict`` gives and ``from_dict`` takes."""

    trainee: str
    module_id: str
    item_id: str
    question_id: str
    content_hash: str
    answer: Any
    score: float
    points: float
    max_points: float
    correct: bool
    critical: bool
    mode: str
    seed: int | None
    shown_at: str
    submitted_at: str
    attempt_uid: str


ATTEMPT_FIELDS: tuple[str, ...] = tuple(StoredAttempt.__annotations__)
"""The stored fields in order: the SQLite columns and the CSV header."""


def answer_json(answer: Any) -> str:
    """The one way an answer becomes JSON text (SQLite column, CSV cell): compact, no NaN or Infinity."""
    return json.dumps(answer, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def checked_answer_json(answer: Any) -> tuple[str | None, str | None]:
    """``answer_json(answer)``, or None and why the answer cannot be kept (too deep, too big, not JSON).

    The depth is measured first, with a loop rather than recursion, so an answer nested
    100,000 deep is refused before ``json.dumps`` would raise ``RecursionError``. Every value
    costs at least one byte of JSON text, so the walk also stops after ``MAX_ANSWER_BYTES``
    values: a huge or self-referencing answer costs no more than a small one to refuse.
    """
    budget = MAX_ANSWER_BYTES
    stack: list[tuple[Any, int]] = [(answer, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list | tuple):
            if depth >= MAX_ANSWER_DEPTH:
                return None, TOO_DEEP
            budget -= len(value)
            if budget < 0:
                return None, TOO_BIG
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    try:
        text = answer_json(answer)
    except (TypeError, ValueError) as exc:
        return None, f"answer must be JSON-serialisable: {exc}"
    if len(text) > MAX_ANSWER_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_ANSWER_BYTES:
        return None, TOO_BIG
    return text, None


def iso_utc(moment: dt.datetime) -> str:
    # Fixed width, always UTC: the stored text sorts in time order.
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _attempt_problems(a: Attempt) -> list[str]:
    problems: list[str] = []
    for name in _TEXT_FIELDS:
        value = getattr(a, name)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{name} must be a non-empty string, got {value!r}")
    for name in _NUMBER_FIELDS:
        value = getattr(a, name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            problems.append(f"{name} must be a finite number, got {value!r}")
        elif name == "score" and not 0 <= value <= 1:
            problems.append(f"score must be between 0 and 1, got {value!r}")
    problems += [
        f"{name} must be True or False, got {getattr(a, name)!r}"
        for name in ("correct", "critical")
        if not isinstance(getattr(a, name), bool)
    ]
    if a.mode not in tuple(Mode):
        problems.append(f"mode must be one of {', '.join(Mode)}, got {a.mode!r}")
    if a.seed is not None and (
        isinstance(a.seed, bool) or not isinstance(a.seed, int) or not -_INT64 <= a.seed < _INT64
    ):
        problems.append(f"seed must be None or a 64-bit signed int (getrandbits(63)), got {a.seed!r}")
    for name in ("shown_at", "submitted_at"):
        value = getattr(a, name)
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            problems.append(f"{name} must be a timezone-aware datetime, got {value!r}")
    return problems  # the answer's own problems come from checked_answer_json
