"""Alembic's script folder for the PostgreSQL store, shipped in the package and run from ``open()``.

Not imported as a package by the store: Alembic reads ``env.py`` and ``versions/`` as files.
Each version is never edited once released, because hub databases are at every version.
"""
