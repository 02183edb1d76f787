"""The trend methods, one module per method (or family of methods).

Each module defines ``METHODS``: a tuple of
:class:`~npdw_learning.tellen.trends.TrendMethod`. The registry
(:func:`~npdw_learning.tellen.trends.trend_methods`) reads every module of
this package, so a new method is a new module here and nothing else has to
name it. A method gets a :class:`~npdw_learning.tellen.trends.SeriesBlock`
(the series that share their years: ``x`` (n,), ``y`` (k, n), ``se`` (k, n),
at least ``MIN_POINTS`` points, no missing values) and returns per row the
p-value, the slope per year and its interval; everything around it (dropping
missing points, too few points, Benjamini-Hochberg, the direction-aware
verdict, the ``method`` column of ``trends.csv``) is done once, in
``tellen/trends.py``. ``tests/tellen/test_trend_methods.py`` runs its checks
on every registered method.
"""
