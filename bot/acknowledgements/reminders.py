"""The scheduler's producer of acknowledgement reminders and escalations, each queued once, through the outbox.

A member municipality's board digest that is not acknowledged `board.follow_up.remind_working_days` working days
after it was sent (at the same time of day) gets one reminder, with the button, to the member's acknowledger; after
`escalate_working_days` the director gets one message listing the members still missing. A plan item with
`acknowledge: true` does the same with its own working days: the reminder to the person of a DM, the acknowledger
of a member's channel, or the channel itself; the list of who is missing to the item's owner.

Escalations are grouped by the day they fall due, so messages sent together are escalated in one message. A
reminder or escalation is still queued after downtime, up to LATE_LIMIT_WORKING_DAYS after it fell due; what
was sent before that window is not looked at again (it keeps the tick's reading small however long the history).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

from sqlmodel import Session

from bot.acknowledgements.audiences import audience_name, find_member, plan_audience, reminder_recipient
from bot.acknowledgements.deliveries import Arrival, Sent, digests_to_members, plan_messages
from bot.acknowledgements.records import acknowledgements_of
from bot.acknowledgements.subjects import (
    CHANNEL,
    MEMBER,
    board_digest_subject,
    member_audience,
    parse_audience,
    plan_subject,
)
from bot.board.meetings import find_meeting
from bot.config.model import AssociationConfig, Member, PlanItem
from bot.delivery import keys
from bot.delivery.keys import OutboxKey
from bot.delivery.outbox_rows import message_rows
from bot.local_time import local_date, local_zone
from bot.people import Recipient, person_recipient
from bot.workdays import add_working_days
from messages.actions import ACKNOWLEDGE_BUTTONS_ID, acknowledge_button
from messages.message import Message
from messages.render import render
from storage import outbox

log = logging.getLogger(__name__)
LATE_LIMIT_WORKING_DAYS = 10


@dataclass(frozen=True)
class Missing:
    """An audience that has not acknowledged a message it got at `sent_at`."""

    subject: str
    audience: str
    sent_at: datetime


def enqueue_acknowledgement_reminders(session: Session, config: AssociationConfig, now: datetime) -> int:
    """Queue every acknowledgement reminder and escalation due by `now`; returns how many rows were new."""
    rows = _board_rows(session, config, now) + _plan_rows(session, config, now)
    queued = outbox.enqueue(session, rows)
    if queued:
        log.info("queued %d acknowledgement reminder(s) and escalation(s)", queued)
    return queued


def working_days_after(config: AssociationConfig, moment: datetime, days: int) -> datetime:
    """The same time of day `days` working days after `moment`, in the association's time zone."""
    zone = local_zone(config)
    local = moment.astimezone(zone)
    return datetime.combine(_working_days_on(local.date(), days), local.time(), zone)


@lru_cache(maxsize=1024)
def _working_days_on(day: date, days: int) -> date:
    """add_working_days, remembered: the messages of one occurrence share their day."""
    return add_working_days(day, days)


def _since(config: AssociationConfig, now: datetime, days: int) -> datetime:
    """The earliest send time whose reminders or escalations (at most `days` working days on) may still be due."""
    first = add_working_days(local_date(config, now), -(days + LATE_LIMIT_WORKING_DAYS))
    return datetime.combine(first, time(0), local_zone(config))


def _missing(session: Session, sent: list[tuple[str, str, Sent]], since: datetime) -> list[Missing]:
    """Of the (subject, audience, message) given, those delivered since `since` and not acknowledged, once per
    subject and audience (the earliest delivery counts)."""
    delivered = [(s, a, m) for s, a, m in sent if m.arrival == Arrival.SENT and m.sent_at and m.sent_at >= since]
    acknowledged = acknowledgements_of(session, {subject for subject, _, _ in delivered})
    earliest: dict[tuple[str, str], datetime] = {}
    for subject, audience, message in delivered:
        if (subject, audience) not in acknowledged and message.sent_at is not None:
            earliest[(subject, audience)] = min(earliest.get((subject, audience), message.sent_at), message.sent_at)
    return [Missing(subject, audience, at) for (subject, audience), at in earliest.items()]


class _Queue:
    """The reminders and escalations due, skipping those already in the outbox."""

    def __init__(self, session: Session, config: AssociationConfig, now: datetime, missing: list[Missing]):
        self.config, self.now = config, now
        subjects = {entry.subject for entry in missing}
        self.queued = outbox.occurrence_keys_of_items(session, keys.Source.ACKNOWLEDGEMENT, subjects)
        self.rows: list[dict] = []
        self.escalations: dict[tuple[str, date], list[Missing]] = defaultdict(list)

    def reminder_due(self, entry: Missing, days: int | None) -> OutboxKey | None:
        """The key of the entry's reminder when it is due `days` working days after the message was sent and not
        queued yet (None also when the rule has no reminder), so only a reminder that goes out is rendered."""
        key = keys.acknowledgement_reminder(entry.subject, entry.audience)
        if days is None or (entry.subject, key.occurrence) in self.queued:
            return None
        return key if working_days_after(self.config, entry.sent_at, days) <= self.now else None

    def add(self, key: OutboxKey, recipient: Recipient | None, message: Message, owner: str | None) -> None:
        """Queue `message` to `recipient` (none: the configuration no longer has them); `owner` is told if it
        cannot be delivered."""
        if recipient is not None:
            self.rows += message_rows(
                key=key, recipient=recipient, message=message, due_at=self.now, now=self.now, owner=owner
            )

    def note_escalation(self, entry: Missing, days: int | None) -> None:
        """Note the entry for the escalation of its day, when that is due."""
        if days is None:
            return
        due = working_days_after(self.config, entry.sent_at, days)
        if due <= self.now:
            self.escalations[(entry.subject, due.date())].append(entry)

    def escalation_due(self, subject: str, day: date) -> OutboxKey | None:
        """The key of the escalation of `subject` for `day`, unless it is queued already."""
        key = keys.acknowledgement_escalation(subject, day)
        return None if (subject, key.occurrence) in self.queued else key


def _with_button(text: str, entry: Missing) -> Message:
    button = acknowledge_button(entry.subject, entry.audience)
    return Message(text=text, buttons=(button,), buttons_id=ACKNOWLEDGE_BUTTONS_ID)


def _board_rows(session: Session, config: AssociationConfig, now: datetime) -> list[dict]:
    if config.board is None:
        return []
    follow_up = config.board.follow_up
    since = _since(config, now, max(follow_up.remind_working_days, follow_up.escalate_working_days))
    meetings: dict[str, str] = {}
    members: dict[str, Member] = {}
    sent = []
    for message in digests_to_members(session):
        member = find_member(config, message.about or "")
        if member is not None:
            subject, audience = board_digest_subject(message.item_id), member_audience(member.id)
            meetings[subject], members[audience] = message.item_id, member
            sent.append((subject, audience, message))
    missing = _missing(session, sent, since)
    queue = _Queue(session, config, now, missing)
    director = config.find_person(config.roles.get("director"))
    director_id = director.id if director else None
    for entry in missing:
        queue.note_escalation(entry, follow_up.escalate_working_days)
        if (key := queue.reminder_due(entry, follow_up.remind_working_days)) is None:
            continue
        event = find_meeting(config, meetings[entry.subject])
        text = render("ack_board_reminder", member=members[entry.audience], event=event, sent_at=entry.sent_at)
        queue.add(key, reminder_recipient(config, entry.audience), _with_button(text, entry), director_id)
    for (subject, day), entries in queue.escalations.items():
        if (key := queue.escalation_due(subject, day)) is None:
            continue
        event = find_meeting(config, meetings[subject])
        text = render("ack_board_escalation", event=event, missing=[_listed(config, entry) for entry in entries])
        queue.add(key, person_recipient(director) if director else None, Message(text=text), None)
    return queue.rows


def _listed(config: AssociationConfig, entry: Missing) -> dict[str, object]:
    """What an escalation says of one missing audience: its name, who acknowledges for it, when it was sent."""
    recipient = reminder_recipient(config, entry.audience) if _kind(entry.audience) == MEMBER else None
    by = recipient.label if recipient is not None else None
    return {"name": audience_name(config, entry.audience), "by": by, "sent_at": entry.sent_at}


def _kind(audience: str) -> str | None:
    parsed = parse_audience(audience)
    return parsed.kind if parsed is not None else None


def _plan_rows(session: Session, config: AssociationConfig, now: datetime) -> list[dict]:
    items = {item.id: item for item in config.plan if item.acknowledge and _days(item)}
    if not items:
        return []
    since = _since(config, now, max(_days(item) for item in items.values()))
    sent = []
    for message in plan_messages(session, set(items), since):
        subject = plan_subject(message.item_id, message.occurrence_key)
        sent.append((subject, plan_audience(config, message.recipient), message))
    missing = _missing(session, sent, since)
    queue = _Queue(session, config, now, missing)
    item_of = {subject: items[message.item_id] for subject, _, message in sent}
    for entry in missing:
        item = item_of[entry.subject]
        queue.note_escalation(entry, item.acknowledge_escalate_working_days)
        if (key := queue.reminder_due(entry, item.acknowledge_reminder_working_days)) is None:
            continue
        if (recipient := reminder_recipient(config, entry.audience)) is None:
            continue
        kind = _kind(entry.audience)
        member = audience_name(config, entry.audience) if kind == MEMBER else None
        text = render("ack_plan_reminder", item=item, sent_at=entry.sent_at, in_channel=kind == CHANNEL, member=member)
        queue.add(key, recipient, _with_button(text, entry), item.owner)
    for (subject, day), entries in queue.escalations.items():
        if (key := queue.escalation_due(subject, day)) is None:
            continue
        item, listed = item_of[subject], [_listed(config, entry) for entry in entries]
        text = render("ack_plan_escalation", item=item, sent_at=entries[0].sent_at, missing=listed)
        owner = config.find_person(item.owner)
        queue.add(key, person_recipient(owner) if owner else None, Message(text=text), None)
    return queue.rows


def _days(item: PlanItem) -> int:
    """The latest of the item's reminder and escalation, in working days (0: neither)."""
    return max(item.acknowledge_reminder_working_days or 0, item.acknowledge_escalate_working_days or 0)
