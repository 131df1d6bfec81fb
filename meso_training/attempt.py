"""One submitted answer, graded, as it is kept: the record the store writes and reads.

Checked when made, so a bad record is refused with every problem listed before it can
reach the database; its answer goes through JSON and its times through UTC, so a record
equals itself after a save and reload.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from meso_training.errors import AttemptError

MODES = ("practice", "assessment")

_TEXT_FIELDS = ("trainee", "module_id", "item_id", "question_id", "content_hash", "attempt_uid")
_NUMBER_FIELDS = ("score", "points", "max_points")
_INT64 = 2**63


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
    mode: str
    seed: int | None
    shown_at: dt.datetime
    submitted_at: dt.datetime
    attempt_uid: str

    def __post_init__(self) -> None:
        problems = _attempt_problems(self)
        if problems:
            raise AttemptError(problems)
        object.__setattr__(self, "answer", json.loads(_answer_json(self.answer)))
        for name in ("score", "points", "max_points"):
            object.__setattr__(self, name, float(getattr(self, name)))
        for name in ("shown_at", "submitted_at"):
            object.__setattr__(self, name, getattr(self, name).astimezone(dt.UTC))

    def __hash__(self) -> int:
        # By uid, because ``answer`` may be a list; equal attempts share a uid.
        return hash(self.attempt_uid)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: datetimes as ISO 8601 strings, everything else as is."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["shown_at"] = _iso(self.shown_at)
        out["submitted_at"] = _iso(self.submitted_at)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Attempt:
        """Inverse of ``to_dict``; reports every missing, unknown or unparsable key at once."""
        names = [f.name for f in fields(cls)]
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


def _answer_json(answer: Any) -> str:
    return json.dumps(answer, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def _iso(moment: dt.datetime) -> str:
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
    if a.mode not in MODES:
        problems.append(f"mode must be one of {', '.join(MODES)}, got {a.mode!r}")
    if a.seed is not None and (
        isinstance(a.seed, bool) or not isinstance(a.seed, int) or not -_INT64 <= a.seed < _INT64
    ):
        problems.append(f"seed must be None or a 64-bit signed int (getrandbits(63)), got {a.seed!r}")
    for name in ("shown_at", "submitted_at"):
        value = getattr(a, name)
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            problems.append(f"{name} must be a timezone-aware datetime, got {value!r}")
    try:
        _answer_json(a.answer)
    except (TypeError, ValueError) as exc:
        problems.append(f"answer must be JSON-serialisable: {exc}")
    return problems
