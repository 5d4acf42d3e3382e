"""The case service: register a report, then take, assign, answer, close, reopen and mark it confidential.

Every step checks who may do it, records who did it and when, and queues what must be sent. Every step that
comes from a chat request claims the request's key in its own transaction (bot/replays.py): a replay or a
double-click of the same request raises Replayed and changes nothing.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from bot.cases.deadlines import answer_deadline, local_date, take_deadline
from bot.cases.notices import answer_rows, receipt_rows, triage_rows
from bot.cases.numbering import allocate_number
from bot.cases.permissions import case_handlers, case_scope, department_routed
from bot.config.cases_model import CATEGORIES
from bot.config.model import AssociationConfig, Person
from bot.permissions import Action, require
from bot.replays import claim
from messages import text_limits
from storage import cases as store
from storage import outbox
from storage.cases import CaseEventKind, CaseStatus, FeedbackCase

log = logging.getLogger(__name__)


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


class InvalidReport(Exception):
    """The report cannot be registered; `problems` maps form fields to problem codes."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(", ".join(f"{field}: {code}" for field, code in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Report:
    """What a reporter submitted. For an anonymous report `reporter_user_id`, `contact` and `source_link` (a link to
    a message can point straight at its writer) are dropped before anything is stored."""

    category: str
    department_id: str | None
    service_id: str | None
    member_id: str | None
    description: str
    contact: str | None
    anonymous: bool
    reporter_user_id: str | None
    source_link: str | None = None
    confidential: bool = False  # the reporter ticked "may contain sensitive details": posted restricted from the start


def report_problems(config: AssociationConfig, report: Report) -> dict[str, str]:
    """Form field -> problem code for everything wrong with the report (empty when it can be registered)."""
    if config.cases is None:
        return {"description": "not_configured"}
    problems: dict[str, str] = {}
    if report.category not in CATEGORIES:
        problems["category"] = "unknown_category"
    services = {service.id: service for service in config.services}
    departments = {department.id for department in config.departments}
    if report.service_id is not None and report.service_id not in services:
        problems["subject"] = "unknown_subject"
    elif report.service_id is None and report.department_id not in departments:
        problems["subject"] = "unknown_subject"
    if report.member_id is not None and report.member_id not in {member.id for member in config.members}:
        problems["member"] = "unknown_member"
    description = report.description.strip()
    if not description:
        problems["description"] = "empty_description"
    elif len(description) > text_limits.CASE_DESCRIPTION:
        problems["description"] = "description_too_long"
    if report.source_link is not None and not _plausible_link(report.source_link):
        problems.setdefault("description", "source_link_invalid")
    if report.contact and len(report.contact.strip()) > text_limits.CASE_CONTACT:
        problems["contact"] = "contact_too_long"
    if report.anonymous and report.contact and report.contact.strip():
        problems["contact"] = "contact_when_anonymous"
    if not report.anonymous and not report.reporter_user_id:
        problems["anonymous"] = "no_reporter"
    return problems


def _plausible_link(link: object) -> bool:
    """A message permalink as the form carries it (a forged form may carry anything): https, short, one word."""
    if not isinstance(link, str):
        return False
    return link.startswith("https://") and len(link) <= text_limits.CASE_SOURCE_LINK and len(link.split()) == 1


def _department_of(config: AssociationConfig, report: Report) -> str:
    if report.service_id is not None:
        return next(s.department for s in config.services if s.id == report.service_id)
    return report.department_id


def register(
    *, session: Session, config: AssociationConfig, report: Report, now: datetime, request_key: str | None = None
) -> FeedbackCase:
    """Register the report with the next case number and queue its receipt and triage post, in the caller's
    transaction (on SQLite the caller retries it when the database is locked: storage.cases.retrying_locks).

    A request already processed (`request_key` recorded) raises Replayed and registers nothing.
    """
    problems = report_problems(config, report)
    if problems:
        raise InvalidReport(problems)
    claim(session, request_key, now)
    day = local_date(config, now)
    serial, number = allocate_number(session, config, day.year)
    case = FeedbackCase(
        number=number,
        year=day.year,
        serial=serial,
        category=report.category,
        department_id=_department_of(config, report),
        service_id=report.service_id,
        member_id=report.member_id,
        description=report.description.strip(),
        contact=None if report.anonymous else (report.contact or "").strip() or None,
        anonymous=report.anonymous,
        reporter_user_id=None if report.anonymous else report.reporter_user_id,
        source_link=None if report.anonymous else report.source_link,
        confidential=report.confidential,
        registered_at=now,
        take_due=take_deadline(config, day),
        answer_due=answer_deadline(config, day),
    )
    session.add(case)
    session.flush()
    store.add_event(session, case.id, now, None, CaseEventKind.REGISTERED, "anonym" if report.anonymous else None)
    if report.confidential:
        store.add_event(session, case.id, now, None, CaseEventKind.CONFIDENTIAL, "vid anmälan")
    events = store.history(session, [case.id])[case.id]
    outbox.enqueue(session, triage_rows(config, case, events, now) + receipt_rows(config, case, now))
    log.info("registered case %s (%s) for department %s", case.number, case.category, case.department_id)
    return case


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


def _not_closed(case: FeedbackCase) -> None:
    if case.status == CaseStatus.CLOSED:
        raise CaseRefused(Refusal.CLOSED, case.number)


def _acknowledge(case: FeedbackCase, person_id: str, now: datetime) -> None:
    if case.taken_at is None:
        case.taken_at = now
    if case.status == CaseStatus.NEW:
        case.status = CaseStatus.TAKEN
    if case.assignee is None:
        case.assignee = person_id


def take(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    case_id: int,
    now: datetime,
    request_key: str | None = None,
) -> FeedbackCase:
    """The person takes the case: they become its handler and the take deadline is met.

    A case that already has a handler is refused (someone else was quicker); use assign to hand it over. A case
    the person already holds is left as it is (a double-click on the button).
    """
    claim(session, request_key, now)
    case = _open_case(session, config, case_id)
    require(config, person, Action.TAKE_CASE, case_scope(config, case.department_id))
    _not_closed(case)
    if case.assignee == person.id:
        return case
    if case.assignee is not None:
        holder = next((p.name for p in config.people if p.id == case.assignee), case.assignee)
        raise CaseRefused(Refusal.ALREADY_TAKEN, case.number, holder)
    _acknowledge(case, person.id, now)
    store.add_event(session, case.id, now, person.id, CaseEventKind.TAKEN, None)
    return case


def assign(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    case_id: int,
    assignee_id: str,
    now: datetime,
    request_key: str | None = None,
) -> FeedbackCase:
    """Give the case to one of the department's handlers."""
    claim(session, request_key, now)
    case = _open_case(session, config, case_id)
    require(config, person, Action.ASSIGN_CASE, case_scope(config, case.department_id))
    _not_closed(case)
    if assignee_id not in {handler.id for handler in case_handlers(config, case.department_id)}:
        raise CaseRefused(Refusal.NOT_HANDLER, case.number)
    case.assignee = assignee_id
    _acknowledge(case, assignee_id, now)
    store.add_event(session, case.id, now, person.id, CaseEventKind.ASSIGNED, assignee_id)
    return case


def answer(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    case_id: int,
    text: str,
    now: datetime,
    request_key: str | None = None,
) -> FeedbackCase:
    """Store the answer and queue it as a DM to the reporter (not possible for an anonymous case)."""
    claim(session, request_key, now)
    case = _open_case(session, config, case_id)
    require(config, person, Action.ANSWER_CASE, case_scope(config, case.department_id))
    _not_closed(case)
    text = text.strip()
    if not text:
        raise InvalidReport({"answer": "empty_answer"})
    if len(text) > text_limits.CASE_ANSWER:
        raise InvalidReport({"answer": "answer_too_long"})
    _acknowledge(case, person.id, now)
    case.status = CaseStatus.ANSWERED
    case.answer = text
    if case.answered_at is None:
        case.answered_at = now
    event = store.add_event(session, case.id, now, person.id, CaseEventKind.ANSWERED, text)
    outbox.enqueue(session, answer_rows(config, case, person, text, str(event.id), now))
    return case


def close(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    case_id: int,
    resolution: str,
    now: datetime,
    request_key: str | None = None,
) -> FeedbackCase:
    """Close the case with a resolution."""
    claim(session, request_key, now)
    case = _open_case(session, config, case_id)
    require(config, person, Action.CLOSE_CASE, case_scope(config, case.department_id))
    _not_closed(case)
    resolution = resolution.strip()
    if not resolution:
        raise InvalidReport({"resolution": "empty_resolution"})
    if len(resolution) > text_limits.CASE_RESOLUTION:
        raise InvalidReport({"resolution": "resolution_too_long"})
    case.status = CaseStatus.CLOSED
    case.closed_at = now
    case.resolution = resolution
    store.add_event(session, case.id, now, person.id, CaseEventKind.CLOSED, resolution)
    return case


def reopen(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    case_id: int,
    now: datetime,
    request_key: str | None = None,
) -> FeedbackCase:
    """Reopen a closed case: it is taken (by the reopener when it had no handler) and must be answered again within
    a new deadline counted from today. The original answer deadline stays, for the statistics. A case this person
    reopened last is left as it is (a double-click on the button)."""
    claim(session, request_key, now)
    case = _open_case(session, config, case_id)
    require(config, person, Action.REOPEN_CASE, case_scope(config, case.department_id))
    if case.status != CaseStatus.CLOSED:
        last = store.history(session, [case.id])[case.id][-1]
        if last.kind == CaseEventKind.REOPENED and last.actor == person.id:
            return case
        raise CaseRefused(Refusal.NOT_CLOSED, case.number)
    case.status = CaseStatus.TAKEN
    if case.assignee is None:
        case.assignee = person.id
    case.closed_at = None
    case.resolution = None
    case.reopen_answer_due = answer_deadline(config, local_date(config, now))
    store.add_event(session, case.id, now, person.id, CaseEventKind.REOPENED, None)
    return case


def set_confidential(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    case_id: int,
    now: datetime,
    confidential: bool | None = None,
    request_key: str | None = None,
) -> FeedbackCase:
    """Set the confidentiality mark (None toggles it): the triage channel then shows only number, category and
    deadline. Asking for the mark the case already has changes nothing, so a double-click cannot unmark it."""
    claim(session, request_key, now)
    case = _open_case(session, config, case_id)
    require(config, person, Action.MARK_CASE_CONFIDENTIAL, case_scope(config, case.department_id))
    wanted = not case.confidential if confidential is None else confidential
    if wanted == case.confidential:
        return case
    case.confidential = wanted
    kind = CaseEventKind.CONFIDENTIAL if case.confidential else CaseEventKind.NOT_CONFIDENTIAL
    store.add_event(session, case.id, now, person.id, kind, None)
    return case
