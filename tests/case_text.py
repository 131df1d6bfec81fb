"""Cases written in code whose wrong answers lead to steps of their own (issue 16 §2), for several test files.

A plain module, as quiz_text.py: the notebook check, the validator and the engine's routes
are each tested on the same shapes.
"""

from __future__ import annotations


def step_text(step_id: str, flow: str = "") -> str:
    """A case step with a harmful, a plainly wrong and a keyed option (keyed: wait)."""
    return f"""\
      - id: {step_id}
        type: single_choice
        topic: suitability
        difficulty: easy
        points: 1
        prompt: What do you do at {step_id}?
        options:
          - {{id: go, text: Go ahead today, critical: true, feedback: That harms the patient.}}
          - {{id: later, text: Go ahead next week, feedback: Too early all the same.}}
          - {{id: wait, text: Wait and review first, correct: true, feedback: The careful choice.}}
{flow}        rationale: A careful practitioner reviews the patient before going on.
        sources: [SUIT-4]
        reviewed: 2026-01-01
        review_by: 2027-01-01
"""


def case_text(case_id: str, steps: str) -> str:
    return f"""\
  - id: {case_id}
    type: case
    kind: suitability
    title: A case of {case_id}
    vignette: A patient asks for treatment.
    patient: {{age: 30, sex: female, goals: [glow]}}
    steps:
""" + steps


HARM_ENDS = "          - when: [go]\n            end: You went ahead; the case ends here.\n"
_GOTO_FIX = ("        branches:\n" + HARM_ENDS + "          - when: incorrect\n            goto: a-fix\n"
             "          - when: correct\n            goto: a2\n")
_NEXT_FIX = "        branches:\n" + HARM_ENDS + "          - when: correct\n            goto: b2\n"
SECOND_CHANCE_CASES = (
    # A wrong answer goes (goto) to a step with its own ending; the harmful answer ends the case first.
    case_text("goto-fix", step_text("a1", _GOTO_FIX)
              + step_text("a-fix", "        next: a2\n        branches:\n" + HARM_ENDS) + step_text("a2"))
    # A wrong answer goes to the next step in the list, which only it reaches; it has its own ending too.
    + case_text("next-fix", step_text("b1", _NEXT_FIX)
                + step_text("b-fix", "        branches:\n" + HARM_ENDS) + step_text("b2"))
)
"""Two cases the branch play-through once failed: a step only a plainly wrong answer leads to, with its own ending."""
