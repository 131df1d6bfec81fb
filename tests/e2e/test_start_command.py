"""The README's first command, ``make start``, opens JupyterLab on the course's start page.

Run as the README says, from the project folder, with only server options added through
``LAB_ARGS`` (a free port on 127.0.0.1, a token, no browser of its own). Nothing is run in
the notebook, so the real ``notebooks/`` folder is served but left unchanged.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from . import servers

pytestmark = pytest.mark.e2e

STAMP = servers.ROOT / ".venv" / ".installed"


def test_make_start_opens_jupyterlab_on_the_start_page(workspace: servers.Workspace, page: Page,
                                                       artifacts: Path) -> None:
    if not STAMP.exists() or STAMP.stat().st_mtime < (servers.ROOT / "pyproject.toml").stat().st_mtime:
        problem = "the course's .venv is missing or older than pyproject.toml: run `make setup` first"
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)
    port, token = servers.free_port(), secrets.token_hex(16)
    lab_args = (f"--no-browser --ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
                f"--IdentityProvider.token={token}")
    command = ["make", "--no-print-directory", "-C", str(servers.ROOT), "start", f"LAB_ARGS={lab_args}"]
    with servers.serve("make start", command, port=port, token=token, workspace=workspace,
                       log=artifacts / "make-start.log", ready_path="api/status", cwd=servers.ROOT) as lab:
        page.goto(lab.url("/"))
        expect(page).to_have_url(f"{lab.base_url}/lab/tree/00-start-here.ipynb", timeout=60_000)
        heading = page.get_by_role("heading", name="Mesotherapy practice: start here")
        expect(heading).to_be_visible(timeout=60_000)
        page.screenshot(path=artifacts / "start-page.png")
