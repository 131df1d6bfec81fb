"""The service's own grade for every answer it stores: a kernel runs the trainee's code, so its score is a claim.

Each attempt is looked up in the course the service loaded and its answer graded again with
the engine's graders (``engine.regrade``). The grade stored is the service's; an attempt at a
question the course does not have, or whose answer the grader refuses, is refused (400), and
one graded against another version of a question (the notebook's course and the service's
differ) is refused too (409), since nobody can say now what it earned then. A certificate
is kept only for a module of the course, at its current version, resting on answers the
service holds for that trainee, and only when the service's own replay of those answers
(the engine's module session, as the notebook ran it) passes with the score it claims.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence

from meso_training.engine.regrade import Regrader
from meso_training.engine.session import ModuleSession, ModuleSummary
from meso_training.errors import RecordsRequestError
from meso_training.model import Course, Mode, Module, Standing
from meso_training.model.attempt import Attempt
from meso_training.records_service.validation import summary
from meso_training.storage.certificates import Certificate


class ServerGrading:
    """``graded(attempts)``: the attempts with the course's grades, or a refusal naming every one it cannot grade."""

    def __init__(self, course: Course) -> None:
        self._regrader = Regrader(course)
        self._modules = {m.id: m for m in course.modules}

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

    def certificate_refusal(self, certificate: Certificate, own: Sequence[Attempt]) -> None:
        """Refuse a certificate the trainee's own stored answers (``own``, in its module) do not earn.

        Refused: a module not in the course, another version, answers the service does not
        hold, an assessment the service's replay finds unfinished or not passed, or a score
        other than the replay's (a kernel runs the trainee's code, so its certificate is a claim).
        """
        module = self._modules.get(certificate.module_id)
        if module is None:
            raise RecordsRequestError(400, f"module {certificate.module_id!r} is not in this course")
        if certificate.content_version != module.version:
            raise RecordsRequestError(409, f"the certificate is for version {certificate.content_version!r} of "
                                      f"module {certificate.module_id!r}, and the course is at version "
                                      f"{module.version!r}; reload the notebook")
        missing = set(certificate.attempt_uids) - {a.attempt_uid for a in own}
        if missing:
            raise RecordsRequestError(400, f"the certificate rests on {len(missing)} answer(s) the records service "
                                      "does not have for you in this module; submit them first")
        named = set(certificate.attempt_uids)
        result = _replayed(module, [a for a in own if a.attempt_uid in named and a.mode == Mode.ASSESSMENT])
        if not (result.complete and result.passed):
            raise RecordsRequestError(409, f"your stored answers do not pass module {module.id!r} (score "
                                      f"{100 * result.score:.0f}%, pass mark {100 * result.pass_mark:.0f}%, "
                                      f"{len(result.critical_errors)} harmful choice(s)); no certificate is issued")
        if abs(result.score - certificate.score) > 1e-9:
            raise RecordsRequestError(400, f"the certificate says {100 * certificate.score:.1f}% but your stored "
                                      f"answers score {100 * result.score:.1f}%; show the summary again to get it")

    def released(self, attempts: Sequence[Attempt]) -> list[Attempt]:
        """``attempts`` without the answers of an assessment still under way: their grades are the feedback.

        An assessment's feedback comes at its end (the summary), so until a trainee's
        assessment of a module is complete, reading their own attempts back does not show
        how those answers were graded. Practice answers, and finished assessments, are all there.
        """
        by_sitting: dict[tuple[str, str], list[Attempt]] = {}
        for a in attempts:
            if a.mode == Mode.ASSESSMENT:
                by_sitting.setdefault((a.trainee, a.module_id), []).append(a)
        unfinished = {sitting for sitting, mine in by_sitting.items() if not self._complete(sitting[1], mine)}
        return [a for a in attempts if a.mode != Mode.ASSESSMENT or (a.trainee, a.module_id) not in unfinished]

    def _complete(self, module_id: str, attempts: Sequence[Attempt]) -> bool:
        module = self._modules.get(module_id)
        if module is None:
            return True  # not a module of this course: nothing of its key is here to give away
        return _replayed(module, attempts).complete


def _replayed(module: Module, attempts: Sequence[Attempt]) -> ModuleSummary:
    """The assessment's summary as the engine's module session makes it from these stored answers, oldest first."""
    session = ModuleSession(module, trainee="service", mode=Mode.ASSESSMENT, rng=random.Random(0),
                            now=dt.datetime.now(dt.UTC))
    session.resume(sorted(attempts, key=lambda a: a.submitted_at))
    return session.summary()
