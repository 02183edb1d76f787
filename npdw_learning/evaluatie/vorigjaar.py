"""What changed since last year's evaluation: two runs' tables side by side.

``npdw evaluate --year Y`` compares its tables with those of an earlier
evaluation made by this tool: the folder given with ``--previous``, or by
default the sibling ``<out>/../<Y-1>/`` when it holds one (recognised by its
``manifest.json``, :mod:`.manifest`). :func:`choose_previous` decides which,
before anything is written; :func:`compare` is a pure function over two sets
of tables and gives ``tables/veranderd_sinds_vorig_jaar.csv``
(:data:`CHANGE_COLUMNS`, one row per change, ``kind`` one of :data:`KINDS`):

* ``cell`` - a status-matrix cell (``statusoverzicht.csv``, indicator x area)
  whose reading or outcome changed; ``before``/``after`` as ``reading:outcome``;
* ``question_status`` / ``question_evidence`` - a learning question whose
  status or evidence label changed (``leervragen_bewijs.csv`` when both years
  have it, else the status from ``leervragen.csv``);
* ``lesson_new`` / ``lesson_changed`` - a lesson that is new, or whose status or
  text changed (``lessen.csv``);
* ``effort_status`` - an effort whose status changed (``inspanningen.csv``);
* ``theme_stories`` - the number of stories of a theme, per area and in total,
  as ``thema_per_wijk.csv`` shows it (small counts hidden as there).

The earlier folder is outside data: it may come from an older version of the
tool, hold other areas or indicators, or miss or garble a table. What can be
compared is compared, the rest is named in :attr:`Comparison.notes`; nothing
in it raises. Its files are read through :mod:`npdw_learning.kern.inputfile`,
its text reaches the report only as values of
:func:`~npdw_learning.evaluatie.report.show_markdown` (literal text) and the
CSV only formula-inert (:func:`~npdw_learning.kern.atomic.write_csv`).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..kern.atomic import unformula_text
from ..kern.errors import InputError
from ..kern.inputfile import read_input_bytes, read_input_text

if TYPE_CHECKING:
    from .steps import Run

__all__ = [
    "CHANGES",
    "CHANGE_COLUMNS",
    "KINDS",
    "TABLES",
    "Previous",
    "PreviousChoice",
    "Comparison",
    "read_previous",
    "choose_previous",
    "read_tables",
    "compare",
    "cell_grade",
    "value_label",
    "ChangesStep",
    "changes_step",
]

CHANGES = "veranderd_sinds_vorig_jaar"  # tables/veranderd_sinds_vorig_jaar.csv
CHANGE_COLUMNS = ["kind", "id", "area", "before", "after"]
KINDS = (
    "cell",
    "question_status",
    "question_evidence",
    "lesson_new",
    "lesson_changed",
    "effort_status",
    "theme_stories",
)
# The tables compared, with the columns each needs.
TABLES = {
    "statusoverzicht": ("indicator", "area", "reading", "outcome"),
    "leervragen": ("id", "status"),
    "leervragen_bewijs": ("question", "status", "evidence"),
    "lessen": ("id", "lesson", "status"),
    "inspanningen": ("id", "status"),
    "thema_per_wijk": ("theme", "totaal"),
}
MANIFEST = "manifest.json"  # as :data:`.manifest.MANIFEST` (not imported: no import cycle)


# -- which earlier evaluation ---------------------------------------------------------


@dataclass(frozen=True)
class Previous:
    """An earlier evaluation of this tool: its folder and what its manifest records."""

    folder: Path
    year: int
    version: str
    areas: tuple[str, ...]
    manifest_sha256: str

    def manifest_entry(self) -> dict:
        return {
            "path": str(self.folder),
            "year": self.year,
            "npdw_learning": self.version,
            "manifest_sha256": self.manifest_sha256,
        }


@dataclass(frozen=True)
class PreviousChoice:
    """The earlier evaluation a run compares with, or None and why (``reason``, Dutch)."""

    previous: Previous | None
    reason: str
    warning: bool = False  # a folder was there but is no usable evaluation

    def manifest_entry(self) -> dict:
        entry = self.previous.manifest_entry() if self.previous else {"path": None}
        return {**entry, "reason": self.reason}


def read_previous(folder: str | Path) -> Previous:
    """The manifest of the evaluation in ``folder``.

    Raises
    ------
    InputError
        ``folder`` is missing, not a folder, or holds no readable manifest of
        ``npdw evaluate`` (with the year, the areas and the tool's version).
    """
    folder = Path(folder).resolve()
    if not folder.exists():
        raise InputError(f"{folder}: de map bestaat niet")
    if not folder.is_dir():
        raise InputError(f"{folder}: is geen map")
    path = folder / MANIFEST
    if not path.exists():
        raise InputError(f"{folder}: geen evaluatie van npdw evaluate ({MANIFEST} ontbreekt)")
    raw = read_input_bytes(path, kind="json", folder=folder, what=MANIFEST)
    try:
        data = json.loads(raw.decode("utf-8"))
        params = data["parameters"]
        year, version = params["year"], data["npdw_learning"]
        areas = params.get("areas", [])  # an older manifest may not say; the tables do
        if not isinstance(year, int) or isinstance(year, bool) or not isinstance(version, str):
            raise TypeError
        if not isinstance(areas, list) or not all(isinstance(a, str) for a in areas):
            raise TypeError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InputError(
            f"{path}: geen manifest van npdw evaluate (verwacht JSON met npdw_learning "
            "en parameters.year)"
        ) from None
    digest = hashlib.sha256(raw).hexdigest()
    return Previous(folder, year, version, tuple(areas), digest)


def _used(previous: Previous, how: str) -> PreviousChoice:
    return PreviousChoice(
        previous,
        f"Vergeleken met de evaluatie van {previous.year} in {previous.folder} ({how}; "
        f"gemaakt met npdw-learning {previous.version}).",
    )


def choose_previous(
    year: int, out_dir: str | Path, given: str | Path | None = None, *, skip: bool = False
) -> PreviousChoice:
    """The earlier evaluation the run of ``year`` into ``out_dir`` compares with.

    ``given`` (``--previous``) must be an earlier evaluation, else
    :class:`InputError`. Without it, the sibling folder ``<year - 1>`` of
    ``out_dir`` is used when it holds an evaluation of that year; otherwise
    there is no comparison and ``reason`` says why. ``skip``
    (``--no-previous``): no comparison.
    """
    if skip:
        return PreviousChoice(None, "Geen vergelijking met vorig jaar: --no-previous.")
    if given is not None:
        previous = read_previous(given)
        if previous.year >= year:
            raise InputError(
                f"{previous.folder}: is de evaluatie van {previous.year}; "
                f"--previous moet een eerder jaar zijn dan {year}"
            )
        return _used(previous, "--previous")
    sibling = Path(out_dir).resolve().parent / str(year - 1)
    if not sibling.exists():
        return PreviousChoice(
            None, f"Geen vergelijking met vorig jaar: er is geen evaluatie in {sibling}."
        )
    try:
        previous = read_previous(sibling)
    except InputError as exc:
        return PreviousChoice(None, f"Geen vergelijking met vorig jaar: {exc}.", warning=True)
    if previous.year != year - 1:
        return PreviousChoice(
            None,
            f"Geen vergelijking met vorig jaar: {sibling} is de evaluatie van {previous.year}, "
            f"niet van {year - 1}.",
            warning=True,
        )
    return _used(previous, "de map van vorig jaar")


# -- reading the tables ----------------------------------------------------------------


def _read_table(path: Path, folder: Path) -> pd.DataFrame:
    """One CSV as text cells (ids and numbers alike), formula guards removed."""
    text = read_input_text(path, kind="table", folder=folder, what="tabel")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    return frame.apply(lambda col: col.map(unformula_text))


def read_tables(tables_dir: str | Path) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The compared tables (:data:`TABLES`) of one run, and what is wrong with the others.

    A table that is missing, unreadable or without the columns it needs is left
    out and named in the returned notes (Dutch); nothing raises.
    """
    tables_dir = Path(tables_dir)
    found: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    for name, needed in TABLES.items():
        path = tables_dir / f"{name}.csv"
        if not path.exists():
            continue  # said per comparison, which knows whether the other year has it
        try:
            frame = _read_table(path, tables_dir)
        except (InputError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
            reason = "geen UTF-8" if isinstance(exc, UnicodeDecodeError) else str(exc)
            notes.append(f"{name}.csv is niet te lezen ({reason[:200]})")
            continue
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            notes.append(f"{name}.csv mist de kolom(men) {', '.join(missing)}")
            continue
        found[name] = frame
    return found, notes


# -- comparing -------------------------------------------------------------------------


@dataclass
class Comparison:
    """The changes (:data:`CHANGE_COLUMNS`) and what could not be compared (Dutch notes)."""

    changes: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The number of changes of every kind, in the order of :data:`KINDS`."""
        counted = self.changes["kind"].value_counts()
        return {kind: int(counted.get(kind, 0)) for kind in KINDS}


def _unique(frame: pd.DataFrame, keys: list[str], name: str, notes: list[str]) -> pd.DataFrame:
    doubled = frame.duplicated(keys)
    if doubled.any():
        notes.append(f"{name}.csv: {int(doubled.sum())} dubbele rij(en) overgeslagen")
    return frame[~doubled]


def _pairs(
    before: pd.DataFrame, after: pd.DataFrame, keys: list[str], name: str, notes: list[str]
) -> pd.DataFrame:
    """The rows of both years with the same ``keys``, columns suffixed ``_b`` and ``_a``."""
    before = _unique(before, keys, f"{name} (vorig jaar)", notes)
    after = _unique(after, keys, name, notes)
    return before.merge(after, on=keys, how="inner", suffixes=("_b", "_a"))


def _rows(kind: str, ids, areas, befores, afters) -> pd.DataFrame:
    frame = pd.DataFrame(
        {"id": list(ids), "area": list(areas), "before": list(befores), "after": list(afters)}
    )
    return frame.assign(kind=kind)[CHANGE_COLUMNS]


def _only_in(before: pd.Series, after: pd.Series, what: str, year: str) -> list[str]:
    """Notes on the values of one column found in one year only."""
    b, a = set(before), set(after)
    notes = []
    if b - a:
        notes.append(f"{what} alleen in {year}: {', '.join(sorted(b - a))}")
    if a - b:
        notes.append(f"{what} alleen in dit jaar: {', '.join(sorted(a - b))}")
    return notes


def _cells(before: pd.DataFrame, after: pd.DataFrame, year: str, notes: list[str]):
    keys = ["indicator", "area"]
    notes += _only_in(before["area"], after["area"], "Gebieden in het statusoverzicht", year)
    notes += _only_in(before["indicator"], after["indicator"], "Indicatoren", year)
    both = _pairs(before, after, keys, "statusoverzicht", notes)
    was = both["reading_b"] + ":" + both["outcome_b"]
    now = both["reading_a"] + ":" + both["outcome_a"]
    changed = both[was != now]
    return _rows("cell", changed["indicator"], changed["area"], was[was != now], now[was != now])


def _column_changes(kind, before, after, key, column, name, notes) -> pd.DataFrame:
    both = _pairs(before, after, [key], name, notes)
    changed = both[both[f"{column}_b"] != both[f"{column}_a"]]
    blank = [""] * len(changed)
    return _rows(kind, changed[key], blank, changed[f"{column}_b"], changed[f"{column}_a"])


def _questions(before, after, year: str, notes: list[str]) -> list[pd.DataFrame]:
    if "leervragen_bewijs" in before and "leervragen_bewijs" in after:
        b, a = before["leervragen_bewijs"], after["leervragen_bewijs"]
        args = ("question", "leervragen_bewijs", notes)
        return [
            _column_changes("question_status", b, a, args[0], "status", *args[1:]),
            _column_changes("question_evidence", b, a, args[0], "evidence", *args[1:]),
        ]
    notes.append(
        "Het bewijslabel per leervraag is niet te vergelijken: leervragen_bewijs.csv "
        + _missing("leervragen_bewijs", before, after)
    )
    if "leervragen" in before and "leervragen" in after:
        b, a = before["leervragen"], after["leervragen"]
        return [_column_changes("question_status", b, a, "id", "status", "leervragen", notes)]
    notes.append(
        "De status van de leervragen is niet te vergelijken: leervragen.csv "
        + _missing("leervragen", before, after)
    )
    return []


def _missing(name: str, before: Mapping, after: Mapping) -> str:
    """Where a table is missing, as the end of a note."""
    if name not in before and name not in after:
        return "ontbreekt in beide jaren (of is niet te lezen)"
    return f"ontbreekt {'vorig jaar' if name not in before else 'dit jaar'} (of is niet te lezen)"


def _lessons(before: pd.DataFrame, after: pd.DataFrame, notes: list[str]) -> list[pd.DataFrame]:
    after = _unique(after, ["id"], "lessen", notes)
    new = after[~after["id"].isin(set(before["id"]))]
    both = _pairs(before, after, ["id"], "lessen", notes)
    status = both[both["status_b"] != both["status_a"]]
    text = both[(both["status_b"] == both["status_a"]) & (both["lesson_b"] != both["lesson_a"])]
    return [
        _rows("lesson_new", new["id"], [""] * len(new), [""] * len(new), new["lesson"]),
        _rows(
            "lesson_changed",
            status["id"],
            [""] * len(status),
            status["status_b"],
            status["status_a"],
        ),
        _rows("lesson_changed", text["id"], [""] * len(text), text["lesson_b"], text["lesson_a"]),
    ]


def _theme_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """``theme_per_wijk`` long: theme, area (empty for the total), count as shown."""
    areas = [c for c in frame.columns if c != "theme"]
    long = frame.melt(id_vars="theme", value_vars=areas, var_name="area", value_name="count")
    return long.assign(area=long["area"].where(long["area"] != "totaal", ""))


def _themes(before: pd.DataFrame, after: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    keys = ["theme", "area"]
    both = _pairs(_theme_counts(before), _theme_counts(after), keys, "thema_per_wijk", notes)
    changed = both[both["count_b"] != both["count_a"]]
    return _rows(
        "theme_stories", changed["theme"], changed["area"], changed["count_b"], changed["count_a"]
    )


def compare(
    before: Mapping[str, pd.DataFrame], after: Mapping[str, pd.DataFrame], *, year: str
) -> Comparison:
    """Everything that changed between two runs' tables (:func:`read_tables`).

    ``year`` names the earlier run in the notes (``"2025"``). A table one of
    the two lacks is named in the notes; every value stays text.
    """
    notes: list[str] = []
    parts: list[pd.DataFrame] = []

    def both(name: str, what: str) -> bool:
        if name in before and name in after:
            return True
        notes.append(f"{what} niet te vergelijken: {name}.csv {_missing(name, before, after)}")
        return False

    if both("statusoverzicht", "Het statusoverzicht is"):
        parts.append(_cells(before["statusoverzicht"], after["statusoverzicht"], year, notes))
    parts += _questions(before, after, year, notes)
    if both("lessen", "De lessen zijn"):
        parts += _lessons(before["lessen"], after["lessen"], notes)
    if both("inspanningen", "De status van de inspanningen is"):
        b, a = before["inspanningen"], after["inspanningen"]
        parts.append(_column_changes("effort_status", b, a, "id", "status", "inspanningen", notes))
    if both("thema_per_wijk", "Het aantal verhalen per thema is"):
        parts.append(_themes(before["thema_per_wijk"], after["thema_per_wijk"], notes))
    frames = [p for p in parts if len(p)]
    changes = (
        pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=CHANGE_COLUMNS)
    )
    return Comparison(changes.astype(str).reset_index(drop=True), notes)


def value_label(kind: object, value: object) -> str:
    """A ``before`` or ``after`` of the table as a reader sees it: a cell's
    ``reading:outcome`` as the status matrix labels it, a status or evidence code by
    its label (:mod:`.labels`); anything else, or a value an older tool wrote that
    this version does not know, as it is. Empty for nothing."""
    from .labels import EFFORT_STATUS_NL, EVIDENCE_NL, QUESTION_STATUS_NL
    from .status import CELL_STYLES

    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value)
    if kind == "cell":
        reading, _, outcome = text.partition(":")
        style = CELL_STYLES.get((reading, outcome))
        return style.label if style is not None else text
    words = {
        "question_status": QUESTION_STATUS_NL,
        "question_evidence": EVIDENCE_NL,
        "effort_status": EFFORT_STATUS_NL,
    }.get(str(kind), {})
    return words.get(text, text)


def cell_grade(value: str) -> int | None:
    """The grade (2 .. -2, None: no judgement) of a ``reading:outcome`` cell value;
    None too for a value this version does not know (an older tool's)."""
    from .status import CELL_STYLES

    reading, _, outcome = str(value).partition(":")
    style = CELL_STYLES.get((reading, outcome))
    return style.grade if style is not None else None


# -- the step ---------------------------------------------------------------------------


@dataclass
class ChangesStep:
    """What :func:`changes_step` found: the earlier run (None: no comparison), the
    comparison and the notes on what could not be compared."""

    previous: Previous | None
    comparison: Comparison
    notes: list[str]


def _version_notes(previous: Previous, run: Run) -> list[str]:
    from ..kern.version import __version__

    notes = []
    if previous.version != __version__:
        notes.append(
            f"De evaluatie van {previous.year} is gemaakt met npdw-learning {previous.version}, "
            f"deze met {__version__}; wat toen anders werd vastgelegd, staat hieronder"
        )
    if previous.areas and set(previous.areas) != set(run.areas):
        notes.append(
            f"De evaluatie van {previous.year} ging over andere wijken "
            f"({', '.join(previous.areas)}); alleen de gedeelde zijn vergeleken"
        )
    return notes


def changes_step(run: Run) -> ChangesStep:
    """Compare the run's tables with those of ``run.previous`` and write
    ``tables/veranderd_sinds_vorig_jaar.csv``; without ``run.previous`` nothing is
    compared or written (``previous`` of the result is None)."""
    if run.previous is None:
        return ChangesStep(None, Comparison(pd.DataFrame(columns=CHANGE_COLUMNS)), [])
    previous = read_previous(run.previous)
    before, before_notes = read_tables(previous.folder / "tables")
    after, after_notes = read_tables(run.tables_dir)
    comparison = compare(before, after, year=str(previous.year))
    notes = [
        *_version_notes(previous, run),
        *(f"Vorig jaar: {n}" for n in before_notes),
        *(f"Dit jaar: {n}" for n in after_notes),
        *comparison.notes,
    ]
    run.write_table(comparison.changes, CHANGES)
    return ChangesStep(previous, comparison, notes)
