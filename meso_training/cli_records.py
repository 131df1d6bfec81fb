"""``meso-training serve-records``: the course's records service, as a JupyterHub managed service starts it."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

HELP = ("Run the course's records service on JupyterHub: the one process that reads and writes the cohort's "
        "database, for trainees' notebooks and the instructor's analytics (the hub starts it; see "
        "docs/deployment.md).")


def cmd_serve_records(args: argparse.Namespace) -> int:
    from meso_training.records_service.app import serve  # tornado and jupyterhub load only for this command

    serve(args.db or os.environ.get("MESO_TRAINING_DB", ""), [Path(args.quizzes)] if args.quizzes else None)
    return 0


def add_serve_records(sub: Any) -> None:
    p = sub.add_parser("serve-records", help=HELP, description=HELP)
    p.add_argument("--db", help="the cohort's database: a postgresql:// URL or a SQLite file (default: "
                   "$MESO_TRAINING_DB)")
    p.add_argument("--quizzes", help="the quizzes folder to grade against (default: as for validate)")
    p.set_defaults(func=cmd_serve_records)
