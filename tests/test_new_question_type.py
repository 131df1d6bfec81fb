"""A seventh question type, added in a temporary copy of the package only where docs/architecture.md says.

The copy gets a model class (and its place in ``QuestionType``), a grader with its registry
entry and a view with its registry entry; nothing else is touched. The generic tests of
question types and a real notebook play-through then run over a course that uses it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from quiz_text import QUIZZES, ROOT

pytestmark = pytest.mark.slow

MODEL = '''

class TrueFalse(QuestionBase):
    """A statement the trainee marks true or false."""

    type: Literal["true_false"]
    statement_is_true: bool
    feedback: AnswerFeedback
'''

GRADER = '''"""True or false: all or nothing."""

from __future__ import annotations

from typing import Any

from meso_training.engine.graders.base import Grader
from meso_training.engine.result import Feedback, GradeResult, graded
from meso_training.errors import AnswerError
from meso_training.model import TrueFalse


class TrueFalseGrader(Grader[TrueFalse]):
    question_type = TrueFalse

    def grade(self, q: TrueFalse, answer: Any) -> GradeResult:
        if answer not in ("true", "false"):
            raise AnswerError(q.id, "expected 'true' or 'false'")
        ok = (answer == "true") == q.statement_is_true
        return graded(q, answer, 1.0 if ok else 0.0, [Feedback(answer, ok, q.feedback.correct if ok
                                                               else q.feedback.incorrect)])

    def keyed_answer(self, q: TrueFalse) -> Any:
        return "true" if q.statement_is_true else "false"

    def wrong_answer(self, q: TrueFalse) -> Any:
        return "false" if q.statement_is_true else "true"
'''

VIEW = '''"""True or false: two radio buttons."""

from __future__ import annotations

from typing import Any

from meso_training.errors import AnswerError
from meso_training.model import TrueFalse
from meso_training.views.answer_input import Keys
from meso_training.views.questions.base import QuestionView


class TrueFalseView(QuestionView):
    question: TrueFalse
    question_type = TrueFalse
    legend = "True or false?"

    def _input_kwargs(self) -> dict[str, Any]:
        self.option_keys = Keys(["true", "false"])
        return {"kind": "single", "legend": self.legend,
                "options": self.option_keys.entries(["true", "false"], {"true": "True", "false": "False"})}

    def _value_of(self, answer: Any) -> Any:
        return self.option_keys.key.get(answer)

    def answer(self) -> Any:
        chosen = self.option_keys.ids([self.inputs.value])
        if not chosen:
            raise AnswerError(self.question.id, "choose true or false first")
        return chosen[0]

    def fill(self, answer: Any) -> None:
        self.inputs.value = self._value_of(answer)
'''

QUESTION = """
    id: {id}
    type: true_false
    topic: foundations
    difficulty: easy
    points: 1
    prompt: Mesotherapy injects small amounts into the skin.
    rationale: The technique places small volumes in the dermis or just below it, not in muscle.
    sources: [NAT-1]
    reviewed: 2026-11-01
    review_by: 2027-11-01
    statement_is_true: true
    feedback: {{correct: "Right.", incorrect: "Not right: it is an intradermal technique."}}
"""

MODULE = f"""id: toy
title: A module with the new type
version: "1"
objectives: [{{id: toy-obj, text: Know the technique.}}]
items:
  - {QUESTION.format(id="tf-alone").strip()}
  - id: case-tf
    type: case
    kind: planning
    title: A case with the new type
    vignette: A patient asks about the technique.
    patient: {{age: 40, sex: female, conditions: [none], goals: [information]}}
    steps:
      - {textwrap.indent(QUESTION.format(id="tf-step"), "    ").strip()}
        branches:
          - when: incorrect
            end: "The patient was misinformed; the case ends here."
"""


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def add_toy_type(package: Path) -> None:
    """Exactly the three places docs/architecture.md names, and nothing else."""
    questions = package / "model" / "questions.py"
    replace_once(questions, "\n\nclass Branch(Frozen):", MODEL + "\n\nclass Branch(Frozen):")
    union = "QuestionType = SingleChoice | MultipleResponse | Numeric | Ordering | Matching | ShortText"
    replace_once(questions, union, union + " | TrueFalse")
    replace_once(package / "model" / "__init__.py", "    SingleChoice,\n)", "    SingleChoice,\n    TrueFalse,\n)")
    (package / "engine" / "graders" / "true_false.py").write_text(GRADER, encoding="utf-8")
    graders = package / "engine" / "graders" / "__init__.py"
    replace_once(graders, "        ShortTextGrader(),\n", "        ShortTextGrader(),\n        TrueFalseGrader(),\n")
    replace_once(graders, "from meso_training.model import QuestionBase",
                 "from meso_training.engine.graders.true_false import TrueFalseGrader\n"
                 "from meso_training.model import QuestionBase")
    (package / "views" / "questions" / "true_false.py").write_text(VIEW, encoding="utf-8")
    views = package / "views" / "questions" / "__init__.py"
    replace_once(views, "OrderingView, MatchingView, ShortTextView)", "OrderingView, MatchingView, ShortTextView,\n"
                 "                 TrueFalseView)")
    replace_once(views, "from meso_training.views.questions.single_choice import SingleChoiceView",
                 "from meso_training.views.questions.single_choice import SingleChoiceView\n"
                 "from meso_training.views.questions.true_false import TrueFalseView")


def test_a_seventh_question_type_is_graded_shown_and_played_through(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(ROOT / "meso_training", site / "meso_training", ignore=shutil.ignore_patterns("__pycache__"))
    add_toy_type(site / "meso_training")
    quizzes = tmp_path / "quizzes"
    shutil.copytree(QUIZZES, quizzes)
    (quizzes / "05-toy.yaml").write_text(MODULE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site), "MESO_TRAINING_QUIZZES": str(quizzes),
           "MESO_TRAINING_CACHE": "off"}

    # cwd: ``python -m`` puts the working folder first on sys.path, and the checkout's package must not win.
    validate = subprocess.run([sys.executable, "-m", "meso_training", "validate"], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300, check=False)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    shipped = len(list(QUIZZES.glob("[0-9]*.yaml")))
    assert validate.stdout.startswith(f"OK: {shipped + 1} modules")  # the course and the new module
    assert "site" in subprocess.run([sys.executable, "-c", "import meso_training; print(meso_training.__file__)"],
                                    env=env, cwd=tmp_path, capture_output=True, text=True, check=True).stdout

    generic = subprocess.run([sys.executable, "-m", "pytest", "-v", "-p", "no:cacheprovider",
                              str(ROOT / "tests" / "engine" / "test_question_types.py")],
                             env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert generic.returncode == 0, generic.stdout[-3000:]
    for test in ("test_a_question_scores_1_when_keyed_and_below_1_when_wrong",
                 "test_a_view_filled_with_an_answer_reads_the_same_answer_back"):
        for question in ("tf-alone", "tf-step"):
            assert f"{test}[{question}] PASSED" in generic.stdout
    assert "test_every_question_type_has_exactly_one_grader_and_one_view PASSED" in generic.stdout

    notebook = tmp_path / "toy.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        'import meso_training\nmeso_training.show_module("toy")')])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)
    played = subprocess.run([sys.executable, "-m", "meso_training", "check-notebooks", str(notebook)], env=env,
                            cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert played.returncode == 0, played.stdout + played.stderr
    for check in ("execute", "play-correct", "play-wrong", "play-branches"):
        assert f"ok   {notebook} [{check}]" in played.stdout
