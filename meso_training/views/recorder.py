"""Saving answers from the views: every attempt goes to the store or stays in memory.

A store that cannot be written (read-only, locked, full, moved) must never cost the
trainee an answer or show a traceback: the answer is kept pending and written with the
next one, and the view shows what happened in plain words.
"""

from __future__ import annotations

import logging

from meso_training.errors import MesoTrainingError, StoreError
from meso_training.model.attempt import Attempt
from meso_training.storage import PendingAttempts, ProgressStore

log = logging.getLogger(__name__)


class AttemptRecorder:
    def __init__(self, store: ProgressStore) -> None:
        self.store = store
        self.pending = PendingAttempts()
        self.can_retry = True
        """False after a failure no retry in this session can mend (a file from a newer release)."""

    def record(self, attempt: Attempt) -> str | None:
        """Save ``attempt`` (and any pending ones); return a message for the trainee if it failed."""
        try:
            self.pending.save(self.store, attempt)
        except MesoTrainingError as exc:
            log.warning("answer kept in memory: %s", exc)
            count = self.pending.kept
            kept = f"{count} answer{'s are' if count != 1 else ' is'} kept in memory"
            self.can_retry = not isinstance(exc, StoreError) or exc.retryable
            if not self.can_retry:
                # e.g. a file from a newer release: no later answer in this session can save it.
                return (f"Your answer could not be saved: {exc} {kept} while this notebook stays open, "
                        "but cannot be saved there; tell your course team.")
            return (f"Your answer was not saved yet: {exc} {kept} and will be saved "
                    "with your next answer, or press Retry saving.")
        self.can_retry = True
        return None

    def retry(self) -> str | None:
        try:
            self.pending.retry(self.store)
        except MesoTrainingError as exc:
            self.can_retry = not isinstance(exc, StoreError) or exc.retryable
            return f"Still not saved: {exc}"
        self.can_retry = True
        return None


class RecordedByService(AttemptRecorder):
    """The recorder of an assessment the records service grades: the service stored the answer when it graded it.

    Recording the session's receipt again would store a second, ungraded attempt.
    """

    def record(self, attempt: Attempt) -> str | None:
        return None

    def retry(self) -> str | None:
        return None
