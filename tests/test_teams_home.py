"""The personal overview in Teams (`hem`, `mina uppgifter`): what the plan sends this person in two weeks, the
same content as Slack's Home tab."""

from tests.teams_support import STRANGER, reply_text

pytest_plugins = ["tests.teams_support"]  # the teams_world fixture

DIRECTOR, QUALITY_MANAGER = "U0VMKF0001", "U0VMKF0002"


def test_the_overview_lists_what_the_plan_sends_to_that_person(teams_world):
    shown = reply_text(teams_world.say(DIRECTOR, "mina uppgifter"))
    assert "Hej Förbundschefen (exempel)!" in shown
    assert "Punkter till ledningsgruppens möte" in shown  # the director sits in the leadership group
    assert "Veckoavstämning med avdelningscheferna" not in shown  # sent to the department heads
    assert reply_text(teams_world.say(DIRECTOR, "hem")) == shown


def test_nothing_planned_and_an_unknown_user(teams_world):
    assert "Inget planerat just nu." in reply_text(teams_world.say(QUALITY_MANAGER, "hem"))
    assert "Du finns inte ännu bland förbundets personer." in reply_text(teams_world.say(STRANGER, "hem"))
