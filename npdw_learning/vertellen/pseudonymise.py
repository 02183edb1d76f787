"""Pseudonymisation of story texts: typed, numbered placeholders, no key kept.

``deduce`` (the Dutch de-identification library) finds most names, addresses,
dates, ages and numbers. Stories from Dordt West need more than a medical
record does, so a few layers run next to it:

* **names**: a lookup of first names common in these neighbourhoods that
  deduce's lists lack (Turkish with diacritics, Antillean, Eastern European,
  ...), and names introduced by a cue ("mevrouw", "mijn buurvrouw", "heet",
  "genaamd", ...), each extended over particles (van, de, el, al, ...) and
  capitalised neighbours; names typed in lower case or capitals count when
  the words are no Dutch words (spaCy's Dutch lemma tables) or known first
  names ("mijn buurvrouw fatima el amrani");
* **numbers**: phone numbers in every Dutch notation (``06-12345678``,
  ``+31 6 12345678``, ``(078) 6123456``, ...), BSN (elfproef, or after the
  word "BSN"), IBAN, postcodes, street + house number;
* **e-mail and URLs**, **dates of birth** (also without a year) and **ages**;
* **streets**: the municipality's street and square names from the registry
  (``data/registry/streets.yaml``) and any capitalised word ending in -straat,
  -weg, -plein, ... that is no Dutch word or place ("Crabbehofplein") become
  ``[ADRES-n]``, also without a number, and never ``[PERSOON-n]``; a house
  number right after or before a placeholder or a street ("Mevrouw
  [PERSOON-1] op nummer 23", "huisnummer 7", "in de Colijnstraat nr. 45",
  "at number 14") goes with it.

Countries, continents and nationalities ("Polen", "Poland", "Marokkaanse")
stay, like the allowlist (:mod:`.countries`).

A story that is not in Dutch (``language`` other than ``"nl"``) skips deduce
and the Dutch name rules, which take ordinary words of another language for
names. The patterns above still run, plus full dates and English ages; names
are capitalised words that are no word of that language (spaCy's lemma and
stop-word lists), not at the start of a sentence unless a known first name or
followed by another such word, and words after a title ("Mrs", "Mr", "my
neighbour"). That is a weaker net than deduce: the importer says so and asks
for a review.

Everything found is replaced by ``[TYPE-n]``, numbered per text in order of
first appearance; the same entity gets the same placeholder within one text
(phone numbers compared on their digits). Names on the allowlist (areas,
places, organisations the analysis needs) stay, also when they are part of a
longer annotation: ``"3317 AB Dordrecht"`` becomes ``"[POSTCODE-1] Dordrecht"``.
Nothing maps placeholders back to the original: no re-identification key
exists.

Full dates are all replaced (deduce cannot tell a date of birth from the
date of a meeting, and a date can identify). Organisation names are kept:
deduce's care-institution annotator is switched off because the analysis
needs them and they do not identify a resident.
"""

from __future__ import annotations

import functools
import gc
import gzip
import hashlib
import json
import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .countries import COUNTRY_WORDS

__all__ = [
    "PSEUDONYMISER_VERSION",
    "PLACEHOLDER_TYPES",
    "PseudonymResult",
    "Pseudonymiser",
    "elfproef",
]

# Bump when a change in the rules changes output: the importer's cache keys on it.
PSEUDONYMISER_VERSION = "5"

# Placeholder types, in the order reports list them.
PLACEHOLDER_TYPES = (
    "PERSOON",
    "ADRES",
    "POSTCODE",
    "PLAATS",
    "TELEFOON",
    "EMAIL",
    "URL",
    "BSN",
    "IBAN",
    "NUMMER",
    "DATUM",
    "LEEFTIJD",
)
# When overlapping findings are merged, the longest decides the type; on a tie
# the more specific type (earlier here) wins.
_TIE_ORDER = (
    "EMAIL",
    "URL",
    "IBAN",
    "BSN",
    "TELEFOON",
    "POSTCODE",
    "ADRES",
    "DATUM",
    "LEEFTIJD",
    "PERSOON",
    "PLAATS",
    "NUMMER",
)
_RANK = {t: i for i, t in enumerate(_TIE_ORDER)}

# Kinds whose text the allowlist can cut: names and places, not e-mail, URLs or numbers.
_NAME_LIKE = frozenset({"PERSOON", "PLAATS", "ADRES"})
_DEDUCE_TAGS = {
    "persoon": "PERSOON",
    "patient": "PERSOON",
    "telefoonnummer": "TELEFOON",
    "emailadres": "EMAIL",
    "url": "URL",
    "bsn": "BSN",
    "id": "NUMMER",
    "datum": "DATUM",
    "leeftijd": "LEEFTIJD",
}
# Groups of deduce processors we do not run: the redactor (we place our own
# placeholders) and care institutions (organisation names stay, see above).
_DEDUCE_DISABLED = frozenset({"redactor", "institutions"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- names -------------------------------------------------------------------------

# First names common in Dordt West that are missing from, or spelled differently
# in, deduce's lists. Fictional combinations only ever appear in tests.
_FIRST_NAMES = _words(
    """
Abdel Abdelkader Abdellah Abdelhak Abderrahim Abdessamad Adil Ahmed Aicha Aïcha Amina Anouar Asmae
Ayoub Badr Bilal Bouchra Brahim Chaima Chaimae Driss Fadoua Fatiha Fatima Fatma Farida Ghizlane
Hafsa Hajar Hakim Hamid Hamza Hanane Hassan Hicham Hind Houda Ibrahim Ikram Ilham Ilias Imane
Jamal Kamal Karim Khadija Khalid Lahcen Latifa Loubna Malika Mariam Marouane Meryem Mimoun
Mohamed Mohammed Mostafa Mourad Mustapha Nabil Nadia Naima Najat Nordin Noura Omar Othman Rachid
Rachida Redouan Saïd Said Samira Sanae Siham Soufiane Souad Yassine Yasmina Youssef Zakaria
Zineb Zohra
Ahmet Ali Alper Arda Aslı Ayşe Aysel Ayten Baran Barış Berk Burak Büşra Cem Cemile Deniz Derya
Ebru Elif Emel Emine Emre Esra Fadime Fatih Ferhat Gökhan Gül Gülay Gülsen Gülşen Hakan Hasan
Hatice Hülya Hüseyin İbrahim Kübra Leyla Mehmet Melek Meltem Merve Murat Mustafa Nurcan Oğuz
Orhan Özge Özlem Recep Rukiye Selin Semra Serkan Sevgi Sinan Songül Şükrü Tuba Tuğba Ümit Yasemin
Yusuf Zehra Zeynep
Anand Anjali Anil Ashwin Chandrika Dewika Dinesh Gitanjali Indra Kavita Kiran Krishna Mahesh
Mohan Navin Nirmala Pooja Prakash Priya Radjesh Rajesh Rakesh Ramesh Ravi Roshni Sandjai Sanjay
Santosh Sharmila Shanti Sunita Sunil Soenita Soeresh Vikash Vishal
Dwayne Germaine Glenn Jerrel Jurgen Lorenzo Marlon Milton Ramon Romano Roy Sharon Sherida
Sheryl Winston
Chesron Djuric Dyanne Gerlien Gisaine Jandino Jermaine Jurensley Kenrick Kevin Luigi Mireya
Quincy Rigchenny Ruthmila Shakira Sharelly Shurandy Shurendy Sulaika Xiomara Yuriël Zuleika
Agnieszka Aleksandra Anna Andrzej Bogdan Dariusz Dorota Ewa Grzegorz Iwona Jakub Joanna
Justyna Kamil Karolina Katarzyna Krzysztof Łukasz Magdalena Małgorzata Marek Marcin Mariusz
Monika Paweł Piotr Przemysław Sławomir Stanisław Tomasz Wojciech Zbigniew Zofia
Adrian Alexandru Andreea Constantin Cristina Gheorghe Ioana Ion Ionela Ionuț Mihaela Mihai Nicoleta
Radu Vasile
Anastasia Dimitar Dmytro Galina Georgi Ivan Iryna Kateryna Mykola Natalia Nikolai Oksana
Oleksandr Olena Svetlana Tetiana Viktor Vladimir Yulia Yuliia Zoran Milan Dragan Jelena
"""
)

# Lower-case name particles (Dutch, Arabic, Portuguese, ...) that stay inside a name.
_PARTICLES = _words(
    "van de der den het 't ter ten te op in 'd d' da de la le du del dos das di von zu "
    "el al ben bin ibn abu ould"
)
# Words that introduce a person's name. Matched case-insensitively.
_NAME_CUES = (
    r"mevrouw|mevr\.?|mw\.?|meneer|mijnheer|mnr\.?|dhr\.?|de\s+heer|juffrouw|juf|meester|"
    r"tante|oom|opa|oma|dokter|zuster|broeder|"
    r"(?:mijn|onze|haar|zijn|hun|jouw|je|de|een)\s+(?:oud-)?(?:buurman|buurvrouw|buurjongen|"
    r"buurmeisje|zoon|dochter|man|vrouw|partner|echtgenoot|echtgenote|vriend|vriendin|moeder|"
    r"vader|broer|zus|zusje|broertje|neef|nicht|kleinzoon|kleindochter|kleinkind|collega|"
    r"schoonmoeder|schoonvader|schoonzoon|schoondochter|kind|stiefzoon|stiefdochter|"
    r"klasgenoot|huisgenoot|begeleider|mentor|buddy|maatje|cliënt|client)|"
    r"heet|heette|heten|genaamd|genoemd|naam\s+is|ik\s+ben|noemen\s+haar|noemen\s+hem"
)
_CUE = re.compile(rf"(?<![\w])(?i:{_NAME_CUES})\s+(?=[^\W\d_])")
# Capitalised words that start no name: pronouns, articles and the like at a
# sentence start, months, days, languages, nationalities, holidays.
_NOT_NAMES = _words(
    """
    De Het Een Ik Jij Je Hij Zij Ze Wij We Jullie Hun Haar Zijn Mijn Onze Ons Uw U Dat Die Dit Deze
    En Maar Of Want Dus Toen Als Omdat Ook Nog Wel Niet Geen Er Daar Hier Nu Dan Wat Wie Waar Hoe
    Waarom Welke Alle Elke Iedereen Niemand Iemand Veel Weinig Meer Soms Vaak Altijd Nooit Samen
    Gisteren Vandaag Morgen Vroeger Later Sinds Vanaf Tot Na Voor Met Zonder Bij Door Over Op In
    Aan Van Naar Om Uit Tegen Tussen Onder Boven Achter Naast Via Per Ja Nee Oké Ok Goed Mooi Fijn
    Januari Februari Maart April Mei Juni Juli Augustus September Oktober November December
    Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag Pasen Kerst Kerstmis Ramadan
    Suikerfeest Offerfeest Divali Diwali Keti Koti Koningsdag Sinterklaas
    Nederlands Nederlandse Nederlander Marokkaans Marokkaanse Marokkaan Turks Turkse Turk
    Surinaams Surinaamse Surinamer Antilliaans Antilliaanse Antilliaan Pools Poolse Polen Pool
    Roemeens Roemeense Bulgaars Bulgaarse Oekraïens Oekraïense Arabisch Berber Engels Duits Frans
    Nederland Marokko Turkije Suriname Curaçao Aruba Bonaire Polen Roemenië Bulgarije Oekraïne
    Syrië Eritrea Somalië Islam Moskee Kerk God Allah Corona Covid
    Daarna Eerst Verder Gelukkig Helaas Sindsdien Vorig Volgend Afgelopen Iedere Bovendien
    Ondanks Dankzij Inmiddels Misschien Eigenlijk Natuurlijk Zo Zelf Echt Heel Best Erg Laatst
    """
)
_TRAILING_PARTICLE = re.compile(
    r"\s+(?:" + "|".join(sorted(map(re.escape, _PARTICLES), key=len, reverse=True)) + r")\s*$"
)
_NOT_NAMES_FOLDED = frozenset(w.casefold() for w in _NOT_NAMES)
_WORD = re.compile(r"[^\W\d_](?:[\w'’]|-(?=[^\W\d_]))*")
_INITIALS = re.compile(r"(?:[A-ZÀ-Þ]\.\s?){1,4}")
_TITLE_WORDS = _words(
    "mevrouw mevr mw meneer mijnheer mnr dhr heer juffrouw mej dr drs ir mr prof ing "
    "dokter zuster broeder de"
)

# --- numbers and addresses ---------------------------------------------------------

# Phone candidates: an international prefix, an area code in brackets or a
# trunk 0, then digits with single separators (space, dash, slash). The digit
# count is checked in code, so "06 1234 5678 2 keer" stops after the number.
_SEP = r"(?:[ \t]?[-/][ \t]?|[ \t])"
_PHONE = re.compile(
    rf"(?<![\w+@/])(?:(?:\+|00)[ \t]?31{_SEP}?(?:\(0\){_SEP}?)?|\(0\d{{1,3}}\){_SEP}?|0(?=\d))"
    rf"\d(?:{_SEP}?\d)*"
)
_SPECIAL_PHONE = re.compile(r"(?<![\w+])0[89]0[069][ -]?\d{4}(?:\d{3})?(?!\w)")
_POSTCODE = re.compile(r"(?<![\w])([1-9]\d{3}(?:[A-Za-z]{2}|[ \t][A-Z]{2}))(?![\w])")
_NOT_POSTCODE = frozenset({"SA", "SD", "SS"})
_UNITS = _words("mg gr kg km cm mm ml cl dl kb mb gb st pk uw ct")
_BSN_CANDIDATE = re.compile(r"(?<![\w+])(\d{3}[ .]?\d{3}[ .]?\d{3}|\d{4}[ .]\d{2}[ .]\d{3})(?!\w)")
_BSN_CUE = re.compile(r"(?i:bsn|burgerservicenummer|sofi-?nummer)\b[^\d\n]{0,25}$")
_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\d{2}[ ]?[A-Z]{4}(?:[ ]?\d){10}(?!\w)")
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_URL = re.compile(
    r"(?i)(?:https?://|www\.)[^\s<>\"'()\[\]]+"
    r"|(?<![@\w.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+"
    r"(?:nl|com|org|net|eu|be|info|nu|io|de|frl|online|app)(?:/[^\s<>\"'()\[\]]*)?(?![\w@])"
)
_STREET_SUFFIX = (
    r"straat|str\.|laan|weg|plein|singel|kade|dijk|hof|dreef|park|pad|steeg|gracht|markt|"
    r"baan|erf|plantsoen|boulevard|wal|haven|veld|zoom|dam|vest|poort|rade|weide|"
    r"straatje|laantje|pleintje|hofje|steegje"
)
_STREET = re.compile(
    r"(?<![\w])(?:[A-ZÀ-Þ][\w'’.]*[ \t](?:(?:van|de|der|den|het|'t|ter|ten|la)[ \t])*){0,3}"
    rf"[A-ZÀ-Þ][\w'’\-]*?(?:{_STREET_SUFFIX})[ \t]+\d{{1,4}}(?:[ \t]?[a-zA-Z](?![\w]))?"
    r"(?:[ \t]?[-/][ \t]?\d{1,4}[a-zA-Z]?)?(?![\w])"
)
_MONTHS = (
    r"januari|jan|februari|feb|maart|mrt|april|apr|mei|juni|jun|juli|jul|augustus|aug|"
    r"september|sept|sep|oktober|okt|november|nov|december|dec"
)
_BIRTH_DATE = re.compile(
    r"(?i:geboren|geb\.|geboortedatum|geboortedag|verjaardag|jarig)[ \t]*(?i:op|is|:|in)?[ \t]*"
    rf"(?:de[ \t]+)?(\d{{1,2}}(?:[-/.][ \t]?\d{{1,2}}|[ \t]+(?i:{_MONTHS})\.?)"
    r"(?:[-/. \t]+(?:19|20)?\d{2})?|(?:19|20)\d{2})(?!\d)"
)
_BIRTH_YEAR = re.compile(r"(?i:geboortejaar)[ \t]*:?[ \t]*((?:19|20)\d{2})(?!\d)")
_AGE = re.compile(
    r"(?<![\w,.])(\d{1,3})(?=[ \t]?-?[ \t]?jarige?\b|[ \t]+jaar[ \t]+oud\b)"
    r"|(?i:leeftijd)[ \t]*(?:van|is|:)?[ \t]*(\d{1,3})(?!\d)"
    r"|(?i:ik\s+ben|hij\s+is|zij\s+is|ze\s+is|werd|wordt|word)"
    r"(?:[ \t]+(?i:nu|pas|al|bijna|ruim|net|inmiddels))?[ \t]+(\d{1,3})"
    r"(?=[ \t]+jaar\b|[ \t]*[.,!;)]|[ \t]+(?i:en|maar|dus|toen|nu|sinds|inmiddels)\b|\s*$)"
    # "meneer [PERSOON-2], die 74 is"
    r"|(?i:\bdie|\bdat)[ \t]+(\d{1,3})[ \t]+(?i:is|was|wordt|werd)\b"
    # "de heer [PERSOON-1] (34)": an age in brackets right after a name
    r"|(?<=[\]\w])[ \t]?\((\d{1,2})\)"
)
_PLACEHOLDER = re.compile(r"\[[A-Z]+-\d+\]")
# "mijn buurvrouw op nummer 9 is 84": an age after a person word in the same sentence.
_AGE_OF_PERSON = re.compile(
    r"(?i:buurvrouw|buurman|moeder|vader|oma|opa|zoon|dochter|broer|zus|tante|oom|jongen|"
    r"meisje|\[PERSOON-\d+\])[^.!?\n]{0,40}?\b(?i:is|was|wordt|werd)[ \t]+(\d{1,2}|1[01]\d)"
    r"(?=[ \t]+jaar\b|[ \t]*[.,;!?)]|[ \t]+(?i:en|maar|dus|toen|nu)\b|\s*$)"
)

# --- street names and house numbers --------------------------------------------------

# A street name without a number: capitalised words ending in a street word. The last
# word decides (it must be no Dutch word, place or allowlisted name); leading function
# words ("Op het ...") are cut off in code.
_STREET_NAME = re.compile(
    r"(?<![\w])(?:(?:[A-ZÀ-Þ][\w'’]*|(?:[A-ZÀ-Þ]\.)+)[ \t]"
    r"(?:(?:van|de|der|den|het|'t|ter|ten|la)[ \t])*){0,3}"
    rf"[A-ZÀ-Þ][\w'’\-]*?(?:{_STREET_SUFFIX})(?![\w])"
)
_STREET_TITLE = re.compile(
    r"(?i:mevrouw|mevr|mw|meneer|mijnheer|mnr|dhr|heer|familie|fam|juf|meester|dokter|"
    r"mrs|mr|ms|miss|dr)\.?[ \t]+$"
)
# A house number: 23, 23a, 23 a, 23-2, 23/II is not covered (rare in stories).
_HOUSE_NUMBER = r"\d{1,4}(?:[ \t]?[a-zA-Z](?![\w]))?(?:[ \t]?[-/][ \t]?\d{1,4}[a-zA-Z]?)?"
_NUMBER_WORD = r"(?i:huisnummer|huisnr\.?|nummer|nr\.?|no\.?|number)"
# What follows a number that is no house number: "op 3 hoog", "23,5", "op 12 mei".
_NOT_A_HOUSE = (
    r"(?!\d|[.,]\d|[ \t]?[A-Z]{2}(?![\w])|[a-z]{2}(?![\w])"  # a postcode: 3317 AB
    r"|[ \t]*(?:%|€|(?i:-?jarige?|jaar|jr|years?|uur|u|minuten|min|dagen|dag|"
    r"weken|week|maanden|maand|keer|procent|euro|kilo|kg|km|meter|m|cm|graden|hoog|"
    r"january|february|march|june|july|august|october|"  # not "may": "number 14 may be"
    rf"{_MONTHS})(?![\w])))"
)
# Anywhere: "huisnummer 7" (whole); "op nummer 23", "bij nr. 23", "at number 14",
# "de flat nummer 12" (the number word and the number go, "op" and "flat" stay).
_HOUSE_NUMBER_ANYWHERE = re.compile(
    rf"(?<![\w])(?:((?i:huisnummer|huisnr\.?)[ \t]*:?[ \t]*{_HOUSE_NUMBER})"
    r"|(?i:op|bij|naast|tegenover|at|near|straat|flat|portiek|galerij|woning|huis)[ \t]+"
    rf"({_NUMBER_WORD}[ \t]*{_HOUSE_NUMBER})){_NOT_A_HOUSE}"
)
# Right after a placeholder's text or a street: ". op nummer 41", ", op 112", " nr. 45".
_HOUSE_NUMBER_AFTER = re.compile(
    rf"[.,]?[ \t]+(?:((?i:op|at|aan)[ \t]+)?({_NUMBER_WORD}[ \t]*{_HOUSE_NUMBER}|{_HOUSE_NUMBER})"
    rf"){_NOT_A_HOUSE}"
)
# Right before a street: "nummer 23 in de Zilverschoonstraat", "23 Colijnstraat".
_HOUSE_NUMBER_BEFORE = re.compile(
    rf"(?<![\w])(?:{_NUMBER_WORD}[ \t]*{_HOUSE_NUMBER}|\d{{1,3}}[a-zA-Z]?)"
    r"(?:[ \t]+(?i:in|aan|op|van|at|on)[ \t]+(?:(?i:de|het|the)[ \t]+)?|[ \t]+)$"
)

# --- stories in another language --------------------------------------------------------

_EN_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# Full dates: deduce finds them in Dutch; in another language these patterns do.
_FULL_DATE = re.compile(
    r"(?<![\w/.\-])(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?i:{_EN_MONTHS}|{_MONTHS})\.?,?[ \t]+"
    r"(?:19|20)\d{2}"
    rf"|(?i:{_EN_MONTHS}|{_MONTHS})\.?[ \t]+\d{{1,2}}(?:st|nd|rd|th)?,?[ \t]+(?:19|20)\d{{2}})"
    r"(?![\w])"
)
_BORN_ON = re.compile(
    r"(?i:born|birthday|date[ \t]+of[ \t]+birth)[ \t]*(?i:on|is|:|in)?[ \t]*(?:the[ \t]+)?"
    rf"(\d{{1,2}}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?i:{_EN_MONTHS})|(?i:{_EN_MONTHS})[ \t]+"
    r"\d{1,2}(?:st|nd|rd|th)?|(?:19|20)\d{2})(?![\w])"
)
_EN_AGE = re.compile(
    r"(?<![\w,.])(\d{1,3})(?=[ \t]*-?[ \t]*years?[ \t-]+old\b)"
    r"|(?i:\bI[ \t]+am|\bI'm|\bhe[ \t]+is|\bshe[ \t]+is|\bhe's|\bshe's|\baged|\bage)"
    r"[ \t]+(\d{1,3})(?=[ \t]+years?\b|[ \t]*[.,!;)]|[ \t]+(?i:and|but|now)\b|\s*$)"
)
_FOREIGN_CUE = re.compile(
    r"(?<![\w])(?:(?i:mrs|mr|ms|miss|dr|mevrouw|meneer|madame|monsieur|herr|frau|pani|pan|"
    r"bayan|bay)\.?|(?i:my|our|his|her)[ \t]+(?i:neighbou?r|friend|son|daughter|husband|"
    r"wife|brother|sister|mother|father|colleague)|(?i:called|named|name[ \t]+is))[ \t]+"
    r"(?=[A-ZÀ-Þ]|(?:van|de|der|den|ten|ter|el|al)[ \t])"
)
_FOREIGN_TITLES = _words(
    "mrs mr ms miss dr mevrouw meneer madame monsieur herr frau pani pan bayan bay"
)
_EN_CALENDAR = _words(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december christmas easter eid"
)


def elfproef(digits: str) -> bool:
    """Whether nine digits pass the BSN eleven test (elfproef).

    Examples
    --------
    >>> elfproef("111222333"), elfproef("123456789")
    (True, False)
    """
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True))
    return total % 11 == 0


@dataclass(frozen=True)
class PseudonymResult:
    """A pseudonymised text and how many replacements of each type were made."""

    text: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Span:
    start: int
    end: int
    kind: str


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _entity_key(kind: str, text: str) -> str:
    if kind == "TELEFOON":
        digits = re.sub(r"\D", "", text)
        for prefix in ("0031", "310", "31"):
            if digits.startswith(prefix) and len(digits) - len(prefix) in (9, 10):
                digits = "0" + digits[len(prefix) :].removeprefix("0")
                break
        return digits
    if kind in ("POSTCODE", "IBAN", "BSN"):
        return re.sub(r"[\s.]", "", text).upper()
    return _fold(text)


def _variants(name: str) -> set[str]:
    """Spellings of an allowlisted name: hyphen/space, sentence-start capital, capitals."""
    out = {name, name.replace("-", " "), name.replace(" ", "-")}
    out |= {v.upper() for v in out}  # a form typed in capitals
    for v in list(out):
        if v and v[0].islower():
            out.add(v[0].upper() + v[1:])
        elif v and v[0].isupper() and not v[:2].isupper():
            out.add(v[0].lower() + v[1:])
    return out


def _alternation(names: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for whole-word matches of names in all their spellings (longest first)."""
    spellings = sorted({v for n in names for v in _variants(n)}, key=len, reverse=True)
    if not spellings:
        return None
    return re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, spellings)) + r")(?![\w])")


class Pseudonymiser:
    """Replace identifying text by typed, numbered placeholders.

    Build one and reuse it: deduce loads its lookup tables (a few seconds) the
    first time a text needs it, not when the object is made.

    Parameters
    ----------
    allowlist : iterable of str
        Names that stay: areas, places, organisations (``StoryVocabulary.allowlist``).
        Matched as whole words, with hyphen/space variants.
    extra_first_names : iterable of str
        More first names to recognise, on top of the built-in lookup.
    streets : iterable of str
        Street and square names of the municipality (``StoryVocabulary.streets``):
        ``[ADRES-n]`` wherever they occur, with or without a number.

    Examples
    --------
    >>> p = Pseudonymiser(allowlist=["Wielwijk", "Dordrecht"])
    >>> r = p.pseudonymise("Mijn buurvrouw Shurandy Martina (bel 06-12345678) woont in Wielwijk.")
    >>> r.text
    'Mijn buurvrouw [PERSOON-1] (bel [TELEFOON-1]) woont in Wielwijk.'
    >>> r.counts
    {'PERSOON': 1, 'TELEFOON': 1}
    """

    def __init__(
        self,
        allowlist: Iterable[str] = (),
        *,
        extra_first_names: Iterable[str] = (),
        streets: Iterable[str] = (),
    ) -> None:
        self.allowlist = tuple(dict.fromkeys(a for a in allowlist if a and a.strip()))
        self.streets = tuple(dict.fromkeys(s for s in streets if s and s.strip()))
        self._first_names = frozenset(_FIRST_NAMES) | frozenset(extra_first_names)
        # Countries and nationalities stay like the allowlist (see the module text).
        kept = (*self.allowlist, *COUNTRY_WORDS)
        self._allow = _alternation(kept)
        self._allow_folded = frozenset(_fold(v) for a in kept for v in _variants(a))
        self._streets = _alternation(self.streets)
        self._deduce: Any = None
        fingerprint = "\0".join(
            "\n".join(sorted(group)) for group in (self.allowlist, self._first_names, self.streets)
        )
        self.version = (
            f"{PSEUDONYMISER_VERSION}+deduce{_package_version('deduce')}"
            f"+lookups{_package_version('spacy-lookups-data')}+"
            f"{hashlib.sha256(fingerprint.encode()).hexdigest()[:8]}"
        )

    # -- deduce ------------------------------------------------------------------

    @property
    def deduce(self) -> Any:
        """The deduce instance, loaded on first use (a few seconds) and shared."""
        if self._deduce is None:
            self._deduce = _shared_deduce()
        return self._deduce

    def warm_up(self) -> Pseudonymiser:
        """Load deduce and the word lists now (before forking workers, so they share them)."""
        _ = self.deduce
        _dutch_words(), _known_first_names(), _common_words()
        return self

    # -- public ------------------------------------------------------------------

    def pseudonymise(self, text: str, language: str = "nl") -> PseudonymResult:
        """Pseudonymise one text.

        Parameters
        ----------
        text : str
            Raw text; it is not kept anywhere.
        language : str, default "nl"
            ISO 639-1 code of the text's language
            (:func:`npdw_learning.vertellen.language.detect_language`); any
            other than ``"nl"`` skips deduce and the Dutch name rules.

        Returns
        -------
        PseudonymResult
            The text with ``[TYPE-n]`` placeholders and the number of
            replacements per type (only types that occurred, in
            :data:`PLACEHOLDER_TYPES` order).

        Examples
        --------
        >>> p = Pseudonymiser(allowlist=["Dordrecht"])
        >>> p.pseudonymise("Postcode 3317 AB Dordrecht, mail a.b@voorbeeld.nl").text
        'Postcode [POSTCODE-1] Dordrecht, mail [EMAIL-1]'
        >>> p.pseudonymise("Since last summer my neighbour Mrs Kowalczyk calls.", "en").text
        'Since last summer my neighbour Mrs [PERSOON-1] calls.'
        """
        (out,), counts = self.pseudonymise_parts([text], language)
        return PseudonymResult(out, counts)

    def pseudonymise_parts(
        self, parts: Sequence[str], language: str = "nl"
    ) -> tuple[tuple[str, ...], dict[str, int]]:
        """Pseudonymise several texts of one story (title, text) with shared numbering.

        Examples
        --------
        >>> p = Pseudonymiser()
        >>> p.pseudonymise_parts(["Mevrouw Kowalczyk", "Mevrouw Kowalczyk belde."])[0]
        ('Mevrouw [PERSOON-1]', 'Mevrouw [PERSOON-1] belde.')
        """
        numbering: dict[tuple[str, str], str] = {}
        per_type: dict[str, int] = {}
        counts: dict[str, int] = {}
        out = []
        for text in parts:
            pieces = []
            pos = 0
            for span in self._find(text, language):
                kind = span.kind
                key = (kind, _entity_key(kind, text[span.start : span.end]))
                if key not in numbering:
                    per_type[kind] = per_type.get(kind, 0) + 1
                    numbering[key] = f"[{kind}-{per_type[kind]}]"
                pieces += [text[pos : span.start], numbering[key]]
                counts[kind] = counts.get(kind, 0) + 1
                pos = span.end
            pieces.append(text[pos:])
            out.append("".join(pieces))
        ordered = {t: counts[t] for t in (*PLACEHOLDER_TYPES, *sorted(counts)) if t in counts}
        return tuple(out), ordered

    # -- detection -----------------------------------------------------------------

    def _find(self, text: str, language: str = "nl") -> list[_Span]:
        """The non-overlapping spans to replace, sorted by position."""
        if not text.strip():
            return []
        if language == "nl":
            spans = self._deduce_spans(text) + self._pattern_spans(text) + self._name_spans(text)
        else:
            spans = self._pattern_spans(text) + _foreign_spans(text)
            spans += self._foreign_name_spans(text, language)
        placeholders = [m.span() for m in _PLACEHOLDER.finditer(text)]
        allowed = [m.span() for m in self._allow.finditer(text)] if self._allow else []
        keep = sorted(placeholders + allowed)
        listed = [m.span() for m in self._streets.finditer(text)] if self._streets else []
        # A street of the registry is never a person or a place ("Karel Doormanweg").
        not_named = sorted(keep + listed)
        trimmed: list[_Span] = []
        for s in spans + [_Span(a, b, "ADRES") for a, b in listed] + self._street_spans(text):
            # An e-mail address, URL or number is one identifier: "wijk@dordt.nl"
            # goes whole; only names and places lose their allowlisted part.
            protect = (
                (not_named if s.kind in ("PERSOON", "PLAATS") else keep)
                if s.kind in _NAME_LIKE
                else placeholders
            )
            trimmed += self._subtract(text, s, protect)
        merged = self._merge(text, trimmed)
        return self._merge(text, merged + _house_number_spans(text, merged))

    def _deduce_spans(self, text: str) -> list[_Span]:
        doc = self.deduce.deidentify(text, disabled=set(_DEDUCE_DISABLED))
        spans = []
        for a in doc.annotations:
            tag = str(a.tag)
            if tag == "locatie":
                kind = "ADRES" if any(c.isdigit() for c in a.text) else "PLAATS"
            elif tag in _DEDUCE_TAGS:
                kind = _DEDUCE_TAGS[tag]
            elif any(k in tag for k in ("naam", "initiaal", "persoon", "patient")):
                kind = "PERSOON"
            else:
                continue  # pseudo_name (eponymous diseases) and the like
            if kind == "LEEFTIJD" and _is_duration(text, a.start_char, a.end_char):
                continue
            spans.append(_Span(a.start_char, a.end_char, kind))
        return spans

    def _pattern_spans(self, text: str) -> list[_Span]:
        spans: list[_Span] = []
        for m in _EMAIL.finditer(text):
            spans.append(_Span(m.start(), m.end() - _trailing_punct(m.group()), "EMAIL"))
        for m in _URL.finditer(text):
            spans.append(_Span(m.start(), m.end() - _trailing_punct(m.group()), "URL"))
        pos = 0
        while m := _PHONE.search(text, pos):
            # Not finditer: a candidate that is no phone number must not swallow
            # the start of one that follows ("01-03-2024 0612345678").
            end = _phone_end(m.group())
            if end:
                spans.append(_Span(m.start(), m.start() + end, "TELEFOON"))
                pos = m.start() + end
            else:
                pos = m.start() + 1
        for m in _SPECIAL_PHONE.finditer(text):
            spans.append(_Span(m.start(), m.end(), "TELEFOON"))
        for m in _BSN_CANDIDATE.finditer(text):
            digits = re.sub(r"\D", "", m.group(1))
            if elfproef(digits) or _BSN_CUE.search(text, max(0, m.start() - 40), m.start()):
                spans.append(_Span(m.start(1), m.end(1), "BSN"))
        for m in _IBAN.finditer(text):
            spans.append(_Span(m.start(), m.end(), "IBAN"))
        for m in _POSTCODE.finditer(text):
            letters = m.group(1)[-2:]
            if letters.upper() in _NOT_POSTCODE or letters in _UNITS:
                continue
            spans.append(_Span(m.start(1), m.end(1), "POSTCODE"))
        for m in _STREET.finditer(text):
            spans.append(_Span(m.start(), m.end(), "ADRES"))
        for regex in (_BIRTH_DATE, _BIRTH_YEAR):
            for m in regex.finditer(text):
                spans.append(_Span(m.start(1), m.end(1), "DATUM"))
        for m in _AGE.finditer(text):
            g = next(i for i in range(1, _AGE.groups + 1) if m.group(i) is not None)
            spans.append(_Span(m.start(g), m.end(g), "LEEFTIJD"))
        for m in _AGE_OF_PERSON.finditer(text):
            spans.append(_Span(m.start(1), m.end(1), "LEEFTIJD"))
        return spans

    def _street_spans(self, text: str) -> list[_Span]:
        """Street names without a number that no list knows: "op het Crabbehofplein".

        The last word ends in a street word (-straat, -plein, ...) and is no Dutch
        word ("Supermarkt"), place ("Rotterdam") or allowlisted name ("Crabbehof");
        leading function words are cut off; after a title ("mevrouw Westerveld")
        it is a surname.
        """
        spans = []
        for m in _STREET_NAME.finditer(text):
            words = list(re.finditer(r"\S+", m.group()))
            last = words[-1].group().casefold()
            if (
                last in _dutch_words()
                or last in _place_names()
                or last in self._allow_folded
                or _STREET_TITLE.search(text, max(0, m.start() - 12), m.start())
            ):
                continue
            first = 0
            while first < len(words) - 1 and (
                words[first].group() in _NOT_NAMES
                or words[first].group().lower() in _PARTICLES
                or words[first].group().casefold() in self._allow_folded
            ):
                first += 1
            spans.append(_Span(m.start() + words[first].start(), m.end(), "ADRES"))
        return spans

    def _foreign_name_spans(self, text: str, language: str) -> list[_Span]:
        """Names in a text that is not Dutch: runs of capitalised words that are no
        word of that language (or Dutch), and capitalised words after a title.

        A run at the start of a sentence counts only when it has two words or is
        a known first name ("Since last summer ..." is no name).
        """
        common = _foreign_words(language) | _dutch_words()
        spans = []
        # After a title or a known first name, every capitalised word is part of the
        # name, also one the language has ("Mrs Baker", "Ayşe Yılmaz").
        starts = [m.end() for m in _FOREIGN_CUE.finditer(text)]
        starts += [
            m.start()
            for m in _WORD.finditer(text)
            if m.group() in self._first_names
            or (self._first_name(m.group()) and m.group().casefold() not in common)
        ]
        for start in starts:
            end = _capitalised_run_end(text, start)
            if end > start:
                spans.append(_Span(start, end, "PERSOON"))
        run: list[re.Match[str]] = []
        for m in [*_WORD.finditer(text), None]:
            if m is not None and self._foreign_name_word(m.group(), common):
                if run and text[run[-1].end() : m.start()] not in (" ", "-"):
                    spans += self._foreign_run(text, run)
                    run = []
                run.append(m)
                continue
            spans += self._foreign_run(text, run)
            run = []
        return spans

    def _first_name(self, word: str) -> bool:
        """A known first name written with a capital that is no common Dutch word."""
        return word in self._first_names or (
            word[:1].isupper()
            and not word.isupper()
            and word.casefold() in _known_first_names()
            and word.casefold() not in _common_words()
        )

    def _foreign_name_word(self, word: str, common: frozenset[str]) -> bool:
        folded = word.casefold()
        if word in self._first_names or (self._first_name(word) and folded not in common):
            return True
        return (
            word[0].isupper()
            and not word.isupper()
            and len(word) > 1
            and folded not in common
            and folded not in self._allow_folded
            and folded not in _NOT_NAMES_FOLDED
            and folded not in _EN_CALENDAR
            and folded not in _FOREIGN_TITLES
        )

    def _foreign_run(self, text: str, run: list[re.Match[str]]) -> list[_Span]:
        if not run:
            return []
        known = any(self._first_name(m.group()) for m in run)
        if len(run) == 1 and not known and _at_sentence_start(text, run[0].start()):
            return []
        return [_Span(run[0].start(), run[-1].end(), "PERSOON")]

    def _name_spans(self, text: str) -> list[_Span]:
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        if not words:
            return []
        index = {start: i for i, (start, _, _) in enumerate(words)}
        spans = []
        for m in _CUE.finditer(text):
            i = index.get(m.end())
            if i is not None:
                span = self._extend_name(text, words, i, cue=True)
                if span:
                    spans.append(span)
        for m in _INITIALS.finditer(text):
            # "J.P. de Vries", "A. Nowak": initials followed by a surname.
            if m.start() > 0 and (text[m.start() - 1].isalnum()):
                continue
            i = index.get(m.end()) if m.end() in index else index.get(m.end() + 1)
            if i is not None:
                span = self._extend_name(text, words, i, cue=True)
                if span:
                    spans.append(_Span(m.start(), span.end, "PERSOON"))
        known = _known_first_names()
        for i, (_, _, word) in enumerate(words):
            # Known first names start a name, also typed in lower case or capitals
            # ("mijn buurvrouw fatima el amrani", "MEHMET YILMAZ") as forms often are.
            if word in self._first_names or (
                not word.istitle() and word.casefold() in known and len(word) > 2
            ):
                span = self._extend_name(text, words, i, cue=False)
                if span:
                    spans.append(span)
        return spans

    def _extend_name(
        self, text: str, words: list[tuple[int, int, str]], i: int, *, cue: bool
    ) -> _Span | None:
        """A name starting at word ``i``: name words and particles, at most 6 words.

        The first word that is not a particle sets the style: capitalised
        ("Fatima el Amrani"), lower case ("fatima el amrani") or capitals
        ("FATIMA EL AMRANI"). In lower case and capitals a word counts as part
        of a name when it is no Dutch word (spaCy's Dutch lemma list), or a
        known first name that is no common word.
        """
        start = words[i][0]
        end = None
        style = None
        j = i
        while j < len(words) and j - i < 6:
            s, e, w = words[j]
            if j > i:
                gap = text[words[j - 1][1] : s]
                if not (gap == "-" or (gap.isspace() and "\n" not in gap)):
                    break
            if w.lower() in _PARTICLES and (j > i or cue) and (style != "cap" or not w.isupper()):
                j += 1
                continue
            if style is None:
                style = "upper" if w.isupper() and len(w) > 1 else "lower" if w.islower() else "cap"
            if not self._name_word(w, style, first=end is None, cue=cue):
                break
            end = e
            j += 1
        if end is None:
            return None
        return _Span(start, end, "PERSOON")

    def _name_word(self, w: str, style: str, *, first: bool, cue: bool) -> bool:
        folded = w.casefold()
        if folded in self._allow_folded:
            return False
        if style == "cap":
            if not w[0].isupper() or w in _NOT_NAMES:
                return False
            return not (first and not cue and w not in self._first_names)
        if (style == "upper") != w.isupper() or (style == "lower") != w.islower():
            return False
        if folded in _NOT_NAMES_FOLDED or len(w) < 2:
            return False
        dutch = folded in _dutch_words()
        known = folded in _known_first_names() and folded not in _common_words()
        if first and not cue:
            return known and not dutch
        return not dutch or known

    # -- allowlist, trimming, merging ------------------------------------------------

    @staticmethod
    def _subtract(text: str, span: _Span, keep: list[tuple[int, int]]) -> list[_Span]:
        """The parts of a span outside protected text, trimmed; particles alone are dropped."""
        pieces = [(span.start, span.end)]
        for ks, ke in keep:
            if ke <= span.start or ks >= span.end:
                continue
            nxt = []
            for ps, pe in pieces:
                if ke <= ps or ks >= pe:
                    nxt.append((ps, pe))
                    continue
                if ps < ks:
                    nxt.append((ps, ks))
                if ke < pe:
                    nxt.append((ke, pe))
            pieces = nxt
        out = []
        lead = "+(" if span.kind == "TELEFOON" else ""
        for ps, pe in pieces:
            while ps < pe and not (text[ps].isalnum() or text[ps] in lead):
                ps += 1
            while pe > ps and not (text[pe - 1].isalnum() or text[pe - 1] in ".)"):
                pe -= 1
            if span.kind == "PERSOON":
                # "Jan van der Berg van [Trivire]": once the allowlisted name is
                # cut off, a particle at the end belongs to the sentence.
                while m := _TRAILING_PARTICLE.search(text, ps, pe):
                    pe = m.start()
            piece = text[ps:pe]
            if not any(c.isalnum() for c in piece):
                continue
            if span.kind in ("PERSOON", "PLAATS") and all(
                w.lower() in _PARTICLES or w.lower() in _TITLE_WORDS
                for w in re.findall(r"[^\W\d_][\w'’]*", piece)
            ):
                continue
            if span.kind == "ADRES" and not any(c.isalpha() for c in piece):
                continue  # only the number of "Crabbehof 12" is left: no address
            if span.kind in ("ADRES", "PLAATS") and _POSTCODE.fullmatch(piece):
                out.append(_Span(ps, pe, "POSTCODE"))
                continue
            out.append(_Span(ps, pe, span.kind))
        return out

    @staticmethod
    def _merge(text: str, spans: list[_Span]) -> list[_Span]:
        """Merge overlapping spans; the longest member names the type."""
        spans = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
        merged: list[tuple[int, int, _Span]] = []  # (start, end, deciding member)
        for s in spans:
            if merged and s.start < merged[-1][1]:
                start, end, best = merged[-1]
                if (s.end - s.start, -_RANK.get(s.kind, 99)) > (
                    best.end - best.start,
                    -_RANK.get(best.kind, 99),
                ):
                    best = s
                merged[-1] = (start, max(end, s.end), best)
            else:
                merged.append((s.start, s.end, s))
        out = []
        for start, end, best in merged:
            kind = best.kind
            if kind == "PERSOON":
                start = _skip_titles(text, start, end)
            if start < end:
                out.append(_Span(start, end, kind))
        return out


def _skip_titles(text: str, start: int, end: int) -> int:
    """Leave "mevrouw", "dhr." and the like outside a name: they do not identify."""
    # deduce reads "in het Huis van de Wijk" as a surname with interfix "in het";
    # lower-case, at the start of a span, it is a preposition and an article.
    m = re.match(r"(?:in|op|aan|bij|uit)\s+(?:het|de|den|'t)\s+(?=[^\W\d_])", text[start:end])
    if m:
        start += m.end()
    while True:
        m = re.match(r"([^\W\d_]+)\.?\s+", text[start:end])
        if not m or m.group(1).lower() not in _TITLE_WORDS or m.end() >= end - start:
            return start
        if m.group(1).lower() == "de" and not re.match(r"de\s+heer\b", text[start:end], re.I):
            return start  # "de Vries": part of the name
        start += m.end()


def _at_sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"“‘'(")
    return not before or before[-1] in ".!?:;\n"


def _capitalised_run_end(text: str, pos: int) -> int:
    """End of the capitalised words (with particles between them) starting at ``pos``;
    ``pos`` itself when none starts there or the first is a title ("Mrs")."""
    end = last = pos
    for count, m in enumerate(_WORD.finditer(text, pos)):
        word = m.group()
        if count >= 6 or text[last : m.start()] not in ("", " ", "-"):
            break
        if count == 0 and word.casefold() in _FOREIGN_TITLES:
            break
        if word[0].isupper():
            end = m.end()
        elif word.lower() not in _PARTICLES:
            break
        last = m.end()
    return end


def _house_number_spans(text: str, spans: Sequence[_Span]) -> list[_Span]:
    """House numbers next to a name or street, as address spans (see the module text).

    A number after a street extends the street's span ("Colijnstraat nr. 45");
    after a person it needs "op", "at" or a number word ("[PERSOON-1]. op nummer
    41"); before a street it extends the street ("nummer 23 in de
    Zilverschoonstraat").
    """
    out = []
    for m in _HOUSE_NUMBER_ANYWHERE.finditer(text):
        g = 1 if m.group(1) is not None else 2
        out.append(_Span(m.start(g), m.end(g), "ADRES"))
    for s in spans:
        if s.kind not in ("ADRES", "PERSOON"):
            continue
        m = None if text[s.end - 1].isdigit() else _HOUSE_NUMBER_AFTER.match(text, s.end)
        if m and (s.kind == "ADRES" or m.group(1) or not m.group(2)[0].isdigit()):
            out.append(
                _Span(s.start, m.end(), "ADRES")
                if s.kind == "ADRES"
                else _Span(m.start(2), m.end(2), "ADRES")
            )
        before = _HOUSE_NUMBER_BEFORE.search(text, max(0, s.start - 40), s.start)
        if s.kind == "ADRES" and before:
            out.append(_Span(before.start(), s.end, "ADRES"))
    return out


def _foreign_spans(text: str) -> list[_Span]:
    """Full dates, dates of birth and English ages: what deduce finds in Dutch."""
    spans = [_Span(m.start(), m.end(), "DATUM") for m in _FULL_DATE.finditer(text)]
    spans += [_Span(m.start(1), m.end(1), "DATUM") for m in _BORN_ON.finditer(text)]
    for m in _EN_AGE.finditer(text):
        g = 1 if m.group(1) is not None else 2
        spans.append(_Span(m.start(g), m.end(g), "LEEFTIJD"))
    return spans


# deduce reads every "20 jaar" as an age; "ik woon hier 20 jaar" is a duration
# the analysis needs. Ages keep their marks: "ik ben 67 jaar", "een man van 67 jaar".
_DURATION_BEFORE = _words(
    "hier er daar nu al ruim bijna circa ongeveer pas maar wel ook elke iedere zo'n "
    "dan binnen tijdens na voor sinds gedurende afgelopen laatste eerste komende"
)
_DURATION_AFTER = _words(
    "lang in bij samen geleden getrouwd gewerkt gewoond gewacht later terug eerder "
    "verder achter achterstand wachten wachttijd huur"
)


def _is_duration(text: str, start: int, end: int) -> bool:
    before = re.findall(r"[\w']+", text[max(0, start - 30) : start])
    after = re.match(r"\s*-?\s*(?:jaar|jr\.?|jarige?)\s+([\w']+)", text[end : end + 40])
    if before and before[-1].lower() in _DURATION_BEFORE:
        return True
    return bool(after and after.group(1).lower() in _DURATION_AFTER)


def _trailing_punct(s: str) -> int:
    return len(s) - len(s.rstrip(".,;:!?)"))


def _phone_end(candidate: str) -> int:
    """Length of the phone number at the start of a candidate match, 0 if none.

    A Dutch number has 10 digits with the trunk 0, or 9 after +31/0031 (an
    optional "(0)" not counted). The first boundary where that count is
    reached ends the number; a longer run of digits is no phone number.
    """
    digits = 0
    target = 10
    i = 0
    if candidate.startswith(("+", "00")):
        m = re.match(r"(?:\+|00)[ \t]?31", candidate)
        if not m:
            return 0
        i = m.end()
        target = 9
    body = candidate[i:]
    j = 0
    if target == 9:
        m = re.match(rf"{_SEP}?\(0\)", body)
        if m:
            j = m.end()
    while j < len(body):
        c = body[j]
        j += 1
        if c.isdigit():
            digits += 1
            if digits == target:
                if j < len(body) and body[j].isdigit():
                    return 0
                return i + j
    return 0


def _package_version(name: str) -> str:
    try:
        from importlib.metadata import version

        return version(name)
    except Exception:  # pragma: no cover - both are dependencies
        return "0"


@functools.cache
def _dutch_words() -> frozenset[str]:
    """Lower-case Dutch words: spaCy's Dutch lemma tables and deduce's common words."""
    words: set[str] = set(_common_words())
    try:
        from importlib.resources import files

        folder = files("spacy_lookups_data") / "data"
        lookup = json.loads(gzip.decompress((folder / "nl_lemma_lookup.json.gz").read_bytes()))
        index = json.loads(gzip.decompress((folder / "nl_lemma_index.json.gz").read_bytes()))
        exceptions = json.loads(gzip.decompress((folder / "nl_lemma_exc.json.gz").read_bytes()))
    except (ImportError, OSError, ValueError):  # pragma: no cover - a dependency
        return frozenset(words)
    words.update(lookup, lookup.values())
    for lemmas in index.values():
        words.update(lemmas)
    for table in exceptions.values():
        for form, lemmas in table.items():
            words.add(form)
            words.update(lemmas)
    return frozenset(w.casefold() for w in words)


@functools.cache
def _deduce_list(name: str) -> frozenset[str]:
    """A lookup list shipped with deduce (``names/lst_first_name``, ...), case-folded."""
    try:
        from importlib.resources import files

        folder = files("deduce") / "data" / "lookup" / "src" / name
        items = (folder / "items.txt").read_text(encoding="utf-8").splitlines()
    except (ImportError, OSError):  # pragma: no cover - a dependency
        return frozenset()
    return frozenset(w.strip().casefold() for w in items if w.strip())


@functools.cache
def _known_first_names() -> frozenset[str]:
    return frozenset(n.casefold() for n in _FIRST_NAMES) | _deduce_list("names/lst_first_name")


@functools.cache
def _common_words() -> frozenset[str]:
    return (
        _deduce_list("whitelist/lst_stop_word")
        | _deduce_list("whitelist/lst_common_word")
        | _NOT_NAMES_FOLDED
    )


@functools.cache
def _place_names() -> frozenset[str]:
    """Dutch place names (deduce's lists of residences and municipalities), case-folded."""
    return _deduce_list("locations/lst_placename/lst_residence") | _deduce_list(
        "locations/lst_placename/lst_municipality"
    )


@functools.cache
def _foreign_words(language: str) -> frozenset[str]:
    """Lower-case words of a language: spaCy's lemma tables and stop words for it.

    Empty for a language spaCy has neither for (then only titles and known
    first names find names).
    """
    words: set[str] = set()
    try:
        from importlib.resources import files

        folder = files("spacy_lookups_data") / "data"
        tables = [t for t in folder.iterdir() if t.name.startswith(f"{language}_lemma_lookup")]
        for table in tables:
            lookup = json.loads(gzip.decompress(table.read_bytes()))
            words.update(lookup, lookup.values())
    except (ImportError, OSError, ValueError):  # pragma: no cover - a dependency
        pass
    try:
        import importlib

        words.update(importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS)
    except ImportError:
        pass
    return frozenset(w.casefold() for w in words if isinstance(w, str))


_DEDUCE: Any = None
_DEDUCE_LOCK = threading.Lock()


def _shared_deduce() -> Any:
    """One deduce per process: its tables do not depend on the allowlist."""
    global _DEDUCE
    with _DEDUCE_LOCK:
        if _DEDUCE is None:
            _DEDUCE = _load_deduce()
    return _DEDUCE


def _load_deduce() -> Any:
    """Import and build deduce without its side effects on logging, quickly."""
    root = logging.getLogger()
    # deduce calls logging.basicConfig(stream=stdout, level=DEBUG) on import; a
    # handler already on the root logger makes that a no-op.
    guard = logging.NullHandler()
    level = root.level
    root.addHandler(guard)
    try:
        import deduce
    finally:
        root.removeHandler(guard)
        root.setLevel(level)
    enabled = gc.isenabled()
    # Unpickling deduce's lookup tables makes millions of objects: with the
    # cyclic GC off this takes a third of the time, and freezing them keeps
    # every later collection (and forked workers) from walking them again.
    gc.disable()
    try:
        instance = deduce.Deduce()
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
    return instance
