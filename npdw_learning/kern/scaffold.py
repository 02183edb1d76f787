"""A new programme folder (``npdw init``): registry, agenda, measurements and stories.

Another focus area of the Nationaal Programma Leefbaarheid en Veiligheid
starts from the shared national part (``registry/national/``: the
Kernindicatoren Rijk, pillars, units) and an empty local part: its own
areas, one placeholder goal per pillar holding that pillar's core
indicators, the codebook as a starting point, an empty agenda, efforts and
delivery register, a stories folder, and a README that lists what to fill
in, in which order. The result loads, validates and evaluates as it is;
the report then says what is still empty.

Everything is written into a temporary folder next to the target and
renamed into place at the end, so a refused or interrupted ``init`` leaves
nothing behind.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Finding, InputError
from .programme import ProgrammeFolder
from .registry import ID_PATTERN, Registry
from .scaffold_readme import TEMPLATE_DELIVERY, programme_readme, stories_readme
from .yamlfile import load_text

__all__ = [
    "ProgrammeSpec",
    "ScaffoldError",
    "parse_area",
    "short_name_of",
    "check_spec",
    "programme_files",
    "scaffold_programme",
    "TEMPLATE_DELIVERY",
    "DEFAULT_AGGREGATE",
]

# Where the template delivery goes: a subfolder, so a run never reads it as a delivery.
DEFAULT_AGGREGATE = ("focusgebied", "Focusgebied")
_DELIVERY_HEADER = "indicator,area,year,value,n,se,source,note\n"
# The channel named after one city's own platform stays out of a new programme.
_LOCAL_CHANNELS = ("doe-mee-dordrecht",)


class ScaffoldError(InputError):
    """``npdw init`` was given a folder or an area it cannot use."""


@dataclass(frozen=True)
class ProgrammeSpec:
    """What ``npdw init`` is told about a new programme.

    Attributes
    ----------
    name, short_name : str
        As the report names the programme (``programme.yaml``).
    neighbourhoods : tuple of (id, label)
        The programme's neighbourhoods, in display order.
    reference : (id, label)
        The comparison area for parity targets (usually the whole city).
    aggregate : (id, label)
        The weighted total of the neighbourhoods (the focus area).
    """

    name: str
    short_name: str
    neighbourhoods: tuple[tuple[str, str], ...]
    reference: tuple[str, str]
    aggregate: tuple[str, str] = DEFAULT_AGGREGATE


def parse_area(text: str, option: str) -> tuple[str, str]:
    """``ID=Label`` as typed after ``--areas`` or ``--reference``.

    Raises
    ------
    ScaffoldError
        Without ``=``, with an id that is not a slug, or with an empty label.

    Examples
    --------
    >>> parse_area("oostkade=Oostkade", "--areas")
    ('oostkade', 'Oostkade')
    """
    ident, sep, label = text.partition("=")
    ident, label = ident.strip(), " ".join(label.split())
    if not sep or not label:
        raise ScaffoldError(
            f"{option} {text!r}: schrijf het gebied als ID=Naam, bijvoorbeeld "
            "'oostkade=Oostkade' (het id in kleine letters, de naam zoals het rapport hem toont)."
        )
    if not ID_PATTERN.match(ident):
        raise ScaffoldError(
            f"{option} {text!r}: het id {ident!r} mag alleen kleine letters, cijfers en - of _ "
            "bevatten, zonder spatie (bijvoorbeeld 'oost-kade')."
        )
    return ident, label


def short_name_of(name: str) -> str:
    """The initials of the capitalised words: ``Programma Zuiderhaven Vooruit`` -> ``PZV``.

    Examples
    --------
    >>> short_name_of("Programma Zuiderhaven Vooruit")
    'PZV'
    """
    words = name.split()
    initials = "".join(w[0] for w in words if w[:1].isupper())
    return initials or (words[0] if words else "")


def check_spec(spec: ProgrammeSpec) -> list[str]:
    """Every reason the areas and names cannot make a programme (Dutch), or []."""
    problems = []
    if not spec.name.strip():
        problems.append(
            "--name is leeg: geef de naam van het programma zoals het rapport hem toont."
        )
    if not spec.short_name.strip():
        problems.append("--short-name is leeg.")
    seen: dict[str, str] = {}
    labels: dict[str, str] = {}
    roles = [("--areas", a) for a in spec.neighbourhoods]
    roles += [("--reference", spec.reference), ("--aggregate", spec.aggregate)]
    for option, (ident, label) in roles:
        if ident in seen:
            problems.append(_duplicate(option, ident, seen[ident]))
        else:
            seen[ident] = option
        if label.casefold() in labels:
            problems.append(
                f"{option} {ident}={label}: de naam {label!r} staat ook bij "
                f"{labels[label.casefold()]}; geef elk gebied een eigen naam."
            )
        else:
            labels[label.casefold()] = f"{option} {ident}"
    return problems


def _duplicate(option: str, ident: str, first: str) -> str:
    if option == "--reference" and first == "--areas":
        return (
            f"--reference {ident}: dit id is ook een wijk. Het referentiegebied is het "
            "gebied waarmee de wijken vergeleken worden (meestal de hele gemeente) en "
            "moet een eigen id hebben."
        )
    if option == "--aggregate":
        return (
            f"--aggregate {ident}: dit id is al gebruikt bij {first}. Het aggregaat is het "
            "gewogen totaal van de wijken en heeft een eigen id nodig."
        )
    return f"{option} {ident}: dit id komt twee keer voor; elk gebied heeft een eigen id."


def _q(text: str) -> str:
    """A YAML double-quoted scalar: typed text stays text (a name ``yes`` or ``1`` too)."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in text.strip().splitlines())


# -- the files ----------------------------------------------------------------------


def _programme_yaml(spec: ProgrammeSpec) -> str:
    return (
        _comment(
            """
Het programma dat deze evaluatie volgt (lokaal). De naam staat in het rapport,
de figuren en de berichten. Gemaakt door `npdw init`.
"""
        )
        + (f"name: {_q(spec.name)}\nshort_name: {_q(spec.short_name)}\n")
        + _WIJKBERICHT_YAML
    )


# The invitation of the wijkbericht (npdw_learning.evaluatie.wijkbericht.load_invitation),
# to be filled in; "nog in te vullen" makes the wijkbericht say that it follows.
_WIJKBERICHT_YAML = _comment(
    """
Het wijkbericht (wijkberichten/<wijk>.pdf) en de presentatie voor de wijkavond
nodigen bewoners uit met wat hier staat. Tekst blijft tekst: HTML, Markdown of een
formule verschijnt precies zoals getypt. Een veld met "nog in te vullen" (of zonder
veld) zegt in het wijkbericht dat het nog volgt. Onder per_wijk staat per wijk-id
wat daar anders is, bijvoorbeeld:
  per_wijk:
    <wijk-id>: {datum: "...", plaats: "..."}
Na een wijziging: npdw wijkbericht --year JAAR (de notebooks hoeven niet opnieuw).
"""
) + (
    "wijkbericht:\n"
    '  uitnodiging: "Kom naar de wijkavond en praat mee over uw wijk."\n'
    '  datum: "nog in te vullen"       # bijvoorbeeld "dinsdag 9 maart 2027, 19.30 uur"\n'
    '  plaats: "nog in te vullen"      # bijvoorbeeld "het buurthuis, Dorpsstraat 1"\n'
    '  verhaal_insturen: "nog in te vullen"  # e-mail, adres of website voor een verhaal\n'
    '  rapport: "nog in te vullen"     # waar het hele rapport staat (website, wijkcentrum)\n'
)


def _areas_yaml(spec: ProgrammeSpec) -> str:
    ref_id, ref_label = spec.reference
    agg_id, agg_label = spec.aggregate
    out = _comment(
        """
Gebieden van het programma (lokaal). Gemaakt door `npdw init`.
kind: neighbourhood = wijk, reference = referentiegebied (pariteitsdoelen
vergelijken de wijken hiermee), aggregate = het gewogen totaal van de wijken.
Een id verandert niet meer zodra er metingen of verhalen naar verwijzen.
"""
    )
    out += f"reference: {_q(ref_id)}\nareas:\n"
    rows = [(i, lab, "neighbourhood") for i, lab in spec.neighbourhoods]
    rows += [(ref_id, ref_label, "reference"), (agg_id, agg_label, "aggregate")]
    for ident, label, kind in rows:
        out += f"  - id: {_q(ident)}\n    label: {_q(label)}\n    kind: {kind}\n"
    members = ", ".join(_q(i) for i, _ in spec.neighbourhoods)
    out += f"aggregate:\n  id: {_q(agg_id)}\n  members: [{members}]\n"
    out += "  # NOG IN TE VULLEN: het gewicht van elke wijk in het totaal, bij voorkeur het\n"
    out += (
        "  # inwonertal (CBS Kerncijfers wijken en buurten). Tot dan telt elke wijk even zwaar.\n"
    )
    out += "  weights:\n"
    out += "".join(f"    {_q(i)}: 1\n" for i, _ in spec.neighbourhoods)
    out += (
        "  weight_source: >-\n"
        "    Nog in te vullen: tot de inwonertallen per wijk hier staan, telt elke\n"
        "    wijk even zwaar (gewicht 1) in het totaal. Vervang de gewichten door het\n"
        "    aantal inwoners per wijk en noem hier de bron en het jaar.\n"
    )
    return out


def _goals_yaml(national: Registry) -> str:
    out = _comment(
        """
Doelen van het programma (lokaal). Gemaakt door `npdw init` als begin: per
pijler één strategisch en één operationeel doel, met de Kernindicatoren Rijk
van die pijler. Het doel zelf is nog niet vastgesteld (target: none): vervang
label en target door de eigen doelen (parity: gelijk aan het referentiegebied;
relative: bijv. -0.70 = 70% lager dan het basisjaar; absolute: een niveau) en
voeg eigen operationele doelen toe. Een indicator meet hoogstens één doel.
"""
    )
    out += "strategic_goals:\n"
    for p in national.pillars.itertuples():
        label = f"{p.label}: strategisch doel nog vast te stellen"
        out += f"  - id: s-{p.id}\n    pillar: {p.id}\n    label: {_q(label)}\n"
    out += "\noperational_goals:\n"
    for p in national.pillars.itertuples():
        ids = national.indicators.loc[national.indicators["pillar"] == p.id, "id"]
        label = f"{p.label}: Kernindicatoren Rijk (doel nog vast te stellen)"
        out += (
            f"  - id: og-{p.id}\n    strategic_goal: s-{p.id}\n    label: {_q(label)}\n"
            "    target: {type: none, value: null, base_year: null, target_year: 2043}\n"
            f"    indicators: [{', '.join(ids)}]\n    context_indicators: []\n"
        )
    return out


def _codebook_yaml(source: Path, national: Registry) -> str:
    """The bundled codebook, each theme linked to the placeholder goal of its pillar."""
    text = source.read_text(encoding="utf-8")
    themes = load_text(text)["themes"]
    lines = text.splitlines(keepends=True)
    out, n, skipping = [], 0, False
    for line in lines:
        if skipping and line.startswith("      - "):
            continue
        skipping = False
        if line.startswith("    goals:"):
            out.append(f"    goals: [og-{themes[n]['pillar']}]\n")
            skipping, n = True, n + 1
            continue
        out.append(line)
    head = _comment(
        """
Startpunt van `npdw init`: het codeboek van de toolkit. Elk thema verwijst
naar het voorlopige doel van zijn pijler (og-<pijler>); koppel het aan de
eigen operationele doelen zodra goals.yaml die heeft, en pas thema's en
patronen aan de eigen wijken aan.
"""
    )
    return head + "".join(out)


def _stories_yaml(source: Path, spec: ProgrammeSpec) -> str:
    vocab = load_text(source.read_text(encoding="utf-8"))
    out = _comment(
        f"""
Woordenlijst van de verhalen (lokaal). Een verhaalbestand in {ProgrammeFolder.stories_dir_name}/ mag
alleen deze waarden gebruiken; `npdw stories validate` controleert dat.
"""
    )
    for key in ("tellers", "channels", "changes", "consent_levels"):
        values = [v for v in vocab[key] if v not in _LOCAL_CHANNELS]
        out += f"{key}:\n" + "".join(f"  - {_q(v)}\n" for v in values)
    out += _comment(
        """
Namen die bij het pseudonimiseren blijven staan: de analyse heeft ze nodig.
De gebieden uit areas.yaml blijven altijd staan; vul hier plaatsen en
organisaties aan (buurten, corporaties, wijkteams).
"""
    )
    places = [spec.reference[1], spec.aggregate[1]]
    out += "allowlist:\n  places:\n" + "".join(f"    - {_q(p)}\n" for p in places)
    out += "  organisations:\n" + "".join(
        f"    - {_q(o)}\n" for o in dict.fromkeys((spec.name, spec.short_name))
    )
    return out


def _empty_list(key: str, what: str, extra: str = "") -> str:
    return (
        _comment(
            f"""
{what} (lokaal). Gemaakt door `npdw init`: nog leeg. De velden staan in
data/README.md van npdw-learning; `npdw agenda check --data .` controleert
elke verwijzing.
"""
        )
        + extra
        + f"{key}: []\n"
    )


def _local_registry(spec: ProgrammeSpec, national: Registry) -> dict[str, str]:
    empty_groups = "share_groups: []\n"
    at = ProgrammeFolder  # on the class: each file's path relative to the folder
    return {
        at.programme_file: _programme_yaml(spec),
        at.areas_file: _areas_yaml(spec),
        at.goals_file: _goals_yaml(national),
        at.indicators_file: _comment(
            """
Eigen indicatoren van het programma (lokaal), naast de Kernindicatoren Rijk
in het landelijke deel (national/). Velden: id, label, pillar, unit, higher_is_better,
source, core (false), share_group, direction_note; zie data/README.md van
npdw-learning. Een id uit national/ mag hier niet opnieuw voorkomen.
"""
        )
        + "indicators: []\n",
        at.share_groups_file: _comment(
            "Eigen groepen van indicatoren die delen van één cijfer zijn (lokaal)."
        )
        + empty_groups,
        at.sources_file: _comment(
            """
Bronnen van de metingen (lokaal). priority: de voorkeursvolgorde als
hetzelfde cijfer in één levering uit meer dan één bron komt (eerste = voorkeur).
"""
        )
        + "priority: []\nsources: []\n",
        at.efforts_file: _empty_list("efforts", "Inspanningen"),
    }


def _local_agenda() -> dict[str, str]:
    settings = "settings:\n  overasking_threshold: 2\n"
    at = ProgrammeFolder
    return {
        at.learning_questions_file: _empty_list(
            "learning_questions", "Leervragen van de leeragenda"
        ),
        at.research_file: _empty_list(
            "research", "Onderzoeksregister en drempel voor overvragen", settings
        ),
        at.lessons_file: _empty_list("lessons", "Geleerde lessen"),
        at.deliveries_file: _comment(
            """
Leveringsregister: welk bestand in deze map wanneer en door wie geleverd is.
Voor hetzelfde (indicator, gebied, jaar) wint de latere levering. Voeg elk
bestand toe met file, delivered (de datum) en supplier; zie README.md.
"""
        )
        + "deliveries: []\n",
        TEMPLATE_DELIVERY: _DELIVERY_HEADER,
    }


def programme_files(
    spec: ProgrammeSpec, toolkit: ProgrammeFolder | None = None, folder: str = "MAP"
) -> dict[str, str]:
    """The text of every file ``npdw init`` writes besides the national part, by path
    relative to the new folder (as :class:`~npdw_learning.kern.programme.ProgrammeFolder`
    names them).

    Parameters
    ----------
    spec : ProgrammeSpec
    toolkit : ProgrammeFolder, optional
        The programme whose national part, codebook and story vocabulary are the
        starting point (default: the toolkit's own, :meth:`ProgrammeFolder.bundled`).
    folder : str
        The folder as the README's commands name it.
    """
    toolkit = toolkit if toolkit is not None else ProgrammeFolder.bundled()
    national = _national_registry(toolkit)
    files = _local_registry(spec, national)
    files[ProgrammeFolder.codebook_file] = _codebook_yaml(toolkit.codebook_file, national)
    files[ProgrammeFolder.vocabulary_file] = _stories_yaml(toolkit.vocabulary_file, spec)
    files |= _local_agenda()
    files[f"{ProgrammeFolder.stories_dir_name}/README.md"] = stories_readme(spec, folder)
    files["README.md"] = programme_readme(spec, national, folder)
    return files


def _national_registry(toolkit: ProgrammeFolder) -> Registry:
    """The national part on its own, with the minimal local files around it."""
    with tempfile.TemporaryDirectory(prefix="npdw-landelijk-") as tmp:
        scratch = ProgrammeFolder(tmp)
        shutil.copytree(toolkit.national_dir, scratch.national_dir)
        spec = ProgrammeSpec("x", "x", (("a", "A"),), ("b", "B"), ("c", "C"))
        minimal = {
            scratch.programme_file: _programme_yaml(spec),
            scratch.areas_file: _areas_yaml(spec),
            scratch.goals_file: "strategic_goals: []\noperational_goals: []\n",
            scratch.share_groups_file: "share_groups: []\n",
            scratch.sources_file: "priority: []\n",
            scratch.indicators_file: "indicators: []\n",
        }
        for path, text in minimal.items():
            path.write_text(text, encoding="utf-8")
        return scratch.registry


def scaffold_programme(
    directory: str | Path, spec: ProgrammeSpec, toolkit: ProgrammeFolder | None = None
) -> Path:
    """Write a new programme folder; refuse a folder that exists and is not empty.

    Parameters
    ----------
    directory : path
        The new programme folder (the ``--data`` of later commands).
    spec : ProgrammeSpec
    toolkit : ProgrammeFolder, optional
        Where the national part, codebook and story vocabulary come from
        (default: the toolkit's own programme).

    Returns
    -------
    Path
        The folder written.

    Raises
    ------
    ScaffoldError
        For a folder in use, or areas and names that cannot make a programme;
        nothing is written then.
    """
    target = Path(directory)
    problems = check_spec(spec)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        problems.insert(
            0,
            f"{target} bestaat al en is niet leeg; kies een nieuwe map (npdw init maakt hem "
            "aan) of een lege map. Er is niets overschreven.",
        )
    if problems:
        raise ScaffoldError(
            "npdw init: het programma kan zo niet gemaakt worden; er is niets geschreven.",
            [Finding("error", str(target), p) for p in problems],
        )
    toolkit = toolkit if toolkit is not None else ProgrammeFolder.bundled()
    files = programme_files(spec, toolkit, str(directory))
    target.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{target.name}.init-", dir=target.parent))
    try:
        _build(build, files, toolkit)
        if target.is_dir():
            target.rmdir()  # empty (checked above); rename needs the name free
        os.replace(build, target)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return target


def _build(build: Path, files: dict[str, str], toolkit: ProgrammeFolder) -> None:
    """Write the national part and every local file into the build folder, and load it."""
    folder = ProgrammeFolder(build)
    shutil.copytree(toolkit.national_dir, folder.national_dir)
    for rel, text in files.items():
        path = build / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    folder.registry  # noqa: B018 - what was written must load as it is
