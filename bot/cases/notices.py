"""The texts a case produces and the outbox rows that carry them: receipt, triage post, answer, reminders."""

from dataclasses import dataclass
from datetime import datetime

from bot.cases.deadlines import DeadlineNotice
from bot.config.model import AssociationConfig, Person
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.people import Recipient, channel_recipient, person_recipient, person_with_user_id, user_recipient
from bot.permissions import Grant
from messages.actions import triage_buttons, triage_buttons_id
from messages.case_labels import CATEGORY_LABELS, EVENT_DETAILS, EVENT_LABELS, STATUS_LABELS
from messages.message import Message
from messages.render import render
from storage.cases import CaseEvent, CaseStatus, FeedbackCase


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    label: str
    actor: str | None


def _person_name(config: AssociationConfig, person_id: str | None) -> str | None:
    """The person's name, or their id when the configuration no longer has them."""
    person = config.find_person(person_id)
    return person.name if person else person_id


def history_lines(config: AssociationConfig, events: list[CaseEvent]) -> list[HistoryLine]:
    lines = []
    for event in events:
        label = EVENT_LABELS.get(event.kind, event.kind)
        if event.kind == "assigned" and event.detail:
            label = f"{label} {_person_name(config, event.detail)}"
        elif event.kind == "confidential" and event.detail:
            label = f"{label} {event.detail}"
        lines.append(HistoryLine(event.at, label, _person_name(config, event.actor)))
    return lines


def _context(config: AssociationConfig, case: FeedbackCase) -> dict:
    return {
        "case": case,
        "association": config.association,
        "category": CATEGORY_LABELS[case.category],
        "department": config.department(case.department_id),
        "service": next((s for s in config.services if s.id == case.service_id), None),
        "member": next((m for m in config.members if m.id == case.member_id), None),
        "assignee": config.find_person(case.assignee),
        "status": STATUS_LABELS[case.status],
        "channel": triage_channel(config, case),
        # Teams shows a mention by the name it carries; a reporter outside the configuration has none to show.
        "reporter_name": _reporter_name(config, case),
    }


def _reporter_name(config: AssociationConfig, case: FeedbackCase) -> str | None:
    if not case.reporter_user_id:
        return None
    person = person_with_user_id(config.people, case.reporter_user_id)
    return person.name if person else None


def triage_channel(config: AssociationConfig, case: FeedbackCase) -> str:
    return config.cases.routing_for(case.department_id).triage_channel


def triage_text(config: AssociationConfig, case: FeedbackCase, events: list[CaseEvent], restricted: bool) -> str:
    """The triage message; `restricted` shows only number, category and deadline (for confidential cases)."""
    history = history_lines(config, events)
    return render("case_triage", confidential=restricted, history=history, **_context(config, case))


def triage_message(config: AssociationConfig, case: FeedbackCase, events: list[CaseEvent]) -> Message:
    """The channel message as the case stands now, with the buttons that fit its status."""
    text = triage_text(config, case, events, restricted=case.confidential)
    return Message(
        text=text,
        summary=text.splitlines()[0],
        buttons=triage_buttons(
            case.id,
            closed=case.status == CaseStatus.CLOSED,
            new=case.status == CaseStatus.NEW,
            confidential=case.confidential,
        ),
        buttons_id=triage_buttons_id(case.id),
    )


def _rows(key: keys.OutboxKey, recipient: Recipient, message: Message, now: datetime, owner: str | None) -> list[dict]:
    return message_rows(
        key=key,
        recipient=recipient,
        message=message,
        due_at=now,
        now=now,
        owner=owner,
    )


def reporter_recipient(user_id: str) -> Recipient:
    return user_recipient(user_id, EVENT_DETAILS["reporter"])


def triage_rows(config: AssociationConfig, case: FeedbackCase, events: list[CaseEvent], now: datetime) -> list[dict]:
    """The post to the department's triage channel, with the handling buttons."""
    channel = triage_channel(config, case)
    recipient = channel_recipient(channel, channel)
    message = triage_message(config, case, events)
    return _rows(keys.case_triage(case.id), recipient, message, now, _head(config, case))


def receipt_rows(config: AssociationConfig, case: FeedbackCase, now: datetime) -> list[dict]:
    """The DM receipt with the case number; none for an anonymous case (nobody to send it to)."""
    if case.anonymous or not case.reporter_user_id:
        return []
    message = Message(text=render("case_receipt", **_context(config, case)))
    recipient = reporter_recipient(case.reporter_user_id)
    return _rows(keys.case_receipt(case.id), recipient, message, now, _head(config, case))


def answer_rows(
    config: AssociationConfig, case: FeedbackCase, person: Person, answer: str, event_key: str, now: datetime
) -> list[dict]:
    """The answer as a DM to the reporter; none for an anonymous case."""
    if case.anonymous or not case.reporter_user_id:
        return []
    message = Message(text=render("case_answer_dm", answer=answer, person=person, **_context(config, case)))
    recipient = reporter_recipient(case.reporter_user_id)
    return _rows(keys.case_answer(case.id, event_key), recipient, message, now, person.id)


def _head(config: AssociationConfig, case: FeedbackCase) -> str:
    return config.department(case.department_id).head


def notice_rows(config: AssociationConfig, case: FeedbackCase, notice: DeadlineNotice, now: datetime) -> list[dict]:
    """A reminder to the assignee (the department head when unassigned), or an escalation to the quality manager."""
    context = _context(config, case)
    if notice.kind == "reminder":
        person = config.find_person(case.assignee) or config.person(_head(config, case))
        template, owner = "case_reminder", config.roles[Grant.QUALITY_MANAGER]
    else:
        person = config.role_holder(Grant.QUALITY_MANAGER)
        template, owner = "case_escalation", config.roles[Grant.DIRECTOR]
    text = render(template, stage=notice.stage, deadline=notice.deadline, **context)
    return message_rows(
        key=notice.outbox_key(case.id),
        recipient=person_recipient(person),
        message=Message(text=text),
        due_at=notice.at,
        now=now,
        owner=owner,
    )
