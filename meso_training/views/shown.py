"""Every widget the notebook entry points displayed in this kernel, oldest first.

A play-through (code run in the same kernel after the notebook's cells) finds the module
runners here and drives them as a trainee would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from meso_training.views.module_runner import ModuleRunner

SHOWN: list[Any] = []
NOT_STARTED: list[str] = []
"""The messages shown in place of a module or dashboard that could not start."""


def shown_runners() -> list[ModuleRunner]:
    """The module runners shown in this kernel, oldest first."""
    from meso_training.views.module_runner import ModuleRunner

    return [w for w in SHOWN if isinstance(w, ModuleRunner)]
