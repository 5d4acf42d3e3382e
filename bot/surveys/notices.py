"""Outbox rows of a survey round: the invitation or reminder with the form's button to each person asked, the
results to the director and the digest forum's channel when the round closes, and an export on request."""

import json
from datetime import datetime

from bot.config.model import AssociationConfig
from bot.delivery.keys import survey_ask, survey_export, survey_results
from bot.delivery.outbox_rows import message_rows
from bot.people import Recipient, channel_recipient, person_recipient
from bot.permissions import Grant
from bot.surveys import exports
from bot.surveys.audience import Respondent
from bot.surveys.charts import index_image
from bot.surveys.results import SurveyResults
from bot.surveys.rounds import SurveyRound
from messages.message import Button, ButtonStyle, File, Image, Message
from messages.render import render
from messages.survey_form import OPEN_FORM_ACTION, OPEN_FORM_BUTTONS_ID
from messages.survey_labels import OPEN_BUTTON, format_change, format_index


def open_form_button(round_: SurveyRound) -> Button:
    """The button under an invitation or reminder that opens the round's form."""
    value = json.dumps({"survey": round_.survey.id, "round": round_.key})
    return Button(OPEN_FORM_ACTION, OPEN_BUTTON, value, ButtonStyle.PRIMARY)


def ask_rows(
    config: AssociationConfig, round_: SurveyRound, asked: list[Respondent], ask: str, now: datetime, step: str = ""
) -> list[dict]:
    """The invitation (`ask` "open") or a reminder ("reminder", `step`: working days before closing) to each person."""
    rows: list[dict] = []
    for respondent in asked:
        text = render(
            "survey_invitation", kind=ask, round=round_, member=respondent.member, services=respondent.services
        )
        rows += message_rows(
            key=survey_ask(round_.survey.id, round_.key, ask, step),
            recipient=person_recipient(respondent.person),
            message=Message(text=text, buttons=(open_form_button(round_),), buttons_id=OPEN_FORM_BUTTONS_ID),
            due_at=now,
            now=now,
            owner=config.roles[Grant.QUALITY_MANAGER],
        )
    return rows


def digest_channel(config: AssociationConfig, forum_id: str | None) -> Recipient:
    """The channel of the survey's digest forum, or of the leadership group."""
    forum = next(
        forum
        for forum in config.forums
        if (forum.id == forum_id if forum_id else forum.kind == "leadership_group") and forum.channel
    )
    assert forum.channel is not None
    return channel_recipient(forum.channel, forum.name)


def results_message(results: SurveyResults, images: tuple[Image, ...], files: tuple[File, ...] = ()) -> Message:
    text = render("survey_results", results=results, index=format_index, change=format_change)
    return Message(text=text, files=files, images=images)


def result_files(results: SurveyResults) -> tuple[File, ...]:
    stem = f"enkat-{results.round.survey.id}-{results.round.key}"
    title = f"{results.round.survey.name} {results.round.key}"
    return (
        File(f"{stem}.csv", f"{title} – resultat (CSV)", exports.csv_bytes(results)),
        File(f"{stem}.xlsx", f"{title} – resultat (Excel)", exports.xlsx_bytes(results)),
    )


def results_rows(config: AssociationConfig, results: SurveyResults, now: datetime) -> list[dict]:
    """The results with their chart: with the files to the director; without them (Teams takes no files in a
    channel) to the digest forum's channel."""
    key = survey_results(results.round.survey.id, results.round.key)
    owner = config.roles[Grant.QUALITY_MANAGER]
    director = person_recipient(config.role_holder(Grant.DIRECTOR))
    channel = digest_channel(config, results.round.survey.digest_forum)
    images = (index_image(results),)
    with_files = results_message(results, images, result_files(results))
    rows = message_rows(key=key, recipient=director, message=with_files, due_at=now, now=now, owner=owner)
    rows += message_rows(
        key=key, recipient=channel, message=results_message(results, images), due_at=now, now=now, owner=owner
    )
    return rows


def export_rows(config: AssociationConfig, results: SurveyResults, to: Recipient, now: datetime) -> list[dict]:
    """The results with their chart and their CSV and Excel files to the person who asked for them."""
    return message_rows(
        key=survey_export(results.round.survey.id, results.round.key, now),
        recipient=to,
        message=results_message(results, (index_image(results),), result_files(results)),
        due_at=now,
        now=now,
        owner=config.roles[Grant.QUALITY_MANAGER],
    )
