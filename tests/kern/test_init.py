"""``npdw init``: a programme folder for another focus area, refused cleanly when it cannot be.

The end-to-end test makes the invented programme "Zuiderhaven" with
``npdw init`` (in a temporary folder), adds a few invented measurements and
stories marked synthetic, and runs validate, agenda check and one
evaluation on it: the report names only the invented places and says what
is still empty.
"""

from __future__ import annotations

import filecmp
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from npdw_learning.cli import main
from npdw_learning.kern import scaffold
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.registry import ID_PATTERN, NATIONAL_DIR, load_registry
from npdw_learning.vertellen.coding import codebook_in
from npdw_learning.vertellen.stories import stories_in, vocabulary_in

FORBIDDEN = re.compile(r"dordt|dordrecht|krispijn|wielwijk|crabbehof", re.IGNORECASE)
NAME = "Programma Zuiderhaven Vooruit"
SYNTH = "synthetisch (verzonnen testprogramma)"


def init_args(folder: Path, *extra: str) -> list[str]:
    return [
        "init",
        str(folder),
        "--name",
        NAME,
        "--areas",
        "oostkade=Oostkade",
        "westkade=Westkade",
        "molenwijk=Molenwijk",
        "--reference",
        "havenstad=Havenstad",
        "--aggregate",
        "zuiderhaven=Zuiderhaven",
        *extra,
    ]


@pytest.fixture(scope="module")
def programme(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("nieuw") / "zuiderhaven"
    assert main(init_args(folder)) == 0
    return folder


# -- what init writes -------------------------------------------------------------


def test_the_national_part_is_copied_unchanged(programme):
    ours, theirs = (
        programme / "registry" / NATIONAL_DIR,
        ProgrammeFolder.bundled().registry_dir / NATIONAL_DIR,
    )
    names = sorted(p.name for p in theirs.glob("*.yaml"))
    assert names == sorted(p.name for p in ours.glob("*.yaml"))
    assert all(filecmp.cmp(ours / n, theirs / n, shallow=False) for n in names)


def test_the_registry_loads_with_the_given_names_and_areas(programme):
    reg = load_registry(programme / "registry")
    assert (reg.programme_name, reg.programme_short_name) == (NAME, "PZV")
    assert list(reg.areas["id"]) == [
        "oostkade",
        "westkade",
        "molenwijk",
        "zuiderhaven",
        "havenstad",
    ]
    assert (reg.reference_label, reg.aggregate_label) == ("Havenstad", "Zuiderhaven")
    assert dict(reg.aggregate_weights) == {"oostkade": 1, "westkade": 1, "molenwijk": 1}
    # Only the national core indicators, each under the placeholder goal of its pillar.
    bundled = ProgrammeFolder.bundled().registry
    national = set(bundled.indicators.loc[bundled.indicators["scope"] == "national", "id"])
    assert reg.indicator_ids == national and set(reg.indicators["scope"]) == {"national"}
    assert reg.indicators["core"].all()
    assert list(reg.operational_goals["id"]) == [f"og-{p}" for p in reg.pillars["id"]]
    assert set(reg.operational_goals["target_type"]) == {"none"}
    targets = reg.targets()
    assert set(targets["indicator"]) == national
    pillar_of = dict(zip(reg.indicators["id"], reg.indicators["pillar"], strict=True))
    assert all(
        g == f"og-{pillar_of[i]}" for i, g in zip(targets.indicator, targets.goal, strict=True)
    )


def test_the_weights_are_said_to_be_placeholders(programme):
    areas = (programme / "registry" / "areas.yaml").read_text(encoding="utf-8")
    assert "NOG IN TE VULLEN" in areas
    weight_source = yaml.safe_load(areas)["aggregate"]["weight_source"]
    assert weight_source.startswith("Nog in te vullen")
    readme = (programme / "README.md").read_text(encoding="utf-8")
    assert "**nog in te vullen**" in readme


def test_codebook_and_story_vocabulary_fit_the_new_registry(programme):
    folder = ProgrammeFolder(programme)
    book = codebook_in(folder)
    bundled = codebook_in(ProgrammeFolder.bundled())
    assert [t.id for t in book.themes] == [t.id for t in bundled.themes]
    assert all(t.goals == (f"og-{t.pillar}",) for t in book.themes)
    vocab = vocabulary_in(folder)
    assert set(vocab.areas) == {"oostkade", "westkade", "molenwijk", "zuiderhaven", "havenstad"}
    assert {"Havenstad", "Zuiderhaven", NAME, "PZV"} <= set(vocab.allowlist)
    assert not [n for n in vocab.allowlist + vocab.channels if FORBIDDEN.search(n)]
    assert len(stories_in(folder).stories) == 0


def test_local_files_are_empty_and_the_template_is_not_a_delivery(programme):
    for rel, key in (
        ("agenda/learning_questions.yaml", "learning_questions"),
        ("agenda/research.yaml", "research"),
        ("agenda/lessons.yaml", "lessons"),
        ("registry/efforts.yaml", "efforts"),
        ("registry/indicators.yaml", "indicators"),
        ("measurements/deliveries.yaml", "deliveries"),
    ):
        assert yaml.safe_load((programme / rel).read_text(encoding="utf-8"))[key] == [], rel
    template = programme / scaffold.TEMPLATE_DELIVERY
    assert template.read_text(encoding="utf-8").splitlines() == [
        "indicator,area,year,value,n,se,source,note"
    ]
    assert template.parent != programme / "measurements"  # never read as a delivery
    assert (programme / "stories" / "README.md").is_file()


def test_readme_lists_what_to_fill_in_in_order(programme):
    text = (programme / "README.md").read_text(encoding="utf-8")
    assert text.startswith(f"# {NAME} (PZV)")
    steps = [
        "registry/areas.yaml",
        "aggregate.weights",
        "registry/goals.yaml",
        "registry/indicators.yaml",
        "measurements/deliveries.yaml",
        "registry/codebook.yaml",
        "registry/efforts.yaml",
        "agenda/research.yaml",
        "npdw stories import",
        "npdw evaluate --year JJJJ",
    ]
    found = [text.find(s) for s in steps]
    assert -1 not in found and found == sorted(found), dict(zip(steps, found, strict=True))
    for ident in ("oostkade", "havenstad", "zuiderhaven", "arbeidsparticipatie"):
        assert f"`{ident}`" in text
    assert f"--data {programme}" in text and "registry/national/" in text


def test_validate_and_agenda_check_run_on_the_new_programme(programme, capsys):
    assert main(["validate", "--data", str(programme), "--year", "2026"]) == 0
    stories = str(programme / "stories")
    assert main(["agenda", "check", "--data", str(programme), "--stories", stories]) == 0
    out = capsys.readouterr()
    assert "0 fout(en)" in out.out and "Traceback" not in out.err
    assert f"Nog geen metingen: zet een levering in {programme / 'measurements'}" in out.out
    assert "Nog leeg: leervragen (agenda/learning_questions.yaml)" in out.out
    goals = ", ".join(f"og-{p}" for p in ("wonen", "gezond", "leren", "werk", "veilig"))
    assert f"5 x geen gecodeerde verhalen over dit doel: {goals}" in out.out


def test_text_that_yaml_would_read_as_something_else_stays_text(tmp_path):
    folder = tmp_path / "p"
    args = ["init", str(folder), "--name", 'Programma "Noord": #1', "--short-name", "yes"]
    args += ["--areas", "1=Wijk: Een", "null=No", "--reference", "true=Stad #2"]
    assert main(args) == 0
    reg = load_registry(folder / "registry")
    assert (reg.programme_name, reg.programme_short_name) == ('Programma "Noord": #1', "yes")
    assert reg.area_labels() == {
        "1": "Wijk: Een",
        "null": "No",
        "focusgebied": "Focusgebied",
        "true": "Stad #2",
    }


@given(st.text(max_size=30))
def test_any_area_text_parses_or_is_refused_with_a_scaffold_error(text):
    try:
        ident, label = scaffold.parse_area(text, "--areas")
    except scaffold.ScaffoldError as exc:
        assert str(exc).startswith("--areas ")
        return
    assert ID_PATTERN.match(ident) and label == " ".join(label.split()) and label
    assert text.partition("=")[0].strip() == ident


def test_an_empty_existing_folder_is_used(tmp_path):
    folder = tmp_path / "leeg"
    folder.mkdir()
    assert main(init_args(folder)) == 0
    assert (folder / "registry" / "programme.yaml").is_file()


# -- refused: a clear Dutch message, exit 1, nothing written ------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (["--areas", "Oost Kade=Oostkade"], "mag alleen kleine letters"),
        (["--areas", "oostkade"], "schrijf het gebied als ID=Naam"),
        (["--areas", "oostkade="], "schrijf het gebied als ID=Naam"),
        (["--areas", "oostkade=Oost", "oostkade=West"], "komt twee keer voor"),
        (
            ["--reference", "oostkade=Oostkade-stad"],
            "--reference oostkade: dit id is ook een wijk",
        ),
        (["--aggregate", "havenstad=Totaal"], "--aggregate havenstad: dit id is al gebruikt"),
        (["--areas", "oost=Kade", "west=Kade"], "staat ook bij --areas oost"),
        (["--name", "  "], "--name is leeg"),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_written(tmp_path, capsys, change, expected):
    folder = tmp_path / "nieuw"
    args = init_args(folder)
    for option in ("--areas", "--reference", "--aggregate", "--name"):
        if option in change:  # replace the option's values by the bad ones
            start = args.index(option)
            end = next((i for i in range(start + 1, len(args)) if args[i].startswith("--")), None)
            args[start : end or len(args)] = change
    assert main(args) == 1
    err = capsys.readouterr().err
    assert expected in err, err
    assert err.startswith("FOUT: ") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_that_is_not_empty_is_left_alone(tmp_path, capsys):
    folder = tmp_path / "bestaand"
    folder.mkdir()
    (folder / "aantekeningen.txt").write_text("van mij", encoding="utf-8")
    assert main(init_args(folder)) == 1
    assert "bestaat al en is niet leeg" in capsys.readouterr().err
    assert [p.name for p in folder.iterdir()] == ["aantekeningen.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bestaand"]


def test_a_file_in_the_way_is_refused(tmp_path, capsys):
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    assert main(init_args(tmp_path / "bestand")) == 1
    assert "bestaat al" in capsys.readouterr().err


def test_an_interrupted_init_leaves_no_folder_behind(tmp_path, monkeypatch, capsys):
    build = scaffold._build
    written: list[Path] = []

    def interrupt(folder, *args):
        build(folder, *args)  # every file is written, then Ctrl-C before the rename
        written.extend(folder.rglob("*"))
        raise KeyboardInterrupt

    monkeypatch.setattr(scaffold, "_build", interrupt)
    assert main(init_args(tmp_path / "nieuw")) == 130
    assert len(written) > 10
    assert "Gestopt (Ctrl-C): npdw init: het aanmaken is afgebroken" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


# -- end to end: the invented programme, one evaluation -------------------------------------

STORY = """---
id: {id}
date: 2025-0{month}-12
area: {area}
teller: bewoner
channel: buurtbakkie
pillars:
- {pillar}
change: {change}
consent: citeren
title: {title}
synthetic: true
---
{text}
"""
STORIES = [
    ("zh-001", 3, "oostkade", "veilig", "beter", "Licht op het plein",
     "Sinds er lantaarns op het plein staan, loop ik 's avonds weer naar de bushalte."),
    ("zh-002", 4, "molenwijk", "wonen", "slechter", "Vocht in de flat",
     "De schimmel in de badkamer komt na elke schoonmaak terug; de verhuurder reageert niet."),
    ("zh-003", 5, "westkade", "werk", "gemengd", "Werk via het buurthuis",
     "Via het buurthuis vond ik een baan in de zorg, maar de reistijd is lang."),
]  # fmt: skip


def add_invented_data(folder: Path) -> None:
    """A few measurements and stories, all invented and marked synthetic."""
    rows = ["indicator,area,year,value,source"]
    for area, base in (("oostkade", 58), ("westkade", 55), ("molenwijk", 57), ("havenstad", 66)):
        for k, year in enumerate((2019, 2020, 2021, 2022, 2023, 2024)):
            rows.append(f"arbeidsparticipatie,{area},{year},{base + k * 0.8:.1f},{SYNTH}")
    rows.append(f"jeugdzorg,oostkade,2023,12,{SYNTH}")
    (folder / "measurements" / "nulmeting_zuiderhaven.csv").write_text(
        "\n".join(rows) + "\n", encoding="utf-8"
    )
    register = folder / "measurements" / "deliveries.yaml"
    text = register.read_text(encoding="utf-8").replace("deliveries: []\n", "deliveries:\n")
    text += "  - file: nulmeting_zuiderhaven.csv\n    delivered: 2025-01-15\n"
    text += "    supplier: verzonnen leverancier (testprogramma)\n"
    register.write_text(text, encoding="utf-8")
    for ident, month, area, pillar, change, title, text in STORIES:
        (folder / "stories" / f"{ident}.md").write_text(
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


@pytest.mark.slow
def test_init_validate_agenda_check_and_evaluate_a_new_programme(tmp_path):
    """One test, so the evaluation (about 40 s) runs once, also on several workers."""
    folder = tmp_path / "zuiderhaven"
    assert main(init_args(folder)) == 0
    add_invented_data(folder)
    stories = str(folder / "stories")
    assert main(["validate", "--data", str(folder), "--year", "2026"]) == 0
    assert main(["agenda", "check", "--data", str(folder), "--stories", stories]) == 0
    out = tmp_path / "uit"
    args = ["evaluate", "--year", "2026", "--data", str(folder), "--stories", stories]
    assert main([*args, "--out", str(out)]) == 0
    assert (out / "rapport.html").is_file() and (out / "manifest.json").is_file()
    # The first year's nearly empty report prints too.
    assert (out / "rapport.pdf").read_bytes().startswith(b"%PDF-")
    report = (out / "rapport.html").read_text(encoding="utf-8")

    # The invented programme and its places, and nothing of Dordt West.
    assert f"Jaarlijkse evaluatie van het {NAME}, 2026" in report
    assert "Wijken: Oostkade, Westkade, Molenwijk." in report
    assert sorted({m.group(0) for m in FORBIDDEN.finditer(report)}) == []
    assert "NPDW" not in report

    # What is still empty, said so.
    for what in ("leervragen", "onderzoeksactiviteiten", "lessen", "inspanningen"):
        assert f"Nog leeg: er staan nog geen {what} in" in report, what
    # Numbers only for werk and gezond; the other three pillars say they have none yet.
    assert report.count("Voor deze pijler zijn (nog) geen metingen beschikbaar") == 3
    assert "(doel nog vast te stellen)" in report

    # The invented measurements and stories are flagged; a consented story is quoted.
    assert "SYNTHETISCHE" in report
    assert "Sinds er lantaarns op het plein staan" in report

    # A wijkbericht per wijk and for the programme, in plain Dutch, of this programme only,
    # and quoting no story: their consent is citeren, not publiceren.
    from npdw_learning.evaluatie.wijkopmaak import visible_text
    from npdw_learning.evaluatie.wijktaal import MIN_FLESCH_DOUMA, flesch_douma, forbidden_words

    for area in ("oostkade", "westkade", "molenwijk", "zuiderhaven"):
        seen = visible_text((out / "wijkberichten" / f"{area}.html").read_text(encoding="utf-8"))
        assert flesch_douma(seen) >= MIN_FLESCH_DOUMA and forbidden_words(seen) == [], area
        assert "lantaarns" not in seen and not FORBIDDEN.search(seen), area
    assert (out / "presentatie.pdf").is_file() and (out / "samenvatting.pdf").is_file()


@pytest.mark.parametrize(("areas", "says"), [(["a=A"], "1 wijk)."), (["a=A", "b=B"], "2 wijken).")])
def test_the_summary_counts_wijken_in_dutch(tmp_path, capsys, areas, says):
    args = ["init", str(tmp_path / "p"), "--name", "P", "--areas", *areas, "--reference", "s=S"]
    assert main(args) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith(f"(P, {says}")
