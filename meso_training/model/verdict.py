"""What checking a stored attempt against the course found: the vocabulary between the engine and an import.

An import (storage) may not call the graders (the engine), so it is handed a checking
function; the function's answer is a ``Verdict``, defined here because both layers read the
model.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from meso_training.model.attempt import Attempt


class Standing(StrEnum):
    """How an attempt stands against the course it is checked against."""

    CONFIRMED = "confirmed"
    """Graded against this version of the question; re-grading gave the grade it claims."""

    CORRECTED = "corrected"
    """Graded against this version, but its grade was not what its answer earns: ``attempt`` holds the right one."""

    CHANGED = "changed"
    """Graded against another version of the question (its content hash differs): kept as it was."""

    UNKNOWN = "unknown"
    """Its module, item or question is not in the course."""

    REFUSED = "refused"
    """Graded against this version, yet the grader does not accept its answer: the record is damaged or forged."""


@dataclass(frozen=True)
class Verdict:
    """The standing of one attempt, the attempt to keep (corrected if need be), and why, in plain words."""

    standing: Standing
    attempt: Attempt
    reason: str = ""
