"""Write the recorded national CBS answers in this folder (run once; the JSON is committed).

``<table>_wijk.json`` and ``<table>_buurt.json`` are what ``npdw fetch cbs --national``
caches (and reads back with ``--offline``): the answer of ``cbsodata.get_data`` with the
national filter, in the shape of the municipal answers in ``../cbs/`` (see its README).
They are built from those answers: the same DataProperties (2024: the REAL metadata of
85984NED, which has "Mate van stedelijkheid" as MateVanStedelijkheid_127; 2021 and 2022:
the invented ones, with that column added), the same rows without the country, plus a
handful of INVENTED regions in invented municipalities (GM9901 Verzonnenstad, GM9902
Anderdorp) and one Amsterdam-style code (WK0363TA, a letter code as Amsterdam's), one of
them named like a spreadsheet formula. ``_wijk`` holds the gemeenten and wijken, ``_buurt``
the buurten too, as the filter and SoortRegio give them.

    .venv/bin/python tests/data/cbs_national/make_national_fixtures.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).parent
MUNICIPAL = HERE.parent / "cbs"
TABLES = {"85039NED": 0, "85318NED": 4, "85984NED": None}
# code, name, municipality, level, inwoners, stedelijkheid (all INVENTED)
EXTRA = [
    ("GM9901", "Verzonnenstad", "Verzonnenstad", "Gemeente", 80000, 2),
    ("WK990101", '=HYPERLINK("http://x.example")', "Verzonnenstad", "Wijk", 9000, 1),
    ("WK990102", "Wijk 02 Rivierkwartier", "Verzonnenstad", "Wijk", 7000, 2),
    ("BU99010101", "Oeverbuurt", "Verzonnenstad", "Buurt", 4000, 1),
    ("BU99010201", "Dijkbuurt", "Verzonnenstad", "Buurt", 3500, 3),
    ("GM9902", "Anderdorp", "Anderdorp", "Gemeente", 20000, 4),
    ("WK990201", "Wijk 01 Dorpskern", "Anderdorp", "Wijk", 6000, 4),
    ("GM0363", "Amsterdam", "Amsterdam", "Gemeente", 930000, 1),
    ("WK0363TA", "Verzonnen Zuidoost", "Amsterdam", "Wijk", 12000, 1),
]


def _urbanity_key(props: list[dict], shift: int | None) -> str:
    if shift is None:  # the real 2024 metadata has the column
        return next(p["Key"] for p in props if p.get("Title") == "Mate van stedelijkheid")
    key = f"MateVanStedelijkheid_{100 + shift}"
    props.append(
        {
            "odata.type": "Cbs.OData.Topic",
            "ID": 30,
            "Position": 30,
            "ParentID": None,
            "Type": "Topic",
            "Key": key,
            "Title": "Mate van stedelijkheid",
            "Description": "(verzonnen) Mate van stedelijkheid",
            "Datatype": "Long",
            "Unit": "code",
            "Decimals": 0,
            "Default": "Impossible",
            "PresentationType": "Absolute",
        }
    )
    return key


def _rows(payload: dict, key: str) -> list[dict]:
    rows = [r for r in payload["data"] if r["SoortRegio_2"].strip() != "Land"]
    template = dict.fromkeys(rows[0])
    for i, row in enumerate(rows):
        row[key] = 1 + i % 5 if row["Codering_3"].strip() != "WK050598" else None
    figures = [k for k, v in rows[-1].items() if isinstance(v, int | float) and k != "ID"]
    for j, (code, name, gm, level, people, urban) in enumerate(EXTRA):
        row = template | {
            "ID": 100 + j,
            "WijkenEnBuurten": name,
            "Gemeentenaam_1": gm.ljust(40),
            "SoortRegio_2": level.ljust(10),
            "Codering_3": code.ljust(10),
        }
        row |= {k: rows[-1][k] * (0.8 + 0.05 * j) for k in figures}  # scaled, invented
        row |= {"AantalInwoners_5": people, key: urban}
        rows.append(row)
    return rows


def main() -> None:
    for table_id, shift in TABLES.items():
        payload = json.loads((MUNICIPAL / f"{table_id}.json").read_text(encoding="utf-8"))
        key = _urbanity_key(payload["DataProperties"], shift)
        rows = _rows(payload, key)
        for level, kinds in (
            ("wijk", ("Gemeente", "Wijk")),
            ("buurt", ("Gemeente", "Wijk", "Buurt")),
        ):
            data = [r for r in rows if r["SoortRegio_2"].strip() in kinds]
            out = {"DataProperties": payload["DataProperties"], "data": data}
            text = json.dumps(out, ensure_ascii=False, indent=1) + "\n"
            (HERE / f"{table_id}_{level}.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
