"""The course API under ``/meso-training/api/``: what the launcher and the side panel read, from a real server."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from quiz_text import QUIZZES, ROOT
from tornado.httpclient import HTTPClientError, HTTPResponse

from meso_training.engine.grading import keyed_answer
from meso_training.engine.session import ModuleSession
from meso_training.model import Course, Mode
from meso_training.reports.module_status import module_status
from meso_training.storage.sqlite_store import SQLiteProgressStore

Fetch = Callable[..., Awaitable[HTTPResponse]]
MODULE = "suitability"
START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "progress.sqlite3"


@pytest.fixture
def jp_server_config(db: Path, jp_root_dir: Path) -> dict[str, Any]:
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, jp_root_dir / notebook.name)
    return {"ServerApp": {"jpserver_extensions": {"meso_training": True}},
            "MesoTrainingApp": {"db": str(db), "quizzes": str(QUIZZES)}}


@pytest.fixture(autouse=True)
def _trainee(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "ann")


def answer_items(course: Course, db: Path, count: int) -> None:
    """Ann answers the first ``count`` items of the module right, in practice, as the runner would record them."""
    s = ModuleSession(course.module(MODULE), trainee="ann", mode=Mode.PRACTICE, rng=random.Random(1), now=START)
    with SQLiteProgressStore(db) as store:
        for position in range(count):
            s.go_to(position, START)
            while (state := s.current_question()) is not None:
                store.record(s.submit(keyed_answer(state.question), START + dt.timedelta(minutes=position)).attempt)
                if s.current_question() is state:
                    break


async def get_json(jp_fetch: Fetch, path: str) -> Any:
    response = await jp_fetch("meso-training", "api", path, method="GET")
    assert response.code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return json.loads(response.body)


async def test_the_course_lists_every_module_in_order_with_its_notebook(jp_fetch: Fetch, course: Course) -> None:
    body = await get_json(jp_fetch, "course")
    assert body["title"] == course.title
    ordered = sorted(course.modules, key=lambda m: m.order)
    assert [m["id"] for m in body["modules"]] == [m.id for m in ordered]
    suitability = next(m for m in body["modules"] if m["id"] == MODULE)
    module = course.module(MODULE)
    assert (suitability["items"], suitability["questions"]) == (len(module.items), len(module.questions()))
    assert suitability["objectives"] == [o.text for o in module.objectives]
    assert suitability["notebook"] == "20-suitability.ipynb"
    assert next(m for m in body["modules"] if m["assessment_notebook"])["assessment_notebook"] == "60-assessment.ipynb"


async def test_progress_gives_the_dashboards_figures_for_the_hub_user(jp_fetch: Fetch, course: Course,
                                                                     db: Path) -> None:
    answer_items(course, db, 2)
    body = await get_json(jp_fetch, "progress")
    assert body["trainee"] == "ann"
    mine = next(m for m in body["modules"] if m["id"] == MODULE)
    with SQLiteProgressStore(db) as store:
        expected = module_status(course.module(MODULE), store.attempts(trainee="ann"))
    assert mine["practice"]["done"] == expected.practice.items_done == 2
    assert mine["practice"]["mastery"] == pytest.approx(expected.practice.mastery)
    assert mine["practice"]["next_item"] == course.module(MODULE).items[2].id
    assert mine["assessment"] is None
    assert mine["certificate"] is None
    others = [m for m in body["modules"] if m["id"] != MODULE]
    assert all(not m["started"] and m["practice"]["done"] == 0 for m in others)


async def test_continue_goes_to_the_next_unanswered_item_of_the_module_begun(jp_fetch: Fetch, course: Course,
                                                                            db: Path) -> None:
    fresh = await get_json(jp_fetch, "continue")
    first = min(course.modules, key=lambda m: m.order)
    assert (fresh["module"], fresh["item"], fresh["done"]) == (first.id, first.items[0].id, False)
    answer_items(course, db, 3)
    body = await get_json(jp_fetch, "continue")
    assert (body["module"], body["item"], body["notebook"]) == (MODULE, course.module(MODULE).items[3].id,
                                                                "20-suitability.ipynb")


async def test_a_request_without_the_token_is_refused(jp_fetch: Fetch) -> None:
    with pytest.raises(HTTPClientError) as refused:
        await jp_fetch("meso-training", "api", "progress", method="GET", headers={"Authorization": ""})
    assert refused.value.code == 403


async def test_an_unknown_path_gets_a_json_404_naming_the_paths_there_are(jp_fetch: Fetch) -> None:
    with pytest.raises(HTTPClientError) as missing:
        await jp_fetch("meso-training", "api", "grades", method="GET")
    assert missing.value.code == 404
    assert missing.value.response is not None
    body = json.loads(missing.value.response.body)
    assert "course, progress, continue" in body["error"]


async def test_a_broken_progress_file_is_a_plain_json_error_not_a_traceback(jp_fetch: Fetch, db: Path) -> None:
    db.mkdir()  # a folder where the progress file should be
    with pytest.raises(HTTPClientError) as failed:
        await jp_fetch("meso-training", "api", "progress", method="GET")
    assert failed.value.code == 503
    assert failed.value.response is not None
    body = json.loads(failed.value.response.body)
    assert "Traceback" not in body["error"]
    assert str(db) in body["error"]
