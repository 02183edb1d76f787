"""Plain Dutch for residents (taalniveau B1): every sentence the wijkbericht, the slides
for the wijkavond and their headings generate comes from the templates in this module.

The report speaks to a programme board; the wijkbericht (:mod:`.wijkbericht`) and
the slides (:mod:`.presentatie`) speak to the residents of a wijk. Their rules,
kept here in code and tested against every output:

* **no statistical words**: :data:`FORBIDDEN_WORDS` (significant, trend,
  indicator, interval, p-waarde, mediaan, effect, ...); :func:`forbidden_words`
  finds them in any text;
* **short sentences**: every template gives sentences of at most
  :data:`MAX_WORDS` words, :data:`MEAN_WORDS` on average (:func:`sentences`,
  :func:`word_count`);
* **numbers as people say them**: a share is "ongeveer 1 op de 4" or "ongeveer
  de helft" (:func:`share_words`), a report mark "ongeveer een 7"
  (:func:`mark_words`), a small count "minder dan 5" (:func:`count_words`);
* **readable**: the Flesch-Douma score (the Dutch Flesch reading ease, ``textstat``
  with language ``nl``) of each wijkbericht is at least :data:`MIN_FLESCH_DOUMA`
  (:func:`flesch_douma`).

Every function returns plain text: text from outside (a wijk's name, a
programme's name, an indicator's plain label) goes in as it is, and the page
that shows the sentence escapes all of it (:mod:`.wijkopmaak`).
"""

from __future__ import annotations

import functools
import math
import re

from ..vertellen.analysis import MIN_CELL

__all__ = [
    "FORBIDDEN_WORDS",
    "MAX_WORDS",
    "MEAN_WORDS",
    "MIN_FLESCH_DOUMA",
    "forbidden_words",
    "sentences",
    "word_count",
    "flesch_douma",
    "share_words",
    "mark_words",
    "count_words",
    "reading_sentence",
    "compare_sentence",
    "TEXT",
    "STATUS_NL",
    "text",
    "date_words",
]

#: Words a resident should not meet: statistics and the report's own jargon. A word of a
#: text is forbidden when it is one of these, or starts with one that ends in ``*``.
FORBIDDEN_WORDS: tuple[str, ...] = (
    "significant*",
    "significantie*",
    "statistiek*",
    "statistisch*",
    "trend*",
    "indicator*",
    "interval*",
    "betrouwbaarheidsinterval*",
    "foutmarge*",
    "marge",
    "p-waarde*",
    "q-waarde*",
    "mediaan",
    "medianen",
    "effect",
    "effecten",
    "effectgrootte*",
    "correlatie*",
    "regressie*",
    "steekproef*",
    "standaardfout*",
    "standaarddeviatie*",
    "variantie*",
    "percentiel*",
    "kwartiel*",
    "hypothese*",
    "nulmeting*",
    "reeks",
    "reeksen",
    "meta-inferentie*",
    "kendall*",
    "theil-sen*",
    "benjamini*",
)
#: The longest sentence a template may give, in words.
MAX_WORDS = 20
#: The most words a wijkbericht's generated sentences may have on average.
MEAN_WORDS = 15
#: The lowest Flesch-Douma score a wijkbericht may have (60: plain, B1).
MIN_FLESCH_DOUMA = 60

_WORD = re.compile(r"[0-9A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]+(?:[-'’][0-9A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]+)*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def word_count(sentence: str) -> int:
    """The words of ``sentence`` (a number counts as a word, a sign does not).

    >>> word_count("In Wielwijk is dat ongeveer 1 op de 4.")
    9
    """
    return len(_WORD.findall(sentence))


def sentences(text: str) -> list[str]:
    """``text`` cut into sentences after ``.``, ``!`` or ``?`` and at every line break.

    >>> sentences("Het gaat goed. Kom ook!\\nDoe mee")
    ['Het gaat goed.', 'Kom ook!', 'Doe mee']
    """
    out = []
    for line in text.splitlines():
        out += [s.strip() for s in _SENTENCE_END.split(line) if s.strip()]
    return out


@functools.lru_cache(maxsize=1)
def _forbidden() -> tuple[frozenset[str], tuple[str, ...]]:
    whole = frozenset(w for w in FORBIDDEN_WORDS if not w.endswith("*"))
    stems = tuple(w[:-1] for w in FORBIDDEN_WORDS if w.endswith("*"))
    return whole, stems


def forbidden_words(text: str) -> list[str]:
    """The words of ``text`` that :data:`FORBIDDEN_WORDS` forbids, in order.

    >>> forbidden_words("Geen significante trend, wel een effect. Effectief!")
    ['significante', 'trend', 'effect']
    """
    whole, stems = _forbidden()
    found = []
    for word in _WORD.findall(text):
        low = word.lower()
        if low in whole or low.startswith(stems):
            found.append(word)
    return found


def flesch_douma(text: str) -> float:
    """The Flesch-Douma reading ease of ``text`` (0-100; 60 and above: plain language).

    Douma's Dutch form of Flesch's formula, 206.835 - 0.93 x words per sentence
    - 77 x syllables per word, as ``textstat`` computes it with language ``nl``
    (syllables from the Dutch hyphenation patterns of ``pyphen``).

    >>> round(flesch_douma("Het gaat goed in de wijk. Kom naar de avond."))
    125
    >>> flesch_douma("Interdisciplinaire samenwerkingsverbanden veronderstellen afstemming.") < 0
    True
    """
    from textstat.textstat import textstatistics

    stats = textstatistics()  # an instance of our own: textstat's shared one keeps a language
    stats.set_lang("nl")
    return float(stats.flesch_reading_ease(text))


# -- numbers as people say them ----------------------------------------------------

# Shares above 40%, as a person says them.
_FRACTIONS = (
    (40.0, "2 op de 5"),
    (50.0, "de helft"),
    (60.0, "3 op de 5"),
    (200 / 3, "2 op de 3"),
    (75.0, "3 op de 4"),
    (80.0, "4 op de 5"),
    (90.0, "9 op de 10"),
)


def share_words(percent: float) -> str:
    """A percentage as people say it.

    Examples
    --------
    >>> [share_words(p) for p in (24.0, 8.3, 3.6, 0.4, 51.0, 73.0, 98.0)]
    ['ongeveer 1 op de 4', 'ongeveer 1 op de 12', 'ongeveer 1 op de 30', 'minder dan 1 op de 100', \
'ongeveer de helft', 'ongeveer 3 op de 4', 'bijna iedereen']
    """
    if percent < 1:
        return "minder dan 1 op de 100"
    if percent >= 97:
        return "bijna iedereen"
    if percent <= 36:
        n = 100 / percent
        n = round(n) if n <= 20 else 5 * round(n / 5)
        return f"ongeveer 1 op de {n}"
    _, words = min(_FRACTIONS, key=lambda f: abs(f[0] - percent))
    return f"ongeveer {words}"


def mark_words(mark: float) -> str:
    """A report mark (1-10) as people say it: ``ongeveer een 7``.

    >>> mark_words(6.6), mark_words(7.0)
    ('ongeveer een 7', 'een 7')
    """
    rounded = int(math.floor(mark + 0.5))
    return f"een {rounded}" if abs(mark - rounded) < 0.05 else f"ongeveer een {rounded}"


def count_words(count: int, one: str, many: str) -> str:
    """A count of stories or people; below :data:`MIN_CELL` only "minder dan 5", as in the
    report's tables, so that no teller can be singled out.

    >>> count_words(12, "verhaal", "verhalen"), count_words(2, "verhaal", "verhalen")
    ('12 verhalen', 'minder dan 5 verhalen')
    """
    if count < MIN_CELL:
        return f"minder dan {MIN_CELL} {many}"
    return f"{count} {one if count == 1 else many}"


# -- the readings of the status matrix, for a resident ----------------------------------

_READING: dict[tuple[str, str], str] = {
    (
        "comparison",
        "better_than_comparison",
    ): "Dit gaat beter dan in wijken die op deze wijk lijken.",
    (
        "comparison",
        "worse_than_comparison",
    ): "Dit gaat slechter dan in wijken die op deze wijk lijken.",
    ("progress", "target_reached"): "Het doel voor {target_year} is al gehaald.",
    ("progress", "on_track"): "Dit is goed op weg naar het doel voor {target_year}.",
    ("progress", "moderate_progress"): "Dit gaat de goede kant op, maar nog te langzaam.",
    ("progress", "insufficient_progress"): "Dit gaat de goede kant op, maar veel te langzaam.",
    ("progress", "moving_away"): "Dit gaat de verkeerde kant op.",
    ("trend", "improving"): "Dit gaat al een paar jaar de goede kant op.",
    ("trend", "worsening"): "Dit gaat al een paar jaar de verkeerde kant op.",
    ("change", "improving"): "Dit is beter dan bij de eerste meting.",
    ("change", "worsening"): "Dit is slechter dan bij de eerste meting.",
    ("break", "better_than_trend"): "Sinds de start van het programma gaat dit beter dan ervoor.",
    ("break", "worse_than_trend"): "Sinds de start van het programma gaat dit slechter dan ervoor.",
}


def reading_sentence(reading: str, outcome: str, target_year: int = 2043) -> str:
    """What a judged cell of the status matrix says, in one short sentence.

    >>> reading_sentence("trend", "improving")
    'Dit gaat al een paar jaar de goede kant op.'
    """
    return _READING[(reading, outcome)].format(target_year=target_year)


def _same(a: float, b: float) -> bool:
    """Two levels a resident would call the same: within 5% of each other."""
    return abs(a - b) <= 0.05 * max(abs(a), abs(b), 1e-9)


def compare_sentence(
    unit: str, higher_is_better: bool, area: str, value: float, reference: str, ref_value: float
) -> list[str]:
    """The level in ``area`` next to the level in the reference area, in words.

    A share is said as a share, a mark as a mark (:func:`share_words`,
    :func:`mark_words`); a rate per inhabitants as more or less; a score as
    better or less good; a count (which grows with the size of an area) not at all.

    Examples
    --------
    >>> compare_sentence("percent", False, "Wielwijk", 24.0, "Dordrecht", 15.0)
    ['In Wielwijk is dat ongeveer 1 op de 4.', 'In heel Dordrecht is dat ongeveer 1 op de 7.']
    >>> compare_sentence("per_1000", False, "Wielwijk", 40.0, "Dordrecht", 30.0)
    ['Naar verhouding is dat meer dan in heel Dordrecht.']
    >>> compare_sentence("index", True, "Wielwijk", 3.9, "Dordrecht", 4.0)
    ['Dat is ongeveer even goed als in heel Dordrecht.']
    """
    if unit in ("percent", "grade_1_10"):
        say = share_words if unit == "percent" else mark_words
        mine, theirs = say(value), say(ref_value)
        if mine == theirs:
            return [f"In {area} is dat {mine}, net als in heel {reference}."]
        return [f"In {area} is dat {mine}.", f"In heel {reference} is dat {theirs}."]
    if unit in ("per_1000", "per_10000"):
        if _same(value, ref_value):
            return [f"Naar verhouding is dat ongeveer even veel als in heel {reference}."]
        more = "meer" if value > ref_value else "minder"
        return [f"Naar verhouding is dat {more} dan in heel {reference}."]
    if unit == "count":
        return []
    if _same(value, ref_value):
        return [f"Dat is ongeveer even goed als in heel {reference}."]
    better = (value > ref_value) == bool(higher_is_better)
    if unit == "euro_x1000":
        return [f"Dat is {'hoger' if value > ref_value else 'lager'} dan in heel {reference}."]
    return [f"Dat is {'beter' if better else 'minder goed'} dan in heel {reference}."]


# -- every other sentence and heading ---------------------------------------------------

#: The fixed texts and templates of the wijkbericht and the slides, by name. ``{...}`` is
#: filled with plain values (names, years, counts) by :func:`text`.
TEXT: dict[str, str] = {
    # headings
    "title": "Wijkbericht {area} {year}",
    "title_programme": "Wijkbericht {area} {year}",
    "better": "Wat gaat beter",
    "attention": "Wat vraagt aandacht",
    "told": "Wat bewoners vertellen",
    "happening": "Wat er gebeurt",
    "join": "Doe mee",
    # the opening
    "intro": "Elk jaar kijken we hoe het gaat in {area}.",
    "intro_how": "We kijken naar cijfers en we luisteren naar verhalen van bewoners.",
    "made": "Dit bericht hoort bij het jaar {year}.",
    "run_date": "De cijfers zijn op {date} bijgewerkt.",
    "full_report": "Alles staat in het hele rapport: {where}.",
    "full_report_default": "het rapport Vertellen en tellen {year}",
    "synthetic": "Let op: dit bericht gebruikt verzonnen voorbeelden.",
    "synthetic_more": "De cijfers en verhalen zijn niet echt.",
    # the readings
    "better_none": "We zien nu geen cijfer dat duidelijk beter gaat.",
    "attention_none": "We zien nu geen cijfer dat duidelijk slechter gaat.",
    "too_little": "Hierover weten we nog te weinig.",
    "too_little_numbers": "Er zijn nog te weinig metingen om iets te zeggen.",
    "no_measurement": "Er zijn nog geen cijfers over {area}.",
    "more_in_report": "Andere cijfers staan in het hele rapport.",
    # the stories
    "quotes_intro": "We hoorden {stories} uit {area}.",
    "quotes_none": "Er zijn nog geen verhalen die we mogen delen.",
    "quotes_few": "Er zijn nog geen verhalen uit {area}.",
    "quote_who": "Een {teller} uit {area}",
    # the efforts
    "efforts_intro": "Hier werkt het programma aan in {year}.",
    "efforts_intro_earlier": "Hier werkt het programma aan. Dit is de stand van {year}.",
    "efforts_none": "Er is nog niet vastgelegd wat er loopt.",
    "efforts_more": "Alle plannen staan in het hele rapport.",
    # the invitation
    "when": "Wanneer: {date}",
    "where": "Waar: {place}",
    "when_open": "De datum volgt nog.",
    "where_open": "De plek volgt nog.",
    "story_send": "Hebt u een verhaal over uw wijk? Vertel het ons: {how}.",
    "story_send_open": "Hebt u een verhaal over uw wijk? Vertel het aan de buurtverbinder.",
    "invitation_default": "Kom naar de wijkavond en praat mee over uw wijk.",
    # the slides
    "slide_open": "{area}: hoe gaat het?",
    "slide_open_sub": "Cijfers en verhalen over {year}",
    "slide_pillar_none": "Over {pillar} weten we in {area} nog te weinig.",
    "slide_no_quote": "Hierover is nog geen verhaal uit {area} dat we mogen laten zien.",
    "slide_close": "Praat mee",
    "slide_thanks": "Dank u wel voor uw komst!",
}

STATUS_NL = {
    "in_uitvoering": "loopt",
    "gerealiseerd": "is klaar",
}


def text(name: str, **values: object) -> str:
    """The text ``name`` of :data:`TEXT` with ``values`` filled in.

    >>> text("when", date="12 maart 2027")
    'Wanneer: 12 maart 2027'
    """
    template = TEXT[name]
    return template.format(**values) if values else template


_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus")
_MONTHS += ("september", "oktober", "november", "december")


def date_words(year: int, month: int, day: int) -> str:
    """``12 maart 2027``.

    >>> date_words(2027, 3, 12)
    '12 maart 2027'
    """
    return f"{day} {_MONTHS[month - 1]} {year}"
