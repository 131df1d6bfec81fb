"""Item and module statistics match Moodle's quiz statistics report, figure for figure.

``tests/data/moodle_quiz_00.csv`` and ``moodle_qstats_00.csv`` are the marks and the expected
item statistics of Moodle's own walkthrough test (``mod/quiz/report/statistics/tests/fixtures/
results00.csv`` and ``qstats00.csv``, GPL v3 data, 25 attempts at 7 one-mark questions); the
module figures are those its ``check_quiz_stats_for_quiz_00`` asserts. Moodle compares
within 1e-5 (relative) for covariance-based figures and 1e-6 for the rest; so do these tests.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pytest

from meso_training.analytics.item_statistics import (
    ItemStatistics,
    ScoreMatrix,
    item_statistics,
    module_statistics,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def moodle_matrix() -> ScoreMatrix:
    with (DATA / "moodle_quiz_00.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    marks = np.array([[float(r[f"slots.{s}.mark"]) for s in range(1, 8)] for r in rows])
    return ScoreMatrix(tuple(r["quizattempt"] for r in rows), tuple(str(s) for s in range(1, 8)), (1.0,) * 7, marks)


def moodle_expected() -> list[dict[str, float]]:
    with (DATA / "moodle_qstats_00.csv").open(encoding="utf-8") as handle:
        return [{k: float(v) for k, v in row.items()} for row in csv.DictReader(handle)]


def close(actual: float | None, expected: float, relative: float) -> bool:
    return actual is not None and math.isclose(actual, expected, rel_tol=relative, abs_tol=1e-12)


@pytest.mark.parametrize("slot", range(1, 8))
def test_each_item_figure_matches_moodles_walkthrough_fixture(slot: int) -> None:
    got = item_statistics(moodle_matrix())[slot - 1]
    want = moodle_expected()[slot - 1]
    assert close(got.facility, 100 * want["facility"], 1e-6)
    assert close(got.sd, 100 * want["sd"], 1e-6)
    assert close(got.mark_variance, want["markvariance"], 1e-6)
    assert close(got.rest_variance, want["othermarkvariance"], 1e-6)
    assert close(got.covariance, want["covariance"], 1e-5)
    assert close(got.max_covariance, want["covariancemax"], 1e-5)
    assert close(got.discrimination, want["discriminationindex"], 1e-5)
    assert close(got.efficiency, want["discriminativeefficiency"], 1e-5)
    assert close(got.effective_weight, want["effectiveweight"], 1e-5)
    assert got.intended_weight == pytest.approx(100 / 7)


def test_the_module_figures_match_moodles_quiz_statistics() -> None:
    stats = module_statistics(moodle_matrix())
    expected = {"median": 4.5, "mean": 4.617333332, "sd": 0.8117265554, "skewness": -0.092502502,
                "kurtosis": -0.7073968557, "cic": -87.2230935542, "error_ratio": 136.8294900795,
                "standard_error": 1.1106813066}
    for name, value in expected.items():
        assert close(getattr(stats, name), value, 1.5e-5), name
    assert (stats.n, stats.items, stats.max_points) == (25, 7, 7.0)


def test_a_small_cohort_gives_the_figures_worked_out_by_hand() -> None:
    # Four trainees, two one-point items: item a is answered right by the two strongest.
    #   a: 1 1 0 0 (mean .5, var 1/3)   b: 1 0 1 0   totals 2 1 1 0   rest of a = b
    matrix = ScoreMatrix(("t1", "t2", "t3", "t4"), ("a", "b"), (1.0, 1.0),
                         np.array([[1, 1], [1, 0], [0, 1], [0, 0]], dtype=float))
    a, b = item_statistics(matrix)
    assert a.facility == 50
    assert a.sd == pytest.approx(100 * math.sqrt(1 / 3))
    assert a.covariance == 0  # a and b are unrelated: a's rest (b) does not follow a
    assert a.discrimination == 0
    assert a.efficiency == 0
    assert a.max_covariance == pytest.approx(1 / 3)  # sorted pairs (0,0),(0,0),(1,1),(1,1)
    assert a.effective_weight == b.effective_weight == pytest.approx(50)
    stats = module_statistics(matrix)
    assert stats.mean == 1
    assert stats.median == 1
    assert stats.sd == pytest.approx(math.sqrt(2 / 3))
    assert stats.cic == pytest.approx(0)  # 2/(2-1) * (1 - (1/3 + 1/3) / (2/3))
    assert stats.error_ratio == pytest.approx(100)


def test_an_item_everyone_scores_the_same_on_is_undefined_not_nan() -> None:
    matrix = ScoreMatrix(("t1", "t2", "t3"), ("all-right", "varies"), (1.0, 2.0),
                         np.array([[1, 2], [1, 0], [1, 1]], dtype=float))
    same, varies = item_statistics(matrix)
    assert same.facility == 100
    assert same.sd == 0
    assert same.discrimination is None
    assert same.efficiency is None
    assert same.flags == ()
    assert varies.facility == 50
    assert varies.discrimination is None
    everyone_equal = ScoreMatrix(("t1", "t2"), ("a", "b"), (1.0, 1.0), np.array([[1, 0], [1, 0]], dtype=float))
    stats = module_statistics(everyone_equal)
    assert stats.sd == 0
    assert stats.cic is None
    assert stats.skewness is None
    assert stats.kurtosis is None
    for figure in (*item_statistics(everyone_equal), stats):
        for value in vars(figure).values():
            assert not (isinstance(value, float) and math.isnan(value)), figure


def test_an_item_the_weaker_trainees_get_right_is_flagged_with_negative_discrimination() -> None:
    # Items a-c follow ability; "reversed" is right only for the two weakest.
    marks = np.array([[1, 1, 1, 0], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 0, 1], [0, 0, 0, 1]],
                     dtype=float)
    trainees = tuple(f"t{i}" for i in range(1, 7))
    items = item_statistics(ScoreMatrix(trainees, ("a", "b", "c", "reversed"), (1.0,) * 4, marks))
    reversed_item = items[3]
    assert reversed_item.discrimination is not None
    assert reversed_item.discrimination < 0
    assert any("negative discrimination" in f for f in reversed_item.flags)
    assert items[1].discrimination is not None
    assert items[1].discrimination > 0


def test_one_trainee_gives_undefined_spreads() -> None:
    stats = module_statistics(ScoreMatrix(("t1",), ("a",), (1.0,), np.array([[1.0]])))
    (item,) = item_statistics(ScoreMatrix(("t1",), ("a",), (1.0,), np.array([[1.0]])))
    assert stats.mean == 1
    assert stats.sd is None
    assert stats.cic is None
    assert item.facility == 100
    assert item.sd is None
    assert item.discrimination is None


def test_trainees_who_did_not_take_an_item_are_left_out_of_its_figures() -> None:
    marks = np.array([[1, 1], [0, np.nan], [1, 0]], dtype=float)
    a, b = item_statistics(ScoreMatrix(("t1", "t2", "t3"), ("a", "b"), (1.0, 1.0), marks))
    assert (a.n, b.n) == (3, 2)
    assert b.facility == 50


def _independent(marks: np.ndarray, max_points: np.ndarray) -> dict[str, np.ndarray]:
    """The formulas again, written from the issue's definitions with numpy's own routines."""
    total = marks.sum(axis=1)
    rest = total[:, None] - marks
    cov = np.array([np.cov(marks[:, i], rest[:, i])[0, 1] for i in range(marks.shape[1])])
    var_x, var_rest = marks.var(axis=0, ddof=1), rest.var(axis=0, ddof=1)
    cov_max = np.array([np.cov(np.sort(marks[:, i]), np.sort(rest[:, i]))[0, 1] for i in range(marks.shape[1])])
    alpha = marks.shape[1] / (marks.shape[1] - 1) * (1 - var_x.sum() / total.var(ddof=1))
    return {"facility": 100 * marks.mean(axis=0) / max_points, "discrimination": 100 * cov / np.sqrt(var_x * var_rest),
            "efficiency": 100 * cov / cov_max, "cic": np.array(100 * alpha)}


def test_a_generated_cohort_agrees_with_an_independent_numpy_computation() -> None:
    rng = np.random.default_rng(7)
    ability = rng.normal(size=300)
    difficulty = rng.normal(size=40)
    max_points = rng.choice([1.0, 2.0, 3.0], size=40)
    right = 1 / (1 + np.exp(-(ability[:, None] - difficulty[None, :]))) > rng.random((300, 40))
    marks = right * max_points[None, :]
    matrix = ScoreMatrix(tuple(f"t{i}" for i in range(300)), tuple(f"q{i}" for i in range(40)),
                         tuple(float(m) for m in max_points), marks.astype(float))
    items = item_statistics(matrix)
    want = _independent(marks.astype(float), max_points)
    got = {name: np.array([getattr(i, name) for i in items], dtype=float)
           for name in ("facility", "discrimination", "efficiency")}
    for name, values in got.items():
        np.testing.assert_allclose(values, want[name], rtol=1e-9, err_msg=name)
    assert module_statistics(matrix, items).cic == pytest.approx(float(want["cic"]), rel=1e-9)
    assert sum(i.effective_weight or 0 for i in items) == pytest.approx(100)
    assert all(isinstance(i, ItemStatistics) for i in items)
