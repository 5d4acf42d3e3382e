"""`kommunikationsplan` in Teams over HTTP (Activity JSON to /api/messages, replies in the response): the 14-day
overview, filters, help, delivery status and its permissions, from the same code as Slack's /kommunikationsplan."""

import pytest
from sqlmodel import select

from bot.demo import teams_activities
from bot.tick import run_tick
from storage.engine import session_scope
from storage.requests import ProcessedRequest
from tests.conftest import local
from tests.teams_support import STRANGER, TeamsWorld, reply_text

pytest_plugins = ["tests.teams_support"]  # the teams_world fixture

DIRECTOR, QUALITY_MANAGER, IT_HEAD = "U0VMKF0001", "U0VMKF0002", "U0VMKF0010"
REFUSAL = (
    "Tyvärr, du har inte behörighet att se leveransstatus. "
    "Kontakta förbundschefen eller kvalitetschefen om du behöver det."
)


def ask(world: TeamsWorld, text: str, user: str = DIRECTOR, **fields: object) -> str:
    answer = world.say(user, text, **fields)
    assert len(answer.replies) == 1
    return reply_text(answer)


@pytest.mark.parametrize("text", ["kommunikationsplan", "/kommunikationsplan", "Kommunikationsplan"])
def test_the_overview_lists_the_next_14_days_in_order(teams_world, text):
    shown = ask(teams_world, text)
    assert shown.startswith("**Kommunikationsplanen – 14 dagar framåt**")
    expected = ["måndag 1 februari 2027 kl. 08:00", "tisdag 2 februari 2027 kl. 08:30", "måndag 8 februari 2027"]
    positions = [shown.index(line) for line in expected]
    assert positions == sorted(positions)
    assert "15 februari" not in shown


def test_a_channel_message_with_the_bot_mentioned_gets_the_overview(teams_world):
    chat = teams_world.channel_chat("C0DIREKTIO")
    activity = teams_activities.message("kommunikationsplan it", teams_world.user(IT_HEAD), chat, mention=True)
    shown = reply_text(teams_world.post(activity))
    assert "Kommunikationsplanen – 14 dagar framåt för IT-avdelningen" in shown


@pytest.mark.parametrize(
    ("argument", "title"), [("direktion", "Direktionen"), ("  LÖNEAVDELNINGEN ", "Löneavdelningen")]
)
def test_the_overview_filtered_by_forum_or_department(teams_world, argument, title):
    assert f"Kommunikationsplanen – 14 dagar framåt för {title}" in ask(teams_world, f"kommunikationsplan {argument}")


@pytest.mark.parametrize("argument", ["blaha", "styrelsen"])
def test_an_unknown_argument_gets_the_swedish_help(teams_world, argument):
    shown = ask(teams_world, f"kommunikationsplan {argument}")
    assert shown.startswith(f'Jag förstår inte "{argument}".')
    assert "Du kan filtrera på: Direktionen, Presidieberedningen," in shown


def test_asking_for_help_gets_the_help_without_a_complaint(teams_world):
    assert ask(teams_world, "kommunikationsplan hjälp").startswith("**Så använder du /kommunikationsplan**")


def test_status_for_the_director_lists_sent_deliveries(teams_world):
    world = teams_world
    run_tick(world.runtime.engine, world.runtime.senders, world.config, local(2027, 2, 1, 8, 5))
    shown = ask(world, "kommunikationsplan status")
    assert shown.startswith("**Leveransstatus för kommunikationsplanen**")
    assert "Veckoavstämning med avdelningscheferna" in shown


def test_status_is_politely_refused_to_others_and_to_strangers(teams_world):
    assert ask(teams_world, "kommunikationsplan status", IT_HEAD) == REFUSAL
    assert ask(teams_world, "kommunikationsplan status", STRANGER) == REFUSAL


def test_a_stranger_still_sees_the_plan(teams_world):
    assert ask(teams_world, "kommunikationsplan", STRANGER).startswith("**Kommunikationsplanen – 14 dagar framåt**")


def test_a_command_writes_nothing(teams_world, engine):
    ask(teams_world, "kommunikationsplan status")
    with session_scope(engine) as session:
        assert session.exec(select(ProcessedRequest)).all() == []
