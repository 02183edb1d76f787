"""The method's parameters as the report states them, from the constants the code uses.

A sentence in the report that names a parameter (the minimum number of points
for a trend, the false discovery rate, the progress thresholds, the small-cell
threshold) never writes the number itself. Report prose in a notebook
(a Markdown cell tagged ``rapport:...``) writes ``{{min_points_word}}``;
:func:`fill` replaces it with the value from :func:`method_values` when the
report is assembled, and a code-built sentence formats the constant directly.
Change a constant and every sentence follows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

from ..kern.programme import ProgrammeFolder

__all__ = ["method_values", "fill", "dutch_number", "percent", "PLACEHOLDER"]

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_WORDS = (
    *("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"),
    *("elf", "twaalf"),
)


def dutch_number(n: int) -> str:
    """A small count as a Dutch word (``4`` -> ``"vier"``), a larger one as digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def percent(fraction: float) -> str:
    """``0.95`` -> ``"95%"``, ``0.025`` -> ``"2,5%"`` (Dutch decimal comma)."""
    return f"{fraction * 100:g}".replace(".", ",") + "%"


def _first_significant_length(alpha: float) -> int:
    """The shortest series whose most extreme two-sided Kendall p (2 / n!) is below alpha."""
    n = 2
    while 2 / math.factorial(n) >= alpha:
        n += 1
    return n


def method_values() -> dict[str, str]:
    """Every method parameter the report names, formatted for Dutch prose.

    Read at call time, so a changed constant shows at once.

    Examples
    --------
    >>> values = method_values()
    >>> values["min_points"], values["min_points_word"], values["fdr"]
    ('4', 'vier', '5%')
    """
    from ..tellen import progress, trends
    from ..vertellen import analysis
    from . import joint

    significant = _first_significant_length(trends.FDR_ALPHA)
    return {
        "min_points": str(trends.MIN_POINTS),
        "min_points_word": dutch_number(trends.MIN_POINTS),
        "first_significant_word": dutch_number(max(significant, trends.MIN_POINTS)),
        "fdr": percent(trends.FDR_ALPHA),
        "interval": percent(trends.INTERVAL),
        "on_track": percent(progress.ON_TRACK),
        "moderate": percent(progress.MODERATE),
        "min_cell": str(analysis.MIN_CELL),
        "min_cell_word": dutch_number(analysis.MIN_CELL),
        "min_stories_word": dutch_number(joint.MIN_STORIES),
    }


def fill(text: str, values: Mapping[str, str], *, where: str = "rapporttekst") -> str:
    """Replace every ``{{name}}`` in ``text``; an unknown name is an error naming it.

    >>> fill("minder dan {{min_points_word}} jaren", {"min_points_word": "vier"})
    'minder dan vier jaren'
    """

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            known = ", ".join(sorted(values))
            raise ValueError(
                f"{where}: onbekende methodewaarde {{{{{name}}}}}; bekend zijn {known}"
            )
        return values[name]

    return PLACEHOLDER.sub(value, text)


README_START = "<!-- methode:begin (gemaakt door npdw_learning.evaluatie.method.readme_table) -->"
README_END = "<!-- methode:eind -->"


def readme_table() -> str:
    """The README's table of method parameters, from the same constants as the report."""
    from ..tellen import progress, trends
    from ..vertellen import analysis
    from . import joint

    rows = [
        (
            "Minimum points for a trend or a progress status",
            trends.MIN_POINTS,
            "tellen.trends.MIN_POINTS",
        ),
        (
            "False discovery rate (Benjamini-Hochberg) for a verdict",
            percent(trends.FDR_ALPHA),
            "tellen.trends.FDR_ALPHA",
        ),
        ("Confidence level of every interval", percent(trends.INTERVAL), "tellen.trends.INTERVAL"),
        (
            "RAR at or above which a series is on track",
            progress.ON_TRACK,
            "tellen.progress.ON_TRACK",
        ),
        (
            "RAR at or above which progress is moderate",
            progress.MODERATE,
            "tellen.progress.MODERATE",
        ),
        (
            "Smallest story count shown (smaller shows as `<n`)",
            analysis.MIN_CELL,
            "vertellen.analysis.MIN_CELL",
        ),
        ("Fewest stories that give a direction", joint.MIN_STORIES, "evaluatie.joint.MIN_STORIES"),
    ]
    lines = [
        README_START,
        "| Parameter | Value | Constant |",
        "|---|---|---|",
        *(f"| {what} | {value} | `{where}` |" for what, value, where in rows),
        "",
        f"The over-asking threshold is a setting in `data/{ProgrammeFolder.research_file}` "
        "(`settings.overasking_threshold`); the report states the value it read.",
        README_END,
    ]
    return "\n".join(lines)
