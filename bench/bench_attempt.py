"""What a trainee waits for: Submit to a graded, fsynced answer, and opening a module with history.

Run: .venv/bin/python bench/bench_attempt.py [--answers N] [--dir DIR]

Drives a real ModuleRunner over a real SQLiteProgressStore (no front end: the widgets' comms are
not open, so this is the kernel's share of the wait; the browser adds a round trip):

* submit: set the widgets and click Submit (grade, store with fsync, render feedback,
  reshuffle for the retry), p50/p95 over N answers;
* play-through: every item of the orientation module answered right, with Next;
* reopen: build the session and runner from a file holding the N answers (resume).

``bench/bench_store.py`` measures the store alone; the gap between the two is the views.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from meso_training.authoring.loader import load_course
from meso_training.engine.grading import keyed_answer, wrong_answer
from meso_training.engine.session import ModuleSession
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views.module_runner import ModuleRunner, utc_now
from meso_training.views.recorder import AttemptRecorder


def runner_for(course, store: SQLiteProgressStore, seed: int) -> ModuleRunner:
    session = ModuleSession(course.module("orientation"), trainee="bench", mode="practice",
                            rng=random.Random(seed), now=utc_now())
    session.resume(store.attempts(trainee="bench", module_id="orientation"))
    return ModuleRunner(session, course.registry, AttemptRecorder(store))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    course = load_course()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        db = Path(folder) / "bench.sqlite3"
        with SQLiteProgressStore(db) as store:
            runner = runner_for(course, store, seed=1)
            question = runner.current_view.question
            times = []
            for _ in range(args.answers):
                start = time.perf_counter()
                runner.answer(wrong_answer(question))  # stays current: a practice retry each time
                times.append(time.perf_counter() - start)
            assert len(store.attempts()) == args.answers
            print(f"submit (practice retry, {args.answers} answers): p50 {statistics.median(times) * 1000:.1f} ms, "
                  f"p95 {percentile(times, 0.95) * 1000:.1f} ms")

        with SQLiteProgressStore(Path(folder) / "walk.sqlite3") as store:
            walker = runner_for(course, store, seed=2)
            start = time.perf_counter()
            answered = 0
            for position in range(len(walker.session.items)):
                while walker.session.position < position:
                    walker.next_button.click()
                while (view := walker.current_view) is not None:
                    walker.answer(keyed_answer(view.question))
                    answered += 1
            print(f"play-through of orientation ({answered} answers, Next between items): "
                  f"{(time.perf_counter() - start) * 1000:.0f} ms")

        with SQLiteProgressStore(db) as store:
            start = time.perf_counter()
            reopened = runner_for(course, store, seed=3)
            print(f"reopen with {args.answers} stored answers (read, resume, build the views): "
                  f"{(time.perf_counter() - start) * 1000:.0f} ms; resumed at item {reopened.session.position + 1}")


if __name__ == "__main__":
    main()
