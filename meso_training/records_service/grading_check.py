"""The service's own grade for every answer it stores: a kernel runs the trainee's code, so its score is a claim.

Each attempt is looked up in the course the service loaded and its answer graded again with
the engine's graders (``engine.regrade``). The grade stored is the service's; an attempt at a
question the course does not have, or whose answer the grader refuses, is refused (400), and
one graded against another version of a question (the notebook's course and the service's
differ) is refused too (409), since nobody can say now what it earned then. A certificate
is kept only for a module of the course, at its current version, resting on answers the
service holds for that trainee (its score is the notebook's; see ``certificate_refusal``).
"""

from __future__ import annotations

from collections.abc import Iterable

from meso_training.engine.regrade import Regrader
from meso_training.errors import RecordsRequestError
from meso_training.model import Course, Standing
from meso_training.model.attempt import Attempt
from meso_training.records_service.validation import summary
from meso_training.storage.certificates import Certificate


class ServerGrading:
    """``graded(attempts)``: the attempts with the course's grades, or a refusal naming every one it cannot grade."""

    def __init__(self, course: Course) -> None:
        self._regrader = Regrader(course)
        self._versions = {m.id: m.version for m in course.modules}

    def graded(self, attempts: Iterable[Attempt]) -> list[Attempt]:
        kept: list[Attempt] = []
        unknown: list[str] = []
        changed: list[str] = []
        for place, attempt in enumerate(attempts, start=1):
            verdict = self._regrader(attempt)
            if verdict.standing in {Standing.UNKNOWN, Standing.REFUSED}:
                unknown.append(f"attempt {place}: {verdict.reason}")
            elif verdict.standing is Standing.CHANGED:
                changed.append(f"attempt {place}: {verdict.reason}")
            else:
                kept.append(verdict.attempt)
        if unknown:
            raise RecordsRequestError(400, summary(unknown) + "; ask your course team whether the notebook and the "
                                      "records service use the same course")
        if changed:
            raise RecordsRequestError(409, summary(changed) + " on the records service; reload the notebook to "
                                      "answer the current version")
        return kept

    def certificate_refusal(self, certificate: Certificate, held: set[str]) -> None:
        """Refuse a certificate for a module not in the course, of another version, or on answers not ``held``.

        The score itself is not computed again here: the module's pass rules live in the
        reports layer, which the service does not import; the answers it rests on are checked.
        """
        version = self._versions.get(certificate.module_id)
        if version is None:
            raise RecordsRequestError(400, f"module {certificate.module_id!r} is not in this course")
        if certificate.content_version != version:
            raise RecordsRequestError(409, f"the certificate is for version {certificate.content_version!r} of "
                                      f"module {certificate.module_id!r}, and the course is at version {version!r}; "
                                      "reload the notebook")
        missing = set(certificate.attempt_uids) - held
        if missing:
            raise RecordsRequestError(400, f"the certificate rests on {len(missing)} answer(s) the records service "
                                      "does not have for you in this module; submit them first")
