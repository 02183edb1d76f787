# %% [markdown]
# # 03 Vertellen en tellen: cijfers en verhalen per doel naast elkaar
#
# Dit notebook zet per operationeel doel de cijfers (per reeks de lezing van het statusoverzicht: vergelijking met vergelijkbare wijken, voortgang, trend, verandering sinds de nulmeting of afbuiging) naast de verhalen die over dat doel gaan (via de thema's van het codeboek), en trekt er een gezamenlijke conclusie uit. Het leest de tabellen die 01 en 02 in dezelfde uitvoermap schreven.

# %% tags=["parameters"]
# Parameters. `npdw evaluate` vult ze in; zo gelden de meegeleverde data. Met papermill,
# vanuit de projectmap, en 01 tot en met 05 na elkaar met dezelfde out_dir (zie README.md):
#   .venv/bin/papermill notebooks/03_vertellen_en_tellen.ipynb outputs/03_vertellen_en_tellen.ipynb -p areas '["wielwijk", "crabbehof"]'
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
# #### Vertellen en tellen
#
# Aan het eind van elk pijlerhoofdstuk staan per doel de cijfers en de verhalen naast elkaar, met wat ze samen zeggen:
#
# - **eensgezind**: cijfers en verhalen wijzen dezelfde kant op;
# - **aanvullend**: allebei aanwezig, maar de verhalen laten iets zien wat de cijfers (nog) niet tonen, of andersom;
# - **tegenstrijdig**: de cijfers verbeteren terwijl de verhalen vooral over verslechtering gaan, of omgekeerd. Zo'n verschil is geen fout maar een vraag: het wordt voorgesteld als leervraag;
# - **alleen cijfers**, **alleen verhalen** of **geen bewijs**: dan is er nog een gat in wat we weten.

# %%
samen = steps.joint_step(run)

# Controles (nbval): elk operationeel doel één rij, met een bekend label.
from npdw_learning.evaluatie.joint import META_INFERENCES

assert len(samen.joint) == len(run.registry.operational_goals)
assert samen.joint["meta_inference"].isin(META_INFERENCES).all()
assert set(samen.proposals["goal"]) == set(
    samen.joint.loc[samen.joint["meta_inference"] == "discordant", "goal"]
)
samen.joint["meta_inference"].value_counts()

# %% [markdown]
# ## Samenvatting
#
# Het statusoverzicht (elke indicator in elke wijk en in het geheel, per vak één lezing) en daaronder enkele zinnen die uit de tabellen volgen: wat verbetert, wat verslechtert, waar cijfers en verhalen elkaar tegenspreken en wat nog niet te beoordelen is.

# %%
views.show_summary(run, samen)

# %% [markdown]
# ## Per pijler: de doelen

# %%
views.show_joint(run, samen)

# %% [markdown] tags=["rapport:verantwoording"]
# #### Hoe cijfers en verhalen zijn samengebracht
#
# - **Welke verhalen bij een doel horen.** Elk thema van het codeboek hoort bij één of meer operationele doelen. Een verhaal telt bij een doel als het een van die thema's heeft.
# - **Richting van de cijfers.** Elke reeks (indicator x wijk) telt met haar lezing in het statusoverzicht, dus ook als er nog geen trend is. Te langzame voortgang telt als beter, van het doel af als slechter, een bereikt doel (een stand, geen beweging) niet. Meer beter dan slechter is *verbetering*, andersom *verslechtering*, evenveel *gemengd*, anders *geen duidelijke verandering*.
# - **Richting van de verhalen.** De richting die vertellers het vaakst noemen (beter, slechter of gelijk), als die vaker voorkomt dan elk van de andere twee; anders *gemengd*. Met minder dan {{min_stories_word}} verhalen geven we geen richting.
# - **De conclusie** volgt uit die twee richtingen (zie de leeswijzer). Dit is een hulpmiddel om het gesprek te voeren, geen eindoordeel: lees de verhalen en de reeksen erbij.
