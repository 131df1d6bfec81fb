"""Answers not yet written, so that a store failure never loses one."""

from __future__ import annotations

import threading

from meso_training.model.attempt import Attempt
from meso_training.storage.interface import ProgressStore


class PendingAttempts:
    """Answers not yet written, kept in memory so a store failure never loses one.

    The UI submits through ``save``: the answer joins the pending ones, and all of them
    are written in one transaction (idempotent by ``attempt_uid``). If that fails the
    ``StoreError`` propagates for the UI to show, and every answer stays pending for the
    next ``save`` or ``retry``. Memory only: a kernel restart loses what is still pending.
    """

    def __init__(self) -> None:
        self._items: dict[str, Attempt] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

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

        Raises the ``StoreError`` if the write fails; nothing is dropped then.
        """
        batch = self.attempts()
        if not batch:
            return 0
        store.record_many(batch)
        with self._lock:
            for attempt in batch:
                self._items.pop(attempt.attempt_uid, None)
        return len(batch)
