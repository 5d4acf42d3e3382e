"""Installing the app in Teams stores the conversation reference (and the roster) the outbox sends through;
removing it marks the reference removed; the sender of an activity is matched to a configured person."""

import asyncio
import dataclasses
import json
import urllib.request
from collections.abc import Iterator

import pytest
from microsoft_agents.hosting.core import TurnContext, TurnState
from sqlmodel import select

from bot.demo import teams_activities as activities
from bot.demo.fake_teams import FakeBotConnector
from bot.errors import UnknownPerson
from handlers.teams.actor import reporter_id
from handlers.teams.asker import asker_of
from handlers.teams.commands import on_command
from messages.render import render
from messages.teams.markup import to_teams_markdown
from storage.engine import session_scope
from storage.teams import TeamsConversation, TeamsMember, conversation_at, member_by_object_id, save_member
from tests import teams_serving_support
from tests.teams_serving_support import object_id

teams = teams_serving_support.teams
teams_loop = teams_serving_support.teams_loop
teams_runtime = teams_serving_support.teams_runtime

TEAM = "19:team-a@thread.tacv2"


def stored(engine, address: str) -> TeamsConversation | None:
    with session_scope(engine) as session:
        return conversation_at(session, address)


def test_installing_in_a_personal_chat_stores_the_reference_and_welcomes_once(teams, engine, clock):
    sender = activities.user(object_id(), "Anna Andersson")
    chat = activities.personal_chat(sender)

    first = teams.client.post(activities.installation_update("add", sender, chat, expect_replies=True))
    again = teams.client.post(activities.conversation_update(sender, chat, added=[activities.BOT], expect_replies=True))

    assert first.status == again.status == 200
    assert first.texts == [to_teams_markdown(render("teams_welcome"))]
    assert again.texts == []
    conversation = stored(engine, f"aad:{sender['aadObjectId']}")
    assert conversation is not None
    assert (conversation.conversation_id, conversation.kind, conversation.team_id) == (
        chat.conversation["id"],
        "personal",
        None,
    )
    assert (conversation.service_url, conversation.bot_id) == (activities.SERVICE_URL, activities.BOT["id"])
    assert conversation.tenant_id == activities.TENANT and conversation.installed_at == clock.now()
    with session_scope(engine) as session:
        member = member_by_object_id(session, sender["aadObjectId"])
    assert (member.user_id, member.name, member.email) == (sender["id"], "Anna Andersson", None)


def test_installing_in_a_team_stores_its_channel_without_a_welcome(teams, engine):
    sender = activities.user(object_id())
    answer = teams.client.post(
        activities.installation_update("add", sender, activities.team_channel(TEAM), expect_replies=True)
    )
    assert answer.status == 200 and answer.texts == []
    conversation = stored(engine, f"teams:{TEAM}")
    assert (conversation.conversation_id, conversation.kind, conversation.team_id) == (TEAM, "channel", TEAM)


def test_the_bot_added_to_a_team_by_a_conversation_update_is_an_install_too(teams, engine):
    sender = activities.user(object_id())
    chat = activities.team_channel(TEAM)
    teams.client.post(activities.conversation_update(sender, chat, added=[activities.BOT]))
    assert stored(engine, f"teams:{TEAM}") is not None


def test_members_joining_are_added_to_the_roster(teams, engine):
    sender, joining = activities.user(object_id()), activities.user(object_id(), "Bo Berg")
    teams.client.post(activities.conversation_update(sender, activities.team_channel(TEAM), added=[joining]))
    with session_scope(engine) as session:
        assert member_by_object_id(session, joining["aadObjectId"]).name == "Bo Berg"
        assert session.exec(select(TeamsConversation)).all() == []


def test_uninstalling_from_a_personal_chat_marks_it_removed(teams, engine):
    sender = activities.user(object_id())
    chat = activities.personal_chat(sender)
    teams.client.post(activities.installation_update("add", sender, chat))
    answer = teams.client.post(activities.installation_update("remove", sender, chat))
    assert answer.status == 202
    assert stored(engine, f"aad:{sender['aadObjectId']}") is None
    reinstalled = teams.client.post(activities.installation_update("add", sender, chat, expect_replies=True))
    assert stored(engine, f"aad:{sender['aadObjectId']}") is not None
    assert reinstalled.texts == [to_teams_markdown(render("teams_welcome"))]


def test_removing_the_app_from_a_team_marks_every_channel_of_it_removed(teams, engine):
    sender = activities.user(object_id())
    teams.client.post(activities.installation_update("add", sender, activities.team_channel(TEAM)))
    teams.client.post(
        activities.installation_update("add", sender, activities.team_channel(TEAM, "19:other@thread.tacv2"))
    )
    other_team = "19:team-b@thread.tacv2"
    teams.client.post(activities.installation_update("add", sender, activities.team_channel(other_team)))

    teams.client.post(activities.conversation_update(sender, activities.team_channel(TEAM), removed=[activities.BOT]))

    assert stored(engine, f"teams:{TEAM}") is None
    assert stored(engine, "teams:19:other@thread.tacv2") is None
    assert stored(engine, f"teams:{other_team}") is not None


def test_an_unknown_installation_action_changes_nothing(teams, engine):
    sender = activities.user(object_id())
    answer = teams.client.post(
        activities.installation_update("something-new", sender, activities.personal_chat(sender))
    )
    assert answer.status == 202
    with session_scope(engine) as session:
        assert session.exec(select(TeamsConversation)).all() == []


def answer_who(teams, runtime=None) -> None:
    """Register `vem`, a command answering the sender's configured person (via the asker) and reporter id."""

    @on_command(teams.teams.app, "vem")
    async def who(context: TurnContext, state: TurnState, argument: str) -> None:
        try:
            found = (await asyncio.to_thread(asker_of(context, runtime or teams.runtime).known)).id
        except UnknownPerson:
            found = "okänd"
        await context.send_activity(f"{found} {reporter_id(context)}")


def ask_who(teams, sender: dict) -> str:
    [text] = teams.client.post(activities.message("vem", sender, activities.personal_chat(sender))).texts
    return text


def roster(engine, sender: dict, email: str | None, now) -> None:
    with session_scope(engine) as session:
        save_member(session, TeamsMember(object_id=sender["aadObjectId"], user_id=sender["id"], email=email,
                                         service_url=activities.SERVICE_URL, seen_at=now))  # fmt: skip


def test_a_person_is_found_by_teams_id_and_recorded_as_seen(teams, engine):
    person = teams.runtime.config.people[0]
    config = teams.runtime.config.model_copy(update={"people": [person.model_copy(update={"teams_id": "AB-CD"})]})
    sender = activities.user("ab-cd")

    answer_who(teams, dataclasses.replace(teams.runtime, config=config))
    assert ask_who(teams, sender) == f"{person.id} aad:ab-cd"
    with session_scope(engine) as session:
        assert member_by_object_id(session, "ab-cd").user_id == sender["id"]


def test_a_person_is_found_by_the_roster_email_which_is_kept(teams, engine, clock):
    person = next(p for p in teams.runtime.config.people if p.email)
    sender = activities.user(object_id())
    roster(engine, sender, person.email.upper(), clock.now())

    answer_who(teams)
    assert ask_who(teams, sender) == f"{person.id} aad:{sender['aadObjectId']}"
    with session_scope(engine) as session:
        assert member_by_object_id(session, sender["aadObjectId"]).email == person.email.lower()


def test_a_user_nobody_configured_is_unknown(teams, engine, clock):
    sender, listed = activities.user(object_id()), activities.user(object_id())
    roster(engine, listed, "someone@else.example", clock.now())
    answer_who(teams)
    assert ask_who(teams, sender) == f"okänd aad:{sender['aadObjectId']}"
    assert ask_who(teams, listed) == f"okänd aad:{listed['aadObjectId']}"
    with session_scope(engine) as session:  # the unknown user left nothing behind; the listed one stays listed
        assert member_by_object_id(session, sender["aadObjectId"]) is None
        assert member_by_object_id(session, listed["aadObjectId"]).email == "someone@else.example"


def test_the_health_check_counts_the_installations(teams):
    sender = activities.user(object_id())
    teams.client.post(activities.installation_update("add", sender, activities.personal_chat(sender)))
    teams.client.post(activities.installation_update("add", sender, activities.team_channel(TEAM)))
    with urllib.request.urlopen(f"{teams.url}/healthz", timeout=5) as response:
        assert json.loads(response.read())["teams_installations"] == 2


@pytest.fixture
def connector() -> Iterator[FakeBotConnector]:
    with FakeBotConnector() as fake:
        yield fake


def on(fake: FakeBotConnector, activity: dict) -> dict:
    """`activity` as Teams sends it from the Bot Connector `fake` (replies go there, not in the HTTP response)."""
    return {**activity, "serviceUrl": fake.url}


def personal(fake: FakeBotConnector, email: str, name: str) -> tuple[dict, activities.Chat]:
    """A user with the app installed in their personal chat on `fake`, and that chat."""
    member = fake.add_personal(object_id(), email, name)
    sender = activities.user(member.members[0].object_id, name)
    return sender, activities.personal_chat(sender, conversation_id=member.id)


def test_installing_reads_the_roster_and_welcomes_through_the_bot_connector(teams, engine, connector):
    sender, chat = personal(connector, "Anna.Andersson@Kommun.example", "Anna Andersson")

    answer = teams.client.post(on(connector, activities.installation_update("add", sender, chat)))

    assert answer.status == 202
    [welcome, view] = connector.sent(chat.conversation["id"])
    assert welcome["text"] == to_teams_markdown(render("teams_welcome"))
    # then the personal view, as a card: this person is not in the association file, and is told so
    assert "Du finns inte ännu bland förbundets personer" in json.dumps(view["attachments"], ensure_ascii=False)
    with session_scope(engine) as session:
        member = member_by_object_id(session, sender["aadObjectId"])
    assert (member.email, member.service_url) == ("anna.andersson@kommun.example", connector.url)
    assert stored(engine, f"aad:{sender['aadObjectId']}").conversation_id == chat.conversation["id"]


def test_installing_in_a_team_stores_every_channel_and_the_team_roster(teams, engine, connector):
    members = tuple(connector.add_member(object_id(), f"person{n}@kommun.example", f"Person {n}") for n in range(3))
    project = "19:projekt@thread.tacv2"
    connector.add_channel(TEAM, TEAM, members)
    connector.add_channel(project, TEAM, members)
    sender = activities.user(members[0].object_id)

    answer = teams.client.post(
        on(connector, activities.installation_update("add", sender, activities.team_channel(TEAM)))
    )

    assert answer.status == 202
    assert connector.sent() == []  # no welcome in a channel
    for channel in (TEAM, project):
        conversation = stored(engine, f"teams:{channel}")
        assert (conversation.conversation_id, conversation.team_id, conversation.kind) == (channel, TEAM, "channel")
    with session_scope(engine) as session:
        assert {member_by_object_id(session, m.object_id).email for m in members} == {m.email for m in members}


def test_a_roster_the_bot_connector_refuses_leaves_the_install_standing(teams, engine, connector):
    sender, chat = personal(connector, "anna@kommun.example", "Anna")
    connector.fail_next(500, operation="members")

    teams.client.post(on(connector, activities.installation_update("add", sender, chat)))

    assert stored(engine, f"aad:{sender['aadObjectId']}") is not None
    assert len(connector.sent(chat.conversation["id"])) == 2  # the welcome and the personal view


def test_a_person_is_found_by_the_email_the_bot_connector_gives_once(teams, connector):
    person = next(p for p in teams.runtime.config.people if p.email and not p.teams_id)
    sender, chat = personal(connector, person.email, person.name)
    answer_who(teams)

    for _ in range(2):
        assert (
            teams.client.post(on(connector, activities.message("vem", sender, chat, expect_replies=False))).status
            == 202
        )

    expected = f"{person.id} aad:{sender['aadObjectId']}"
    assert [a["text"] for a in connector.sent(chat.conversation["id"])] == [expected, expected]
    assert len(connector.calls_to("member")) == 1  # the roster remembers the e-mail
