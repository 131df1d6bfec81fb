"""The records service's JSON API: who is asking (the hub says), what they may see, and the store behind it.

Every handler is ``HubOAuthenticated``: a kernel's request carries its user's hub token, a
browser its OAuth cookie, and the hub answers who that is and with which scopes. A trainee
reads and writes only their own records; ``COHORT_SCOPE`` lets an instructor read everyone's.
Each failure is answered as ``{"error": "..."}`` with a plain message; store calls run in
threads so a slow database never stops the service answering others.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from jupyterhub.services.auth import HubOAuthenticated, UserNotAllowed
from tornado.web import HTTPError, RequestHandler, authenticated

from meso_training.errors import CertificateCodeError, MesoTrainingError, RecordsRequestError, StoreError
from meso_training.model import Mode
from meso_training.records_service.grading_check import ServerGrading
from meso_training.records_service.validation import attempts_from, json_body, setting_value, summary
from meso_training.storage.certificates import parse_code
from meso_training.storage.hub_wire import (
    COHORT_SCOPE,
    certificate_from_json,
    certificate_problems,
    certificate_to_json,
)
from meso_training.storage.interface import ProgressStore

log = logging.getLogger(__name__)
_T = TypeVar("_T")
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_MAX_KEY = 100


@dataclass(frozen=True)
class Records:
    """What every handler works on: the cohort's store and the course's grading."""

    store: ProgressStore
    grading: ServerGrading


class ApiHandler(HubOAuthenticated, RequestHandler):
    """Identifies the user before any handler runs and answers every error as JSON."""

    records: Records
    user: dict[str, Any] | None = None

    def initialize(self, records: Records) -> None:
        self.records = records

    def check_xsrf_cookie(self) -> None:
        return None  # checked in ``prepare``, once the hub has said whether a token or a cookie came

    async def prepare(self) -> None:
        model = await self.hub_auth.get_user(self, sync=False)
        try:
            self.user = self.check_hub_user(model) if model else None
        except UserNotAllowed:
            self.user = None
        self.current_user = self.user
        if self.user and self.request.method not in _SAFE_METHODS:
            self.hub_auth.check_xsrf_cookie(self)  # a browser's cookie needs its xsrf token; a kernel's token not

    @property
    def name(self) -> str:
        if not self.user:
            raise RecordsRequestError(403, "JupyterHub did not accept this request's token or login for the "
                                      "records service; open the notebook from your JupyterHub, or ask your course "
                                      "team to give your account access to the service")
        return str(self.user["name"])

    @property
    def reads_cohort(self) -> bool:
        return self.user is not None and COHORT_SCOPE in self.user.get("scopes", ())

    def readable(self, trainee: str | None) -> str | None:
        """Whose records to read: ``trainee`` if the user may read theirs; by default all the user may (None: all).

        So ``attempts()`` means the same as on any store, "every attempt I can see": a trainee's
        own, or the whole cohort for an instructor's analytics.
        """
        if trainee is None:
            return None if self.reads_cohort else self.name
        if trainee == self.name or self.reads_cohort:
            return trainee
        raise RecordsRequestError(403, f"{self.name} may read only their own records, not those of {trainee}")

    def require_cohort(self) -> None:
        if not self.reads_cohort:
            raise RecordsRequestError(403, f"{self.name} may not read the cohort's records: that needs the "
                                      f"{COHORT_SCOPE} scope (the instructor role)")

    async def run(self, call: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """``call`` in a worker thread: store calls block, and the service must keep answering meanwhile."""
        return await asyncio.get_running_loop().run_in_executor(None, functools.partial(call, *args, **kwargs))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, RecordsRequestError):
            self.set_status(exc.status)
            message = str(exc)
        elif isinstance(exc, StoreError):
            self.set_status(503 if exc.retryable else 500)
            message = "the cohort's database cannot be used just now; your answers stay in your notebook " \
                      "and are saved with your next submission"
        elif isinstance(exc, MesoTrainingError):
            self.set_status(400)
            message = str(exc)
        elif isinstance(exc, HTTPError):
            message = exc.log_message or self._reason
        else:
            message = "the records service failed; the details are in its log"
        self.finish({"error": message})

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        if isinstance(value, RecordsRequestError):
            log.info("refused %s %s: %s", self.request.method, self.request.path, value)
        elif isinstance(value, StoreError):
            log.warning("store failed for %s %s: %s", self.request.method, self.request.path, value)
        else:
            super().log_exception(typ, value, tb)


class AttemptsHandler(ApiHandler):
    """``GET`` the attempts the user may read (``?trainee=``, ``?module=`` narrow them); ``POST`` own ones."""

    async def get(self) -> None:
        trainee = self.readable(self.get_query_argument("trainee", None))
        module_id = self.get_query_argument("module", None) or None
        found = await self.run(self.records.store.attempts, trainee=trainee, module_id=module_id)
        if not self.reads_cohort:  # a trainee: an assessment's grades only once it is finished
            found = await self.run(self.records.grading.released, found)
        self.finish({"attempts": [a.to_dict() for a in found]})

    async def post(self) -> None:
        attempts = attempts_from(json_body(self.request.body), self.name)
        if any(a.mode == Mode.ASSESSMENT for a in attempts):
            # Here the client says when it answered, and each answer is not checked against the one
            # before it: an assessment's answers go through its own routes, graded one at a time.
            raise RecordsRequestError(409, "answers to an assessment are recorded by the assessment itself on "
                                      "the records service, one at a time; open the assessment notebook to answer")
        graded = self.records.grading.graded(attempts)
        added = await self.run(self.records.store.record_many, graded)
        self.finish({"added": added, "grades": [{"attempt_uid": a.attempt_uid, "score": a.score} for a in graded]})


class CohortAttemptsHandler(ApiHandler):
    """``GET`` every trainee's attempts (``?trainee=``, ``?module=`` narrow it): for the instructor's analytics."""

    async def get(self) -> None:
        self.require_cohort()
        trainee = self.get_query_argument("trainee", None) or None
        module_id = self.get_query_argument("module", None) or None
        found = await self.run(self.records.store.attempts, trainee=trainee, module_id=module_id)
        self.finish({"attempts": [a.to_dict() for a in found]})


class TraineesHandler(ApiHandler):
    """``GET`` the names with attempts: everyone's for the cohort scope, else at most the user's own."""

    async def get(self) -> None:
        names = await self.run(self.records.store.trainees)
        self.finish({"trainees": names if self.reads_cohort else [n for n in names if n == self.name]})


class SettingHandler(ApiHandler):
    """``GET``/``PUT`` one of the user's own small settings, kept apart from every other user's."""

    def _key(self, key: str) -> str:
        if not key or len(key) > _MAX_KEY:
            raise RecordsRequestError(400, f"a setting's name must be 1 to {_MAX_KEY} characters")
        return f"hub-user:{self.name}:{key}"

    async def get(self, key: str) -> None:
        self.finish({"value": await self.run(self.records.store.get_setting, self._key(key))})

    async def put(self, key: str) -> None:
        stored = self._key(key)
        await self.run(self.records.store.set_setting, stored, setting_value(json_body(self.request.body)))
        self.finish({"saved": True})


class CertificatesHandler(ApiHandler):
    """``GET`` the certificates the user may read (``?trainee=`` narrows them); ``POST`` one of their own to issue."""

    async def get(self) -> None:
        trainee = self.readable(self.get_query_argument("trainee", None))
        found = await self.run(self.records.store.certificates, trainee=trainee)
        self.finish({"certificates": [certificate_to_json(c) for c in found]})

    async def post(self) -> None:
        data = json_body(self.request.body)
        raw = data.get("certificate") if isinstance(data, dict) else None
        problems = certificate_problems(raw)
        if problems or not isinstance(raw, dict):
            raise RecordsRequestError(400, "certificate not valid: " + summary(problems))
        certificate = certificate_from_json(raw)
        if certificate.trainee != self.name:
            raise RecordsRequestError(403, f"{self.name} may be issued only their own certificates")
        own = await self.run(self.records.store.attempts, trainee=self.name, module_id=certificate.module_id)
        self.records.grading.certificate_refusal(certificate, own)
        issued = await self.run(self.records.store.issue_certificate, certificate)
        self.finish({"certificate": certificate_to_json(issued)})


class CertificateHandler(ApiHandler):
    """``GET`` one certificate by its code: the user's own, or anyone's with the cohort scope (else 404)."""

    async def get(self, code: str) -> None:
        try:
            stored = parse_code(code)
        except CertificateCodeError as exc:
            raise RecordsRequestError(400, str(exc)) from None
        found = await self.run(self.records.store.certificate, stored)
        if found is None or (found.trainee != self.name and not self.reads_cohort):
            raise RecordsRequestError(404, f"no certificate with the code {code!r} was issued to {self.name}")
        self.finish({"certificate": certificate_to_json(found)})


class HealthHandler(RequestHandler):
    """``GET`` whether the service is up, without a login: what a hub's health check and the tests poll."""

    def get(self) -> None:
        self.finish({"status": "ok", "pid": os.getpid()})


class WhoAmIHandler(ApiHandler):
    """The service's home page: in a browser it sends the user through the hub's login, then says who they are."""

    @authenticated
    def get(self) -> None:
        self.finish({"user": self.name, "reads_cohort": self.reads_cohort})
