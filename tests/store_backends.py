"""The store backends the contract tests run against (a module, not conftest: conftests shadow each other)."""

from __future__ import annotations

from pathlib import Path

from postgres_server import PostgresServer

from meso_training.storage import ProgressStore, open_store


class Backend:
    """Makes fresh, empty stores of one kind, and reopens a store's data with a new store object."""

    def __init__(self, name: str, tmp_path: Path, server: PostgresServer | None) -> None:
        self.name, self._tmp, self._server = name, tmp_path, server
        self._made: list[tuple[str, ProgressStore]] = []

    def new(self) -> ProgressStore:
        where = self._server.new_database() if self._server else str(self._tmp / f"s{len(self._made)}" / "p.sqlite3")
        store = open_store(where)
        self._made.append((where, store))
        return store

    def reopen(self, store: ProgressStore) -> ProgressStore:
        """Another store object on ``store``'s data (its location as opened, password and all)."""
        where = next(w for w, s in self._made if s is store)
        again = open_store(where)
        self._made.append((where, again))
        return again

    def clean_up(self) -> None:
        for _, store in self._made:
            store.close()
        if self._server is not None:
            for where in {w for w, _ in self._made}:
                self._server.drop_database(where)
