"""``meso-training serve-records`` outside a hub, or without a database, says what is missing instead of starting."""

from __future__ import annotations

import pytest

from meso_training.cli import main


def test_serve_records_outside_a_hub_says_it_is_a_hub_service(monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("JUPYTERHUB_SERVICE_URL", raising=False)
    assert main(["serve-records", "--db", "cohort.sqlite3"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: serve-records runs as a JupyterHub service: JUPYTERHUB_SERVICE_URL is not set.")
    assert "Traceback" not in err


@pytest.mark.parametrize("db", ["", "http://127.0.0.1:8000/services/meso-records/"])
def test_serve_records_needs_a_database_that_is_not_another_service(db: str, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101")
    monkeypatch.setenv("MESO_TRAINING_DB", db)
    assert main(["serve-records"]) == 2
    assert "serve-records needs the cohort's database: pass --db" in capsys.readouterr().err
