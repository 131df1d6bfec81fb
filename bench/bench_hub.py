"""A cohort answering at once through the records service on a real JupyterHub, into a real PostgreSQL.

Run: .venv/bin/python bench/bench_hub.py [--trainees 50] [--answers 100] [--pace 0.2]

Starts PostgreSQL (a throw-away cluster) and JupyterHub with the records service, as the hub
tests do, creates ``--trainees`` users with a token each, and has one thread per trainee send
``--answers`` answers one at a time with ``HubRecordsStore`` (what a trainee's kernel uses):
each answer is authenticated with the hub, validated, graded again by the service and
committed to PostgreSQL before it is acknowledged. Prints throughput, the p50 and p95 time
per answer, the rows present in the database against those sent, and the errors.

Two loads. Paced: each trainee sends an answer every ``--pace`` seconds (0.2 s: 50 trainees
offer 250 answers a second, a hundred times what a cohort answering a question every half
minute each would); the target is on this run. Flat out: each trainee sends the next answer
as soon as the last is acknowledged, which measures the service's capacity; with 50 senders
and one service on two cores, each answer then waits behind the others, so its latency is
50 / throughput and says more about the machine than about a trainee's wait.

The floor, measured in the same run against the same database: the same threads writing
the same number of answers straight into PostgreSQL with the store the service uses (no
HTTP, no hub, no grading). Target: p95 under 50 ms per answer through the service.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hub.answers import answered  # noqa: E402
from hub.hub_server import QUIZZES, running_hub  # noqa: E402
from postgres_server import PostgresServer, server_bin_dir  # noqa: E402

from meso_training.authoring.loader import load_course  # noqa: E402
from meso_training.model import Attempt, Course  # noqa: E402
from meso_training.storage import open_store  # noqa: E402
from meso_training.storage.hub_store import HubRecordsStore  # noqa: E402
from meso_training.storage.interface import ProgressStore  # noqa: E402

TARGET_P95_MS = 50.0


def answers_of(course: Course, trainee: str, count: int) -> list[Attempt]:
    questions = len(course.modules[1].questions())
    return [answered(course, trainee, index=i % questions, right=i % 3 != 0) for i in range(count)]


def run_cohort(stores: dict[str, Callable[[], ProgressStore]], work: dict[str, list[Attempt]], pace: float = 0.0
               ) -> tuple[float, list[float], list[str]]:
    """Each trainee's answers, one request each (one every ``pace`` s, or flat out), all trainees at once.

    Returns (seconds, per-answer ms, errors); a paced trainee's waiting between answers is not timed.
    """
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(len(work) + 1)

    def trainee(name: str) -> None:
        mine: list[float] = []
        with stores[name]() as store:
            start.wait()
            first = time.perf_counter() + pace * random.random()  # trainees do not answer in step
            for n, attempt in enumerate(work[name]):
                if pace:
                    time.sleep(max(0.0, first + n * pace - time.perf_counter()))
                began = time.perf_counter()
                try:
                    store.record(attempt)
                except Exception as exc:  # counted and printed: the bench goes on
                    with lock:
                        errors.append(f"{name}: {exc}")
                mine.append(1000 * (time.perf_counter() - began))
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=trainee, args=(name,)) for name in work]
    for t in threads:
        t.start()
    start.wait()
    began = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - began, times, errors


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def report(label: str, seconds: float, times: list[float]) -> None:
    print(f"{label}: {len(times):,} answers in {seconds:.2f} s = {len(times) / seconds:,.0f} answers/s; "
          f"per answer p50 {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=50)
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--pace", type=float, default=0.2, help="seconds between a trainee's answers (paced run)")
    args = parser.parse_args()
    bin_dir = server_bin_dir()
    if bin_dir is None:
        print("PostgreSQL is not installed (apt-get install postgresql)", file=sys.stderr)
        return 2
    course = load_course([QUIZZES])
    names = [f"bench-{i:03d}" for i in range(args.trainees)]
    server = PostgresServer(bin_dir).start()
    try:
        cohort_db, floor_db = server.new_database(), server.new_database()
        with (tempfile.TemporaryDirectory(prefix="meso-bench-hub-") as folder,
              running_hub(Path(folder), cohort_db) as hub):
            hub.api("POST", "users", {"usernames": names})
            tokens = {name: hub.token_for(name) for name in names}
            url = hub.service_url
            through = {n: partial(HubRecordsStore, url, token=tokens[n]) for n in names}
            seconds, times, errors = run_cohort(through, {n: answers_of(course, n, args.answers) for n in names},
                                                args.pace)
            flat_seconds, flat_times, flat_errors = run_cohort(
                through, {n: answers_of(course, n, args.answers) for n in names})
            with open_store(cohort_db) as cohort:
                present = len(cohort.attempts())
        floor_work = {name: answers_of(course, name, args.answers) for name in names}
        floor_seconds, floor_times, floor_errors = run_cohort({n: partial(open_store, floor_db) for n in names},
                                                              floor_work)
    finally:
        server.stop()
    sent = 2 * args.trainees * args.answers
    print(f"{args.trainees} trainees x {args.answers} answers, each its own request, all trainees at once")
    report(f"paced (an answer every {args.pace:g} s each), through the records service", seconds, times)
    report("flat out, through the records service", flat_seconds, flat_times)
    report("floor: flat out, straight into PostgreSQL", floor_seconds, floor_times)
    errors += flat_errors
    print(f"rows present: {present:,} of {sent:,}; errors: {len(errors)} (floor: {len(floor_errors)})")
    for line in errors[:5]:
        print("  " + line)
    print(f"paced p95 {p95(times):.1f} ms (target: under {TARGET_P95_MS:g} ms); flat out "
          f"{p95(flat_times) / p95(floor_times):.1f}x the floor's p95")
    return 0 if present == sent and not errors else 1


if __name__ == "__main__":
    sys.exit(main())
