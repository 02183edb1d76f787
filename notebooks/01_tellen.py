# %% [markdown]
# # 01 Tellen: de indicatoren per wijk
#
# Dit notebook berekent voor elke indicator en wijk de trend sinds de eerste meting en de voortgang naar het doel voor 2043, en tekent per pijler de reeksen tegen het referentiegebied uit het register (`data/registry/areas.yaml`). De rekenregels staan in het pakket (`npdw_learning.tellen.trends`, `npdw_learning.tellen.progress`); dit notebook roept ze alleen aan.
#
# Tekst met het label `rapport:...` komt in het rapport; de rest is voor wie het notebook zelf leest. Een naam tussen dubbele accolades, zoals `{{min_points}}`, vult het rapport in met de waarde die de code gebruikt (`npdw_learning/evaluatie/method.py`).

# %% tags=["parameters"]
# Parameters. `npdw evaluate` vult ze in; zo gelden de meegeleverde data. Met papermill,
# vanuit de projectmap, en 01 tot en met 05 na elkaar met dezelfde out_dir (zie README.md):
#   .venv/bin/papermill notebooks/01_tellen.ipynb outputs/01_tellen.ipynb -p areas '["wielwijk", "crabbehof"]'
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
# #### Cijfers
#
# Per pijler staat in de bijlage een tabel met elke indicator en elke wijk. In een vakje staan twee dingen:
#
# - **de trend**: *verbetert* of *verslechtert* als de reeks sinds de eerste meting aantoonbaar (statistisch betrouwbaar) die kant op gaat; *geen duidelijke trend* als de schommelingen net zo goed toeval kunnen zijn. Is de reeks te kort voor een trend (minder dan {{min_points_word}} jaren) maar zijn er een nulmeting en een latere meting, dan staat er **de verandering sinds de nulmeting**: hoeveel het cijfer sindsdien veranderde, met tussen haakjes de marge waarbinnen de echte verandering vrijwel zeker ligt, en of die verandering aantoonbaar is (*foutmarge onbekend* als de cijfers geen steekproefgrootte of standaardfout meekregen). Met alleen een nulmeting staat er *te weinig metingen*;
# - **de voortgang** naar het doel voor 2043: *doel bereikt*, *op koers* (het tempo is minstens {{on_track}} van wat nodig is), *matige voortgang* ({{moderate}} tot {{on_track}}), *onvoldoende voortgang* (minder dan {{moderate}}) of *van het doel af* (de verkeerde kant op). Zonder doel of met minder dan {{min_points_word}} metingen is de voortgang *niet te beoordelen*.
#
# Waar er genoeg metingen van voor de start van het programma zijn, staat in het hoofdstuk van de pijler of de laatste meting afwijkt van de doorgetrokken lijn van voor de start. Hoe de drie lezingen werken en wat ze wel en niet zeggen, staat in de Verantwoording.
#
# De figuur in het hoofdstuk van de pijler toont dezelfde reeksen: elke wijk een gekleurde lijn, het gebied als geheel een dikkere lijn, en het referentiegebied als zwarte stippellijn (de legenda noemt ze). Waar het doel 'gelijk aan' het referentiegebied is, is dat de lat.

# %%
tellen = steps.tellen_step(run)

# Controles (nbval): elke reeks heeft een oordeel en een voortgangsstatus uit de vaste lijsten.
from npdw_learning.tellen.progress import PROGRESS_COLUMNS, STATUSES
from npdw_learning.tellen.trends import TREND_COLUMNS, VERDICTS

assert list(tellen.trends.columns) == TREND_COLUMNS
assert list(tellen.progress.columns) == PROGRESS_COLUMNS
assert tellen.trends["verdict"].isin(VERDICTS).all()
assert tellen.progress["status"].isin(STATUSES).all()
assert set(tellen.figures) <= set(run.registry.pillars["id"])
from npdw_learning.tellen.breaks import BREAK_COLUMNS, BREAK_VERDICTS
from npdw_learning.tellen.changes import CHANGE_COLUMNS, CHANGE_VERDICTS

assert list(tellen.changes.columns) == CHANGE_COLUMNS
assert list(tellen.breaks.columns) == BREAK_COLUMNS
assert tellen.changes["verdict"].isin(CHANGE_VERDICTS).all()
assert tellen.breaks["verdict"].isin(BREAK_VERDICTS).all()
tellen.trends["verdict"].value_counts()

# %% [markdown]
# ## Per pijler
#
# De tabel en de figuur per pijler gaan naar het hoofdstuk van die pijler in het rapport.

# %%
views.show_tellen(run, tellen)

# %% [markdown] tags=["rapport:verantwoording"]
# #### Hoe de cijfers zijn beoordeeld
#
# - **Nulmeting.** Het startpunt zijn de cijfers uit Bijlage 3 van het uitvoeringsprogramma. Waar het document twee verschillende waarden geeft, telt de lokale tabel (zie `data/README.md`).
# - **Trend.** Per reeks toetsen we of de waarden sinds de eerste meting stelselmatig stijgen of dalen (Mann-Kendall-toets met een exacte p-waarde: we tellen alle volgordes waarin dezelfde waarden over de jaren hadden kunnen liggen, ook als sommige waarden gelijk zijn; geen toeval, dus elke run geeft hetzelfde). Komt een cijfer uit een steekproef met bekende foutmarge, dan gebruiken we een gewogen regressie die die foutmarge meeneemt. De helling per jaar is de mediaan van alle hellingen tussen twee jaren (Theil-Sen).
# - **Toeval uitsluiten.** We toetsen veel reeksen tegelijk. Daarom corrigeren we de overschrijdingskansen voor het aantal toetsen (Benjamini-Hochberg, 'false discovery rate'): een trend of verandering heet aantoonbaar als de gecorrigeerde kans (q) onder {{fdr}} ligt. Met minder dan {{min_points_word}} jaren is er geen trendoordeel; een trend kan pas vanaf {{first_significant_word}} jaren aantoonbaar zijn, omdat de toets met minder jaren nooit onder die grens kan komen.
# - **Voortgang.** We vergelijken het tempo sinds de nulmeting met het tempo dat nodig is om het doel in 2043 te halen (de 'ratio van werkelijke en benodigde verandering', zoals Eurostat die gebruikt): vanaf {{on_track}} *op koers*, {{moderate}} tot {{on_track}} *matige voortgang*, 0 tot {{moderate}} *onvoldoende*, onder nul *van het doel af*.

# %%
views.show_readings(run, tellen)

# %%
views.show_data_quality(run, tellen)

# %% [markdown]
# ## Vergelijking met vergelijkbare wijken
#
# Met een landelijk bestand (`npdw evaluate --national BESTAND`) staan in `tables/` ook `comparison.csv`, `comparison_members.csv`, `balance.csv` en `comparison_paths.csv`: elke wijk en het gebied als geheel tegen de wijken elders in het land die er vóór de start op leken. Deze cel tekent per pijler de figuur en zet het hoofdstuk en de verantwoording in het rapport; zonder die tabellen zegt het rapport in één zin waarom er geen vergelijking is. De rekenregels staan in `npdw_learning.evaluatie.comparison`.

# %%
comparison = steps.comparison_step(run, synthetic=tellen.synthetic)
views.show_comparison(run, comparison)
