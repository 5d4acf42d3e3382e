"""What an outbox row carried and where it went, as neutral facts that messages.deliveries puts into Swedish.

Every producer of outbox rows is known here by its source and its occurrence keys (the plan, follow-up rounds,
cases, the case digest, the reports themselves), so a report or the status never has to guess what a row was.
"""

from sqlmodel import Session

from bot.cases.digest import DIGEST_SOURCE
from bot.config.model import AssociationConfig
from bot.delivery.reports import FAILURE_REPORT_SOURCE, FALLBACK_REPORT_SOURCE, MISSED_REPORT_SOURCE
from bot.followup.notices import FOLLOWUP_SOURCE
from bot.followup.rounds import find_round
from bot.plan.schedule import PLAN_SOURCE
from messages.deliveries import DeliveryKind, DeliveryWhat, Place, PlaceKind
from storage import cases as case_store
from storage.cases import CASE_SOURCE
from storage.outbox import Delivery

FOLLOWUP_KINDS = {
    "open": DeliveryKind.FOLLOWUP_INVITATION,
    "reminder": DeliveryKind.FOLLOWUP_REMINDER,
    "final-reminder": DeliveryKind.FOLLOWUP_FINAL_REMINDER,
    "delegated": DeliveryKind.FOLLOWUP_HANDOVER,
    "escalation": DeliveryKind.FOLLOWUP_ESCALATION,
}
CASE_KINDS = {
    "triage": DeliveryKind.CASE_TRIAGE,
    "update": DeliveryKind.CASE_TRIAGE,  # an update of the triage message, one per version of the case
    "receipt": DeliveryKind.CASE_RECEIPT,
    "answer": DeliveryKind.CASE_ANSWER,
    "reminder-take": DeliveryKind.CASE_REMINDER,
    "reminder-answer": DeliveryKind.CASE_REMINDER,
    "escalation-take": DeliveryKind.CASE_ESCALATION,
    "escalation-answer": DeliveryKind.CASE_ESCALATION,
}
REPORT_KINDS = {
    "missed": DeliveryKind.MISSED_REPORT,
    "template": DeliveryKind.TEMPLATE_REPORT,
    "attachments": DeliveryKind.ATTACHMENT_REPORT,
    "unqueued": DeliveryKind.UNQUEUED_REPORT,
}


def delivery_kind(row: Delivery) -> DeliveryKind:
    """The kind of message a row carries, from its source and the prefix of its occurrence key."""
    prefix = row.occurrence_key.partition(":")[0]
    if row.source == PLAN_SOURCE:
        return DeliveryKind.PLAN
    if row.source == FOLLOWUP_SOURCE:
        # 'summary' at closing, 'report:<time>' on request: the summary to a person, the digest to the board
        to_channel = row.recipient.startswith("channel:")
        summary = DeliveryKind.FOLLOWUP_BOARD_DIGEST if to_channel else DeliveryKind.FOLLOWUP_SUMMARY
        return FOLLOWUP_KINDS.get(prefix, summary)
    if row.source == CASE_SOURCE:
        return CASE_KINDS.get(prefix, DeliveryKind.UNKNOWN)
    if row.source == DIGEST_SOURCE:
        return DeliveryKind.CASE_DIGEST
    if row.source in (FAILURE_REPORT_SOURCE, MISSED_REPORT_SOURCE):
        return REPORT_KINDS.get(prefix, DeliveryKind.FAILURE_REPORT)
    if row.source == FALLBACK_REPORT_SOURCE:
        return DeliveryKind.FALLBACK_REPORT
    return DeliveryKind.UNKNOWN


def what_was_sent(session: Session, config: AssociationConfig, row: Delivery) -> DeliveryWhat:
    """The facts a Swedish description of `row` needs: its kind, its subject and its recipient."""
    kind = delivery_kind(row)
    return DeliveryWhat(kind, _subject(session, config, row, kind), _place(config, row, kind))


def _subject(session: Session, config: AssociationConfig, row: Delivery, kind: DeliveryKind) -> str:
    if kind == DeliveryKind.PLAN:
        item = next((item for item in config.plan if item.id == row.item_id), None)
        return item.title if item else row.item_id
    if row.source == FOLLOWUP_SOURCE:
        round_ = find_round(config, row.item_id)
        return round_.name if round_ else row.item_id
    if row.source == CASE_SOURCE and row.item_id.isdigit():
        case = case_store.get_case(session, int(row.item_id))
        return case.number if case else row.item_id
    return ""


def _place(config: AssociationConfig, row: Delivery, kind: DeliveryKind) -> Place:
    recipient_kind, _, ident = row.recipient.partition(":")
    if recipient_kind == "channel":
        return channel_place(config, ident)
    if recipient_kind == "user":  # a case's reporter, known to the outbox only by Slack id
        return Place(PlaceKind.REPORTER)
    person = next((person for person in config.people if person.id == ident), None)
    if recipient_kind != "person" or person is None:
        return Place(PlaceKind.UNKNOWN)
    return Place(PlaceKind.PERSON, person.name, _acting_for(config, row, kind))


def _acting_for(config: AssociationConfig, row: Delivery, kind: DeliveryKind) -> str:
    """The department a follow-up ask is about: 'open:it', 'reminder:5:it', 'final-reminder:it', 'delegated:it:x'."""
    if kind not in (
        DeliveryKind.FOLLOWUP_INVITATION,
        DeliveryKind.FOLLOWUP_REMINDER,
        DeliveryKind.FOLLOWUP_FINAL_REMINDER,
        DeliveryKind.FOLLOWUP_HANDOVER,
    ):
        return ""
    parts = row.occurrence_key.split(":")
    department_id = parts[1] if kind == DeliveryKind.FOLLOWUP_HANDOVER else parts[-1]
    department = next((d for d in config.departments if d.id == department_id), None)
    return department.name if department else ""


def channel_place(config: AssociationConfig, channel: str) -> Place:
    """A channel by the name the configuration gives it; one it does not name is left for Slack to name."""
    for routing in config.cases.routing if config.cases else []:
        if routing.triage_channel == channel and not channel.startswith("#"):
            department = next((d for d in config.departments if d.id == routing.department), None)
            if department is not None:
                return Place(PlaceKind.TRIAGE_CHANNEL, department.name)
    for section in (config.forums, config.departments, config.members):
        for entry in section:
            if entry.channel == channel:
                return Place(PlaceKind.CHANNEL, entry.name)
    if channel.startswith("#"):
        return Place(PlaceKind.NAMED_CHANNEL, channel)
    return Place(PlaceKind.SLACK_CHANNEL, channel)
