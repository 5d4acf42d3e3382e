"""The survey command (`enkat [status|resultat|export]`) and the survey form, for any chat platform: which reply a
subcommand gets (a neutral Message), which form to show (a neutral Form), and what a submitted page leads to. The
platform's handler reads its payload, calls these and renders what they return.

Nothing here logs who asks: in an anonymous survey that would tie the person to the moment an answer was stored."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from bot.asker import Asker
from bot.config.model import AssociationConfig
from bot.replays import Replayed
from bot.replies import DOMAIN_ERRORS, error_reply, error_text, template_message
from bot.surveys import answers, service
from bot.surveys.answers import SurveyForm, SurveyRefused
from bot.surveys.rounds import find_round, next_round
from bot.surveys.validation import InvalidSurveyAnswers
from messages.commands import HELP_WORDS
from messages.form import FieldErrors, Form, FormValues
from messages.message import Message
from messages.render import render
from messages.survey_form import FormHeading, field_id, survey_form, survey_notice, typed_answers
from messages.survey_labels import ERROR_TEXT, format_change, format_index
from storage.engine import session_scope

log = logging.getLogger(__name__)
SUBCOMMANDS = {"status", "resultat", "export"}


def survey_help(word: str) -> Message | None:
    """The help for a help word or an unknown subcommand; None for no word (the form) and for a subcommand."""
    word = word.casefold()
    if not word or word in SUBCOMMANDS:
        return None
    return template_message("survey_help", unknown="" if word in HELP_WORDS else word)


def survey_reply(
    *, engine: Engine, config: AssociationConfig, asker: Asker, word: str, rest: str, now: datetime, request_key: str
) -> Message | None:
    """The reply to a subcommand; None for a command processed before (a replay), which gets no second reply."""
    word = word.casefold()
    try:
        person = asker.known()
        with session_scope(engine) as session:
            if word == "status":
                statuses = service.survey_status(session=session, config=config, person=person, now=now)
                return template_message("survey_status", statuses=statuses, now=now, next_round=next_round(config, now))
            if word == "resultat":
                results = service.latest_results(session=session, config=config, person=person, now=now, text=rest)
                return template_message("survey_results", results=results, index=format_index, change=format_change)
            round_ = service.request_export(
                session=session, config=config, person=person, now=now, text=rest, request_key=request_key
            )
            return template_message("survey_export_queued", round=round_)
    except Replayed:
        return None
    except service.NoSurveyResults as missing:
        return template_message("survey_no_results", unknown=missing.unknown, choices=missing.choices)
    except DOMAIN_ERRORS as error:
        return error_reply(error, config, now)


def _form(data: SurveyForm) -> Form:
    round_ = data.round
    heading = FormHeading(round_.survey.name, data.respondent.member.name, round_.closes_at, round_.survey.anonymous)
    services = [(service.id, service.name) for service in data.respondent.services]
    metadata = {"survey": round_.survey.id, "round": round_.key, "ballot": data.ballot}
    return survey_form(heading, services, data.current, metadata)


def form_or_notice(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    now: datetime,
    survey_id: str | None = None,
    round_key: str | None = None,
) -> Form:
    """The form of the round (or of the one open round asking the asker), or a notice saying why there is none."""
    try:
        person = asker.known()
        with session_scope(engine) as session:
            data = answers.survey_form(
                session=session, config=config, person=person, now=now, survey_id=survey_id, round_key=round_key
            )
    except DOMAIN_ERRORS as error:
        return survey_notice(error_text(error, config, now))
    return _form(data)


@dataclass(frozen=True)
class PageOutcome:
    """What a submitted page leads to: Swedish errors under its fields (the page stays, with what was typed), or
    the form to show next: page `page` of the survey form, or a notice (the thanks, or a refusal)."""

    errors: FieldErrors | None = None
    form: Form | None = None
    page: int = 0


@dataclass(frozen=True)
class SubmittedPage:
    """A page as the platform delivered it: the form's metadata, which page of how many, and the values."""

    survey_id: str
    round_key: str
    ballot: str
    page: int
    pages: int
    values: FormValues
    then: int | None = None  # the page to show next (a platform's button back asks for the one before)


def submit_page(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    now: datetime,
    submitted: SubmittedPage,
    request_key: str,
) -> PageOutcome:
    """Store one page (once per request key) and say what follows: the next page, or after the last the thanks."""
    typed = typed_answers(submitted.values)
    round_of = {"survey_id": submitted.survey_id, "round_key": submitted.round_key}
    try:
        person = asker.known()
        try:
            with session_scope(engine) as session:
                saved = answers.submit_page(
                    session=session, config=config, person=person, ballot=submitted.ballot, typed=typed, now=now,
                    request_key=request_key, **round_of,
                )  # fmt: skip
        except Replayed:  # processed before: the user sees where they are, and nothing is stored again
            saved = None
        shown = submitted.page + 1 if submitted.then is None else submitted.then
        if shown < submitted.pages:
            with session_scope(engine) as session:
                data = answers.survey_form(session=session, config=config, person=person, now=now, **round_of)
            data = SurveyForm(data.round, data.respondent, submitted.ballot, data.current)
            return PageOutcome(form=_form(data), page=shown)
    except InvalidSurveyAnswers as invalid:
        return PageOutcome(errors={field_id(s, q): ERROR_TEXT[code] for (s, q), code in invalid.errors.items()})
    except DOMAIN_ERRORS as error:
        if isinstance(error, SurveyRefused):
            log.info("a survey page was refused: %s", error.reason)
        return PageOutcome(form=survey_notice(error_text(error, config, now)))
    round_ = find_round(config, submitted.survey_id, submitted.round_key)
    assert round_ is not None  # the service accepted the page, so the round exists
    text = render(
        "survey_saved",
        duplicate=saved is None,
        complete=saved is None or saved.complete,
        anonymous=round_.survey.anonymous,
        round=round_,
    )
    return PageOutcome(form=survey_notice(text))
