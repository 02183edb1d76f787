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
from ..kern.errors import Finding, InputError, renamed_findings
from ..kern.inputfile import read_input_text
from ..kern.programme import ProgrammeFolder
from ..kern.yamlfile import line_index, load_text, read_yaml

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


_DATE_NL = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            m = _DATE_NL.match(text)
            if m:
                try:
                    return dt.date(int(m[3]), int(m[2]), int(m[1]))
                except ValueError:
                    return None
    return None


def _read_register(
    mdir: Path, present: Sequence[Path], root: Path
) -> tuple[list[dict], list[Finding], set[str]]:
    """The valid entries of ``deliveries.yaml`` (file, date, supplier, position), the
    findings, and every file name the register mentions (valid or not); findings name
    the register relative to ``root``, the data folder."""
    path = mdir / DELIVERIES_FILE
    name = _shown_name(path, root)
    if not path.exists():
        return [], [], set()
    try:
        data, node = read_yaml(path, what="leveringsregister")
    except InputError as exc:
        return [], renamed_findings(exc.findings, str(path), name), set()
    lines = line_index(node)
    items = data.get("deliveries") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return (
            [],
            [Finding("error", name, "verwacht 'deliveries:' met een lijst van leveringen", row=1)],
            set(),
        )
    names = {p.name for p in present}
    entries, findings, seen = [], [], {}
    for i, item in enumerate(items):
        entry, problems = _register_entry(item, i, lines, name, names, seen)
        findings += problems
        if entry is not None:
            entries.append(entry)
    return entries, findings, set(seen)


def _register_entry(
    item: object,
    i: int,
    lines: dict,
    name: str,
    names: set[str],
    seen: dict[str, int | None],
) -> tuple[dict | None, list[Finding]]:
    """One entry of the register checked: ``(entry or None, findings)``; records it in ``seen``."""
    row = lines.get(("deliveries", i))

    def refuse(message: str, field: str | None, severity: str = "error"):
        at = lines.get(("deliveries", i, field), row) if field else row
        return None, [Finding(severity, name, message, row=at, column=field)]

    if not isinstance(item, dict):
        return refuse("verwacht file, delivered en supplier", None)
    file, when, supplier = item.get("file"), item.get("delivered"), item.get("supplier")
    if not isinstance(file, str) or not file.strip():
        return refuse("'file' ontbreekt", "file")
    file = file.strip()
    if file in seen:
        return refuse(
            f"'{file}' staat twee keer in het register (ook op regel {seen[file]})", "file"
        )
    seen[file] = lines.get(("deliveries", i, "file"), row)
    date = _as_date(when)
    if date is None:
        return refuse(
            f"leverdatum van '{file}' is {when!r}; verwacht een datum als 2026-03-01", "delivered"
        )
    if not isinstance(supplier, str) or not supplier.strip():
        return refuse(f"leverancier van '{file}' ontbreekt", "supplier")
    if file not in names:
        folder = Path(name).parent.as_posix()
        return refuse(f"'{file}' staat in het register maar niet in {folder}/", "file", "warning")
    return {"file": file, "date": date, "supplier": supplier.strip(), "pos": i}, []


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


def _entries_for(text: str, file: str, path: Path) -> list[dict]:
    """The register's entries for ``file``; an unreadable register is an input error."""
    try:
        data = load_text(text) if text.strip() else {"deliveries": []}
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: geen geldige YAML ({exc}); herstel het register eerst") from None
    items = data.get("deliveries") if isinstance(data, dict) else None
    if items is None and isinstance(data, dict) and "deliveries" in data:
        items = []
    if not isinstance(items, list):
        raise InputError(f"{path}: verwacht 'deliveries:' met een lijst; herstel het register")
    return [e for e in items if isinstance(e, dict) and str(e.get("file", "")).strip() == file]


def _set_date(lines: list[str], start: int, iso: str) -> bool:
    """Replace the ``delivered:`` value of the entry that starts at line ``start``."""
    indent = len(lines[start]) - len(lines[start].lstrip())
    for i in range(start, len(lines)):
        line = lines[i]
        stripped = line.lstrip()
        if i > start and stripped and (len(line) - len(stripped) <= indent):
            return False  # the next entry or section: this one has no date line
        m = re.match(r"^(\s*(?:-\s+)?delivered:\s*)([^#\n]*?)(\s*#.*)?(\n?)$", line)
        if m:
            lines[i] = f"{m[1]}{iso}{m[3] or ''}{m[4]}"
            return True
    return False


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
    found = _entries_for(text, file, path)
    if len(found) > 1:
        raise InputError(f"{path}: '{file}' staat er {len(found)} keer in; houd er één over")
    lines = text.splitlines(keepends=True)
    if found:
        if _as_date(found[0].get("delivered")) == delivered:
            return "unchanged"
        pattern = re.compile(rf"^\s*-\s+file:\s*['\"]?{re.escape(file)}['\"]?\s*(#.*)?$")
        start = next((i for i, line in enumerate(lines) if pattern.match(line.rstrip("\n"))), None)
        if start is None or not _set_date(lines, start, iso):
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
    check = _entries_for(new, file, path)
    if len(check) != 1 or _as_date(check[0].get("delivered")) != delivered:
        raise InputError(f"{path}: het bijgewerkte register klopt niet; zet '{file}' met de hand")
    write_text(new, path)
    return status
