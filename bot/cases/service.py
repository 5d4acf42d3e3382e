"""Handling a registered case: take, assign, answer, close, reopen and mark it confidential (registering it is
bot/cases/registration.py's).

Every step checks who may do it, records who did it and when, and queues what must be sent. Every step that
comes from a chat request claims the request's key in its own transaction (bot/replays.py): a replay or a
double-click of the same request raises Replayed and changes nothing.
"""

import logging
from datetime import datetime
from enum import StrEnum
from typing import NotRequired, TypedDict, Unpack

from sqlmodel import Session

from bot.cases.deadlines import answer_deadline
from bot.cases.notices import answer_rows
from bot.cases.permissions import case_handlers, case_scope, department_routed
from bot.cases.registration import InvalidReport
from bot.config.model import AssociationConfig, Person
from bot.home.dirty import mark_department
from bot.local_time import local_date
from bot.permissions import Action, require
from bot.replays import claim
from messages import text_limits
from storage import cases as store
from storage import outbox
from storage.cases import CaseEvent, CaseEventKind, CaseStatus, FeedbackCase

log = logging.getLogger(__name__)
Key = str | None  # a chat request's key (bot/replays.py); None outside a chat request


class Refusal(StrEnum):
    """Why a step does not fit the case's state (case_refused.j2 has the Swedish for each)."""

    MISSING = "missing"
    UNROUTED = "unrouted"
    CLOSED = "closed"
    NOT_CLOSED = "not_closed"
    ALREADY_TAKEN = "already_taken"
    NOT_HANDLER = "not_handler"


class CaseRefused(Exception):
    """The step does not fit the case's state; `reason` picks the Swedish explanation."""

    def __init__(self, reason: Refusal, number: str | None = None, detail: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.number = number
        self.detail = detail


def _open_case(session: Session, config: AssociationConfig, case_id: int) -> FeedbackCase:
    """The case, locked for the step; refused when it is gone or its department is no longer configured."""
    case = store.get_case(session, case_id, for_update=True)
    if case is None:
        raise CaseRefused(Refusal.MISSING)
    if not department_routed(config, case.department_id):
        log.warning("case %s: department %r is not in the configuration; step refused", case.number, case.department_id)
        raise CaseRefused(Refusal.UNROUTED, case.number, case.department_id)
    return case


def case_for(
    *, session: Session, config: AssociationConfig, person: Person, case_id: int, action: Action
) -> FeedbackCase:
    """The case, if `person` may do `action` on it (for opening a form or showing a confidential case)."""
    case = _open_case(session, config, case_id)
    require(config, person, action, case_scope(config, case.department_id))
    return case


def case_with_history(
    *, session: Session, config: AssociationConfig, person: Person, case_id: int
) -> tuple[FeedbackCase, list]:
    """The case and its history, for someone who may handle it (a confidential case's full view)."""
    case = case_for(session=session, config=config, person=person, case_id=case_id, action=Action.SEE_CONFIDENTIAL_CASE)
    return case, store.history(session, [case.id])[case.id]


def _acknowledge(case: FeedbackCase, person_id: str, now: datetime) -> None:
    if case.taken_at is None:
        case.taken_at = now
    if case.status == CaseStatus.NEW:
        case.status = CaseStatus.TAKEN
    if case.assignee is None:
        case.assignee = person_id


class Step(TypedDict):
    """What every step below is called with, by keyword: the transaction, the configuration, who acts, on which case
    and when, and the chat request's key (left out or None outside a chat request)."""

    session: Session
    config: AssociationConfig
    person: Person
    case_id: int
    now: datetime
    request_key: NotRequired[Key]


def _begin(step: Step, action: Action, closed_refused: bool = True) -> FeedbackCase:
    """What every step does first: claim the request's key, lock the case, check that the person may do `action` on
    it, and (unless `closed_refused` is off) refuse a closed case."""
    session, config = step["session"], step["config"]
    claim(session, step.get("request_key"), step["now"])
    case = _open_case(session, config, step["case_id"])
    require(config, step["person"], action, case_scope(config, case.department_id))
    if closed_refused and case.status == CaseStatus.CLOSED:
        raise CaseRefused(Refusal.CLOSED, case.number)
    return case


def _record(step: Step, case: FeedbackCase, kind: CaseEventKind, detail: str | None = None) -> CaseEvent:
    """What every step that changes the case does last: record in its history who did `kind` (with `detail`) and
    when; the views of those who handle the case's department show it changed."""
    mark_department(step["session"], step["config"], case.department_id)
    return store.add_event(step["session"], case.id, step["now"], step["person"].id, kind, detail)


def _checked_text(text: str, field: str, limit: int) -> str:
    """The stripped text of a form's `field`; InvalidReport when it is empty or longer than `limit`."""
    text = text.strip()
    if not text:
        raise InvalidReport({field: f"empty_{field}"})
    if len(text) > limit:
        raise InvalidReport({field: f"{field}_too_long"})
    return text


def take(**step: Unpack[Step]) -> FeedbackCase:
    """The person takes the case: they become its handler and the take deadline is met.

    A case that already has a handler is refused (someone else was quicker); use assign to hand it over. A case
    the person already holds is left as it is (a double-click on the button).
    """
    case, person = _begin(step, Action.TAKE_CASE), step["person"]
    if case.assignee == person.id:
        return case
    if case.assignee is not None:
        holder = step["config"].find_person(case.assignee)
        raise CaseRefused(Refusal.ALREADY_TAKEN, case.number, holder.name if holder else case.assignee)
    _acknowledge(case, person.id, step["now"])
    _record(step, case, CaseEventKind.TAKEN)
    return case


def assign(*, assignee_id: str, **step: Unpack[Step]) -> FeedbackCase:
    """Give the case to one of the department's handlers."""
    case = _begin(step, Action.ASSIGN_CASE)
    if assignee_id not in {handler.id for handler in case_handlers(step["config"], case.department_id)}:
        raise CaseRefused(Refusal.NOT_HANDLER, case.number)
    case.assignee = assignee_id
    _acknowledge(case, assignee_id, step["now"])
    _record(step, case, CaseEventKind.ASSIGNED, assignee_id)
    return case


def answer(*, text: str, **step: Unpack[Step]) -> FeedbackCase:
    """Store the answer and queue it as a DM to the reporter (not possible for an anonymous case)."""
    case, person, now = _begin(step, Action.ANSWER_CASE), step["person"], step["now"]
    text = _checked_text(text, "answer", text_limits.CASE_ANSWER)
    _acknowledge(case, person.id, now)
    case.status = CaseStatus.ANSWERED
    case.answer = text
    if case.answered_at is None:
        case.answered_at = now
    event = _record(step, case, CaseEventKind.ANSWERED, text)
    outbox.enqueue(step["session"], answer_rows(step["config"], case, person, text, str(event.id), now))
    return case


def close(*, resolution: str, **step: Unpack[Step]) -> FeedbackCase:
    """Close the case with a resolution."""
    case = _begin(step, Action.CLOSE_CASE)
    resolution = _checked_text(resolution, "resolution", text_limits.CASE_RESOLUTION)
    case.status = CaseStatus.CLOSED
    case.closed_at = step["now"]
    case.resolution = resolution
    _record(step, case, CaseEventKind.CLOSED, resolution)
    return case


def reopen(**step: Unpack[Step]) -> FeedbackCase:
    """Reopen a closed case: it is taken (by the reopener when it had no handler) and must be answered again within
    a new deadline counted from today. The original answer deadline stays, for the statistics. A case this person
    reopened last is left as it is (a double-click on the button)."""
    case, person, config = _begin(step, Action.REOPEN_CASE, closed_refused=False), step["person"], step["config"]
    if case.status != CaseStatus.CLOSED:
        last = store.history(step["session"], [case.id])[case.id][-1]
        if last.kind == CaseEventKind.REOPENED and last.actor == person.id:
            return case
        raise CaseRefused(Refusal.NOT_CLOSED, case.number)
    case.status = CaseStatus.TAKEN
    if case.assignee is None:
        case.assignee = person.id
    case.closed_at = None
    case.resolution = None
    case.reopen_answer_due = answer_deadline(config, local_date(config, step["now"]))
    _record(step, case, CaseEventKind.REOPENED)
    return case


def set_confidential(*, confidential: bool | None = None, **step: Unpack[Step]) -> FeedbackCase:
    """Set the confidentiality mark (None toggles it): the triage channel then shows only number, category and
    deadline. Asking for the mark the case already has changes nothing, so a double-click cannot unmark it."""
    case = _begin(step, Action.MARK_CASE_CONFIDENTIAL, closed_refused=False)
    wanted = not case.confidential if confidential is None else confidential
    if wanted == case.confidential:
        return case
    case.confidential = wanted
    _record(step, case, CaseEventKind.CONFIDENTIAL if case.confidential else CaseEventKind.NOT_CONFIDENTIAL)
    return case
