"""Exchange with QDA tools (ATLAS.ti, NVivo, MAXQDA, QualCoder) in the REFI-QDA standard.

Coders at the university code in their own QDA tool; these tools all read and
write REFI-QDA (https://www.qdasoftware.org): a *project* ``.qdpx`` (a zip
with ``project.qde``, XML in the namespace ``urn:QDA-XML:project:1.0``, and the
texts under ``sources/``) and a *codebook* ``.qdc`` (XML, namespace
``urn:QDA-XML:codebook:1.0``).

:func:`export_project` writes the stories as text sources (the pseudonymised
text only, which is all a story file holds), their front matter as variables,
the codebook as codes, and as coded selections the automatic coding (user
``auto``, one selection per evidence span) and every coder file in
``stories/coding/`` (one user per file; a coder codes whole stories, so each
code selects the whole text). The first user is the one who will code the
project (``coder``, else the neutral user ``codeur``), since a QDA tool such
as QualCoder codes as the first user; ``auto`` comes last (see
:mod:`.qda_users`). :func:`export_codebook` writes the codebook
alone. :func:`read_codings` reads the codings a coder made back into the
``story_id,theme`` table of :func:`npdw_learning.vertellen.coding.read_coder_file`, and
:func:`import_codings` writes it as ``stories/coding/<coder>.csv``.

Which codings an import counts
------------------------------
Every coding whose user is *not* one whose codings the export wrote: not
``auto`` and not a coder who already has a file in ``stories/coding/``
(recognised by name, since a tool that re-exports a project may give every
user, source and code a new GUID). The neutral user ``codeur`` and the
``coder`` the project was made for are new users (unless that coder already
has a file): the export writes no codings for them. With ``user`` (one name or
several), only the codings of those users. Sources match stories by GUID or by
name (``vt-001`` or ``vt-001.txt``), codes match themes by id or label.
Codings of more than one new user without ``user`` are an error (whose codes
would they be?), and so are codings a person made as ``auto`` (those that are
not exactly the automatic coding): the message names the ``--user`` to pass.
Codings made as ``codeur`` or ``auto`` come with a warning. A coding without a
user counts as the new coder's. The position of a selection does not matter: a
code anywhere in a story codes the story.

A story in the project that the coder gave no code counts, by default, as
*read and given no theme* (an empty theme in the CSV): a project is handed
to a coder to code all of it. With ``coded_only`` only the stories the coder
coded count.

Determinism: every GUID is a UUID version 5 of a fixed namespace and the id
it stands for (``story:vt-001``, ``code:overlast``, ...), elements are written
in a fixed order, the zip has fixed timestamps and no creation dates are
written, so the same inputs give the same bytes. Text positions are Python
character offsets (Unicode code points, end exclusive) into the UTF-8 text
file of the source.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pandas as pd

from ..kern.atomic import write_atomic, write_csv
from ..kern.errors import Finding, InputError
from ..kern.inputfile import open_zip
from ..kern.programme import ProgrammeFolder
from .coding import Codebook, auto_code_spans, codebook_in, read_coder_file
from .qda_users import (
    AUTO_USER,
    NEUTRAL_USER,
    Coding,
    check_coder_name,
    choose_codings,
    coder_name_problem,
    project_users,
)
from .stories import Story, StoryCollection, require_valid, stories_in

__all__ = [
    "PROJECT_NS",
    "CODEBOOK_NS",
    "AUTO_USER",
    "NEUTRAL_USER",
    "VARIABLES",
    "Selection",
    "guid",
    "project_xml",
    "codebook_xml",
    "export_project",
    "export_codebook",
    "read_codings",
    "import_codings",
    "CodingImport",
    "written_by_npdw",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
VARIABLES = ("area", "teller", "channel", "change", "consent", "date", "pillars")
PROJECT_FILE = "project.qde"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:npdw-learning:refi-qda")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# project.qde holds the codings, not the texts (those are under sources/): a project of
# 1,000 stories coded by three coders is about 10 MB.
_MAX_QDE = 64_000_000
# Characters XML 1.0 cannot hold at all (not even escaped); the texts themselves
# travel as separate UTF-8 files, so only names and descriptions lose them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def guid(kind: str, key: str) -> str:
    """The GUID of one object: the same kind and key give the same GUID in every run.

    Examples
    --------
    >>> guid("code", "overlast") == guid("code", "overlast") != guid("code", "werk")
    True
    """
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _q(tag: str) -> str:
    return f"{{{PROJECT_NS}}}{tag}"


def _sub(parent: ET.Element, tag: str, **attrib: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrib.items()})


def _root(tag: str, ns: str, **attrib: str) -> ET.Element:
    # The default namespace as a plain attribute: no prefixes, no global registry.
    return ET.Element(tag, {"xmlns": ns, **attrib})


def _xml_bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


# -- export ----------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """One coded stretch of a story's text, by one user."""

    story_id: str
    theme: str
    start: int
    end: int
    user: str


def _code_description(codebook: Codebook, theme_id: str) -> str:
    theme = codebook[theme_id]
    parts = [theme.label, theme.description]
    if theme.example:
        parts.append(f"Voorbeeld: {theme.example}")
    parts.append(f"Pijler: {theme.pillar}; doelen: {', '.join(theme.goals)}")
    return _clean("\n\n".join(parts))


def _add_codes(parent: ET.Element, codebook: Codebook) -> None:
    codes = _sub(parent, "Codes")
    for theme_id in codebook.ids:
        code = _sub(codes, "Code", guid=guid("code", theme_id), name=theme_id, isCodable="true")
        _sub(code, "Description").text = _code_description(codebook, theme_id)


def codebook_xml(codebook: Codebook, origin: str = "npdw-learning") -> bytes:
    """The codebook as a REFI-QDA codebook document (``.qdc``), UTF-8 bytes.

    Each theme is a code named by its id, with label, description, example and
    pillar as the code's description.

    Examples
    --------
    >>> from npdw_learning.vertellen.coding import codebook_in
    >>> book = codebook_in(ProgrammeFolder.bundled())
    >>> xml = codebook_xml(book)
    >>> xml.count(b"<Code ") == len(book), b'name="overlast"' in xml
    (True, True)
    """
    root = _root("CodeBook", CODEBOOK_NS, origin=origin)
    _add_codes(root, codebook)
    return _xml_bytes(root)


def _variable_value(story: Story, name: str) -> str:
    if name == "pillars":
        return ", ".join(story.pillars)  # may be empty: pillars not (yet) known
    return str(getattr(story, name))


def project_xml(
    stories: Sequence[Story],
    codebook: Codebook,
    selections: Iterable[Selection],
    users: Sequence[str],
    origin: str = "npdw-learning",
) -> bytes:
    """The ``project.qde`` document of a REFI-QDA project, UTF-8 bytes.

    Parameters
    ----------
    stories : sequence of Story
        The sources, in this order; each text lives in ``sources/<guid>.txt``.
    codebook : Codebook
        The codes.
    selections : iterable of Selection
        The coded stretches; written per story in (user, start, end, theme) order.
    users : sequence of str
        Every user named by a selection; the first is the project's creating
        user and the one a QDA tool such as QualCoder codes as.
    origin : str
        The ``origin`` attribute: which program wrote the project.

    Returns
    -------
    bytes
        The XML document; the texts themselves go into the zip next to it.

    Examples
    --------
    >>> import datetime as dt
    >>> from npdw_learning.vertellen.coding import codebook_in
    >>> story = Story("vt-1", dt.date(2025, 3, 1), "wielwijk", "bewoner", "interview",
    ...               ("veilig",), "beter", "analyse", "Veel overlast.")
    >>> book = codebook_in(ProgrammeFolder.bundled())
    >>> xml = project_xml([story], book, [Selection("vt-1", "overlast", 5, 13, "auto")],
    ...                   ["auto"])
    >>> b'startPosition="5" endPosition="13"' in xml
    True
    """
    root = _root(
        "Project",
        PROJECT_NS,
        name="NPDW verhalen",
        origin=origin,
        # The coder the project is for, not auto: a tool may take this user as the coder.
        creatingUserGUID=guid("user", users[0]),
    )
    users_el = _sub(root, "Users")
    for user in users:
        _sub(users_el, "User", guid=guid("user", user), name=user)
    _add_codes(_sub(root, "CodeBook"), codebook)
    variables = _sub(root, "Variables")
    for name in VARIABLES:
        _sub(variables, "Variable", guid=guid("variable", name), name=name, typeOfVariable="Text")
    by_story: dict[str, list[Selection]] = {}
    for sel in selections:
        by_story.setdefault(sel.story_id, []).append(sel)
    sources = _sub(root, "Sources")
    for story in stories:
        _add_source(sources, story, by_story.get(story.id, []))
    return _xml_bytes(root)


def _add_source(sources: ET.Element, story: Story, selections: list[Selection]) -> None:
    """One story as a ``TextSource``: its coded selections, then its variables."""
    source_guid = guid("story", story.id)
    source = _sub(
        sources,
        "TextSource",
        guid=source_guid,
        name=story.id,
        plainTextPath=f"internal://{source_guid}.txt",
    )
    ordered = sorted(selections, key=lambda s: (s.user, s.start, s.end, s.theme))
    for sel in ordered:
        key = f"{sel.user}:{story.id}:{sel.theme}:{sel.start}:{sel.end}"
        user_guid = guid("user", sel.user)
        element = _sub(
            source,
            "PlainTextSelection",
            guid=guid("selection", key),
            name=sel.theme,
            startPosition=str(sel.start),
            endPosition=str(sel.end),
            creatingUser=user_guid,
        )
        coding = _sub(element, "Coding", guid=guid("coding", key), creatingUser=user_guid)
        _sub(coding, "CodeRef", targetGUID=guid("code", sel.theme))
    for name in VARIABLES:
        value = _sub(source, "VariableValue")
        _sub(value, "VariableRef", targetGUID=guid("variable", name))
        _sub(value, "TextValue").text = _clean(_variable_value(story, name))


def _zip_entry(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # the same bytes on every platform
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def _selections(
    collection: StoryCollection, codebook: Codebook, coders: dict[str, pd.DataFrame]
) -> list[Selection]:
    spans = auto_code_spans(collection.frame(), codebook=codebook)
    out = [
        Selection(r.story_id, r.theme, int(r.start), int(r.end), AUTO_USER)
        for r in spans.itertuples(index=False)
    ]
    length = {s.id: len(s.text) for s in collection.stories}
    for coder, codes in coders.items():
        out += [
            Selection(story_id, theme, 0, length[story_id], coder)
            for story_id, theme in codes.itertuples(index=False)
            if theme
        ]
    return out


def _read_coders(
    folder: ProgrammeFolder, codebook: Codebook, story_ids: Sequence[str]
) -> dict[str, pd.DataFrame]:
    coders: dict[str, pd.DataFrame] = {}
    findings: list[Finding] = []
    for path in sorted(folder.coding_dir.glob("*.csv")):
        problem = coder_name_problem(path.stem)  # the file's name becomes a user's name
        if problem:
            message = f"de bestandsnaam is geen codeursnaam: {problem}"
            findings.append(Finding("error", str(path), message))
            continue
        try:
            coders[path.stem] = read_coder_file(path, codebook, story_ids)
        except InputError as exc:
            findings += exc.findings or [Finding("error", str(path), str(exc))]
    if findings:
        raise InputError("De codeerbestanden bevatten fouten; er is niets geschreven.", findings)
    return coders


def _load(folder: ProgrammeFolder) -> tuple[StoryCollection, Codebook]:
    collection = require_valid(stories_in(folder))
    if not collection.stories:
        raise InputError(
            f"{folder.stories_dir}: geen verhalen gevonden; klopt --stories?",
            [Finding("error", str(folder.stories_dir), "geen verhaalbestanden (*.md)")],
        )
    return collection, codebook_in(folder)


def export_project(
    path: str | Path,
    folder: ProgrammeFolder,
    *,
    codings: bool = True,
    coder: str | None = None,
) -> dict:
    """Write the stories, codebook and all codings as a REFI-QDA project (``.qdpx``).

    Parameters
    ----------
    path : path
        The ``.qdpx`` file to write (atomically; an existing file is replaced).
    folder : ProgrammeFolder
        The programme: its stories (with the coder files), codebook and story
        vocabulary.
    codings : bool
        Include the automatic coding and the coder files; without them the
        project is fit for a new coder who codes blind.
    coder : str, optional
        Who will code the project: the first user, so a QDA tool opens it under
        this name (a coder name as :func:`.qda_users.check_coder_name` allows).
        Without it the first user is the neutral ``codeur``.

    Returns
    -------
    dict
        ``stories``, ``codes``, ``users`` (in the project's order, the coder
        first) and per user the number of coded selections.

    Raises
    ------
    InputError
        A bad ``coder``; a story file, the codebook or a coder file is wrong;
        nothing is written.
    """
    from ..kern.version import __version__

    if coder is not None:
        check_coder_name(coder, "--coder")
    collection, codebook = _load(folder)
    coders: dict[str, pd.DataFrame] = {}
    selections: list[Selection] = []
    if codings:
        coders = _read_coders(folder, codebook, [s.id for s in collection.stories])
        selections = _selections(collection, codebook, coders)
    users = project_users(coder, coders)
    xml = project_xml(
        collection.stories, codebook, selections, users, origin=f"npdw-learning {__version__}"
    )

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w") as archive:
            _zip_entry(archive, PROJECT_FILE, xml)
            for story in sorted(collection.stories, key=lambda s: guid("story", s.id)):
                name = f"sources/{guid('story', story.id)}.txt"
                _zip_entry(archive, name, story.text.encode("utf-8"))

    write_atomic(path, write)
    counts = {user: sum(s.user == user for s in selections) for user in users}
    return {
        "stories": len(collection.stories),
        "codes": len(codebook),
        "users": users,
        "selections": counts,
    }


def export_codebook(path: str | Path, folder: ProgrammeFolder) -> int:
    """Write the programme's codebook alone as a REFI-QDA codebook (``.qdc``); returns the
    number of codes."""
    from ..kern.version import __version__

    codebook = codebook_in(folder)
    xml = codebook_xml(codebook, origin=f"npdw-learning {__version__}")
    write_atomic(path, lambda tmp: tmp.write_bytes(xml))
    return len(codebook)


# -- import ----------------------------------------------------------------------


_ORIGIN = b'origin="npdw-learning'


def written_by_npdw(path: Path) -> bool:
    """Whether ``path`` is a project (.qdpx) or codebook (.qdc) that this toolkit exported.

    Its root element carries ``origin="npdw-learning ..."``; only then may an
    export replace it (``npdw stories export`` never writes over another file).
    """
    from ..kern.outdir import starts_with

    try:
        if path.suffix.lower() == ".qdc":
            if not starts_with(path, b"<"):
                return False
            with path.open("rb") as fh:
                return _ORIGIN in fh.read(4096)
        with open_zip(path, kind="qdpx", what="REFI-QDA-project (.qdpx)") as archive:
            head = next(archive.inflate(PROJECT_FILE, limit=_MAX_QDE), b"")
            return _ORIGIN in head[:4096]
    except (InputError, KeyError, OSError):
        return False


def _fail(path: str, message: str) -> InputError:
    return InputError(f"{path}: {message}; er is niets geschreven.")


def _read_qde(path: Path) -> ET.Element:
    """The root element of ``project.qde`` inside a ``.qdpx``, parsed safely.

    The project is a regular file of at most ``LIMITS["qdpx"]``; ``project.qde``
    is inflated under :data:`_MAX_QDE`, counted as it inflates (a zip may
    declare any size); the XML is parsed by defusedxml (no entities, no DTD).
    """
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    name = str(path)
    try:
        archive = open_zip(path, kind="qdpx", what="REFI-QDA-project (.qdpx)")
    except InputError as exc:
        raise _fail(name, exc.findings[0].message) from None
    with archive:
        names = archive.namelist()
        qde = [n for n in names if n == PROJECT_FILE] or [
            n for n in names if "/" not in n and n.lower().endswith(".qde")
        ]
        if len(qde) != 1:
            raise _fail(
                name, f"geen {PROJECT_FILE} in het zip-bestand: is dit een REFI-QDA-project?"
            )
        try:
            data = b"".join(archive.inflate(qde[0], limit=_MAX_QDE))
        except InputError as exc:
            raise _fail(name, exc.findings[0].message) from None
    try:
        root = fromstring(data)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise _fail(name, f"{PROJECT_FILE} is geen geldige XML ({exc})") from None
    if root.tag != _q("Project"):
        raise _fail(name, f"{PROJECT_FILE} is geen REFI-QDA-project (hoofdelement {root.tag})")
    return root


def _codes(root: ET.Element) -> dict[str, str]:
    """Code GUID -> name, nested codes included."""
    return {
        c.get("guid", "").strip("{}").lower(): c.get("name", "")
        for c in root.iter(_q("Code"))
        if c.get("guid")
    }


def _story_name(name: str, known: set[str]) -> str | None:
    """The story a source name stands for: ``vt-001``, or ``vt-001.txt`` as some tools name it."""
    name = name.strip()
    if name.lower().endswith(".txt"):
        name = name[:-4]
    return name if name in known else None


def _theme_of(code_name: str, codebook: Codebook) -> str | None:
    wanted = code_name.strip().casefold()
    for theme in codebook.themes:
        if wanted in (theme.id, theme.label.casefold()):
            return theme.id
    return None


def _position(selection: ET.Element, attribute: str) -> int | None:
    try:
        return int(selection.get(attribute, ""))
    except ValueError:
        return None


def _source_codings(source: ET.Element, story_id: str | None) -> Iterable[Coding]:
    name = source.get("name") or source.get("guid", "")
    for selection in source:
        user = selection.get("creatingUser", "")
        codings = [selection] if selection.tag == _q("Coding") else selection.iter(_q("Coding"))
        span = (_position(selection, "startPosition"), _position(selection, "endPosition"))
        for coding in codings:
            ref = coding.find(_q("CodeRef"))
            target = "" if ref is None else ref.get("targetGUID", "")
            by = (coding.get("creatingUser") or user).strip("{}").lower()
            yield Coding(name, story_id, target.strip("{}").lower(), by, *span)


def read_codings(
    path: str | Path,
    codebook: Codebook,
    story_ids: Sequence[str],
    *,
    user: str | Sequence[str] | None = None,
    coded_only: bool = False,
    known_users: Iterable[str] = (),
    automatic: Iterable[tuple[str, str, int, int]] = (),
) -> pd.DataFrame:
    """The codings a coder made in a QDA tool, as ``story_id, theme`` rows.

    Parameters
    ----------
    path : path
        A REFI-QDA project (``.qdpx``), typically one :func:`export_project` wrote
        and a coder worked on.
    codebook : Codebook
        The allowed codes: a code matches a theme by id or label (any case).
    story_ids : sequence of str
        The stories: a source matches one by the GUID the export gave it, or by name.
    user : str or sequence of str, optional
        Count only the codings of the user(s) with this name (see the module
        docstring for the default).
    coded_only : bool
        Leave out the stories the coder gave no code (default: they count as read,
        with an empty theme).
    known_users : iterable of str
        Names of users whose codings are not new (the coders who already have a
        file); ``auto`` always is one.
    automatic : iterable of (story_id, theme, start, end)
        The selections of the automatic coding (:func:`.coding.auto_code_spans`),
        to tell them from codings a person made as ``auto``; without them every
        coding of ``auto`` counts as the automatic coding's.

    Returns
    -------
    DataFrame
        Rows ``story_id, theme`` in story order and then codebook order (the format
        of :func:`npdw_learning.vertellen.coding.read_coder_file`).

    Raises
    ------
    InputError
        Not a zip, no ``project.qde``, invalid XML, a source that is not a story, a
        code that is not in the codebook, an unknown user, no codings at all,
        codings of more than one new user or made as ``auto`` without ``user``.
    """
    users = [user] if isinstance(user, str) else list(user or ())
    frame, _ = _read_project_codings(
        Path(path), codebook, story_ids, users, coded_only, known_users, automatic
    )
    return frame


def _read_project_codings(
    path: Path,
    codebook: Codebook,
    story_ids: Sequence[str],
    wanted: Sequence[str],
    coded_only: bool,
    known_users: Iterable[str],
    automatic: Iterable[tuple[str, str, int, int]],
) -> tuple[pd.DataFrame, list[Finding]]:
    """:func:`read_codings`, and the warnings about whose name the codings were made under."""
    name = str(path)
    root = _read_qde(path)
    users = {
        u.get("guid", "").strip("{}").lower(): u.get("name") or u.get("guid", "")
        for u in root.iter(_q("User"))
    }
    known_users = list(known_users)
    findings: list[Finding] = []
    sources, codings = _read_sources(root, story_ids, name, findings)
    codes = _codes(root)
    in_project = set(sources)
    theirs, notes = choose_codings(
        codings,
        users,
        theme_of={code: _theme_of(code_name, codebook) for code, code_name in codes.items()},
        wanted=wanted,
        known_users=known_users,
        automatic=[a for a in automatic if a[0] in in_project],
        name=name,
    )
    if not theirs:
        findings.append(Finding("error", name, _nothing_found(users, known_users)))
    themes = _themes(theirs, codes, codebook, name, findings)
    if findings:
        unique = list(dict.fromkeys(findings))
        raise InputError(
            f"{name}: de coderingen zijn niet over te nemen; er is niets geschreven.", unique
        )
    pairs = {(c.story_id, themes[c.code]) for c in theirs}
    coded = {story for story, _ in pairs}
    if not coded_only:
        pairs |= {(story, "") for story in sources if story not in coded}
    order = {t: i for i, t in enumerate(("", *codebook.ids))}
    rows = sorted(pairs, key=lambda p: (p[0], order[p[1]]))
    return pd.DataFrame(rows, columns=["story_id", "theme"]), notes


def _nothing_found(users: dict[str, str], known_users: Sequence[str]) -> str:
    exported = sorted({n for n in users.values() if n in {AUTO_USER, *known_users}})
    message = "geen coderingen gevonden van een codeur"
    if exported:
        message += (
            f" (alleen die van de export: {', '.join(exported)}; codeerde de codeur onder een "
            "van die namen, geef die dan met --user)"
        )
    return message


def _read_sources(
    root: ET.Element, story_ids: Sequence[str], name: str, findings: list[Finding]
) -> tuple[list[str], list[Coding]]:
    """The stories in the project and every coding in them; a non-story is a finding."""
    by_guid = {guid("story", s): s for s in story_ids}
    known = set(story_ids)
    sources: list[str] = []
    codings: list[Coding] = []
    container = root.find(_q("Sources"))
    for source in [] if container is None else list(container):
        label = source.get("name") or source.get("guid", "?")
        story_id = by_guid.get(source.get("guid", "").strip("{}").lower())
        if story_id is None:  # a tool that re-exports gives sources new GUIDs: the name
            story_id = _story_name(source.get("name") or "", known)
        if story_id is None:
            message = f"bron '{label}' is geen verhaal uit de verhalenmap"
            findings.append(Finding("error", name, message))
        else:
            sources.append(story_id)
        codings += _source_codings(source, story_id)
    return sources, codings


def _themes(
    codings: list[Coding],
    codes: dict[str, str],
    codebook: Codebook,
    name: str,
    findings: list[Finding],
) -> dict[str, str | None]:
    """Code GUID -> theme id for every code the codings use; an unknown code is a finding."""
    themes: dict[str, str | None] = {}
    for coding in codings:
        code_name = codes.get(coding.code)
        if code_name is None:
            message = f"codering in '{coding.source}' verwijst naar een onbekende code"
            findings.append(Finding("error", name, message))
            continue
        if coding.code in themes:
            continue
        themes[coding.code] = _theme_of(code_name, codebook)
        if themes[coding.code] is None:
            allowed = ", ".join(codebook.ids)
            message = f"code '{code_name}' staat niet in het codeboek (toegestaan: {allowed})"
            findings.append(Finding("error", name, message))
    return themes


@dataclass(frozen=True)
class CodingImport:
    """What :func:`import_codings` wrote, and what the user should know about it."""

    path: Path
    frame: pd.DataFrame
    notes: tuple[Finding, ...] = ()


def import_codings(
    path: str | Path,
    coder: str,
    folder: ProgrammeFolder,
    *,
    user: str | Sequence[str] | None = None,
    coded_only: bool = False,
    overwrite: bool = False,
) -> CodingImport:
    """Turn a coder's codings in a REFI-QDA project into ``stories/coding/<coder>.csv``.

    Parameters are those of :func:`read_codings`, plus the programme folder (its
    stories, codebook and ``coding/`` folder), the coder's name (the
    file name: lowercase letters, digits, ``-`` and ``_``; not ``auto`` or
    ``codeur``) and ``overwrite``: an existing coder file is only replaced when
    it is true. The automatic coding of the stories tells codings a person made
    as ``auto`` from the export's own.

    Returns
    -------
    CodingImport
        The file written, its rows and warnings (codings made as ``codeur`` or
        ``auto``, which ``--user`` that was).

    Raises
    ------
    InputError
        A bad name, an existing file without ``overwrite``, or any error of
        :func:`read_codings`; nothing is written then.
    """
    check_coder_name(coder)
    target = folder.coding_dir / f"{coder}.csv"
    if target.exists() and not overwrite:
        raise _fail(
            str(target),
            f"er is al een codeerbestand van '{coder}'; kies een andere naam of "
            "gebruik --overwrite om het te vervangen",
        )
    collection, codebook = _load(folder)
    story_ids = [s.id for s in collection.stories]
    others = [p.stem for p in target.parent.glob("*.csv") if p.stem != coder]
    spans = auto_code_spans(collection.frame(), codebook=codebook)
    automatic = [(r.story_id, r.theme, int(r.start), int(r.end)) for r in spans.itertuples()]
    wanted = [user] if isinstance(user, str) else list(user or ())
    frame, notes = _read_project_codings(
        Path(path), codebook, story_ids, wanted, coded_only, others, automatic
    )
    write_csv(frame, target)
    return CodingImport(target, frame, tuple(notes))
