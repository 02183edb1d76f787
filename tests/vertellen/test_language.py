"""Language detection: a story that is not Dutch is found, short or Dutch text stays Dutch.

All texts are invented. Detection must work without a network: the model
ships inside py3langid.
"""

from __future__ import annotations

import csv
import socket
from pathlib import Path

import pytest

from npdw_learning.vertellen import language
from npdw_learning.vertellen.language import (
    DUTCH,
    LANGUAGES,
    MIN_WORDS,
    detect_language,
    detector_version,
    language_name,
)

DATA = Path(__file__).parents[1] / "data"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Since last summer the street has become very noisy at night.", "en"),
        ("The playground behind the flats is broken and nobody repairs it.", "en"),
        ("Komşularımız çok iyi ama sokak geceleri çok gürültülü ve çöpler her yerde.", "tr"),
        ("Nasze osiedle jest teraz czystsze niż rok temu, ale brakuje miejsc.", "pl"),
        ("Seit letztem Sommer ist die Straße nachts sehr laut geworden.", "de"),
        ("Sinds de zomer is het 's nachts erg lawaaiig in onze straat.", "nl"),
        ("Mijn buurvrouw komt uit Polen en spreekt nog geen Nederlands.", "nl"),
        # An English word or two in a Dutch story keeps it Dutch.
        ("Het buurthuis is echt de place to be, iedereen komt er graag koffie drinken.", "nl"),
        # Too short to judge: Dutch, the language of almost every story.
        ("Great, thanks!", "nl"),
        ("Ok", "nl"),
        ("", "nl"),
    ],
)
def test_detect_language(text, expected):
    assert detect_language(text) == expected


def test_a_short_text_is_dutch_whatever_it_looks_like():
    text = "Very nice neighbourhood"
    assert len(text.split()) < MIN_WORDS
    assert detect_language(text) == DUTCH


def test_every_story_of_the_dutch_example_collection_is_dutch():
    with open(DATA / "verhalen_synthetisch_fictief.csv", encoding="utf-8", newline="") as f:
        texts = [row["tekst"] for row in csv.DictReader(f)]
    assert len(texts) == 60
    assert {detect_language(t) for t in texts} == {DUTCH}


def test_detection_needs_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("language detection tried to use the network")

    language._identifier.cache_clear()  # load the model again, now without network
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert detect_language("Since last summer the street has become very noisy.") == "en"


def test_every_language_has_a_dutch_name_and_the_version_names_the_settings():
    assert LANGUAGES[0] == DUTCH
    assert all(language_name(code) != code for code in LANGUAGES)
    assert ",".join(LANGUAGES) in detector_version()
