"""The course's stylesheet, shown once inside every runner and dashboard.

An HTML widget holding a ``<style>`` element styles the whole page in JupyterLab and in
Voila alike, with no server route, no CDN and no build step; its rules are scoped to the
course's own classes, so the notebook around it is left as it was.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

from meso_training.views.rendering import html_widget


@cache
def stylesheet() -> str:
    """The text of ``views/static/meso.css`` (read once per kernel)."""
    return files("meso_training.views").joinpath("static", "meso.css").read_text(encoding="utf-8")


def state_html(state: str, icon: str, body: str, *, role: str = "status", extra_class: str = "") -> str:
    """A result state: colour, icon and words together, never colour alone.

    ``state`` is one of ``correct``, ``partial``, ``incorrect``, ``critical``, ``recorded``,
    ``info`` (each a class in the stylesheet); ``body`` is HTML already escaped.
    """
    classes = f"meso-state meso-{state}" + (f" {extra_class}" if extra_class else "")
    icon_span = f"<span class='meso-icon' aria-hidden='true' data-icon='{icon}'></span>"
    return f"<div class='{classes}' role='{role}'>{icon_span}<div>{body}</div></div>"


def stylesheet_widget() -> Any:
    """A widget that carries the stylesheet; add it to the children of a top-level view."""
    return html_widget(f"<style>{stylesheet()}</style>", _dom_classes=("meso-style",))
