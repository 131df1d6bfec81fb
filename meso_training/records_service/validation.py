"""What a request must be before the service stores anything from it: bounded, JSON, attempts, the sender's own.

Every problem of a batch is reported at once (up to a few), with the attempt's place in the
batch and its question, so the person reading the kernel's message knows which answer failed.
"""

from __future__ import annotations

import json
from typing import Any

from meso_training.errors import AttemptError, RecordsRequestError
from meso_training.model.attempt import Attempt

MAX_BODY_BYTES = 4 * 1024 * 1024
"""Largest request body: a batch of a thousand real answers is well under a megabyte."""

MAX_BATCH = 1000
"""Most attempts in one request: more pending answers than a course has questions means something is wrong."""

MAX_SETTING_CHARS = 2000
_SHOWN = 5


def json_body(body: bytes) -> Any:
    """The request's JSON; 413 for a body over ``MAX_BODY_BYTES``, 400 for text that is not JSON."""
    if len(body) > MAX_BODY_BYTES:
        raise RecordsRequestError(413, f"the request is larger than {MAX_BODY_BYTES:,} bytes; send fewer answers "
                                  "at a time")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise RecordsRequestError(400, "the request body is not JSON") from None


def attempts_from(data: Any, user: str) -> list[Attempt]:
    """The batch ``{"attempts": [...]}`` as attempts of ``user``; 400 for bad records, 403 for someone else's."""
    items = data.get("attempts") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise RecordsRequestError(400, 'the request must be a JSON object {"attempts": [...]}')
    if len(items) > MAX_BATCH:
        raise RecordsRequestError(413, f"{len(items):,} attempts in one request; send at most {MAX_BATCH:,}")
    attempts: list[Attempt] = []
    problems: list[str] = []
    for place, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            problems.append(f"attempt {place}: not a JSON object")
            continue
        try:
            attempts.append(Attempt.from_dict(item))
        except AttemptError as exc:
            problems.append(f"attempt {place} (question {item.get('question_id')!r}): {exc}")
    if problems:
        raise RecordsRequestError(400, summary(problems))
    others = sorted({a.trainee for a in attempts if a.trainee != user})
    if others:
        raise RecordsRequestError(403, f"{user} may record only their own answers, not those of {', '.join(others)}")
    return attempts


def setting_value(data: Any) -> str:
    """The ``{"value": "..."}`` of a settings write."""
    value = data.get("value") if isinstance(data, dict) else None
    if not isinstance(value, str) or len(value) > MAX_SETTING_CHARS:
        raise RecordsRequestError(400, f'a setting must be sent as {{"value": "..."}}, a text of at most '
                                  f"{MAX_SETTING_CHARS:,} characters")
    return value


def summary(problems: list[str]) -> str:
    """The first few problems in one message, and how many more there were."""
    text = "; ".join(problems[:_SHOWN])
    return text + (f"; and {len(problems) - _SHOWN} more" if len(problems) > _SHOWN else "")
