# %% [markdown]
# # 02 Vertellen: de verhalen uit de wijken
#
# Dit notebook codeert de gepseudonimiseerde verhalen in `stories/` automatisch met het codeboek (`data/registry/codebook.yaml`), telt thema's per wijk en verteller, zoekt kenmerkende woorden, kiest citaten (alleen met toestemming) en toont de keuzes van de panels voor de meest betekenisvolle verandering.

# %% tags=["parameters"]
# Parameters. `npdw evaluate` vult ze in; zo gelden de meegeleverde data. Met papermill,
# vanuit de projectmap, en 01 tot en met 05 na elkaar met dezelfde out_dir (zie README.md):
#   .venv/bin/papermill notebooks/02_vertellen.ipynb outputs/02_vertellen.ipynb -p areas '["wielwijk", "crabbehof"]'
# Achter elke parameter staat hoe papermill hem meegeeft.
year = 2026  # evaluatiejaar, binnen de jaren van de data; papermill: -p year 2025
data_dir = None  # None: data/ van dit project; papermill: -p data_dir data
stories_dir = None  # None: stories/; papermill: -p stories_dir stories
out_dir = None  # None: outputs/verkenning/<jaar>/ (een kladmap); papermill: -p out_dir outputs/verkenning/2025
areas = None  # None: alle wijken; papermill: -p areas '["wielwijk", "crabbehof"]' of -y 'areas: [wielwijk, crabbehof]'
demo = True  # de synthetische demoreeksen meenemen (het rapport meldt dat); papermill: -p demo False
previous = None  # None: niet vergelijken met een eerdere evaluatie; papermill: -p previous outputs/2025
national = None  # None: het landelijke bestand uit cbs.yaml, anders geen (met demo: een synthetisch demopanel); papermill: -p national landelijk.parquet

# %%
from npdw_learning.evaluatie import steps, views

run = steps.Run.from_parameters(
    year, data_dir, stories_dir, out_dir, areas, demo, previous, national
)
run

# %% [markdown] tags=["rapport:leeswijzer"]
# #### Verhalen
#
# Bewoners en professionals vertellen in hun eigen woorden wat er in hun buurt verandert. Elk verhaal krijgt thema's uit het codeboek, en de verteller geeft zelf aan of het *beter*, *slechter*, *gelijk* of *gemengd* gaat. Verhalen zijn geen steekproef: ze laten zien *hoe* en *waarom* iets verandert, niet hoe vaak. Tellingen onder de {{min_cell_word}} staan als **<{{min_cell}}** en soms is een tweede getal verborgen (**x**), zodat niemand herkenbaar wordt. Citaten komen alleen uit verhalen waarvan de verteller toestemming gaf om te citeren, en nooit uit een zin met een weggelaten naam of adres.

# %%
verhalen = steps.vertellen_step(run)

# Controles (nbval): alleen bekende thema's, en alleen citaten met toestemming.
from npdw_learning.vertellen.stories import may_quote

assert set(verhalen.codes["theme"]) <= set(verhalen.codebook.ids)
allowed = verhalen.stories.set_index("id")["consent"]
assert all(may_quote(allowed[s], verhalen.vocabulary) for s in verhalen.theme_quotes["story_id"])
assert not verhalen.theme_quotes["sentence"].str.contains(r"\[", regex=True).any()
len(verhalen.stories), len(verhalen.codes)

# %% [markdown]
# ## Per pijler
#
# De thema's van elke pijler met de richting van verandering, en citaten.

# %%
views.show_vertellen_per_pillar(run, verhalen)

# %% [markdown]
# ## Alle verhalen samen

# %%
views.show_vertellen(run, verhalen)

# %% [markdown] tags=["rapport:verantwoording"]
# #### Hoe de verhalen zijn verwerkt
#
# - **Verzamelen en privacy.** Verhalen komen binnen via formulieren, buurtgesprekken en professionals. Bij het inlezen (`npdw stories import`) vervangt het programma namen, adressen, postcodes, telefoonnummers, e-mailadressen, BSN, IBAN, data en leeftijden door een label zoals [PERSOON-1]. De oorspronkelijke tekst wordt niet bewaard. Verhalen zonder toestemming worden niet ingelezen.
# - **Coderen.** Een verhaal krijgt een thema als er woorden of uitdrukkingen uit dat thema van het codeboek in staan (na herleiding tot de stam, zodat 'overlast' en 'overlastgevende' allebei tellen). Twee stagiairs coderen een deel van de verhalen ook met de hand; hun overeenstemming (Krippendorffs alfa, kappa per thema) laat zien of het codeboek helder genoeg is (`npdw stories agreement`).
# - **Kenmerkende woorden.** Per wijk de woorden die daar opvallend vaker voorkomen dan elders (log-odds met een informatieve prior, Monroe e.a. 2008).
# - **Kleine aantallen.** Aantallen van 1 tot 4 worden niet getoond; waar een verborgen getal uit een totaal terug te rekenen zou zijn, is ook een tweede getal verborgen.
