"""The figures behind `direktion kvittenser` and the acknowledgement part of `kommunikationsplan status`: per
message and audience, delivered, acknowledged (by whom, when) or missing, and the sums per meeting, per member and
per plan occurrence. 'Missing' is delivered and not acknowledged; a message not delivered (still on its way, or
failed) is counted as such, not as missing."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.acknowledgements.audiences import audience_name, find_member, plan_audience
from bot.acknowledgements.carriers import who_and_when
from bot.acknowledgements.deliveries import Arrival, Sent, digests_to_members, latest_plan_occurrences
from bot.acknowledgements.records import acknowledgements_of
from bot.acknowledgements.subjects import board_digest_subject, member_audience, plan_subject
from bot.board.meetings import find_meeting
from bot.config.model import AssociationConfig, Event, PlanItem
from bot.local_time import local_date, local_zone

MISSING_NAMES_SHOWN = 10  # an occurrence to many people lists this many of those missing, then a count
OCCURRENCES_SHOWN = 3  # the latest occurrences of each plan item that asks for acknowledgement
NOT_SENT = datetime.max.replace(tzinfo=UTC)  # an occurrence none of whose messages is sent yet is the latest


@dataclass(frozen=True)
class AudienceState:
    """One audience's message: delivered or not, and who acknowledged it when (None: nobody yet)."""

    name: str
    arrival: Arrival
    sent_at: datetime | None
    by: str | None = None
    at: datetime | None = None

    @property
    def missing(self) -> bool:
        return self.arrival == Arrival.SENT and self.by is None


@dataclass(frozen=True)
class Figures:
    """Sums over some audiences' messages."""

    delivered: int
    acknowledged: int
    missing: int
    undelivered: int

    @classmethod
    def of(cls, states: Iterable[AudienceState]) -> "Figures":
        states = list(states)
        delivered = sum(state.arrival == Arrival.SENT for state in states)
        acknowledged = sum(state.by is not None for state in states)
        missing = sum(state.missing for state in states)
        return cls(delivered, acknowledged, missing, len(states) - delivered)


@dataclass(frozen=True)
class MeetingAcknowledgements:
    meeting_id: str
    event: Event | None
    day: date  # the meeting's date, or the day its first digest was queued when the configuration lost it
    audiences: list[AudienceState]

    @property
    def figures(self) -> Figures:
        return Figures.of(self.audiences)


@dataclass(frozen=True)
class BoardAcknowledgements:
    """One meeting's audiences, and the year so far: each meeting's sums and each member's."""

    meeting: MeetingAcknowledgements | None
    year: int
    meetings: list[MeetingAcknowledgements]
    members: list[tuple[str, Figures]]
    asked_for: str = ""  # a meeting asked for that has no digests


def board_acknowledgements(
    session: Session, config: AssociationConfig, meeting_id: str, now: datetime
) -> BoardAcknowledgements:
    """The meeting `meeting_id` (or, for "", the latest with digests) and the year so far up to `now`."""
    zone = local_zone(config)
    meetings = _meetings(session, config, zone)
    chosen = next((m for m in meetings if m.meeting_id == meeting_id), None) if meeting_id else None
    if chosen is None and not meeting_id:
        today = local_date(config, now)
        chosen = max((m for m in meetings if m.day <= today), key=lambda m: m.day, default=None)
    year = chosen.day.year if chosen else now.astimezone(zone).year
    in_year = [m for m in meetings if m.day.year == year and (chosen is None or m.day <= chosen.day)]
    names = [member.name for member in config.members]
    by_member = {name: Figures.of(a for m in in_year for a in m.audiences if a.name == name) for name in names}
    members = [(name, figures) for name, figures in by_member.items() if figures != Figures(0, 0, 0, 0)]
    asked_for = meeting_id if meeting_id and chosen is None else ""
    return BoardAcknowledgements(chosen, year, in_year, members, asked_for)


def _meetings(session: Session, config: AssociationConfig, zone: ZoneInfo) -> list[MeetingAcknowledgements]:
    """Every meeting with digests to members, in date order."""
    by_meeting: dict[str, dict[str, Sent]] = {}
    for message in digests_to_members(session):
        if message.about is not None and find_member(config, message.about) is not None:
            audiences = by_meeting.setdefault(message.item_id, {})
            audience = member_audience(message.about)
            audiences[audience] = _best(audiences.get(audience), message)
    subjects = {board_digest_subject(meeting_id) for meeting_id in by_meeting}
    acknowledged = acknowledgements_of(session, subjects)
    found = []
    for meeting_id, audiences in by_meeting.items():
        event = find_meeting(config, meeting_id)
        subject = board_digest_subject(meeting_id)
        states = [_state(config, acknowledged, subject, audience, sent) for audience, sent in audiences.items()]
        states.sort(key=lambda state: [m.name for m in config.members].index(state.name))
        first_sent = min((s.sent_at for s in audiences.values() if s.sent_at), default=None)
        day = event.date if event else (first_sent.astimezone(zone).date() if first_sent else date.min)
        found.append(MeetingAcknowledgements(meeting_id, event, day, states))
    return sorted(found, key=lambda meeting: (meeting.day, meeting.meeting_id))


def _best(known: Sent | None, other: Sent) -> Sent:
    """Of two messages to one audience (a digest sent again), the one that arrived first."""
    if known is None or (known.arrival != Arrival.SENT and other.arrival == Arrival.SENT):
        return other
    return known


def _state(config: AssociationConfig, acknowledged: dict, subject: str, audience: str, sent: Sent) -> AudienceState:
    found = acknowledged.get((subject, audience))
    who = who_and_when(config, found) if found is not None else {"who": None, "at": None}
    return AudienceState(audience_name(config, audience), sent.arrival, sent.sent_at, who["who"], who["at"])


@dataclass(frozen=True)
class OccurrenceAcknowledgements:
    """One occurrence of a plan item that asks for acknowledgement: its sums and who is missing."""

    item: PlanItem
    occurrence_key: str
    sent_at: datetime | None
    figures: Figures
    missing: list[str]
    more_missing: int


def plan_acknowledgements(session: Session, config: AssociationConfig) -> list[OccurrenceAcknowledgements]:
    """The latest occurrences of each plan item with `acknowledge: true`, in the plan's order, oldest first."""
    items = {item.id: item for item in config.plan if item.acknowledge}
    occurrences: dict[tuple[str, str], dict[str, Sent]] = {}
    for message in latest_plan_occurrences(session, set(items), OCCURRENCES_SHOWN):
        audiences = occurrences.setdefault((message.item_id, message.occurrence_key), {})
        audience = plan_audience(config, message.recipient)
        audiences[audience] = _best(audiences.get(audience), message)
    acknowledged = acknowledgements_of(session, {plan_subject(*key) for key in occurrences})
    shown: list[OccurrenceAcknowledgements] = []
    for item in items.values():
        keys_of_item = [key for key in occurrences if key[0] == item.id]
        for key in sorted(keys_of_item, key=lambda key: _first_sent(occurrences[key]) or NOT_SENT):
            subject = plan_subject(*key)
            states = [_state(config, acknowledged, subject, a, sent) for a, sent in occurrences[key].items()]
            missing = [state.name for state in states if state.missing]
            shown.append(
                OccurrenceAcknowledgements(
                    item, key[1], _first_sent(occurrences[key]), Figures.of(states),
                    missing[:MISSING_NAMES_SHOWN], max(len(missing) - MISSING_NAMES_SHOWN, 0),
                )
            )  # fmt: skip
    return shown


def _first_sent(audiences: dict[str, Sent]) -> datetime | None:
    return min((sent.sent_at for sent in audiences.values() if sent.sent_at), default=None)
