"""``open_store`` chooses the store from the location, and says plainly what an installation lacks."""

from __future__ import annotations

import sys

import pytest

from meso_training.errors import StoreError
from meso_training.storage import open_store


def test_a_postgresql_url_without_the_hub_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m.startswith(("sqlalchemy", "meso_training.storage.postgres"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)  # as if it were not installed
    with pytest.raises(StoreError) as refused:
        open_store("postgresql://meso:secret@127.0.0.1/cohort")
    assert "pip install 'meso-training[hub]'" in str(refused.value)
    assert "sqlalchemy is not installed" in str(refused.value)
    assert "secret" not in str(refused.value)
