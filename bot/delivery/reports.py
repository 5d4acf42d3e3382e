"""Telling an item's owner what could not be delivered: missed occurrences, permanent failures, lost files.

A report that cannot reach its owner goes once to the director and the quality manager instead (a fallback
report); a fallback report that fails is only logged, so reports never loop.
"""

from datetime import datetime

from bot.config.model import AssociationConfig, Person
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.people import RecipientKey, RecipientKind, person_recipient
from bot.permissions import ROLES
from bot.plan.occurrences import Occurrence
from messages.deliveries import DeliveryWhat, describe, explain_error
from messages.message import Message
from messages.mrkdwn import Mrkdwn, escape
from messages.render import render, template_names
from messages.template_errors import explain_template_error
from storage.outbox import Delivery

OWNER_REPORT_SOURCES = (keys.Source.MISSED_REPORT, keys.Source.FAILURE_REPORT)
REPORT_SOURCES = (*OWNER_REPORT_SOURCES, keys.Source.FALLBACK_REPORT)


def missed_report_rows(config: AssociationConfig, occurrences: list[Occurrence], now: datetime) -> list[dict]:
    """One DM to the owner listing the occurrences of one item that were missed."""
    item = occurrences[0].item
    owner = config.person(item.owner)
    text = render(
        "missed_report",
        item=item,
        occurrences=occurrences,
        association=config.association,
        grace_hours=config.settings.grace_period_hours,
    )
    key = keys.missed_report(item.id, occurrences[0].key, occurrences[-1].key)
    return _owner_dm(key, owner, text, now)


def failure_report_rows(
    config: AssociationConfig, delivery: Delivery, what: DeliveryWhat, error: str, now: datetime
) -> list[dict]:
    """A DM to the owner of a delivery that failed for good, saying what it was; empty when nobody owns it."""
    key = keys.failure_report(delivery)
    return _delivery_report(config, delivery, key, "failure_report", what, error, now, kind=what.kind)


def attachment_failure_report_rows(
    config: AssociationConfig, delivery: Delivery, what: DeliveryWhat, error: str, now: datetime
) -> list[dict]:
    """A DM to the owner of a delivered message whose files could not be attached; empty when nobody owns it."""
    files = [file.filename for file in Message.from_json(delivery.message).files]
    key = keys.attachment_report(delivery)
    return _delivery_report(config, delivery, key, "attachment_failure_report", what, error, now, files=files)


def _delivery_report(
    config: AssociationConfig,
    delivery: Delivery,
    key: keys.OutboxKey,
    template: str,
    what: DeliveryWhat,
    error: str,
    now: datetime,
    **details: object,
) -> list[dict]:
    """A DM (keyed `key`) to the owner of `delivery` from `template`, saying what it was and why it went wrong (and
    `details`); empty when nobody owns it."""
    owner = _reported_owner(config, delivery)
    if owner is None:
        return []
    text = render(template, delivery=delivery, what=describe(what), reason=explain_error(error), **details)
    return _owner_dm(key, owner, text, now)


def template_error_report_rows(
    config: AssociationConfig, occurrence: Occurrence, error: str, now: datetime
) -> list[dict]:
    """A DM to the owner of an item whose message template could not be filled in for this occurrence, saying why
    in Swedish (the raw error is in the log, where bot.plan.schedule writes it)."""
    item = occurrence.item
    used = template_names(item.message)
    lacking = {"event": occurrence.event, "chair": config.chair_on(occurrence.at.date())}
    missing = [name for name, value in lacking.items() if value is None and name in used]
    cause = explain_template_error(error, missing)
    text = render("template_error_report", item=item, at=occurrence.at, cause=cause)
    return _owner_dm(keys.template_report(item.id, occurrence.key), config.person(item.owner), text, now)


def fallback_report_rows(config: AssociationConfig, parts: list[Delivery], error: str, now: datetime) -> list[dict]:
    """The owner's report (all its `parts`), once, to the director and the quality manager, saying who could
    not be reached and why; empty for a fallback report itself, so a report that fails never loops."""
    report = parts[0]
    if report.source not in OWNER_REPORT_SOURCES:
        return []
    addressed = RecipientKey.read(report.recipient)
    addressee_id = addressed.ident
    addressee = config.find_person(addressee_id) if addressed.kind == RecipientKind.PERSON else None
    text = render(
        "fallback_report",
        addressee=addressee.name if addressee else addressee_id,
        reason=explain_error(error),
        report=Mrkdwn("\n".join(_part_text(part) for part in parts)),
    )
    # The person left out cannot get it either.
    key = keys.fallback_report(report)
    people = {config.roles[role] for role in ROLES if role in config.roles} - {addressee_id}
    rows = []
    for person in filter(None, (config.find_person(person_id) for person_id in sorted(people))):
        rows.extend(_owner_dm(key, person, text, now))
    return rows


def _part_text(part: Delivery) -> str:
    """The markup a message part carried, from its message (its notification `text` may be only a summary)."""
    return Message.from_json(part.message).text or escape(part.text)


def _reported_owner(config: AssociationConfig, delivery: Delivery) -> Person | None:
    """Who hears about a delivery's trouble: its owner, unless it is itself a report or its owner left."""
    if delivery.owner is None or delivery.source in REPORT_SOURCES:
        return None
    return config.find_person(delivery.owner)


def _owner_dm(key: keys.OutboxKey, owner: Person, text: str, now: datetime) -> list[dict]:
    """Rows for a DM to an owner, due now; reports have no owner of their own (their failures go to the fallback)."""
    return message_rows(
        key=key,
        recipient=person_recipient(owner),
        message=Message(text=text),
        due_at=now,
        now=now,
        owner=None,
    )
