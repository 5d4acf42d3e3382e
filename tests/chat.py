"""One chat driver for the feature scenario tests, on Slack or on Teams: the same verbs in domain terms.

A test names people by their id in the association file and channels by the id the example association gives
them on Slack (C0...); each platform's driver reaches them in its own form. Slack is driven with signed
requests to /slack/events and watched through the fake Slack Web API; Teams with Activity JSON posted to
/api/messages (replies in the HTTP response: `expectReplies`, invokes) and watched through the fake Bot
Connector. What comes back is read as users read it: a Slack blocks message or a Teams card as plain text.
"""

import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine

from bot.clock import Clock
from bot.config import load_config
from bot.config.model import AssociationConfig
from bot.demo import payloads
from bot.demo import teams_activities as activities
from bot.demo.fake_slack import FakeSlack
from bot.demo.fake_teams import FakeBotConnector
from bot.demo.fake_teams_tenant import install_channel, install_for, object_id_for_email
from bot.demo.slack_requests import SlackRequester
from bot.demo.teams_client import TeamsClient
from bot.demo.workspace import user_id_for_email
from bot.runtime import Runtime
from bot.teams.files import FILE_CONSENT_CARD
from bot.teams.loop import AsyncLoop
from bot.teams.sender import teams_senders
from bot.tick import TickReport, run_tick
from tests.adaptive_cards import assert_valid_cards
from tests.teams_serving_support import start_edge, teams_settings

Value = str | bool | tuple[str, ...] | None  # a field as typed: text or a choice, checked or not, several choices
SLACK_CHANNEL = re.compile(r"\bC0[A-Z0-9]{8}\b")
TEAMS_CHANNEL = re.compile(r"teams:(19:[^\"]+)\"")
INSTALLED_AT = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)  # the app installed for everyone, before the tests
LOADING = "Hämtar"  # the loading modal Slack shows while a form is filled in
STRANGER = "okand"  # a user of the workspace or tenant whom the association file does not name
MESSAGE_ACTION = "registrera_synpunkt"  # the Teams message extension command "Registrera som synpunkt"
TASK_FETCH = {"type": "task/fetch"}  # a Teams dialog button's msteams data


@dataclass
class Reply:
    """What the user sees in answer to what they did: its text as read, a form shown, errors under fields."""

    text: str = ""
    form: dict | None = None  # the form shown: a Slack view or a Teams card (for submit_form)
    errors: dict[str, str] = field(default_factory=dict)  # field id -> the Swedish text under it
    origin: dict = field(default_factory=dict)  # how the form was reached (Teams: a dialog or a card)
    typed: dict[str, str] = field(default_factory=dict)  # what the form shows as typed when errors come back
    message: "Posted | None" = None  # a command's reply with buttons, to click (Chat.click)
    actions: list[str] = field(default_factory=list)  # the buttons under the answer, by action (Teams: verb)

    @property
    def shown(self) -> str:
        """Everything the user reads: the text and each error (where a platform puts a refusal differs)."""
        return "\n".join([self.text, *self.errors.values()])


@dataclass
class Posted:
    """A message the bot posted (as it stands now): its text as read, its buttons' actions, the raw message."""

    text: str
    actions: list[str]
    raw: dict


class Chat(Protocol):
    """The verbs of a scenario, whichever the platform."""

    platform: str
    runtime: Runtime

    @property
    def engine(self) -> Engine: ...
    @property
    def config(self) -> AssociationConfig: ...
    def reporter_id(self, person_id: str) -> str: ...
    def command(self, person_id: str, text: str) -> Reply: ...
    def open_report_form(self, person_id: str) -> Reply: ...
    def submit_form(self, person_id: str, form: Reply, values: dict[str, Value]) -> Reply: ...
    def click(self, person_id: str, posted: Posted, action: str) -> Reply: ...
    def message_action_register(self, person_id: str, message_text: str) -> Reply: ...
    def shown_values(self, form: Reply) -> dict[str, str]: ...
    def resubmit(self) -> Reply: ...
    def lose_channel(self, channel: str) -> None: ...
    def files_to(self, person_id: str) -> list[str]: ...
    def mention(self, person_id: str) -> str: ...
    def options(self, form: Reply, field_id: str) -> list[str]: ...
    def delivered(self, to: str) -> list[Posted]: ...
    def installed(self, person_id: str) -> Reply: ...
    def home(self, person_id: str) -> str: ...
    def tick(self, now: datetime) -> TickReport: ...


# reading as users read -----------------------------------------------------------------------------
_SLACK_LINK = re.compile(r"<(?:[^<>|]+)\|([^<>]+)>|<(https?://[^<>|]+)>")
_TEAMS_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")
_EMPHASIS = re.compile(r"(?<![\w\\])([*_~]{1,2})(?=\S)(.+?)(?<=\S)\1(?![\w])")


def plain(text: str) -> str:
    """Slack mrkdwn or Teams markdown as read: links as their label, no emphasis marks, no escapes."""
    text = _SLACK_LINK.sub(lambda m: m.group(1) or m.group(2), text)
    text = _TEAMS_LINK.sub(r"\1", text)
    for _ in range(2):
        text = _EMPHASIS.sub(r"\2", text)
    text = re.sub(r"(?<!\\)`([^`\n]+)`", r"\1", text)  # code as its text (Teams shows no code spans)
    text = re.sub(r"\\([\\*_\[\]`.])", r"\1", text)  # escapes as read (Teams writes "1\." for a line that is no list)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    text = re.sub(r"\n{2,}", "\n", text)  # Teams breaks a line with a blank line
    return re.sub(r"(?m)^- ", "• ", text)


def slack_text(blocks: list[dict] | None, fallback: str = "") -> str:
    """A blocks message or view as read: headers, sections and their fields, context lines."""
    if not blocks:
        return plain(fallback)
    lines: list[str] = []
    for block in blocks:
        if block.get("type") in ("header", "section") and block.get("text"):
            lines.append(block["text"]["text"])
        lines += [item["text"] for item in block.get("fields") or []]
        if block.get("type") == "context":
            lines += [item["text"] for item in block["elements"] if "text" in item]
        if block.get("type") == "input":
            lines.append(block["label"]["text"])
    return plain("\n".join(lines))


def slack_actions(blocks: list[dict] | None) -> list[str]:
    return [
        e["action_id"] for b in blocks or [] if b.get("type") == "actions" for e in b["elements"] if "action_id" in e
    ]


def _card_lines(node: object) -> list[str]:
    if isinstance(node, list):
        return [line for item in node for line in _card_lines(item)]
    if not isinstance(node, dict):
        return []
    kind = node.get("type")
    if kind in ("TextBlock", "TextRun") and isinstance(node.get("text"), str):
        return [node["text"]]
    if kind == "FactSet":
        return [f"{fact['title']} {fact['value']}" for fact in node.get("facts", [])]
    if isinstance(kind, str) and kind.startswith("Input."):
        return [node["label"]] if node.get("label") else []
    if isinstance(kind, str) and kind.startswith("Action."):
        return []
    return [
        line for key, value in node.items() if key not in ("actions", "selectAction") for line in _card_lines(value)
    ]


def card_text(card: dict) -> str:
    """An Adaptive Card as read: its text blocks, facts and input labels, in order (not its buttons)."""
    return plain("\n".join(_card_lines(card.get("body", []))))


def opens_dialog(action: dict) -> bool:
    """Whether a card's action is a dialog button: an Action.Submit whose data asks Teams for task/fetch."""
    data = action.get("data")
    return action.get("type") == "Action.Submit" and isinstance(data, dict) and data.get("msteams") == TASK_FETCH


def card_actions(card: dict) -> list[str]:
    """The verbs of a card's buttons (Action.Execute, and those that open a dialog), in order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("type") == "Action.Execute":
                found.append(node["verb"])
            elif opens_dialog(node):
                found.append(node["data"]["verb"])
            for value in node.values():
                walk(value)

    walk(card)
    return found


def cards_in(node: object) -> list[dict]:
    """Every Adaptive Card in an activity or an invoke response, in order."""
    if isinstance(node, list):
        return [card for item in node for card in cards_in(item)]
    if not isinstance(node, dict):
        return []
    if node.get("type") == "AdaptiveCard":
        return [node]
    return [card for value in node.values() for card in cards_in(value)]


def activity_text(activity: dict) -> str:
    """A message activity as read: its text, then each card's."""
    parts = [plain(activity["text"])] if activity.get("text") else []
    parts += [card_text(card) for card in cards_in(activity.get("attachments", []))]
    return "\n".join(parts)


def inputs_of(card: dict) -> list[dict]:
    found: list[dict] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if str(node.get("type", "")).startswith("Input."):
                found.append(node)
            for key, value in node.items():
                if key != "actions":
                    walk(value)

    walk(card.get("body", []))
    return found


def card_errors(card: dict) -> dict[str, str]:
    """The red texts under a card's inputs, by input id (what a re-shown form says is wrong)."""
    errors: dict[str, str] = {}
    last_input: str | None = None
    for element in card.get("body", []):
        kind = str(element.get("type", ""))
        if kind.startswith("Input."):
            last_input = element["id"]
        elif kind == "TextBlock" and element.get("color") == "Attention" and last_input is not None:
            errors[last_input] = plain(element["text"])
    return errors


# Slack ----------------------------------------------------------------------------------------------
@dataclass
class SlackChat:
    """The real Bolt app over signed HTTP, the fake Slack Web API behind it."""

    runtime: Runtime
    slack: SlackRequester
    fake: FakeSlack
    platform: str = "slack"
    last_submission: tuple[dict, Reply, payloads.Answers] | None = None

    @property
    def engine(self) -> Engine:
        return self.runtime.engine

    @property
    def config(self) -> AssociationConfig:
        return self.runtime.config

    def user(self, person_id: str) -> str:
        if person_id == STRANGER:
            return "U0STRANGER"
        person = self.config.person(person_id)
        return person.slack_id or user_id_for_email(person.email or person.id)

    def options(self, form: Reply, field_id: str) -> list[str]:
        """The values a choice of a Slack form offers, in order."""
        assert form.form is not None
        element = next(b["element"] for b in form.form["blocks"] if b.get("block_id") == field_id)
        groups = element.get("option_groups") or [{"options": element.get("options", [])}]
        return [option["value"] for group in groups for option in group["options"]]

    def mention(self, person_id: str) -> str:
        """A mention of the person as Slack writes it in a command's text."""
        return f"<@{self.user(person_id)}|{person_id}>"

    def reporter_id(self, person_id: str) -> str:
        return self.user(person_id)

    def channel(self, channel: str) -> str:
        return channel

    def _views_after(self, before: int) -> dict | None:
        calls = [c for c in self.fake.calls if c.method in ("views.open", "views.update")][before:]
        views = [c.params["view"] for c in calls]
        views = [json.loads(v) if isinstance(v, str) else v for v in views]
        shown = [v for v in views if LOADING not in json.dumps(v, ensure_ascii=False)]
        return shown[-1] if shown else None

    def _view_count(self) -> int:
        return len([c for c in self.fake.calls if c.method in ("views.open", "views.update")])

    def _after(self, answer_body: dict | None, responses: int, views: int) -> Reply:
        """What the user sees after a request: its ack's text, later ephemeral replies, or the form shown."""
        self.slack.idle()
        texts = []
        answers = [answer_body] if answer_body and (answer_body.get("text") or answer_body.get("blocks")) else []
        answers += self.fake.responses[responses:]
        texts += [slack_text(answer.get("blocks"), answer.get("text", "")) for answer in answers]
        actions = [action for answer in answers for action in slack_actions(answer.get("blocks"))]
        view = self._views_after(views)
        if view is not None:
            texts.append(slack_text(view.get("blocks")))
        has_inputs = view is not None and any(b.get("type") == "input" for b in view.get("blocks", []))
        return Reply("\n".join(texts), view if has_inputs else None, actions=actions)

    def command(self, person_id: str, text: str) -> Reply:
        name, _, argument = text.strip().partition(" ")
        responses, views = len(self.fake.responses), self._view_count()
        answer = self.slack.command(f"/{name.removeprefix('/')}", argument.strip(), user_id=self.user(person_id))
        assert answer.status == 200, answer.body
        reply = self._after(answer.json(), responses, views)
        bodies = [answer.json() or {}, *self.fake.responses[responses:]]
        with_buttons = [body for body in bodies if slack_actions(body.get("blocks"))]
        if with_buttons:  # an ephemeral reply with buttons, clicked where the user sees it (the DM with the app)
            body = with_buttons[-1]
            raw = {**body, "channel": self.fake.dm_channel(self.user(person_id)), "ts": "1790000000.000900"}
            reply.message = Posted(
                slack_text(body.get("blocks"), body.get("text", "")), slack_actions(body["blocks"]), raw
            )
        return reply

    def open_report_form(self, person_id: str) -> Reply:
        return self.command(person_id, "synpunkt")

    def submit_form(self, person_id: str, form: Reply, values: dict[str, Value]) -> Reply:
        assert form.form is not None, f"no form to submit: {form.text}"
        answers: payloads.Answers = {}
        for field_id, value in values.items():
            if isinstance(value, bool):
                answers[field_id] = [field_id] if value else []
            elif isinstance(value, tuple):
                answers[field_id] = list(value)
            else:
                answers[field_id] = value or None
        self.last_submission = (payloads.view_submission(self.user(person_id), form.form, answers), form, answers)
        return self.resubmit()

    def resubmit(self) -> Reply:
        """The last form submission delivered again, exactly (as a retry after a timeout)."""
        assert self.last_submission is not None
        payload, form, answers = self.last_submission
        responses, views = len(self.fake.responses), self._view_count()
        answer = self.slack.interaction(payload)
        assert answer.status == 200, answer.body
        body = answer.json() or {}
        if body.get("response_action") == "errors":
            self.slack.idle()
            # the modal stays open with what was typed in it (Slack keeps it; the app only names the errors)
            typed = {key: ",".join(value) if isinstance(value, list) else value or "" for key, value in answers.items()}
            errors = {key: plain(text) for key, text in body["errors"].items()}
            return Reply(form=form.form, errors=errors, typed=typed)
        reply = self._after(None, responses, views)
        if body.get("response_action") in ("update", "push"):
            view = body["view"]
            has_inputs = any(b.get("type") == "input" for b in view.get("blocks", []))
            return Reply(
                "\n".join(filter(None, [slack_text(view["blocks"]), reply.text])), view if has_inputs else None
            )
        return reply

    def click(self, person_id: str, posted: Posted, action: str) -> Reply:
        responses, views = len(self.fake.responses), self._view_count()
        payload = payloads.button_click(self.user(person_id), posted.raw, action, self.fake.response_url)
        answer = self.slack.interaction(payload)
        assert answer.status == 200, answer.body
        return self._after(answer.json(), responses, views)

    def message_action_register(self, person_id: str, message_text: str) -> Reply:
        message = {"type": "message", "user": self.user("kommunchef-surahammar"), "text": message_text,
                   "ts": "1790000000.000200"}  # fmt: skip
        payload = payloads.message_shortcut(
            self.user(person_id), "register_feedback", message, "C0ARBOGA01", self.fake.response_url
        )
        responses, views = len(self.fake.responses), self._view_count()
        answer = self.slack.interaction(payload)
        assert answer.status == 200, answer.body
        return self._after(answer.json(), responses, views)

    def shown_values(self, form: Reply) -> dict[str, str]:
        """What each input of a Slack form shows before anything is typed: its initial text or option."""
        assert form.form is not None
        shown: dict[str, str] = {}
        for block in form.form.get("blocks", []):
            if block.get("type") == "input":
                element = block["element"]
                option = (element.get("initial_option") or {}).get("value")
                shown[block["block_id"]] = option or element.get("initial_value") or ""
        return shown

    def delivered(self, to: str) -> list[Posted]:
        channel = self.fake.dm_channel(self.user(to)) if SLACK_CHANNEL.fullmatch(to) is None else to
        return [
            Posted(slack_text(m.get("blocks"), m.get("text", "")), slack_actions(m.get("blocks")), m)
            for m in self.fake.messages_in(channel)
        ]

    def installed(self, person_id: str) -> Reply:
        return Reply()  # a Slack app is installed in the workspace once, for everyone

    def lose_channel(self, channel: str) -> None:
        """The channel deleted, or hidden from the app."""
        self.fake.workspace.missing_channels.add(channel)

    def files_to(self, person_id: str) -> list[str]:
        """The names of the files shared in the person's DM."""
        return [
            file["name"]
            for file in self.fake.shared_files
            if file["channel"] == self.fake.dm_channel(self.user(person_id))
        ]

    def home(self, person_id: str) -> str:
        before = len(self.fake.calls_to("views.publish"))
        event = {"type": "app_home_opened", "user": self.user(person_id), "channel": "D0HOME", "tab": "home"}
        assert self.slack.event(event, f"Ev{uuid.uuid4().hex[:10]}").status == 200
        self.slack.idle()
        published = self.fake.calls_to("views.publish")[before:]
        assert len(published) == 1
        view = published[0].params["view"]
        return slack_text((json.loads(view) if isinstance(view, str) else view)["blocks"])

    def tick(self, now: datetime) -> TickReport:
        return run_tick(self.engine, self.runtime.senders, self.config, now)


# Teams ----------------------------------------------------------------------------------------------
def teams_object_id(slack_id: str) -> str:
    """The Entra object id the Teams association gives the person the Slack one gives `slack_id`."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"slack:{slack_id}"))


def teams_channel_id(slack_channel: str) -> str:
    """The Teams channel id standing for the Slack channel `slack_channel` of the example association."""
    return f"19:{slack_channel.lower()}@thread.tacv2"


def teams_association(slack_yaml: str) -> str:
    """The example association file on Teams: everyone and every channel, the same people, plan and cases."""
    text = slack_yaml.replace("  timezone: Europe/Stockholm\n", "  timezone: Europe/Stockholm\nplatforms: [teams]\n", 1)
    assert "platforms: [teams]" in text
    text = re.sub(r"slack_id: (U[A-Z0-9]+)", lambda m: f"teams_id: {teams_object_id(m.group(1))}", text)
    return SLACK_CHANNEL.sub(lambda m: f'"teams:{teams_channel_id(m.group(0))}"', text)


@dataclass
class TeamsChat:
    """The real Agents SDK app over HTTP (/api/messages), the fake Bot Connector behind it."""

    runtime: Runtime
    client: TeamsClient
    fake: FakeBotConnector
    platform: str = "teams"
    last_submission: tuple[dict, dict] | None = None  # the activity and where the form came from
    answered_cards: list[dict] = field(default_factory=list)  # every card the app answered with over HTTP

    def every_card(self) -> list[dict]:
        """Every card the app showed: in its HTTP answers and in what it sent through the Bot Connector."""
        sent = [card for activity in self.fake.sent() for card in cards_in(activity.get("attachments", []))]
        return self.answered_cards + sent

    @property
    def engine(self) -> Engine:
        return self.runtime.engine

    @property
    def config(self) -> AssociationConfig:
        return self.runtime.config

    def object_id(self, person_id: str) -> str:
        if person_id == STRANGER:
            return str(uuid.uuid5(uuid.NAMESPACE_URL, "stranger"))
        person = self.config.person(person_id)
        return person.teams_id or object_id_for_email(person.email or f"{person.id}@example.invalid")

    def reporter_id(self, person_id: str) -> str:
        return f"aad:{self.object_id(person_id)}"

    def user(self, person_id: str) -> dict:
        """The person as an activity's `from`: the ids the fake tenant gave them."""
        oid = self.object_id(person_id)
        name = "Okänd Användare" if person_id == STRANGER else self.config.person(person_id).name
        return {"id": f"29:user-{oid}", "aadObjectId": oid, "name": name}

    def options(self, form: Reply, field_id: str) -> list[str]:
        """The values a choice of a Teams form card offers, in order."""
        assert form.form is not None
        element = next(element for element in inputs_of(form.form) if element["id"] == field_id)
        return [choice["value"] for choice in element.get("choices", [])]

    def mention(self, person_id: str) -> str:
        """A mention of the person as Teams writes it in a message's text (its entity goes beside the text)."""
        return f"<at>{self.user(person_id)['name']}</at>"

    def _mentions(self, text: str) -> list[dict]:
        """The mention entities of the people whose mentions `text` holds."""
        people = {self.user(person.id)["name"]: person.id for person in self.config.people}
        return [{"type": "mention", "text": f"<at>{name}</at>", "mentioned": self.user(people[name])}
                for name in re.findall(r"<at>(.*?)</at>", text)]  # fmt: skip

    def personal(self, person_id: str) -> activities.Chat:
        conversation = {"id": f"a:personal-{self.object_id(person_id)}", "conversationType": "personal",
                        "tenantId": self.fake.tenant_id}  # fmt: skip
        return activities.Chat(conversation, {"tenant": {"id": self.fake.tenant_id}})

    def _in(self, conversation_id: str) -> activities.Chat:
        """The conversation a posted activity is in, as Teams names it in an activity from there."""
        if conversation_id.startswith("a:"):
            conversation = {"id": conversation_id, "conversationType": "personal", "tenantId": self.fake.tenant_id}
            return activities.Chat(conversation, {"tenant": {"id": self.fake.tenant_id}})
        team = self.fake.conversations[conversation_id].team_id or conversation_id
        return activities.team_channel(team, conversation_id, self.fake.tenant_id)

    def _post(self, activity: dict) -> Any:
        answer = self.client.post({**activity, "serviceUrl": self.fake.url})
        assert answer.status in (200, 201, 202), (answer.status, answer.body)
        return answer

    def _read(self, body: object) -> Reply:
        """An invoke's or expectReplies' answer as read: its texts and cards, the form among them, its errors."""
        self.answered_cards += cards_in(body)
        texts: list[str] = []
        forms = [card for card in cards_in(body) if inputs_of(card)]

        def walk(node: object) -> None:
            if isinstance(node, list):
                for item in node:
                    walk(item)
            elif isinstance(node, dict):
                if node.get("type") == "AdaptiveCard":
                    texts.append(card_text(node))
                    return
                if node.get("type") == "message" and isinstance(node.get("text"), str):
                    texts.append(plain(node["text"]))
                if node.get("type") == "application/vnd.microsoft.activity.message" and isinstance(
                    node.get("value"), str
                ):
                    texts.append(plain(node["value"]))
                if node.get("type") == "message" and isinstance(node.get("value"), str):
                    texts.append(plain(node["value"]))  # a task module's message
                for key, value in node.items():
                    if key != "text":
                        walk(value)

        walk(body)
        form = forms[-1] if forms else None
        errors = card_errors(form) if form else {}
        typed = {element["id"]: str(element.get("value", "")) for element in inputs_of(form)} if form else {}
        actions = [verb for card in cards_in(body) if not inputs_of(card) for verb in card_actions(card)]
        return Reply("\n".join(t for t in texts if t), form, errors, typed=typed, actions=actions)

    def command(self, person_id: str, text: str) -> Reply:
        entities = self._mentions(text)
        extra = {"entities": entities} if entities else {}
        answer = self._post(activities.message(text, self.user(person_id), self.personal(person_id), **extra))
        reply = self._read(answer.replies)
        reply.origin = {"chat": self.personal(person_id)}
        chat = self.personal(person_id).conversation["id"]
        for number, activity in enumerate(answer.replies or []):  # the last reply with buttons, to click
            actions = [verb for card in cards_in(activity.get("attachments", [])) for verb in card_actions(card)]
            if actions:
                raw = {**activity, "id": activity.get("id") or f"reply-{number}", "conversation": {"id": chat}}
                reply.message = Posted(activity_text(activity), actions, raw)
        return reply

    def open_report_form(self, person_id: str) -> Reply:
        return self.command(person_id, "synpunkt")

    def _data(self, card: dict, values: dict[str, Value]) -> tuple[str, dict]:
        """The submit action's verb and data as Teams sends them: our data, each input as typed or as shown."""
        action = next(a for a in card.get("actions", []) if a.get("type") in ("Action.Execute", "Action.Submit"))
        data = dict(action.get("data") or {})
        for element in inputs_of(card):
            given = values.get(element["id"], element.get("value", element.get("valueOff", "")))
            if element["type"] == "Input.Toggle" and isinstance(given, bool):
                given = element["valueOn"] if given else element["valueOff"]
            elif isinstance(given, tuple):
                given = ",".join(given)
            data[element["id"]] = given or ""
        return action.get("verb") or data.get("verb", ""), data

    def submit_form(self, person_id: str, form: Reply, values: dict[str, Value]) -> Reply:
        assert form.form is not None, f"no form to submit: {form.text}"
        verb, data = self._data(form.form, values)
        chat = form.origin.get("chat") or self.personal(person_id)
        if "dialog" in form.origin:
            command_id, message_text = form.origin["dialog"]
            author = self.user("kommunchef-surahammar")
            sender = self.user(person_id)
            activity = activities.compose_extension_submit(command_id, data, message_text, author, sender, chat)
        elif form.origin.get("task"):  # a card button's dialog
            activity = activities.task_submit(data, self.user(person_id), chat)
        else:
            reply_to = form.origin.get("reply_to", "card-1")
            activity = activities.invoke_action(verb, data, self.user(person_id), chat, reply_to=reply_to)
        self.last_submission = (activity, form.origin)
        return self.resubmit()

    def resubmit(self) -> Reply:
        """The last form submission delivered again, the same activity (as the Bot Framework retries one)."""
        assert self.last_submission is not None
        activity, origin = self.last_submission
        reply = self._read(self._post(activity).json())
        reply.origin = origin
        return reply

    def click(self, person_id: str, posted: Posted, action: str) -> Reply:
        """Press a card's button: a dialog button's dialog (the form in it, or a message), else the Action.Execute
        invoke's answer, or the form the bot posted beside the card."""
        card = next(card for card in cards_in(posted.raw.get("attachments", [])) if action in card_actions(card))
        conversation = posted.raw["conversation"]["id"]
        chat, before = self._in(conversation), len(self.fake.sent(conversation))
        sender = self.user(person_id)
        dialog = next((a for a in _all_actions(card) if opens_dialog(a) and a["data"]["verb"] == action), None)
        if dialog is not None:  # the dialog answers the task/fetch (a form or a message); nothing is posted
            reply = self._read(self._post(activities.task_fetch(dict(dialog["data"]), sender, chat)).json())
            reply.origin = {"chat": chat, "task": True}
            return reply
        button = next(a for a in _all_actions(card) if a.get("type") == "Action.Execute" and a["verb"] == action)
        data = dict(button.get("data") or {})
        answer = self._post(activities.invoke_action(action, data, sender, chat, reply_to=posted.raw["id"]))
        reply = self._read(answer.json())
        reply.origin = {"chat": chat, "reply_to": posted.raw["id"]}
        if reply.form is None:
            for activity in self.fake.sent(conversation)[before:]:
                forms = [card for card in cards_in(activity.get("attachments", [])) if inputs_of(card)]
                if forms:
                    shown = self._read(forms[-1])
                    reply = Reply("\n".join(filter(None, [reply.text, shown.text])), forms[-1], typed=shown.typed)
                    reply.origin = {"chat": chat, "reply_to": activity["id"]}
        return reply

    def message_action_register(self, person_id: str, message_text: str) -> Reply:
        chat = self._in(teams_channel_id("C0ARBOGA01"))
        author = self.user("kommunchef-surahammar")
        answer = self._post(
            activities.compose_extension_fetch(MESSAGE_ACTION, message_text, author, self.user(person_id), chat)
        )
        reply = self._read(answer.json())
        reply.origin = {"chat": chat, "dialog": (MESSAGE_ACTION, message_text)}
        return reply

    def shown_values(self, form: Reply) -> dict[str, str]:
        """What each input of a Teams form card shows."""
        assert form.form is not None
        return {element["id"]: str(element.get("value", "")) for element in inputs_of(form.form)}

    def conversation(self, to: str) -> str:
        return teams_channel_id(to) if SLACK_CHANNEL.fullmatch(to) else f"a:personal-{self.object_id(to)}"

    def delivered(self, to: str) -> list[Posted]:
        conversation = self.conversation(to)
        if conversation not in self.fake.conversations:
            return []
        return [
            Posted(
                activity_text(a),
                [verb for card in cards_in(a.get("attachments", [])) for verb in card_actions(card)],
                {"conversation": {"id": conversation}, **a},
            )
            for a in self.fake.sent(conversation)
        ]

    def installed(self, person_id: str) -> Reply:
        answer = self._post(
            activities.installation_update("add", self.user(person_id), self.personal(person_id), expect_replies=True)
        )
        return self._read(answer.replies)

    def home(self, person_id: str) -> str:
        return self.command(person_id, "hem").text

    def lose_channel(self, channel: str) -> None:
        """The app removed from the team of the channel standing for `channel`."""
        self.fake.remove_bot(teams_channel_id(channel))

    def files_to(self, person_id: str) -> list[str]:
        """The names of the files offered in the person's chat (a file consent card each)."""
        sent = (
            self.fake.sent(self.conversation(person_id))
            if self.conversation(person_id) in self.fake.conversations
            else []
        )
        return [
            a["name"]
            for activity in sent
            for a in activity.get("attachments", [])
            if a["contentType"] == FILE_CONSENT_CARD
        ]

    def tick(self, now: datetime) -> TickReport:
        return run_tick(self.engine, self.runtime.senders, self.config, now)


def _all_actions(node: object) -> list[dict]:
    if isinstance(node, list):
        return [action for item in node for action in _all_actions(item)]
    if not isinstance(node, dict):
        return []
    own = [node] if str(node.get("type", "")).startswith("Action.") else []
    return own + [action for value in node.values() for action in _all_actions(value)]


@contextmanager
def teams_chat(engine: Engine, database_url: str, clock: Clock, slack_yaml: str, folder: Path) -> Iterator[TeamsChat]:
    """The example association on Teams, installed for everyone and in every channel, and the app serving it."""
    path = folder / "association-teams.yaml"
    text = teams_association(slack_yaml)
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    settings = teams_settings(database_url, str(path))
    loop = AsyncLoop()
    runtime = Runtime(settings=settings, config=config, engine=engine, clock=clock, client=None, sender_client=None,
                      senders=teams_senders(engine, settings, loop), loop=loop)  # fmt: skip
    with FakeBotConnector() as fake:
        install_for(engine, fake, config, INSTALLED_AT)
        for channel_id in sorted(set(TEAMS_CHANNEL.findall(text)) - set(fake.conversations)):  # triage, audiences
            install_channel(engine, fake, channel_id, f"team-{channel_id}", INSTALLED_AT)
        edge, server = start_edge(runtime)
        try:
            chat = TeamsChat(runtime, edge.client, fake)
            yield chat
            assert_valid_cards(chat.every_card())  # every card the scenario saw, as the Adaptive Cards library reads it
        finally:
            server.stop()
            loop.stop()
