"""Loader benchmark: 2,000 generated questions in 20 files.

Prints the time to load and validate them and its ratio to a bare YAML parse of the same
files, both measured in this run (best of several repeats, since the machine is noisy).
Targets: under 1 s, and at most 3x the bare parse.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from meso_training.authoring.loader import load_course

ROOT = Path(__file__).resolve().parent.parent
FILES, PER_FILE, REPEATS = 20, 100, 5

QUESTION = """\
  - id: q-{f}-{n}
    type: {kind}
    topic: foundations
    difficulty: medium
    points: 2
    objectives: [o1]
    prompt: Generated question {n} of file {f} about where mesotherapy injects?
{body}
    rationale: Mesotherapy places small doses into the middle layer of the skin, where they act locally.
    sources: [NAT-1, REF-5]
    reviewed: 2026-01-01
    review_by: 2027-01-01
"""
BODIES = {
    "single_choice": """    options:
      - {id: a, text: The middle layer of the skin, correct: true, feedback: Right.}
      - {id: b, text: The muscle, feedback: Too deep.}
      - {id: c, text: A vein, feedback: Not systemic.}""",
    "multiple_response": """    options:
      - {id: a, text: Hyaluronic acid for hydration, correct: true, feedback: Yes.}
      - {id: b, text: Amino acids for collagen, correct: true, feedback: Yes.}
      - {id: c, text: Enzymes for pigment, feedback: No.}""",
    "numeric": """    answer: {min: 4, max: 6}
    unit: sessions
    feedback: {correct: Yes., incorrect: Four to six.}""",
    "ordering": """    steps:
      - {id: a, text: Evaluate}
      - {id: b, text: Consent}
      - {id: c, text: Treat}
    feedback: {correct: Yes., incorrect: Evaluate first.}""",
}


def make_bank(folder: Path) -> list[Path]:
    shutil.copy(ROOT / "quizzes" / "sources.yaml", folder / "sources.yaml")
    kinds = list(BODIES)
    paths = []
    for f in range(FILES):
        items = "".join(QUESTION.format(f=f, n=n, kind=kinds[n % 4], body=BODIES[kinds[n % 4]])
                        for n in range(PER_FILE))
        path = folder / f"m{f:02}.yaml"
        path.write_text(f'id: m{f}\ntitle: Module {f}\nversion: "1"\nobjectives:\n  - {{id: o1, text: Objective}}\n'
                        f"items:\n{items}", encoding="utf-8")
        paths.append(path)
    return paths


def best(func: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = make_bank(folder)
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        bare = best(lambda: [yaml.load(p.read_text(encoding="utf-8"), Loader=loader) for p in paths])  # noqa: S506
        course = load_course([folder])
        count = sum(len(m.questions()) for m in course.modules)
        validate = best(lambda: load_course([folder]))
    print(f"questions: {count} in {FILES} files")
    print(f"bare YAML parse ({loader.__name__}): {bare * 1000:.0f} ms")
    print(f"load + validate: {validate * 1000:.0f} ms (target < 1000 ms)")
    print(f"ratio: {validate / bare:.2f}x (target <= 3x)")


if __name__ == "__main__":
    main()
