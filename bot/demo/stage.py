"""The demo's stage: the running app, the fake platform and the clock, and what each step makes appear.

The acts drive a `Stage` in the platform's own terms-free words (a command, a form opened and submitted, a button
clicked, files accepted); `SlackStage` (slack_stage.py) and `TeamsStage` (teams_stage.py) do each step as that
platform's client would and record what the app answered and sent.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.board.deadlines import preparation_times_between
from bot.board.meetings import meetings
from bot.board.secretary import request_time
from bot.cases.digest import digest_times
from bot.clock import FixedClock
from bot.config import AssociationConfig
from bot.config.model import Person
from bot.delivery.keys import Source
from bot.delivery.reports import REPORT_SOURCES
from bot.demo.payloads import Answers
from bot.demo.transcript import Act, Entry
from bot.plan.occurrences import occurrences_between
from bot.runtime import Runtime
from bot.tick import run_tick
from storage.engine import session_scope
from storage.outbox import Delivery


@dataclass
class FormShown:
    """A form the app showed a user: the platform's own view or card of it, kept up to date as it changes."""

    kind: str
    shown: dict
    where: str = ""  # the conversation it is in (Teams), empty where the platform shows forms apart (Slack)
    activity_id: str = ""  # the message whose card it is (Teams), where known


@dataclass(frozen=True)
class FieldError:
    """An error the app showed under a field: the field's section (an indicator), its label and the text."""

    section: str
    label: str
    text: str


@dataclass(frozen=True)
class Submitted:
    """What submitting a form brought: the errors under its fields, or what the user saw instead of the form."""

    errors: tuple[FieldError, ...]
    text: str


class Stage(ABC):
    """Drives the app like the platform and the scheduler would, and records what happens into the current act."""

    platform_name: str  # as users call it: Slack, Teams
    own_chat: str  # a person's direct chat with the bot, after "i": "sitt DM"
    a_dm: str  # a message there: "ett DM"
    summary_files: str  # how the follow-up summary's files arrive, after "en sammanställning med"

    def __init__(self, runtime: Runtime, clock: FixedClock):
        self.runtime, self.clock = runtime, clock
        self.config: AssociationConfig = runtime.config
        self.act = Act("", [])
        self.hide_plan = False
        self.show_preparation = False  # the board's preparation reminders shown although the plan is hidden
        self.prologue: list[str] = []  # what happened before the first act, for its introduction

    # people and places -------------------------------------------------------------------------
    def person(self, person_id: str) -> Person:
        return self.config.person(person_id)

    @abstractmethod
    def dm(self, person_id: str) -> str:
        """The place (as the transcript names places) of the person's direct chat with the bot."""

    @abstractmethod
    def typed(self, command: str, text: str = "") -> str:
        """What the user types for `command` ('/synpunkt') with `text`, as the transcript shows it."""

    @abstractmethod
    def via(self, command: str, preposition: str) -> str:
        """How the intro says a user goes through `command` ('med /synpunkt' after its `preposition` on Slack)."""

    @abstractmethod
    def not_reachable(self, place_name: str) -> str:
        """How the intro says the app cannot post in the place named `place_name`."""

    # acts --------------------------------------------------------------------------------------
    def start(self, heading: str, intro: list[str], hide_plan: bool, show_preparation: bool = False) -> None:
        self.collect()
        self.act = Act(heading, intro)
        self.hide_plan, self.show_preparation = hide_plan, show_preparation

    @abstractmethod
    def let_in(self, person_id: str, place: str) -> None:
        """The person lets the app into the channel `place` it was kept out of (invites it, installs it)."""

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
        """The moments in (start, end] at which something falls due: plan occurrences, the board's preparation
        reminders, the board secretary's requests and the case digest, so that each appears at its own configured
        time rather than at the next plan occurrence."""
        moments = {o.at for o in occurrences_between(self.config, start, end)}
        moments.update(preparation_times_between(self.config, start, end))
        if self.config.cases is not None and self.config.cases.digest is not None:
            for day in (start.date(), end.date()):
                moments.update(digest_times(self.config, day))
        if self.config.board is not None:
            moments.update(request_time(self.config, meeting) for meeting in meetings(self.config))
        return sorted(m for m in moments if start < m <= end)

    # users -------------------------------------------------------------------------------------
    @abstractmethod
    def command(self, person_id: str, command: str, text: str = "") -> None:
        """The person gives `command` ('/uppfoljning') with `text`; the answer they see is recorded."""

    @abstractmethod
    def open_form(self, person_id: str, command: str, kind: str) -> FormShown:
        """The person gives `command`, which shows them the form `kind`."""

    @abstractmethod
    def press_for_form(self, person_id: str, place: str, action: str, kind: str) -> FormShown:
        """The person presses the button `action` on the latest message in `place` that has it; the form `kind`
        opens."""

    @abstractmethod
    def click(self, person_id: str, place: str, action: str) -> None:
        """The person clicks the button `action` on the latest message in `place` that has it."""

    @abstractmethod
    def click_in_answer(self, person_id: str, action: str, label: str) -> None:
        """The person clicks the button `action` (shown as [`label`]) under the app's latest answer to their
        command, which only they see; what they see then is recorded."""

    @abstractmethod
    def submit(self, person_id: str, form: FormShown, answers: Answers, key: str) -> Submitted:
        """The person fills in `answers` (by field id; `key` names the submission where the platform needs one)
        and submits."""

    @abstractmethod
    def accept_files(self, person_id: str) -> None:
        """The person takes the files the app offered them (where the platform asks first)."""

    @abstractmethod
    def describe_form(self, form: FormShown) -> str:
        """The follow-up form as the user sees it: its heading and one line per indicator."""

    @abstractmethod
    def field_labels(self, form: FormShown) -> list[str]:
        """The labels of the form's fields, in order."""

    @abstractmethod
    def form_text(self, form: FormShown) -> str:
        """The form as text."""

    def action(self, person_id: str, what: str, answer: str) -> None:
        who = self.person(person_id).name
        self.act.actions.append(Entry(self.clock.now(), f"{who}: {what}", answer))

    # what the app did --------------------------------------------------------------------------
    @abstractmethod
    def texts_in(self, place: str) -> list[str]:
        """The texts of the messages in `place`, as they stand now."""

    @abstractmethod
    def update_count(self) -> int:
        """How many times the app has updated a message in place."""

    def wait(self, condition: Callable[[], object]) -> None:
        """Wait for the work the app does after answering a request, check that it did what `condition` says,
        then record what it sent."""
        self.settle()
        if not condition():
            raise RuntimeError("the app finished a step without doing what the demo expects of it")
        self.collect()

    @abstractmethod
    def settle(self) -> None:
        """Wait until the app is done with what users asked of it."""

    @abstractmethod
    def collect(self) -> None:
        """Record every message, update and file the fake platform received since last time."""

    def plan_traffic(self, row: Delivery | None) -> bool:
        """Whether an outbox row is plan traffic that later acts count instead of showing (the board's preparation
        reminders among it, but in the board's act: they replace the plan items that reminded before each
        meeting)."""
        if not self.hide_plan or row is None:
            return False
        plan_items = {item.id for item in self.config.plan}
        return (
            row.source == Source.PLAN
            or (row.source == Source.BOARD_PREPARATION and not self.show_preparation)
            or (row.source in REPORT_SOURCES and row.item_id in plan_items)
        )

    def delivery(self, delivery_id: int) -> Delivery | None:
        with session_scope(self.runtime.engine) as session:
            row = session.get(Delivery, delivery_id)
            if row is not None:
                session.expunge(row)
            return row
