"""Texts of the orientation module (quizzes/00-orientation.yaml) that the browser scenarios click.

Options are found by their visible text because their order is shuffled; keeping the texts
in one place means an edit to the quiz file breaks one list, not every scenario.
"""

NOTEBOOK = "00-start-here.ipynb"
RIGHT_LAYER = "The middle layer of the skin (the mesoderm)"
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
DEFER = "Defer injections until she has stopped breastfeeding, and discuss other options"
SKINCARE = "A plan of non-injected skin care and a review once breastfeeding has ended"
