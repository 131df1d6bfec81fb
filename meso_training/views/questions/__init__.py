"""The registry of question views: one entry per question type of ``meso_training.model.QuestionType``.

Adding a question type adds its view module here; ``tests/views/test_question_views.py``
fails if a model type has no entry.
"""

from __future__ import annotations

from meso_training.errors import UnknownQuestionTypeError
from meso_training.model import QuestionBase, QuestionType, SourceRegistry
from meso_training.views.questions.base import QuestionView, SubmitAnswer, result_html
from meso_training.views.questions.matching import MatchingView
from meso_training.views.questions.multiple_response import MultipleResponseView
from meso_training.views.questions.numeric import NumericView
from meso_training.views.questions.ordering import OrderingView
from meso_training.views.questions.short_text import ShortTextView
from meso_training.views.questions.single_choice import SingleChoiceView

__all__ = ["VIEWS", "QuestionView", "SubmitAnswer", "question_view", "result_html"]

VIEWS: dict[type[QuestionBase], type[QuestionView]] = {
    view.question_type: view
    for view in (SingleChoiceView, MultipleResponseView, NumericView, OrderingView, MatchingView, ShortTextView)
}


def question_view(question: QuestionType, order: list[str], registry: SourceRegistry,
                  on_submit: SubmitAnswer) -> QuestionView:
    """The registered view of ``question``'s type, built for the given display order."""
    try:
        view = VIEWS[type(question)]
    except KeyError:
        msg = (f"no view registered for question type {type(question).__name__}; add it to "
               "meso_training/views/questions/__init__.py (see docs/architecture.md)")
        raise UnknownQuestionTypeError(msg) from None
    return view(question, order, registry, on_submit)
