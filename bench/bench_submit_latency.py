"""What a trainee sees: the time from clicking Submit to the feedback drawn, in a real JupyterLab.

Run: .venv/bin/python bench/bench_submit_latency.py [--submits 30] [--warmup 3]

Starts JupyterLab on 127.0.0.1 (a temporary copy of the course and database, as the e2e tests
do), opens the orientation notebook in headless Chromium, and answers its first question wrong
again and again (practice mode allows retries), cycling through the wrong options so each
answer brings different feedback. The clock runs in the page: from the Submit click until the
feedback element holds the new text and a frame has been painted. Each answer is graded,
stored with fsync and rendered in the kernel, so this is the whole round trip.

The floor, measured in the same run on the same server and browser: a bare ipywidgets
Button in its own notebook whose click sets an HTML widget's value (one round trip to the
kernel and one redraw, nothing graded or stored). Target: the course's p95 at most 1.5x
the floor's p95, and under 150 ms on the 2-core CI machine.

It also counts the widget messages the kernel sends per question (shown, and answered) for
one question of every type, by counting the widget comm opens and updates in-process.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from tests.e2e import servers  # noqa: E402

TARGET_P95_MS = 150.0
TARGET_RATIO = 1.5
FLOOR_NOTEBOOK = "floor.ipynb"
FLOOR_CODE = """import ipywidgets as widgets
clicks = widgets.HTML("", _dom_classes=("floor-out",))
go = widgets.Button(description="Go", _dom_classes=("floor-go",))
def count(_):
    count.n = getattr(count, "n", 0) + 1
    clicks.value = f"clicked {count.n}"
go.on_click(count)
widgets.VBox([go, clicks])"""


def wrong_options() -> dict[str, str]:
    """Wrong options of the orientation module's first question, read from the course, and the
    start of each one's feedback (what the page shows once that answer is graded)."""
    from meso_training.authoring.loader import load_course
    from meso_training.model import SingleChoice

    first = load_course().module("orientation").items[0]
    assert isinstance(first, SingleChoice), "the orientation module must start with a single-choice question"
    return {o.text: " ".join(o.feedback.split())[:24] for o in first.options if not o.correct}

# Resolves with the milliseconds from the click to the first painted frame showing ``expected``.
TIME_SUBMIT = """async (expected) => {
  const question = document.querySelector(".meso-runner .meso-body .meso-question");
  const feedback = question.querySelector(".meso-feedback");
  const submit = question.querySelector(".meso-submit");
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no feedback after 10 s")), 10000);
    let start = 0;
    const observer = new MutationObserver(() => {
      if (!feedback.textContent.includes(expected)) return;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
    });
    observer.observe(feedback, {childList: true, subtree: true, characterData: true});
    start = performance.now();
    submit.click();
  });
}"""


# The same clock for the floor: from the click to the painted frame showing ``clicked N``.
TIME_FLOOR = """async (expected) => {
  const out = document.querySelector(".floor-out");
  const go = document.querySelector("button.floor-go");
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no update after 10 s")), 10000);
    let start = 0;
    const observer = new MutationObserver(() => {
      if (out.textContent.trim() !== expected) return;
      observer.disconnect();
      clearTimeout(timer);
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
    });
    observer.observe(out, {childList: true, subtree: true, characterData: true});
    start = performance.now();
    go.click();
  });
}"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def write_floor_notebook(folder: Path) -> None:
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_CODE)], metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    nbformat.write(notebook, folder / FLOOR_NOTEBOOK)


def measure(submits: int, warmup: int) -> tuple[list[float], list[float]]:
    """Course submissions and floor clicks, in one server and one browser, alternating notebooks."""
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as driver:
        workspace = servers.make_workspace(Path(tmp) / "course")
        write_floor_notebook(workspace.notebooks)
        with servers.jupyterlab(workspace, Path(tmp) / "jupyterlab.log") as lab, \
                servers.chromium(driver, Path(tmp) / "profile") as context:
            page = context.new_page()
            page.set_default_timeout(30_000)
            servers.open_in_lab(page, lab, "00-start-here.ipynb")
            servers.run_all_cells(page)
            question = page.locator(".meso-runner .meso-body .meso-question")
            question.wait_for(timeout=60_000)
            wrong = list(wrong_options().items())
            timings = []
            for index in range(warmup + submits):
                text, expected = wrong[index % len(wrong)]
                question.get_by_role("radio", name=text, exact=True).check()
                elapsed = float(page.evaluate(TIME_SUBMIT, expected))
                if index >= warmup:
                    timings.append(elapsed)
            floor_page = context.new_page()
            servers.open_in_lab(floor_page, lab, FLOOR_NOTEBOOK)
            servers.run_all_cells(floor_page)
            floor_page.locator("button.floor-go").wait_for(timeout=60_000)
            floor = []
            for index in range(warmup + submits):
                elapsed = float(floor_page.evaluate(TIME_FLOOR, f"clicked {index + 1}"))
                if index >= warmup:
                    floor.append(elapsed)
            return timings, floor


def messages_per_question() -> list[tuple[str, int, int]]:
    """(question type, messages to show it, messages after its answer), counted in-process.

    A message is a widget comm opened or an update sent on an open comm; the answer is set
    with ``fill`` and graded as the runner does (result shown, inputs locked in one sync).
    """
    import ipywidgets.widgets.widget as widget_module

    from meso_training import load_course
    from meso_training.engine.graders import GRADERS
    from meso_training.engine.grading import grade, keyed_answer
    from meso_training.views.questions import question_view

    sent = [0]
    send, open_comm = widget_module.Widget._send, widget_module.Widget.open

    def counted_send(self: widget_module.Widget, *args: object, **kwargs: object) -> object:
        sent[0] += self.comm is not None
        return send(self, *args, **kwargs)

    def counted_open(self: widget_module.Widget) -> None:
        sent[0] += 1
        open_comm(self)

    widget_module.Widget._send, widget_module.Widget.open = counted_send, counted_open  # type: ignore[method-assign]
    course = load_course()
    counts, seen = [], set()
    for _, q in course.module("orientation").questions():
        if q.type in seen:
            continue
        seen.add(q.type)
        sent[0] = 0
        view = question_view(q, GRADERS[type(q)].display_ids(q), course.registry, lambda *_: None)
        shown, sent[0] = sent[0], 0
        view.fill(keyed_answer(q))
        with view.inputs.hold_sync():
            view.show_result(grade(q, keyed_answer(q)), show_feedback=True)
            view.lock(True)
        counts.append((q.type, shown, sent[0]))
    widget_module.Widget._send, widget_module.Widget.open = send, open_comm  # type: ignore[method-assign]
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submits", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3, help="submissions run first and not counted")
    args = parser.parse_args()
    if not servers.CHROMIUM.exists():
        sys.exit(f"{servers.CHROMIUM} is missing: apt-get install chromium")
    for question_type, shown, answered in messages_per_question():
        print(f"widget messages, {question_type}: {shown} to show it, {answered} after its answer")
    timings, floor = measure(args.submits, args.warmup)
    p50, p95 = statistics.median(timings), percentile(timings, 0.95)
    f50, f95 = statistics.median(floor), percentile(floor, 0.95)
    print(f"submit -> feedback painted, JupyterLab, {len(timings)} submissions "
          f"(after {args.warmup} warm-up): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
          f"min {min(timings):.1f} ms, max {max(timings):.1f} ms")
    print(f"floor (a bare button updating an HTML widget, same server and browser): p50 {f50:.1f} ms, "
          f"p95 {f95:.1f} ms")
    ratio = p95 / f95
    print(f"ratio p95 course / p95 floor: {ratio:.2f} (target <= {TARGET_RATIO}: "
          f"{'met' if ratio <= TARGET_RATIO else 'NOT met'})")
    verdict = "met" if p95 < TARGET_P95_MS else "NOT met"
    print(f"target p95 < {TARGET_P95_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
