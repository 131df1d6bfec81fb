"""The registry of graders: one entry per question type of ``meso_training.model.QuestionType``.

Adding a question type adds its grader module here; ``tests/engine/test_graders.py``
fails if a model type has no entry, so a type can never fall through to a default.
"""

from __future__ import annotations

from typing import Any

from meso_training.engine.graders.base import Grader
from meso_training.engine.graders.matching import MatchingGrader
from meso_training.engine.graders.multiple_response import MultipleResponseGrader
from meso_training.engine.graders.numeric import NumericGrader
from meso_training.engine.graders.ordering import OrderingGrader
from meso_training.engine.graders.short_text import ShortTextGrader
from meso_training.engine.graders.single_choice import SingleChoiceGrader
from meso_training.model import QuestionBase

__all__ = ["GRADERS", "Grader"]

GRADERS: dict[type[QuestionBase], Grader[Any]] = {
    grader.question_type: grader
    for grader in (
        SingleChoiceGrader(),
        MultipleResponseGrader(),
        NumericGrader(),
        OrderingGrader(),
        MatchingGrader(),
        ShortTextGrader(),
    )
}
