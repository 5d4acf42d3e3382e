"""Outbox rows for a round: invitations and reminders with the form button, escalation, summary and digest."""

from datetime import datetime

from bot.config.followup_model import FollowupRound
from bot.config.model import AssociationConfig, Department, Person
from bot.delivery.keys import Ask, followup_ask, followup_escalation, followup_report, followup_summary
from bot.delivery.outbox_rows import message_rows
from bot.followup import exports
from bot.followup.progress import Progress
from bot.followup.rounds import indicators_for, round_times
from bot.followup.summary import RoundSummary
from bot.followup.trends import trend_images
from bot.people import Recipient, channel_recipient, person_recipient
from bot.permissions import Grant
from messages.actions import OPEN_FORM_BUTTONS_ID, open_form_button
from messages.followup_labels import STATUS_ICONS, STATUS_LABELS, format_change, format_number
from messages.message import File, Message
from messages.render import render


def ask_rows(
    config: AssociationConfig,
    round_: FollowupRound,
    department: Department,
    person: Person,
    ask: Ask,
    now: datetime,
    delegated_by: Person | None = None,
    step: str = "",
) -> list[dict]:
    """A DM asking `person` to answer for `department` (`step`: a reminder's days before closing, or a hand-over's
    delegate)."""
    text = render(
        "followup_invitation",
        kind=ask,
        round=round_,
        department=department,
        times=round_times(config, round_),
        count=len(indicators_for(config, department.id)),
        delegated_by=delegated_by,
    )
    button = open_form_button(round_.id, department.id)
    return message_rows(
        key=followup_ask(round_.id, ask, department.id, step),
        recipient=person_recipient(person),
        message=Message(text=text, buttons=(button,), buttons_id=OPEN_FORM_BUTTONS_ID),
        due_at=now,
        now=now,
        owner=config.roles[Grant.QUALITY_MANAGER],
    )


def escalation_rows(
    config: AssociationConfig, round_: FollowupRound, missing: list[tuple[Progress, Person]], now: datetime
) -> list[dict]:
    """A DM to the quality manager listing the departments that have not answered every indicator."""
    text = render("followup_escalation", round=round_, times=round_times(config, round_), missing=missing)
    return message_rows(
        key=followup_escalation(round_.id),
        recipient=person_recipient(config.role_holder(Grant.QUALITY_MANAGER)),
        message=Message(text=text),
        due_at=now,
        now=now,
        owner=config.roles[Grant.QUALITY_MANAGER],
    )


def board_channel(config: AssociationConfig) -> Recipient:
    forum = next(forum for forum in config.forums if forum.kind == "board" and forum.channel)
    assert forum.channel is not None
    return channel_recipient(forum.channel, forum.name)


def answer_files(config: AssociationConfig, summary: RoundSummary) -> tuple[File, ...]:
    """The round's answers as CSV and Excel, sent with the summary and the board digest."""
    names = {person.id: person.name for person in config.people}
    zone = config.association.timezone
    stem = f"uppfoljning-{summary.round.id}"
    return (
        File(f"{stem}.csv", f"{summary.round.name} – alla svar (CSV)", exports.csv_bytes(summary, names, zone)),
        File(f"{stem}.xlsx", f"{summary.round.name} – alla svar (Excel)", exports.xlsx_bytes(summary, names, zone)),
    )


def summary_rows(config: AssociationConfig, summary: RoundSummary, now: datetime, *, on_request: bool) -> list[dict]:
    """The full summary to the quality manager and the board digest to the board's channel, with the trend charts
    of the indicators needing most attention and the answers' files: when the round closes, or `on_request` now."""
    helpers = {"status_labels": STATUS_LABELS, "icons": STATUS_ICONS, "num": format_number, "change": format_change}
    files = answer_files(config, summary)
    images = trend_images(config, summary.charts)
    owner = config.roles[Grant.QUALITY_MANAGER]
    rows = []
    for template, recipient, to_board in (
        ("followup_summary", person_recipient(config.role_holder(Grant.QUALITY_MANAGER)), False),
        ("followup_board_digest", board_channel(config), True),
    ):
        rows += message_rows(
            key=(
                followup_report(summary.round.id, now, to_board)
                if on_request
                else followup_summary(summary.round.id, to_board)
            ),
            recipient=recipient,
            message=Message(text=render(template, summary=summary, **helpers), files=files, images=images),
            due_at=now,
            now=now,
            owner=owner,
        )
    return rows
