"""``POST /meso-training/api/open/<module>``: a notebook of the module the trainee can run and save.

The launcher's cards and the side panel open what it answers; a read-only notebook is
copied once into ``mesotherapy-course/`` of the server's folder and the copy is kept.
"""

from __future__ import annotations

import json
import shutil
import stat
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from quiz_text import QUIZZES, ROOT
from tornado.httpclient import HTTPClientError, HTTPResponse

from meso_training.server_extension.notebook_copies import COPIES_FOLDER

Fetch = Callable[..., Awaitable[HTTPResponse]]
NOTEBOOK = "20-suitability.ipynb"


@pytest.fixture
def served(request: pytest.FixtureRequest, tmp_path: Path, jp_root_dir: Path) -> Path:
    """Where the course notebooks are read from: a folder of their own, or (param "root") the server's folder."""
    if getattr(request, "param", None) == "root":
        return jp_root_dir
    folder = tmp_path / "course-notebooks"
    folder.mkdir()
    return folder


@pytest.fixture
def jp_server_config(tmp_path: Path, served: Path) -> dict[str, Any]:
    return {"ServerApp": {"jpserver_extensions": {"meso_training": True}},
            "MesoTrainingApp": {"db": str(tmp_path / "progress.sqlite3"), "quizzes": str(QUIZZES),
                                "notebooks": str(served)}}


async def open_module(jp_fetch: Fetch, module: str, body: dict[str, str] | None = None) -> Any:
    response = await jp_fetch("meso-training", "api", "open", module, method="POST",
                              body=json.dumps(body or {}))
    assert response.code == 200
    return json.loads(response.body)


@pytest.mark.parametrize("served", ["root"], indirect=True)  # the server's folder itself, as in `make start`
async def test_a_writable_notebook_in_the_server_folder_opens_as_it_is(jp_fetch: Fetch, jp_root_dir: Path) -> None:
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, jp_root_dir / NOTEBOOK)
    body = await open_module(jp_fetch, "suitability")
    assert body == {"module": "suitability", "mode": "practice", "notebook": NOTEBOOK, "copied": False}
    assert not (jp_root_dir / COPIES_FOLDER).exists()


@pytest.mark.parametrize("served", ["root"], indirect=True)  # a read-only notebook right in the server's folder
async def test_a_read_only_notebook_is_copied_once_and_the_copy_is_kept(jp_fetch: Fetch, jp_root_dir: Path,
                                                                      served: Path) -> None:
    read_only = served / NOTEBOOK
    shutil.copy(ROOT / "notebooks" / NOTEBOOK, read_only)
    read_only.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    first = await open_module(jp_fetch, "suitability")
    assert first == {"module": "suitability", "mode": "practice", "notebook": f"{COPIES_FOLDER}/{NOTEBOOK}",
                     "copied": True}
    copy = jp_root_dir / COPIES_FOLDER / NOTEBOOK
    assert copy.read_bytes() == read_only.read_bytes()
    assert copy.stat().st_mode & stat.S_IWUSR

    copy.write_text(copy.read_text(encoding="utf-8").replace("Patient suitability", "My notes"), encoding="utf-8")
    again = await open_module(jp_fetch, "suitability")
    assert (again["notebook"], again["copied"]) == (f"{COPIES_FOLDER}/{NOTEBOOK}", False)
    assert "My notes" in copy.read_text(encoding="utf-8")


async def test_a_module_whose_notebook_is_not_served_gets_a_copy_of_the_shipped_one(jp_fetch: Fetch,
                                                                                   jp_root_dir: Path) -> None:
    body = await open_module(jp_fetch, "suitability", {"mode": "assessment"})
    shipped = ROOT / "notebooks" / "60-assessment.ipynb"  # the checkout's notebooks are the shipped course here
    assert body == {"module": "suitability", "mode": "assessment",
                    "notebook": f"{COPIES_FOLDER}/{shipped.name}", "copied": True}
    assert (jp_root_dir / body["notebook"]).read_bytes() == shipped.read_bytes()


async def test_an_unknown_module_is_a_json_404_naming_the_modules(jp_fetch: Fetch) -> None:
    with pytest.raises(HTTPClientError) as missing:
        await open_module(jp_fetch, "botox")
    assert missing.value.code == 404
    assert missing.value.response is not None
    error = json.loads(missing.value.response.body)["error"]
    assert "no module 'botox'" in error
    assert "suitability" in error


async def test_an_unknown_mode_is_refused_with_the_modes_there_are(jp_fetch: Fetch) -> None:
    with pytest.raises(HTTPClientError) as refused:
        await open_module(jp_fetch, "suitability", {"mode": "exam"})
    assert refused.value.code == 400
    assert refused.value.response is not None
    assert "practice, assessment" in json.loads(refused.value.response.body)["error"]


async def test_a_copy_that_cannot_be_made_says_which_folder_to_make_writable(
        jp_fetch: Fetch, jp_root_dir: Path) -> None:
    (jp_root_dir / COPIES_FOLDER).write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(HTTPClientError) as failed:
        await open_module(jp_fetch, "suitability")
    assert failed.value.code == 503
    assert failed.value.response is not None
    error = json.loads(failed.value.response.body)["error"]
    assert "Traceback" not in error
    assert f"{jp_root_dir / COPIES_FOLDER}" in error
    assert "Make that folder writable" in error


async def test_opening_without_the_token_is_refused(jp_fetch: Fetch) -> None:
    with pytest.raises(HTTPClientError) as refused:
        await jp_fetch("meso-training", "api", "open", "suitability", method="POST", body="{}",
                       headers={"Authorization": ""})
    assert refused.value.code == 403
