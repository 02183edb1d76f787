"""Error types. Input errors are expected and shown without a traceback.

The CLI catches :class:`InputError` and prints its message; ``npdw evaluate``
also catches :class:`EvaluationError` (a notebook failed). Anything else is a
bug and keeps its traceback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

__all__ = [
    "Finding",
    "PREFIX",
    "renamed",
    "renamed_findings",
    "finding_lines",
    "PER_KIND",
    "InputError",
    "RegistryError",
    "MeasurementError",
    "EvaluationError",
]


# Every message of the CLI starts with one of these (Dutch, like the rest of what users read).
PREFIX = {"error": "FOUT", "warning": "WAARSCHUWING"}


@dataclass(frozen=True)
class Finding:
    """One data-quality finding, located as precisely as the input allows.

    ``row`` is the 1-based line number in the file as a spreadsheet shows it
    (the header is row 1); for YAML it is the line of the key or value to edit.
    ``column`` names a table's column, or in YAML the field; ``char`` is the
    1-based character position on the row (YAML: where the key or value
    starts, as an editor counts its columns). With ``char`` the finding reads
    ``rij 3, kolom 9, veld 'id'``; without, a table's ``rij 3, kolom 'id'``.
    """

    severity: str  # "error" | "warning"
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    indicator: str | None = None
    area: str | None = None
    year: int | None = None
    char: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", rij {self.row}"
        if self.char is not None:
            where += f", kolom {self.char}"
        if self.column:
            where += (
                f", veld '{self.column}'" if self.char is not None else f", kolom '{self.column}'"
            )
        return f"{PREFIX.get(self.severity, self.severity.upper())}: {where}: {self.message}"


def renamed(file: str, old: str, new: str) -> str:
    """``file`` with the name ``old`` replaced by ``new``, also in ``old [werkblad]``.

    A reader names a file by the path it opened; a run names it relative to its
    data folder, so that its tables hold no path of the machine.

    Examples
    --------
    >>> renamed("/a/data/measurements/x.xlsx [2025]", "/a/data/measurements/x.xlsx", "m/x.xlsx")
    'm/x.xlsx [2025]'
    >>> renamed("/a/data/other.csv", "/a/data/measurements/x.xlsx", "m/x.xlsx")
    '/a/data/other.csv'
    """
    if file == old or file.startswith(f"{old} ["):
        return new + file[len(old) :]
    return file


def renamed_findings(findings: Sequence[Finding], old: str, new: str) -> list[Finding]:
    """``findings`` with the file ``old`` named ``new`` (see :func:`renamed`)."""
    return [replace(f, file=renamed(f.file, old, new)) for f in findings]


PER_KIND = 20  # findings of one kind shown before the rest is counted
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


def _kind(f: Finding) -> tuple[str, str, str]:
    """What makes findings "the same kind": severity, file and message without its details."""
    return f.severity, f.file, _VARYING.sub("…", f.message)


def finding_lines(findings: Sequence[Finding], *, per_kind: int = PER_KIND) -> list[str]:
    """One line per finding; past ``per_kind`` of one kind, one line that counts the rest.

    A header with 100,000 unknown columns gives 20 lines and a count, not
    100,000 lines. The findings keep their order.

    Examples
    --------
    >>> many = [Finding("warning", "a.csv", f"onbekende kolom 'k{i}'") for i in range(25)]
    >>> lines = finding_lines([Finding("error", "a.csv", "fout", row=2), *many])
    >>> len(lines), lines[-1]
    (22, "... en nog 5 waarschuwing(en) van deze soort in a.csv (zoals: onbekende kolom 'k20')")
    """
    shown: dict[tuple[str, str, str], int] = {}
    rest: dict[tuple[str, str, str], list[Finding]] = {}
    lines: list[str] = []
    for f in findings:
        key = _kind(f)
        shown[key] = shown.get(key, 0) + 1
        if shown[key] <= per_kind:
            lines.append(str(f))
        else:
            rest.setdefault(key, []).append(f)
    for (severity, file, _), hidden in rest.items():
        what = "fout(en)" if severity == "error" else "waarschuwing(en)"
        lines.append(
            f"... en nog {len(hidden)} {what} van deze soort in {file} (zoals: {hidden[0].message})"
        )
    return lines


class InputError(Exception):
    """A file a person or partner edited is wrong. Carries its findings."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = list(findings or [])

    def __str__(self) -> str:
        head = self.args[0]
        if not self.findings:
            return head
        if (
            len(self.findings) == 1
            and f"{self.findings[0].file}: {self.findings[0].message}" in head
        ):
            return head  # the one finding says what the head says
        return head + "\n" + "\n".join(f"  {line}" for line in finding_lines(self.findings))


class RegistryError(InputError):
    """The programme registry (data/registry/*.yaml) is inconsistent."""


class MeasurementError(InputError):
    """A measurements file cannot be read or breaks a validation rule."""


class EvaluationError(Exception):
    """A notebook failed; the message names the notebook, the cell and the error.

    Not an :class:`InputError`: the inputs passed their checks, the run itself
    broke (the previous outputs stay). ``kept`` is the folder where the failed
    build was kept for inspection, once the run has put it there.
    """

    kept = None
