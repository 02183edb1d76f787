"""An evaluation of some areas, with imported stories beside the invented ones.

The university partner chose two neighbourhoods and found the trends table still
holding all six areas; the intern imported real stories and the banner still
called every story invented. One run here does both: ``--areas wielwijk
crabbehof`` on a copy of the stories in which 15 are imported (no
``synthetic: true``), and checks every table, the report and the banner.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from npdw_learning.evaluatie import runner
from npdw_learning.evaluatie.steps import Run
from npdw_learning.kern.atomic import read_csv
from npdw_learning.kern.paths import PROJ_ROOT
from npdw_learning.kern.yamlfile import load_text

pytestmark = pytest.mark.slow

CHOSEN = ["wielwijk", "crabbehof"]
REAL = 15  # stories made "imported": their `synthetic: true` removed
# Tables that belong to the whole programme (no area in them), or are built only from
# tables that are limited (checked below on their own terms).
PROGRAMME_WIDE = {"leervragen", "lessen", "inspanningen", "dekking"}
FROM_CHOSEN_STORIES = {"verhalen_codes", "thema_per_verteller"}
FROM_CHOSEN_SERIES = {"vertellen_en_tellen", "voorgestelde_leervragen"}


def _banner(page: str) -> str:
    return re.search(r'<div class="banner" role="alert">([^<]*)</div>', page)[1]


def _front_matter(path) -> dict:
    text = path.read_text(encoding="utf-8")
    return load_text(text.split("---")[1])


@pytest.fixture(scope="module")
def chosen(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("keuze")
    stories = tmp / "verhalen"
    shutil.copytree(PROJ_ROOT / "stories", stories)
    for path in sorted(stories.glob("vt-*.md"))[:REAL]:
        text = path.read_text(encoding="utf-8")
        assert "\nsynthetic: true\n" in text
        path.write_text(text.replace("\nsynthetic: true\n", "\n", 1), encoding="utf-8")
    out = tmp / "uit"
    report = runner.evaluate(
        2026,
        stories_dir=stories,
        out_dir=out,
        areas=CHOSEN,
        demo=True,
        echo=lambda m: None,
        pdf=False,
    )
    heads = {p.stem: _front_matter(p) for p in stories.glob("vt-*.md")}
    return out, report.read_text(encoding="utf-8"), heads


def test_every_table_holds_only_the_chosen_areas(chosen):
    out, _, heads = chosen
    run = Run.from_parameters(2026, areas=CHOSEN)
    kept = set(run.kept_areas)  # the chosen, Dordt West and Dordrecht
    assert kept == {*CHOSEN, "dordt-west", "dordrecht"}
    chosen_stories = {i for i, h in heads.items() if h["area"] in CHOSEN}
    tables = {p.stem: read_csv(p) for p in sorted((out / "tables").glob("*.csv"))}
    assert {"trends", "progress", "changes", "breaks", "data_quality", "onderzoek"} <= set(tables)
    for name, table in tables.items():
        if "area" in table.columns:
            areas = set(table["area"].dropna().astype(str)) - {"", "totaal"}
            assert areas <= kept, (name, areas - kept)
            if name in ("trends", "progress"):
                assert set(CHOSEN) <= areas and "oud-krispijn" not in areas
        elif "areas" in table.columns:  # research: in a chosen area (or in none named)
            for listed in table["areas"].fillna("").astype(str):
                assert not listed or set(listed.split(";")) & set(CHOSEN), (name, listed)
        elif name == "thema_per_wijk":
            assert {c for c in table.columns if c not in ("theme", "totaal")} == set(CHOSEN)
        elif name == "kenmerkende_woorden":
            assert set(table["group"]) <= set(CHOSEN)
        elif name in FROM_CHOSEN_STORIES:
            if "story_id" in table.columns:
                assert set(table["story_id"]) <= chosen_stories, name
        elif name in FROM_CHOSEN_SERIES:
            pass  # below
        elif name == "leervragen_bewijs":  # every series and the quote from a chosen area
            for listed in table["readings"].fillna("").astype(str):
                series = [p.split("=")[0] for p in listed.split(";") if p]
                assert {s.split("@")[1] for s in series} <= set(CHOSEN), listed
            assert set(table["quote_story"].dropna()) <= chosen_stories
        else:
            assert name in PROGRAMME_WIDE, f"{name}.csv: no area column; which areas does it hold?"


def test_the_joint_display_counts_only_the_chosen_series(chosen):
    """Each series counts with its reading in the status matrix, in the chosen areas only;
    no direction: no reading, a change without a test, a target reached (a level)."""
    out, _, _ = chosen
    joint = read_csv(out / "tables" / "vertellen_en_tellen.csv")
    cells = read_csv(out / "tables" / "statusoverzicht.csv")
    pairs = list(zip(cells["reading"], cells["outcome"], strict=True))
    no_direction = {("change", "no_test"), ("progress", "target_reached")}
    cells["judged"] = [r != "none" and (r, o) not in no_direction for r, o in pairs]
    for row in joint.itertuples():
        indicators = [i for i in str(row.indicators).split(";") if i and i != "nan"]
        mine = cells[cells["indicator"].isin(indicators) & cells["area"].isin(CHOSEN)]
        judged = mine[mine["judged"]]
        assert int(row.series) == len(judged), row.goal
        counted = judged["reading"].value_counts()
        assert {
            p.split("=")[0]: int(p.split("=")[1]) for p in str(row.readings).split(";") if "=" in p
        } == {r: int(n) for r, n in counted.items()}, row.goal


def test_the_report_names_the_chosen_areas_and_what_the_tables_hold(chosen):
    _, page, _ = chosen
    subtitle = re.search(r'<p class="ondertitel">([^<]*)</p>', page)[1]
    assert subtitle.endswith(
        "Wijken: Wielwijk, Crabbehof (een keuze; Dordt West en Dordrecht ter vergelijking)."
    )
    assert "Dit rapport gaat alleen over Wielwijk en Crabbehof, niet over Oud-Krispijn en " in page
    assert "Nieuw-Krispijn. Elke tabel in" in page


def test_the_banner_counts_invented_and_imported_stories(chosen):
    out, page, heads = chosen
    shown = [h for h in heads.values() if h["area"] in CHOSEN]
    invented = sum(bool(h.get("synthetic")) for h in shown)
    real = len(shown) - invented
    assert 0 < real < len(shown)  # the copy holds both kinds in the chosen areas
    banner = _banner(page)
    assert "de demoreeksen in data/demo/" in banner
    assert f"{invented} van de {len(shown)} verhalen (voorbeeldverhalen met" in banner
    expected_real = "1 geïmporteerd verhaal" if real == 1 else f"{real} geïmporteerde verhalen"
    assert (
        f"Echt zijn: de cijfers in data/measurements/ (zoals de nulmeting) en {expected_real}"
        in (banner)
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["stories"] == {"synthetic": invented, "real": real}
    assert manifest["synthetic"] == ["measurements", "stories", "comparison"]
    # The printed page: the banner on the first page, the short warning on every page.
    from npdw_learning.evaluatie.pdf import box_texts, layout

    document = layout(page)
    first = " ".join(box_texts(document.pages[0]._page_box))
    assert f"{invented} van de {len(shown)} verhalen" in first and expected_real in first
    short = (
        f"LET OP: synthetische demodata (demoreeksen; {invented} van de {len(shown)} verhalen; "
        "vergelijkingswijken)"
    )
    for number, printed in enumerate(document.pages, start=1):
        assert short in " ".join(box_texts(printed._page_box)), number


def test_the_counts_come_from_the_chosen_stories_only(chosen):
    """The report counts the stories it shows: those of the chosen areas, not all."""
    _, page, heads = chosen
    banner = _banner(page)
    everywhere = sum(bool(h.get("synthetic")) for h in heads.values())
    chosen_only = sum(bool(h.get("synthetic")) for h in heads.values() if h["area"] in CHOSEN)
    assert everywhere > chosen_only
    assert f"{everywhere} van de" not in banner and f"{chosen_only} van de" in banner
