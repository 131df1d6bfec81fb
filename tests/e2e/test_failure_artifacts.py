"""A browser test that fails says where its screenshot and the server logs are, and leaves them there."""

from __future__ import annotations

import pytest

from . import servers

pytestmark = pytest.mark.e2e
pytest_plugins = ["pytester"]

FAILING_TEST = '''
import pytest
from tests.e2e import servers

def test_deliberately_failing(lab, page):
    servers.open_in_lab(page, lab, "00-start-here.ipynb")
    page.evaluate("console.log('a console line from the page')")
    assert False, "this test fails on purpose"
'''


def test_a_failing_browser_test_leaves_its_screenshot_and_server_logs(
        pytester: pytest.Pytester, playwright: object, monkeypatch: pytest.MonkeyPatch) -> None:
    artifacts = pytester.path / "artifacts"
    monkeypatch.setenv("MESO_E2E_ARTIFACTS", str(artifacts))
    monkeypatch.setenv("PYTHONPATH", str(servers.ROOT))
    pytester.makeconftest("from tests.e2e.conftest import *  # noqa: F403\n")
    pytester.makepyfile(test_failing=FAILING_TEST)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-o", "addopts=")
    result.assert_outcomes(failed=1)
    folder = artifacts / "test_deliberately_failing"
    result.stdout.fnmatch_lines([f"*screenshots and logs: {folder}*",
                                 f"*failure screenshot: {folder / 'failure.png'}*"])
    assert (folder / "failure.png").read_bytes().startswith(b"\x89PNG")
    assert "Jupyter Server" in (folder / "jupyterlab.log").read_text(encoding="utf-8")
    assert "a console line from the page" in (folder / "browser-console.log").read_text(encoding="utf-8")
