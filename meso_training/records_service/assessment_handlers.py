"""The records service's assessment routes: a trainee's paper, their answers, and the summary once complete.

Thin: who is asking comes from the hub (``ApiHandler.name``), everything else is
``AssessmentDesk``'s. A trainee works only on their own assessment; the summary may be read
for another trainee only with the cohort scope (an instructor), else 403.
"""

from __future__ import annotations

from meso_training.records_service.assessment_sessions import AssessmentDesk
from meso_training.records_service.handlers import ApiHandler, Records
from meso_training.records_service.validation import json_body


class AssessmentHandler(ApiHandler):
    desk: AssessmentDesk

    def initialize(self, records: Records, desk: AssessmentDesk) -> None:  # type: ignore[override]
        super().initialize(records)
        self.desk = desk


class PaperHandler(AssessmentHandler):
    """``GET`` the trainee's paper of a module: questions without keys, and where they stand."""

    async def get(self, module_id: str) -> None:
        self.finish(await self.run(self.desk.paper, self.name, module_id))


class AnswerHandler(AssessmentHandler):
    """``POST {"question_id", "answer", "shown_at"}``: graded and stored here; the reply only says it was recorded."""

    async def post(self, module_id: str) -> None:
        data = json_body(self.request.body)
        self.finish(await self.run(self.desk.answer, self.name, module_id, data))


class SummaryHandler(AssessmentHandler):
    """``GET`` the summary with feedback (409 until complete); ``?trainee=`` for an instructor."""

    async def get(self, module_id: str) -> None:
        trainee = self.readable(self.get_query_argument("trainee", None) or self.name) or self.name
        self.finish(await self.run(self.desk.summary, trainee, module_id))
