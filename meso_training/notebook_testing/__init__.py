"""Checking notebooks: run them headless, play shown modules through their widgets, and the pytest items.

Shared by ``pytest --meso-notebooks`` and ``meso-training check-notebooks``.
"""
