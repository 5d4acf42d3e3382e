"""The demo's stage on Slack: signed slash commands, button clicks and view submissions to the real app, and what
reached the fake Slack (messages, updates, files, response_url replies)."""

import json
from typing import Any

from bot.clock import FixedClock
from bot.demo.fake_slack import Call, FakeSlack
from bot.demo.payloads import Answers, button_click, labels, view_submission
from bot.demo.slack_requests import SlackRequester
from bot.demo.stage import FieldError, FormShown, Stage, Submitted
from bot.demo.transcript import Entry, plain
from bot.demo.workspace import user_id_for_email
from bot.runtime import Runtime


class SlackStage(Stage):
    """The app driven as Slack drives it."""

    platform_name = "Slack"
    own_chat = "sitt DM"
    a_dm = "ett DM"
    summary_files = "CSV- och Excel-filer"

    def __init__(self, runtime: Runtime, fake: FakeSlack, slack: SlackRequester, clock: FixedClock):
        super().__init__(runtime, clock)
        self.fake, self.slack = fake, slack
        self._seen = {"posted": 0, "updates": 0, "files": 0, "responses": 0}
        self._answer_pending: str | None = None
        self._answers: dict[str, dict[str, Any]] = {}  # each person's latest command answer that has buttons

    # people and places -------------------------------------------------------------------------
    def user_id(self, person_id: str) -> str:
        person = self.config.person(person_id)
        return person.slack_id or user_id_for_email(person.email or person.id)

    def dm(self, person_id: str) -> str:
        return self.fake.dm_channel(self.user_id(person_id))

    def typed(self, command: str, text: str = "") -> str:
        return f"{command} {text}".strip()

    def via(self, command: str, preposition: str) -> str:
        return f"{preposition} {command}"

    def not_reachable(self, place_name: str) -> str:
        return f"är inte inbjuden i {place_name}"

    def let_in(self, person_id: str, place: str) -> None:
        """`/invite @Samverkan` in the channel."""
        self.fake.workspace.channels_without_bot.discard(place)
        self.action(person_id, f"/invite @Samverkan i {self.fake.workspace.channels.get(place, place)}", "")

    # users -------------------------------------------------------------------------------------
    def command(self, person_id: str, command: str, text: str = "") -> None:
        """A signed slash command; its immediate answer (ephemeral reply) is recorded."""
        responses = len(self.fake.responses)
        answer = self.slack.command(command, text=text, user_id=self.user_id(person_id))
        body = (answer.json() or {}) if answer.status == 200 else {"text": f"HTTP {answer.status}"}
        line = self.typed(command, text)
        if body.get("text"):
            self.action(person_id, line, plain(body))
        else:  # acknowledged at once; the answer comes later through the response_url
            self._answer_pending = f"{self.person(person_id).name}: {line}"
            self.settle()
            self.collect()
        for shown in [body, *self.fake.responses[responses:]]:
            if _button_actions(shown):
                self._answers[person_id] = shown

    def click_in_answer(self, person_id: str, action: str, label: str) -> None:
        """A click on an ephemeral answer's button; the app answers through the response_url."""
        message = {**self._answers[person_id], "channel": self.dm(person_id), "ts": "0000000000.000100"}
        self._answer_pending = f"{self.person(person_id).name}: klickar på [{label}]"
        self.interaction(button_click(self.user_id(person_id), message, action, self.fake.response_url))
        self.settle()
        self.collect()

    def open_form(self, person_id: str, command: str, kind: str) -> FormShown:
        before = self.view_count()
        self.command(person_id, command)
        return FormShown(kind, self.wait_for_view(before, kind))

    def press_for_form(self, person_id: str, place: str, action: str, kind: str) -> FormShown:
        before = self.view_count()
        self._press(person_id, place, action)
        return FormShown(kind, self.wait_for_view(before, kind))

    def click(self, person_id: str, place: str, action: str) -> None:
        self._press(person_id, place, action)

    def _press(self, person_id: str, place: str, action: str) -> None:
        message = next(m for m in reversed(self.fake.messages_in(place)) if action in _button_actions(m))
        self.interaction(button_click(self.user_id(person_id), message, action, self.fake.response_url))

    def submit(self, person_id: str, form: FormShown, answers: Answers, key: str) -> Submitted:
        reply = self.interaction(view_submission(self.user_id(person_id), form.shown, answers, key))
        if reply.get("response_action") == "errors":
            names = labels(form.shown)
            errors = tuple(
                FieldError(_section_of(form.shown, block_id), names[block_id], text)
                for block_id, text in reply["errors"].items()
            )
            return Submitted(errors, "")
        return Submitted((), plain(reply.get("view") or {}))

    def accept_files(self, person_id: str) -> None:
        """Slack attaches the files to the message: there is nothing to accept."""

    def interaction(self, payload: dict[str, Any]) -> dict[str, Any]:
        answer = self.slack.interaction(payload)
        if answer.status != 200:
            raise RuntimeError(f"the app answered HTTP {answer.status} to a {payload['type']}")
        return answer.json() or {}

    # forms -------------------------------------------------------------------------------------
    def describe_form(self, form: FormShown) -> str:
        view = form.shown
        sections = [b["text"]["text"] for b in view.get("blocks", []) if b.get("type") == "section"]
        if len(sections) < 2:
            return plain(view)
        indicators = ["• " + section.splitlines()[0].strip("*") for section in sections[1:]]
        fields = sum(1 for b in view["blocks"] if b.get("type") == "input")
        heading = plain({"blocks": [view["blocks"][0]]})
        return f"Formuläret öppnas ({fields} fält):\n{heading}\n" + "\n".join(indicators)

    def field_labels(self, form: FormShown) -> list[str]:
        return [b["label"]["text"] for b in form.shown["blocks"] if b.get("type") == "input"]

    def form_text(self, form: FormShown) -> str:
        return plain(form.shown)

    def wait_for_view(self, since: int, callback_id: str) -> dict[str, Any]:
        """The modal `callback_id` that the app opened or filled in after the first `since` view calls.

        The app does so after acknowledging, and may show a loading modal first."""
        found: list[dict[str, Any]] = []

        def opened() -> bool:
            for call in self._view_calls()[since:]:
                view = call.params["view"]
                view = json.loads(view) if isinstance(view, str) else view
                if view.get("callback_id") == callback_id:
                    found.append(view)
                    return True
            return False

        self.wait(opened)
        return found[0]

    def view_count(self) -> int:
        return len(self._view_calls())

    def _view_calls(self) -> list[Call]:
        return self.fake.calls_in_order("views.open", "views.update")

    # what the app did --------------------------------------------------------------------------
    def texts_in(self, place: str) -> list[str]:
        return [message["text"] for message in self.fake.messages_in(place)]

    def update_count(self) -> int:
        return len(self.fake.calls_to("chat.update"))

    def settle(self) -> None:
        """Wait until no listener runs any more (they go on after acknowledging; SQLite has one writer)."""
        self.slack.idle()

    def collect(self) -> None:
        """Record every message, update, file and response_url reply the fake received since last time."""
        now = self.clock.now()
        posted = self.fake.posted()
        for message in posted[self._seen["posted"] :]:
            if self._hidden(message):
                self.act.hidden += 1
            else:
                self.act.messages.append(Entry(now, message["channel"], plain(message)))
        self._seen["posted"] = len(posted)
        updates = self.fake.calls_to("chat.update")
        for call in updates[self._seen["updates"] :]:
            blocks = call.params.get("blocks")
            message = {
                "text": call.params.get("text", ""),
                "blocks": json.loads(blocks) if isinstance(blocks, str) else blocks,
            }
            self.act.messages.append(
                Entry(now, str(call.params["channel"]), "(meddelandet uppdaterat)\n" + plain(message))
            )
        self._seen["updates"] = len(updates)
        files = self.fake.shared_files
        for shared in files[self._seen["files"] :]:
            text = f"Bifogad fil: {shared['name']} ({len(shared['content'])} byte)"
            self.act.messages.append(Entry(now, str(shared["channel"]), text))
        self._seen["files"] = len(files)
        responses = self.fake.responses
        for response in responses[self._seen["responses"] :]:
            label = self._answer_pending or "Svar bara för användaren"
            self.act.actions.append(Entry(now, f"{label} (svaret kommer strax efter)", plain(response)))
            self._answer_pending = None
        self._seen["responses"] = len(responses)

    def _hidden(self, message: dict[str, Any]) -> bool:
        """Plan traffic is act 1's story; later acts count it instead of showing it."""
        if not self.hide_plan:
            return False
        delivery_id = ((message.get("metadata") or {}).get("event_payload") or {}).get("delivery_id")
        return delivery_id is not None and self.plan_traffic(self.delivery(delivery_id))


def _button_actions(message: dict[str, Any]) -> set[str]:
    """The action ids of a message's buttons."""
    return {
        element.get("action_id", "")
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block.get("elements", [])
    }


def _section_of(form: dict[str, Any], block_id: str) -> str:
    """The indicator heading shown above the field `block_id`."""
    name = block_id.partition("|")[0]
    for block in form["blocks"]:
        if block.get("type") == "section":
            name = block["text"]["text"].splitlines()[0].strip("*")
        elif block.get("block_id") == block_id:
            return name
    return name
