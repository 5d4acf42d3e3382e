"""Decision tasks in chat, for any platform: the report form a Rapportera button opens (or the text saying why
there is none), what a submitted form leads to, `/direktion uppgifter` (one's open tasks, the director's all) and
`/direktion export [år]` (the year's decisions as files, by DM). The platform's handler reads its payload, calls
these and renders what they return."""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from bot.asker import Asker
from bot.board import export
from bot.board.meetings import find_meeting
from bot.board.task_notices import export_rows
from bot.board.task_reports import InvalidTaskReport, ReportInput, report_task, reportable_task
from bot.board.tasks import DecisionTask, released_tasks
from bot.config.model import AssociationConfig, Event, Person
from bot.errors import NotAllowed
from bot.local_time import local_date
from bot.permissions import Action, may
from bot.replays import Replayed, claim
from bot.replies import DOMAIN_ERRORS, error_text, template_message
from messages.board_task_form import (
    COMMENT,
    ERROR_TEXT,
    KIND,
    KIND_LABELS,
    NEW_DUE,
    TASK_LIST_BUTTONS_ID,
    report_button,
)
from messages.board_task_form import report_form as build_report_form
from messages.form import FieldErrors, Form, FormValues
from messages.message import Message
from messages.render import render
from storage import outbox
from storage.engine import session_scope

if TYPE_CHECKING:  # bot.board.command registers these, so it cannot be imported here at run time
    from bot.board.command import BoardRequest

log = logging.getLogger(__name__)
LISTED_TASKS = 25  # the buttons one message carries (Slack's actions block); more are listed without a button


def report_form(
    *, engine: Engine, config: AssociationConfig, asker: Asker, decision_id: int, now: datetime
) -> Form | str:
    """The report form of the decision's task, or the Swedish text saying why the asker has none."""
    try:
        person = asker.known()
        with session_scope(engine) as session:
            task = reportable_task(session, config, person, decision_id)
            return build_report_form(task, find_meeting(config, task.decision.meeting_id), _owner(config, task))
    except DOMAIN_ERRORS as error:
        _log_refusal(asker, decision_id, error)
        return error_text(error, config, now)


def _owner(config: AssociationConfig, task: DecisionTask) -> Person | None:
    return config.find_person(task.decision.owner)


def _log_refusal(asker: Asker, decision_id: int, error: Exception) -> None:
    if isinstance(error, NotAllowed):
        log.warning("user %s tried to report on decision %s without being its owner", asker.user_id, decision_id)


@dataclass(frozen=True)
class ReportOutcome:
    """What a submitted report form leads to: Swedish errors under its fields (and the form to show them in, with
    what was typed), or a text in the form's place: the confirmation, or why nothing was stored."""

    errors: FieldErrors | None = None
    form: Form | None = None
    text: str = ""


def submit_report(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    decision_id: int,
    values: FormValues,
    now: datetime,
    request_key: str,
) -> ReportOutcome:
    """Store the report once per request key and say what follows: the confirmation, or the errors."""
    raw = ReportInput(values.value(KIND), values.value(NEW_DUE), values.value(COMMENT))
    try:
        person = asker.known()
        with session_scope(engine) as session:
            done = report_task(
                session=session,
                config=config,
                person=person,
                decision_id=decision_id,
                raw=raw,
                now=now,
                request_key=request_key,
            )
            context = {"task": done.task, "meeting": find_meeting(config, done.task.decision.meeting_id)}
            context |= {"report": done.report, "told_director": done.told_director, "replayed": False}
            text = render("board_task_saved", **context)
    except Replayed:  # processed before: nothing is stored again
        text = render("board_task_saved", replayed=True)
    except InvalidTaskReport as invalid:
        form = report_form(engine=engine, config=config, asker=asker, decision_id=decision_id, now=now)
        if isinstance(form, str):
            return ReportOutcome(text=form)
        return ReportOutcome(errors={field: ERROR_TEXT[code] for field, code in invalid.errors.items()}, form=form)
    except DOMAIN_ERRORS as error:
        _log_refusal(asker, decision_id, error)
        return ReportOutcome(text=error_text(error, config, now))
    return ReportOutcome(text=text)


@dataclass(frozen=True)
class ListedTask:
    """A task as `/direktion uppgifter` lists it, with its meeting and owner (None when the file lacks them)."""

    task: DecisionTask
    meeting: Event | None
    owner: Person | None


def tasks_reply(request: "BoardRequest") -> Message:
    """`/direktion uppgifter`: the asker's open decision tasks (the director's: everyone's), each with a Rapportera
    button."""
    config, person = request.config, request.asker.known()
    everyone = may(config, person, Action.SEE_ALL_DECISION_TASKS)
    with session_scope(request.engine) as session:
        tasks = released_tasks(session, owner=None if everyone else person.id)
    listed = [ListedTask(task, find_meeting(config, task.decision.meeting_id), _owner(config, task)) for task in tasks]
    context = {"tasks": listed, "everyone": everyone, "today": local_date(config, request.now), "kinds": KIND_LABELS}
    buttons = tuple(
        report_button(task.decision.id, number)
        for number, task in enumerate(tasks[:LISTED_TASKS], start=1)
        if task.decision.id is not None
    )
    return Message(text=render("board_task_list", **context), buttons=buttons, buttons_id=TASK_LIST_BUTTONS_ID)


def export_reply(request: "BoardRequest") -> Message | None:
    """`/direktion export [år]`: the year's decisions (this year's by default) queued as files to the asker; None
    for a request processed before (a replay), which gets no second reply."""
    config, now = request.config, request.now
    today = local_date(config, now)
    if request.rest and not (request.rest.isdigit() and len(request.rest) == 4):
        return template_message("board_export_bad_year", given=request.rest, example=today.year)
    year = int(request.rest) if request.rest else today.year
    person = request.asker.known()
    if not may(config, person, Action.EXPORT_BOARD_DECISIONS):
        log.warning("user %s asked for the board's export without keeping its records", request.asker.user_id)
        raise NotAllowed(Action.EXPORT_BOARD_DECISIONS)
    try:
        with session_scope(request.engine) as session:
            records = export.year_records(session, config, year)
            if records:
                claim(session, request.request_key, now)
                files = export.export_files(config, records, year, today)
                outbox.enqueue(session, export_rows(config, person, year, len(records), files, now))
    except Replayed:
        return None
    return template_message("board_export_queued", year=year, count=len(records))
