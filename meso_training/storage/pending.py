"""Answers not yet written, so that a store failure never loses one."""

from __future__ import annotations

import threading

from meso_training.errors import StoreError
from meso_training.model.attempt import Attempt
from meso_training.storage.interface import ProgressStore


class PendingAttempts:
    """Answers not yet written, kept in memory so a store failure never loses one.

    The UI submits through ``save``: the answer joins the pending ones, and all of them
    are written in one transaction (idempotent by ``attempt_uid``). If that fails the
    ``StoreError`` propagates for the UI to show, and every answer stays pending for the
    next ``save`` or ``retry``. Memory only: a kernel restart loses what is still pending.

    A store may refuse an answer for good (``StoreError.retryable`` False: the records
    service rejects it, the file is from a newer release). Sending it again would get the
    same refusal, and in a batch it would sink every later answer with it; so a refused
    answer is set aside (still in memory, in ``refused``) and the others are written.
    """

    def __init__(self) -> None:
        self._items: dict[str, Attempt] = {}
        self._refused: dict[str, Attempt] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def kept(self) -> int:
        """Answers held in memory only: pending ones and those refused."""
        with self._lock:
            return len(self._items) + len(self._refused)

    def refused(self) -> list[Attempt]:
        """Answers the store refused for good, oldest first: kept so they are not lost, never sent again."""
        with self._lock:
            return list(self._refused.values())

    def attempts(self) -> list[Attempt]:
        """The pending attempts, oldest first (a snapshot)."""
        with self._lock:
            return list(self._items.values())

    def add(self, attempt: Attempt) -> None:
        with self._lock:
            self._items.setdefault(attempt.attempt_uid, attempt)

    def save(self, store: ProgressStore, attempt: Attempt) -> None:
        """Keep ``attempt``, then write it with every earlier pending one; may raise StoreError."""
        self.add(attempt)
        self.retry(store)

    def retry(self, store: ProgressStore) -> int:
        """Write every pending attempt; returns how many are now safely stored.

        Raises the ``StoreError`` if the write fails; nothing is dropped then. A refusal
        for good is tried again answer by answer: the refused ones are set aside, the
        others written, and the refusal raised.
        """
        batch = self.attempts()
        if not batch:
            return 0
        try:
            store.record_many(batch)
        except StoreError as exc:
            if exc.retryable:
                raise
            self._one_by_one(store, batch)
            raise
        self._drop(batch)
        return len(batch)

    def _one_by_one(self, store: ProgressStore, batch: list[Attempt]) -> None:
        for attempt in batch:
            try:
                store.record(attempt)
            except StoreError as exc:
                if exc.retryable:
                    raise  # the store went away meanwhile: the rest stays pending
                with self._lock:
                    self._refused[attempt.attempt_uid] = self._items.pop(attempt.attempt_uid, attempt)
            else:
                self._drop([attempt])

    def _drop(self, written: list[Attempt]) -> None:
        with self._lock:
            for attempt in written:
                self._items.pop(attempt.attempt_uid, None)
