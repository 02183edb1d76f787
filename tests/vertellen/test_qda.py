"""Exchange with QDA tools (REFI-QDA): export, schema, an independent parser, round trip.

No package ships the REFI-QDA XSD files themselves. ``pyrefiqda`` ships models
generated from them (xsdata), with every element, attribute, order, pattern,
enumeration and minimum count of the schema; :func:`assert_schema_valid`
checks a document against those models, element by element, and the strict
xsdata parser reads it as a second, independent reader.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
import zipfile
from decimal import Decimal
from enum import Enum
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyrefiqda import RefiProject
from pyrefiqda.models import CodeBook, Project, TextSourceType
from xsdata.formats.dataclass.parsers.config import ParserConfig
from xsdata.models.datatype import XmlDate, XmlDateTime
from xsdata_pydantic.bindings import XmlParser

from npdw_learning import cli
from npdw_learning.kern.errors import InputError
from npdw_learning.kern.paths import DATA_DIR
from npdw_learning.kern.programme import ProgrammeFolder
from npdw_learning.vertellen.coding import (
    auto_code,
    auto_code_spans,
    codebook_in,
    load_codebook,
    read_coder_file,
)
from npdw_learning.vertellen.qda import (
    AUTO_USER,
    NEUTRAL_USER,
    PROJECT_NS,
    VARIABLES,
    Selection,
    codebook_xml,
    guid,
    project_xml,
    read_codings,
)
from npdw_learning.vertellen.stories import (
    STORIES_DIR,
    Story,
    load_stories,
    stories_in,
    vocabulary_in,
    write_story,
)

BUNDLED = ProgrammeFolder.bundled()
BOOK = codebook_in(BUNDLED)
VOCAB = vocabulary_in(BUNDLED)

NS = {"q": PROJECT_NS}
STRICT = ParserConfig(
    fail_on_unknown_properties=True,
    fail_on_unknown_attributes=True,
    fail_on_converter_warnings=True,
)
HOSTILE = (
    "Ik schreef <script>alert('x')</script> & <img src=x onerror=alert(2)> in de groepsapp; "
    "het einde ]]> van een CDATA-blok, een &amp; en controletekens \x01\x0b\x1b\x7f\x00 erbij. "
    "Daarna was er overlast van jongeren bij de flat."
)


# -- a schema check from the models generated from the official XSD ------------------


def _metadata(cls, name: str) -> dict:
    info = cls.model_fields[name]
    return dict(getattr(info, "xsdata_metadata", None) or {})


def _value_ok(value: str, types: tuple) -> bool:
    for kind in types:
        try:
            if kind is bool:
                if value in ("true", "false", "1", "0"):
                    return True
            elif kind is int:
                int(value)
                return True
            elif kind is Decimal:
                Decimal(value)
                return True
            elif kind is XmlDateTime:
                XmlDateTime.from_string(value)
                return True
            elif kind is XmlDate:
                XmlDate.from_string(value)
                return True
            elif isinstance(kind, type) and issubclass(kind, Enum):
                if value in {m.value for m in kind}:
                    return True
            elif kind is str:
                return True
        except ValueError:
            continue
    return False


def _check(elem: ET.Element, cls, where: str, errors: list[str]) -> None:
    context = XmlParser().context
    meta = context.build(cls)
    attributes = {v.local_name: v for v in meta.get_attribute_vars()}
    for name in elem.attrib:
        if name not in attributes:
            errors.append(f"{where}: attribuut {name} bestaat niet in het schema")
    for local, var in attributes.items():
        md = _metadata(cls, var.name)
        value = elem.get(local)
        if value is None:
            if cls.model_fields[var.name].is_required():
                errors.append(f"{where}: verplicht attribuut {local} ontbreekt")
            continue
        if "pattern" in md and not re.fullmatch(md["pattern"], value):
            errors.append(f"{where}: {local}={value!r} past niet bij {md['pattern']}")
        if not _value_ok(value, var.types):
            errors.append(f"{where}: {local}={value!r} is geen {var.types}")
    elements = sorted(meta.get_element_vars(), key=lambda v: v.index)
    by_qname = {v.qname: v for v in elements}
    seen: dict[str, int] = {}
    last = -1
    for child in elem:
        var = by_qname.get(child.tag)
        if var is None:
            errors.append(f"{where}: element {child.tag} hoort hier niet")
            continue
        if var.index < last:
            errors.append(f"{where}: element {child.tag} staat in de verkeerde volgorde")
        last = var.index
        seen[child.tag] = seen.get(child.tag, 0) + 1
        kind = var.types[0]
        if isinstance(kind, type) and hasattr(kind, "model_fields"):
            _check(child, kind, f"{where}/{var.local_name}", errors)
        elif len(child):
            errors.append(f"{where}/{var.local_name}: hoort alleen tekst te bevatten")
        elif not _value_ok(child.text or "", var.types):
            errors.append(f"{where}/{var.local_name}: {child.text!r} is geen {var.types}")
    for var in elements:
        md = _metadata(cls, var.name)
        count = seen.get(var.qname, 0)
        minimum = md.get("min_occurs", 1 if cls.model_fields[var.name].is_required() else 0)
        if count < minimum:
            errors.append(f"{where}: {var.local_name} minstens {minimum} keer, gevonden {count}")
        if not var.list_element and count > 1:
            errors.append(f"{where}: {var.local_name} mag maar één keer voorkomen")


def assert_schema_valid(data: bytes, root_cls) -> None:
    """Every element, attribute, order, pattern, type and minimum count of the schema."""
    root = ET.fromstring(data)
    assert root.tag == f"{{{root_cls.Meta.namespace}}}{root_cls.__name__}"
    errors: list[str] = []
    _check(root, root_cls, root_cls.__name__, errors)
    assert errors == []
    XmlParser(config=STRICT).from_bytes(data, root_cls)  # the strict reader agrees


def test_schema_check_catches_what_the_schema_forbids():
    # The check itself must be able to fail: bad GUID, wrong order, unknown attribute,
    # a missing required attribute, an empty Users list.
    book = codebook_in(ProgrammeFolder.bundled())
    good = project_xml([_story("vt-1", "Veel overlast.")], book, [], [AUTO_USER])
    assert_schema_valid(good, Project)
    text = good.decode("utf-8")
    bad = [
        text.replace(f'guid="{guid("code", "werk")}"', 'guid="geen-guid"'),
        text.replace('isCodable="true"', 'isCodable="ja"', 1),
        text.replace('name="werk" ', 'name="werk" kleur="rood" '),
        text.replace(' typeOfVariable="Text"', "", 1),
        re.sub(r"<Users>.*?</Users>", "<Users />", text, flags=re.DOTALL),
        text.replace("<Users>", "<Sources />\n<Users>"),
    ]
    for doc in bad:
        with pytest.raises(AssertionError):
            root = ET.fromstring(doc.encode("utf-8"))
            errors: list[str] = []
            _check(root, Project, "Project", errors)
            assert errors == []


# -- fixtures ---------------------------------------------------------------------


def _story(ident: str, text: str, **fields) -> Story:
    base = dict(
        id=ident,
        date=dt.date(2025, 9, 1),
        area="wielwijk",
        teller="bewoner",
        channel="buurtbakkie",
        pillars=("veilig",),
        change="beter",
        consent="analyse",
        text=text,
        synthetic=True,
    )
    base.update(fields)
    return Story(**base)


TEXTS = {
    "vt-901": "Er ligt grofvuil naast de container en de meeuwen trekken de zakken open.",
    "vt-902": "Sinds de koffieochtend voel ik me minder eenzaam.",
    "vt-903": "De jongeren op het plein geven 's avonds veel overlast.",
    "vt-904": "Mijn zoon vond via het wijkteam een baan in de haven.",
    "vt-905": HOSTILE,
}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """Five synthetic stories and one coder file (no identifying text)."""
    stories = tmp_path / "verhalen"
    for i, (ident, text) in enumerate(TEXTS.items()):
        write_story(_story(ident, text, pillars=("veilig", "wonen")[: 1 + i % 2]), stories)
    (stories / "coding").mkdir()
    (stories / "coding" / "anouk.csv").write_text(
        "story_id,theme\nvt-901,afval-verloedering\nvt-902,eenzaamheid\nvt-902,ontmoeting\n"
        "vt-903,overlast\nvt-904,\n",
        encoding="utf-8",
    )
    return stories


def _run(*argv: str | Path) -> int:
    return cli.main([str(a) for a in argv])


def _export(folder: Path, out: Path) -> Path:
    assert _run("stories", "export", out, "--stories", folder, "--data", DATA_DIR) == 0
    return out


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def _rewrite(src: Path, dst: Path, edit) -> Path:
    """What a QDA tool does: read the project, change its XML, write it back."""
    with zipfile.ZipFile(src) as archive:
        entries = {n: archive.read(n) for n in archive.namelist()}
    root = ET.fromstring(entries["project.qde"])
    edit(root)
    # Written with a namespace prefix (ns0:Project): the same document to any XML reader.
    entries["project.qde"] = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    with zipfile.ZipFile(dst, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return dst


def _q(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


def _source(root: ET.Element, name: str) -> ET.Element:
    return next(s for s in root.iter(_q("TextSource")) if s.get("name") == name)


def _add_user(root: ET.Element, name: str) -> str:
    user = str(uuid.uuid4()).upper()  # ATLAS.ti and NVivo write upper-case GUIDs
    ET.SubElement(root.find("q:Users", NS), _q("User"), {"guid": user, "name": name})
    return user


def _add_coding(root: ET.Element, story: str, code: str, user: str, start=0, end=5) -> None:
    """A coding as a QDA tool writes it: a selection before the variable values."""
    source = _source(root, story)
    selection = ET.Element(
        _q("PlainTextSelection"),
        {
            "guid": str(uuid.uuid4()),
            "startPosition": str(start),
            "endPosition": str(end),
            "creatingUser": user,
        },
    )
    coding = ET.SubElement(selection, _q("Coding"), {"guid": str(uuid.uuid4())})
    coding.set("creatingUser", user)
    ET.SubElement(coding, _q("CodeRef"), {"targetGUID": code})
    values = [i for i, c in enumerate(source) if c.tag == _q("VariableValue")]
    source.insert(values[0] if values else len(source), selection)


# -- export ------------------------------------------------------------------------


def test_export_is_schema_valid_and_deterministic(folder, tmp_path):
    first = _export(folder, tmp_path / "a" / "project.qdpx")
    second = _export(folder, tmp_path / "b" / "project.qdpx")
    assert first.read_bytes() == second.read_bytes()
    assert_schema_valid(_qde(first), Project)
    with zipfile.ZipFile(first) as archive:
        infos = archive.infolist()
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        names = [i.filename for i in infos]
    sources = sorted(f"sources/{guid('story', s)}.txt" for s in TEXTS)
    assert names == ["project.qde", *sources]


def test_codebook_export_is_schema_valid(tmp_path, capsys):
    out = tmp_path / "codeboek.qdc"
    assert _run("stories", "export", out, "--data", DATA_DIR) == 0
    # one code per theme of the bundled codebook (a theme added there needs no change here)
    assert f"{len(BOOK)} codes" in capsys.readouterr().out
    assert_schema_valid(out.read_bytes(), CodeBook)
    book = XmlParser(config=STRICT).from_bytes(out.read_bytes(), CodeBook)
    codebook = codebook_in(ProgrammeFolder.bundled())
    assert [c.name for c in book.codes.code] == list(codebook.ids)
    for code in book.codes.code:
        assert codebook[code.name].description in code.description
        assert code.guid == guid("code", code.name)


def test_bundled_stories_in_an_independent_parser(tmp_path):
    """Every story, code, variable and coder selection, read back by pyrefiqda."""
    path = _export(STORIES_DIR, tmp_path / "verhalen.qdpx")
    assert_schema_valid(_qde(path), Project)
    project = RefiProject.load(path, extract_dir=str(tmp_path / "uitgepakt"))
    collection = stories_in(ProgrammeFolder.bundled())
    stories = {s.id: s for s in collection.stories}
    codebook = codebook_in(ProgrammeFolder.bundled())

    sources: dict[str, TextSourceType] = {s.name: s for s in project.sources.text_source}
    assert sorted(sources) == sorted(stories)
    codes = {c.guid: c for c in project.code_book.codes.code}
    assert sorted(c.name for c in codes.values()) == sorted(codebook.ids)
    for code in codes.values():
        assert codebook[code.name].label in code.description
    users = {u.guid: u.name for u in project.users.user}
    # The coder first (a QDA tool codes as the first user), auto last.
    assert [u.name for u in project.users.user] == [NEUTRAL_USER, "anouk", "bram", AUTO_USER]
    variables = {v.guid: v.name for v in project.variables.variable}
    assert sorted(variables.values()) == sorted(VARIABLES)

    found: dict[str, set[tuple[str, str]]] = {name: set() for name in users.values()}
    auto_spans: set[tuple[str, str, str]] = set()
    for name, source in sources.items():
        story = stories[name]
        local = RefiProject.resolve_source_path(source.plain_text_path, tmp_path / "uitgepakt")
        text = local.read_text(encoding="utf-8")
        assert text == story.text
        values = {
            variables[v.variable_ref.target_guid]: v.text_value for v in source.variable_value
        }
        assert values == {
            "area": story.area,
            "teller": story.teller,
            "channel": story.channel,
            "change": story.change,
            "consent": story.consent,
            "date": story.date.isoformat(),
            "pillars": ", ".join(story.pillars),
        }
        for sel in source.plain_text_selection:
            (coding,) = sel.coding
            user = users[coding.creating_user]
            theme = codes[coding.code_ref.target_guid].name
            found[user].add((name, theme))
            if user == AUTO_USER:
                auto_spans.add((name, theme, text[sel.start_position : sel.end_position]))
            else:  # a coder codes the whole story
                assert (sel.start_position, sel.end_position) == (0, len(text))

    assert found[NEUTRAL_USER] == set()  # the neutral user has coded nothing yet
    for coder in ("anouk", "bram"):
        rows = read_coder_file(STORIES_DIR / "coding" / f"{coder}.csv", BOOK)
        assert found[coder] == {(s, t) for s, t in rows.itertuples(index=False) if t}
    auto = auto_code(collection.frame(), codebook=codebook)
    assert found[AUTO_USER] == set(zip(auto["story_id"], auto["theme"], strict=True))
    evidence = {
        (s, t, piece)
        for s, t, e in zip(auto["story_id"], auto["theme"], auto["evidence"], strict=True)
        for piece in e.split(" | ")
    }
    assert auto_spans == evidence


def test_auto_code_spans_are_the_evidence_of_auto_code():
    frame = stories_in(ProgrammeFolder.bundled()).frame()
    spans = auto_code_spans(frame, BOOK)
    texts = dict(zip(frame["id"], frame["text"], strict=True))
    assert len(spans) > 100
    for row in spans.itertuples(index=False):
        assert texts[row.story_id][row.start : row.end] == row.evidence
    joined = spans.groupby(["story_id", "theme"], sort=False)["evidence"].agg(" | ".join)
    auto = auto_code(frame, BOOK).set_index(["story_id", "theme"])
    assert joined.to_dict() == auto["evidence"].to_dict()


def test_hostile_and_long_text_survives_as_text(folder, tmp_path):
    long_text = ("Lange zin met overlast & <b>vet</b> en ]]> erin. " * 4000).strip()
    write_story(_story("vt-906", long_text), folder)
    path = _export(folder, tmp_path / "p.qdpx")
    data = _qde(path)
    assert_schema_valid(data, Project)
    assert b"<script" not in data and b"<img" not in data
    stories = {s.id: s for s in load_stories(folder, VOCAB).stories}
    assert "\x01" in stories["vt-905"].text  # the story file kept the control characters
    with zipfile.ZipFile(path) as archive:
        for ident in ("vt-905", "vt-906"):
            text = archive.read(f"sources/{guid('story', ident)}.txt").decode("utf-8")
            assert text == stories[ident].text
    root = ET.fromstring(data)
    hostile = _source(root, "vt-905")
    overlast = guid("code", "overlast")
    spans = [
        (int(s.get("startPosition")), int(s.get("endPosition")))
        for s in hostile.iter(_q("PlainTextSelection"))
        if s.find("q:Coding/q:CodeRef", NS).get("targetGUID") == overlast
    ]
    assert [HOSTILE[a:b] for a, b in spans] == ["overlast"]


def test_hostile_codebook_text_and_empty_pillars(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "registry", data / "registry")
    book_file = data / "registry" / "codebook.yaml"
    text = book_file.read_text(encoding="utf-8")
    hostile = "Let op: <script>alert(1)</script> & ]]> \\x01 einde"
    text = text.replace('label: "Overlast"', f'label: "{hostile}"', 1)
    assert hostile in text
    book_file.write_text(text, encoding="utf-8")
    codebook = load_codebook(book_file, BUNDLED.registry)
    xml = codebook_xml(codebook)
    assert_schema_valid(xml, CodeBook)
    description = ET.fromstring(xml).find(".//{urn:QDA-XML:codebook:1.0}Description").text
    assert description.startswith("Let op: <script>alert(1)</script> & ]]>  einde")
    # A story whose pillars are not (yet) known: an empty variable, still valid.
    story = _story("vt-1", "Veel overlast.", pillars=())
    doc = project_xml([story], codebook, [Selection("vt-1", "overlast", 5, 13, "auto")], ["auto"])
    assert_schema_valid(doc, Project)
    values = ET.fromstring(doc).iter(_q("VariableValue"))
    texts = [v.findtext("q:TextValue", namespaces=NS) for v in values]
    assert texts[VARIABLES.index("pillars")] == ""


# -- import ------------------------------------------------------------------------


def test_round_trip_a_coder_in_a_qda_tool(folder, tmp_path, capsys):
    exported = _export(folder, tmp_path / "project.qdpx")

    def code_as_carla(root):
        carla = _add_user(root, "Carla (ATLAS.ti)")
        _add_coding(root, "vt-901", guid("code", "afval-verloedering"), carla)
        _add_coding(root, "vt-901", guid("code", "groen-buitenruimte"), carla, 10, 20)
        _add_coding(root, "vt-903", guid("code", "overlast"), carla)
        _add_coding(root, "vt-903", guid("code", "jongeren"), carla, 3, 11)
        _add_coding(root, "vt-903", guid("code", "jongeren"), carla, 30, 40)  # twice: once
        _add_coding(root, "vt-905", guid("code", "overlast"), carla)

    worked = _rewrite(exported, tmp_path / "carla.qdpx", code_as_carla)
    capsys.readouterr()
    assert _run(
        "stories", "import-codings", worked, "--coder", "carla", "--stories", folder,
        "--data", DATA_DIR,
    ) == 0  # fmt: skip
    assert "carla.csv" in capsys.readouterr().out
    rows = read_coder_file(folder / "coding" / "carla.csv", BOOK)
    assert set(rows.itertuples(index=False, name=None)) == {
        ("vt-901", "afval-verloedering"),
        ("vt-901", "groen-buitenruimte"),
        ("vt-902", ""),  # in the project, given no code: read, no theme
        ("vt-903", "overlast"),
        ("vt-903", "jongeren"),
        ("vt-904", ""),
        ("vt-905", "overlast"),
    }
    assert len(rows) == 7
    # The agreement command reads the imported coder like any other.
    assert _run("stories", "agreement", "carla", "anouk", "--stories", folder,
                "--data", DATA_DIR) == 0  # fmt: skip
    assert "carla" in capsys.readouterr().out

    # --coded-only: only the stories carla coded; --overwrite is needed now.
    args = ["stories", "import-codings", worked, "--coder", "carla", "--coded-only"]
    args += ["--stories", folder, "--data", DATA_DIR]
    assert _run(*args) == 1
    assert "--overwrite" in capsys.readouterr().err
    assert len(read_coder_file(folder / "coding" / "carla.csv", BOOK)) == 7  # unchanged
    assert _run(*args, "--overwrite") == 0
    rows = read_coder_file(folder / "coding" / "carla.csv", BOOK)
    assert sorted(set(rows["story_id"])) == ["vt-901", "vt-903", "vt-905"]


def test_exported_coder_comes_back_the_same(folder, tmp_path):
    """--user picks one user's codings, also one the export wrote: anouk round-trips."""
    exported = _export(folder, tmp_path / "project.qdpx")
    args = ["stories", "import-codings", exported, "--coder", "anouk-terug", "--user", "anouk"]
    assert _run(*args, "--stories", folder, "--data", DATA_DIR, "--coded-only") == 0
    back = read_coder_file(folder / "coding" / "anouk-terug.csv", BOOK)
    original = read_coder_file(folder / "coding" / "anouk.csv", BOOK)
    coded = original[original["theme"] != ""]
    assert set(back.itertuples(index=False, name=None)) == set(
        coded.itertuples(index=False, name=None)
    )


def test_import_refuses_more_than_one_new_user_without_user(folder, tmp_path, capsys):
    exported = _export(folder, tmp_path / "project.qdpx")

    def two_coders(root):
        for name, code in (("Carla", "overlast"), ("Dirk", "jongeren")):
            _add_coding(root, "vt-903", guid("code", code), _add_user(root, name))

    worked = _rewrite(exported, tmp_path / "twee.qdpx", two_coders)
    capsys.readouterr()
    base = ["stories", "import-codings", worked, "--stories", folder, "--data", DATA_DIR]
    assert _run(*base, "--coder", "carla") == 1
    err = capsys.readouterr().err
    assert "Carla" in err and "Dirk" in err and "--user" in err
    assert not (folder / "coding" / "carla.csv").exists()
    assert _run(*base, "--coder", "dirk", "--user", "dirk", "--coded-only") == 0
    rows = read_coder_file(folder / "coding" / "dirk.csv", BOOK)
    assert rows.values.tolist() == [["vt-903", "jongeren"]]


def _unknown_code(root):
    user = _add_user(root, "Carla")
    codes = root.find("q:CodeBook/q:Codes", NS)
    new = str(uuid.uuid4())
    ET.SubElement(codes, _q("Code"), {"guid": new, "name": "Parkeerproblemen", "isCodable": "true"})
    _add_coding(root, "vt-902", new, user)


def _unknown_source(root):
    user = _add_user(root, "Carla")
    sources = root.find("q:Sources", NS)
    extra = ET.SubElement(
        sources, _q("TextSource"), {"guid": str(uuid.uuid4()), "name": "interview-zeven"}
    )
    extra.set("plainTextPath", "internal://x.txt")
    _add_coding(root, "interview-zeven", guid("code", "werk"), user)


def _untouched(root):
    pass


ENTITIES = '<!DOCTYPE x [<!ENTITY a "aaaa">]><Project xmlns="urn:QDA-XML:project:1.0">&a;</Project>'


CODEBOOK_ONLY = '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes /></CodeBook>'


def _code_as_nobody(root):
    """A coding whose user is not in the project's user list."""
    _add_coding(root, "vt-903", guid("code", "overlast"), str(uuid.uuid4()))


def _zip(path: Path, name: str, data: str) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(name, data)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p, exp: p.write_text("geen zip", encoding="utf-8"), "geen zip-bestand"),
        (lambda p, exp: _zip(p, "sources/a.txt", "tekst"), "geen project.qde"),
        (lambda p, exp: _zip(p, "project.qde", "<Project><"), "geen geldige XML"),
        (lambda p, exp: _zip(p, "project.qde", ENTITIES), "geen geldige XML"),
        (lambda p, exp: _zip(p, "project.qde", CODEBOOK_ONLY), "geen REFI-QDA-project"),
        (lambda p, exp: _rewrite(exp, p, _code_as_nobody), "gebruiker 'carla' staat niet"),
        (lambda p, exp: _rewrite(exp, p, _unknown_code), "code 'Parkeerproblemen'"),
        (lambda p, exp: _rewrite(exp, p, _unknown_source), "bron 'interview-zeven'"),
        (lambda p, exp: _rewrite(exp, p, _untouched), "geen coderingen gevonden"),
    ],
    ids=[
        "geen-zip",
        "zonder-qde",
        "kapotte-xml",
        "entiteiten",
        "codeboek",
        "onbekende-gebruiker",
        "code",
        "bron",
        "onbewerkt",
    ],
)
def test_bad_project_files(folder, tmp_path, capsys, make, expected):
    exported = _export(folder, tmp_path / "project.qdpx")
    bad = tmp_path / "slecht.qdpx"
    make(bad, exported)
    before = sorted(p.name for p in (folder / "coding").iterdir())
    capsys.readouterr()
    args = ["stories", "import-codings", bad, "--coder", "carla", "--stories", folder]
    if expected.startswith("gebruiker"):
        args += ["--user", "carla"]
    code = _run(*args, "--data", DATA_DIR)
    captured = capsys.readouterr()
    assert code == 1
    assert expected in captured.err
    assert "slecht.qdpx" in captured.err
    assert "niets geschreven" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert sorted(p.name for p in (folder / "coding").iterdir()) == before


@pytest.mark.parametrize("coder", ["auto", "Carla", "../carla", ""])
def test_import_refuses_bad_coder_names(folder, tmp_path, capsys, coder):
    exported = _export(folder, tmp_path / "project.qdpx")
    capsys.readouterr()
    args = ["stories", "import-codings", exported, "--coder", coder, "--user", "anouk"]
    assert _run(*args, "--stories", folder, "--data", DATA_DIR) == 1
    assert "codeur" in capsys.readouterr().err
    assert sorted(p.name for p in (folder / "coding").iterdir()) == ["anouk.csv"]


def test_export_refuses_bad_input_and_writes_nothing(folder, tmp_path, capsys):
    (folder / "coding" / "bram.csv").write_text("story_id,theme\nvt-901,parkeren\n", "utf-8")
    out = tmp_path / "project.qdpx"
    assert _run("stories", "export", out, "--stories", folder, "--data", DATA_DIR) == 1
    err = capsys.readouterr().err
    assert "bram.csv" in err and "parkeren" in err
    assert not out.exists()
    assert list(tmp_path.glob(".project.qdpx*")) == []  # no temporary file left behind
    assert _run("stories", "export", tmp_path / "p.zip", "--stories", folder) == 1
    assert ".qdpx" in capsys.readouterr().err
    assert not (tmp_path / "p.zip").exists()


def test_export_keeps_an_old_file_when_it_fails(folder, tmp_path):
    out = _export(folder, tmp_path / "project.qdpx")
    before = out.read_bytes()
    (folder / "vt-907.md").write_text("---\nid: vt-907\n---\nkapot\n", encoding="utf-8")
    assert _run("stories", "export", out, "--stories", folder, "--data", DATA_DIR) == 1
    assert out.read_bytes() == before


def test_selection_guids_are_stable_and_distinct():
    book = codebook_in(ProgrammeFolder.bundled())
    stories = [_story("vt-1", "Veel overlast en grofvuil."), _story("vt-2", "Niets.")]
    selections = [
        Selection("vt-1", "overlast", 5, 13, AUTO_USER),
        Selection("vt-1", "afval-verloedering", 17, 25, AUTO_USER),
        Selection("vt-1", "overlast", 0, 26, "anouk"),
    ]
    users = [AUTO_USER, "anouk"]
    doc = project_xml(stories, book, selections, users)
    assert doc == project_xml(stories, book, list(reversed(selections)), users)
    guids = [e.get("guid") for e in ET.fromstring(doc).iter() if e.get("guid")]
    assert len(guids) == len(set(guids))
    version5 = r"[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert pd.Series(guids).str.fullmatch(version5).all()


def _as_another_tool(root):
    """What a tool does on re-export: new GUIDs for everything, sources named with .txt."""
    new: dict[str, str] = {}

    def fresh(old: str) -> str:
        return new.setdefault(old, "{" + str(uuid.uuid4()).upper() + "}")

    for element in root.iter():
        for attribute in ("guid", "targetGUID", "creatingUser", "creatingUserGUID"):
            if element.get(attribute):
                element.set(attribute, fresh(element.get(attribute)))
        if element.tag == _q("TextSource"):
            element.set("name", element.get("name") + ".txt")
            element.set("plainTextPath", f"internal://{element.get('guid')}.txt")
    carla = _add_user(root, "carla")
    code = next(c.get("guid") for c in root.iter(_q("Code")) if c.get("name") == "werk")
    _add_coding(root, "vt-904.txt", code, carla, 20, 30)


def test_import_after_a_tool_gave_everything_new_guids(folder, tmp_path):
    exported = _export(folder, tmp_path / "project.qdpx")
    worked = _rewrite(exported, tmp_path / "qualcoder.qdpx", _as_another_tool)
    data = _qde(worked)
    assert (
        guid("story", "vt-904").encode() not in data and guid("user", "auto").encode() not in data
    )
    args = ["stories", "import-codings", worked, "--coder", "carla", "--coded-only"]
    assert _run(*args, "--stories", folder, "--data", DATA_DIR) == 0
    # auto's and anouk's codings are recognised by name, not counted as carla's
    rows = read_coder_file(folder / "coding" / "carla.csv", BOOK)
    assert rows.values.tolist() == [["vt-904", "werk"]]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8")),
        st.sampled_from([b"", b"PK\x03\x04", b"PK\x05\x06" + b"\x00" * 18]),
    ),
    zipped=st.booleans(),
)
def test_any_file_is_read_or_refused_with_an_input_error(tmp_path, codebook, content, zipped):
    """A parser property: whatever the file holds, an InputError or codings, nothing else."""
    path = tmp_path / "willekeurig.qdpx"
    if zipped:
        _zip(path, "project.qde", content.decode("utf-8", errors="replace"))
    else:
        path.write_bytes(content)
    try:
        frame = read_codings(path, codebook, ["vt-901"])
    except InputError as exc:
        assert "willekeurig.qdpx" in str(exc)
    else:
        assert list(frame.columns) == ["story_id", "theme"]


def test_blind_export_has_no_codings_and_round_trips(folder, tmp_path, capsys):
    out = tmp_path / "blind.qdpx"
    args = ["stories", "export", out, "--no-codings", "--stories", folder, "--data", DATA_DIR]
    assert _run(*args) == 0
    assert "blind" in capsys.readouterr().out
    data = _qde(out)
    assert_schema_valid(data, Project)
    root = ET.fromstring(data)
    assert list(root.iter(_q("PlainTextSelection"))) == []
    assert [u.get("name") for u in root.iter(_q("User"))] == [NEUTRAL_USER, AUTO_USER]
    assert len(list(root.iter(_q("TextSource")))) == len(TEXTS)

    def code(root):
        _add_coding(root, "vt-902", guid("code", "eenzaamheid"), _add_user(root, "Carla"))

    worked = _rewrite(out, tmp_path / "carla.qdpx", code)
    args = ["stories", "import-codings", worked, "--coder", "carla"]
    assert _run(*args, "--stories", folder, "--data", DATA_DIR) == 0
    rows = read_coder_file(folder / "coding" / "carla.csv", BOOK)
    assert set(rows.itertuples(index=False, name=None)) == {
        ("vt-901", ""),
        ("vt-902", "eenzaamheid"),
        ("vt-903", ""),
        ("vt-904", ""),
        ("vt-905", ""),
    }


# -- the coder under their own name ---------------------------------------------------


def _users(path: Path) -> list[str]:
    return [u.get("name") for u in ET.fromstring(_qde(path)).iter(_q("User"))]


def _code_as_first_user(*codings: tuple[str, str]):
    """What QualCoder does: it codes as the first user in the project's user list."""

    def edit(root):
        first = root.find("q:Users", NS)[0].get("guid")
        for story, code in codings:
            _add_coding(root, story, guid("code", code), first)

    return edit


def _auto_first(root):
    """A project as exported before --coder existed: auto the first and creating user."""
    users = root.find("q:Users", NS)
    auto = next(u for u in users if u.get("name") == AUTO_USER)
    users.remove(auto)
    users.insert(0, auto)
    root.set("creatingUserGUID", auto.get("guid"))


def _import(worked: Path, folder: Path, *args: str) -> int:
    return _run("stories", "import-codings", worked, "--coder", "carla", *args,
                "--stories", folder, "--data", DATA_DIR)  # fmt: skip


def _rows(path: Path) -> set[tuple[str, str]]:
    return {(s, t) for s, t in read_coder_file(path, BOOK).itertuples(index=False, name=None) if t}


def test_export_puts_the_coder_first_and_auto_last(folder, tmp_path, capsys):
    cases = [
        (["--coder", "carla"], ["carla", "anouk", AUTO_USER]),
        (["--coder", "carla", "--no-codings"], ["carla", AUTO_USER]),
        ([], [NEUTRAL_USER, "anouk", AUTO_USER]),
        (["--no-codings"], [NEUTRAL_USER, AUTO_USER]),
        (["--coder", "anouk"], ["anouk", AUTO_USER]),  # a coder who has a file: listed once
    ]
    for i, (args, users) in enumerate(cases):
        out = tmp_path / f"p{i}.qdpx"
        capsys.readouterr()
        assert _run("stories", "export", out, *args, "--stories", folder, "--data", DATA_DIR) == 0
        printed = capsys.readouterr().out
        assert f"Eerste gebruiker: '{users[0]}'" in printed
        assert _users(out) == users
        data = _qde(out)
        assert_schema_valid(data, Project)
        assert ET.fromstring(data).get("creatingUserGUID") == guid("user", users[0])
    # anouk's own codings stay hers when she is the one the project is for
    root = ET.fromstring(_qde(tmp_path / "p4.qdpx"))
    creators = {c.get("creatingUser") for c in root.iter(_q("Coding"))}
    assert creators == {guid("user", "anouk"), guid("user", AUTO_USER)}


@pytest.mark.parametrize(
    "export_args",
    [["--coder", "carla"], ["--coder", "carla", "--no-codings"], [], ["--no-codings"]],
    ids=["coder", "coder-blind", "neutraal", "neutraal-blind"],
)
def test_a_tool_that_codes_as_the_first_user(folder, tmp_path, capsys, export_args):
    exported = tmp_path / "project.qdpx"
    args = ["stories", "export", exported, *export_args, "--stories", folder, "--data", DATA_DIR]
    assert _run(*args) == 0
    coded = (("vt-903", "overlast"), ("vt-903", "jongeren"), ("vt-904", "werk"))
    worked = _rewrite(exported, tmp_path / "terug.qdpx", _code_as_first_user(*coded))
    capsys.readouterr()
    assert _import(worked, folder) == 0
    out = capsys.readouterr().out
    assert _rows(folder / "coding" / "carla.csv") == set(coded)
    if "--coder" in export_args:
        assert "Let op" not in out
    else:  # made as the neutral user: imported, and said so
        assert f"op naam van '{NEUTRAL_USER}'" in out and f"--user {NEUTRAL_USER}" in out
        assert "--coder NAAM" in out


def test_coded_first_as_codeur_then_under_own_name(folder, tmp_path, capsys):
    exported = _export(folder, tmp_path / "project.qdpx")

    def both(root):
        _code_as_first_user(("vt-901", "afval-verloedering"))(root)
        _add_coding(root, "vt-902", guid("code", "eenzaamheid"), _add_user(root, "carla"))

    worked = _rewrite(exported, tmp_path / "terug.qdpx", both)
    capsys.readouterr()
    assert _import(worked, folder) == 1
    err = capsys.readouterr().err
    assert "codeur, carla" in err or "carla, codeur" in err
    assert "neutrale eerste gebruiker" in err and "--user carla --user codeur" in err
    assert not (folder / "coding" / "carla.csv").exists()
    assert _import(worked, folder, "--user", "codeur", "--user", "carla") == 0
    assert _rows(folder / "coding" / "carla.csv") == {
        ("vt-901", "afval-verloedering"),
        ("vt-902", "eenzaamheid"),
    }


@pytest.mark.parametrize("blind", [True, False], ids=["blind", "met-coderingen"])
def test_codings_made_as_auto_in_an_older_export(folder, tmp_path, capsys, blind):
    exported = tmp_path / "oud.qdpx"
    args = ["stories", "export", exported, "--stories", folder, "--data", DATA_DIR]
    assert _run(*args, *(["--no-codings"] if blind else [])) == 0
    old = _rewrite(exported, tmp_path / "oud-export.qdpx", _auto_first)
    assert _users(old)[0] == AUTO_USER
    codings = ET.fromstring(_qde(old)).iter(_q("Coding"))
    automatic = sum(c.get("creatingUser") == guid("user", AUTO_USER) for c in codings)
    assert automatic == (
        0 if blind else len(auto_code_spans(load_stories(folder, VOCAB).frame(), BOOK))
    )
    coded = (("vt-902", "ontmoeting"), ("vt-904", "werk"))
    worked = _rewrite(old, tmp_path / "terug.qdpx", _code_as_first_user(*coded))
    capsys.readouterr()
    assert _import(worked, folder) == 1
    err = capsys.readouterr().err
    assert "2 coderingen staan op naam van 'auto'" in err and "--user auto" in err
    assert not (folder / "coding" / "carla.csv").exists()

    assert _import(worked, folder, "--user", "auto") == 0
    out = capsys.readouterr().out
    assert _rows(folder / "coding" / "carla.csv") == set(coded)  # not the automatic coding
    assert "op naam van 'auto'" in out
    assert (f"{automatic} coderingen van 'auto' zijn de automatische codering" in out) != blind


def test_codings_made_as_auto_and_under_own_name(folder, tmp_path, capsys):
    exported = _rewrite(_export(folder, tmp_path / "p.qdpx"), tmp_path / "oud.qdpx", _auto_first)

    def both(root):
        _code_as_first_user(("vt-902", "ontmoeting"))(root)
        _add_coding(root, "vt-904", guid("code", "werk"), _add_user(root, "carla"))

    worked = _rewrite(exported, tmp_path / "terug.qdpx", both)
    capsys.readouterr()
    assert _import(worked, folder) == 1
    err = capsys.readouterr().err
    assert "--user carla --user auto" in err and "niets geschreven" in err
    assert _import(worked, folder, "--user", "carla", "--user", "auto") == 0
    assert _rows(folder / "coding" / "carla.csv") == {("vt-902", "ontmoeting"), ("vt-904", "werk")}


def test_a_coding_as_auto_on_an_automatic_span_counts_in_a_blind_project(folder, tmp_path):
    """No automatic coding in the project: a person selecting just the word it would is theirs."""
    span = auto_code_spans(load_stories(folder, VOCAB).frame(), BOOK).iloc[0]
    args = ["stories", "export", tmp_path / "b.qdpx", "--no-codings", "--stories", folder]
    assert _run(*args, "--data", DATA_DIR) == 0
    old = _rewrite(tmp_path / "b.qdpx", tmp_path / "oud.qdpx", _auto_first)

    def exactly(root):
        first = root.find("q:Users", NS)[0].get("guid")
        code = guid("code", span.theme)
        _add_coding(root, span.story_id, code, first, int(span.start), int(span.end))

    worked = _rewrite(old, tmp_path / "terug.qdpx", exactly)
    assert _import(worked, folder, "--user", "auto") == 0
    assert _rows(folder / "coding" / "carla.csv") == {(span.story_id, span.theme)}


HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "a&b",
    '"carla"',
    '=HYPERLINK("http://x")',
    "+carla",
    "@carla",
    "-carla",
    "../carla",
    "carla/../../etc",
    "..\\carla",
    "/tmp/carla",
    "carla\n",
    "carla.csv",
    "Carla",
    "car la",
    "",
    "auto",
    "codeur",
    "con",
    "nul",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_coder_names_are_refused(folder, tmp_path, capsys, name):
    out = tmp_path / "project.qdpx"
    # --coder=NAME: a name starting with '-' is a value, not an option
    args = ["stories", "export", out, f"--coder={name}", "--stories", folder, "--data", DATA_DIR]
    assert _run(*args) == 1
    captured = capsys.readouterr()
    assert "codeur" in captured.err and "niets geschreven" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert list(tmp_path.iterdir()) == [folder]  # no project, no temporary file
    exported = _export(folder, tmp_path / "goed.qdpx")
    capsys.readouterr()
    args = ["stories", "import-codings", exported, f"--coder={name}", "--user", "anouk"]
    assert _run(*args, "--stories", folder, "--data", DATA_DIR) == 1
    captured = capsys.readouterr()
    assert "codeur" in captured.err and "Traceback" not in captured.err + captured.out
    assert sorted(p.name for p in (folder / "coding").iterdir()) == ["anouk.csv"]


@pytest.mark.parametrize("stem", ["=cmd", "<b>", "Anouk", "con", "auto", "codeur"])
def test_export_refuses_a_coder_file_that_is_no_coder_name(folder, tmp_path, capsys, stem):
    (folder / "coding" / f"{stem}.csv").write_text("story_id,theme\nvt-901,werk\n", "utf-8")
    out = tmp_path / "project.qdpx"
    assert _run("stories", "export", out, "--stories", folder, "--data", DATA_DIR) == 1
    err = capsys.readouterr().err
    assert f"{stem}.csv" in err and "geen codeursnaam" in err
    assert not out.exists()


HOSTILE_USERS = ["<img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0", "../../etc/passwd"]


@pytest.mark.parametrize("user", HOSTILE_USERS)
def test_hostile_user_names_in_a_project(folder, tmp_path, capsys, user):
    """A user's name in the project is only ever shown, never a file name or a table cell."""
    exported = _export(folder, tmp_path / "project.qdpx")

    def code(root):
        _add_coding(root, "vt-903", guid("code", "overlast"), _add_user(root, user))
        _add_coding(root, "vt-904", guid("code", "werk"), _add_user(root, "dirk"))

    worked = _rewrite(exported, tmp_path / "terug.qdpx", code)
    capsys.readouterr()
    assert _import(worked, folder) == 1  # two new users: which one?
    assert user in capsys.readouterr().err
    assert _import(worked, folder, "--user", user) == 0
    assert sorted(p.name for p in (folder / "coding").iterdir()) == ["anouk.csv", "carla.csv"]
    text = (folder / "coding" / "carla.csv").read_text(encoding="utf-8")
    assert user not in text and "dirk" not in text
    assert _rows(folder / "coding" / "carla.csv") == {("vt-903", "overlast")}


def test_a_codebook_has_no_coder(tmp_path, capsys):
    out = tmp_path / "codeboek.qdc"
    assert _run("stories", "export", out, "--coder", "carla", "--data", DATA_DIR) == 1
    assert "--coder hoort bij een project" in capsys.readouterr().err
    assert not out.exists()


def test_docstring_examples_run():
    import doctest

    from npdw_learning.vertellen import qda

    failures, attempted = doctest.testmod(qda)
    assert attempted >= 3 and failures == 0
