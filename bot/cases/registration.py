"""Registering a report: checking what the reporter submitted, giving it the next case number, and queueing its
receipt and triage post. Anyone in the workspace may report; an anonymous report keeps nothing that points at its
reporter (no user id, no contact, no link to the message it came from)."""

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.cases.deadlines import answer_deadline, take_deadline
from bot.cases.notices import receipt_rows, triage_rows
from bot.cases.numbering import allocate_number
from bot.config.cases_model import CATEGORIES
from bot.config.model import AssociationConfig
from bot.home.dirty import mark_department
from bot.local_time import local_date
from bot.replays import claim
from messages import text_limits
from messages.case_labels import EVENT_DETAILS
from messages.case_modals import ReportValues
from storage import cases as store
from storage import outbox
from storage.cases import CaseEventKind, FeedbackCase

log = logging.getLogger(__name__)


class InvalidReport(Exception):
    """The report cannot be registered; `problems` maps form fields to problem codes."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(", ".join(f"{field}: {code}" for field, code in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class Report(ReportValues):
    """What a reporter submitted (the report form's values) and who did, from which message. For an anonymous report
    `reporter_user_id`, `contact` and `source_link` (a link to a message can point straight at its writer) are
    dropped before anything is stored."""

    reporter_user_id: str | None = None
    source_link: str | None = None


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
    store.insert_case(session, case)
    # A new case's whole history is the events added here, in this order: the triage post needs no query for it.
    registered = EVENT_DETAILS["anonymous"] if report.anonymous else None
    events = [store.add_event(session, case.id, now, None, CaseEventKind.REGISTERED, registered)]
    if report.confidential:
        events.append(
            store.add_event(session, case.id, now, None, CaseEventKind.CONFIDENTIAL, EVENT_DETAILS["at_registration"])
        )
    outbox.enqueue(session, triage_rows(config, case, events, now) + receipt_rows(config, case, now))
    mark_department(session, config, case.department_id)  # a new case waits in its handlers' views
    log.info("registered case %s (%s) for department %s", case.number, case.category, case.department_id)
    return case
