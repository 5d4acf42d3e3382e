"""The demo's stage: the running app, the fake Slack and the clock, and what each step makes appear."""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.cases.digest import digest_times
from bot.clock import FixedClock
from bot.config import AssociationConfig
from bot.config.model import Person
from bot.delivery.keys import Source
from bot.delivery.reports import REPORT_SOURCES
from bot.demo.fake_slack import Call, FakeSlack
from bot.demo.slack_requests import SlackRequester
from bot.demo.transcript import Act, Entry, plain
from bot.demo.workspace import user_id_for_email
from bot.plan.occurrences import occurrences_between
from bot.runtime import Runtime
from bot.tick import run_tick
from storage.engine import session_scope
from storage.outbox import Delivery


class Stage:
    """Drives the app like Slack and the scheduler would, and records what happens into the current act."""

    def __init__(self, runtime: Runtime, fake: FakeSlack, slack: SlackRequester, clock: FixedClock):
        self.runtime, self.fake, self.slack, self.clock = runtime, fake, slack, clock
        self.config: AssociationConfig = runtime.config
        self.act = Act("", [])
        self.hide_plan = False
        self._seen = {"posted": 0, "updates": 0, "files": 0, "responses": 0}
        self._answer_pending: str | None = None

    # people ------------------------------------------------------------------------------------
    def user_id(self, person_id: str) -> str:
        person = self.config.person(person_id)
        return person.slack_id or user_id_for_email(person.email or person.id)

    def person(self, person_id: str) -> Person:
        return self.config.person(person_id)

    def dm(self, person_id: str) -> str:
        return self.fake.dm_channel(self.user_id(person_id))

    # acts --------------------------------------------------------------------------------------
    def start(self, heading: str, intro: list[str], hide_plan: bool) -> None:
        self.collect()
        self.act = Act(heading, intro)
        self.hide_plan = hide_plan

    # time --------------------------------------------------------------------------------------
    def tick(self, moment: datetime) -> None:
        """One pass of the real scheduler at `moment`, once the app has finished what users asked of it."""
        self.settle()
        self.clock.set(moment)
        run_tick(self.runtime.engine, self.runtime.senders, self.config, moment)
        self.collect()

    def advance_to(self, moment: datetime) -> None:
        """Let time pass until `moment` and run the scheduler then."""
        self.at(moment)
        self.tick(moment)

    def at(self, moment: datetime) -> None:
        """Let time pass until `moment`, the scheduler running at every scheduled moment on the way."""
        for at in self.scheduled_between(self.clock.now(), moment):
            self.tick(at)
        self.clock.set(moment)

    def scheduled_between(self, start: datetime, end: datetime) -> list[datetime]:
        """The moments in (start, end] at which something falls due: plan occurrences and the case digest, so
        that each appears at its own configured time rather than at the next plan occurrence."""
        moments = {o.at for o in occurrences_between(self.config, start, end)}
        if self.config.cases is not None and self.config.cases.digest is not None:
            for day in (start.date(), end.date()):
                moments.update(digest_times(self.config, day))
        return sorted(m for m in moments if start < m <= end)

    # users -------------------------------------------------------------------------------------
    def command(self, person_id: str, command: str, text: str = "") -> dict[str, Any]:
        """A signed slash command; its immediate answer (ephemeral reply) is recorded."""
        answer = self.slack.command(command, text=text, user_id=self.user_id(person_id))
        body = (answer.json() or {}) if answer.status == 200 else {"text": f"HTTP {answer.status}"}
        line = f"{command} {text}".strip()
        if body.get("text"):
            self.action(person_id, line, plain(body))
        else:  # acknowledged at once; the answer comes later through the response_url
            self._answer_pending = f"{self.person(person_id).name}: {line}"
            self.settle()
            self.collect()
        return body

    def interaction(self, payload: dict[str, Any]) -> dict[str, Any]:
        answer = self.slack.interaction(payload)
        if answer.status != 200:
            raise RuntimeError(f"the app answered HTTP {answer.status} to a {payload['type']}")
        return answer.json() or {}

    def action(self, person_id: str, what: str, answer: str) -> None:
        who = self.person(person_id).name
        self.act.actions.append(Entry(self.clock.now(), f"{who}: {what}", answer))

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

    def wait(self, condition: Callable[[], object]) -> None:
        """Wait for the work the app does after acknowledging a request, check that it did what `condition`
        says, then record what it sent."""
        self.settle()
        if not condition():
            raise RuntimeError("the app finished a step without doing what the demo expects of it")
        self.collect()

    def settle(self) -> None:
        """Wait until no listener runs any more (they go on after acknowledging; SQLite has one writer)."""
        self.slack.idle()

    def messages_in(self, channel: str) -> list[dict[str, Any]]:
        return self.fake.messages_in(channel)

    # recording ---------------------------------------------------------------------------------
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
        if delivery_id is None:
            return False
        with session_scope(self.runtime.engine) as session:
            row = session.get(Delivery, delivery_id)
            if row is None:
                return False
            plan_items = {item.id for item in self.config.plan}
            return row.source == Source.PLAN or (row.source in REPORT_SOURCES and row.item_id in plan_items)
