"""The notebook parameters as papermill hands them over, read and checked.

``papermill nb.ipynb out.ipynb -p areas '["wielwijk", "crabbehof"]'`` gives
the notebook the *text* of the list (papermill's ``-p`` turns only numbers and
``True``/``False``/``None`` into values; ``-y 'areas: [wielwijk, crabbehof]'``
gives a list). :func:`parse_areas`, :func:`parse_year` and :func:`parse_demo`
accept both, and refuse in Dutch, with the papermill way to write it, what
they cannot read. :func:`data_spans` gives the years the data of a run
covers, for :func:`~npdw_learning.kern.years.check_year`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..kern.errors import InputError
from ..kern.programme import ProgrammeFolder
from ..kern.years import span

__all__ = [
    "PAPERMILL",
    "parse_areas",
    "parse_year",
    "parse_demo",
    "parse_previous",
    "parse_national",
    "data_spans",
]

# How each parameter is written on papermill's command line (the parameters cells show the same).
PAPERMILL = {
    "year": "-p year 2025",
    "data_dir": "-p data_dir data",
    "stories_dir": "-p stories_dir stories",
    "out_dir": "-p out_dir outputs/verkenning/2025",
    "areas": """-p areas '["wielwijk", "crabbehof"]'""",
    "demo": "-p demo False",
    "previous": "-p previous outputs/2025",
    "national": "-p national landelijk.parquet",
}


def _refused(name: str, value: object, what: str) -> InputError:
    return InputError(
        f"parameter {name}: {str(value)[:80]!r} is {what}; geef bijvoorbeeld {PAPERMILL[name]}"
        + (" of -y 'areas: [wielwijk, crabbehof]'" if name == "areas" else "")
    )


def parse_areas(value: Sequence[str] | str | None) -> list[str]:
    """The chosen areas as a list; empty means all (the caller's default).

    A text is read as JSON or YAML (``'["wielwijk", "crabbehof"]'``,
    ``[wielwijk, crabbehof]``) or as names separated by commas
    (``wielwijk,crabbehof``).

    >>> parse_areas('["wielwijk", "crabbehof"]')
    ['wielwijk', 'crabbehof']
    >>> parse_areas("wielwijk, crabbehof")
    ['wielwijk', 'crabbehof']
    >>> parse_areas(None)
    []
    >>> try:
    ...     parse_areas('["wielwijk", "crabbehof"')
    ... except InputError as exc:
    ...     print(exc)
    parameter areas: '["wielwijk", "crabbehof"' is geen lijst van wijken (JSON of YAML);
    geef bijvoorbeeld -p areas '["wielwijk", "crabbehof"]' of -y 'areas: [wielwijk, crabbehof]'
    """
    if value is None:
        return []
    if isinstance(value, str):
        value = _list_from_text(value)
    if not isinstance(value, list | tuple) or not all(isinstance(a, str) for a in value):
        raise _refused("areas", value, "geen lijst van wijken (JSON of YAML)")
    return [a.strip() for a in value if a.strip()]


def _list_from_text(text: str) -> list | object:
    import yaml

    from ..kern.yamlfile import load_text

    try:
        parsed = load_text(text)  # YAML 1.1 reads JSON too
    except yaml.YAMLError:
        raise _refused("areas", text, "geen lijst van wijken (JSON of YAML)") from None
    if parsed is None:
        return []
    return parsed.split(",") if isinstance(parsed, str) else parsed


def parse_year(value: int | str) -> int:
    """The evaluation year: a whole number, also as text (``papermill -r year 2025``).

    >>> parse_year("2025")
    2025
    >>> try:
    ...     parse_year("twintig")
    ... except InputError as exc:
    ...     print(exc)
    parameter year: 'twintig' is geen jaartal; geef bijvoorbeeld -p year 2025
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _refused("year", value, "geen jaartal")
    try:
        return int(str(value).strip())
    except ValueError:
        raise _refused("year", value, "geen jaartal") from None


def parse_previous(value: str | os.PathLike[str] | None) -> Path | None:
    """The folder of the earlier evaluation to compare with; None (or empty, or the text
    ``None`` papermill's ``-p`` may pass) for no comparison.

    >>> parse_previous("outputs/2025"), parse_previous("None"), parse_previous(None)
    (PosixPath('outputs/2025'), None, None)
    """
    if value is None:
        return None
    if not isinstance(value, str | os.PathLike):
        raise _refused("previous", value, "geen map")
    text = os.fspath(value).strip()
    return None if text in ("", "None") else Path(text)


def parse_national(value: str | os.PathLike[str] | None) -> Path | None:
    """The national file to compare the programme with (``npdw evaluate --national``); None
    (or empty, or the text ``None`` papermill's ``-p`` may pass) for the one ``cbs.yaml``
    names, or none.

    >>> parse_national("landelijk.parquet"), parse_national("None")
    (PosixPath('landelijk.parquet'), None)
    """
    if value is None:
        return None
    if not isinstance(value, str | os.PathLike):
        raise _refused("national", value, "geen bestand")
    text = os.fspath(value).strip()
    return None if text in ("", "None") else Path(text)


_TRUTH = {"true": True, "ja": True, "yes": True, "1": True, "false": False, "nee": False}
_TRUTH |= {"no": False, "0": False}


def parse_demo(value: bool | int | str) -> bool:
    """Whether to use the demo series: a boolean, 0/1, or the text of one.

    >>> parse_demo("false"), parse_demo("ja"), parse_demo(True)
    (False, True, True)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUTH:
        return _TRUTH[value.strip().lower()]
    raise _refused("demo", value, "geen True of False")


def data_spans(
    folder: ProgrammeFolder, *, demo: bool, year: int | None = None
) -> dict[str, tuple[int, int] | None]:
    """The first and last year of the measurements (with the demo series when ``demo``)
    and of the stories' dates: the data an evaluation year is checked against.

    Files with errors count with their valid rows; their errors are reported by
    the run itself (``npdw evaluate`` before it starts, a notebook in its step).
    ``year``, the evaluation year asked for, does not change the spans (measurements
    after it count in them); the measurements are read as the run reads them, so
    they are read once (:func:`~npdw_learning.tellen.measurements.measurements_in`).
    """
    from ..tellen.measurements import measurements_in
    from ..vertellen.stories import stories_in

    measured = measurements_in(folder, demo=demo, until_year=year).years
    told = span(s.date.year for s in stories_in(folder).stories)
    return {"de metingen": measured, "de verhalen": told}
