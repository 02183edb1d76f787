"""Error types. Input errors are expected and shown without a traceback.

The CLI catches :class:`InputError` and prints its message; ``npdw evaluate``
also catches :class:`EvaluationError` (a notebook failed). Anything else is a
bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Finding",
    "InputError",
    "RegistryError",
    "MeasurementError",
    "EvaluationError",
]


@dataclass(frozen=True)
class Finding:
    """One data-quality finding, located as precisely as the input allows.

    ``row`` is the 1-based line number in the file as a spreadsheet shows it
    (the header is row 1); for YAML it is the line of the entry when known.
    """

    severity: str  # "error" | "warning"
    file: str
    message: str
    row: int | None = None
    column: str | None = None
    indicator: str | None = None
    area: str | None = None
    year: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", rij {self.row}"
        if self.column:
            where += f", kolom '{self.column}'"
        return f"{self.severity.upper()}: {where}: {self.message}"


class InputError(Exception):
    """A file a person or partner edited is wrong. Carries its findings."""

    def __init__(self, message: str, findings: list[Finding] | None = None) -> None:
        super().__init__(message)
        self.findings = list(findings or [])

    def __str__(self) -> str:
        head = self.args[0]
        if not self.findings:
            return head
        return head + "\n" + "\n".join(f"  {f}" for f in self.findings)


class RegistryError(InputError):
    """The programme registry (data/registry/*.yaml) is inconsistent."""


class MeasurementError(InputError):
    """A measurements file cannot be read or breaks a validation rule."""


class EvaluationError(Exception):
    """A notebook failed; the message names the notebook, the cell and the error.

    Not an :class:`InputError`: the inputs passed their checks, the run itself
    broke (the previous outputs stay).
    """
