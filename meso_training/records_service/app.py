"""The records service as a tornado application under its hub prefix, and the loop that serves it.

JupyterHub starts a managed service with its address and prefix in the environment
(``JUPYTERHUB_SERVICE_URL``, ``JUPYTERHUB_SERVICE_PREFIX``) and its own API token, with which
``HubOAuth`` asks the hub who each request comes from. The service loads the course once at
start (to grade every answer itself) and opens the cohort's store from ``--db``: the database's
credentials live in the service's environment and nowhere else.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jupyterhub.services.auth import HubOAuthCallbackHandler
from tornado.httpserver import HTTPServer
from tornado.web import Application

from meso_training.authoring.loader import load_course
from meso_training.authoring.quiz_files import locate_course
from meso_training.errors import MesoTrainingError
from meso_training.model import Course
from meso_training.records_service.assessment_handlers import AnswerHandler, PaperHandler, SummaryHandler
from meso_training.records_service.assessment_sessions import AssessmentDesk
from meso_training.records_service.grading_check import ServerGrading
from meso_training.records_service.handlers import (
    AttemptsHandler,
    CertificateHandler,
    CertificatesHandler,
    CohortAttemptsHandler,
    HealthHandler,
    Records,
    SettingHandler,
    TraineesHandler,
    WhoAmIHandler,
)
from meso_training.records_service.validation import MAX_BODY_BYTES
from meso_training.storage import is_service_url, open_store
from meso_training.storage.hub_wire import (
    ASSESSMENTS,
    ATTEMPTS,
    CERTIFICATES,
    COHORT_ATTEMPTS,
    HEALTH,
    SETTINGS,
    TRAINEES,
)
from meso_training.storage.interface import ProgressStore

log = logging.getLogger(__name__)
URL_ENV, PREFIX_ENV = "JUPYTERHUB_SERVICE_URL", "JUPYTERHUB_SERVICE_PREFIX"
_NOT_ON_A_HUB = ("serve-records runs as a JupyterHub service: JUPYTERHUB_SERVICE_URL is not set. Add it to "
                 "c.JupyterHub.services with a url and this command (see docs/deployment.md).")


def make_app(store: ProgressStore, grading: ServerGrading, prefix: str, course: Course | None = None) -> Application:
    """The service's routes under ``prefix`` (``/services/<name>/``), each API handler given the store.

    With ``course``, also the assessment routes (``assessment_handlers``): the service grades them itself.
    """
    base = prefix if prefix.endswith("/") else prefix + "/"
    records: dict[str, Any] = {"records": Records(store, grading)}
    routes: list[Any] = [
        (base + "oauth_callback", HubOAuthCallbackHandler),
        (base + HEALTH, HealthHandler),
        (base + ATTEMPTS, AttemptsHandler, records),
        (base + COHORT_ATTEMPTS, CohortAttemptsHandler, records),
        (base + TRAINEES, TraineesHandler, records),
        (base + SETTINGS + "/([^/]+)", SettingHandler, records),
        (base + CERTIFICATES, CertificatesHandler, records),
        (base + CERTIFICATES + "/([^/]+)", CertificateHandler, records),
        (base, WhoAmIHandler, records),
    ]
    if course is not None:
        desk = {**records, "desk": AssessmentDesk(store, course)}
        routes[-1:-1] = [(base + ASSESSMENTS + f"/([^/]+)/{part}", handler, desk)
                         for part, handler in (("paper", PaperHandler), ("answers", AnswerHandler),
                                               ("summary", SummaryHandler))]
    return Application(routes, cookie_secret=secrets.token_bytes(32))


def serve(db: str, quizzes: Sequence[Path] | None = None) -> None:
    """Load the course, open the store at ``db`` and answer requests until the hub stops the service."""
    url = os.environ.get(URL_ENV, "")
    if not url:
        raise MesoTrainingError(_NOT_ON_A_HUB)
    if not db or is_service_url(db):
        msg = ("serve-records needs the cohort's database: pass --db (a postgresql:// URL or a SQLite file) or set "
               "MESO_TRAINING_DB in the service's environment; it cannot be another records service")
        raise MesoTrainingError(msg)
    logging.basicConfig(level=logging.INFO, format="[meso-records %(levelname)s %(asctime)s] %(message)s")
    location = locate_course(list(quizzes) if quizzes else None)
    print(f"Course: {location.describe()}", file=sys.stderr)
    course = load_course(list(location.paths))
    store = open_store(db)
    store.open()
    address = urlsplit(url)
    app = make_app(store, ServerGrading(course), os.environ.get(PREFIX_ENV, "/"), course)
    try:
        asyncio.run(_serve_until_stopped(app, address.hostname or "127.0.0.1", address.port or 80))
    finally:
        store.close()


async def _serve_until_stopped(app: Application, host: str, port: int) -> None:
    # Past the limit tornado drops the connection; below it the handler answers a readable 413.
    server = HTTPServer(app, max_body_size=4 * MAX_BODY_BYTES, xheaders=True)
    server.listen(port, host)
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    log.info("records service listening on http://%s:%d%s", host, port, os.environ.get(PREFIX_ENV, "/"))
    await stopped.wait()
    server.stop()
    await server.close_all_connections()
