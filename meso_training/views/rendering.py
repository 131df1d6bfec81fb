"""Text to safe HTML: markdown with raw HTML disabled, and the sources behind a question.

Quiz text is checked for HTML on load; rendering with HTML off makes it inert a second
time, so nothing in a quiz file can run script in a trainee's browser.
"""

from __future__ import annotations

import html
from functools import cache
from typing import Any

import ipywidgets as widgets
from markdown_it import MarkdownIt

from meso_training.model import QuestionType, SourceRegistry


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False})


def markdown_html(text: str) -> str:
    html_text: str = _markdown().render(text)
    return html_text


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def sources_html(question: QuestionType, registry: SourceRegistry) -> str:
    items = []
    for source_id in question.sources:
        if source_id in registry.facts:
            fact = registry.facts[source_id]
            caution = f" <em>Caution: {escape(fact.caution)}</em>" if fact.caution else ""
            items.append(f"<li><strong>{escape(source_id)}</strong> (course source article): "
                         f"{escape(fact.text)}{caution}</li>")
        elif source_id in registry.references:
            ref = registry.references[source_id]
            weak = " (weak source)" if ref.strength == "weak" else ""
            items.append(f'<li><a href="{escape(ref.url)}" target="_blank" rel="noopener noreferrer">'
                         f"{escape(ref.title)}</a>{weak}</li>")
    return f"<details><summary>Sources</summary><ul>{''.join(items)}</ul></details>" if items else ""


@cache
def shared_style(kind: str, description_width: str = "") -> Any:
    """One style model per kind and width, shared by every input of that kind."""
    styles = {"checkbox": widgets.widget_bool.CheckboxStyle, "text": widgets.widget_string.TextStyle,
              "description": widgets.widget_description.DescriptionStyle}
    return styles[kind](description_width=description_width)


@cache
def _shared() -> tuple[Any, Any, Any]:
    """One layout and style model for all plain widgets: each model is a message to the browser."""
    return widgets.Layout(), widgets.widget_string.HTMLStyle(), widgets.ButtonStyle()


@cache
def hidden_layout() -> Any:
    """A shared layout that hides its widget: show or hide one by swapping layouts, not by building one each."""
    return widgets.Layout(display="none")


def html_widget(value: str = "", **kwargs: Any) -> Any:
    layout, style, _ = _shared()
    kwargs.setdefault("layout", layout)
    return widgets.HTML(value, style=style, **kwargs)


def vbox(children: Any = (), **kwargs: Any) -> Any:
    """A column of widgets sharing the plain layout (give it its own to change its display)."""
    kwargs.setdefault("layout", _shared()[0])
    return widgets.VBox(list(children), **kwargs)


def hbox(children: Any = (), **kwargs: Any) -> Any:
    kwargs.setdefault("layout", _shared()[0])
    return widgets.HBox(list(children), **kwargs)


def plain_layout() -> Any:
    """The layout model shared by every widget whose size and display never change."""
    return _shared()[0]


def button(**kwargs: Any) -> Any:
    layout, _, style = _shared()
    kwargs.setdefault("layout", layout)
    return widgets.Button(style=style, **kwargs)


def _cell_number() -> int | None:
    """The notebook cell running now (IPython's execution count), or None outside IPython."""
    from IPython import get_ipython

    shell = get_ipython()
    return None if shell is None else int(shell.execution_count)


class ShownOncePerCell:
    """A widget that ``show_*`` both displays and returns, shown once when its cell ends with the call.

    A notebook cell ending in ``show_module(...)`` would otherwise show the runner twice:
    once by ``display`` inside the call and again as the cell's result. Displaying it again
    from a later cell still works.
    """

    _shown_in_cell: int | None = None

    def mark_shown(self) -> None:
        self._shown_in_cell = _cell_number()

    def _ipython_display_(self) -> None:
        if self._shown_in_cell is not None and self._shown_in_cell == _cell_number():
            return
        from IPython.display import display

        bundle: Any = self._repr_mimebundle_()  # type: ignore[attr-defined]
        display(bundle, raw=True)
