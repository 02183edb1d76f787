"""Write the recorded CBS answers in this folder (run once; the JSON files are committed).

``85984NED.json`` (2024) joins the REAL metadata of CBS table 85984NED
(``85984NED_DataProperties.json``, verbatim as ``cbsodata.get_meta`` returned
it; source in README.md) with data rows in the shape ``cbsodata.get_data``
returns for that table: every key of the table in every row, the region's
*name* in ``WijkenEnBuurten``, its code padded to 10 characters in
``Codering_3``, ``Gemeentenaam_1`` padded to 40, ``SoortRegio_2`` padded.
Real in those rows: the 13 wijk codes of Dordrecht in 2024 and the number of
inhabitants and dwellings of Dordrecht and of each of those wijken. INVENTED:
every region name (which code belongs to which name is not known, see
data/README.md), every buurt code, the rows outside Dordrecht, and every
other number.

``85039NED.json`` (2021) and ``85318NED.json`` (2022) are INVENTED through
and through: only their shape follows the real 2024 table (a ``GeoDetail``
region column, ``TopicGroup`` entries with an empty key). Their column keys
deliberately carry different numbered suffixes in the two years, as CBS's
keys do.

``tests/tellen/test_cbs.py`` proves the shape by running the real cbsodata
against a fake CBS server built from these files.

    .venv/bin/python tests/data/cbs/make_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent


# -- 2021 and 2022: invented tables -----------------------------------------------------


def _prop(id_, parent, type_, key, title, unit=None, datatype=None):
    p = {
        "odata.type": f"Cbs.OData.{type_}",
        "ID": id_,
        "Position": id_ if type_ != "TopicGroup" else None,
        "ParentID": parent,
        "Type": type_,
        "Key": key if type_ != "TopicGroup" else "",
        "Title": title,
        "Description": f"(verzonnen) {title}",
    }
    if type_ == "Topic":
        p.update(
            {
                "Datatype": datatype or "Double",
                "Unit": unit,
                "Decimals": 0,
                "Default": "Impossible",
                "PresentationType": "Absolute",
            }
        )
    return p


def properties(s: int) -> list[dict]:
    """DataProperties; ``s`` shifts the key suffixes between the two years."""
    return [
        {
            **_prop(0, None, "GeoDetail", "WijkenEnBuurten", "Wijken en buurten"),
            "MapYear": 2021 + (s > 0),
        },
        _prop(1, None, "TopicGroup", "", "Regioaanduiding"),
        _prop(2, 1, "Topic", "Gemeentenaam_1", "Gemeentenaam", "naam", "String"),
        _prop(3, 1, "Topic", "SoortRegio_2", "Soort regio", "omschrijving", "String"),
        _prop(4, 1, "Topic", "Codering_3", "Codering", "code", "String"),
        _prop(5, None, "Topic", "AantalInwoners_5", "Aantal inwoners", "aantal", "Long"),
        _prop(6, None, "TopicGroup", "", "Wonen"),
        _prop(7, 6, "Topic", f"Woningvoorraad_{34 + s}", "Woningvoorraad", "aantal", "Long"),
        _prop(
            8,
            6,
            "Topic",
            f"GemiddeldeWOZWaardeVanWoningen_{35 + s}",
            "Gemiddelde WOZ-waarde van woningen",
            "x 1 000 euro",
        ),
        _prop(9, 6, "TopicGroup", "", "Woningen naar eigendom"),
        _prop(10, 9, "Topic", f"Koopwoningen_{40 + s}", "Koopwoningen", "%"),
        _prop(11, None, "TopicGroup", "", "Energie"),
        _prop(12, 11, "TopicGroup", "", "Gemiddeld elektriciteitsverbruik"),
        _prop(13, 12, "Topic", f"Appartement_{48 + s}", "Appartement", "kWh"),
        _prop(14, 11, "TopicGroup", "", "Gemiddeld aardgasverbruik"),
        _prop(15, 14, "Topic", f"Appartement_{56 + s}", "Appartement", "m³"),
        _prop(16, None, "TopicGroup", "", "Sociale zekerheid"),
        _prop(
            17,
            16,
            "Topic",
            f"PersonenPerSoortUitkeringBijstand_{83 + s}",
            "Personen per soort uitkering; Bijstand",
            "aantal",
        ),
        _prop(18, None, "TopicGroup", "", "Zorg"),
        _prop(
            19,
            18,
            "Topic",
            f"PercentageJongerenMetJeugdzorg_{88 + s}",
            "Percentage jongeren met jeugdzorg",
            "%",
        ),
    ]


# name, municipality, level, code, inhabitants, stock, woz, koop%, elec, gas, bijstand, jeugdzorg%
REGIONS = [
    ("Nederland", "Nederland", "Land", "NL00", 17400000, 8000000, 290, 57, 2300, 1100, 400000, 10),
    ("Dordrecht", "Dordrecht", "Gemeente", "GM0505", 119000, 56000, 250, 55, 2100, 1050, 3600, 11),
    (
        "Wijk 03 Oud-Krispijn",
        "Dordrecht",
        "Wijk",
        "WK050503",
        10800,
        4700,
        200,
        59,
        1800,
        900,
        400,
        12,
    ),
    (
        "Wijk 04 Nieuw-Krispijn",
        "Dordrecht",
        "Wijk",
        "WK050504",
        6900,
        2650,
        180,
        37,
        1700,
        850,
        390,
        14,
    ),
    ("Wijk 05 Wielwijk", "Dordrecht", "Wijk", "WK050505", 7400, 3050, 175, 40, 1750, 870, 430, 9),
    (
        "Wijk 06 Crabbehof",
        "Dordrecht",
        "Wijk",
        "WK050506",
        9800,
        4250,
        170,
        37,
        1650,
        860,
        650,
        None,
    ),
    # a buurt with the same name as a wijk, and a wijk of the same name elsewhere
    ("Crabbehof", "Dordrecht", "Buurt", "BU05050601", 6000, 2600, 165, 30, 1600, 850, 500, 13),
    (
        "Wijk 01 Crabbehof",
        "Zwijndrecht",
        "Wijk",
        "WK064201",
        3000,
        1300,
        260,
        70,
        2200,
        1000,
        60,
        8,
    ),
]


def data(s: int, bump: float) -> list[dict]:
    """Data rows as cbsodata.get_data returns them: the dimension as its Title, strings padded."""
    rows = []
    # The second year spells one wijk differently, as CBS sometimes does.
    renamed = {"Wijk 03 Oud-Krispijn": "Oud Krispijn"} if s else {}
    for i, (name, gm, level, code, inw, stock, woz, koop, el, gas, bij, jz) in enumerate(REGIONS):
        rows.append(
            {
                "ID": i,
                "WijkenEnBuurten": renamed.get(name, name),
                "Gemeentenaam_1": gm.ljust(40),
                "SoortRegio_2": level.ljust(10),
                "Codering_3": code.ljust(10),
                "AantalInwoners_5": inw,
                f"Woningvoorraad_{34 + s}": stock,
                f"GemiddeldeWOZWaardeVanWoningen_{35 + s}": round(woz * bump),
                f"Koopwoningen_{40 + s}": koop,
                f"Appartement_{48 + s}": el,
                f"Appartement_{56 + s}": gas,
                f"PersonenPerSoortUitkeringBijstand_{83 + s}": bij,
                f"PercentageJongerenMetJeugdzorg_{88 + s}": jz,
            }
        )
    return rows


# -- 2024: the real metadata with rows in cbsodata's shape ---------------------------------

# REAL (CBS 85984NED via the repository named in README.md, file
# 2024/cbs_data/stripped_filtered_data_2024.json): code -> (AantalInwoners_5, Woningvoorraad_35).
REAL_2024 = {
    "GM0505": (122070, 57276),
    "WK050501": (10390, 5710),
    "WK050502": (8195, 4017),
    "WK050503": (11005, 4713),
    "WK050504": (4915, 2688),
    "WK050505": (11610, 5495),
    "WK050506": (5240, 2697),
    "WK050507": (6560, 3221),
    "WK050508": (8550, 4369),
    "WK050509": (23070, 10395),
    "WK050510": (12925, 5635),
    "WK050511": (18340, 7795),
    "WK050519": (765, 350),
    "WK050598": (505, 191),
}

# INVENTED names. The four programme wijken get names in CBS's "Wijk NN Naam"
# pattern so that name matching can be tested; which real code they have is
# NOT known, and the others are plainly named "Verzonnen".
NAMES_2024 = {
    "NL00": "Nederland",
    "GM0505": "Dordrecht",
    "WK050503": "Wijk 03 Oud-Krispijn",
    "WK050504": "Wijk 04 Nieuw-Krispijn",
    "WK050505": "Wijk 05 Wielwijk",
    "WK050506": "Wijk 06 Crabbehof",
    "BU05050601": "Crabbehof",
    "BU05050602": "Wielwijk-Noord",
    "WK064201": "Wijk 01 Crabbehof",
}

# INVENTED figures: woz, koop%, corporatie%, overig%, jeugdzorg%, wmo, bijstand, ww,
# laag inkomen%, (onder of rond) sociaal minimum%, nettoarbeidsparticipatie%.
FIGURES = (
    "GemiddeldeWOZWaardeVanWoningen_39",
    "Koopwoningen_47",
    "InBezitWoningcorporatie_49",
    "InBezitOverigeVerhuurders_50",
    "PercentageJongerenMetJeugdzorg_99",
    "WmoClientenRelatief_101",
    "PersonenPerSoortUitkeringBijstand_94",
    "PersonenPerSoortUitkeringWW_96",
    "HuishoudensMetEenLaagInkomen_89",
    "HuishOnderOfRondSociaalMinimum_90",
    "Nettoarbeidsparticipatie_78",
)


def _figures_2024(i: int, inhabitants: int) -> list[float | int | None]:
    """Plausible invented figures for the i-th region (deterministic)."""
    koop = 30 + (i * 7) % 40
    corporatie = min(100 - koop, 20 + (i * 5) % 30)
    return [
        200 + (i * 13) % 150,
        koop,
        corporatie,
        100 - koop - corporatie,
        8.0 + (i % 5) * 1.5,
        60 + (i * 11) % 60,
        round(inhabitants * (0.01 + (i % 4) * 0.01)),
        round(inhabitants * 0.008),
        6.0 + (i % 6),
        9.0 + (i % 5) * 1.2,
        58.0 + (i % 9),
    ]


def _regions_2024() -> list[tuple[str, str, str, int | None, int | None]]:
    """(code, municipality, level, inhabitants, stock) in CBS's order: country, then by code."""
    out = [("NL00", "Nederland", "Land", 17942040, 8111060)]  # invented
    for code, (inhabitants, stock) in REAL_2024.items():
        out.append(
            (code, "Dordrecht", "Gemeente" if code[:2] == "GM" else "Wijk", inhabitants, stock)
        )
    out += [  # invented
        ("BU05050601", "Dordrecht", "Buurt", 2600, 1150),
        ("BU05050602", "Dordrecht", "Buurt", 3100, 1380),
        ("WK064201", "Zwijndrecht", "Wijk", 3000, 1300),
    ]
    return out


def data_2024(props: list[dict]) -> list[dict]:
    """Rows with every key of the table, in the order of its DataProperties."""
    topics = [p["Key"] for p in props if p["Type"] == "Topic"]
    rows = []
    for i, (code, gm, level, inhabitants, stock) in enumerate(_regions_2024()):
        row = {"ID": i, "WijkenEnBuurten": NAMES_2024.get(code, f"Wijk {code[-2:]} Verzonnen")}
        row |= dict.fromkeys(topics)
        row |= {
            "Gemeentenaam_1": gm.ljust(40),
            "SoortRegio_2": level.ljust(10),
            "Codering_3": code.ljust(10),
            "AantalInwoners_5": inhabitants,
            "Woningvoorraad_35": stock,
        }
        if code != "WK050598":  # a small wijk: CBS leaves most cells empty (null)
            row |= dict(zip(FIGURES, _figures_2024(i, inhabitants), strict=True))
        if code == "WK050506":
            row["PercentageJongerenMetJeugdzorg_99"] = None  # secret
        rows.append(row)
    return rows


def main() -> None:
    for table_id, shift, bump in (("85039NED", 0, 1.0), ("85318NED", 4, 1.1)):
        payload = {"DataProperties": properties(shift), "data": data(shift, bump)}
        text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
        (HERE / f"{table_id}.json").write_text(text, encoding="utf-8")
    props = json.loads((HERE / "85984NED_DataProperties.json").read_text(encoding="utf-8"))
    payload = {"DataProperties": props, "data": data_2024(props)}
    text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
    (HERE / "85984NED.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
