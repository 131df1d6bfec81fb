"""How long a cohort's item analysis takes: 1,000 trainees x 200 questions (generated).

Run: .venv/bin/python bench/bench_item_analysis.py [--trainees N] [--questions N]

Writes a module of N single-choice questions (four options each) to a temporary course,
draws each trainee's first answers from an ability model (the chance of the right option
rises with ability and falls with the question's difficulty), then times ``analyse``
(the matrix, every Moodle figure, the random guess scores by the course's graders) and
the JSON and table output, then the whole HTML report (option and harm analysis, figures).
Prints the seconds of each and the targets: the analysis in under 3 s, the report written
in under 10 s (issue 17). One run measures both, on the same machine state.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from meso_training.analytics.case_paths import case_paths
from meso_training.analytics.item_analysis import analyse
from meso_training.analytics.item_table import as_json, table_text
from meso_training.analytics.option_analysis import option_analysis
from meso_training.analytics.report_html import ModuleReport, report_html
from meso_training.analytics.responses import Response
from meso_training.authoring.loader import load_course

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0
REPORT_TARGET_S = 10.0
HEADER = """\
id: bench
title: Generated module
version: "1"
objectives:
  - id: obj
    text: Answer generated questions.
items:
"""
QUESTION = """\
  - id: q{n}
    type: single_choice
    topic: foundations
    difficulty: medium
    points: {points}
    prompt: Generated question {n}?
    options:
      - {{id: a, text: First option {n}, correct: true, feedback: Right.}}
      - {{id: b, text: Second option {n}, feedback: Not this one.}}
      - {{id: c, text: Third option {n}, feedback: Not this one.}}
      - {{id: d, text: Fourth option {n}, feedback: Not this one.}}
    rationale: A generated question for the benchmark, with a rationale long enough.
    sources: [NAT-1]
    reviewed: 2026-01-01
    review_by: 2027-01-01
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=1000)
    parser.add_argument("--questions", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(ROOT / "quizzes" / "sources.yaml", folder / "sources.yaml")
        text = HEADER + "".join(QUESTION.format(n=n, points=1 + n % 3) for n in range(args.questions))
        (folder / "bench.yaml").write_text(text, encoding="utf-8")
        course = load_course([folder])
    questions = [q for _, q in course.module("bench").questions()]
    rng = np.random.default_rng(1)
    ability = rng.normal(size=args.trainees)
    difficulty = rng.normal(size=len(questions))
    right = 1 / (1 + np.exp(-(ability[:, None] - difficulty[None, :]))) > rng.random((args.trainees, len(questions)))
    wrong = rng.integers(1, 4, size=right.shape)  # which distractor a wrong answer chose (b, c or d)
    responses = [Response(f"t{t}", q.id, q.content_hash(), q.points if right[t, j] else 0.0, q.points, "bench",
                          "a" if right[t, j] else "abcd"[wrong[t, j]])
                 for t in range(args.trainees) for j, q in enumerate(questions)]
    started = time.perf_counter()
    (analysis,) = analyse(responses, course)
    analysed = time.perf_counter() - started
    started = time.perf_counter()
    as_json([analysis])
    table_text([analysis])
    written = time.perf_counter() - started
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        module = course.module("bench")
        html = report_html(course.title, [ModuleReport(analysis, option_analysis(module, responses),
                                                       case_paths(module, responses))],
                           sources=["generated"], mode="assessment")
        (Path(tmp) / "report.html").write_text(html, encoding="utf-8")
    reported = time.perf_counter() - started
    print(f"{args.trainees} trainees x {len(questions)} questions ({len(responses):,} responses)")
    print(f"analysis: {analysed:.2f} s (target: under {TARGET_S:g} s)")
    print(f"JSON and table: {written:.2f} s")
    print(f"HTML report with option analysis and figures: {reported:.2f} s, {len(html) / 1e6:.1f} MB "
          f"(target: under {REPORT_TARGET_S:g} s)")
    print(f"CIC {analysis.statistics.cic:.1f}%, flagged items: {sum(1 for r in analysis.items if r.statistics.flags)}")
    sys.exit(0 if analysed < TARGET_S and reported < REPORT_TARGET_S else 1)


if __name__ == "__main__":
    main()
