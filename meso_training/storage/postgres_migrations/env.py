"""How Alembic runs our migrations: always on the connection ``open()`` hands over, never from a config file.

The caller holds that connection inside a transaction and a PostgreSQL advisory lock, so
the whole upgrade commits or rolls back as one, and two processes never migrate at once.
"""

from __future__ import annotations

from alembic import context

from meso_training.storage.postgres_tables import VERSION_TABLE

connection = context.config.attributes.get("connection")
if connection is None:  # only reachable by running the alembic CLI on this folder
    msg = "run the meso-training migrations through PostgresProgressStore.open(), which passes the connection"
    raise RuntimeError(msg)
context.configure(connection=connection, version_table=VERSION_TABLE, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
