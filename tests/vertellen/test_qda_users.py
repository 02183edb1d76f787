"""The users of a REFI-QDA project: order, coder names, whose codings count.

The round trips through a project file are in ``test_qda.py``; these are the
rules on their own, on hand-made codings.
"""

from __future__ import annotations

import pytest

from npdw_learning.kern.errors import InputError
from npdw_learning.vertellen.qda_users import (
    AUTO_USER,
    NEUTRAL_USER,
    Coding,
    check_coder_name,
    choose_codings,
    project_users,
)

USERS = {"g-auto": AUTO_USER, "g-codeur": NEUTRAL_USER, "g-anouk": "anouk", "g-carla": "carla"}
THEMES = {"c-overlast": "overlast", "c-werk": "werk", "c-nieuw": None}
# The automatic coding of two stories: four selections.
AUTOMATIC = [
    ("vt-1", "overlast", 5, 13),
    ("vt-1", "werk", 20, 24),
    ("vt-2", "overlast", 0, 8),
    ("vt-2", "werk", 30, 34),
]


def _auto(story: str, theme: str, start: int, end: int) -> Coding:
    return Coding(story, story, f"c-{theme}", "g-auto", start, end)


def test_project_users_put_the_coder_first_and_auto_last():
    assert project_users(None, []) == [NEUTRAL_USER, AUTO_USER]
    assert project_users("carla", []) == ["carla", AUTO_USER]
    assert project_users("carla", ["anouk", "bram"]) == ["carla", "anouk", "bram", AUTO_USER]
    assert project_users("bram", ["anouk", "bram"]) == ["bram", "anouk", AUTO_USER]


@pytest.mark.parametrize("name", ["carla", "anouk-2", "coder_3", "a", "com10", "console"])
def test_good_coder_names_pass(name):
    assert check_coder_name(name) == name


@pytest.mark.parametrize("name", ["Carla", "carla\n", "car/la", "=1+1", "auto", "codeur", "lpt1"])
def test_bad_coder_names_say_why(name):
    with pytest.raises(InputError, match="codeur .*niets geschreven"):
        check_coder_name(name)


def test_the_automatic_coding_in_a_project_is_the_exports_own():
    machine = [_auto(*a) for a in AUTOMATIC]
    person = Coding("vt-2", "vt-2", "c-werk", "g-auto", 0, 40)  # made as auto by a person
    codings = [*machine, person]
    with pytest.raises(InputError, match="1 coderingen staan op naam van 'auto'.*--user auto"):
        choose_codings(codings, USERS, theme_of=THEMES, automatic=AUTOMATIC)
    counted, notes = choose_codings(
        codings, USERS, theme_of=THEMES, wanted=["AUTO"], automatic=AUTOMATIC
    )
    assert counted == [person]
    assert [n.severity for n in notes] == ["warning", "warning"]
    assert "4 coderingen van 'auto' zijn de automatische codering" in notes[0].message


def test_without_most_of_the_automatic_coding_every_auto_coding_is_a_persons():
    # One of four automatic selections present (a person selected just that word):
    # the project did not carry the automatic coding, so it is the person's too.
    codings = [_auto(*AUTOMATIC[0]), Coding("vt-2", "vt-2", "c-werk", "g-auto", 0, 40)]
    counted, _ = choose_codings(
        codings, USERS, theme_of=THEMES, wanted=["auto"], automatic=AUTOMATIC
    )
    assert counted == codings
    # Two of four: the automatic coding is there, and those two are its own.
    codings = [_auto(*AUTOMATIC[0]), _auto(*AUTOMATIC[1])]
    assert choose_codings(codings, USERS, theme_of=THEMES, automatic=AUTOMATIC) == ([], [])


def test_codings_of_the_neutral_user_count_with_a_warning():
    codings = [Coding("vt-1", "vt-1", "c-nieuw", "g-codeur", 0, 3), _auto(*AUTOMATIC[0])]
    counted, notes = choose_codings(
        codings, USERS, theme_of=THEMES, known_users=["anouk"], automatic=AUTOMATIC[:1]
    )
    assert counted == codings[:1]
    assert len(notes) == 1 and f"--user {NEUTRAL_USER}" in notes[0].message


def test_known_coders_and_unknown_users():
    codings = [Coding("vt-1", "vt-1", "c-werk", "g-anouk"), Coding("vt-1", "vt-1", "c-werk", "")]
    counted, notes = choose_codings(codings, USERS, theme_of=THEMES, known_users=["anouk"])
    assert counted == codings[1:] and notes == []  # a coding without a user is the new coder's
    with pytest.raises(InputError, match="gebruiker 'dirk' staat niet in het project"):
        choose_codings(codings, USERS, theme_of=THEMES, wanted=["carla", "Dirk"])
