"""Who a write concerns: the writes that change someone's tasks mark those people's stored views dirty here, in
the write's own transaction, so the next opening (or the tick) renders them again."""

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from bot.acknowledgements.audiences import acknowledgers, plan_audience
from bot.cases.permissions import case_handlers, department_routed
from bot.config.model import AssociationConfig
from bot.config.surveys_model import Survey
from bot.delivery.keys import Source
from bot.surveys.audience import contacts_per_member
from storage.board import BoardDecision
from storage.home import mark_dirty, mark_dirty_with_delegates
from storage.outbox import Delivery, DeliveryStatus


def mark_department(session: Session, config: AssociationConfig, department_id: str) -> None:
    """Everyone whose tasks a department's follow-up answers or cases are: its head and deputy, whoever a round
    was handed to, and its case handlers."""
    department = config.find_department(department_id)
    people: list[str | None] = [department.head, department.deputy] if department else []
    if department_routed(config, department_id):
        people += [person.id for person in case_handlers(config, department_id)]
    mark_dirty_with_delegates(session, people, department_id)


def mark_audience(session: Session, config: AssociationConfig, audience: str) -> None:
    """Those who acknowledge for `audience` (nobody's task when anyone may)."""
    mark_dirty(session, acknowledgers(config, audience))


def mark_survey_member(session: Session, config: AssociationConfig, survey: Survey, member_id: str) -> None:
    """Everyone a survey asks for a municipality: an anonymous answer changes what each of them is told."""
    mark_dirty(session, contacts_per_member(config, survey).get(member_id, []))


def mark_sent(session: Session, config: AssociationConfig, since: datetime | None, now: datetime) -> None:
    """The people whose tasks messages sent since `since` made: a member's acknowledger for a board digest (and
    the owners of the meeting's decisions, which the release made tasks), those who acknowledge a plan message
    that asks for it."""
    acknowledged = {item.id for item in config.plan if item.acknowledge}
    statement = select(Delivery.source, Delivery.item_id, Delivery.recipient, Delivery.about).where(
        Delivery.status == DeliveryStatus.SENT,
        Delivery.source.in_([Source.BOARD_DIGEST, Source.PLAN]),
        Delivery.sent_at <= now,
    )
    if since is not None:
        statement = statement.where(Delivery.sent_at > since)
    people: set[str] = set()
    meetings: set[str] = set()
    for source, item_id, recipient, about in session.execute(statement):
        if source == Source.BOARD_DIGEST:
            meetings.add(item_id)
            member = next((m for m in config.members if m.id == about), None)
            people.update([member.acknowledger] if member else [])
        elif item_id in acknowledged:
            people.update(acknowledgers(config, plan_audience(config, recipient)))
    if meetings:
        owners = select(BoardDecision.owner).where(BoardDecision.meeting_id.in_(sorted(meetings)))
        people.update(owner for owner in session.scalars(owners) if owner)
    mark_dirty(session, people)
