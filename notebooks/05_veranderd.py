# %% [markdown]
# # 05 Veranderd: wat is er veranderd sinds vorig jaar
#
# Dit notebook vergelijkt de tabellen van deze evaluatie met die van een eerdere evaluatie (`previous`): de vakken van het statusoverzicht, de status en het bewijs van de leervragen, de lessen, de status van de inspanningen en het aantal verhalen per thema. `npdw evaluate` kiest de eerdere evaluatie zelf (de map van vorig jaar naast de uitvoermap) of neemt die van `--previous`; zonder eerdere evaluatie toont dit notebook niets. De rekenregels staan in `npdw_learning.evaluatie.vorigjaar`.

# %% tags=["parameters"]
# Parameters. `npdw evaluate` vult ze in; zo gelden de meegeleverde data. Met papermill,
# vanuit de projectmap, en 01 tot en met 05 na elkaar met dezelfde out_dir (zie README.md):
#   .venv/bin/papermill notebooks/05_veranderd.ipynb outputs/05_veranderd.ipynb -p areas '["wielwijk", "crabbehof"]'
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
from npdw_learning.evaluatie import steps, views, vorigjaar

run = steps.Run.from_parameters(
    year, data_dir, stories_dir, out_dir, areas, demo, previous, national
)
run

# %%
changes = vorigjaar.changes_step(run)

# Controles (nbval): elke wijziging heeft een soort uit de vaste lijst.
assert list(changes.comparison.changes.columns) == vorigjaar.CHANGE_COLUMNS
assert changes.comparison.changes["kind"].isin(vorigjaar.KINDS).all()
changes.comparison.counts()

# %%
views.show_changes(run, changes)

# %% [markdown] tags=["rapport:verantwoording"]
# #### Hoe de vergelijking met vorig jaar werkt
#
# - **Welke evaluatie.** Vergeleken wordt met een eerdere evaluatie van dit programma, herkend aan haar `manifest.json`: de map van vorig jaar naast de uitvoermap, of de map die `--previous` noemt. Welke het is (map, versie en controlegetal van haar manifest) staat in `manifest.json` van deze evaluatie.
# - **Wat telt als veranderd.** Een vak van het statusoverzicht is veranderd als de lezing (vergelijking met vergelijkbare wijken, voortgang, trend, verandering sinds de nulmeting, afbuiging) of de uitkomst anders is. Een leervraag, les of inspanning is veranderd als haar status (of bij een les de tekst) anders is. Het aantal verhalen per thema wordt vergeleken zoals het in de tabel staat: kleine aantallen blijven verborgen.
# - **Wat niet te vergelijken is.** Een tabel die een van de twee jaren mist, of een wijk of indicator die maar in één jaar voorkomt, wordt genoemd en niet vergeleken. Wat uit de eerdere map komt, staat er letterlijk in.
