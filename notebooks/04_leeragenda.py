# %% [markdown]
# # 04 Leeragenda: leervragen, onderzoek, lessen en uitvoering
#
# Dit notebook toont de leeragenda van het programma (`data/agenda/`) en de inspanningen (`data/registry/efforts.yaml`): de leervragen en hun status, de onderzoeksagenda met de controle op overvragen van bewoners, de geleerde lessen, de status van de inspanningen, het netwerk van doelen en inspanningen met de gaten daarin, en de leervragen die de evaluatie zelf voorstelt (uit notebook 03).

# %% tags=["parameters"]
# Parameters. `npdw evaluate` vult ze in; zo gelden de meegeleverde data. Met papermill,
# vanuit de projectmap, en 01 tot en met 05 na elkaar met dezelfde out_dir (zie README.md):
#   .venv/bin/papermill notebooks/04_leeragenda.ipynb outputs/04_leeragenda.ipynb -p areas '["wielwijk", "crabbehof"]'
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
# #### Leeragenda
#
# Het hoofdstuk Leeragenda en uitvoering gaat over het tweede en derde niveau van de monitoring: worden de inspanningen uitgevoerd, en wat leren we? Een leervraag is *open*, *in onderzoek* of *beantwoord*. Bij elke leervraag staat wat de cijfers en verhalen van dit jaar erover zeggen, het bewijs (*eensgezind*, *uiteenlopend*, *alleen cijfers*, *alleen verhalen* of *nog geen bewijs*), en een voorstel voor de volgende stap. De controle op overvragen telt per wijk en kwartaal hoe vaak bewoners om medewerking worden gevraagd.

# %%
agenda = steps.leeragenda_step(run)

# Controles (nbval): de agenda is geldig geladen, de dekking noemt de doelen zonder indicator
# en elke leervraag heeft haar bewijs.
measured = {g for g, inds in zip(run.registry.operational_goals["id"], run.registry.operational_goals["indicators"]) if inds}
no_indicator = set(agenda.coverage.loc[agenda.coverage["kind"] == "operational_goal", "id"])
assert set(run.registry.operational_goals["id"]) - measured <= no_indicator
assert agenda.overasking["flagged"].dtype == bool
# Elke leervraag heeft haar bewijs en een volgende stap.
assert list(agenda.evidence["question"]) == list(agenda.questions["id"])
assert agenda.evidence["next_step"].str.len().gt(0).all()
agenda.coverage["gap"].value_counts()

# %%
views.show_leeragenda(run, agenda)

# %% [markdown] tags=["rapport:verantwoording"]
# #### Hoe de leeragenda is opgebouwd
#
# - **Bronnen.** De leervragen, onderzoeken, lessen en inspanningen komen uit het uitvoeringsprogramma 2024-2026 (hoofdstuk 4-8 en 11, Bijlage 2). Waar het document geen datum of aantal noemt, staat *onbekend*; onduidelijkheden in het document staan in `data/README.md`.
# - **Overvragen.** Een onderzoek onder bewoners telt mee in elk kwartaal tussen start en einde; een verhaalmoment is een dag waarop in een wijk via één kanaal verhalen zijn opgehaald. De drempel staat in `data/agenda/research.yaml` en is een eigen keuze, geen norm uit het programma.
# - **Dekking.** Een inspanning is gedekt als een leervraag over een van haar doelen gaat; een doel heeft verhalen als een gecodeerd verhaal een thema van dat doel heeft.
