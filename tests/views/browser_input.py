"""What the browser does to a question's ``AnswerInput`` when a trainee clicks or types.

It mirrors ``meso_training/views/static/answer_input.js``: it finds options by their
visible text (the page knows no ids) and sets the value the page would send back. The
real page is driven in real Chromium by tests/e2e.
"""

from __future__ import annotations

from typing import Any

from meso_training.views.questions import QuestionView


def send(view: QuestionView, value: Any) -> None:
    """What the page sends when the trainee changes the answer: a message, not synced state."""
    view.inputs._message(view.inputs, {"event": "value", "value": value}, [])


def key_of(entries: list[dict[str, str]], text: str) -> str:
    found = [e["key"] for e in entries if e["text"] == text]
    assert len(found) == 1, f"{text!r} is shown {len(found)} times among {[e['text'] for e in entries]}"
    return found[0]


def shown_texts(view: QuestionView) -> list[str]:
    """Option, item or step texts in the order the page shows them."""
    if view.inputs.kind == "ordering":
        texts = {e["key"]: e["text"] for e in view.inputs.options}
        return [texts[k] for k in view.inputs.value]
    return [e["text"] for e in view.inputs.options]


def click(view: QuestionView, text: str) -> None:
    """Click an option's label: a radio button chooses it, a tick box toggles."""
    key = key_of(view.inputs.options, text)
    if view.inputs.kind == "multiple":
        chosen = list(view.inputs.value or [])
        send(view, [k for k in chosen if k != key] if key in chosen else [*chosen, key])
    else:
        send(view, key)


def choose_category(view: QuestionView, item: str, category: str) -> None:
    value = dict(view.inputs.value or {})
    value[key_of(view.inputs.options, item)] = key_of(view.inputs.categories, category)
    send(view, value)


def type_text(view: QuestionView, text: str) -> None:
    send(view, text)


def press(view: QuestionView, button: str, row: int) -> None:
    """Press ``Up`` or ``Down`` on ``row`` (0 is the top) of an ordering question."""
    order = list(view.inputs.value)
    target = row + (-1 if button == "Up" else 1)
    assert 0 <= target < len(order), f"the {button} button of row {row + 1} is disabled"
    order[row], order[target] = order[target], order[row]
    send(view, order)


def state(view: QuestionView) -> dict[str, Any]:
    """What the page holds for this input (every synced trait)."""
    return dict(view.inputs.get_state())
