"""Weighted least squares with known variances: the trend of a survey series.

When every point of a series carries its sampling standard error, the slope,
its interval and the p-value come from a straight line with weights 1/se^2
instead of from ranks: survey figures wobble by their sampling error, and a
small monotone rise within that error is no evidence of change.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import stats

from ..trends import INTERVAL, SeriesBlock, TrendMethod

__all__ = ["METHODS", "wls_rows"]


def wls_rows(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], se: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """WLS slope, 95% low/high and p for each row of ``y`` (k, n) with its ``se`` (k, n).

    The known variances are taken as exact (a z test, as statsmodels'
    ``WLS(...).fit(cov_type="fixed scale")``) unless the points scatter around
    the line more than their standard errors allow (Pearson chi-square / df >
    1): then there is variation between years beyond sampling error, and the
    slope's variance is scaled by that ratio and the test uses t with n - 2 df,
    as in a meta-regression with multiplicative overdispersion. Otherwise a
    noisy series with small survey errors would be called significant far too
    easily. Closed form of the straight line with weights 1/se^2, on the
    weighted-centred years (well conditioned for years ~2000 with a spread of
    ~10), for all rows at once. Returns shape (k, 4).
    """
    w = 1.0 / se**2
    total = w.sum(axis=1, keepdims=True)
    dx = x - (w * x).sum(axis=1, keepdims=True) / total
    dy = y - (w * y).sum(axis=1, keepdims=True) / total
    sxx = (w * dx * dx).sum(axis=1)
    slope = (w * dx * dy).sum(axis=1) / sxx
    resid = dy - slope[:, np.newaxis] * dx
    df = x.shape[-1] - 2
    dispersion = (w * resid * resid).sum(axis=1) / df  # Pearson chi-square / df
    scaled = dispersion > 1.0
    slope_se = np.sqrt(np.where(scaled, dispersion, 1.0) / sxx)
    crit = np.where(scaled, stats.t.ppf(0.5 + INTERVAL / 2, df), stats.norm.ppf(0.5 + INTERVAL / 2))
    ratio = np.abs(slope) / slope_se
    p = np.where(scaled, 2 * stats.t.sf(ratio, df), 2 * stats.norm.sf(ratio))
    return np.column_stack([slope, slope - crit * slope_se, slope + crit * slope_se, p])


def every_se_known(block: SeriesBlock) -> npt.NDArray[np.bool_]:
    """The rows whose every point has a finite standard error above zero."""
    with np.errstate(invalid="ignore"):
        return np.all(np.isfinite(block.se) & (block.se > 0), axis=1)


def _wls_block(block: SeriesBlock) -> npt.NDArray[np.float64]:
    slope, low, high, p = wls_rows(block.x, block.y, block.se).T
    return np.column_stack([p, slope, low, high])


METHODS = (
    TrendMethod(
        "wls_known_se",
        _wls_block,
        effect="slope",
        applies=every_se_known,
        summary="weighted regression with the known sampling errors (z, or t when overdispersed)",
    ),
)
