"""Write the invented CBS fixtures in this folder (run once; the JSON files are committed).

Every number and most names here are INVENTED. The files only have the shape
of what ``cbsodata.get_meta(table_id, "DataProperties")`` and
``cbsodata.get_data(table_id)`` return (``tests/tellen/test_cbs.py`` proves
that shape by running the real cbsodata against a fake server built from
these files). The column keys deliberately carry different numbered suffixes
in the two years, as CBS's keys do.

    .venv/bin/python tests/data/cbs/make_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent


def _prop(id_, parent, type_, key, title, unit=None, datatype=None):
    p = {
        "odata.type": f"Cbs.OData.{type_}",
        "ID": id_,
        "Position": id_,
        "ParentID": parent,
        "Type": type_,
        "Key": key,
        "Title": title,
        "Description": f"(verzonnen) {title}",
    }
    if type_ == "Topic":
        p.update(
            {
                "ReleasePolicy": False,
                "Datatype": datatype or "Double",
                "Unit": unit,
                "Decimals": 0,
                "Default": "Missing",
                "PresentationType": "Absolute",
            }
        )
    return p


def properties(s: int) -> list[dict]:
    """DataProperties; ``s`` shifts the key suffixes between the two years."""
    return [
        {
            **_prop(0, None, "GeoDimension", "WijkenEnBuurten", "Wijken en buurten"),
            "MapYear": "2022",
            "ReleasePolicy": True,
        },
        _prop(1, None, "TopicGroup", "Regioaanduiding", "Regioaanduiding"),
        _prop(2, 1, "Topic", "Gemeentenaam_1", "Gemeentenaam", "Naam", "String"),
        _prop(3, 1, "Topic", "SoortRegio_2", "Soort regio", "Omschrijving", "String"),
        _prop(4, 1, "Topic", "Codering_3", "Codering", "Code", "String"),
        _prop(5, None, "Topic", "AantalInwoners_5", "Aantal inwoners", "aantal", "Long"),
        _prop(6, None, "TopicGroup", "Wonen", "Wonen"),
        _prop(7, 6, "Topic", f"Woningvoorraad_{34 + s}", "Woningvoorraad", "aantal", "Long"),
        _prop(
            8,
            6,
            "Topic",
            f"GemiddeldeWOZWaardeVanWoningen_{35 + s}",
            "Gemiddelde WOZ-waarde van woningen",
            "x 1 000 euro",
        ),
        _prop(9, 6, "TopicGroup", "WoningenNaarEigendom", "Woningen naar eigendom"),
        _prop(10, 9, "Topic", f"Koopwoningen_{40 + s}", "Koopwoningen", "%"),
        _prop(11, None, "TopicGroup", "Energie", "Energie"),
        _prop(12, 11, "TopicGroup", "Elektriciteit", "Gemiddeld elektriciteitsverbruik"),
        _prop(13, 12, "Topic", f"Appartement_{48 + s}", "Appartement", "kWh"),
        _prop(14, 11, "TopicGroup", "Aardgas", "Gemiddeld aardgasverbruik"),
        _prop(15, 14, "Topic", f"Appartement_{56 + s}", "Appartement", "m³"),
        _prop(16, None, "TopicGroup", "SocialeZekerheid", "Sociale zekerheid"),
        _prop(
            17,
            16,
            "Topic",
            f"PersonenPerSoortUitkeringBijstand_{83 + s}",
            "Personen per soort uitkering; Bijstand",
            "aantal",
        ),
        _prop(18, None, "TopicGroup", "Zorg", "Zorg"),
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


def main() -> None:
    for table_id, shift, bump in (("85039NED", 0, 1.0), ("85318NED", 4, 1.1)):
        payload = {"DataProperties": properties(shift), "data": data(shift, bump)}
        text = json.dumps(payload, ensure_ascii=False, indent=1) + "\n"
        (HERE / f"{table_id}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
