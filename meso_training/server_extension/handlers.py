"""The REST endpoints under ``/meso-training/api/``: authenticated, JSON in and out, nothing blocking the server.

Each request opens the store, reads, and closes it again, off the server's event loop: a
store held by a busy kernel may make a read wait, and the server must keep serving the
notebooks meanwhile. A problem the instructor or trainee can fix (a broken quiz file, an
unreadable progress file) comes back as JSON with that message, never a traceback.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin

from meso_training.authoring.course_cache import cached_course
from meso_training.authoring.course_notebooks import module_notebooks
from meso_training.errors import MesoTrainingError
from meso_training.model import Course, Mode
from meso_training.server_extension.course_api import Notebooks, continue_json, course_json, progress_json
from meso_training.server_extension.notebook_copies import shipped_notebooks, writable_notebook
from meso_training.storage import ProgressStore, open_store

if TYPE_CHECKING:
    from meso_training.server_extension.app import MesoTrainingApp


class CourseAPIHandler(ExtensionHandlerMixin, APIHandler):
    """Shared plumbing: the extension's settings, and answers computed in a worker thread."""

    @property
    def app(self) -> MesoTrainingApp:
        return cast("MesoTrainingApp", self.extensionapp)

    def _root(self) -> Path:
        return Path(self.serverapp.root_dir)

    def _course(self) -> Course:
        return cached_course([Path(self.app.quizzes)] if self.app.quizzes else None)

    def _notebooks(self) -> Notebooks:
        return module_notebooks(Path(self.app.notebooks) if self.app.notebooks else self._root())

    def _store(self) -> ProgressStore:
        return open_store(self.app.db or None)

    async def _answer(self, compute: Callable[[], dict[str, Any]]) -> None:
        try:
            body = await asyncio.to_thread(compute)
        except MesoTrainingError as exc:
            self.log.warning("meso-training: %s", exc)
            self.set_status(503)
            await self.finish({"error": str(exc)})
            return
        await self.finish(body)


class CourseHandler(CourseAPIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        await self._answer(lambda: course_json(self._course(), self._notebooks(), self._root()))


class ProgressHandler(CourseAPIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        def compute() -> dict[str, Any]:
            with self._store() as store:
                return progress_json(self._course(), store)
        await self._answer(compute)


class ContinueHandler(CourseAPIHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        def compute() -> dict[str, Any]:
            with self._store() as store:
                return continue_json(self._course(), store, self._notebooks(), self._root())
        await self._answer(compute)


class OpenHandler(CourseAPIHandler):
    """POST ``open/<module>`` (body ``{"mode": "assessment"}`` optional): a notebook of the module the trainee can save.

    A POST, not a GET: it may copy a read-only notebook into the server's folder.
    """

    @tornado.web.authenticated
    async def post(self, module_id: str) -> None:
        body = self.get_json_body() or {}
        mode_name = body.get("mode", Mode.PRACTICE.value) if isinstance(body, dict) else None
        if mode_name not in tuple(Mode):
            self.set_status(400)
            await self.finish({"error": f"mode must be one of {', '.join(Mode)}, not {mode_name!r}"})
            return

        def compute() -> tuple[int, dict[str, Any]]:
            course = self._course()
            if module_id not in {m.id for m in course.modules}:
                known = ", ".join(m.id for m in sorted(course.modules, key=lambda m: m.order))
                return 404, {"error": f"the course has no module {module_id!r}; its modules are: {known}"}
            found = writable_notebook(module_id, Mode(mode_name), self._notebooks(), self._root(),
                                      shipped_notebooks())
            if found is None:
                return 404, {"error": f"no notebook shows the {mode_name} of module {module_id!r}, here or in "
                                      "the shipped course; ask your instructor for it"}
            path, copied = found
            return 200, {"module": module_id, "mode": mode_name, "notebook": path.as_posix(), "copied": copied}

        try:
            status, answer = await asyncio.to_thread(compute)
        except MesoTrainingError as exc:  # a broken quiz file, a folder the copy cannot go in
            self.log.warning("meso-training: %s", exc)
            status, answer = 503, {"error": str(exc)}
        self.set_status(status)
        await self.finish(answer)


class NotFoundHandler(CourseAPIHandler):
    """Any other path under the API: a JSON 404 that names the paths there are."""

    @tornado.web.authenticated
    def get(self, path: str) -> None:
        self.set_status(404)
        self.finish({"error": f"no such meso-training API path {path!r}; "
                              "there are: course, progress, continue, open/<module>"})
