"""Fixtures for the end-to-end tests: real servers on a temporary course copy, headless Chromium.

Each test gets ``test-artifacts/e2e/<test-name>/`` (emptied first) holding server logs, the
browser console, screenshots and, when the test fails, ``failure.png``; the folder is
printed and, on failure, named in the report.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from . import servers

if TYPE_CHECKING:
    from playwright.sync_api import Page, Playwright

# MESO_E2E_ARTIFACTS moves the folder (the test of the failure artifacts uses it).
ARTIFACTS = Path(os.environ.get("MESO_E2E_ARTIFACTS") or servers.ROOT / "test-artifacts" / "e2e")
_REPORTS = pytest.StashKey[dict[str, pytest.TestReport]]()
_FOLDER = pytest.StashKey[Path]()


def _missing_browser() -> str | None:
    if not servers.CHROMIUM.exists():
        return f"{servers.CHROMIUM} is missing: install it with `apt-get install chromium`"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is missing: install the test extras with `pip install -e '.[test]'`"
    return None


# Headless Chromium very rarely dies under load (seen twice in about twenty runs, never
# reproduced). A test whose browser died is run once more; any other failure is not.
BROWSER_DIED = "Target page, context or browser has been closed"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.flaky(reruns=1, only_rerun=[BROWSER_DIED]))


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    """Playwright's driver, or a skip when the browser is missing (a failure when CI is set)."""
    problem = _missing_browser()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"e2e tests cannot run on CI: {problem}")
        pytest.skip(problem)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report: pytest.TestReport = yield
    item.stash.setdefault(_REPORTS, {})[report.when] = report
    folder = item.stash.get(_FOLDER, None)
    if folder is not None and report.failed:
        report.sections.append(("e2e artifacts", f"screenshots and logs: {folder}"))
    return report


def _failed(node: pytest.Item) -> bool:
    return any(report.failed for report in node.stash.get(_REPORTS, {}).values())


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """``test-artifacts/e2e/<test-name>/``, emptied, for logs and screenshots.

    A rerun (after the browser died) writes to ``<test-name>-attempt-2/``, so the first
    attempt's logs stay to be read.
    """
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    attempt = getattr(request.node, "execution_count", 1)  # set by pytest-rerunfailures
    folder = ARTIFACTS / (name if attempt == 1 else f"{name}-attempt-{attempt}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    request.node.stash[_FOLDER] = folder
    print(f"e2e artifacts: {folder}")
    return folder


@pytest.fixture
def workspace(tmp_path: Path) -> servers.Workspace:
    """A temporary copy of ``notebooks/``, a fresh progress database and isolated Jupyter folders."""
    return servers.make_workspace(tmp_path / "course")


@pytest.fixture
def lab(workspace: servers.Workspace, artifacts: Path) -> Iterator[servers.Server]:
    with servers.jupyterlab(workspace, artifacts / "jupyterlab.log") as server:
        yield server


@pytest.fixture
def page(playwright: Playwright, tmp_path: Path, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh Chromium profile; a failure screenshot is saved before it closes."""
    with servers.chromium(playwright, tmp_path / "chromium-profile") as context:
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        servers.console_to(tab, artifacts / "browser-console.log")
        try:
            yield tab
        finally:
            if _failed(request.node):
                _failure_screenshot(tab, artifacts / "failure.png")
            tab.close()


def _failure_screenshot(tab: Page, path: Path) -> None:
    from playwright.sync_api import Error

    try:
        tab.screenshot(path=path, full_page=True)
    except Error as exc:
        print(f"no failure screenshot: {exc}")
    else:
        print(f"failure screenshot: {path}")

