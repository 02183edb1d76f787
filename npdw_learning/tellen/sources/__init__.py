"""Indicator sources for ``npdw fetch SOURCE``: the interface and the registry.

A source turns figures from outside (an open-data service, a partner's file)
into measurements in the long format. Each module of this package defines
``SOURCE``, one :class:`IndicatorSource`; :func:`indicator_sources` reads them
all, and ``npdw fetch`` offers each by its name, so a new source is a new
module here and nothing else has to name it.

The contract
------------
A source **gets** a :class:`FetchRequest`: the programme folder (``folder``, a
:class:`~npdw_learning.kern.programme.ProgrammeFolder`: every path in it, such as
``folder.cbs_mapping_file``, comes from there) and its registry, the year range
the user asked for (``first``, ``last``; None when not given), the file the
command will write (``out``), the folder of recorded answers for a run
without internet (``offline``; None online), the source's own options
(``options``, from :attr:`IndicatorSource.add_arguments`) and ``say``, to
print a progress line.

It **returns** a :class:`Fetched`: a DataFrame in the long measurement format
(``MEASUREMENT_COLUMNS`` of ``tellen.measurements``: ``indicator, area, year,
value, n, se, source, note``; ids from the registry, one row per indicator x
area x year), a JSON-able ``record`` of what it read (it goes into the
manifest), ``warnings`` (:class:`~npdw_learning.kern.errors.Finding`),
``notes`` (Dutch lines shown after writing) and, when it knows better than
:attr:`IndicatorSource.supplier` who delivered the figures, ``supplier``.

It **writes nothing**. ``npdw fetch`` checks the figures with the rules every
delivery meets, writes ``out`` atomically with its manifest
(``<out>.manifest.json``), adds it to the delivery register when it is in the
programme's ``measurements/`` and reports which values it replaces.

A source may also write a **national file** (:mod:`npdw_learning.tellen.national`:
every region of the country, for comparisons) when its own options ask for
one (``npdw fetch cbs --national``): :attr:`IndicatorSource.national_file`
then gives the file's default name, and ``fetch`` returns the frame in the
national format (``NATIONAL_COLUMNS``) instead of measurements. ``npdw fetch``
checks it as :func:`~npdw_learning.tellen.national.read_national` would,
writes it (Parquet, or CSV by ``--out``'s extension) with its manifest and
leaves the delivery register alone: it is no delivery.

It **reports an error** by raising :class:`~npdw_learning.kern.errors.InputError`
(or a subclass) with a Dutch message naming file, row and column where it can,
and all problems at once (``InputError(message, findings)``); the command then
prints ``FOUT: ...``, exits 1 and writes nothing.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...kern.plugins import discover

if TYPE_CHECKING:
    import pandas as pd

    from ...kern.errors import Finding
    from ...kern.programme import ProgrammeFolder
    from ...kern.registry import Registry

__all__ = [
    "FetchRequest",
    "Fetched",
    "IndicatorSource",
    "check_fetched",
    "indicator_sources",
    "revisions",
]


@dataclass(frozen=True)
class FetchRequest:
    """What a source gets (see the module's contract)."""

    folder: ProgrammeFolder
    first: int | None
    last: int | None
    out: Path
    offline: Path | None
    options: Mapping[str, Any] = field(default_factory=dict)
    say: Callable[[str], None] = print

    @property
    def registry(self) -> Registry:
        """The programme's registry (read once per folder)."""
        return self.folder.registry


@dataclass
class Fetched:
    """What a source returns (see the module's contract)."""

    frame: pd.DataFrame
    record: dict[str, Any] = field(default_factory=dict)
    warnings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    supplier: str | None = None


@dataclass(frozen=True)
class IndicatorSource:
    """One source of ``npdw fetch``.

    Attributes
    ----------
    name : str
        The word after ``npdw fetch``; lowercase.
    label : str
        How the messages name the figures' origin ("CBS").
    help, description : str
        Dutch: the line in ``npdw fetch --help`` and the text of ``npdw fetch NAME --help``.
    default_file : str or callable
        The file name in the programme's ``measurements/`` when ``--out`` is not
        given; or ``default_file(options) -> str`` when it follows the source's
        own options (a file source keeps the partner's file name).
    supplier : str
        The supplier written into the delivery register (unless
        :attr:`Fetched.supplier` names another).
    fetch : callable
        ``fetch(request: FetchRequest) -> Fetched``.
    add_arguments : callable, optional
        ``add_arguments(parser)`` adds the source's own options; their values
        reach ``fetch`` as ``request.options``. Every source has ``--data``,
        ``--from``, ``--to``, ``--out`` and ``--offline``.
    national_file : callable, optional
        ``national_file(options) -> str | None``: the default name of the
        national file when the options ask for one (then ``fetch`` returns a
        national frame), else None.
    """

    name: str
    label: str
    help: str
    description: str
    default_file: str | Callable[[Mapping[str, Any]], str]
    supplier: str
    fetch: Callable[[FetchRequest], Fetched]
    add_arguments: Callable[[argparse.ArgumentParser], None] | None = None
    national_file: Callable[[Mapping[str, Any]], str | None] | None = None

    def national_name(self, options: Mapping[str, Any]) -> str | None:
        """The national file's default name when ``options`` ask for one, else None."""
        return self.national_file(options) if self.national_file is not None else None

    def file_name(self, options: Mapping[str, Any]) -> str:
        """The file name in ``measurements/`` for these options (:attr:`default_file`)."""
        return (
            self.default_file if isinstance(self.default_file, str) else self.default_file(options)
        )

    def __post_init__(self) -> None:
        if not self.name.isidentifier() or self.name != self.name.lower():
            raise ValueError(f"source name {self.name!r}: lowercase letters, digits and _")
        if isinstance(self.default_file, str) and not self.default_file.endswith(".csv"):
            raise ValueError(f"source {self.name}: default_file must be a .csv file")


@cache
def indicator_sources() -> Mapping[str, IndicatorSource]:
    """Every source by name: the ``SOURCE`` of each module of this package.

    Raises
    ------
    TypeError
        If a module has no ``SOURCE`` of type :class:`IndicatorSource`.
    ValueError
        If two sources share a name.

    Examples
    --------
    >>> "cbs" in indicator_sources()
    True
    """
    return discover(__name__, "SOURCE", IndicatorSource)


# -- what npdw fetch does with every source's figures ---------------------------------


def check_fetched(frame: pd.DataFrame, registry: Registry, label: str) -> list[Finding]:
    """Check fetched figures with the rules every delivery meets (units, ranges).

    The frame is written to a temporary file and read back with
    :func:`~npdw_learning.tellen.measurements.read_measurement_file`, so the
    fetched file is read exactly as ``npdw validate`` will read it.

    Returns
    -------
    list of Finding
        The warnings, the file named "(opgehaalde <label>-cijfers)".

    Raises
    ------
    InputError
        With the errors (a percentage above 100 after a wrong conversion, ...).
    """
    import tempfile

    from ...kern.atomic import write_csv
    from ...kern.errors import Finding, InputError
    from ..measurements import read_measurement_file

    with tempfile.TemporaryDirectory() as tmp:
        path = write_csv(frame, Path(tmp) / "fetched.csv")
        _, findings = read_measurement_file(path, registry)
    shown = [
        Finding(f.severity, f"(opgehaalde {label}-cijfers)", f.message, f.row, f.column)
        for f in findings
    ]
    errors = [f for f in shown if f.severity == "error"]
    if errors:
        raise InputError("De opgehaalde cijfers breken de regels; er is niets geschreven", errors)
    return shown


def revisions(previous: pd.DataFrame | None, frame: pd.DataFrame) -> list[str]:
    """The values the source changed since the previous fetch into the same file (Dutch lines)."""
    from ...kern.atomic import FLOAT_FORMAT

    if previous is None or previous.empty:
        return []
    key = ["indicator", "area", "year"]
    old = previous[[*key, "value"]].rename(columns={"value": "old"})
    both = frame[[*key, "value"]].merge(old, on=key)
    # compare as written: the file keeps FLOAT_FORMAT's significant digits
    shown = both["value"].map(lambda v: FLOAT_FORMAT % v) != both["old"].map(
        lambda v: FLOAT_FORMAT % v
    )
    changed = both[shown]
    return [
        f"  {r.indicator}, {r.area}, {r.year}: {r.old:g} -> {r.value:g}"
        for r in changed.itertuples(index=False)
    ]
