"""A linear program built column by column and row by row, solved by HiGHS through highspy.

HiGHS runs on one thread with a fixed seed, so the same program gives the same answer every time; it stops at the
time limit and then says so, and an answer that is not proven optimal is never returned as one.
"""

import math
from dataclasses import dataclass, field

import highspy
import numpy as np

from domain.allocation import SolverStatus

INFINITY = math.inf


@dataclass(frozen=True)
class Solution:
    status: SolverStatus
    values: tuple[float, ...] = ()
    reason: str | None = None


@dataclass
class LinearProgram:
    """Minimises the columns' costs over the rows' bounds."""

    costs: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    indices: list[int] = field(default_factory=list)
    coefficients: list[float] = field(default_factory=list)

    def add_column(self, cost: float, lower: float = 0.0, upper: float = INFINITY) -> int:
        self.costs.append(cost)
        self.lower.append(lower)
        self.upper.append(upper)
        return len(self.costs) - 1

    def add_row(self, terms: list[tuple[int, float]], lower: float = -INFINITY, upper: float = INFINITY) -> None:
        for column, coefficient in terms:
            self.indices.append(column)
            self.coefficients.append(coefficient)
        self.starts.append(len(self.indices))
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def solve(self, time_limit_s: float) -> Solution:
        if time_limit_s <= 0:
            return Solution(SolverStatus.TIME_LIMIT, reason="no time left for this stage of the round")
        if not self.costs:
            return Solution(SolverStatus.OPTIMAL)
        highs = highspy.Highs()
        for option, value in (
            ("output_flag", False),
            ("threads", 1),
            ("random_seed", 0),
            ("time_limit", time_limit_s),
        ):
            highs.setOptionValue(option, value)
        highs.passModel(self._model())
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kOptimal:
            return Solution(SolverStatus.OPTIMAL, tuple(highs.getSolution().col_value))
        if status == highspy.HighsModelStatus.kTimeLimit:
            return Solution(SolverStatus.TIME_LIMIT, reason=f"no optimal plan within {time_limit_s:.1f} s")
        return Solution(SolverStatus.FAILED, reason=f"HiGHS: {highs.modelStatusToString(status)}")

    def _model(self) -> highspy.HighsLp:
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.costs)
        lp.num_row_ = len(self.row_lower)
        lp.col_cost_ = np.array(self.costs, dtype=np.float64)
        lp.col_lower_ = np.array(self.lower, dtype=np.float64)
        lp.col_upper_ = _finite(self.upper)
        lp.row_lower_ = _finite(self.row_lower)
        lp.row_upper_ = _finite(self.row_upper)
        matrix = lp.a_matrix_
        matrix.format_ = highspy.MatrixFormat.kRowwise
        matrix.num_col_ = lp.num_col_
        matrix.num_row_ = lp.num_row_
        matrix.start_ = np.array(self.starts, dtype=np.int32)
        matrix.index_ = np.array(self.indices, dtype=np.int32)
        matrix.value_ = np.array(self.coefficients, dtype=np.float64)
        return lp


def _finite(bounds: list[float]) -> np.ndarray:
    """HiGHS spells an absent bound as its own infinity."""
    values = np.array(bounds, dtype=np.float64)
    values[np.isposinf(values)] = highspy.kHighsInf
    values[np.isneginf(values)] = -highspy.kHighsInf
    return values
