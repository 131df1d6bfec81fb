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
from meso_training.model import Course
from meso_training.server_extension.course_api import Notebooks, continue_json, course_json, progress_json
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


class NotFoundHandler(CourseAPIHandler):
    """Any other path under the API: a JSON 404 that names the paths there are."""

    @tornado.web.authenticated
    def get(self, path: str) -> None:
        self.set_status(404)
        self.finish({"error": f"no such meso-training API path {path!r}; there are: course, progress, continue"})
