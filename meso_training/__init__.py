"""meso-training: a Jupyter course and assessment toolkit for mesotherapy practitioners.

The core (loading, grading) imports no UI; the notebook-facing calls below load the
widgets only when called, so ``import meso_training`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "load_course", "show_cohort_report", "show_module", "show_progress"]

if TYPE_CHECKING:
    from meso_training.authoring.loader import load_course


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    """Jupyter server finds the course API here; the import waits until a server asks."""
    from meso_training.server_extension.app import MesoTrainingApp

    return [{"module": "meso_training.server_extension.app", "app": MesoTrainingApp}]


def __getattr__(name: str) -> Any:
    if name == "load_course":
        from meso_training.authoring.loader import load_course

        return load_course
    if name in {"show_module", "show_progress", "show_cohort_report"}:
        from meso_training import course_entry

        return getattr(course_entry, name)
    msg = f"module 'meso_training' has no attribute {name!r}"
    raise AttributeError(msg)
