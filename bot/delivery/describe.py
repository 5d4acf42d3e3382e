"""What an outbox row carried and where it went, as neutral facts that messages.deliveries puts into Swedish.

Every row carries its kind (and, for a follow-up ask, its department), stored by bot.delivery.keys when it was
queued, so a report or the status never has to guess what a row was, nor parse its key.
"""

from sqlmodel import Session

from bot.board.meetings import find_meeting
from bot.config.model import AssociationConfig
from bot.delivery.keys import Source
from bot.followup.rounds import find_round
from bot.people import RecipientKey, RecipientKind
from messages.deliveries import DeliveryKind, DeliveryWhat, Place, PlaceKind
from messages.swedish import date_long
from storage import cases as case_store
from storage.board import BoardDecision
from storage.outbox import Delivery


def delivery_kind(row: Delivery) -> DeliveryKind:
    """The kind of message a row carries, as its key's builder stored it."""
    return DeliveryKind(row.kind) if row.kind in DeliveryKind.__members__.values() else DeliveryKind.UNKNOWN


def what_was_sent(session: Session, config: AssociationConfig, row: Delivery) -> DeliveryWhat:
    """The facts a Swedish description of `row` needs: its kind, its subject and its recipient."""
    kind = delivery_kind(row)
    return DeliveryWhat(kind, _subject(session, config, row, kind), _place(config, row))


def _subject(session: Session, config: AssociationConfig, row: Delivery, kind: DeliveryKind) -> str:
    if kind == DeliveryKind.PLAN:
        item = next((item for item in config.plan if item.id == row.item_id), None)
        return item.title if item else row.item_id
    if row.source == Source.FOLLOWUP:
        round_ = find_round(config, row.item_id)
        return round_.name if round_ else row.item_id
    if row.source == Source.BOARD_PREPARATION:
        meeting = find_meeting(config, row.item_id)
        return f"{meeting.title} {date_long(meeting.date)}" if meeting else row.item_id

    if row.source == Source.SURVEY:
        survey = next((survey for survey in config.surveys if survey.id == row.item_id), None)
        return survey.name if survey else row.item_id

    if row.source in (Source.BOARD_DECISIONS, Source.BOARD_DIGEST):
        meeting = find_meeting(config, row.item_id)
        return f"{meeting.title} {date_long(meeting.date)}" if meeting else row.item_id
    if row.source == Source.CASE and row.item_id.isdigit():
        case = case_store.get_case(session, int(row.item_id))
        return case.number if case else row.item_id
    if row.source == Source.BOARD_TASK and row.item_id.isdigit():
        decision = session.get(BoardDecision, int(row.item_id))
        return decision.title if decision else row.item_id
    if row.source == Source.BOARD_EXPORT:
        return row.item_id  # the year
    return ""


def _place(config: AssociationConfig, row: Delivery) -> Place:
    recipient = RecipientKey.read(row.recipient)
    if recipient.kind == RecipientKind.CHANNEL:
        return channel_place(config, recipient.ident)
    if recipient.kind == RecipientKind.USER:  # a case's reporter, known to the outbox only by platform id
        return Place(PlaceKind.REPORTER)
    person = config.find_person(recipient.ident) if recipient.kind == RecipientKind.PERSON else None
    if person is None:
        return Place(PlaceKind.UNKNOWN)
    return Place(PlaceKind.PERSON, person.name, _acting_for(config, row))


def _acting_for(config: AssociationConfig, row: Delivery) -> str:
    """The department a follow-up ask is about, by name."""
    department = config.find_department(row.about)
    return department.name if department else ""


def channel_place(config: AssociationConfig, channel: str) -> Place:
    """A channel by the name the configuration gives it; one it does not name is left for Slack to name."""
    for routing in config.cases.routing if config.cases else []:
        if routing.triage_channel == channel and not channel.startswith("#"):
            department = config.find_department(routing.department)
            if department is not None:
                return Place(PlaceKind.TRIAGE_CHANNEL, department.name)
    for section in (config.forums, config.departments, config.members):
        for entry in section:
            if entry.channel == channel:
                return Place(PlaceKind.CHANNEL, entry.name)
    if channel.startswith("#"):
        return Place(PlaceKind.NAMED_CHANNEL, channel)
    return Place(PlaceKind.SLACK_CHANNEL, channel)
