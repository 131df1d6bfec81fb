"""A trainee's assessment paper from their session: key-free questions in the order shown, and where they stand.

The records service keeps the real ``ModuleSession`` (with the keys) and sends the kernel
this instead (see ``model.paper``). Display orders come from the session, so the order a
trainee is shown is the one their attempt records (its seed); the standing says which items
are answered (with the trainee's own answers, to show them again), the current step of each
case and how many steps a right path still has from it (the case view's "step n of m").
"""

from __future__ import annotations

from typing import Any

from meso_training.engine.session import ItemState, ModuleSession, QuestionState
from meso_training.model.paper import Paper, case_paper, module_header, question_paper


def step_paper(session: ModuleSession, state: QuestionState) -> Paper:
    """One question's paper, its rows in the order this session shows them."""
    return question_paper(state.question, session.option_order(state))


def steps_left(item: ItemState) -> int | None:
    """Steps on the right path from a case's current step, itself included (None: not a case, or finished)."""
    if item.route is None or item.current is None:
        return None
    return len(item.route.path(item.current))


def item_standing(item: ItemState) -> dict[str, Any]:
    """Which of the item's steps are answered (with the trainee's answers) and which one is current."""
    answered = [{"question_id": s, "answer": r.answer} for s in item.answered
                if (r := item.steps[s].result) is not None]
    return {"id": item.item_id, "current": item.current, "answered": answered, "steps_left": steps_left(item)}


def module_paper(session: ModuleSession, course_title: str) -> Paper:
    """The whole paper of ``session``'s module with the trainee's standing; no key of any question in it."""
    items: list[Paper] = []
    for item in session.items:
        if item.case is None:
            state = next(iter(item.steps.values()))
            items.append({"kind": "question", "id": item.item_id, "question": step_paper(session, state)})
        else:
            reached = [*item.answered, *([item.current] if item.current is not None else [])]
            papers = {s: step_paper(session, item.steps[s]) for s in dict.fromkeys(reached)}
            items.append(case_paper(item.case, papers))
    return {"module": module_header(session.module, course_title), "items": items,
            "standing": {"position": session.position, "items": [item_standing(i) for i in session.items]}}
