"""Start and stop real JupyterLab and Voila servers, and a headless Chromium, for e2e tests.

No pytest here: the e2e fixtures and ``bench/bench_submit_latency.py`` share it. Every
server binds 127.0.0.1 on a free port with a random token, runs on a copy of the course
notebooks with isolated Jupyter folders, writes its log to a file, and is stopped
(terminate, then kill) by its context manager whatever happens.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Playwright

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0


class ServerError(RuntimeError):
    """A server did not start; the message holds the end of its log."""


@dataclass(frozen=True)
class Workspace:
    """A temporary course folder: notebooks to serve, the progress database, Jupyter's folders."""

    root: Path
    notebooks: Path
    db: Path
    env: dict[str, str]


def make_workspace(root: Path) -> Workspace:
    """Copy ``notebooks/`` under ``root`` and build an environment that keeps Jupyter inside it."""
    notebooks = root / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    jupyter = root / "jupyter"
    folders = {
        "JUPYTER_CONFIG_DIR": jupyter / "config",
        "JUPYTER_DATA_DIR": jupyter / "data",
        "JUPYTER_RUNTIME_DIR": jupyter / "runtime",
        "JUPYTERLAB_SETTINGS_DIR": jupyter / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": jupyter / "lab-workspaces",
        "IPYTHONDIR": jupyter / "ipython",
    }
    for folder in folders.values():
        folder.mkdir(parents=True)
    # The "get notified about Jupyter news?" toast covers the page; only this setting stops it.
    notification = folders["JUPYTERLAB_SETTINGS_DIR"] / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    db = root / "progress.sqlite3"
    env = {
        **os.environ,
        **{name: str(path) for name, path in folders.items()},
        "JUPYTER_PLATFORM_DIRS": "1",
        "MESO_TRAINING_DB": str(db),
        "MPLBACKEND": "Agg",
        "PYTHONUNBUFFERED": "1",
    }
    return Workspace(root=root, notebooks=notebooks, db=db, env=env)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    token: str
    log: Path
    process: subprocess.Popen[bytes]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        joiner = "&" if "?" in path else "?"
        return f"{self.base_url}/{path.lstrip('/')}{joiner}token={self.token}"


def log_tail(log: Path, lines: int = 40) -> str:
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own 127.0.0.1 server
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate, then kill, the server's whole process group (e.g. make and the JupyterLab it started)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return  # the group is gone
        try:
            process.wait(timeout=STOP_TIMEOUT)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def serve(name: str, command: list[str], *, port: int, token: str, workspace: Workspace, log: Path,
          ready_path: str | None, cwd: Path | None = None) -> Iterator[Server]:
    """Run ``command`` until the block ends; ready when the port answers (and ``ready_path`` is 200)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as log_file:
        # A new session, so stopping it cannot signal the test runner, and its kernels go with it.
        process = subprocess.Popen(command, cwd=cwd or workspace.notebooks, env=workspace.env, stdin=subprocess.DEVNULL,
                                   stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True)
        server = Server(name=name, port=port, token=token, log=log, process=process)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                if process.poll() is not None:
                    msg = f"{name} exited with code {process.returncode} before it was ready; log {log}:\n"
                    raise ServerError(msg + log_tail(log))
                if _port_open(port) and (ready_path is None or _http_ok(server.url(ready_path))):
                    break
                if time.monotonic() > deadline:
                    msg = f"{name} was not ready after {START_TIMEOUT:.0f} s; log {log}:\n"
                    raise ServerError(msg + log_tail(log))
                time.sleep(0.2)
            yield server
        finally:
            _stop(process)


@contextmanager
def jupyterlab(workspace: Workspace, log: Path) -> Iterator[Server]:
    """JupyterLab on 127.0.0.1 with the app exposed as ``window.jupyterapp`` for tests."""
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root", "--expose-app-in-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={workspace.notebooks}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with serve("JupyterLab", command, port=port, token=token, workspace=workspace, log=log,
                ready_path="api/status") as server:
        yield server


@contextmanager
def voila(workspace: Workspace, notebook: str, log: Path, *, theme: str = "light") -> Iterator[Server]:
    """Voila serving one notebook in a JupyterLab theme. Readiness is a TCP connect: every page GET runs it."""
    port, token = free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0", f"--Voila.token={token}", "--show_tracebacks=True", "--template=meso",
        f"--theme={theme}",
        str(workspace.notebooks / notebook),
    ]
    with serve("Voila", command, port=port, token=token, workspace=workspace, log=log, ready_path=None) as server:
        yield server


@contextmanager
def chromium(playwright: Playwright, profile: Path) -> Iterator[BrowserContext]:
    """Headless Debian Chromium in a fresh profile folder; closed at the end of the block."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 900})
    try:
        yield context
    finally:
        context.close()


def console_to(page: Page, log: Path) -> None:
    """Append the page's console messages and uncaught errors to ``log``."""

    def write(line: str) -> None:
        with log.open("a", encoding="utf-8") as out:
            out.write(line + "\n")

    page.on("console", lambda message: write(f"[{message.type}] {message.text}"))
    page.on("pageerror", lambda error: write(f"[pageerror] {error}"))


KERNEL_IDLE = """() => {
  const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const kernel = widget && widget.sessionContext && widget.sessionContext.session
    && widget.sessionContext.session.kernel;
  return !!kernel && kernel.status === "idle";
}"""


def open_in_lab(page: Page, server: Server, notebook: str, *, timeout_ms: float = 60_000) -> None:
    """Open ``notebook`` in a fresh JupyterLab layout and wait until its kernel is idle."""
    page.goto(server.url(f"lab/tree/{notebook}?reset"))
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)


def run_all_cells(page: Page, *, timeout_ms: float = 60_000) -> None:
    """Run every cell and wait until the kernel is idle again."""
    # The command's promise settles once every cell has run.
    page.evaluate("async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    page.wait_for_function(KERNEL_IDLE, timeout=timeout_ms)
