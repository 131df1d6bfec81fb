"""Screenshots of each question type, in JupyterLab's light and dark themes, for docs/images/.

Run: ``.venv/bin/python docs/images/make_screenshots.py``. It starts JupyterLab on a copy of
the course (as the browser tests do), plays the orientation module (one question of every
type) by clicking its words, and saves ``question-<type>-<theme>.png`` before the answer and
``question-<type>-<theme>-answered.png`` after it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from playwright.sync_api import sync_playwright  # noqa: E402

from meso_training.model import QuestionType  # noqa: E402
from tests.e2e import servers  # noqa: E402
from tests.e2e.course_play import play_module  # noqa: E402
from tests.e2e.pages import Runner  # noqa: E402
from tests.e2e.test_every_module import set_theme  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as driver:
        for theme in ("light", "dark"):
            workspace = servers.make_workspace(Path(tmp) / theme)
            with servers.jupyterlab(workspace, Path(tmp) / f"{theme}.log") as lab, \
                    servers.chromium(driver, Path(tmp) / f"profile-{theme}") as context:
                page = context.new_page()
                page.set_viewport_size({"width": 1000, "height": 1400})
                servers.open_in_lab(page, lab, "00-start-here.ipynb")
                set_theme(page, theme)
                servers.run_all_cells(page)
                runner = Runner(page)
                runner.wait_ready()
                taken: set[str] = set()

                def shot(question: QuestionType, moment: str, theme: str = theme, runner: Runner = runner,
                         taken: set[str] = taken) -> None:
                    name = f"question-{question.type.replace('_', '-')}-{theme}"
                    name += "" if moment == "shown" else "-answered"
                    if name not in taken:
                        taken.add(name)
                        runner.root.locator(".meso-body").screenshot(path=HERE / f"{name}.png")
                        print(f"saved {name}.png")

                play_module(page, runner, "orientation", clicked=set(), shots=shot)


if __name__ == "__main__":
    main()
