"""Releasing a meeting's digests: once, and from then on its decisions are final. Each audience gets what is
meant for it, through the outbox:

- each member municipality's channel: the decisions that concern it and the general ones (concerns_all), with
  the acknowledge button;
- the leadership group's channel: every decision, with its owner and due date;
- the staff channel: every decision, each marked internal or public;
- the public channel: a summary of the public decisions only;
- each owner of a decision task: a DM that carrying it out is theirs, and by when.

An audience with nothing to read, or without a channel, gets no message."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.acknowledgements.subjects import board_digest_subject, member_audience
from bot.board.decisions import (
    BoardRefused,
    Refusal,
    department_ids,
    held_meeting,
    lock_meeting,
    meeting_decisions,
    member_ids,
)
from bot.config.model import AssociationConfig, Event, Person
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.delivery.platform import Senders
from bot.delivery.sender import Sender, SendReport
from bot.people import Recipient, channel_recipient, person_recipient
from bot.permissions import Action, require
from bot.replays import claim
from messages.actions import ACKNOWLEDGE_BUTTONS_ID, acknowledge_button
from messages.labels import labels
from messages.message import Message
from messages.render import render
from storage import outbox
from storage.board import BoardDecision, BoardDigestRelease
from storage.engine import session_scope
from storage.outbox import Delivery

_AUDIENCES = labels("board.decisions.audiences")
MEMBER, LEADERSHIP, STAFF, PUBLIC = "member", keys.BOARD_LEADERSHIP, keys.BOARD_STAFF, keys.BOARD_PUBLIC


@dataclass(frozen=True)
class DecisionView:
    """A decision as the digests show it: whom it concerns and who carries it out, by name."""

    position: int
    title: str
    summary: str
    case_number: str | None
    public: bool
    concerns_all: bool
    member_ids: tuple[str, ...]
    concerns: tuple[str, ...]  # the names of the members and departments it concerns
    owner: str | None
    due: date | None


def decision_view(config: AssociationConfig, decision: BoardDecision) -> DecisionView:
    members = {member.id: member.name for member in config.members}
    names = [members[i] for i in member_ids(decision) if i in members]
    names += [d.name for d in map(config.find_department, department_ids(decision)) if d is not None]
    owner = config.find_person(decision.owner)
    return DecisionView(
        position=decision.position,
        title=decision.title,
        summary=decision.summary,
        case_number=decision.case_number,
        public=decision.public,
        concerns_all=decision.concerns_all,
        member_ids=tuple(member_ids(decision)),
        concerns=tuple(names),
        owner=owner.name if owner else None,
        due=decision.due,
    )


@dataclass(frozen=True)
class Released:
    """What releasing a meeting's digests queued: the audiences by name and the owners told."""

    meeting: Event
    decisions: int
    audiences: tuple[str, ...]
    owners: tuple[str, ...]


def release_digests(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    meeting_id: str,
    now: datetime,
    request_key: str | None = None,
) -> Released:
    """Make the meeting's decisions final and queue its digests, once: a second release is refused."""
    require(config, person, Action.RELEASE_BOARD_DIGESTS)
    meeting = held_meeting(config, meeting_id, now)
    lock_meeting(session, meeting)
    claim(session, request_key, now)
    decisions = meeting_decisions(session, meeting.id)
    if not decisions:
        raise BoardRefused(Refusal.NO_DECISIONS, meeting)
    try:
        with session.begin_nested():
            session.add(BoardDigestRelease(meeting_id=meeting.id, released_by=person.id, released_at=now))
    except IntegrityError:  # released meanwhile by a request that did not wait for the lock (SQLite never)
        raise BoardRefused(Refusal.RELEASED, meeting) from None
    views = [decision_view(config, decision) for decision in decisions]
    audiences: list[str] = []
    rows: list[dict] = []
    for audience, recipient, message in digest_messages(config, meeting, views):
        rows += message_rows(
            key=keys.board_digest(meeting.id, audience),
            recipient=recipient,
            message=message,
            due_at=now,
            now=now,
            owner=person.id,  # whoever released them hears of a digest that could not be delivered
        )
        audiences.append(recipient.label)
    owners = []
    for decision, view in zip(decisions, views, strict=True):
        owner = config.find_person(decision.owner)
        if owner is None or decision.due is None or decision.id is None:
            continue
        text = render("board_digest_task", meeting=meeting, decision=view, board=config.board)
        rows += message_rows(
            key=keys.board_task_assigned(meeting.id, decision.id),
            recipient=person_recipient(owner),
            message=Message(text=text),
            due_at=now,
            now=now,
            owner=person.id,
        )
        owners.append(owner.name)
    outbox.enqueue(session, rows)
    return Released(meeting, len(decisions), tuple(audiences), tuple(dict.fromkeys(owners)))


def digest_messages(
    config: AssociationConfig, meeting: Event, decisions: list[DecisionView]
) -> list[tuple[str, Recipient, Message]]:
    """(audience, where, what) for every audience that has a channel and something to read."""
    board = config.board
    assert board is not None  # only a configured board releases digests
    found: list[tuple[str, Recipient, Message]] = []
    for member in config.members:
        concerning = [d for d in decisions if d.concerns_all or member.id in d.member_ids]
        if member.channel and concerning:
            audience = member_audience(member.id)
            text = render("board_digest", audience=MEMBER, meeting=meeting, decisions=concerning, member=member)
            button = acknowledge_button(board_digest_subject(meeting.id), audience)
            message = Message(text=text, buttons=(button,), buttons_id=ACKNOWLEDGE_BUTTONS_ID)
            found.append((audience, channel_recipient(member.channel, member.name), message))
    forum = config.forum(board.leadership_group) if board.leadership_group else None
    channels = [
        (LEADERSHIP, forum.channel if forum else None, forum.name if forum else "", decisions),
        (STAFF, board.staff_channel, _AUDIENCES["staff"], decisions),
        (PUBLIC, board.public_channel, _AUDIENCES["public"], [d for d in decisions if d.public]),
    ]
    for audience, channel, label, shown in channels:
        if channel and shown:
            text = render("board_digest", audience=audience, meeting=meeting, decisions=shown, member=None)
            found.append((audience, channel_recipient(channel, label), Message(text=text)))
    return found


def released_rows(session: Session, meeting_id: str) -> list[int]:
    """The ids of the outbox rows a meeting's release queued (to send them at once, without waiting for the
    tick)."""
    statement = select(Delivery.id).where(
        Delivery.item_id == meeting_id,
        or_(
            Delivery.source == keys.Source.BOARD_DIGEST,
            and_(Delivery.source == keys.Source.BOARD_DECISIONS, Delivery.kind == keys.Kind.BOARD_TASK_ASSIGNED),
        ),
    )
    return list(session.scalars(statement))


def send_released(
    engine: Engine, senders: Senders, config: AssociationConfig, meeting_id: str, now: datetime
) -> SendReport:
    """Send what the meeting's release queued straight away (the secretary sees it go); the rest of the outbox is
    left to the tick, and so is anything of these that fails now."""
    with session_scope(engine) as session:
        ids = released_rows(session, meeting_id)
    return Sender(engine, senders, config).send_rows(ids, now)
