"""The follow-up's NKI indicator pre-filled from the BAS survey: the last closed round's index over all members,
with a note of where it came from, which the head may overwrite; nothing when no round has closed or its index is
hidden. On Slack and Teams, and in the configuration."""

from datetime import date

import pytest

from bot.config import ConfigError
from bot.config.loader import parse_config
from bot.followup.answers import form_data
from bot.surveys.results import latest_nki
from storage.engine import session_scope
from tests.chat import Chat
from tests.conftest import EXAMPLE, local
from tests.survey_support import add_responses

IT_HEAD = "it-chef"
MARCH = date(2027, 3, 15)
OPENS, OPEN = local(2027, 5, 3, 8, 35), local(2027, 5, 4, 10, 0)
BASE = ["it-drift", "lon", "ekonomi"]
NOTE = "Förifyllt från BAS-enkäten 15 mar 2027"


def test_the_nki_value_is_pre_filled_from_the_last_closed_survey_round_and_can_be_overwritten(chat: Chat):
    add_responses(chat.engine, "bas", MARCH, "arboga", BASE, [8, 9, 10])  # (7 + 8 + 9) * 100 / 27 = 88,9
    add_responses(chat.engine, "bas", MARCH, "koping", BASE, [5, 6, 7])  # (4 + 5 + 6) * 100 / 27 = 55,6
    chat.tick(OPENS)
    chat.runtime.clock.set(OPEN)
    form = chat.command(IT_HEAD, "uppfoljning")
    assert chat.shown_values(form)["nki|value"] == "72"  # (24 + 15) * 100 / 54 = 72,2: the whole number shown
    assert f"{NOTE} (6 svar); du kan skriva över värdet." in form.text
    assert chat.shown_values(form)["sjukfranvaro|value"] == ""  # an indicator without a source: nothing

    values = {
        field: "met" if field.endswith("|status") else ("Digital lönespecifikation" if "utveckling" in field else "80")
        for field in chat.shown_values(form)
        if field.endswith(("|status", "|value"))
    }
    saved = chat.submit_form(IT_HEAD, form, values | {"nki|value": "70,5"})
    assert saved.errors == {} and "sparade" in saved.text

    again = chat.command(IT_HEAD, "uppfoljning")  # the head's own answer from now on, without the note
    assert chat.shown_values(again)["nki|value"] == "70,5" and NOTE not in again.text


def test_a_hidden_index_pre_fills_nothing(chat: Chat):
    add_responses(chat.engine, "bas", MARCH, "arboga", BASE, [8, 9])  # two answers: fewer than the minimum of 3
    chat.runtime.clock.set(OPEN)
    form = chat.command(IT_HEAD, "uppfoljning")
    assert chat.shown_values(form)["nki|value"] == "" and "Förifyllt" not in form.text


def _nki(config, engine, now):
    with session_scope(engine) as session:
        data = form_data(
            session=session, config=config, person=config.person(IT_HEAD), round_id="t1-2027", department_id="it",
            now=now,
        )  # fmt: skip
    return next(item for item in data.items if item.indicator.id == "nki")


def test_no_closed_round_pre_fills_nothing(engine, example_config):
    add_responses(engine, "bas", MARCH, "arboga", BASE, [8, 9, 10])
    later = example_config.model_copy(
        update={"surveys": [example_config.surveys[0].model_copy(update={"yearly": ["05-03"]})]}
    )
    assert _nki(later, engine, OPEN).survey is None  # its first round opens with the follow-up: still open
    found = _nki(example_config, engine, OPEN).survey
    assert found is not None and (round(found.index), found.answers, found.round.opens) == (89, 3, MARCH)


def test_an_older_round_is_not_used_when_the_latest_is_hidden(engine, example_config):
    add_responses(engine, "bas", date(2027, 9, 15), "arboga", BASE, [8, 9, 10])
    add_responses(engine, "bas", date(2028, 3, 15), "arboga", BASE, [8])  # one answer: hidden
    with session_scope(engine) as session:
        autumn = latest_nki(session, example_config, local(2027, 12, 1, 9, 0))
        assert autumn is not None and autumn.round.opens == date(2027, 9, 15)
        assert latest_nki(session, example_config, local(2028, 5, 4, 10, 0)) is None


def _broken(old: str, new: str) -> str:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(ConfigError) as caught:
        parse_config(text.replace(old, new, 1), "vmkf.yaml")
    return str(caught.value)


def test_the_survey_source_needs_an_index_indicator():
    wrong_unit = _broken('unit: index, target: "NKI >= 70",', 'unit: percent, target: ">= 70",')
    assert "source bas_survey takes the survey's NKI index: give it unit index" in wrong_unit
    assert "'bas_survey'" in _broken("source: bas_survey}", "source: enkat}")
