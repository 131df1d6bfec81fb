"""What every progress store does: the one interface the views, the CLI, reports and exports use.

SQLite (one file per trainee machine) is the embedded implementation; a hub-wide store
implements the same methods. Callers depend on ``ProgressStore`` only, so choosing a
backend is the wiring's decision (``open_store``), never a view's.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import TracebackType
from typing import Protocol, Self, runtime_checkable

from meso_training.model.attempt import Attempt
from meso_training.storage.certificates import Certificate


@runtime_checkable
class ProgressStore(Protocol):
    """Durable attempts, small settings and issued certificates.

    Every failure is a ``StoreError`` naming where and what to do.
    """

    @property
    def location(self) -> str:
        """Where the records are kept, as messages name it (a file path, a service URL)."""
        ...

    @property
    def startup_notice(self) -> str | None:
        """Something the trainee must be told after opening (e.g. a damaged file was moved aside)."""
        ...

    def exists(self) -> bool:
        """Whether there is a store to read yet; opening a missing one would create an empty one."""
        ...

    def open(self) -> None:
        """Open (creating, recovering or upgrading as needed); idempotent."""
        ...

    def close(self) -> None:
        """Release the connection; idempotent."""
        ...

    def record(self, attempt: Attempt) -> None:
        """Keep one attempt durably; an ``attempt_uid`` already kept is a no-op."""
        ...

    def record_many(self, attempts: Iterable[Attempt]) -> int:
        """Keep attempts all together or not at all; returns how many were new."""
        ...

    def attempts(self, *, trainee: str | None = None, module_id: str | None = None) -> list[Attempt]:
        """Kept attempts, oldest first, optionally of one trainee and/or module."""
        ...

    def trainees(self) -> list[str]:
        """Names with at least one attempt, sorted."""
        ...

    def set_aside_count(self) -> int:
        """How many kept answers could no longer be read and were set aside, unchanged (not in ``attempts``)."""
        ...

    def get_setting(self, key: str) -> str | None:
        """A value kept with ``set_setting``, or None."""
        ...

    def set_setting(self, key: str, value: str) -> None:
        """Remember a small value (such as the trainee's name) across sessions."""
        ...

    def issue_certificate(self, certificate: Certificate) -> Certificate:
        """Keep a passed assessment's certificate; for the same trainee, module and attempts, return the one kept.

        Idempotent, so showing a summary again never mints a second code for one pass.
        """
        ...

    def certificate(self, code: str) -> Certificate | None:
        """The certificate issued with ``code`` (in ``parse_code``'s form), or None if there is none."""
        ...

    def certificates(self, *, trainee: str | None = None) -> list[Certificate]:
        """Issued certificates, oldest first, optionally of one trainee: the dashboard shows each module's."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None: ...
