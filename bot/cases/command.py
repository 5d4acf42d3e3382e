"""The case command (`synpunkt`, `synpunkt statistik [år]`) and the report form, for any chat platform: which
reply the words get (a neutral Message), the form to open (a neutral Form, pre-filled from a message), and what a
submitted report leads to. The platform's handler reads its payload, calls these and renders what they return."""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from bot.cases import registration
from bot.cases.registration import InvalidReport, Report
from bot.cases.statistics import case_statistics
from bot.config.model import AssociationConfig
from bot.local_time import local_date
from bot.replays import Replayed
from bot.replies import template_message
from messages.case_modals import field_errors, report_form, report_values
from messages.case_statistics import statistics_text
from messages.commands import HELP_WORDS
from messages.form import FieldErrors, Form, FormValues
from messages.message import Message
from messages.render import render
from storage.cases import retrying_locks
from storage.engine import session_scope

log = logging.getLogger(__name__)
STATISTICS_WORDS = {"statistik", "stats"}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def synpunkt_reply(*, engine: Engine, config: AssociationConfig, text: str, now: datetime) -> Message | None:
    """The reply to `synpunkt <text>`: the statistics, the help, or that cases are not set up; None when the
    report form is to be opened (no words)."""
    words = text.split()
    if config.cases is None:
        return template_message("case_not_configured")
    if not words:
        return None
    if words[0].casefold() in STATISTICS_WORDS:
        return statistics_reply(engine=engine, config=config, arguments=words[1:], now=now)
    unknown = "" if words[0].casefold() in HELP_WORDS else " ".join(words)
    return template_message("case_help", unknown=unknown)


def statistics_reply(*, engine: Engine, config: AssociationConfig, arguments: list[str], now: datetime) -> Message:
    """The year's case statistics (this year, or the year given); the help for anything but one plausible year."""
    year = local_date(config, now).year
    if arguments:
        text = arguments[0]
        if len(arguments) > 1 or not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
            return template_message("case_help", unknown=" ".join(["statistik", *arguments]))
        year = int(text)
    with session_scope(engine) as session:
        stats = case_statistics(session=session, config=config, year=year, now=now)
    return Message(text=statistics_text(stats))


def report_form_for(config: AssociationConfig, description: str = "", source_link: str | None = None) -> Form:
    """The report form with the service catalogue, the departments and the member municipalities to choose
    from, pre-filled with a message's text and link when it reports a message."""
    return report_form(
        services=[(service.id, service.name) for service in config.services],
        departments=[(department.id, department.name) for department in config.departments],
        members=[(member.id, member.name) for member in config.members],
        description=description,
        source_link=source_link,
    )


def report_of(values: FormValues, user_id: str, source_link: str | None) -> Report:
    """The submitted form as a Report; an anonymous one carries neither the user id nor the message link."""
    filled = report_values(values)
    return Report(
        **asdict(filled),
        reporter_user_id=None if filled.anonymous else user_id,
        source_link=None if filled.anonymous else source_link,
    )


@dataclass(frozen=True)
class ReportOutcome:
    """What a submitted report leads to: Swedish errors under its fields (the form stays, with what was typed);
    the registered case's id and the confirmation (markup) to show in the form's place; or neither, for a replay."""

    errors: FieldErrors | None = None
    case_id: int | None = None
    confirmation: str | None = None


def register_report(
    *, engine: Engine, config: AssociationConfig, report: Report, now: datetime, request_key: str
) -> ReportOutcome:
    """Register the report once per request key; the caller then sends the case's messages (send_case_messages)."""
    try:
        case = retrying_locks(
            engine,
            lambda session: registration.register(
                session=session, config=config, report=report, now=now, request_key=request_key
            ),
        )
    except Replayed:
        return ReportOutcome()  # the first submission registered the case and sent its receipt
    except InvalidReport as invalid:
        return ReportOutcome(errors=field_errors(invalid.problems))
    except Exception:
        # Logged without the reporter (who may be anonymous); the form stays open with what was typed.
        log.exception("could not register a report; the reporter was asked to try again")
        return ReportOutcome(errors=field_errors({"description": "internal_error"}))
    return ReportOutcome(case_id=case.id, confirmation=render("case_registered", case=case))
