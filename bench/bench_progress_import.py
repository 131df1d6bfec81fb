"""Peak memory and time of ``meso-training import-progress`` on 200 MB exports (CSV and JSON).

Target: peak resident memory under 300 MB for a 200 MB export (issue 13). Each import runs
in a fresh interpreter through the real command line (course loading and re-grading
included) and reports its own peak RSS; a bare ``meso-training validate`` run gives the
floor the course itself costs. The export is made of real course questions answered
right and wrong, as a cohort's would be.

Run: ``.venv/bin/python bench/bench_progress_import.py [megabytes]`` (default 200).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from meso_training import load_course
from meso_training.engine.grading import grade, keyed_answer, wrong_answer
from meso_training.model.attempt import Attempt, answer_json
from meso_training.storage.transfer import COLUMNS, JSON_KIND, JSON_VERSION

TARGET_MB = 300
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)

_PEAK = """
import resource, sys
from meso_training.cli import main
code = main(sys.argv[1:])
print("peak-kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def course_answers() -> list[Attempt]:
    """One right and one wrong attempt at every question of the shipped course."""
    answers = []
    for module in load_course().modules:
        for item_id, question in module.questions():
            for answer in (keyed_answer(question), wrong_answer(question)):
                r = grade(question, answer)
                answers.append(Attempt(
                    trainee="Trainee", module_id=module.id, item_id=item_id, question_id=question.id,
                    content_hash=question.content_hash(), answer=answer, score=r.score, points=r.points,
                    max_points=r.max_points, correct=r.correct, critical=r.critical, mode="practice", seed=1,
                    shown_at=T0, submitted_at=T0 + dt.timedelta(seconds=50), attempt_uid="x"))
    return answers


def rows(base: list[Attempt], size: int) -> Any:
    """Stored-form rows with fresh uids, trainees and times until about ``size`` bytes are written."""
    written = n = 0
    while written < size:
        a = base[n % len(base)]
        row = dict(a.to_dict())
        moment = T0 + dt.timedelta(seconds=n)
        row.update(trainee=f"Trainee {n % 400:03d}", attempt_uid=uuid.uuid4().hex,
                   shown_at=moment.isoformat(timespec="microseconds"),
                   submitted_at=(moment + dt.timedelta(seconds=40)).isoformat(timespec="microseconds"))
        written += yield row
        n += 1


def write_csv(path: Path, base: list[Attempt], size: int) -> int:
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        feed = rows(base, size)
        row = next(feed)
        while True:
            cells = [answer_json(row["answer"]) if c == "answer" else
                     ("true" if row[c] else "false") if c in ("correct", "critical") else
                     repr(row[c]) if c in ("score", "points", "max_points") else str(row[c]) for c in COLUMNS]
            writer.writerow(cells)
            count += 1
            try:
                row = feed.send(sum(map(len, cells)) + 30)
            except StopIteration:
                return count


def write_json(path: Path, base: list[Attempt], size: int) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as file:
        file.write(json.dumps({"kind": JSON_KIND, "version": JSON_VERSION, "exported_at": "2026-12-03T00:00:00+00:00",
                               "trainee": None}, indent=1)[:-2] + ',\n "attempts": [\n')
        feed = rows(base, size)
        row = next(feed)
        while True:
            text = ("," if count else "") + json.dumps(row, ensure_ascii=False, indent=1)
            file.write(text)
            count += 1
            try:
                row = feed.send(len(text))
            except StopIteration:
                file.write("\n ]\n}\n")
                return count


def run(*argv: str) -> tuple[float, float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *argv], capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{argv[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    peak_kb = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak-kb"))
    return peak_kb / 1024, seconds, done.stdout.strip().splitlines()[0]


def main() -> None:
    size = int(float(sys.argv[1]) * 1_000_000) if len(sys.argv) > 1 else 200_000_000
    base = course_answers()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        floor, _, _ = run("validate")
        print(f"floor (meso-training validate: the course loaded, nothing imported): {floor:.0f} MB peak")
        for name, writer in (("export.csv", write_csv), ("export.json", write_json)):
            path = tmp / name
            count = writer(path, base, size)
            megabytes = path.stat().st_size / 1_000_000
            peak, seconds, report = run("import-progress", str(path), "--db", str(tmp / f"{name}.sqlite3"))
            verdict = "ok" if peak < TARGET_MB else "OVER TARGET"
            print(f"{name}: {megabytes:.0f} MB, {count:,} attempts: peak {peak:.0f} MB "
                  f"(target < {TARGET_MB} MB: {verdict}), {seconds:.0f} s, {count / seconds:,.0f} attempts/s")
            print(f"  {report}")
            path.unlink()


if __name__ == "__main__":
    main()
