"""How long recording an answer takes, alone and with other writers on the same file.

Run: .venv/bin/python bench/bench_store.py [--dir DIR]

Prints the p50/p95 latency of ``SQLiteProgressStore.record`` (one fsynced transaction each),
then has 8 processes write 500 attempts each into one new file at once, beside two
processes that only burn CPU (a busy machine), and prints the rows present (floor: 4,000
of 4,000), the errors seen (floor: 0) and the p95 per save (target: under 20 ms under that
load). The database is written to a temporary folder on the same disk as DIR (default:
the system temp dir), so the fsync cost is that disk's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from meso_training.errors import StoreError
from meso_training.model import Attempt
from meso_training.storage.sqlite_store import SQLiteProgressStore


def attempt(trainee: str, i: int) -> Attempt:
    now = dt.datetime.now(dt.UTC)
    return Attempt(
        trainee=trainee,
        module_id="20-suitability",
        item_id=f"case-{i % 10}",
        question_id=f"q{i % 4}",
        content_hash="3f2a9c",
        answer={"choices": ["b", "d"], "free_text": "avoid the injection site"},
        score=0.5,
        points=1.0,
        max_points=2.0,
        correct=False,
        critical=False,
        mode="assessment",
        seed=i,
        shown_at=now,
        submitted_at=now,
        attempt_uid=uuid.uuid4().hex,
    )


def single_writer(path: Path, count: int) -> list[float]:
    """Milliseconds per ``record`` call, the store already open."""
    latencies = []
    with SQLiteProgressStore(path) as store:
        store.open()
        for i in range(count):
            a = attempt("solo", i)
            started = time.perf_counter()
            store.record(a)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def writer_process(path: str, name: str, count: int, start: float) -> tuple[int, list[str], list[float]]:
    """One of the concurrent writers; returns (attempts acknowledged, error messages, ms per save)."""
    while time.time() < start:  # line everyone up on the same instant
        time.sleep(0.001)
    ok, errors, latencies = 0, [], []
    with SQLiteProgressStore(path) as store:
        for i in range(count):
            a = attempt(name, i)
            started = time.perf_counter()
            try:
                store.record(a)
                ok += 1
            except StoreError as exc:
                errors.append(str(exc))
            latencies.append((time.perf_counter() - started) * 1000)
    return ok, errors, latencies


def burn_cpu(stop: float) -> None:
    """A busy neighbour: spin until ``stop``."""
    while time.time() < stop:
        sum(range(10_000))


def concurrent_writers(path: Path, processes: int, count: int, burners: int) -> None:
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes + burners) as pool:
        start = time.time() + 2.0  # time for the spawned interpreters to import
        busy = [pool.apply_async(burn_cpu, (start + 600,)) for _ in range(burners)]
        jobs = [pool.apply_async(writer_process, (str(path), f"p{n}", count, start)) for n in range(processes)]
        results = [job.get(timeout=600) for job in jobs]
        wall = time.time() - start
        pool.terminate()  # the burners
        del busy
    with SQLiteProgressStore(path) as store:
        rows = len(store.attempts())
    errors = [e for _, errs, _ in results for e in errs]
    latencies = [ms for _, _, lat in results for ms in lat]
    cuts = statistics.quantiles(latencies, n=100)
    print(f"{processes} processes x {count} attempts into one new file, beside {burners} CPU-burning processes:")
    print(f"  rows present  {rows} of {processes * count} (floor: all)")
    print(f"  acknowledged  {sum(ok for ok, _, _ in results)}")
    print(f"  errors        {len(errors)} (floor: 0)")
    for message in sorted(set(errors))[:3]:
        print(f"    {message}")
    print(f"  per save      p50 {cuts[49]:.2f} ms   p95 {cuts[94]:.2f} ms (target < 20 ms)   "
          f"p99 {cuts[98]:.2f} ms   max {max(latencies):.0f} ms")
    print(f"  wall time     {wall:.2f} s ({processes * count / wall:.0f} attempts/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where to put the temporary databases")
    parser.add_argument("--records", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        latencies = single_writer(Path(tmp) / "solo.sqlite3", args.records)
        cuts = statistics.quantiles(latencies, n=100)
        print(f"record(), one writer, {args.records} attempts, synchronous=FULL:")
        print(f"  p50 {cuts[49]:.2f} ms   p95 {cuts[94]:.2f} ms   max {max(latencies):.2f} ms")
        concurrent_writers(Path(tmp) / "shared.sqlite3", processes=8, count=500, burners=2)


if __name__ == "__main__":
    main()
