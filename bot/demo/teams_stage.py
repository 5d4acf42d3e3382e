"""The demo's stage on Teams: Activity JSON posted to the real app's /api/messages as the Bot Framework Service
posts it (messages with `expectReplies`, invokes for card actions, dialogs and file consent, installationUpdate
first for every person and team), and what reached the fake Bot Connector (proactive sends, replies, updates,
uploads)."""

from collections.abc import Iterator
from dataclasses import dataclass

from sqlmodel import select

from bot.clock import FixedClock
from bot.demo import teams_activities
from bot.demo.fake_teams import FakeBotConnector
from bot.demo.fake_teams_tenant import object_id_for_email
from bot.demo.payloads import Answer, Answers
from bot.demo.stage import FieldError, FormShown, Stage, Submitted
from bot.demo.teams_activities import Chat
from bot.demo.teams_association import TEAMS_PREFIX, teams_channels
from bot.demo.teams_cards import (
    ADAPTIVE_CARD,
    FILE_CONSENT_CARD,
    Card,
    activity_text,
    card_text,
    readable,
)
from bot.demo.teams_client import TeamsClient
from bot.demo.transcript import Entry
from bot.runtime import Runtime
from storage.engine import session_scope
from storage.outbox import Delivery
from storage.platform import Platform

PERSONAL_PREFIX = "a:personal-"  # the fake Bot Connector's personal conversations
SENT = ("send", "reply")
TASK_FETCH = "task/fetch"  # what a dialog button's data asks Teams to send
MAX_PAGES = 20  # a paged form has far fewer; more means the app keeps showing the same page


@dataclass(frozen=True)
class Installed:
    """Where the demo installed the app before the acts: people's personal chats and teams' channels."""

    people: int
    channels: int
    welcome: str


class TeamsStage(Stage):
    """The app driven as Teams drives it."""

    platform_name = "Teams"
    own_chat = "sin chatt med appen"
    a_dm = "ett meddelande i chatten med appen"
    summary_files = (
        "CSV- och Excel-filer som filkort: kvalitetschefen klickar på [Tillåt] och filerna sparas i hennes "
        "OneDrive (Teams låter en app skicka filer bara i en personlig chatt, inte i direktionens kanal)"
    )

    def __init__(self, runtime: Runtime, fake: FakeBotConnector, client: TeamsClient, clock: FixedClock):
        super().__init__(runtime, clock)
        self.fake, self.client = fake, client
        self._seen_calls = 0
        self._sent_in: dict[str, int] = {}  # how many activities each conversation had when last collected
        self._answered_consents: set[str] = set()
        self._answers: dict[str, list[dict]] = {}  # each person's latest replies to a command

    # people and places -------------------------------------------------------------------------
    def object_id(self, person_id: str) -> str:
        person = self.person(person_id)
        return person.teams_id or object_id_for_email(person.email or person.id)

    def user(self, person_id: str) -> dict:
        return teams_activities.user(self.object_id(person_id), self.person(person_id).name)

    def dm(self, person_id: str) -> str:
        return f"{PERSONAL_PREFIX}{self.object_id(person_id)}"

    def typed(self, command: str, text: str = "") -> str:
        return f"{command.removeprefix('/')} {text}".strip()

    def via(self, command: str, preposition: str) -> str:
        return f"genom att skriva ”{self.typed(command)}” till appen"

    def not_reachable(self, place_name: str) -> str:
        return f"är inte installerad i teamet för {place_name}"

    def let_in(self, person_id: str, place: str) -> None:
        """The app added to the channel's team (installationUpdate)."""
        channel = place.removeprefix(TEAMS_PREFIX)
        self.fake.add_channel(channel, channel)
        self.post(teams_activities.installation_update("add", self.user(person_id), self.chat(channel)))
        self.action(person_id, f"lägger till appen i teamet för {self.names().get(channel, channel)}", "")
        self.collect()

    def chat(self, place: str) -> Chat:
        """The conversation `place` (a personal chat, or a channel with or without 'teams:') as activities carry it."""
        conversation_id = place.removeprefix(TEAMS_PREFIX)
        tenant = self.fake.tenant_id
        if conversation_id.startswith(PERSONAL_PREFIX):
            conversation = {"id": conversation_id, "conversationType": "personal", "tenantId": tenant}
            return Chat(conversation, {"tenant": {"id": tenant}})
        return teams_activities.team_channel(conversation_id, conversation_id, tenant)

    # installing the app ------------------------------------------------------------------------
    def install(self, skip_channels: tuple[str, ...], installer: str) -> Installed:
        """The app installed (installationUpdate) in each Teams person's personal chat and in every team the
        association names, but those of `skip_channels` (conversation ids)."""
        people = [p for p in self.config.people if p.chat_platform == Platform.TEAMS]
        for person in people:
            email = person.email or f"{person.id}@example.invalid"
            self.fake.add_personal(self.object_id(person.id), email, person.name)
            self.post(teams_activities.installation_update("add", self.user(person.id), self.chat(self.dm(person.id))))
        channels = [c for c in teams_channels(self.config) if c not in skip_channels]
        for channel in channels:
            self.fake.add_channel(channel, channel)
            self.post(teams_activities.installation_update("add", self.user(installer), self.chat(channel)))
        welcome = next(iter(self.texts_in(self.dm(installer))), "")
        self.collect()  # the welcomes are the installation's, not the first act's
        return Installed(len(people), len(channels), welcome)

    # users -------------------------------------------------------------------------------------
    def post(self, activity: dict) -> dict | list | None:
        answer = self.client.post({**activity, "serviceUrl": self.fake.url})
        if answer.status not in (200, 202):
            raise RuntimeError(f"the app answered HTTP {answer.status} to a {activity['type']}")
        body = answer.json()
        return body if isinstance(body, (dict, list)) else None

    def say(self, person_id: str, text: str) -> list[dict]:
        """A message the person types in their chat with the app; the app's replies."""
        activity = teams_activities.message(text, self.user(person_id), self.chat(self.dm(person_id)))
        body = self.post(activity)
        return body.get("activities", []) if isinstance(body, dict) else []

    def command(self, person_id: str, command: str, text: str = "") -> None:
        replies = self.say(person_id, self.typed(command, text))
        self._answers[person_id] = replies
        self.action(person_id, self.typed(command, text), "\n\n".join(activity_text(reply) for reply in replies))
        self.collect()

    def click_in_answer(self, person_id: str, action: str, label: str) -> None:
        """An Action.Execute on a card the app replied with; the card is answered in its place."""
        for number, reply in enumerate(reversed(self._answers[person_id])):
            for card in _cards(reply):
                button = _buttons(card).get(action)
                if button is not None:
                    clicked = reply.get("id") or f"reply-{number}"
                    response = self._invoke(person_id, self.dm(person_id), action, button.get("data", {}), clicked)
                    card_shown = _response_card(response)
                    shown = card_text(card_shown) if card_shown else str(response.get("value", ""))
                    self.action(person_id, f"klickar på [{label}]", shown)
                    self.collect()
                    return
        raise RuntimeError(f"no answer to {person_id} has a button {action}")

    def open_form(self, person_id: str, command: str, kind: str) -> FormShown:
        replies = self.say(person_id, self.typed(command))
        for reply in replies:
            for card in _cards(reply):
                if _submit_of(card, kind):
                    self.collect()
                    return FormShown(kind, card, self.dm(person_id), reply.get("id") or "")
        raise RuntimeError(f"the app answered {self.typed(command)} without the form {kind}")

    def _invoke(self, person_id: str, place: str, verb: str, data: dict, reply_to: str) -> dict:
        activity = teams_activities.invoke_action(verb, data, self.user(person_id), self.chat(place), reply_to=reply_to)
        body = self.post(activity)
        if not isinstance(body, dict):
            raise RuntimeError(f"the app answered the card action {verb} without an invoke response")
        return body

    def _button(self, place: str, action: str) -> tuple[Card, str]:
        """The button `action` on the latest card in `place` that has it, and that card's activity id."""
        for activity in reversed(self.fake.sent(place.removeprefix(TEAMS_PREFIX))):
            for card in _cards(activity):
                button = _buttons(card).get(action)
                if button is not None:
                    return button, activity["id"]
        raise RuntimeError(f"no card in {place} has a button {action}")

    def _press(self, person_id: str, place: str, action: str) -> tuple[dict, str]:
        """The person clicks the Action.Execute button `action` on the latest card in `place` that has it; the
        invoke response and the clicked card's activity id."""
        button, clicked = self._button(place, action)
        data = button.get("data", {})
        return self._invoke(person_id, place.removeprefix(TEAMS_PREFIX), action, data, clicked), clicked

    def _open_dialog(self, person_id: str, place: str, button: Card, clicked: str, kind: str) -> FormShown:
        """A dialog button clicked (task/fetch): the form the dialog shows, for the clicker alone."""
        conversation = place.removeprefix(TEAMS_PREFIX)
        sender, chat = self.user(person_id), self.chat(conversation)
        shown = _dialog_card(self.post(teams_activities.task_fetch(button["data"], sender, chat, reply_to=clicked)))
        if shown is None or _submit_of(shown, kind) is None:
            raise RuntimeError(f"the dialog button {kind} in {place} opened no form")
        self.collect()
        return FormShown(kind, shown, conversation, "")

    def press_for_form(self, person_id: str, place: str, action: str, kind: str) -> FormShown:
        button, clicked = self._button(place, action)
        if button["type"] == "Action.Submit":  # a dialog button: the form opens in a dialog of its own
            return self._open_dialog(person_id, place, button, clicked, kind)
        response, clicked = self._press(person_id, place, action)
        shown = _response_card(response)
        conversation = place.removeprefix(TEAMS_PREFIX)
        if shown is not None and _submit_of(shown, kind):  # the form in the clicked card's place
            self.collect()
            return FormShown(kind, shown, conversation, clicked)
        for activity in reversed(self.fake.sent(conversation)):  # the form as a reply under the card
            for card in _cards(activity):
                if _submit_of(card, kind):
                    self.collect()
                    return FormShown(kind, card, conversation, activity["id"])
        raise RuntimeError(f"the button {action} in {place} opened no form {kind}")

    def click(self, person_id: str, place: str, action: str) -> None:
        self._record_in_place(person_id, self._press(person_id, place, action)[0])

    def _record_in_place(self, person_id: str, response: dict) -> None:
        """What the clicker sees in the clicked card's place (Universal Actions' answer: a card or a note)."""
        card = _response_card(response)
        if card is not None:
            self.action(person_id, "ser kortet uppdateras på plats", card_text(card))
        elif isinstance(response.get("value"), str):
            self.action(person_id, "ser beskedet", response["value"])

    def _submit_dialog(self, person_id: str, form: FormShown, data: dict) -> Card | str:
        """A dialog's form submitted (task/submit): the card the dialog shows next, or its message ('' when the
        dialog closes)."""
        activity = teams_activities.task_submit(data, self.user(person_id), self.chat(form.where))
        body = self.post(activity)
        card = _dialog_card(body)
        if card is not None:
            return card
        task = body.get("task") if isinstance(body, dict) else None
        return str(task.get("value", "")) if isinstance(task, dict) else ""

    def submit(self, person_id: str, form: FormShown, answers: Answers, key: str) -> Submitted:
        """Each page filled in from `answers` and submitted (Action.Execute, or in a dialog Action.Submit) until
        the app shows errors under fields or something other than the form's next page. `key` is Slack's; Teams
        gives each activity an id."""
        for _ in range(MAX_PAGES):
            submit = _submit_of(form.shown, form.kind)
            assert submit is not None
            data = {**submit["data"], **_filled(form.shown, answers)}
            if submit["type"] == "Action.Submit":  # a dialog's form
                shown = self._submit_dialog(person_id, form, data)
                if isinstance(shown, str):
                    self.collect()
                    return Submitted((), shown)
                card: Card | None = shown
            else:
                card = _response_card(self._invoke(person_id, form.where, form.kind, data, form.activity_id or "reply"))
            if card is None:
                raise RuntimeError(f"the app answered the form {form.kind} without a card")
            form.shown = card
            errors = tuple(_errors(card))
            if errors:
                self.collect()
                return Submitted(errors, "")
            if _page(card, form.kind) <= _page_of(submit):  # not a later page of the form
                self.collect()
                return Submitted((), card_text(card))
        raise RuntimeError(f"the form {form.kind} kept showing pages")

    def accept_files(self, person_id: str) -> None:
        """The person clicks [Tillåt] on every file consent card in their chat; the app uploads each file to the
        upload session Teams opened in their OneDrive (the fake's) and shows its file card."""
        chat = self.dm(person_id)
        for activity in self.fake.sent(chat):
            for attachment in activity.get("attachments") or []:
                if attachment.get("contentType") != FILE_CONSENT_CARD or activity["id"] in self._answered_consents:
                    continue
                self._answered_consents.add(activity["id"])
                name = attachment["name"]
                upload = {
                    "name": name,
                    "uploadUrl": self.fake.upload_url(name),
                    "contentUrl": f"https://vmkf-my.sharepoint.example/personal/{name}",
                    "uniqueId": f"onedrive-{activity['id']}",
                    "fileType": name.rsplit(".", 1)[-1],
                }
                context = attachment["content"]["acceptContext"]
                self.post(
                    teams_activities.file_consent("accept", context, self.user(person_id), self.chat(chat), upload)
                )
                sizes = [len(c) for upload_id, c in self.fake.uploaded().items() if upload_id.endswith(f"-{name}")]
                saved = f"Filen laddas upp till OneDrive ({sizes[-1]} byte)." if sizes else "Ingen fil laddades upp."
                self.action(person_id, f"klickar på [Tillåt] för {name}", saved)
        self.collect()

    # forms -------------------------------------------------------------------------------------
    def describe_form(self, form: FormShown) -> str:
        body = form.shown.get("body") or []
        heading = readable(body[0]["text"]) if body and body[0].get("type") == "TextBlock" else ""
        inputs = list(_inputs(body))
        sections = list(dict.fromkeys(section for section, _ in inputs))
        page = next((readable(b["text"]) for b in body if b.get("isSubtle") and "Sida" in b.get("text", "")), "")
        lines = [f"Formuläret öppnas ({len(inputs)} fält{', ' + page.lower() if page else ''}):", heading]
        return "\n".join(lines + [f"• {section}" for section in sections if section])

    def field_labels(self, form: FormShown) -> list[str]:
        return [element.get("label", "") for _, element in _inputs(form.shown.get("body") or [])]

    def form_text(self, form: FormShown) -> str:
        return card_text(form.shown)

    # what the app did --------------------------------------------------------------------------
    def texts_in(self, place: str) -> list[str]:
        conversation = place.removeprefix(TEAMS_PREFIX)
        if conversation not in self.fake.conversations:
            return []
        return [activity_text(activity) for activity in self.fake.sent(conversation)]

    def update_count(self) -> int:
        return len(self.fake.updates())

    def settle(self) -> None:
        """Nothing to wait for: the Teams handlers finish their work before the HTTP answer."""

    def collect(self) -> None:
        """Record every activity sent, replied and updated through the fake Bot Connector since last time."""
        now = self.clock.now()
        calls = self.fake.calls[self._seen_calls :]
        self._seen_calls += len(calls)
        for call in calls:
            if not call.acted or call.conversation_id is None:
                continue
            place = call.conversation_id
            if call.operation in SENT:
                index = self._sent_in.get(place, 0)
                self._sent_in[place] = index + 1
                activity_id = self.fake.conversations[place].activities[index]["id"]
                if self._hidden(place, activity_id):
                    self.act.hidden += 1
                else:
                    self.act.messages.append(Entry(now, place, activity_text(call.body)))
            elif call.operation == "update":
                self.act.messages.append(Entry(now, place, "(meddelandet uppdaterat)\n" + activity_text(call.body)))

    def _hidden(self, conversation: str, activity_id: str) -> bool:
        """Plan traffic is act 1's story; later acts count it instead of showing it."""
        if not self.hide_plan:
            return False
        with session_scope(self.runtime.engine) as session:
            statement = select(Delivery).where(
                Delivery.posted_conversation == conversation, Delivery.posted_id == activity_id
            )
            row = session.exec(statement).first()
            if row is not None:
                session.expunge(row)
        return self.plan_traffic(row)

    def names(self) -> dict[str, str]:
        """Readable names of the conversations for the transcript's headings."""
        names = dict(teams_channels(self.config))
        for person in self.config.people:
            if person.chat_platform == Platform.TEAMS:
                names[self.dm(person.id)] = f"Chatt med {person.name}"
        return names


def _cards(activity: dict) -> list[Card]:
    return [a["content"] for a in activity.get("attachments") or [] if a.get("contentType") == ADAPTIVE_CARD]


def _actions(node: object) -> Iterator[Card]:
    """Every action of a card (not the fallbacks, which send the same data)."""
    if isinstance(node, dict):
        if str(node.get("type", "")).startswith("Action."):
            yield node
        for key, value in node.items():
            if key != "fallback":
                yield from _actions(value)
    elif isinstance(node, list):
        for item in node:
            yield from _actions(item)


def _buttons(card: Card) -> dict[str, Card]:
    """A card's buttons by verb: its Action.Execute buttons and its dialog buttons (an Action.Submit whose data
    asks Teams for task/fetch)."""
    found = {action["verb"]: action for action in _actions(card) if action.get("type") == "Action.Execute"}
    for action in _actions(card):
        data = action.get("data") or {}
        if action.get("type") == "Action.Submit" and data.get("msteams") == {"type": TASK_FETCH}:
            found[data.get("verb", "")] = action
    return found


def _submit_of(card: Card, kind: str) -> Card | None:
    """The form's submit action, if the card is that form: an Action.Execute with the form's verb and its fields,
    or in a dialog an Action.Submit with that data."""
    for action in _actions(card):
        data = action.get("data") or {}
        verb = action.get("verb") if action.get("type") == "Action.Execute" else data.get("verb")
        submits = action.get("type") in ("Action.Execute", "Action.Submit")
        if submits and verb == kind and "fields" in data and "move" not in data:
            return action
    return None


def _page_of(submit: Card) -> int:
    """The page of a paged form a submit action sends (0 for a form of one page)."""
    metadata = (submit.get("data") or {}).get("metadata")
    page = metadata.get("page", 0) if isinstance(metadata, dict) else 0
    return page if isinstance(page, int) else 0


def _page(card: Card, kind: str) -> int:
    """The page of the form `kind` the card shows; -1 when it is not that form."""
    submit = _submit_of(card, kind)
    return -1 if submit is None else _page_of(submit)


def _dialog_card(body: object) -> Card | None:
    """The card a dialog shows: the answer to a task/fetch or task/submit that continues it."""
    task = body.get("task") if isinstance(body, dict) else None
    value = task.get("value") if isinstance(task, dict) and task.get("type") == "continue" else None
    card = value.get("card") if isinstance(value, dict) else None
    return card.get("content") if isinstance(card, dict) and card.get("contentType") == ADAPTIVE_CARD else None


def _response_card(response: dict) -> Card | None:
    """The card an invoke response puts in the clicked card's place."""
    value = response.get("value")
    return value if response.get("type") == ADAPTIVE_CARD and isinstance(value, dict) else None


def _inputs(body: list[Card]) -> Iterator[tuple[str, Card]]:
    """Each input of a card's body with the section it is in (the first line of the text above it)."""
    section = ""
    for element in body[1:]:
        kind = str(element.get("type", ""))
        if kind == "TextBlock" and not element.get("isSubtle") and element.get("color") != "Attention":
            section = readable(element.get("text", "")).splitlines()[0].strip("*") if element.get("text") else ""
        elif kind.startswith("Input."):
            yield section, element


def _errors(card: Card) -> Iterator[FieldError]:
    """The errors the card shows under its fields (a red text after a field and its hint)."""
    body = card.get("body") or []
    section, field = "", None
    for element in body[1:]:
        kind = str(element.get("type", ""))
        if kind.startswith("Input."):
            field = element
        elif kind == "TextBlock" and element.get("color") == "Attention":
            if field is not None:
                yield FieldError(section, field.get("label", ""), readable(element.get("text", "")))
        elif kind == "TextBlock" and not element.get("isSubtle"):
            section = readable(element.get("text", "")).splitlines()[0].strip("*") if element.get("text") else ""
            field = None


def _filled(card: Card, answers: Answers) -> dict[str, str]:
    """What Teams sends for the card's inputs: each as shown, or as `answers` fill it in (by field id)."""
    values: dict[str, str] = {}
    for _, element in _inputs(card.get("body") or []):
        field_id = element["id"]
        values[field_id] = _as_typed(element, answers[field_id]) if field_id in answers else element.get("value", "")
    return values


def _as_typed(element: Card, answer: Answer) -> str:
    """An answer as the input sends it: a toggle's valueOn or valueOff, choices comma-joined, nothing as ''."""
    if element.get("type") == "Input.Toggle":
        return element.get("valueOn", "true") if answer else element.get("valueOff", "false")
    if isinstance(answer, list):
        return ",".join(answer)
    return answer or ""
