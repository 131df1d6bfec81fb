"""The branch play-through, run in this process on a real runner: where it goes astray, it says so in one sentence.

The session and the routes share the engine's routing, so a runner that goes elsewhere is
made here by changing the session's routing alone, as a bug in the session or the views
would: the report must name the case, the step and the answer, never print a dict.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from case_text import SECOND_CHANCE_CASES
from quiz_text import HEADER

from meso_training.engine import session as session_module
from meso_training.engine.case_flow import NextStep
from meso_training.engine.session import ModuleSession
from meso_training.model import Case, Mode, Module, SourceRegistry
from meso_training.notebook_testing.playthrough import check_play, play
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.views import shown
from meso_training.views.module_runner import ModuleRunner
from meso_training.views.recorder import AttemptRecorder

T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
REGISTRY = SourceRegistry.model_validate({"facts": {}, "references": {}})


@pytest.fixture
def shown_runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ModuleRunner, Path]]:
    """A practice runner over the second-chance cases, shown as show_module shows one."""
    module = Module.model_validate(yaml.safe_load(HEADER + SECOND_CHANCE_CASES))
    db = tmp_path / "p.sqlite3"
    store = SQLiteProgressStore(db)
    session = ModuleSession(module, trainee="ana", mode=Mode.PRACTICE, rng=random.Random(3), now=T0)
    runner = ModuleRunner(session, REGISTRY, AttemptRecorder(store))
    monkeypatch.setattr(shown, "SHOWN", [runner])
    yield runner, db
    store.close()


def test_the_branch_play_through_of_cases_with_second_chances_finds_nothing_wrong(
        shown_runner: tuple[ModuleRunner, Path]) -> None:
    _, db = shown_runner
    (report,) = play("branches")
    assert check_play("branches", [report], db) == []
    played = {step for outcome in report["outcomes"] for step in outcome["route"]}
    assert {"a-fix", "b-fix"} <= played


def test_a_runner_that_skips_the_second_chance_step_is_reported_in_one_sentence(
        shown_runner: tuple[ModuleRunner, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    _, db = shown_runner
    routed = session_module.next_step

    def skipping_a_fix(case: Case, step_id: str, result: object) -> NextStep:
        step = routed(case, step_id, result)  # type: ignore[arg-type]
        return NextStep(None) if step.step_id == "a-fix" else step

    monkeypatch.setattr(session_module, "next_step", skipping_a_fix)
    (report,) = play("branches")
    problems = check_play("branches", [report], db)
    assert problems == ["test-module (branches): Case 'goto-fix', step 'a1': choosing option 'later' should lead "
                        "to step 'a-fix', but the case ended"]
    assert "{" not in problems[0]
