"""Where a cohort's answers come from: progress databases, progress exports, long-form tables.

Each trainee's kernel writes their own database, or a cohort's answers are exported and
collected, or they come from another system as one row per trainee and question. An
instructor names any mix of these; a file is read by what it holds, not trusted by its name:
a CSV whose header is ``trainee,question_id,score,max_points`` is a long-form table, any
other CSV or a JSON file is a progress export (checked row by row as an import is), and
anything else must be a progress database that already exists. A database URL (the
cohort's PostgreSQL, or the records service on a hub, read with the instructor's token) is
read through the store it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from meso_training.analytics.responses import Response, first_responses, is_long_form, read_long_form
from meso_training.errors import ProgressFileError
from meso_training.model import Attempt, Mode


def _attempts(path: Path) -> list[Attempt]:
    if path.suffix.lower() in {".csv", ".json"}:
        from meso_training.storage.progress_import import read_progress

        return read_progress(path)
    from meso_training.storage import open_store

    with open_store(path) as store:
        if not store.exists():
            raise ProgressFileError(path, [(None, "there is no progress database or export at this path")],
                                    action="analyse")
        return store.attempts()


def _database_attempts(url: str) -> list[Attempt]:
    from meso_training.storage import open_store

    with open_store(url) as store:
        return store.attempts()


def read_cohort(sources: Sequence[Path | str], mode: Mode) -> list[Response]:
    """First responses in ``mode`` from every source (long-form tables have no mode: all their rows)."""
    from meso_training.storage import is_database_url

    attempts: list[Attempt] = []
    responses: list[Response] = []
    for source in sources:
        if is_database_url(str(source)):
            attempts.extend(_database_attempts(str(source).strip()))
            continue
        path = Path(source).expanduser()
        if not path.exists():
            raise ProgressFileError(path, [(None, "no such file; check the path")], action="analyse")
        if path.suffix.lower() == ".csv" and is_long_form(path):
            responses.extend(read_long_form(path))
        else:
            attempts.extend(_attempts(path))
    # The same attempt exported twice, or in a database and its export, counts once.
    unique = list({a.attempt_uid: a for a in attempts}.values())
    return responses + first_responses(unique, mode)
