"""Every error survives pickling with its message and fields: xdist workers and kernels pass them between processes."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from meso_training import errors

P = Path("/data/progress.sqlite3")
PROBLEM = errors.Problem(Path("quizzes/m.yaml"), 3, "items[0].id", "duplicate id 'x'", "rename one")
EXAMPLES = [
    errors.MesoTrainingError("plain"),
    errors.QuizFormatError([PROBLEM]),
    errors.AnswerError("q1", "choose one option first"),
    errors.UnknownQuestionTypeError("no grader registered"),
    errors.AttemptError(["score must be between 0 and 1, got 2"]),
    errors.SessionError("in assessment mode each question takes one answer"),
    errors.NotebookRunError("cannot read notebook x.ipynb"),
    errors.StoreError(P, "Could not open it."),
    errors.StoreReadOnlyError(P),
    errors.StoreLockedError(P, 5.0),
    errors.StoreLockedError(P, 20.0, ("pid 12 (python -m ipykernel)",)),
    errors.StoreFullError(P),
    errors.StoreCorruptError(P, Path("/data/progress.sqlite3.corrupt-1"), ""),
    errors.StoreCorruptError(P, Path("/data/progress.sqlite3.corrupt-2"), "", 386, 400),
    errors.StoreCorruptError(P, None, "file is not a database"),
    errors.StoreVersionError(P, 9, 3),
    errors.StoreUnreachableError("postgresql://meso:***@db.example:5432/meso", "connection refused"),
    errors.StoreRefusedError("http://127.0.0.1:8000/services/meso-records/", 403, "Ann may not read Bob's records"),
    errors.RecordsRequestError(413, "the request is larger than 4,194,304 bytes"),
    errors.ProgressFileError(P, [(2, "score is not a number"), (None, "bad header")], action="import"),
]


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: type(e).__name__)
def test_an_error_pickles_to_the_same_type_message_and_fields(error: errors.MesoTrainingError) -> None:
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, made on the line before
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    fields = {k: v for k, v in vars(error).items() if not k.startswith("__")}
    assert {k: v for k, v in vars(copy).items() if not k.startswith("__")} == fields
