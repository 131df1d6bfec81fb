"""Kernels nobody uses are shut down: JupyterLab run as ``make start`` runs it, and Voila run from the project.

Each server is started for real on 127.0.0.1 with the project's own configuration (the
command ``make start`` runs, read from ``make -n``; Voila started in the project folder,
where it reads ``voila.json``), only the idle timeout and the culling interval shortened on
the command line. The settings left to the files must be in force too: their "cull even
with connected clients" is logged by the server, and a kernel with an open connection (a
notebook still open in a tab) is culled like one without.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import nbformat
import pytest
from e2e import servers

ROOT = Path(__file__).resolve().parents[1]
# Long enough for the test to connect to a kernel before it could be culled, on a loaded machine too.
SHORT = ["--MappingKernelManager.cull_idle_timeout=4", "--MappingKernelManager.cull_interval=1"]
FROM_THE_FILE = "Culling kernels even with connected clients"  # set only in jupyter_server_config.py
CULLED_WITHIN = 40.0  # seconds: a generous bound on a 4 s timeout checked every second


def test_voila_json_holds_the_kernel_settings_of_jupyter_server_config() -> None:
    from traitlets.config.loader import JSONFileConfigLoader, PyFileConfigLoader

    server = PyFileConfigLoader("jupyter_server_config.py", path=str(ROOT)).load_config()
    voila = JSONFileConfigLoader("voila.json", path=str(ROOT)).load_config()
    assert server.MappingKernelManager.cull_idle_timeout == 30 * 60
    assert dict(voila.MappingKernelManager) == dict(server.MappingKernelManager)


def make_start_command(lab_args: list[str]) -> list[str]:
    """The JupyterLab command line of ``make start`` with ``LAB_ARGS``, as ``make -n`` prints it."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shown = subprocess.run(["make", "-n", "--no-print-directory", "-C", str(ROOT), "start",
                            f"LAB_ARGS={shlex.join(lab_args)}"], capture_output=True, text=True, check=True, timeout=60)
    (line,) = [line for line in shown.stdout.splitlines() if " lab " in f"{line} " and "jupyter" in line]
    command = shlex.split(line)
    if not (ROOT / command[0]).exists():
        pytest.skip(f"{command[0]} is missing: run `make setup` first")
    return command


def api(server: servers.Server, path: str, method: str = "GET", body: object = None) -> Any:
    request = urllib.request.Request(  # noqa: S310 - our own server on 127.0.0.1
        f"{server.base_url}/{path}", method=method, data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read() or b"null")


def _run_apart(coroutine: Any) -> Any:
    """Run ``coroutine`` on its own event loop in a thread of its own.

    The browser tests' Playwright (sync API) keeps an event loop on this worker's main
    thread once it has started, and ``asyncio.run`` refuses to start inside one.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _connected_until_culled(server: servers.Server, connect_to: str,
                                 kernel_ids: set[str]) -> list[dict[str, Any]]:
    """Hold a websocket open on one kernel (as an open notebook does) and poll until all ``kernel_ids`` are gone."""
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{server.port}/api/kernels/{connect_to}/channels?token={server.token}"
    socket = await websocket_connect(url)
    seen: list[dict[str, Any]] = []
    try:
        deadline = time.monotonic() + CULLED_WITHIN
        while time.monotonic() < deadline:
            listed = await asyncio.to_thread(api, server, "api/kernels")
            assert isinstance(listed, list)
            seen.extend(listed)
            if not kernel_ids & {k["id"] for k in listed}:
                return seen
            await asyncio.sleep(0.25)
        msg = f"kernels still running after {CULLED_WITHIN:.0f} s: {listed}\n{servers.log_tail(server.log)}"
        raise AssertionError(msg)
    finally:
        socket.close()


@pytest.mark.slow
def test_jupyterlab_from_make_start_culls_idle_kernels_even_with_a_notebook_open(tmp_path: Path) -> None:
    workspace = servers.make_workspace(tmp_path)
    port, token = servers.free_port(), secrets.token_hex(16)
    command = make_start_command(["--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
                                  f"--IdentityProvider.token={token}", "--LabApp.news_url=None", *SHORT])
    assert f"--config={ROOT / 'jupyter_server_config.py'}" in command
    with servers.serve("make start", command, port=port, token=token, workspace=workspace,
                       log=tmp_path / "lab.log", ready_path="api/status", cwd=ROOT) as lab:
        open_one, closed_one = (str(api(lab, "api/kernels", "POST", {"name": "python3"})["id"]) for _ in range(2))
        seen = _run_apart(_connected_until_culled(lab, open_one, {open_one, closed_one}))
        log = lab.log.read_text(encoding="utf-8", errors="replace")

    assert any(k["id"] == open_one and k["connections"] == 1 for k in seen)  # the open one was counted as open
    assert "Culling kernels with idle durations > 4 seconds at 1 second intervals" in log  # the override
    assert FROM_THE_FILE in log  # the project's file reached the server
    assert re.search(rf"Culling '\w+' kernel 'python3' \({open_one}\) with 1 connections", log)
    assert re.search(rf"Culling '\w+' kernel 'python3' \({closed_one}\) with 0 connections", log)


def _reporting_notebook(folder: Path) -> Path:
    notebook = folder / "report.ipynb"
    code = 'import os\nprint("KERNEL", os.getpid(), os.environ.get("VOILA_KERNEL_ID"))'
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)  # type: ignore[no-untyped-call]
    return notebook


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.slow
def test_voila_from_the_project_folder_culls_the_kernel_of_a_page_left_behind(tmp_path: Path) -> None:
    workspace = servers.make_workspace(tmp_path)
    notebook = _reporting_notebook(tmp_path)
    port, token = servers.free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
               "--Voila.port_retries=0", f"--Voila.token={token}", *SHORT, str(notebook)]
    with servers.serve("Voila", command, port=port, token=token, workspace=workspace, log=tmp_path / "voila.log",
                       ready_path=None, cwd=ROOT) as voila:
        # A page fetched without its scripts never says goodbye: its kernel is left as a closed tab leaves it.
        with urllib.request.urlopen(voila.url("/"), timeout=60) as response:  # noqa: S310 - our own server
            page = response.read().decode("utf-8")
        found = re.search(r"KERNEL (\d+) ([0-9a-f-]{36})", page)
        assert found, page[-2000:]
        pid, kernel_id = int(found[1]), found[2]
        deadline = time.monotonic() + CULLED_WITHIN
        while not _gone(pid) and time.monotonic() < deadline:
            time.sleep(0.25)
        log = voila.log.read_text(encoding="utf-8", errors="replace")
        assert _gone(pid), f"kernel {pid} still running after {CULLED_WITHIN:.0f} s\n{servers.log_tail(voila.log)}"

    assert FROM_THE_FILE in log  # voila.py, read from the project folder, loaded jupyter_server_config.py
    assert re.search(rf"Culling '\w+' kernel 'python3' \({kernel_id}\)", log)
