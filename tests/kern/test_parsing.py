"""Cell and file parsing: numbers in Dutch and English notation, encodings, delimiters.

Includes the property tests: any bytes in a CSV either load or come back as
the project's findings, never as another exception.
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npdw_learning.kern.errors import Finding
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.kern.tables import decode, sniff_delimiter
from npdw_learning.tellen.measurements import (
    MEASUREMENT_COLUMNS,
    _parse_number,
    read_measurement_file,
)

REG = ProgrammeFolder.bundled().registry


@pytest.mark.parametrize(
    ("raw", "decimal", "expected"),
    [
        ("12", ",", 12.0),
        ("12,5", ",", 12.5),
        ("12.5", ",", 12.5),  # English decimal in a Dutch file is unambiguous
        ("1.234,5", ",", 1234.5),  # Dutch thousands separator
        ("1.353", ",", 1353.0),  # Dutch Excel: a dot in a semicolon file groups thousands
        ("1,353", ".", 1353.0),
        ("0,4", ".", 0.4),  # quoted decimal comma in a comma file
        ("-0,07", ",", -0.07),
        (" 7,8 ", ",", 7.8),
        ("535.15", ".", 535.15),
        (3.5, ",", 3.5),  # Excel cells arrive as numbers
        (7, ",", 7.0),
    ],
)
def test_parse_number(raw, decimal, expected):
    assert _parse_number(raw, decimal) == pytest.approx(expected)


@pytest.mark.parametrize("raw", ["", "  ", "n.v.t.", "15%", "twaalf", "1,2,3", "--1", None, True])
def test_not_a_number(raw):
    assert _parse_number(raw, ",") is None


def test_decode_encodings():
    text = "indicator;area;year;value;note\nx;y;2020;1;café €\n"
    assert decode(text.encode("utf-8")) == text
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode(text.encode("cp1252")) == text
    assert decode("é".encode("latin-1")) == "é"


def testsniff_delimiter():
    assert sniff_delimiter("indicator;area;year;value\n1,2;3\n") == ";"
    assert sniff_delimiter("indicator,area,year,value\n") == ","
    assert sniff_delimiter("indicator\tarea\tyear\tvalue\n") == "\t"
    assert sniff_delimiter("indicator\n") == ","


# -- property tests -----------------------------------------------------------------

_cells = st.one_of(
    st.sampled_from(
        [*sorted(REG.indicator_ids)[:5], *REG.area_ids, "2020", "1990", "12,5", "140", "-3", ""]
    ),
    st.text(alphabet=string.printable + "éë€;\"'", max_size=12),
)
_header = st.lists(
    st.sampled_from([*MEASUREMENT_COLUMNS, "wijk", "Jaar", "extra", ""]), min_size=0, max_size=9
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=_header,
    rows=st.lists(st.lists(_cells, min_size=0, max_size=9), max_size=6),
    delim=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]),
)
def test_any_csv_loads_or_reports_findings(tmp_path_factory, header, rows, delim, encoding):
    path = tmp_path_factory.mktemp("prop") / "levering.csv"
    lines = [delim.join(header), *(delim.join(r) for r in rows)]
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
    loaded, findings = read_measurement_file(path, REG)
    assert all(isinstance(f, Finding) and f.severity in ("error", "warning") for f in findings)
    assert all(f.file == str(path) for f in findings)
    # what loads is valid: known ids, numbers within the unit's range
    assert set(loaded["indicator"]) <= REG.indicator_ids
    assert set(loaded["area"]) <= REG.area_ids
    assert loaded["value"].notna().all()
    if not loaded.empty:
        units = REG.units.set_index("id")
        unit = loaded["indicator"].map(REG.unit_of())
        hi = unit.map(units["max"]).fillna(float("inf"))
        lo = unit.map(units["min"]).fillna(float("-inf"))
        assert ((loaded["value"] <= hi) & (loaded["value"] >= lo)).all()


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "rommel.csv"
    path.write_bytes(data)
    loaded, findings = read_measurement_file(path, REG)
    assert loaded.empty or not any(f.severity == "error" and f.row == 1 for f in findings)
