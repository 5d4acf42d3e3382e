"""The log `samverkan` writes: the Agents SDK's lines, which name conversation and user ids, never reach it, so an
anonymous report in Teams leaves no trace of who sent it."""

import logging
from collections.abc import Iterator

import pytest

from bot.cli import configure_logging
from tests.teams_support import cards, filled, object_id, submit_action
from tests.test_teams_cases import REPORT, REPORTER, stored

pytest_plugins = ["tests.teams_support"]  # the teams_world fixture

QUIETED = ("microsoft_agents", "apscheduler", "alembic")


@pytest.fixture
def cli_logging() -> Iterator[None]:
    """The CLI's logging configuration, undone after the test."""
    levels = {name: logging.getLogger(name).level for name in QUIETED}
    configure_logging(verbose=False)
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_an_anonymous_teams_report_leaves_no_user_or_conversation_id_in_the_log(
    teams_world, engine, cli_logging, caplog
):
    caplog.set_level(logging.INFO)
    world = teams_world
    [card] = cards(world.say(REPORTER, "synpunkt"))
    world.act(REPORTER, submit_action(card)["verb"], filled(card, REPORT | {"anonymous": "true"}))

    [case] = stored(engine)
    assert case.reporter_user_id is None
    assert caplog.records  # the app did log at INFO
    assert [record.name for record in caplog.records if record.name.startswith("microsoft_agents")] == []
    assert object_id(REPORTER) not in caplog.text and "a:personal-" not in caplog.text
