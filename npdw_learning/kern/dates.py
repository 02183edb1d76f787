"""Dates as a person writes them in a hand-edited file: whole, or known to the month or year.

:func:`parse_date` reads one day (``2026-03-15``, a YAML date, or the Dutch
``15-3-2026`` where a file allows it); :func:`parse_partial_date` also reads a
date known only to the month (``2026-03``) or the year (``2026``), as the
research register allows, and ``onbekend``. Every YAML file the toolkit checks
reads its dates through these two (via :meth:`.yamlfile.YamlChecker.date`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DATE_FORMS",
    "PARTIAL_DATE_FORMS",
    "UNKNOWN_DATE",
    "YEARS",
    "PartialDate",
    "parse_date",
    "parse_partial_date",
]

#: The word for a date that is not known yet (research register).
UNKNOWN_DATE = "onbekend"
#: The years a date in a hand-edited file may lie in (a typo like 20025 is refused).
YEARS = (2000, 2100)
#: How messages say what a date may look like.
DATE_FORMS = "JJJJ-MM-DD"
PARTIAL_DATE_FORMS = "JJJJ-MM-DD, JJJJ-MM, JJJJ of onbekend"

_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_DUTCH_DATE = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year.

    ``text`` is the date as written (``2025-03-14``, ``2025-03`` or ``2025``);
    ``first`` and ``last`` are the first and last day it can mean.
    """

    text: str
    first: dt.date
    last: dt.date


def _in_years(year: int) -> None:
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"jaar {year} ligt niet tussen {YEARS[0]} en {YEARS[1]}")


def parse_date(value: Any, *, dutch: bool = False) -> dt.date:
    """One day: a YAML date or ``JJJJ-MM-DD`` (with ``dutch`` also ``D-M-JJJJ``).

    Raises
    ------
    ValueError
        For anything else, a day that does not exist (``2025-02-30``) or a
        year outside :data:`YEARS`; the message says why, in Dutch, without
        repeating the value (the caller names it, as literal text).

    Examples
    --------
    >>> parse_date("2026-03-01"), parse_date("1-3-2026", dutch=True)
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    >>> parse_date("2026-02-30")
    Traceback (most recent call last):
    ...
    ValueError: geen bestaande dag
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str) and (m := _FULL_DATE.match(value.strip())):
        day = _day(value, int(m[1]), int(m[2]), int(m[3]))
    elif dutch and isinstance(value, str) and (m := _DUTCH_DATE.match(value.strip())):
        day = _day(value, int(m[3]), int(m[2]), int(m[1]))
    else:
        raise ValueError("geen datum")
    _in_years(day.year)
    return day


def _day(value: str, year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError("geen bestaande dag") from None


def parse_partial_date(value: Any) -> PartialDate | None:
    """Read a full or partial date as the research register allows it.

    Parameters
    ----------
    value : date, int or str
        ``YYYY-MM-DD`` (YAML gives a date), ``YYYY-MM``, ``YYYY`` (YAML may
        give an int) or ``"onbekend"``.

    Returns
    -------
    PartialDate or None
        ``None`` for ``onbekend``.

    Raises
    ------
    ValueError
        For anything else (a month 13, a year outside 2000-2100, free text).

    Examples
    --------
    >>> parse_partial_date("2025-02").last
    datetime.date(2025, 2, 28)
    >>> parse_partial_date(2025).first
    datetime.date(2025, 1, 1)
    >>> parse_partial_date("onbekend") is None
    True
    """
    if isinstance(value, bool):
        raise ValueError("geen datum")
    if isinstance(value, int):
        return _year(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lower() == UNKNOWN_DATE:
            return None
        if m := _MONTH.match(text):
            year, month = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise ValueError(f"maand {month} bestaat niet")
            _in_years(year)
            last = calendar.monthrange(year, month)[1]
            return PartialDate(text, dt.date(year, month, 1), dt.date(year, month, last))
        if _YEAR.match(text):
            return _year(int(text))
    day = parse_date(value)
    return PartialDate(day.isoformat(), day, day)


def _year(year: int) -> PartialDate:
    _in_years(year)
    return PartialDate(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
