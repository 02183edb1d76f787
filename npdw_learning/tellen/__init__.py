"""tellen: the numbers. Indicator series per neighbourhood against the reference area and the goals.

Partner deliveries are read and checked against the registry
(:mod:`.measurements`, with the delivery order in :mod:`.deliveries`); every
series gets a trend (:mod:`.trends`), a series too short for one its change
since the baseline (:mod:`.changes`), a series with history before the
programme's start the break reading (:mod:`.breaks`) and, where the
registry sets a goal, a progress status (:mod:`.progress`); every programme
unit is compared with similar regions of the whole country (:mod:`.comparison`,
checked on simulated national panels from :mod:`.comparison_sim`); :mod:`.figures`
draws one figure per pillar, and :mod:`.run` ties these together for the
evaluation.

Who changes it: a statistician adding or refining a method (a new trend test
is a module of :mod:`.trend_methods`, which :func:`.trends.trend_methods`
registers by name), or anyone adding a source of figures for ``npdw fetch``
(a module of :mod:`.sources`); CONTRIBUTING.md has both recipes. It imports
only from :mod:`npdw_learning.kern`.
"""
