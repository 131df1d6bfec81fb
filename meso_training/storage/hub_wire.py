"""The JSON the course's records service and a kernel's ``HubRecordsStore`` exchange.

Both ends import this module, so the paths and the shape of a certificate are written once.
Attempts travel in their stored form (``Attempt.to_dict``), which is already JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from meso_training.storage.certificates import Certificate

COHORT_SCOPE = "custom:meso-training:cohort:read"
"""The JupyterHub scope that lets an instructor read every trainee's attempts and certificates."""

ATTEMPTS = "api/attempts"
COHORT_ATTEMPTS = "api/cohort/attempts"
TRAINEES = "api/trainees"
SETTINGS = "api/settings"
CERTIFICATES = "api/certificates"
HEALTH = "api/health"
ASSESSMENTS = "api/assessments"
"""``<module>/paper`` (GET), ``<module>/answers`` (POST), ``<module>/summary`` (GET): graded by the service."""


def assessment_path(module_id: str, part: str) -> str:
    """The path of one assessment route of ``module_id`` (``paper``, ``answers`` or ``summary``)."""
    return f"{ASSESSMENTS}/{quote(module_id, safe='')}/{part}"

_TEXT = ("code", "trainee", "course_title", "module_id", "module_title", "content_version")
_NUMBERS = ("score", "points", "max_points", "pass_mark")


def certificate_to_json(certificate: Certificate) -> dict[str, Any]:
    """A certificate as JSON types; ``issued_at`` as UTC ISO 8601 text."""
    data: dict[str, Any] = {name: getattr(certificate, name) for name in (*_TEXT, *_NUMBERS)}
    data["issued_at"] = certificate.issued_at.isoformat(timespec="seconds")
    data["attempt_uids"] = list(certificate.attempt_uids)
    return data


def certificate_problems(data: Any) -> list[str]:
    """Everything wrong with ``data`` as a certificate, all at once (empty: it can be read)."""
    if not isinstance(data, Mapping):
        return ["a certificate must be a JSON object"]
    problems = [f"{name} must be a non-empty string" for name in _TEXT
                if not isinstance(data.get(name), str) or not data[name].strip()]
    problems += [f"{name} must be a number" for name in _NUMBERS
                 if isinstance(data.get(name), bool) or not isinstance(data.get(name), int | float)]
    uids = data.get("attempt_uids")
    if not isinstance(uids, list) or not all(isinstance(u, str) for u in uids):
        problems.append("attempt_uids must be a list of strings")
    issued = data.get("issued_at")
    try:
        moment = dt.datetime.fromisoformat(issued) if isinstance(issued, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        problems.append("issued_at must be an ISO 8601 time with its time zone")
    known = {*_TEXT, *_NUMBERS, "issued_at", "attempt_uids"}
    problems += [f"unknown key {key!r}" for key in data if key not in known]
    return problems


def certificate_from_json(data: Mapping[str, Any]) -> Certificate:
    """Inverse of ``certificate_to_json``; check ``certificate_problems`` first for data from outside."""
    return Certificate(
        code=data["code"], trainee=data["trainee"], course_title=data["course_title"], module_id=data["module_id"],
        module_title=data["module_title"], content_version=data["content_version"], score=float(data["score"]),
        points=float(data["points"]), max_points=float(data["max_points"]), pass_mark=float(data["pass_mark"]),
        issued_at=dt.datetime.fromisoformat(data["issued_at"]), attempt_uids=tuple(data["attempt_uids"]),
    )
