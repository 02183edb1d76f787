"""The Dutch label of every result code, in one place.

The engines write their results with codes (``trends.csv`` has ``verdict =
improving``, ``progress.csv`` has ``status = on_track``, ...). Those codes stay
as they are in the output tables, because users read and filter those CSV
files; the report shows each code through the one label below. The rule, also
in ``docs/glossary.md``: a new code gets its label here, in the same change that
adds it to its engine's constant; ``tests/evaluatie/test_labels.py`` fails
otherwise.

Codes of the numbers engines (tellen) are English; codes of the story side
(vertellen, leeragenda, the joint display's directions) are Dutch words, as
they were when their tables were first published. Renaming them would change
CSV contents, so they keep their spelling; only their labels live here.

The wijkbericht speaks to residents in plain language (B1): its sentences in
:mod:`npdw_learning.evaluatie.wijktaal` are a different register on purpose,
but key off the same codes.
"""

from __future__ import annotations

from ..leeragenda.efforts import EFFORT_STATUS_NL

__all__ = [
    "TREND_NL",
    "PROGRESS_NL",
    "CHANGE_NL",
    "BREAK_NL",
    "COMPARISON_NL",
    "COMPARISON_METHOD_NL",
    "BALANCE_MEASURE_NL",
    "NO_READING_NL",
    "META_NL",
    "NUMBERS_NL",
    "STORIES_NL",
    "EVIDENCE_NL",
    "CHANGE_KIND_NL",
    "CHANGE_KIND_SHORT_NL",
    "EFFORT_STATUS_NL",
    "QUESTION_STATUS_NL",
    "FAMILIES",
]

#: ``trends.csv`` column ``verdict`` (:data:`npdw_learning.tellen.trends.VERDICTS`).
TREND_NL = {
    "improving": "verbetert",
    "worsening": "verslechtert",
    "no_significant_trend": "geen duidelijke trend",
    "insufficient_data": "te weinig metingen",
}
#: ``progress.csv`` column ``status`` (:data:`npdw_learning.tellen.progress.STATUSES`).
PROGRESS_NL = {
    "target_reached": "doel bereikt",
    "on_track": "op koers",
    "moderate_progress": "matige voortgang",
    "insufficient_progress": "onvoldoende voortgang",
    "moving_away": "van het doel af",
    "not_assessable": "niet te beoordelen",
}
#: ``changes.csv`` column ``verdict`` (:data:`npdw_learning.tellen.changes.CHANGE_VERDICTS`):
#: a change since the baseline has happened, hence the past participle.
CHANGE_NL = {
    "improving": "verbeterd",
    "worsening": "verslechterd",
    "no_significant_change": "geen duidelijke verandering",
    "no_test": "veranderd, foutmarge onbekend",
}
#: ``breaks.csv`` column ``verdict`` (:data:`npdw_learning.tellen.breaks.BREAK_VERDICTS`).
BREAK_NL = {
    "better_than_trend": "beter dan de trend van voor de start",
    "worse_than_trend": "slechter dan de trend van voor de start",
    "as_trend": "zoals de trend van voor de start",
    "insufficient_data": "te weinig metingen",
}
#: ``comparison.csv`` column ``verdict`` (:data:`npdw_learning.evaluatie.comparison.VERDICTS`,
#: the engine's ``tellen.comparison.VERDICTS``): Dordt West against comparable
#: neighbourhoods elsewhere in the country.
COMPARISON_NL = {
    "better_than_comparison": "beter dan vergelijkbare wijken",
    "worse_than_comparison": "slechter dan vergelijkbare wijken",
    "as_comparison": "zoals vergelijkbare wijken",
    "insufficient_data": "niet te vergelijken",
}
#: ``comparison.csv`` column ``method`` (:data:`npdw_learning.evaluatie.comparison.METHODS`).
COMPARISON_METHOD_NL = {
    "matched": "meest gelijkende wijken",
    "synthetic": "synthetische vergelijking",
}
#: ``balance.csv`` column ``measure``: the pre-start level and slope of the indicator and
#: the national file's two covariates (``tellen.national.COVARIATES``).
BALANCE_MEASURE_NL = {
    "pre_level": "niveau voor de start",
    "pre_slope": "ontwikkeling voor de start",
    "inwoners": "aantal inwoners",
    "stedelijkheid": "stedelijkheid",
}
#: The status matrix's cells without a reading
#: (:data:`npdw_learning.evaluatie.status.CELL_STYLES`, reading ``none``).
NO_READING_NL = {
    "insufficient_data": "te weinig metingen",
    "no_data": "geen meting",
}
#: ``joint.csv`` column ``meta_inference``
#: (:data:`npdw_learning.evaluatie.joint.META_INFERENCES`).
META_NL = {
    "convergent": "eensgezind",
    "expansion": "aanvullend",
    "discordant": "tegenstrijdig",
    "numbers_only": "alleen cijfers",
    "stories_only": "alleen verhalen",
    "no_evidence": "geen bewijs",
}
#: ``joint.csv`` column ``numbers_direction``
#: (:data:`npdw_learning.evaluatie.joint.NUMBERS_DIRECTIONS`).
NUMBERS_NL = {
    "verbetering": "verbetering",
    "verslechtering": "verslechtering",
    "gemengd": "gemengd",
    "geen_trend": "geen duidelijke verandering",
    "geen_cijfers": "geen beoordeelbare cijfers",
}
#: ``joint.csv`` column ``stories_direction``
#: (:data:`npdw_learning.evaluatie.joint.STORIES_DIRECTIONS`).
STORIES_NL = {
    "beter": "vooral beter",
    "slechter": "vooral slechter",
    "gelijk": "vooral gelijk",
    "gemengd": "gemengd",
    "te_weinig": "te weinig verhalen",
    "geen_verhalen": "geen verhalen",
}
#: ``leervragen_bewijs.csv`` column ``evidence``
#: (:data:`npdw_learning.evaluatie.evidence.EVIDENCE`).
EVIDENCE_NL = {
    "converging": "eensgezind",
    "diverging": "uiteenlopend",
    "numbers_only": "alleen cijfers",
    "stories_only": "alleen verhalen",
    "none": "nog geen bewijs",
}
#: Learning questions' ``status`` (:data:`npdw_learning.leeragenda.agenda.QUESTION_STATUSES`).
QUESTION_STATUS_NL = {"open": "open", "in_onderzoek": "in onderzoek", "beantwoord": "beantwoord"}

#: The kinds of change since last year's evaluation (:mod:`.vorigjaar`), as counted.
CHANGE_KIND_NL = {
    "cell": "vakken van het statusoverzicht met een andere lezing of uitkomst",
    "question_status": "leervragen met een andere status",
    "question_evidence": "leervragen met een ander bewijslabel",
    "lesson_new": "nieuwe lessen",
    "lesson_changed": "veranderde lessen",
    "effort_status": "inspanningen met een andere status",
    "theme_stories": "thema's met meer of minder verhalen (per wijk of in totaal)",
}
#: The same kinds named for one change (a row of the table, a line of the leersessie).
CHANGE_KIND_SHORT_NL = {
    "cell": "statusoverzicht",
    "question_status": "status leervraag",
    "question_evidence": "bewijs leervraag",
    "lesson_new": "nieuwe les",
    "lesson_changed": "veranderde les",
    "effort_status": "status inspanning",
    "theme_stories": "verhalen per thema",
}

#: Every family of result codes: its name (as in ``docs/glossary.md``) and labels.
#: Effort statuses (:data:`~npdw_learning.leeragenda.efforts.EFFORT_STATUS_NL`) live in
#: leeragenda, whose command ``npdw efforts status`` prints them too; they are listed here.
FAMILIES: dict[str, dict[str, str]] = {
    "trend": TREND_NL,
    "progress": PROGRESS_NL,
    "change": CHANGE_NL,
    "break": BREAK_NL,
    "comparison": COMPARISON_NL,
    "comparison_method": COMPARISON_METHOD_NL,
    "balance_measure": BALANCE_MEASURE_NL,
    "no_reading": NO_READING_NL,
    "meta_inference": META_NL,
    "numbers_direction": NUMBERS_NL,
    "stories_direction": STORIES_NL,
    "evidence": EVIDENCE_NL,
    "effort_status": EFFORT_STATUS_NL,
    "question_status": QUESTION_STATUS_NL,
    "change_kind": CHANGE_KIND_NL,
}
