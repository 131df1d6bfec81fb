"""A kernel's progress store on JupyterHub: every read and write goes through the course's records service.

Why through a service and not straight to the cohort's database: a trainee's kernel runs the
trainee's own code, so whatever credentials it holds, the trainee holds. The kernel has only
the hub's token for its user (``$JUPYTERHUB_API_TOKEN``); the service checks with the hub who
that is, lets them read and write only their own attempts, grades every answer again itself,
and is the only process that knows the database's password.

A service that is down, restarting or behind a failing proxy raises ``StoreUnreachableError``
(retryable: ``PendingAttempts`` keeps the answers and saves them with the next submission); a
refusal (403, 400) raises ``StoreRefusedError``, not retryable, with the service's reason.
Attempts are idempotent by ``attempt_uid``, so a batch sent again after a lost reply is kept once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from typing import Any, Self

from meso_training.errors import StoreRefusedError, StoreUnreachableError
from meso_training.model.attempt import Attempt
from meso_training.storage import is_service_url
from meso_training.storage.certificates import Certificate
from meso_training.storage.hub_wire import (
    ATTEMPTS,
    CERTIFICATES,
    SETTINGS,
    TRAINEES,
    assessment_path,
    certificate_from_json,
    certificate_to_json,
)
from meso_training.storage.store_base import StoreBase

TOKEN_ENV = "JUPYTERHUB_API_TOKEN"  # noqa: S105 - the name of the variable, not a secret
_UNAVAILABLE = {502, 503, 504}  # the proxy or the hub answering for a service that is not up (yet)
_NOT_FROM_A_HUB = ("this kernel has no JupyterHub token (JUPYTERHUB_API_TOKEN is not set). Open the notebook "
                     "from your JupyterHub, or ask your course team to check the hub's configuration.")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect means the hub wants a browser login: for an API call that is a refusal, not a page to follow."""

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


class HubRecordsStore(StoreBase):
    """A ``ProgressStore`` that talks HTTP to the records service at ``url`` with the user's hub token.

    Holds no connection: each call is one request, so a service restart needs nothing reopened.
    ``timeout`` bounds each request, so a hung service turns into a retryable error, not a frozen notebook.
    """

    def __init__(self, url: str, *, token: str | None = None, timeout: float = 15.0) -> None:
        if not is_service_url(url):
            raise StoreRefusedError(url, 400, "the records service's address must start with http:// or https://")
        self._url = url if url.endswith("/") else url + "/"
        self._token = token if token is not None else os.environ.get(TOKEN_ENV, "")
        self._timeout = timeout

    @property
    def location(self) -> str:
        return self._url

    @property
    def startup_notice(self) -> str | None:
        return None

    def exists(self) -> bool:
        return True  # the service keeps the cohort's database; there is always one to read

    def open(self) -> None:
        return None  # nothing to open: every call is its own request

    def close(self) -> None:
        return None

    def __enter__(self) -> Self:
        self.open()
        return self

    def record_many(self, attempts: Iterable[Attempt]) -> int:
        batch = [a.to_dict() for a in attempts]
        if not batch:
            return 0
        reply = self._request("POST", ATTEMPTS, body={"attempts": batch})
        return int(reply["added"])

    def attempts(self, *, trainee: str | None = None, module_id: str | None = None) -> list[Attempt]:
        reply = self._request("GET", ATTEMPTS, query={"trainee": trainee, "module": module_id})
        return [Attempt.from_dict(item) for item in reply["attempts"]]

    def trainees(self) -> list[str]:
        return [str(name) for name in self._request("GET", TRAINEES)["trainees"]]

    def set_aside_count(self) -> int:
        return 0  # unreadable rows are the service's to report, in its own log and the instructor's export

    def get_setting(self, key: str) -> str | None:
        value = self._request("GET", f"{SETTINGS}/{urllib.parse.quote(key, safe='')}")["value"]
        return None if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        self._request("PUT", f"{SETTINGS}/{urllib.parse.quote(key, safe='')}", body={"value": value})

    def issue_certificate(self, certificate: Certificate) -> Certificate:
        reply = self._request("POST", CERTIFICATES, body={"certificate": certificate_to_json(certificate)})
        return certificate_from_json(reply["certificate"])

    def certificate(self, code: str) -> Certificate | None:
        reply = self._request("GET", f"{CERTIFICATES}/{urllib.parse.quote(code, safe='')}", missing_ok=True)
        return None if reply is None else certificate_from_json(reply["certificate"])

    def certificates(self, *, trainee: str | None = None) -> list[Certificate]:
        reply = self._request("GET", CERTIFICATES, query={"trainee": trainee})
        return [certificate_from_json(item) for item in reply["certificates"]]

    def assessment_paper(self, module_id: str) -> dict[str, Any]:
        """The key-free paper of an assessment the service grades, with where this trainee stands."""
        return dict(self._request("GET", assessment_path(module_id, "paper")))

    def assessment_answer(self, module_id: str, question_id: str, answer: Any, shown_at: dt.datetime) -> dict[str, Any]:
        """Send one assessment answer for the service to grade and keep; the reply says only that it was recorded."""
        body = {"question_id": question_id, "answer": answer, "shown_at": shown_at.isoformat()}
        return dict(self._request("POST", assessment_path(module_id, "answers"), body=body))

    def assessment_summary(self, module_id: str) -> dict[str, Any]:
        """The released summary of a complete assessment (the service refuses it, 409, before)."""
        return dict(self._request("GET", assessment_path(module_id, "summary")))

    def _request(self, method: str, path: str, *, query: dict[str, str | None] | None = None,
                 body: Any = None, missing_ok: bool = False) -> Any:
        if not self._token:
            raise StoreRefusedError(self._url, 401, _NOT_FROM_A_HUB)
        given = {k: v for k, v in (query or {}).items() if v is not None}
        url = self._url + path + (f"?{urllib.parse.urlencode(given)}" if given else "")
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        headers = {"Authorization": f"token {self._token}", "Content-Type": "application/json",
                   "Accept": "application/json"}
        # The scheme is http or https, checked in __init__.
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with _OPENER.open(request, timeout=self._timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as exc:
            if exc.code == 404 and missing_ok:
                return None
            reason = _reason(exc)
            if exc.code in _UNAVAILABLE:
                raise StoreUnreachableError(self._url, reason) from None
            raise StoreRefusedError(self._url, exc.code, reason) from None
        except (OSError, ValueError) as exc:  # refused, reset, timed out, or a reply that is not JSON
            raise StoreUnreachableError(self._url, str(getattr(exc, "reason", exc)) or type(exc).__name__) from None


def _reason(exc: urllib.error.HTTPError) -> str:
    """The service's own ``{"error": ...}`` text, else the status line (a proxy's or the hub's page)."""
    try:
        payload = json.loads(exc.read() or b"null")
    except (OSError, ValueError):
        payload = None
    if isinstance(payload, dict) and isinstance(payload.get("error"), str):
        return str(payload["error"])
    if 300 <= exc.code < 400:
        return ("the hub asked for a login instead of accepting this kernel's token; restart the server from "
                "the hub's home page")
    return f"HTTP {exc.code} {exc.reason}"
