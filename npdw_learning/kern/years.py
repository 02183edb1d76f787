"""The evaluation year against the years the data covers.

An evaluation year before every measurement, or far after the last, gives a
run of empty tables that looks like a result (``--year 1900`` did, exit 0).
:func:`check_year` refuses such a year and names the range it may take: from
the first year in the data up to one year after the last (the yearly run is
often made before the figures of its own year are delivered).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .errors import InputError

__all__ = ["YEARS_AFTER_LAST", "span", "year_range", "check_year"]

# How many years after the last year in the data an evaluation year may lie.
YEARS_AFTER_LAST = 1


def span(years: Iterable[int]) -> tuple[int, int] | None:
    """The first and last of ``years``; None without any.

    >>> span([2024, 2019, 2026])
    (2019, 2026)
    >>> span([]) is None
    True
    """
    values = [int(y) for y in years]
    return (min(values), max(values)) if values else None


def year_range(spans: Mapping[str, tuple[int, int] | None]) -> tuple[int, int] | None:
    """The years an evaluation may take: the first year of any span up to
    :data:`YEARS_AFTER_LAST` after the last; None when no span holds a year.

    >>> year_range({"de metingen": (2018, 2023), "de verhalen": (2024, 2026)})
    (2018, 2027)
    """
    known = [s for s in spans.values() if s is not None]
    if not known:
        return None
    return min(s[0] for s in known), max(s[1] for s in known) + YEARS_AFTER_LAST


def check_year(year: int, spans: Mapping[str, tuple[int, int] | None]) -> None:
    """Raise :class:`InputError` when ``year`` lies outside :func:`year_range`.

    ``spans`` names each kind of data with its first and last year (None: none
    of that kind); the message names them all and the years to choose from.
    Without any year in the data there is nothing to compare with (a new
    programme), and every year passes.

    >>> check_year(2026, {"de metingen": (2018, 2023), "de verhalen": (2024, 2026)})
    >>> try:
    ...     check_year(1900, {"de metingen": (2015, 2026), "de verhalen": None})
    ... except InputError as exc:
    ...     print(exc)
    jaar 1900 ligt buiten de gegevens: de metingen lopen van 2015 tot en met 2026;
    kies een jaar van 2015 tot en met 2027 (tot 1 jaar na de laatste gegevens)
    """
    allowed = year_range(spans)
    if allowed is None or allowed[0] <= year <= allowed[1]:
        return
    covered = " en ".join(
        f"{what} zijn van {first}"
        if first == last
        else f"{what} lopen van {first} tot en met {last}"
        for what, (first, last) in ((w, s) for w, s in spans.items() if s is not None)
    )
    raise InputError(
        f"jaar {year} ligt buiten de gegevens: {covered}; kies een jaar van {allowed[0]} "
        f"tot en met {allowed[1]} (tot {YEARS_AFTER_LAST} jaar na de laatste gegevens)"
    )
