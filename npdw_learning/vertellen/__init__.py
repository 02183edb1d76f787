"""vertellen: the stories of residents and professionals, analysed in Dutch.

Story files and their front matter (:mod:`.stories`); importing a form export
with pseudonymisation (:mod:`.importer`, :mod:`.pseudonymise`; its cache
:mod:`.cache` and worker processes :mod:`.workers`), where each row's
story goes (:mod:`.placement`) and the record that lets a later import see a
hand correction (:mod:`.provenance`); reviewing the proposed pillars in Excel
(:mod:`.pillar_review`); the Dutch
language pipeline (:mod:`.nlp`); the codebook and automatic coding
(:mod:`.coding`); agreement between coders (:mod:`.agreement`); themes, terms
and quotes (:mod:`.analysis`); Most Significant Change rounds (:mod:`.msc`);
exchange with QDA software such as ATLAS.ti or QualCoder (:mod:`.qda`), with
the coder a project is for and whose codings come back (:mod:`.qda_users`).

Who changes it: a researcher or intern working on story collections and the
codebook. It imports only from :mod:`npdw_learning.kern`.
"""
