"""Texts of the orientation module (quizzes/00-orientation.yaml) that the browser scenarios click.

Options are found by their visible text because their order is shuffled; keeping the texts
in one place means an edit to the quiz file breaks one list, not every scenario.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from meso_training.authoring.loader import load_course
from meso_training.engine.case_flow import case_max_points
from meso_training.model import Case

if TYPE_CHECKING:
    from .pages import Runner

NOTEBOOK = "00-start-here.ipynb"
RIGHT_LAYER = "The dermis, the middle layer of skin"
CLASSES = ["Hyaluronic acid, to improve skin hydration", "Amino acids, to support collagen production and elasticity"]
CONSULTATION_ORDER = [
    "Take the history and evaluate the patient medically",
    "Discuss goals and what the treatment can and cannot achieve",
    "Obtain informed consent after explaining benefits, risks and side effects",
    "Perform the first session",
    "Review the patient at a follow-up visit",
]
TRIAGE = {
    "A patient who is 20 weeks pregnant": "Defer treatment",
    "A patient with an infected, crusted patch": "Defer treatment",
    "A healthy adult, evaluated": "Proceed after consent",
}
DEFER = "Defer injections while she breastfeeds, and discuss other options"
SKINCARE = "Non-injected skin care now, and a review when breastfeeding ends"

PROMPTS = ["Which tissue layer", "In which decade", "Give the family name", "Select every pairing",
           "Put these parts of a first consultation", "Sort each request", "A new mother asks for a refresh"]
QUESTIONS = ["ori-layer", "ori-decade", "ori-founder", "ori-classes", "ori-consult-order", "ori-triage",
             "ori-bf-decision", "ori-bf-alternatives"]


def _items_and_points() -> tuple[int, int]:
    """How many items the orientation module has and its full score, from the shipped quiz file."""
    quizzes = Path(__file__).resolve().parents[2] / "quizzes"
    module = load_course(quizzes).module("orientation")
    total = sum(case_max_points(item) if isinstance(item, Case) else item.points for item in module.items)
    return len(module.items), round(total)


ITEMS, POINTS = _items_and_points()


def fill_right_answer(runner: Runner, item: int) -> None:
    """Set the keyed answer of the orientation's standalone item ``item`` (0 to 5) by clicking and typing."""
    if item == 0:
        runner.choose(RIGHT_LAYER)
    elif item == 1:
        runner.type_answer("1950")
    elif item == 2:
        runner.type_answer("  pistor ")  # normalised before it is compared
    elif item == 3:
        runner.choose(*CLASSES)
    elif item == 4:
        runner.put_in_order(CONSULTATION_ORDER)
    elif item == 5:
        runner.match(TRIAGE)
    else:
        msg = f"item {item} is the case: answer its steps with DEFER and SKINCARE"
        raise ValueError(msg)
