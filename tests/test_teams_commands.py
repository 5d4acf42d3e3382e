"""Commands as messages to the bot: with or without a slash or a mention, any case, with or without diacritics;
unknown text gets the Swedish help listing the commands the app has."""

import pytest
from microsoft_agents.hosting.core import TurnContext, TurnState

from bot.demo import teams_activities as activities
from handlers.teams.commands import Command, commands_of, on_command, parse
from handlers.teams.help import help_text
from messages.teams.markup import html_to_text, to_teams_markdown
from tests import teams_serving_support

teams = teams_serving_support.teams
teams_loop = teams_serving_support.teams_loop
teams_runtime = teams_serving_support.teams_runtime

SENDER = activities.user("3f2504e0-4f89-41d3-9a0c-0305e82c3302")
CHAT = activities.personal_chat(SENDER)
CHANNEL = activities.team_channel("19:team-a@thread.tacv2")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("uppfoljning status", Command("uppfoljning", "status", "uppfoljning")),
        ("/uppfoljning status", Command("uppfoljning", "status", "uppfoljning")),
        ("Uppföljning Status", Command("uppfoljning", "Status", "Uppföljning")),
        ("<at>Samverkan</at> uppföljning status", Command("uppfoljning", "status", "uppföljning")),
        ("<at>Samverkan</at>&nbsp;/synpunkt", Command("synpunkt", "", "synpunkt")),
        ("//synpunkt", Command("synpunkt", "", "synpunkt")),
        ("<p>synpunkt</p><ul><li>ett</li><li>två</li></ul>", Command("synpunkt", "- ett\n- två", "synpunkt")),
        ("  HJÄLP ", Command("hjalp", "", "HJÄLP")),
        ("<p>synpunkt Bussen kom inte<br>i tid</p>", Command("synpunkt", "Bussen kom inte\ni tid", "synpunkt")),
        ("synpunkt\nrad ett\nrad två", Command("synpunkt", "rad ett\nrad två", "synpunkt")),
        ("kommunikationsplan Arboga kommun", Command("kommunikationsplan", "Arboga kommun", "kommunikationsplan")),
    ],
)
def test_parse(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "html, text",
    [
        ("<ul><li>ett</li><li>två</li></ul>", "- ett\n- två"),
        ("<p>a</p><p>b &amp; c</p>", "a\nb & c"),
        ("<div>a</div><blockquote>citat</blockquote><h2>Rubrik</h2>x<br/>y", "a\ncitat\nRubrik\nx\ny"),
        ("<table><tr><td>1</td><td>2</td></tr><tr><td>3</td></tr></table>", "12\n3"),
        ("<span>Hej&nbsp;<b>du</b></span>", "Hej du"),
    ],
)
def test_html_to_text_breaks_lines_at_blocks(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize("text", [None, "", "   ", "/", "<at>Samverkan</at>", "<at>Samverkan</at> / "])
def test_a_text_without_words_is_no_command(text):
    assert parse(text) is None


def test_a_command_is_registered_once(teams):
    app = teams.teams.app

    @on_command(app, "eko")
    async def echo(context: TurnContext, state: TurnState, argument: str) -> None:
        await context.send_activity(argument)

    assert commands_of(app)["eko"] is echo
    with pytest.raises(ValueError, match="registered twice"):
        on_command(app, "Eko")(echo)


@pytest.mark.parametrize(
    "text, chat, mention",
    [
        ("eko hej då", CHAT, False),
        ("/eko hej då", CHAT, False),
        ("EKO hej då", CHAT, False),
        ("eko hej då", CHANNEL, True),
        ("/eko hej då", CHANNEL, True),
    ],
)
def test_a_registered_command_gets_its_argument_over_http(teams, text, chat, mention):
    @on_command(teams.teams.app, "eko")
    async def echo(context: TurnContext, state: TurnState, argument: str) -> None:
        await context.send_activity(f"[{argument}]")

    answer = teams.client.post(activities.message(text, SENDER, chat, mention=mention))

    assert answer.status == 200
    assert answer.texts == ["[hej då]"]


@pytest.mark.parametrize("text", ["hjälp", "/hjalp", "Help", "?"])
def test_help_lists_the_commands_in_swedish(teams, text):
    answer = teams.client.post(activities.message(text, SENDER, CHAT))
    [reply] = answer.texts
    assert reply == to_teams_markdown(help_text(teams.teams.app))
    assert reply.startswith("**Så använder du Samverkan i Teams**")
    assert "hjalp – den här listan" in reply


def test_an_unknown_command_gets_the_help_saying_what_was_not_understood(teams):
    answer = teams.client.post(activities.message("<at>Samverkan</at> Blaha något", SENDER, CHANNEL))
    [reply] = answer.texts
    assert reply == to_teams_markdown(help_text(teams.teams.app, unknown="Blaha"))
    assert reply.startswith('Jag förstår inte "Blaha".')


def test_a_message_that_is_only_the_mention_gets_the_help(teams):
    answer = teams.client.post(activities.message("", SENDER, CHANNEL, mention=True))
    assert answer.texts == [to_teams_markdown(help_text(teams.teams.app))]


def test_the_help_lists_each_registered_command(teams):
    [reply] = teams.client.post(activities.message("hjälp", SENDER, CHAT)).texts

    listed = [line.split()[1] for line in reply.splitlines() if line.startswith(("• ", "- "))]
    assert listed == ["kommunikationsplan", "uppfoljning", "synpunkt", "enkat", "hem", "hjalp"]


def test_a_card_submission_is_not_taken_for_a_command(teams):
    answer = teams.client.post(activities.submit({"verb": "okänd", "text": "hjälp"}, SENDER, CHAT))
    assert answer.status == 200
    assert answer.texts == []
