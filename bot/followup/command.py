"""The follow-up command (`uppfoljning [status|historik|delegera|rapport]`) and its form, for any chat platform:
which reply a subcommand gets (a neutral Message), which form to show (a neutral Form), and what a submitted page
leads to. The platform's handler reads its payload, calls these and renders what they return."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.asker import Asker
from bot.config.model import AssociationConfig, Person
from bot.errors import NotAllowed
from bot.followup import answers, service
from bot.followup.rounds import find_round, round_times
from bot.followup.validation import AnswerInput, InvalidAnswers
from bot.replays import Replayed
from bot.replies import DOMAIN_ERRORS, error_reply, error_text, round_calendar, template_message
from messages.commands import HELP_WORDS
from messages.followup_form import answer_form, answers_from, chooser_form, field_id, notice_form
from messages.followup_labels import ERROR_TEXT, STATUS_LABELS, format_number
from messages.form import FieldErrors, Form, FormValues
from messages.message import Message
from messages.render import render
from storage.engine import session_scope

log = logging.getLogger(__name__)
SUBCOMMANDS = {"status", "historik", "delegera", "rapport"}
# Who a delegation names: the person behind the text after 'delegera' (a platform's mention), or None.
DelegateLookup = Callable[[Session, str], Person | None]


def followup_help(word: str) -> Message | None:
    """The help for a help word or an unknown subcommand; None for no word (the form) and for a subcommand."""
    word = word.casefold()
    if not word or word in SUBCOMMANDS:
        return None
    return template_message("followup_help", unknown="" if word in HELP_WORDS else word)


def followup_reply(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    word: str,
    rest: str,
    now: datetime,
    request_key: str,
    delegate_to: DelegateLookup,
) -> Message | None:
    """The reply to a subcommand; None for a command processed before (a replay), which gets no second reply."""
    word = word.casefold()
    try:
        person = asker.known()
        with session_scope(engine) as session:
            if word == "status":
                statuses = service.round_status(session=session, config=config, person=person, now=now)
                return template_message("followup_status", statuses=statuses)
            if word == "historik":
                view = service.history(session=session, config=config, person=person, text=rest)
                return template_message("followup_history", view=view, num=format_number, status_labels=STATUS_LABELS)
            if word == "rapport":
                round_ = service.request_report(
                    session=session, config=config, person=person, now=now, request_key=request_key
                )
                return template_message("followup_report_queued", round=round_)
            target = None
            if rest:
                target = delegate_to(session, rest)
                if target is None:
                    return template_message("followup_unknown_delegate", who=rest)
            handed = service.delegate(
                session=session, config=config, person=person, target=target, now=now, request_key=request_key
            )
            return template_message("followup_delegated", handed=handed)
    except Replayed:
        return None
    except DOMAIN_ERRORS as error:
        return error_reply(error, config, now)


def form_or_notice(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    now: datetime,
    round_id: str | None = None,
    department_id: str | None = None,
) -> Form:
    """The form to show (a department's form, or the chooser when several are open to the asker), or a notice
    saying why there is none."""
    try:
        person = asker.known()
        with session_scope(engine) as session:
            if round_id is None or department_id is None:
                choices = answers.form_choices(session=session, config=config, person=person, now=now)
                if len(choices) > 1:
                    return chooser_form(choices)
                if not choices:
                    return notice_form(render("followup_no_round", **round_calendar(config, now)))
                round_id, department_id = choices[0][0].id, choices[0][1].id
            data = answers.form_data(
                session=session, config=config, person=person, round_id=round_id, department_id=department_id, now=now
            )
    except DOMAIN_ERRORS as error:
        return notice_form(error_text(error, config, now))
    return answer_form(data)


@dataclass(frozen=True)
class PageOutcome:
    """What a submitted page leads to: Swedish errors under its fields (the page stays, with what was typed), or
    the form to show next: the next page `page` of the answer form, or a notice (saved, or refused)."""

    errors: FieldErrors | None = None
    form: Form | None = None
    page: int = 0


def submit_page(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    now: datetime,
    round_id: str,
    department_id: str,
    page: int,
    pages: int,
    values: FormValues,
    request_key: str,
    then: int | None = None,
) -> PageOutcome:
    """Store one page of a department's answers (once per request key) and say what follows it: the page `then`
    (by default the next; a platform with a button back asks for the one before), or after the last the
    confirmation.

    ConcurrentSubmission (someone saved the same answers meanwhile, twice) is raised for the platform's handler to
    show under the page's first field, as its error handler does with any domain error of a form."""
    inputs = {indicator: AnswerInput(**fields) for indicator, fields in answers_from(values).items()}
    try:
        page_of = {"config": config, "person": asker.known(), "round_id": round_id, "department_id": department_id}
        try:
            with session_scope(engine) as session:
                result = answers.submit(session=session, inputs=inputs, now=now, request_key=request_key, **page_of)
        except Replayed:  # processed before: the user sees where they are, and nothing is stored again
            result = answers.SubmitResult(duplicate=True)
        shown = page + 1 if then is None else then
        if shown < pages:
            with session_scope(engine) as session:
                data = answers.form_data(session=session, now=now, **page_of)
            return PageOutcome(form=answer_form(data), page=shown)
    except InvalidAnswers as invalid:
        errors = {field_id(indicator, field): ERROR_TEXT[code] for (indicator, field), code in invalid.errors.items()}
        return PageOutcome(errors=errors)
    except answers.ConcurrentSubmission:
        raise
    except DOMAIN_ERRORS as error:
        if isinstance(error, NotAllowed):
            log.warning("user %s tried to answer %s for %s without permission", asker.user_id, round_id, department_id)
        return PageOutcome(form=notice_form(error_text(error, config, now)))
    round_ = find_round(config, round_id)
    assert round_ is not None  # the service accepted the submission, so the round exists
    text = render(
        "followup_saved", department=config.department(department_id), result=result, times=round_times(config, round_)
    )
    return PageOutcome(form=notice_form(text))
