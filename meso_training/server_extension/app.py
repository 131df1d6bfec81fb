"""The Jupyter server extension: enabled on install, it serves the course API the JupyterLab extension reads.

An ``ExtensionApp`` so that its settings are ordinary Jupyter configuration
(``c.MesoTrainingApp.db = ...``) and ``jupyter server extension list`` shows it.
"""

from __future__ import annotations

from jupyter_server.extension.application import ExtensionApp
from traitlets import Unicode

from meso_training.server_extension.handlers import (
    ContinueHandler,
    CourseHandler,
    NotFoundHandler,
    OpenHandler,
    ProgressHandler,
)

API = "/meso-training/api"


class MesoTrainingApp(ExtensionApp):
    name = "meso_training"
    description = "The mesotherapy course's progress and launcher API."
    load_other_extensions = True

    db = Unicode("", config=True,
                 help="Where progress is kept (a SQLite file or a database URL); default: $MESO_TRAINING_DB, "
                      "else the trainee's data folder, as the notebooks use.")
    quizzes = Unicode("", config=True,
                      help="The course's quizzes folder; default: found as the command line finds it.")
    notebooks = Unicode("", config=True,
                        help="The folder of the module notebooks; default: the server's root folder.")

    def initialize_handlers(self) -> None:
        self.handlers.extend([(f"{API}/course", CourseHandler), (f"{API}/progress", ProgressHandler),
                              (f"{API}/continue", ContinueHandler), (f"{API}/open/([^/]+)", OpenHandler),
                              (f"{API}/(.*)", NotFoundHandler)])
