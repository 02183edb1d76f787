"""Which language a story is told in, so a story that is not Dutch is not treated as Dutch.

The pseudonymiser's name lists and the codebook are Dutch: an English story
run through them loses ordinary words ("Since last summer the street ..."
became "Since last [PERSOON-1] ...") and gets no theme. The importer asks
:func:`detect_language` first and marks a story that is not Dutch
(``language: en`` in its front matter).

Detection is ``py3langid`` (the maintained fork of langid.py: a naive Bayes
model over byte n-grams, shipped inside the package, no network), restricted
to :data:`LANGUAGES`, the languages likely in Dordt West: fewer candidates
make short texts more reliable, and leaving out Afrikaans and Frisian keeps
them from claiming Dutch sentences. A text says "not Dutch" only when it has
at least :data:`MIN_WORDS` words and the model is at least
:data:`MIN_CONFIDENCE` sure; anything shorter or less certain is Dutch, the
language of the programme and of almost every story.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = [
    "DUTCH",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "MIN_CONFIDENCE",
    "MIN_WORDS",
    "detect_language",
    "detector_version",
    "language_name",
]

DUTCH = "nl"
# ISO 639-1 codes, Dutch first: the languages of the neighbourhoods' residents and
# of the forms they fill in (py3langid has no Papiamento, Sranan or Tigrinya).
LANGUAGES = (
    "nl",
    "en",
    "de",
    "fr",
    "es",
    "pt",
    "it",
    "tr",
    "ar",
    "pl",
    "ro",
    "bg",
    "uk",
    "ru",
    "so",
)
LANGUAGE_NAMES = {
    "nl": "Nederlands",
    "en": "Engels",
    "de": "Duits",
    "fr": "Frans",
    "es": "Spaans",
    "pt": "Portugees",
    "it": "Italiaans",
    "tr": "Turks",
    "ar": "Arabisch",
    "pl": "Pools",
    "ro": "Roemeens",
    "bg": "Bulgaars",
    "uk": "Oekraïens",
    "ru": "Russisch",
    "so": "Somalisch",
}
MIN_WORDS = 5  # "Great", "Ok", "Meer groen in de wijk": too short to judge, so Dutch
MIN_CONFIDENCE = 0.9  # normalised probability of the best language among LANGUAGES
_WORD = re.compile(r"[^\W\d_]{2,}")


def language_name(code: str) -> str:
    """The Dutch name of a language code, or the code itself when it has none here.

    Examples
    --------
    >>> language_name("en"), language_name("xx")
    ('Engels', 'xx')
    """
    return LANGUAGE_NAMES.get(code, code)


def detect_language(text: str) -> str:
    """The language of a text as an ISO 639-1 code; :data:`DUTCH` when unsure.

    Parameters
    ----------
    text : str
        The text (title and story together, raw or pseudonymised).

    Returns
    -------
    str
        One of :data:`LANGUAGES`. A text of fewer than :data:`MIN_WORDS` words,
        or one the model is less than :data:`MIN_CONFIDENCE` sure of, is Dutch.

    Examples
    --------
    >>> detect_language("Since last summer the street has become very noisy at night.")
    'en'
    >>> detect_language("Sinds de zomer is het 's nachts erg lawaaiig in onze straat.")
    'nl'
    >>> detect_language("Great, thanks")
    'nl'
    """
    if len(_WORD.findall(text)) < MIN_WORDS:
        return DUTCH
    code, confidence = _identifier().classify(text)
    return code if code != DUTCH and confidence >= MIN_CONFIDENCE else DUTCH


def detector_version() -> str:
    """What decides a language, for caches: the model's version and these settings.

    Examples
    --------
    >>> detector_version().startswith("py3langid")
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        model = version("py3langid")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        model = "?"
    return f"py3langid{model}+{MIN_WORDS}+{MIN_CONFIDENCE}+{','.join(LANGUAGES)}"


@functools.cache
def _identifier() -> Any:
    """The model, loaded once per process (about two seconds) and kept."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier
