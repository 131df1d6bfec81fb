"""What every progress store does the same way, written once.

A ``with`` block closes the store however it ends, and one attempt is kept as a batch of
one, so the idempotence and all-or-nothing rules of ``record_many`` are the only ones.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from types import TracebackType
from typing import Self

from meso_training.model.attempt import Attempt


class StoreBase(ABC):
    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def record_many(self, attempts: Iterable[Attempt]) -> int: ...

    def record(self, attempt: Attempt) -> None:
        """Keep one attempt in its own transaction; a known ``attempt_uid`` is a no-op."""
        self.record_many([attempt])

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
