"""Names come from the registry: the report of an invented programme names only its places.

The registry, agenda and demo series are copied with every Dordt West name
replaced by an invented one (ids too, so every reference still resolves);
measurements and stories are invented. The report, its figures' alt text
and captions, and the figure labels must then not name Dordt West,
Dordrecht or any of its neighbourhoods.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from npdw_learning.cli import build_parser
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.registry import load_registry
from npdw_learning.tellen.figures import parity_legend_label, parity_target_label, plot_pillar

matplotlib.use("agg")

# Longest first: "Dordt West" before "Dordt", ids before labels do not overlap.
SUBSTITUTIONS = [
    ("Nationaal Programma Dordt West", "Programma Zuiderhaven Vooruit"),
    ("Dordt West", "Zuiderhaven"),
    ("dordt-west", "zuiderhaven"),
    ("Oud-Krispijn", "Oostkade"),
    ("oud-krispijn", "oostkade"),
    ("Nieuw-Krispijn", "Westkade"),
    ("nieuw-krispijn", "westkade"),
    ("Krispijn", "Kade"),
    ("krispijn", "kade"),
    ("Wielwijk", "Molenwijk"),
    ("wielwijk", "molenwijk"),
    ("Crabbehof", "Bloemhof"),
    ("crabbehof", "bloemhof"),
    ("Dordtse", "Havenstadse"),
    ("Dordrecht", "Havenstad"),
    ("dordrecht", "havenstad"),
    ("Dordt", "Haven"),
    ("dordt", "haven"),
    ("NPDW", "PZV"),
]
FORBIDDEN = re.compile(r"dordt|dordrecht|krispijn|wielwijk|crabbehof", re.IGNORECASE)
SYNTH = "synthetisch (verzonnen testprogramma)"


def invent(text: str) -> str:
    for old, new in SUBSTITUTIONS:
        text = text.replace(old, new)
    assert not FORBIDDEN.search(text), FORBIDDEN.search(text)
    return text


def copy_invented(src: Path, dst: Path, pattern: str = "*.yaml") -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.glob(pattern)):
        (dst / f.name).write_text(invent(f.read_text(encoding="utf-8")), encoding="utf-8")


STORY = """---
id: {id}
date: 2025-0{month}-10
area: {area}
teller: bewoner
channel: buurtbakkie
pillars:
- {pillar}
change: {change}
consent: publiceren
title: {title}
synthetic: true
---
{text}
"""


def write_stories(folder: Path) -> None:
    folder.mkdir()
    stories = [
        ("zh-001", 3, "oostkade", "veilig", "beter", "Licht op het plein",
         "Sinds er lantaarns op het plein staan, loop ik 's avonds weer naar de bushalte."),
        ("zh-002", 4, "molenwijk", "wonen", "slechter", "Vocht in de flat",
         "De schimmel in de badkamer komt na elke schoonmaak terug; de verhuurder reageert niet."),
        ("zh-003", 5, "bloemhof", "werk", "gemengd", "Werk via het buurthuis",
         "Via het buurthuis vond ik een baan in de zorg, maar de reistijd is lang."),
    ]  # fmt: skip
    for ident, month, area, pillar, change, title, text in stories:
        (folder / f"{ident}.md").write_text(
            STORY.format(
                id=ident,
                month=month,
                area=area,
                pillar=pillar,
                change=change,
                title=title,
                text=text,
            ),  # fmt: skip
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def invented(tmp_path_factory) -> Path:
    """The data and story folders of the invented programme 'Zuiderhaven'."""
    root = tmp_path_factory.mktemp("zuiderhaven")
    data = root / "data"
    copy_invented(DATA_DIR / "registry", data / "registry")
    copy_invented(DATA_DIR / "registry" / "national", data / "registry" / "national")
    copy_invented(DATA_DIR / "agenda", data / "agenda")
    copy_invented(DATA_DIR / "demo", data / "demo", "*.csv")
    m = data / "measurements"
    m.mkdir()
    (m / "levering_2024.csv").write_text(
        "indicator,area,year,value,source\n"
        f"stress,oostkade,2023,27,{SYNTH}\n"
        f"stress,westkade,2023,26,{SYNTH}\n",
        encoding="utf-8",
    )
    (m / "2026_correctie.csv").write_text(
        "indicator,area,year,value,source\n"
        f"stress,oostkade,2023,29,{SYNTH}\n"
        f"stress,westkade,2031,20,{SYNTH}\n",
        encoding="utf-8",
    )
    (m / "deliveries.yaml").write_text(
        "deliveries:\n"
        "  - file: levering_2024.csv\n    delivered: 2024-06-01\n    supplier: GGD Haven\n"
        "  - file: 2026_correctie.csv\n    delivered: 2026-02-01\n    supplier: GGD Haven\n",
        encoding="utf-8",
    )
    write_stories(root / "stories")
    return root


ECHOED: list[str] = []


@pytest.fixture(scope="module")
def report(invented) -> str:
    from npdw_learning.evaluatie.runner import evaluate

    path = evaluate(
        2026,
        data_dir=invented / "data",
        stories_dir=invented / "stories",
        out_dir=invented / "uit",
        demo=True,
        echo=ECHOED.append,
        pdf=False,  # names are checked in the HTML the PDF is made from
    )
    return path.read_text(encoding="utf-8")


def test_the_invented_registry_loads_with_its_own_names(invented):
    reg = load_registry(invented / "data" / "registry")
    assert reg.programme_name == "Programma Zuiderhaven Vooruit"
    assert (reg.reference_label, reg.aggregate_label) == ("Havenstad", "Zuiderhaven")


def test_report_names_only_the_invented_programme(report):
    # Embedded images are base64: by chance they can spell "DORdt"; their labels are
    # checked on the figures themselves below.
    text = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "data:image", report)
    hits = sorted({m.group(0) for m in FORBIDDEN.finditer(text)})
    assert hits == []
    assert "Jaarlijkse evaluatie van het Programma Zuiderhaven Vooruit, 2026" in report
    assert "Wijken: Oostkade, Westkade, Molenwijk, Bloemhof." in report


def test_figure_alt_text_and_captions_use_the_reference_from_the_registry(report):
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', report)
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", report, re.S)
    tellen = [a for a in alts if a.startswith("Lijngrafieken van de pijler")]
    assert tellen and captions
    assert all("in Havenstad (stippellijn)" in a for a in tellen)
    assert any("Havenstad zwart gestippeld" in c for c in captions)


def test_evaluate_prints_every_override_with_both_files_and_values(report):
    assert "Vervangen waarden (1): de latere levering wint" in ECHOED
    [line] = [m for m in ECHOED if m.startswith("  stress, oostkade, 2023")]
    assert ": 27 uit " in line and "levering_2024.csv (rij 2, levering 2024-06-01)" in line
    assert "-> 29 uit " in line and "2026_correctie.csv (rij 2, levering 2026-02-01)" in line


def test_report_lists_the_override_and_the_figures_after_the_evaluation_year(report):
    assert "Vervangen waarden" in report
    shown = report.replace("<wbr>", "")  # break points in file names
    assert "2026_correctie.csv" in shown and "levering_2024.csv" in shown
    assert "<td>2023</td>" in report  # the year as a year, not "2.023"
    assert "1 cijfer(s) uit jaren na het evaluatiejaar 2026 zijn weggelaten" in report


def test_figure_labels_come_from_the_reference_label():
    assert parity_target_label("Havenstad") == "doel: gelijk aan Havenstad"
    assert parity_legend_label("Havenstad", 2043) == "Havenstad doorgetrokken tot 2043"


def test_every_text_in_a_figure_of_the_invented_programme(invented):
    reg = load_registry(invented / "data" / "registry")
    goal = next(g for g in reg.operational_goals.itertuples() if g.target_type == "parity")
    ind = goal.indicators[0]
    areas = ["oostkade", "havenstad", "zuiderhaven"]
    m = pd.DataFrame(
        [
            {"indicator": ind, "area": a, "year": y, "value": 40.0 + i + (y - 2018) * 0.5}
            for i, a in enumerate(areas)
            for y in range(2018, 2026)
        ]
    )
    progress = pd.DataFrame(
        {
            "indicator": ind,
            "area": ["oostkade", "zuiderhaven"],
            "target_type": "parity",
            "target_value": 0.0,
            "target_year": 2043,
        }
    )
    pillar = reg.indicators.set_index("id").at[ind, "pillar"]
    fig = plot_pillar(
        m,
        reg.indicators,
        progress,
        pillar,
        pillar_label="Pijler",
        area_labels=reg.area_labels(),
        reference=reg.reference,
        aggregate=reg.aggregate_id,
    )
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert "doel: gelijk aan Havenstad" in texts
    assert "Havenstad doorgetrokken tot 2043" in texts
    assert not [t for t in texts if FORBIDDEN.search(t)]
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_cli_help_names_no_programme_and_no_fixed_number_of_neighbourhoods():
    parser = build_parser()
    texts = [parser.format_help()]
    for action in parser._subparsers._group_actions:
        for sub in action.choices.values():
            texts.append(sub.format_help())
    helptext = "\n".join(texts)
    assert not FORBIDDEN.search(helptext)
    assert "vier" not in helptext and "NPDW" not in helptext
