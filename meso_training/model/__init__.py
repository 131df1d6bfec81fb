"""The model: quiz content and stored answers as plain, typed, immutable objects.

No UI and no I/O. The loader (``authoring``) builds these objects from quiz files;
grading, sessions, storage and views read them.
"""

from meso_training.model.attempt import Attempt, StoredAttempt
from meso_training.model.base import CaseKind, Difficulty, Identifier, Mode, Sex, Text, Topic
from meso_training.model.course import (
    DEFAULT_COURSE_TITLE,
    Case,
    Course,
    Fact,
    Item,
    Module,
    Objective,
    Patient,
    Reference,
    SourceRegistry,
    module_schema,
)
from meso_training.model.questions import (
    QUESTION_TAGS,
    QUESTION_TYPES,
    AnswerFeedback,
    Branch,
    Category,
    Matching,
    MatchItem,
    MultipleResponse,
    Numeric,
    NumericAnswer,
    Option,
    Ordering,
    OrderingStep,
    Question,
    QuestionBase,
    QuestionType,
    ShortText,
    SingleChoice,
)
from meso_training.model.verdict import Standing, Verdict

__all__ = [
    "DEFAULT_COURSE_TITLE", "QUESTION_TAGS", "QUESTION_TYPES", "AnswerFeedback", "Attempt", "Branch", "Case",
    "CaseKind", "Category", "Course", "Difficulty", "Fact", "Identifier", "Item", "MatchItem", "Matching", "Mode",
    "Module", "MultipleResponse", "Numeric", "NumericAnswer", "Objective", "Option", "Ordering", "OrderingStep",
    "Patient", "Question", "QuestionBase", "QuestionType", "Reference", "Sex", "ShortText", "SingleChoice",
    "SourceRegistry", "Standing", "StoredAttempt", "Text", "Topic", "Verdict", "module_schema",
]
