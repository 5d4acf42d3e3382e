"""The configuration's structure: pydantic models, one per section of the YAML file."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from bot.config.board_model import BoardConfig
from bot.config.cases_model import CasesConfig
from bot.config.channels import Channel
from bot.config.followup_model import FollowupRound, Goal
from bot.config.section import Id, Section, not_before
from bot.config.surveys_model import Survey
from bot.plan.recurrence import RuleError, first_occurrence, parse_rule
from storage.platform import Platform

SlackUserId = Annotated[str, StringConstraints(pattern=r"^[UW][A-Z0-9]{2,}$")]
# A Microsoft Entra object id (a GUID): who a person is in Teams.
EntraObjectId = Annotated[
    str, StringConstraints(pattern=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
]
Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
NonWorkingDayRule = Literal["previous", "next", "keep"]


class Association(Section):
    id: Id
    name: str
    short_name: str
    timezone: str = "Europe/Stockholm"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone '{value}'") from exc
        return value


class Settings(Section):
    # At least an hour: an occurrence that falls between two ticks is only seconds late, never "missed".
    grace_period_hours: int = Field(default=24, ge=1, le=24 * 14)
    default_time: dt.time = dt.time(8, 0)
    # How long finished outbox rows (delivery logs) are kept; longer than any grace period, so pruning can never
    # make an occurrence look unqueued. The README's "Retention of delivery rows" says why two years.
    delivery_log_days: int = Field(default=730, ge=30, le=3650)


class Person(Section):
    """Someone the bot reaches on one platform: `platform` when given; else Slack with a slack_id, Teams with a
    teams_id; the loader gives a person with neither the association's first platform (an e-mail is looked up
    there when sending)."""

    id: Id
    name: str
    email: Email | None = None
    slack_id: SlackUserId | None = None
    teams_id: EntraObjectId | None = None
    platform: Platform | None = None

    @model_validator(mode="after")
    def _reachable(self) -> "Person":
        if not self.email and not self.slack_id and not self.teams_id:
            raise ValueError("a person needs an email, a slack_id or a teams_id")
        if self.platform == Platform.SLACK and not (self.slack_id or self.email):
            raise ValueError("a person reached on Slack needs a slack_id or an email")
        if self.platform == Platform.TEAMS and not (self.teams_id or self.email):
            raise ValueError("a person reached on Teams needs a teams_id or an email")
        return self

    @property
    def chat_platform(self) -> Platform:
        """The one platform this person is reached on."""
        if self.platform is not None:
            return self.platform
        if self.slack_id:
            return Platform.SLACK
        return Platform.TEAMS if self.teams_id else Platform.SLACK


class Member(Section):
    """A member municipality."""

    id: Id
    name: str
    chief: Id
    channel: Channel | None = None
    # Who acknowledges what the board sends the municipality, when not its chief.
    contact: Id | None = None
    # The municipality's contact persons per service of the catalogue (a service id, or "default" for the services
    # not listed): who answers the BAS surveys about that service. Without any, its chief answers.
    service_contacts: dict[Id, list[Id]] = {}

    @property
    def acknowledger(self) -> Id:
        """The person who acknowledges the board's digests for this municipality."""
        return self.contact or self.chief

    def contacts_for(self, service_id: str) -> list[Id]:
        """The people who answer for this municipality about `service_id`."""
        return self.service_contacts.get(service_id) or self.service_contacts.get("default") or [self.chief]


class Department(Section):
    id: Id
    name: str
    head: Id
    deputy: Id | None = None
    channel: Channel | None = None


ForumKind = Literal["board", "presidium", "leadership_group", "wide_group", "steering_group", "other"]


class Forum(Section):
    id: Id
    name: str
    kind: ForumKind
    channel: Channel | None = None
    members: list[Id] = []


class ChairTerm(Section):
    """One term of the rotating chair municipality."""

    member: Id
    start: dt.date
    end: dt.date

    _ordered = not_before("end", "start", "end is before start")


class Service(Section):
    """An entry in the service catalogue; base services go to every member."""

    id: Id
    name: str
    kind: Literal["base", "optional"]
    department: Id
    members: list[Id] = []

    @model_validator(mode="after")
    def _optional_lists_members(self) -> "Service":
        if self.kind == "optional" and not self.members:
            raise ValueError("an optional service must list the members that take it")
        if self.kind == "base" and self.members:
            raise ValueError("a base service goes to every member; remove its members list")
        return self


class Event(Section):
    """A dated event in the association's calendar, such as a board meeting."""

    id: Id
    kind: Id
    title: str
    date: dt.date
    time: dt.time | None = None
    forum: Id | None = None
    # A cancelled event keeps its entry (so what was sent about it can still be shown) but nothing more goes out.
    cancelled: bool = False


class Audience(Section):
    forums: list[Id] = []
    roles: list[Id] = []
    departments: list[Id] | Literal["all"] = []
    members: list[Id] | Literal["all"] = []
    people: list[Id] = []
    channels: list[Channel] = []

    @model_validator(mode="after")
    def _not_empty(self) -> "Audience":
        if not any([self.forums, self.roles, self.departments, self.members, self.people, self.channels]):
            raise ValueError("the audience is empty")
        return self


class Schedule(Section):
    """Either an RFC 5545 RRULE from `start`, or an offset from each matching configured event."""

    rrule: str | None = None
    start: dt.date | None = None
    relative_to: Id | None = None
    offset_working_days: int | None = None
    offset_days: int | None = None
    time: dt.time | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Schedule":
        if bool(self.rrule) == bool(self.relative_to):
            raise ValueError("give either rrule (with start) or relative_to, not both or neither")
        if self.rrule:
            if self.start is None:
                raise ValueError("an rrule schedule needs a start date")
            if self.offset_days is not None or self.offset_working_days is not None:
                raise ValueError("offsets belong to relative_to schedules")
            self._check_rrule(self.rrule, self.start)
        if self.relative_to and self.offset_days is not None and self.offset_working_days is not None:
            raise ValueError("give offset_days or offset_working_days, not both")
        return self

    @staticmethod
    def _check_rrule(text: str, start: dt.date) -> None:
        """The rule is RFC 5545, fits a once-a-day item and has an occurrence on or after `start`."""
        try:
            rule = parse_rule(text)
        except RuleError as exc:
            raise ValueError(f"rrule is not a valid RFC 5545 RRULE: {exc}") from exc
        first = first_occurrence(rule, start)
        if first is None:
            raise ValueError("the rrule never occurs: no date matches all of its parts")
        until = rule.until.date() if isinstance(rule.until, dt.datetime) else rule.until
        # A day's room: a UTC or wall-clock UNTIL on the eve may still be after the first occurrence's time.
        if until is not None and first > until + dt.timedelta(days=1):
            raise ValueError(f"the rrule ends (UNTIL) before its first occurrence, {first.isoformat()}")


# The names an item's message template may use (bot.plan.compose gives them their values).
MESSAGE_NAMES = ("association", "item", "at", "event", "chair", "recipient", "owner")


class PlanItem(Section):
    """One line of the communication plan."""

    id: Id
    title: str
    purpose: str
    audience: Audience
    delivery: Literal["channel", "dm"]
    schedule: Schedule
    owner: Id
    message: str
    non_working_day: NonWorkingDayRule = "previous"
    # Each message carries the acknowledge button ("Kvitterat"); an audience that has not acknowledged an
    # occurrence `acknowledge_reminder_working_days` after it was sent is reminded once, and after
    # `acknowledge_escalate_working_days` the item's owner is told who is missing (either left out: not done).
    acknowledge: bool = False
    acknowledge_reminder_working_days: int | None = Field(default=None, ge=1, le=30)
    acknowledge_escalate_working_days: int | None = Field(default=None, ge=1, le=60)

    @model_validator(mode="after")
    def _acknowledgement_rule(self) -> "PlanItem":
        reminder, escalation = self.acknowledge_reminder_working_days, self.acknowledge_escalate_working_days
        if not self.acknowledge and (reminder is not None or escalation is not None):
            raise ValueError("acknowledge_reminder_working_days and _escalate_working_days need acknowledge: true")
        if reminder is not None and escalation is not None and escalation <= reminder:
            raise ValueError("acknowledge_escalate_working_days must be later than acknowledge_reminder_working_days")
        return self


class AssociationConfig(Section):
    association: Association
    # The chat platforms the association uses; each person and channel is reached on one of them.
    platforms: list[Platform] = Field(default=[Platform.SLACK], min_length=1)
    settings: Settings = Settings()
    people: list[Person]
    roles: dict[Id, Id]
    members: list[Member]
    departments: list[Department]
    forums: list[Forum] = []
    chair_rotation: list[ChairTerm] = []
    services: list[Service] = []
    events: list[Event] = []
    plan: list[PlanItem] = []
    goals: list[Goal] = []
    followup_rounds: list[FollowupRound] = []
    cases: CasesConfig | None = None
    board: BoardConfig | None = None
    surveys: list[Survey] = []
    _indexes: dict[str, dict] = PrivateAttr(default_factory=dict)

    def person(self, person_id: str) -> Person:
        return self._index("people")[person_id]

    def forum(self, forum_id: str) -> Forum:
        return self._index("forums")[forum_id]

    def department(self, department_id: str) -> Department:
        return self._index("departments")[department_id]

    def member(self, member_id: str) -> Member:
        return self._index("members")[member_id]

    def plan_item(self, item_id: str) -> PlanItem:
        return self._index("plan")[item_id]

    def find_person(self, person_id: str | None) -> Person | None:
        """The person, or None when there is no id or the configuration no longer has them (they left)."""
        return self._index("people").get(person_id) if person_id else None

    def find_department(self, department_id: str | None) -> Department | None:
        """The department, or None when there is no id or the configuration no longer has it."""
        return self._index("departments").get(department_id) if department_id else None

    def role_holder(self, role: str) -> Person:
        return self.person(self.roles[role])

    def chair_on(self, day: dt.date) -> Member | None:
        """The chair municipality on `day`, if the rotation covers it."""
        for term in self.chair_rotation:
            if term.start <= day <= term.end:
                return self.member(term.member)
        return None

    def _index(self, section: str) -> dict:
        if section not in self._indexes:
            self._indexes[section] = {entry.id: entry for entry in getattr(self, section)}
        return self._indexes[section]
