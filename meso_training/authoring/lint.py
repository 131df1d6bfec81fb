"""Content checks beyond validity: habits that make a question teach badly or go stale.

Validation says a file can be loaded; lint says whether it is good teaching material.
Each finding names the module and question so an author can go straight to it. The
item-writing rules (``item_writing``: cues that give the answer away) also name their rule,
which a question's ``lint_waivers`` can waive with a reason.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from meso_training.authoring.item_writing import module_flaws, question_flaws
from meso_training.model import (
    AnswerFeedback,
    Case,
    CaseKind,
    Course,
    Matching,
    MultipleResponse,
    QuestionType,
    SingleChoice,
)
from meso_training.model.normalise import normalise_answer

MIN_RATIONALE_CHARS = 40
_SAFETY_CASES = (CaseKind.SUITABILITY, CaseKind.SIDE_EFFECTS)


@dataclass(frozen=True)
class Finding:
    module_id: str
    item_id: str
    message: str
    rule: str | None = None
    """The item-writing rule, for a waiver; None for the checks that cannot be waived."""

    def __str__(self) -> str:
        text = f"{self.module_id}: {self.item_id}: {self.message}"
        return f"{text} [{self.rule}]" if self.rule else text


def _question_findings(q: QuestionType, course: Course, today: dt.date) -> list[str]:
    out: list[str] = []
    if len(q.rationale) < MIN_RATIONALE_CHARS:
        out.append("rationale is too short to explain why; write two or three sentences")
    references = course.registry.references
    facts = course.registry.facts
    strong = [s for s in q.sources if s in facts or (s in references and references[s].strength != "weak")]
    if not strong:
        out.append("cites only weak sources (clinic, press or training pages); add a fact id or a medical source")
    if q.review_by < today:
        out.append(f"review is overdue since {q.review_by.isoformat()}; re-check it against the sources")
    if isinstance(q, SingleChoice | MultipleResponse):
        texts = [normalise_answer(o.feedback) for o in q.options]
        if len(set(texts)) < len(texts):
            out.append("two options share the same feedback; say why each one is right or wrong")
        prompt = normalise_answer(q.prompt)
        for option in q.options:
            text = normalise_answer(option.text)
            if option.correct and len(text) > 12 and text in prompt:
                out.append(f"the prompt contains the correct option's text ({option.id}); it gives the answer away")
    if isinstance(q, Matching):
        used = Counter(i.category for i in q.items)
        if len(used) == 1:
            out.append("every item belongs to one category; the question cannot discriminate")
    feedback = getattr(q, "feedback", None)
    if isinstance(feedback, AnswerFeedback) and normalise_answer(feedback.correct) == normalise_answer(
        feedback.incorrect
    ):
        out.append("feedback is the same for right and wrong answers")
    return out


def _case_findings(case: Case) -> list[str]:
    out: list[str] = []
    p = case.patient
    if not (p.conditions or p.medications or p.allergies or p.history):
        out.append("patient facts list no conditions, medications, allergies or history; "
                   "write 'none' where there are none, so the trainee sees they were asked")
    if case.kind in _SAFETY_CASES and not any(s.critical_option_ids() for s in case.steps):
        out.append(f"a {case.kind.value} case needs at least one critical (harmful) option, "
                   "so a trainee who would harm the patient cannot pass on points")
    return out


def lint_course(course: Course, *, today: dt.date | None = None) -> list[Finding]:
    """Everything worth an author's second look, in course order."""
    today = today or dt.date.today()
    findings: list[Finding] = []
    for module in course.modules:
        for item in module.items:
            if isinstance(item, Case):
                findings.extend(Finding(module.id, item.id, m) for m in _case_findings(item))
        for _, q in module.questions():
            findings.extend(Finding(module.id, q.id, m) for m in _question_findings(q, course, today))
            findings.extend(Finding(module.id, q.id, f.message, f.rule) for f in question_flaws(q))
        findings.extend(Finding(module.id, "(module)", f.message, f.rule) for f in module_flaws(module))
    return findings
