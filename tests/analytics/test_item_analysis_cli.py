"""``meso-training item-analysis`` on real progress: databases, exports and long-form tables.

The cohort is played through the real ``ModuleSession`` (each trainee gets wrong a share of
questions that grows as their ability falls), kept in real SQLite files and a real JSON
export, and the command's JSON figures are checked against the same figures recomputed
in the test from the attempts themselves with numpy.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from attempt_factory import make_attempt
from cohort_factory import cohort as played_cohort
from quiz_text import QUIZZES

from meso_training.cli import main
from meso_training.model import Attempt, Course
from meso_training.storage import open_store
from meso_training.storage.sqlite_store import SQLiteProgressStore
from meso_training.storage.transfer import export_progress

MODULE = "suitability"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def recomputed(attempts: list[Attempt]) -> dict[str, dict[str, float]]:
    """Facility and discrimination per question, from the attempts, independently of the package."""
    trainees = sorted({a.trainee for a in attempts})
    questions = sorted({a.question_id for a in attempts})
    marks = np.zeros((len(trainees), len(questions)))
    top = dict.fromkeys(questions, 0.0)
    for a in attempts:
        marks[trainees.index(a.trainee), questions.index(a.question_id)] = a.points
        top[a.question_id] = a.max_points
    total = marks.sum(axis=1)
    out = {}
    for j, q in enumerate(questions):
        x, rest = marks[:, j], total - marks[:, j]
        spread = x.std(ddof=1) * rest.std(ddof=1)
        out[q] = {"facility": 100 * x.mean() / top[q],
                  "discrimination": 100 * np.cov(x, rest)[0, 1] / spread if spread else None}
    return out


def test_databases_and_an_export_give_the_figures_recomputed_from_the_attempts(
        course: Course, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cohort = played_cohort(course, MODULE, 40)
    sources = []
    for part, attempts in enumerate((cohort[:15], cohort[15:30])):
        db = tmp_path / f"kernel-{part}.sqlite3"
        with SQLiteProgressStore(db) as store:
            store.record_many(a for trainee in attempts for a in trainee)
        sources.append(str(db))
    with SQLiteProgressStore(tmp_path / "laptop.sqlite3") as store:
        store.record_many(a for trainee in cohort[30:] for a in trainee)
        export_progress(store, tmp_path / "laptop.json")
    sources += [str(tmp_path / "laptop.json"), sources[0]]  # a database named twice counts once
    code, out, err = run(capsys, "item-analysis", *sources, "--json", "--course", str(QUIZZES))
    assert code == 0, err
    (module,) = json.loads(out)["modules"]
    assert module["module_id"] == MODULE
    assert module["trainees"] == 40
    want = recomputed([a for trainee in cohort for a in trainee])
    assert {i["question_id"] for i in module["items"]} == set(want)
    for item in module["items"]:
        expected = want[item["question_id"]]
        assert item["facility"] == pytest.approx(expected["facility"])
        if expected["discrimination"] is None:
            assert item["discrimination"] is None
        else:
            assert item["discrimination"] == pytest.approx(expected["discrimination"])
        assert 0 <= item["random_guess"] <= 100
        if item["type"] in {"single_choice", "multiple_response", "matching"}:
            assert sum(option["chosen"] for option in item["options"]) >= 1
            assert all(len(option["by_third"]) == 3 for option in item["options"])
        else:
            assert item["options"] is None
    assert module["statistics"]["cic"] is not None
    assert not module["small_cohort"]


def test_a_cohort_in_postgresql_is_read_by_its_url_with_the_same_figures_as_a_file(
        course: Course, tmp_path: Path, postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    cohort = [a for trainee in played_cohort(course, MODULE, 20) for a in trainee]
    with open_store(postgres_url) as server, SQLiteProgressStore(tmp_path / "same.sqlite3") as file:
        server.record_many(cohort)
        file.record_many(cohort)
    code, from_server, err = run(capsys, "item-analysis", postgres_url, "--json", "--course", str(QUIZZES))
    assert code == 0, err
    file_source = str(tmp_path / "same.sqlite3")
    code, from_file, _ = run(capsys, "item-analysis", file_source, "--json", "--course", str(QUIZZES))
    assert code == 0
    (module,) = json.loads(from_server)["modules"]
    assert module["trainees"] == 20
    assert module == json.loads(from_file)["modules"][0]


def test_a_long_form_table_counts_a_missing_row_as_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "scores.csv"
    table.write_text("trainee,question_id,score,max_points\nann,q1,1,1\nann,q2,2,2\nbea,q1,0,1\nbea,q2,1,2\n"
                     "cy,q1,1,1\n", encoding="utf-8")  # cy has no q2 row: 0 points
    code, out, _ = run(capsys, "item-analysis", str(table), "--json", "--course", str(QUIZZES))
    assert code == 0
    (module,) = json.loads(out)["modules"]
    assert module["module_id"] == "(not in the course)"
    q1, q2 = module["items"]
    assert (q1["n"], q2["n"]) == (3, 3)
    assert q1["facility"] == pytest.approx(200 / 3)
    assert q2["facility"] == pytest.approx(50)  # (2 + 1 + 0) / 3 of 2 points
    assert module["statistics"]["mean"] == pytest.approx(5 / 3)
    assert q1["random_guess"] is None  # not a question of the course: nothing to guess from


def test_a_long_form_table_with_bad_rows_is_refused_naming_every_row(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "scores.csv"
    table.write_text("trainee,question_id,score,max_points\nann,q1,one,1\nann,q2,3,2\nann,q2,1,2\n,q3,1,1\n",
                     encoding="utf-8")
    code, out, err = run(capsys, "item-analysis", str(table), "--course", str(QUIZZES))
    assert code == 2
    assert out == ""
    assert "no figures were computed" in err
    assert "row 2: score 'one' is not a number" in err
    assert "row 3: score 3 is more than max_points 2" in err
    assert "row 5: trainee and question_id must not be empty" in err
    assert "Traceback" not in err


def test_a_question_changed_during_the_cohort_is_analysed_as_two_versions(
        course: Course, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = course.module(MODULE)
    (_, first), (_, second) = module.questions()[:2]
    attempts = []
    for n, trainee in enumerate(["ann", "bea", "cy", "dan"]):
        old = n < 2  # ann and bea answered the question before it was edited
        attempts.append(make_attempt(trainee=trainee, module_id=MODULE, question_id=first.id, mode="assessment",
                                     content_hash="old-version" if old else first.content_hash(),
                                     points=float(n % 2), max_points=1.0, score=float(n % 2)))
        attempts.append(make_attempt(trainee=trainee, module_id=MODULE, question_id=second.id, mode="assessment",
                                     content_hash=second.content_hash(), points=1.0, max_points=1.0, score=1.0))
    db = tmp_path / "cohort.sqlite3"
    with SQLiteProgressStore(db) as store:
        store.record_many(attempts)
    code, out, _ = run(capsys, "item-analysis", str(db), "--json", "--course", str(QUIZZES))
    assert code == 0
    (result,) = json.loads(out)["modules"]
    assert result["changed_questions"] == [first.id]
    versions = {i["version"]: i for i in result["items"] if i["question_id"] == first.id}
    assert set(versions) == {"old-version", first.content_hash()}
    assert versions["old-version"]["n"] == 2
    assert not versions["old-version"]["current_version"]
    assert versions[first.content_hash()]["n"] == 2
    assert versions[first.content_hash()]["current_version"]
    code, text, _ = run(capsys, "item-analysis", str(db), "--course", str(QUIZZES))
    assert f"changed during the cohort (each version analysed apart): {first.id}" in text
    assert f"{first.id}@old-vers" in text


def test_the_table_warns_a_small_cohort_and_prints_undefined_for_a_figure_without_spread(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    table = tmp_path / "scores.csv"
    table.write_text("trainee,question_id,score,max_points\nann,q1,1,1\nann,q2,1,1\nbea,q1,1,1\nbea,q2,0,1\n",
                     encoding="utf-8")
    code, out, _ = run(capsys, "item-analysis", str(table), "--course", str(QUIZZES))
    assert code == 0
    assert "warning: fewer than 30 trainees" in out
    q1 = next(line for line in out.splitlines() if line.strip().startswith("q1"))
    assert "100.0%" in q1
    assert "undefined" in q1


def test_a_practice_only_cohort_asked_for_assessment_answers_is_told_to_use_practice(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "p.sqlite3"
    with SQLiteProgressStore(db) as store:
        store.record(make_attempt(mode="practice"))
    code, _, err = run(capsys, "item-analysis", str(db), "--course", str(QUIZZES))
    assert code == 1
    assert "No assessment answers" in err
    assert "--mode practice" in err


def test_a_missing_source_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "item-analysis", str(tmp_path / "nowhere.sqlite3"), "--course", str(QUIZZES))
    assert code == 2
    assert "nowhere.sqlite3" in err
    assert "no such file" in err
