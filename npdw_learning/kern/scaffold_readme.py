"""The two READMEs ``.venv/bin/npdw init`` writes: the programme's and its stories folder's (Dutch).

Both are for the knowledge coordinator and interns of the new programme, so
they name its own areas, ids and folder, and list what to fill in, in order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .programme import STORIES_GUIDE, ProgrammeFolder

if TYPE_CHECKING:  # pragma: no cover
    from .registry import Registry
    from .scaffold import ProgrammeSpec

__all__ = ["TEMPLATE_DELIVERY", "programme_readme", "stories_readme"]

# Where a new programme finds its delivery template (a subfolder: never read as a delivery).
TEMPLATE_DELIVERY = f"{ProgrammeFolder.measurements_dir}/sjabloon/levering_sjabloon.csv"


def _areas_table(spec: ProgrammeSpec) -> str:
    rows = [(i, lab, "wijk") for i, lab in spec.neighbourhoods]
    rows += [(spec.reference[0], spec.reference[1], "referentiegebied")]
    rows += [(spec.aggregate[0], spec.aggregate[1], "totaal van de wijken (gewogen)")]
    return "| id | naam | soort |\n|---|---|---|\n" + "".join(
        f"| `{i}` | {lab} | {kind} |\n" for i, lab, kind in rows
    )


def _indicator_table(national: Registry) -> str:
    labels = dict(zip(national.pillars["id"], national.pillars["label"], strict=True))
    return "| id | indicator | pijler | eenheid |\n|---|---|---|---|\n" + "".join(
        f"| `{r.id}` | {r.label} | {labels[r.pillar]} | {r.unit_label} |\n"
        for r in national.indicators.itertuples()
    )


_STEPS = """\
## Wat u invult, in deze volgorde

Na `.venv/bin/npdw init` draait alles al (`.venv/bin/npdw validate`, `.venv/bin/npdw agenda check`,
`.venv/bin/npdw evaluate`); het rapport zegt dan per onderdeel wat nog leeg is. Vul de
map daarna stap voor stap, en controleer na elke stap.

1. **Naam en gebieden** (`{programme_file}`, `{areas_file}`).
   Kijk naam, korte naam en de namen van de gebieden na. Een id verandert
   niet meer zodra er metingen of verhalen naar verwijzen.
2. **Gewichten van de wijken** (`{areas_file}`, onder
   `aggregate.weights`): **nog in te vullen**. Nu telt elke wijk even zwaar
   (gewicht 1) in het totaal {aggregate}. Vul het inwonertal per wijk in
   (CBS Kerncijfers wijken en buurten) en noem bron en jaar bij
   `weight_source`.
3. **Doelen** (`{goals_file}`). Per pijler staat er één voorlopig doel
   met de Kernindicatoren Rijk van die pijler, zonder streefwaarde
   (`target: none`). Vervang ze door de eigen strategische en operationele
   doelen met hun streefwaarde voor 2043 (`parity`: gelijk aan
   {reference}; `relative`: bijvoorbeeld 70% lager dan in een basisjaar;
   `absolute`: een niveau).
4. **Eigen indicatoren** (optioneel; `{indicators_file}`,
   `{sources_file}`, `{share_groups_file}`). De
   Kernindicatoren Rijk staan al klaar in `{national_dir}/`; hier komen de
   indicatoren die het programma zelf toevoegt. Koppel ze in `goals.yaml`
   aan een doel.
5. **Nulmeting en leveringen** (`{measurements_dir}/`). Kopieer
   `{template}` naar `{measurements_dir}/`, één rij per cijfer
   (`indicator, area, year, value`, en als ze er zijn `n, se, source,
   note`), en zet het bestand in `{deliveries_file}` met de
   leverdatum en de leverancier. Controleer:
   `.venv/bin/npdw validate --data {folder} --year JJJJ`.
6. **Codeboek en woordenlijst** (`{codebook_file}`,
   `{vocabulary_file}`). Het codeboek is dat van de toolkit, als
   startpunt; elk thema wijst nu naar het voorlopige doel van zijn pijler.
   Koppel de thema's aan de eigen doelen en vul onder `allowlist` de
   plaatsen en organisaties aan die bij het pseudonimiseren moeten blijven
   staan.
7. **Inspanningen** (`{efforts_file}`): wat het programma doet, per
   pijler, met de beoogde resultaten en per jaar de status.
8. **Leeragenda** (`{research_file}`, `{learning_questions_file}`,
   `{lessons_file}`). Controleer na elke wijziging:
   `.venv/bin/npdw agenda check --data {folder} --stories {folder}/{stories}`.
9. **Verhalen** (`{stories}/`): alleen via de import, die eerst
   pseudonimiseert:
   `.venv/bin/npdw stories import export.xlsx --data {folder} --out {folder}/{stories}`.
   Zie `{stories}/README.md`.
10. **De evaluatie**:
    `.venv/bin/npdw evaluate --year JJJJ --data {folder} --stories {folder}/{stories}
    --out uitvoer/JJJJ` (één regel) maakt `uitvoer/JJJJ/rapport.html`, en daarnaast
    een wijkbericht per wijk voor de bewoners (`wijkberichten/`), dia's voor de
    wijkavond (`presentatie.pdf`), een samenvatting van één pagina voor het bestuur
    (`samenvatting.pdf`) en een pagina per pijler voor de leersessie (`leersessie.pdf`;
    de uitkomst gaat terug in de leeragenda met `.venv/bin/npdw agenda sheet` en
    `.venv/bin/npdw agenda apply`). De uitnodiging in het wijkbericht staat in
    `{programme_file}` onder `wijkbericht` (nu nog "nog in te vullen"); na het
    invullen maakt `.venv/bin/npdw wijkbericht --year JJJJ --out uitvoer/JJJJ` ze
    opnieuw, zonder de notebooks.
"""

_NATIONAL = """\
## Landelijk en lokaal

`{national_dir}/` is het **landelijke deel**: de Kernindicatoren Rijk met
hun definities, de pijlers, de eenheden en de groepen van die indicatoren.
Elk programma van het Nationaal Programma Leefbaarheid en Veiligheid heeft
hetzelfde landelijke deel. Bewerk het niet zelf. Komt er een nieuwe versie,
vervang dan de hele map `{national_dir}/` door de nieuwe en draai
`.venv/bin/npdw validate --data {folder}`; uw eigen bestanden blijven zoals ze zijn.
Een eigen bestand mag geen id uit het landelijke deel opnieuw vastleggen
(dan volgt een foutmelding met bestand en regel).

Alles daarbuiten is **lokaal** en van het programma zelf:

| bestand | inhoud |
|---|---|
| `{programme_file}` | naam en korte naam, de uitnodiging in het wijkbericht |
| `{areas_file}` | wijken, referentiegebied, totaal en de gewichten |
| `{goals_file}` | strategische en operationele doelen met streefwaarden |
| `{indicators_file}` | eigen indicatoren (naast de landelijke) |
| `{share_groups_file}` | eigen groepen: delen van één cijfer |
| `{sources_file}` | bronnen van de metingen en hun voorkeur |
| `{codebook_file}` | thema's voor het coderen van de verhalen |
| `{vocabulary_file}` | toegestane waarden in een verhaal; namen die blijven staan |
| `{efforts_file}` | inspanningen |
| `{agenda_dir}/*.yaml` | leervragen, onderzoeksregister, geleerde lessen |
| `{measurements_dir}/` | leveringen (CSV of Excel) en het leveringsregister `deliveries.yaml` |
| `{stories}/` | gepseudonimiseerde verhalen, één Markdown-bestand per verhaal |
"""


def programme_readme(spec: ProgrammeSpec, national: Registry, folder: str = "MAP") -> str:
    """The README of a new programme folder: what to fill in, in which order."""
    head = (
        f"# {spec.name} ({spec.short_name}): vertellen en tellen\n\n"
        "Deze map is gemaakt door `.venv/bin/npdw init` en bevat alles wat de jaarlijkse "
        "evaluatie van dit programma leest. In de opdrachten hieronder is "
        f"`{folder}` deze map. Typ ze in de map van npdw-learning (waar `.venv/` staat, "
        "na `make evaluate`), zoals ze er staan; een omgeving activeren hoeft niet.\n\n"
        "## Gebieden\n\n" + _areas_table(spec) + "\n"
    )
    steps = _STEPS.format(
        aggregate=spec.aggregate[1],
        reference=spec.reference[1],
        template=TEMPLATE_DELIVERY,
        folder=folder,
        **ProgrammeFolder.layout(),
    )
    tail = (
        "\n## De Kernindicatoren Rijk (landelijk)\n\n"
        "De ids voor de kolom `indicator` van een levering "
        f"(ook: `.venv/bin/npdw indicators --data {folder}`):\n\n" + _indicator_table(national)
    )
    return head + steps + "\n" + _NATIONAL.format(folder=folder, **ProgrammeFolder.layout()) + tail


def stories_readme(spec: ProgrammeSpec, folder: str = "MAP") -> str:
    """The README of the new programme's stories folder (skipped when stories are read);
    its commands name the programme folder as ``folder``, typed in npdw-learning's folder."""
    areas = ", ".join(f"`{i}`" for i, _ in spec.neighbourhoods)
    at, stories = ProgrammeFolder, ProgrammeFolder.stories_dir_name
    return f"""# Verhalen (vertellen): {spec.name}

In deze map komen de verhalen van bewoners en professionals uit de wijken
van het programma: één Markdown-bestand per verhaal, **altijd
gepseudonimiseerd**. Deze README wordt overgeslagen; elk ander `*.md`-bestand
hier moet een geldig verhaal zijn.

- Een verhaal komt hier alleen binnen via de import:
  `.venv/bin/npdw stories import export.xlsx --data {folder} --out {folder}/{stories}`.
  Die vervangt namen, adressen, telefoonnummers, e-mailadressen, geboortedata
  en leeftijden door plaatshouders (`[PERSOON-1]`, ...). Zet nooit een ruwe export hier neer.
- Toestemming (`consent`): `analyse` (alleen tellen en coderen), `citeren`
  (ook anoniem citeren in het rapport), `publiceren`.
- `area` is een van {areas}, of `{spec.aggregate[0]}` of `{spec.reference[0]}` als
  het verhaal niet over één wijk gaat. De andere toegestane waarden staan in
  `../{at.vocabulary_file}`, de pijlers in `../{at.national_pillars_file}`.
- Een verzonnen voorbeeldverhaal krijgt `synthetic: true` in de kop.

Controleer de map na elke import, in de map van npdw-learning (waar `.venv/` staat):
`.venv/bin/npdw stories validate --stories {folder}/{stories} --data {folder}`.
De volledige handleiding (het verhaalbestand veld voor veld, formulieren
importeren, coderen en overeenstemming tussen codeurs) staat in
`{STORIES_GUIDE}` van npdw-learning.
"""
