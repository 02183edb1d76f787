"""What every output built on synthetic demo data says, in one place.

The demo series (``data/demo/``) and the example stories are invented; a
figure, a command's output and the report each carry a warning so that no one
mistakes them for real figures. The report's warning names what is invented
and what is not (:class:`DataOrigin`): an evaluation may hold imported, real
stories beside the invented examples, or real deliveries beside the demo
series.
"""

from __future__ import annotations

from dataclasses import dataclass

from .programme import ProgrammeFolder

__all__ = ["FIGURE_BANNER", "COMMAND_BANNER", "MARKER_FILE", "DataOrigin"]

# The red line on a figure (short: it must fit above the plot).
FIGURE_BANNER = "SYNTHETISCHE DEMODATA — geen echte cijfers"
# What `npdw trends` prints and writes beside its outputs.
COMMAND_BANNER = (
    f"LET OP: deze uitvoer bevat SYNTHETISCHE DEMODATA (data/{ProgrammeFolder.demo_dir}/). "
    "Dit zijn geen echte cijfers; gebruik ze alleen om de werkwijze te laten zien."
)
MARKER_FILE = "LET_OP_SYNTHETISCHE_DEMODATA.txt"


def _stories(n: int) -> str:
    return f"{n} verhaal" if n == 1 else f"{n} verhalen"


@dataclass(frozen=True)
class DataOrigin:
    """What of an evaluation is invented and what is real.

    Attributes
    ----------
    demo_series : bool
        The demo series were used (``--demo``) and gave at least one figure.
    synthetic_stories, real_stories : int
        The stories of the chosen areas with ``synthetic: true`` in their front
        matter, and those without it (imported from a real export).
    data : str
        The data folder as the warning names it (``data``).
    """

    demo_series: bool
    synthetic_stories: int
    real_stories: int
    data: str = "data"
    # The comparison with comparable wijken used the synthetic demo panel (no national file).
    synthetic_comparison: bool = False

    @classmethod
    def from_manifest(cls, manifest: dict) -> DataOrigin:
        """What an earlier evaluation's ``manifest.json`` says was invented and real.

        A manifest of an older version lists only the invented kinds: its stories then
        count as invented (one of each, so the warning still names them).

        >>> DataOrigin.from_manifest({"synthetic": ["measurements"],
        ...     "stories": {"synthetic": 0, "real": 12}}).short()[:47]
        'LET OP: synthetische demodata (demoreeksen); tr'
        """
        kinds = manifest.get("synthetic") or []
        stories = manifest.get("stories") or {"synthetic": int("stories" in kinds), "real": 0}
        return cls(
            demo_series="measurements" in kinds,
            synthetic_stories=int(stories.get("synthetic", 0)),
            real_stories=int(stories.get("real", 0)),
            synthetic_comparison="comparison" in kinds,
        )

    @property
    def parts(self) -> list[str]:
        """``measurements``, ``stories`` and/or ``comparison``: which kinds of data are
        (partly) invented."""
        return [
            name
            for name, invented in (
                ("measurements", self.demo_series),
                ("stories", self.synthetic_stories > 0),
                ("comparison", self.synthetic_comparison),
            )
            if invented
        ]

    def banner(self) -> str:
        """The warning at the top of the report and after ``npdw evaluate``; empty when
        nothing is invented.

        >>> print(DataOrigin(True, 60, 15).banner())
        LET OP: dit rapport gebruikt SYNTHETISCHE DEMODATA. Verzonnen, om de werkwijze te
        laten zien: de demoreeksen in data/demo/ (elk cijfer dat niet in data/measurements/
        staat) en 60 van de 75 verhalen (voorbeeldverhalen met 'synthetic: true'). Echt zijn:
        de cijfers in data/measurements/ (zoals de nulmeting) en 15 geïmporteerde verhalen.
        Trek uit de verzonnen delen geen conclusies over de wijken.
        """
        if not self.parts:
            return ""
        invented, real = [], []
        delivered = f"{self.data}/{ProgrammeFolder.measurements_dir}/"
        if self.demo_series:
            invented.append(
                f"de demoreeksen in {self.data}/{ProgrammeFolder.demo_dir}/ "
                f"(elk cijfer dat niet in {delivered} staat)"
            )
            real.append(f"de cijfers in {delivered} (zoals de nulmeting)")
        else:
            real.append(f"alle cijfers (uit {delivered})")
        total = self.synthetic_stories + self.real_stories
        if self.synthetic_stories:
            some = "alle" if self.synthetic_stories == total else f"{self.synthetic_stories} van de"
            invented.append(f"{some} {_stories(total)} (voorbeeldverhalen met 'synthetic: true')")
        if self.real_stories == 1:
            real.append("1 geïmporteerd verhaal")
        elif self.real_stories:
            real.append(f"{self.real_stories} geïmporteerde verhalen")
        if self.synthetic_comparison:
            invented.append("de vergelijkingswijken uit het hele land (een synthetisch demopanel)")
        none_real = " Er is nog geen echt (geïmporteerd) verhaal." if not self.real_stories else ""
        return (
            f"LET OP: dit rapport gebruikt SYNTHETISCHE DEMODATA. Verzonnen, om de werkwijze te "
            f"laten zien: {' en '.join(invented)}. Echt zijn: {' en '.join(real)}.{none_real} "
            "Trek uit de verzonnen delen geen conclusies over de wijken."
        )

    def short(self) -> str:
        """The one line on every printed page (the PDF's running warning); empty when
        nothing is invented.

        >>> print(DataOrigin(True, 60, 15).short())
        LET OP: synthetische demodata (demoreeksen; 60 van de 75 verhalen); trek er geen
        conclusies uit over de wijken.
        """
        if not self.parts:
            return ""
        total = self.synthetic_stories + self.real_stories
        named = ["demoreeksen"] if self.demo_series else []
        if self.synthetic_stories == total and total:
            named.append(f"alle {_stories(total)}")
        elif self.synthetic_stories:
            named.append(f"{self.synthetic_stories} van de {_stories(total)}")
        if self.synthetic_comparison:
            named.append("vergelijkingswijken")
        return (
            f"LET OP: synthetische demodata ({'; '.join(named)}); "
            "trek er geen conclusies uit over de wijken."
        )
