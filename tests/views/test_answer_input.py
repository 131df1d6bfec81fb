"""The answer widget's messages: the page's changes arrive in order and are not sent back.

The page sends each change as a message of its own (``static/answer_input.js`` says why: a
synced value waits behind the kernel's last reply, and a Submit click could overtake it);
tests/e2e/test_busy_kernel.py shows the race in real Chromium with a busy kernel.
"""

from __future__ import annotations

from typing import Any

import pytest

from meso_training.views.answer_input import AnswerInput


def widget() -> tuple[AnswerInput, list[dict[str, Any]]]:
    answer = AnswerInput(kind="multiple", legend="Tick", options=[{"key": "o1", "text": "One"},
                                                                  {"key": "o2", "text": "Two"}])
    sent: list[dict[str, Any]] = []
    answer.comm.send = lambda data=None, **_: sent.append(data)  # type: ignore[method-assign,union-attr]
    return answer, sent


def test_a_change_from_the_page_sets_the_value_without_echoing_it_back() -> None:
    answer, sent = widget()
    seen: list[Any] = []
    answer.observe(lambda change: seen.append(change.new), "value")
    for value in (["o1"], ["o1", "o2"], ["o2"]):
        answer._message(answer, {"event": "value", "value": value}, [])
    assert answer.value == ["o2"]
    assert seen == [["o1"], ["o1", "o2"], ["o2"]]  # every change, in the order the page sent them
    assert sent == []  # nothing sent back to redraw the page over a later click


def test_a_value_set_by_the_kernel_is_still_synced_to_the_page() -> None:
    answer, sent = widget()
    answer.value = ["o1"]  # a resumed answer, or what a practice retry keeps
    assert [m["state"] for m in sent if m and m.get("method") == "update"] == [{"value": ["o1"]}]


@pytest.mark.parametrize("content", [None, "value", ["event", "value"], {"event": "other", "value": ["o1"]}])
def test_a_message_of_another_shape_changes_nothing(content: Any) -> None:
    answer, _ = widget()
    answer._message(answer, content, [])
    assert answer.value is None


def test_enter_after_a_change_submits_the_changed_value() -> None:
    answer, _ = widget()
    submitted: list[Any] = []
    answer.on_enter(lambda: submitted.append(answer.value))
    answer._message(answer, {"event": "value", "value": ["o2"]}, [])
    answer._message(answer, {"event": "submit"}, [])
    assert submitted == [["o2"]]
