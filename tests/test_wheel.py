"""A wheel built from a clean copy of the repository carries the course, which it validates and loads elsewhere."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def clean_copy(dest: Path) -> Path:
    """The files a fresh clone would have: tracked ones plus new ones not ignored (what the next commit holds)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def test_an_installed_wheel_validates_and_loads_the_shipped_course(tmp_path: Path) -> None:
    source = clean_copy(tmp_path / "clone")
    dist = tmp_path / "dist"
    # The build runs npm for the JupyterLab extension: from npm's cache only, which `make setup`'s
    # build of the same lockfile filled, so the test downloads nothing.
    offline = {**os.environ, "npm_config_offline": "true"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "-q", "-w", str(dist), str(source)], check=True, timeout=300, env=offline)
    (wheel,) = dist.glob("meso_training-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "meso_training/course/quizzes/sources.yaml" in names
    assert "meso_training/course/notebooks/00-start-here.ipynb" in names
    assert "meso_training/py.typed" in names
    assert "meso_training/storage/postgres_migrations/versions/0001_initial.py" in names  # run from open()

    # A fresh environment outside the repository. Its dependencies come from this one's
    # site-packages through a .pth line (nothing is downloaded); meso_training itself only
    # from the wheel, since a plain path entry does not run this environment's editable hook.
    venv = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    fresh_site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                     capture_output=True, text=True, check=True).stdout.strip())
    (fresh_site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)],
                   check=True, timeout=300)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "MESO_TRAINING_QUIZZES"}}
    env["MESO_TRAINING_CACHE"] = "off"
    validate = subprocess.run([str(venv / "bin" / "meso-training"), "validate"], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=300, check=False)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    modules = len(list((ROOT / "quizzes").glob("[0-9]*.yaml")))  # every module file of the course
    assert validate.stdout.startswith(f"OK: {modules} modules")
    shipped = fresh_site / "meso_training" / "course" / "quizzes"
    assert f"Course: {shipped} (the course shipped with meso-training)" in validate.stderr

    load = subprocess.run([str(python), "-c", "import meso_training; c = meso_training.load_course(); "
                           "print(meso_training.__file__, len(c.modules))"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert load.returncode == 0, load.stderr
    assert load.stdout.split() == [str(fresh_site / "meso_training" / "__init__.py"), str(modules)]

    # The course API is enabled by the install itself (etc/jupyter in the environment), and loads.
    assert (venv / "etc" / "jupyter" / "jupyter_server_config.d" / "meso_training.json").is_file()
    listed = subprocess.run([str(python), "-m", "jupyter_server", "extension", "list"], cwd=elsewhere, env=env,
                            capture_output=True, text=True, timeout=300, check=False)
    lines = re.sub(r"\x1b\[[0-9;]*m", "", listed.stdout + listed.stderr).splitlines()  # without its colours
    assert any(line.split()[:2] == ["meso_training", "enabled"] for line in lines), lines
    assert any("meso_training 0.1.0 OK" in " ".join(line.split()) for line in lines), lines

    # The prebuilt JupyterLab extension (launcher cards, the course panel) is installed and enabled too.
    assert "meso_training-0.1.0.data/data/share/jupyter/labextensions/meso-training-labextension/package.json" in names
    assert (venv / "share" / "jupyter" / "labextensions" / "meso-training-labextension" / "package.json").is_file()
    labs = subprocess.run([str(python), "-m", "jupyterlab.labextensions", "list"], cwd=elsewhere, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    lab_lines = re.sub(r"\x1b\[[0-9;]*m", "", labs.stdout + labs.stderr).splitlines()
    assert any(line.split()[:4] == ["meso-training-labextension", "v0.1.0", "enabled", "OK"] for line in lab_lines), \
        lab_lines
