"""The steps of the PostgreSQL schema, oldest first; read by Alembic, never imported by the store."""
