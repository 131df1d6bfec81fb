"""A whole module answered in the browser by clicking visible text, with layout checks on every question.

The expected path comes from the course itself (items in order, case steps along the
keyed route), and every answer is given as a trainee gives it: by the words on screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from meso_training.authoring.loader import load_course
from meso_training.engine.case_flow import keyed_path
from meso_training.engine.grading import keyed_answer
from meso_training.model import (
    Case,
    Matching,
    Module,
    MultipleResponse,
    Numeric,
    Ordering,
    QuestionType,
    SingleChoice,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from .pages import Runner

TIMEOUT_MS = 20_000

# Every visible label, step text, legend, input and button of the current question, and
# every pair whose boxes overlap by more than a pixel (nested elements excepted).
OVERLAPS = """(question) => {
  const shown = [...question.querySelectorAll("label, .meso-step-text, legend, button, input")]
    .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden");
  const boxes = shown.map((e) => [e, e.getBoundingClientRect()]);
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      if (a.contains(b) || b.contains(a)) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 1 && h > 1) found.push([(a.textContent || a.type || a.tagName).trim().slice(0, 50),
                                       (b.textContent || b.type || b.tagName).trim().slice(0, 50)]);
    }
  }
  return found;
}"""
# Buttons whose label does not fit ("Show sum…") and labels wider than the course area.
CUT_OFF = """(runner) => [...runner.querySelectorAll("button, label, .meso-step-text")]
  .filter((e) => e.getClientRects().length && (e.scrollWidth > e.clientWidth + 1
                 || e.getBoundingClientRect().right > runner.getBoundingClientRect().right + 1))
  .map((e) => e.textContent.trim().slice(0, 50))"""


def planned_questions(module: Module) -> Iterator[tuple[Case | None, QuestionType]]:
    """Questions in the order a trainee who answers every one right meets them."""
    for item in module.items:
        if isinstance(item, Case):
            for step_id in keyed_path(item):
                yield item, item.step(step_id)
        else:
            yield None, item


def marker(question: QuestionType) -> str:
    """Text that shows this question is the current one: its first option, step or item, or prompt words."""
    if isinstance(question, SingleChoice | MultipleResponse):
        return question.options[0].text
    if isinstance(question, Ordering):
        return question.steps[0].text
    if isinstance(question, Matching):
        return question.items[0].text
    words = re.findall(r"[A-Za-z][A-Za-z ,']{14,}", question.prompt)
    return max(words, key=len).strip()


def check_layout(runner: Runner, where: str) -> None:
    overlaps = runner.question.evaluate(OVERLAPS)
    assert overlaps == [], f"{where}: these overlap: {overlaps}"
    cut = runner.root.evaluate(CUT_OFF)
    assert cut == [], f"{where}: these do not fit: {cut}"


def click_each_option(runner: Runner, question: SingleChoice | MultipleResponse, where: str) -> None:
    """Click every option's words; each click must choose exactly that option (and a second untick a box)."""
    for option in question.options:
        runner.question.locator(".meso-input label").get_by_text(option.text, exact=True).click()
        checked = runner.question.locator(".meso-input input:checked")
        box = runner.option(option.text)
        if isinstance(question, SingleChoice):
            assert box.is_checked(), f"{where}: clicking {option.text!r} did not choose it"
            assert checked.count() == 1, f"{where}: clicking {option.text!r} chose {checked.count()} options"
        else:
            assert box.is_checked(), f"{where}: clicking {option.text!r} did not tick it"
            assert checked.count() == 1, f"{where}: clicking {option.text!r} ticked {checked.count()} boxes"
            runner.question.locator(".meso-input label").get_by_text(option.text, exact=True).click()
            assert not box.is_checked(), f"{where}: a second click on {option.text!r} did not untick it"


def answer_by_clicking(page: Page, runner: Runner, question: QuestionType) -> None:
    """Give the keyed answer by the words on screen; number and text fields are sent with Enter."""
    key: Any = keyed_answer(question)
    labels = runner.question.locator(".meso-input label")
    if isinstance(question, SingleChoice | MultipleResponse):
        texts = {o.id: o.text for o in question.options}
        for option_id in [key] if isinstance(question, SingleChoice) else key:
            labels.get_by_text(texts[option_id], exact=True).click()
    elif isinstance(question, Ordering):
        texts = {s.id: s.text for s in question.steps}
        runner.put_in_order([texts[i] for i in key])
    elif isinstance(question, Matching):
        categories = {c.id: c.text for c in question.categories}
        for item in question.items:
            runner.category(item.text, categories[item.category]).locator("xpath=following-sibling::label").click()
    else:
        text = f"{key:g}" if isinstance(question, Numeric) else question.accepted[0]
        field = runner.question.locator(".meso-number input, .meso-text input")
        field.fill(text)
        field.press("Enter")
        return
    runner.submit()


def play_module(page: Page, runner: Runner, module_id: str, *, clicked: set[str],
                shots: Callable[[QuestionType, str], None] | None = None, assessment: bool = False) -> int:
    """Answer every question of the module right, checking layout and clicks; returns the questions answered.

    ``shots(question, moment)`` is called before and after each answer (``"shown"``, ``"answered"``).
    In an assessment each answer is only recorded (no verdict until the summary), so the
    wait after a standalone question is for "Answer recorded" instead of "Correct.".
    """
    module = load_course().module(module_id)
    plan = list(planned_questions(module))
    for number, (case, question) in enumerate(plan):
        where = f"{module_id} question {number + 1} ({question.type})"
        runner.question.get_by_text(marker(question), exact=False).first.wait_for(timeout=TIMEOUT_MS)
        check_layout(runner, where)
        if shots is not None:
            shots(question, "shown")
        if isinstance(question, SingleChoice | MultipleResponse):
            click_each_option(runner, question, where)
            clicked.update(o.text for o in question.options)
        answer_by_clicking(page, runner, question)
        later = plan[number + 1] if number + 1 < len(plan) else None
        if case is not None and later is not None and later[0] is case:
            continue  # the next step of the case replaces this one
        if case is not None:
            runner.case.locator(".meso-case-position").get_by_text("Case finished").wait_for(timeout=TIMEOUT_MS)
        elif assessment:
            runner.feedback.get_by_text("Answer recorded.", exact=False).wait_for(timeout=TIMEOUT_MS)
        else:
            runner.feedback.locator(".meso-verdict").get_by_text("Correct.", exact=True).wait_for(timeout=TIMEOUT_MS)
        if case is None:
            check_layout(runner, f"{where}, after Submit")
            if shots is not None:
                shots(question, "answered")
        if later is not None:
            runner.root.locator(".meso-next").click()
    return len(plan)


def longest_option_text() -> str:
    return max((o.text for m in load_course().modules for _, q in m.questions()
                if isinstance(q, SingleChoice | MultipleResponse) for o in q.options), key=len)

