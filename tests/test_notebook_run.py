"""The headless runner: each notebook gets its own kernel, over sockets no other kernel can take, shut down after."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

from meso_training.notebook_testing.run import RESULT_MARKER, run_notebook

REPORT_KERNEL = f"""
import json, os
from ipykernel.kernelapp import IPKernelApp
app = IPKernelApp.instance()
print({RESULT_MARKER!r} + json.dumps({{"pid": os.getpid(), "transport": app.transport, "ip": app.ip}}))
"""


def _kernel_report(folder: Path) -> Path:
    """A notebook whose one cell reports the kernel's pid and how it talks to us."""
    notebook = folder / "report.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(REPORT_KERNEL)])  # type: ignore[no-untyped-call]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, notebook)  # type: ignore[no-untyped-call]
    return notebook


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets are the POSIX transport; elsewhere TCP is kept")
def test_kernel_talks_over_its_own_unix_sockets_and_is_gone_afterwards(tmp_path: Path) -> None:
    run = run_notebook(_kernel_report(tmp_path), db_path=tmp_path / "progress.sqlite3")

    assert run.ok, run.failure
    (kernel,) = run.results
    assert kernel["transport"] == "ipc"  # TCP ports picked by two workers at once could collide
    assert Path(kernel["ip"]).name == "k"
    assert not Path(kernel["ip"]).parent.exists()  # the socket folder went with the kernel
    with pytest.raises(ProcessLookupError):
        os.kill(kernel["pid"], 0)


def test_a_temporary_folder_too_long_for_unix_sockets_falls_back_to_tcp(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(deep))
    monkeypatch.setattr("tempfile.tempdir", None)  # tempfile caches the folder it chose first
    run = run_notebook(_kernel_report(tmp_path), db_path=tmp_path / "progress.sqlite3")

    assert run.ok, run.failure
    assert run.results[0]["transport"] == "tcp"
