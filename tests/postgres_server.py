"""A throw-away PostgreSQL server for the tests: its own cluster in a temporary folder, on 127.0.0.1 only.

initdb and postgres refuse to run as root, so as root (CI, this machine) every server
command runs as the ``postgres`` user, in a folder that user owns. ``fsync`` stays on: the
restart tests prove that what the store acknowledged survives ``pg_ctl restart -m immediate``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg

INSTALL_HINT = ("PostgreSQL's server programs (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH; "
                "install them with `apt-get install postgresql` (Debian) and run the tests again.")


def server_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None if there is none."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One cluster: ``start()``, ``url`` of its ``meso`` database, ``new_database()``, ``restart()``, ``stop()``."""

    def __init__(self, bin_dir: Path) -> None:
        self._bin = bin_dir
        self._as_postgres = os.geteuid() == 0
        self.folder = Path(tempfile.mkdtemp(prefix="meso-pg-"))  # not under pytest's tmp: root-only folders
        self.data = self.folder / "data"
        self.port = free_port()
        self.user = "postgres"
        if self._as_postgres:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)

    def url_of(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    @property
    def url(self) -> str:
        return self.url_of("meso")

    def start(self) -> PostgresServer:
        self._run("initdb", "-D", str(self.data), "-U", self.user, "--auth=trust", "-E", "UTF8", "--locale=C",
                  "--no-sync")
        self._pg_ctl("start")
        self.execute("CREATE DATABASE meso")
        return self

    def restart(self, mode: str = "immediate") -> None:
        """Stop the server (``immediate``: no checkpoint, as a crash would) and start it again on the same port."""
        self._pg_ctl("restart", "-m", mode)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh, empty database's URL (cheap: copied from template1)."""
        name = f"t_{uuid.uuid4().hex[:16]}"
        self.execute(f"CREATE DATABASE {name}")
        return self.url_of(name)

    def drop_database(self, url: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def execute(self, sql: str, database: str = "postgres") -> None:
        with psycopg.connect(self.url_of(database), autocommit=True) as conn:
            conn.execute(sql.encode())

    def _pg_ctl(self, action: str, *extra: str) -> None:
        options = (f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.folder} "
                   "-c fsync=on -c synchronous_commit=on -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options, "-w",
                  *extra, action)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self._bin / program), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder, check=False)
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise subprocess.CalledProcessError(done.returncode, command, done.stdout, done.stderr + tail)
