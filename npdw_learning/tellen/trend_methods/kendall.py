"""Kendall's tau-b with its exact p and the Theil-Sen slope: the rank-based trend test.

The statistics are those every run reports (:class:`~npdw_learning.tellen.trends.SeriesBlock`
computes them once per block); the two names only say whether the values
have ties. ``kendall_exact``: no ties, the p of
``scipy.stats.kendalltau(method="exact")``; ``kendall_permutation``: with
ties too, every ordering of the values counted exactly (no Monte Carlo).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ..trends import SeriesBlock, TrendMethod

__all__ = ["METHODS"]


def kendall_theil_sen(block: SeriesBlock) -> npt.NDArray[np.float64]:
    """Exact Kendall p and the Theil-Sen slope with its interval, (k, 4)."""
    return np.column_stack([block.kendall[1], block.theil_sen])


def without_ties(block: SeriesBlock) -> npt.NDArray[np.bool_]:
    """The rows whose values are all different."""
    return ~(block.ties > 1).any(axis=1)


METHODS = (
    TrendMethod(
        "kendall_exact",
        kendall_theil_sen,
        effect="tau",
        applies=without_ties,
        summary="Kendall's tau-b, exact p (no ties in the values); Theil-Sen slope",
    ),
    TrendMethod(
        "kendall_permutation",
        kendall_theil_sen,
        effect="tau",
        summary="Kendall's tau-b, exact permutation p counting every ordering (ties); Theil-Sen",
    ),
)
