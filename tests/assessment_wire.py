"""The kernel's view of the records service's assessments without a hub: the service's desk behind a JSON round trip."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from meso_training.records_service.assessment_sessions import AssessmentDesk


def _json(data: Any) -> Any:
    return json.loads(json.dumps(data))


class Wire:
    """``AssessmentService`` for one trainee: every call goes through JSON, as over HTTP, and replies are kept."""

    def __init__(self, desk: AssessmentDesk, trainee: str) -> None:
        self.desk, self.trainee = desk, trainee
        self.replies: list[dict[str, Any]] = []

    def assessment_paper(self, module_id: str) -> dict[str, Any]:
        return dict(_json(self.desk.paper(self.trainee, module_id)))

    def assessment_answer(self, module_id: str, question_id: str, answer: Any, shown_at: dt.datetime) -> dict[str, Any]:
        body = _json({"question_id": question_id, "answer": answer, "shown_at": shown_at.isoformat()})
        reply = dict(_json(self.desk.answer(self.trainee, module_id, body)))
        self.replies.append(reply)
        return reply

    def assessment_summary(self, module_id: str) -> dict[str, Any]:
        return dict(_json(self.desk.summary(self.trainee, module_id)))
