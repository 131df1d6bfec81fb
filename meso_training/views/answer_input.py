"""One widget for a question's inputs, drawn by ``static/answer_input.js`` with native form controls.

Stock ``RadioButtons`` give every option a fixed 20 px row: a label that wraps runs over
the next option and a click on it can choose the wrong one. Here each option is a real
``<label for>`` tied to its input, rows grow with their text, and the ES module and its
CSS ship inside the package (no build step, no CDN).

The browser gets texts and opaque keys (``o1``, ``o2``, ... in no meaningful order);
the view that owns the widget maps keys back to ids. Correctness, feedback and rationale
never travel in it; per-row ``marks`` are set only after an answer was graded in practice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from meso_training.views.rendering import plain_layout

STATIC = Path(__file__).with_name("static")
KINDS = ("single", "multiple", "matching", "ordering", "number", "text")


class AnswerInput(anywidget.AnyWidget):
    _esm = STATIC / "answer_input.js"
    _css = STATIC / "answer_input.css"

    kind = traitlets.Unicode("single").tag(sync=True)
    legend = traitlets.Unicode("").tag(sync=True)
    """The group's visible name (or the field's label): how to answer, in words."""
    options = traitlets.List(traitlets.Dict()).tag(sync=True)
    """``{"key", "text"}`` per option, step or matching item, in display order."""
    categories = traitlets.List(traitlets.Dict()).tag(sync=True)
    value = traitlets.Any(None).tag(sync=True)
    """A key (single), keys (multiple, ordering), ``{item key: category key}`` or the typed text.

    Synced from the kernel to the browser (a resumed or retried answer); the browser's changes
    come back as ``{"event": "value"}`` messages (see ``_message``)."""
    marks = traitlets.Dict().tag(sync=True)
    """``{key: "right" | "wrong"}`` for the rows a graded practice answer acted on (choice, item, step)."""
    disabled = traitlets.Bool(False).tag(sync=True)
    unit = traitlets.Unicode("").tag(sync=True)
    placeholder = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        if kwargs.get("kind", "single") not in KINDS:
            msg = f"kind must be one of {', '.join(KINDS)}"
            raise ValueError(msg)
        kwargs.setdefault("layout", plain_layout())
        super().__init__(**kwargs)
        self._on_enter: list[Callable[[], None]] = []
        self.on_msg(self._message)

    def on_enter(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` when the trainee presses Enter in a number or text field."""
        self._on_enter.append(callback)

    def _message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """The browser's messages, in the order it sent them: a changed answer, or Enter to submit.

        A changed answer arrives as a message rather than as synced state (the ES module says
        why), and is set without being sent back: the browser has it already, and sending it
        back would redraw the controls over any click made since.
        """
        if not isinstance(content, dict):
            return
        if content.get("event") == "value":
            value = content.get("value")
            with self._lock_property(value=value):
                self.value = value
        elif content.get("event") == "submit":
            for callback in self._on_enter:
                callback()


class Keys:
    """Opaque keys for a question's ids: ``o1``, ``o2``, ... in the first display order (a shuffle)."""

    def __init__(self, ids: Iterable[str], prefix: str = "o") -> None:
        self.key = {id_: f"{prefix}{n}" for n, id_ in enumerate(ids, start=1)}
        self.id = {key: id_ for id_, key in self.key.items()}

    def entries(self, ids: Iterable[str], texts: dict[str, str]) -> list[dict[str, str]]:
        return [{"key": self.key[i], "text": texts[i]} for i in ids]

    def ids(self, keys: Iterable[Any]) -> list[str]:
        """The ids of the keys the browser sent back; an unknown key (a tampered front end) is dropped."""
        return [self.id[k] for k in keys if isinstance(k, str) and k in self.id]
