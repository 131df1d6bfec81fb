"""Item and test statistics by the formulas of Moodle's quiz statistics report.

An instructor who knows Moodle's report reads the same figures here, computed the same
way (``question/classes/statistics/questions/calculator.php`` and
``mod/quiz/report/statistics/classes/calculator.php``): sample variances (n - 1), the
discrimination index as the correlation of an item with the *rest* of the test (so an item
does not correlate with itself), discriminative efficiency against the largest covariance
the two mark distributions allow, effective weight from each item's covariance with the
total, and Cronbach's alpha as the coefficient of internal consistency. Where a formula
divides by a variance of zero (everyone scored the same) the figure is ``None``
("undefined"), never a NaN or a crash; tests check each against Moodle's own fixture.

The input is a ``ScoreMatrix``: trainees by items, in points, with ``NaN`` where a trainee
did not take that item (another version of a changed question), so each item's figures
are over the trainees who took it. A missing answer to an item they did take is 0 points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]

EFFICIENCY_FLOOR = 15.0
"""Below this discriminative efficiency (%), an item separates stronger from weaker trainees poorly."""


@dataclass(frozen=True)
class ScoreMatrix:
    trainees: tuple[str, ...]
    items: tuple[str, ...]
    max_points: tuple[float, ...]
    points: Matrix
    """``points[t, i]``: trainee t's points on item i; NaN where t did not take i."""


@dataclass(frozen=True)
class ItemStatistics:
    item: str
    n: int
    facility: float | None
    """Mean score as a percentage of the item's maximum."""
    sd: float | None
    """Standard deviation of the scores as a percentage of the item's maximum."""
    intended_weight: float
    effective_weight: float | None
    discrimination: float | None
    """100 x the correlation of the item's marks with the rest of the test's marks."""
    efficiency: float | None
    """Discriminative efficiency: 100 x Cov(item, rest) / the largest covariance possible."""
    covariance: float | None
    mark_variance: float | None
    rest_variance: float | None
    max_covariance: float | None

    @property
    def flags(self) -> tuple[str, ...]:
        """Why an instructor should look at this item, in their words (empty when it works)."""
        found = []
        if self.discrimination is not None and self.discrimination < 0:
            found.append("negative discrimination: stronger trainees do worse on it; check the key")
        if self.efficiency is not None and self.efficiency < EFFICIENCY_FLOOR:
            found.append(f"discriminative efficiency below {EFFICIENCY_FLOOR:g}%: it separates trainees poorly")
        return tuple(found)


@dataclass(frozen=True)
class ModuleStatistics:
    n: int
    items: int
    max_points: float
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None
    """Coefficient of internal consistency (Cronbach's alpha), in %."""
    error_ratio: float | None
    standard_error: float | None


def _sample_var(values: Matrix) -> float | None:
    return float(np.var(values, ddof=1)) if values.size > 1 else None


def _cov(a: Matrix, b: Matrix) -> float | None:
    if a.size < 2:
        return None
    return float(np.sum((a - a.mean()) * (b - b.mean())) / (a.size - 1))


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or None when either is undefined or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0 or not math.isfinite(denominator):
        return None
    return numerator / denominator


def totals(matrix: ScoreMatrix) -> Matrix:
    """Each trainee's total over the items they took."""
    total: Matrix = np.asarray(np.nansum(matrix.points, axis=1), dtype=np.float64)
    return total


def item_statistics(matrix: ScoreMatrix) -> list[ItemStatistics]:
    total = totals(matrix)
    all_max = sum(matrix.max_points)
    raw = []
    for i, (item, max_points) in enumerate(zip(matrix.items, matrix.max_points, strict=True)):
        took = ~np.isnan(matrix.points[:, i])
        x, whole = matrix.points[took, i], total[took]
        rest = whole - x
        var_x, var_rest = _sample_var(x), _sample_var(rest)
        cov = _cov(x, rest)
        cov_max = _cov(np.sort(x), np.sort(rest))
        with_total = _cov(x, whole)
        product = None if var_x is None or var_rest is None else var_x * var_rest
        raw.append((item, max_points, x, var_x, var_rest, cov, cov_max, with_total, product))
    weights = sum(math.sqrt(w) for *_, w, _ in raw if w is not None and w >= 0)
    out = []
    for item, max_points, x, var_x, var_rest, cov, cov_max, with_total, product in raw:
        sd = None if var_x is None else 100 * math.sqrt(var_x) / max_points
        effective = (None if with_total is None or with_total < 0 or not weights
                     else 100 * math.sqrt(with_total) / weights)
        discrimination = _ratio(None if cov is None else 100 * cov, None if product is None else math.sqrt(product))
        efficiency = _ratio(None if cov is None else 100 * cov, cov_max)
        out.append(ItemStatistics(
            item=item, n=int(x.size), facility=100 * float(x.mean()) / max_points if x.size else None, sd=sd,
            intended_weight=100 * max_points / all_max if all_max else 0.0, effective_weight=effective,
            discrimination=discrimination, efficiency=efficiency, covariance=cov, mark_variance=var_x,
            rest_variance=var_rest, max_covariance=cov_max))
    return out


def module_statistics(matrix: ScoreMatrix, items: Sequence[ItemStatistics] | None = None) -> ModuleStatistics:
    """The whole module's figures; skewness needs 3 trainees and kurtosis 4, as their formulas do."""
    items = item_statistics(matrix) if items is None else items
    total = totals(matrix)
    s = int(total.size)
    p = len(matrix.items)
    max_points = float(sum(matrix.max_points))
    if s == 0:
        return ModuleStatistics(0, p, max_points, None, None, None, None, None, None, None, None)
    d = total - total.mean()
    m2, m3, m4 = (float(np.mean(d ** k)) for k in (2, 3, 4))
    k2 = s * m2 / (s - 1) if s > 1 else None
    k3 = s * s * m3 / ((s - 1) * (s - 2)) if s > 2 else None
    k4 = s * s * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2) / ((s - 1) * (s - 2) * (s - 3)) if s > 3 else None
    sd = math.sqrt(k2) if k2 is not None else None
    skewness = _ratio(k3, None if k2 is None else k2 ** 1.5)
    kurtosis = _ratio(k4, None if k2 is None else k2 ** 2)
    variances = [i.mark_variance for i in items]
    cic = None
    if p > 1 and k2 and all(v is not None for v in variances):
        cic = 100 * p / (p - 1) * (1 - sum(v for v in variances if v is not None) / k2)
    error_ratio = 100 * math.sqrt(1 - cic / 100) if cic is not None and cic <= 100 else None
    standard_error = error_ratio * sd / 100 if error_ratio is not None and sd is not None else None
    return ModuleStatistics(s, p, max_points, float(total.mean()), float(np.median(total)), sd, skewness, kurtosis,
                          cic, error_ratio, standard_error)
