"""The delivery register: which files a run reads, and which one is the later delivery.

``data/measurements/deliveries.yaml`` lists each file in the folder with the
date it was delivered and its supplier. The order it gives (oldest first:
demo series, registered files by date, unregistered files, ``--measurements``
files) decides which value wins for the same figure in
:func:`~npdw_learning.tellen.measurements.resolve`; the file name never does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ..kern.atomic import write_text
from ..kern.dates import parse_date
from ..kern.errors import Finding, InputError
from ..kern.inputfile import read_input_text
from ..kern.programme import ProgrammeFolder
from ..kern.yamlfile import YamlChecker, literal

__all__ = [
    "DELIVERIES_FILE",
    "Delivery",
    "plan_deliveries",
    "delivery_label",
    "register_delivery",
]

# The register, in the measurements folder.
DELIVERIES_FILE = Path(ProgrammeFolder.deliveries_file).name
UNREGISTERED = "niet in het register"
EXTRA = "opgegeven met --measurements"
DEMO = "demoreeks"


def delivery_label(delivered: object) -> str:
    """How messages name a delivery: ``levering 2026-03-01``, or why it has no date.

    Examples
    --------
    >>> delivery_label("2026-03-01"), delivery_label("niet in het register")
    ('levering 2026-03-01', 'niet in het register')
    """
    text = "" if not isinstance(delivered, str) else delivered
    return f"levering {text}" if re.match(r"^\d{4}-\d{2}-\d{2}$", text) else text


@dataclass(frozen=True)
class Delivery:
    """One file a run reads and its place in the order of precedence.

    ``origin`` is ``demo``, ``register`` (listed in ``deliveries.yaml``),
    ``unregistered`` (in the folder, not in the register) or ``extra``
    (``--measurements``). ``order`` is the rank: higher wins; equal ranks
    have no order between them. ``delivered`` is the ISO date of a
    registered file, else a Dutch word for the origin (see :func:`delivery_label`).
    ``name`` is how tables and messages name the file: relative to the data folder
    (``measurements/bijlage3.csv``), a ``--measurements`` file as given.
    """

    path: Path
    origin: str
    order: int
    delivered: str = ""
    supplier: str = ""
    name: str = ""


def _shown_name(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (with ``/``) when it lies inside it, else as given.

    Examples
    --------
    >>> _shown_name(Path("/a/data/measurements/x.csv"), Path("/a/data"))
    'measurements/x.csv'
    >>> _shown_name(Path("levering.csv"), Path("/a/data"))
    'levering.csv'
    """
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _as_date(value: object) -> dt.date | None:
    """A delivery date as the register may write it (2026-03-01 or 1-3-2026), else None."""
    try:
        return parse_date(value, dutch=True)
    except ValueError:
        return None


def _read_register(
    mdir: Path, present: Sequence[Path], root: Path
) -> tuple[list[dict], list[Finding], set[str]]:
    """The valid entries of ``deliveries.yaml`` (file, date, supplier, position), the
    findings, and every file name the register mentions (valid or not); findings name
    the register relative to ``root``, the data folder."""
    path = mdir / DELIVERIES_FILE
    if not path.exists():
        return [], [], set()
    findings: list[Finding] = []
    chk, data = YamlChecker.read(
        path, findings, what="leveringsregister", name=_shown_name(path, root)
    )
    if data is None:
        return [], findings, set()
    items = data.get("deliveries")
    if not isinstance(items, list):
        message = f"verwacht 'deliveries:' met een lijst van leveringen, niet {literal(items)}"
        chk.error(("deliveries",), "", "deliveries", message)
        return [], findings, set()
    names = {p.name for p in present}
    entries, seen = [], {}
    for i, item in enumerate(items):
        entry = _register_entry(chk, item, i, names, seen)
        if entry is not None:
            entries.append(entry)
    return entries, findings, set(seen)


def _register_entry(
    chk: YamlChecker, item: object, i: int, names: set[str], seen: dict[str, int | None]
) -> dict | None:
    """One entry of the register checked (problems reported on ``chk``), or None;
    records its file in ``seen``."""
    path, where = ("deliveries", i), f"levering nummer {i + 1}"
    if not isinstance(item, dict):
        chk.error(path, where, "deliveries", "verwacht velden file, delivered en supplier")
        return None
    file = chk.text(item, path, where, "file")
    if file is None:
        return None
    where = f"levering {literal(file)}"
    if file in seen:
        also = f" (ook op rij {seen[file]})" if seen[file] else ""
        chk.error((*path, "file"), where, "file", f"staat twee keer in het register{also}")
        return None
    seen[file] = chk.line((*path, "file"))
    date = chk.date(item, path, where, "delivered", dutch=True)
    supplier = chk.text(item, path, where, "supplier")
    if date is None or supplier is None:
        return None
    if file not in names:
        folder = Path(chk.file).parent.as_posix()
        chk.warning((*path, "file"), where, "file", f"staat in het register maar niet in {folder}/")
        return None
    return {"file": file, "date": date, "supplier": supplier, "pos": i}


def plan_deliveries(
    data_dir: str | Path,
    extra: Iterable[str | Path] = (),
    *,
    demo: bool = False,
    demo_dir: str | Path | None = None,
) -> tuple[list[Delivery], list[Finding]]:
    """The files a run reads and their order of precedence (later wins).

    Oldest first: synthetic demo series; the files in ``deliveries.yaml`` by
    delivery date (same date: the later entry); files in the folder that are
    not in the register (reported; equal rank among themselves); files given
    with ``--measurements`` in the order given. Never by file name.

    Returns
    -------
    deliveries : list of Delivery
        In precedence order.
    findings : list of Finding
        Register problems (file and line) and unregistered files.
    """
    folder = ProgrammeFolder(data_dir)
    data_dir, mdir = folder.root, folder.measurements_dir
    found = sorted(p for p in mdir.glob("*") if p.suffix.lower() in (".csv", ".xlsx"))
    entries, findings, mentioned = _read_register(mdir, found, data_dir)
    out: list[Delivery] = []
    if demo:
        ddir = Path(demo_dir) if demo_dir is not None else folder.demo_dir
        demo_files = sorted(p for p in ddir.glob("*") if p.suffix.lower() in (".csv", ".xlsx"))
        out += [Delivery(p, "demo", 0, DEMO) for p in demo_files]
    order = 1
    for e in sorted(entries, key=lambda e: (e["date"], e["pos"])):
        out.append(Delivery(mdir / e["file"], "register", order, str(e["date"]), e["supplier"]))
        order += 1
    unregistered = [p for p in found if p.name not in mentioned]
    # Without a register a single file needs no order; otherwise say which files lack one.
    speak = (mdir / DELIVERIES_FILE).exists() or len(found) > 1
    for p in unregistered:
        out.append(Delivery(p, "unregistered", order, UNREGISTERED))
        if speak:
            findings.append(
                Finding(
                    "warning",
                    _shown_name(p, data_dir),
                    f"staat niet in {_shown_name(mdir / DELIVERIES_FILE, data_dir)}: telt als "
                    "nieuwste levering (na de geregistreerde); zet het bestand daar met "
                    "leverdatum en leverancier",
                )
            )
    if unregistered:
        order += 1
    out = [replace(d, name=_shown_name(d.path, data_dir)) for d in out]
    for p in extra:
        out.append(Delivery(Path(p), "extra", order, EXTRA, name=str(p)))
        order += 1
    return out, findings


_NEW_REGISTER = """# Leveringsregister: welk bestand in deze map wanneer en door wie geleverd is.
# Voor hetzelfde (indicator, gebied, jaar) wint de latere levering. Zie data/README.md.
deliveries:
"""


def _entries_for(text: str, file: str, path: Path) -> tuple[YamlChecker, list[tuple[int, dict]]]:
    """A checker of the register's text and its entries for ``file`` (position, entry);
    an unreadable register is an input error."""
    try:
        chk, data = YamlChecker.from_text(text, str(path))
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: geen geldige YAML ({exc}); herstel het register eerst") from None
    data = {"deliveries": []} if data is None else data
    items = data.get("deliveries") if isinstance(data, dict) else None
    if items is None and isinstance(data, dict) and "deliveries" in data:
        items = []
    if not isinstance(items, list):
        raise InputError(f"{path}: verwacht 'deliveries:' met een lijst; herstel het register")
    found = [
        (i, e)
        for i, e in enumerate(items)
        if isinstance(e, dict) and str(e.get("file", "")).strip() == file
    ]
    return chk, found


def _set_date(lines: list[str], chk: YamlChecker, i: int, iso: str) -> bool:
    """Replace the ``delivered:`` value of entry ``i`` where the checker found it."""
    place = ("deliveries", i, "delivered")
    if place not in chk.spots:
        return False  # this entry has no date line
    spot = chk.spot(place)
    line = lines[spot.line - 1]
    head, rest = line[: spot.char - 1], line[spot.char - 1 :]
    m = re.match(r"^([^#\n]*?)(\s*#.*)?(\n?)$", rest)
    if m is None or not head.rstrip().endswith(":"):
        return False  # a date written over several lines or in a flow mapping
    lines[spot.line - 1] = f"{head}{iso}{m[2] or ''}{m[3]}"
    return True


def register_delivery(
    mdir: str | Path, file: str, delivered: dt.date, supplier: str, *, comment: str = ""
) -> str:
    """Put ``file`` in ``deliveries.yaml`` with this delivery date (add it, or update its date).

    The rest of the register, comments included, is left as it is; the
    register is written atomically and read back before it replaces the old one.

    Returns
    -------
    str
        ``"added"``, ``"updated"`` or ``"unchanged"``.

    Raises
    ------
    InputError
        The register cannot be read, or names the file in a way this cannot update.
    """
    path = Path(mdir) / DELIVERIES_FILE
    text = read_input_text(path, kind="yaml", what="leveringsregister") if path.exists() else None
    text = _NEW_REGISTER if text is None else text
    iso = delivered.isoformat()
    chk, found = _entries_for(text, file, path)
    if len(found) > 1:
        raise InputError(f"{path}: '{file}' staat er {len(found)} keer in; houd er één over")
    lines = text.splitlines(keepends=True)
    if found:
        position, entry = found[0]
        if _as_date(entry.get("delivered")) == delivered:
            return "unchanged"
        if not _set_date(lines, chk, position, iso):
            raise InputError(
                f"{path}: kan de leverdatum van '{file}' niet bijwerken; zet die met de hand "
                f"op {iso}"
            )
        status = "updated"
    else:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        note = f"   # {comment}" if comment else ""
        lines += [f"  - file: {file}\n", f"    delivered: {iso}{note}\n"]
        lines += [f"    supplier: {supplier}\n"]
        status = "added"
    new = "".join(lines)
    _, check = _entries_for(new, file, path)
    if len(check) != 1 or _as_date(check[0][1].get("delivered")) != delivered:
        raise InputError(f"{path}: het bijgewerkte register klopt niet; zet '{file}' met de hand")
    write_text(new, path)
    return status
