"""What the ``npdw`` commands print: one line per message, findings, a count.

Every room's ``cli`` module prints through these, so all commands write to
standard output in the same way and exit with the same codes.
"""

from __future__ import annotations

from collections.abc import Sequence

from .errors import Finding

__all__ = ["EXIT_OK", "EXIT_INPUT", "echo", "report_findings", "findings_summary"]

EXIT_OK, EXIT_INPUT = 0, 1


def echo(msg: str = "") -> None:
    """Print one line at once (progress shows while a long command runs)."""
    print(msg, flush=True)


def report_findings(findings: Sequence[Finding], *, limit: int | None = None) -> None:
    """Print findings one per line; past ``limit``, say how many more there are."""
    shown = findings if limit is None else findings[:limit]
    for f in shown:
        echo(str(f))
    if limit is not None and len(findings) > limit:
        echo(f"... en nog {len(findings) - limit} (zie data_quality.csv)")


def findings_summary(findings: Sequence[Finding]) -> str:
    """``"2 fout(en), 3 waarschuwing(en)"``."""
    n_err = sum(f.severity == "error" for f in findings)
    n_warn = sum(f.severity == "warning" for f in findings)
    return f"{n_err} fout(en), {n_warn} waarschuwing(en)"
