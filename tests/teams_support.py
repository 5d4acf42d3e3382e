"""The Teams feature tests' world: the example association (bot/demo/vmkf.yaml) moved to Teams, the app installed
for everyone and in every channel in the fake Bot Connector's tenant, the real app over HTTP on loopback, and
helpers that post activities as Teams does and read what comes back (replies, invoke responses, proactive sends).

Everyone in the example keeps their Slack id's place: `user(IT_HEAD)` is the IT head's Teams account, with an
Entra object id made from the Slack id, so the Slack tests' names for people serve here too."""

import dataclasses
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from bot.clock import FixedClock
from bot.config import parse_config
from bot.config.model import AssociationConfig
from bot.demo import teams_activities
from bot.demo.fake_teams import FakeBotConnector
from bot.demo.fake_teams_tenant import install_channel, install_for
from bot.demo.teams_activities import Chat
from bot.demo.teams_client import Answer
from bot.runtime import Runtime
from bot.teams.connector import BotConnector
from bot.teams.loop import AsyncLoop
from bot.teams.sender import TeamsSender
from bot.teams.tokens import fixed_token
from storage.platform import Platform
from tests.adaptive_cards import assert_valid_cards
from tests.conftest import EXAMPLE, local
from tests.teams_serving_support import TeamsEdge, start_edge, teams_settings

TOKEN = "test-bot-framework-token"
INSTALLED_AT = local(2027, 1, 4, 8, 0)
SLACK_USER = re.compile(r"slack_id: (U[A-Z0-9]+)")
SLACK_CHANNEL = re.compile(r"\b(C0[A-Z0-9]{8})\b")
E_MAIL_ONLY = re.compile(r"^(  - \{id: [^}\n]*email: [^}\n]*)\}$", re.MULTILINE)
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
STRANGER = "U0STRANGER"  # someone in the tenant whom the association file does not name


def object_id(slack_id: str) -> str:
    """The Entra object id the Teams twin of a Slack user of the example has."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"slack:{slack_id}"))


def channel(slack_channel: str) -> str:
    """The Teams channel id the Teams twin of a Slack channel of the example has."""
    return f"19:{slack_channel.lower()}@thread.tacv2"


def teams_example_text() -> str:
    """bot/demo/vmkf.yaml with Teams as its platform, each person by object id and each channel a Teams one."""
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("\nsettings:", "\nplatforms: [teams]\nsettings:", 1)
    text = SLACK_USER.sub(lambda match: f"teams_id: {object_id(match.group(1))}", text)
    # People given only by e-mail are found by it in the roster: on Teams, said outright.
    text = E_MAIL_ONLY.sub(lambda match: f"{match.group(1)}, platform: teams}}", text)
    return SLACK_CHANNEL.sub(lambda match: f'"teams:{channel(match.group(1))}"', text)


@dataclass
class TeamsWorld:
    """The app on Teams, the fake Bot Connector it sends through, and the association it serves."""

    runtime: Runtime
    edge: TeamsEdge
    fake: FakeBotConnector
    config: AssociationConfig
    answered: list[dict] = dataclasses.field(default_factory=list)  # every card the app answered with

    def every_card(self) -> list[dict]:
        """Every card the app answered with or sent through the Bot Connector (as it stands now)."""
        sent = [a["content"] for activity in self.fake.sent() for a in activity.get("attachments", [])]
        return self.answered + [card for card in sent if card.get("type") == "AdaptiveCard"]

    def user(self, slack_id: str) -> dict:
        person = next((p for p in self.config.people if p.teams_id == object_id(slack_id)), None)
        return teams_activities.user(object_id(slack_id), person.name if person else "Okänd Person")

    def chat(self, slack_id: str) -> Chat:
        """The person's personal chat with the bot, as the fake tenant has it."""
        return Chat(
            {
                "id": f"a:personal-{object_id(slack_id)}",
                "conversationType": "personal",
                "tenantId": self.fake.tenant_id,
            },
            {"tenant": {"id": self.fake.tenant_id}},
        )

    def channel_chat(self, slack_channel: str) -> Chat:
        return teams_activities.team_channel(f"team-{slack_channel}", channel(slack_channel), self.fake.tenant_id)

    def post(self, activity: dict) -> Answer:
        answer = self.edge.client.post({**activity, "serviceUrl": self.fake.url})
        assert answer.status in (200, 202), (answer.status, answer.body)
        self.answered += cards(answer) + _answered_cards(answer.json())
        return answer

    def say(self, slack_id: str, text: str, **fields: object) -> Answer:
        """A message typed by the person in their personal chat; the replies come back in the answer."""
        return self.post(teams_activities.message(text, self.user(slack_id), self.chat(slack_id), **fields))

    def act(self, slack_id: str, verb: str, data: dict, chat: Chat | None = None) -> dict:
        """A card's Action.Execute by the person; the invoke response's body (statusCode, type, value)."""
        activity = teams_activities.invoke_action(verb, data, self.user(slack_id), chat or self.chat(slack_id))
        return self.invoke(activity)

    def invoke(self, activity: dict) -> dict:
        body = self.post(activity).json()
        assert isinstance(body, dict), body
        return body

    def fetch_dialog(self, slack_id: str, data: dict, chat: Chat) -> dict:
        """A card's dialog button clicked by the person (task/fetch); the answer's task (type and value)."""
        activity = teams_activities.task_fetch(data, self.user(slack_id), chat)
        return self.invoke(activity)["task"]

    def submit_dialog(self, slack_id: str, data: dict, chat: Chat) -> dict | None:
        """A dialog's form submitted by the person (task/submit); the answer's task, None when it closes the dialog."""
        body = self.post(teams_activities.task_submit(data, self.user(slack_id), chat)).json()
        assert body is None or isinstance(body, dict), body
        return body["task"] if body else None


def _answered_cards(body: object) -> list[dict]:
    """The card of an invoke response: a card action's, or a dialog's."""
    if not isinstance(body, dict):
        return []
    if body.get("type") == CARD_TYPE:
        return [body["value"]]
    task = (body.get("task") or {}).get("value")
    return [task["card"]["content"]] if isinstance(task, dict) and "card" in task else []


def cards(answer: Answer) -> list[dict]:
    """The Adaptive Cards of the replies to a message."""
    return [
        attachment["content"]
        for reply in answer.replies
        for attachment in reply.get("attachments", [])
        if attachment.get("contentType") == CARD_TYPE
    ]


def card_text(card: dict) -> str:
    """Every text a card shows (its TextBlocks, facts, input labels and values, actions' titles), one a line."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "label", "value", "placeholder", "errorMessage"):
                if isinstance(node.get(key), str):
                    found.append(node[key])
            for key, value in node.items():
                if key not in ("data", "fallback"):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(card)
    return "\n".join(found)


def reply_text(answer: Answer) -> str:
    """The text of every card replied to a message."""
    return "\n".join(card_text(card) for card in cards(answer))


def submit_action(card: dict) -> dict:
    """The card's action that submits it forward (carrying the fields, and no move back a page): an Action.Execute,
    or in a dialog an Action.Submit."""
    actions = [action for action in _actions(card) if action.get("type") in ("Action.Execute", "Action.Submit")]
    [submit] = [action for action in actions if "fields" in action.get("data", {}) and "move" not in action["data"]]
    return submit


def _actions(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        if isinstance(node.get("type"), str) and node["type"].startswith("Action."):
            yield node
        for key, value in node.items():
            if key != "fallback":
                yield from _actions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _actions(item)


def buttons(card: dict) -> dict[str, dict]:
    """A message card's buttons by verb (the data each sends): its Action.Execute buttons and its dialog buttons."""
    found = {action["verb"]: action["data"] for action in _actions(card) if action.get("type") == "Action.Execute"}
    return found | {action["data"]["verb"]: action["data"] for action in dialog_buttons(card)}


def dialog_buttons(card: dict) -> list[dict]:
    """A card's buttons that open a dialog: Action.Submit whose data asks Teams for task/fetch."""
    return [
        action
        for action in _actions(card)
        if action.get("type") == "Action.Submit" and action.get("data", {}).get("msteams") == {"type": "task/fetch"}
    ]


def filled(card: dict, values: dict[str, str]) -> dict:
    """What Teams sends when the card is submitted with `values` typed (by field id), the rest as shown."""
    submit = submit_action(card)
    shown = {node["id"]: node.get("value", "") for node in _inputs(card) if isinstance(node.get("id"), str)}
    return {**submit["data"], **shown, **values}


def _inputs(node: object) -> Iterator[dict]:
    if isinstance(node, dict):
        if isinstance(node.get("type"), str) and node["type"].startswith("Input."):
            yield node
        for value in node.values():
            yield from _inputs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _inputs(item)


@pytest.fixture
def teams_world(runtime: Runtime, engine: Engine, clock: FixedClock, database_url: str) -> Iterator[TeamsWorld]:
    """The example association on Teams, installed everywhere, served over HTTP (anonymous, as the Agents
    Playground does), sending through the fake Bot Connector."""
    config = parse_config(teams_example_text())
    fake = FakeBotConnector().start()  # the SDK replies without a token in anonymous mode
    loop = AsyncLoop()
    connector = BotConnector(loop, fixed_token(TOKEN), timeout=5.0)
    settings = teams_settings(database_url, runtime.settings.config_path)
    teams_runtime = dataclasses.replace(
        runtime, settings=settings, config=config, loop=loop, senders={Platform.TEAMS: TeamsSender(engine, connector)}
    )
    install_for(engine, fake, config, INSTALLED_AT)
    for route in config.cases.routing if config.cases else []:  # the triage channels are no forum's
        triage = route.triage_channel.removeprefix("teams:")
        install_channel(engine, fake, triage, f"team-{route.department}", INSTALLED_AT)
    edge, server = start_edge(teams_runtime)
    world = TeamsWorld(teams_runtime, edge, fake, config)
    try:
        yield world
        assert_valid_cards(world.every_card())  # every card checked by the Adaptive Cards library itself
    finally:
        server.stop()
        loop.stop()
        fake.stop()
