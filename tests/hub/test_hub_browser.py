"""A trainee logs in to the hub in Chromium, works through a whole module notebook, and every row is in PostgreSQL."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e.course_play import play_module
from e2e.orientation import NOTEBOOK
from e2e.pages import Runner
from e2e.servers import CHROMIUM, CHROMIUM_ARGS, KERNEL_IDLE, NOTEBOOKS
from playwright.sync_api import Page, expect, sync_playwright

from meso_training.authoring.loader import load_course
from meso_training.model import Course, Mode
from meso_training.storage.hub_wire import ATTEMPTS
from meso_training.storage.interface import ProgressStore

from .answers import answered
from .hub_server import INSTRUCTOR, PASSWORD, Hub

USER = "trainee-b"


@pytest.fixture
def page(tmp_path: Path, hub: Hub) -> Iterator[Page]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 1200})
        tab = context.new_page()
        try:
            yield tab
        finally:
            tab.screenshot(path=str(hub.folder / f"{USER}-last-page.png"))
            context.close()


@pytest.fixture
def server(hub: Hub) -> Iterator[str]:
    """trainee-b's server, serving a copy of the course notebooks from their home, without JupyterLab's news toast."""
    home = hub.home(USER)
    shutil.copytree(NOTEBOOKS, home, ignore=shutil.ignore_patterns(".ipynb_checkpoints"), dirs_exist_ok=True)
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}), encoding="utf-8")
    url = hub.start_server(USER)
    try:
        yield url
    finally:
        hub.stop_server(USER)


def test_a_trainee_completes_a_module_in_jupyterlab_on_the_hub_and_every_row_lands_in_the_database(
        hub: Hub, server: str, page: Page, cohort: ProgressStore) -> None:
    _sign_in(page, hub, USER)
    page.wait_for_url(f"**/user/{USER}/**")  # signed in, the hub sends the trainee on to their running server

    page.goto(f"{server}lab/tree/{NOTEBOOK}?reset")
    page.wait_for_function(KERNEL_IDLE, timeout=90_000)
    page.evaluate("async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); }")
    runner = Runner(page)
    runner.wait_ready()
    expect(runner.root.locator(".meso-header")).to_contain_text(f"Answering as {USER}")
    answered = play_module(page, runner, "orientation", clicked=set())  # every question, by its words on screen
    items = len(load_course().module("orientation").items)
    expect(runner.progress_text).to_have_text(f"{items} of {items} items done")
    stored = [a for a in cohort.attempts(trainee=USER, module_id="orientation")
              if a.mode == Mode.PRACTICE]  # other tests answer the module's assessment
    assert len(stored) == answered  # one row per answer, each saved once
    assert all(a.correct and a.score == 1.0 for a in stored)


def _sign_in(page: Page, hub: Hub, user: str) -> None:
    page.goto(hub.url + "hub/login")
    page.get_by_label("Username").fill(user)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.mark.parametrize(("user", "reads_cohort"), [(INSTRUCTOR, True), ("trainee-a", False)])
def test_in_a_browser_the_service_signs_in_through_the_hub_and_sees_the_cohort_scope_only_for_the_instructor(
        hub: Hub, page: Page, user: str, reads_cohort: bool) -> None:
    _sign_in(page, hub, user)

    page.goto(hub.service_url)  # no cookie of the service's yet: OAuth with the hub, then back here

    assert json.loads(page.locator("body").inner_text()) == {"user": user, "reads_cohort": reads_cohort}


def test_a_cookie_signed_in_post_without_the_xsrf_token_is_refused(hub: Hub, page: Page, course: Course,
                                                                  cohort: ProgressStore) -> None:
    _sign_in(page, hub, "trainee-a")
    page.goto(hub.service_url)
    attempt = answered(course, "trainee-a")

    status, reply = page.evaluate("""async ([url, body]) => {
        const response = await fetch(url, {method: "POST", body, headers: {"Content-Type": "application/json"}});
        return [response.status, await response.json()];
    }""", [hub.service_url + ATTEMPTS, json.dumps({"attempts": [attempt.to_dict()]})])

    assert status == 403
    assert "xsrf" in reply["error"].lower()
    assert attempt.attempt_uid not in {a.attempt_uid for a in cohort.attempts(trainee="trainee-a")}
