"""The one mapping from domain errors to what the chat user reads, whichever platform asked.

`error_text` turns a domain error into its Swedish text; the platform's handler decides only where the text shows
(a command's reply, a notice in a form, an error under a form field)."""

from datetime import datetime

from bot.board.decisions import BoardRefused
from bot.cases.registration import InvalidReport
from bot.cases.service import CaseRefused
from bot.config.model import AssociationConfig
from bot.errors import NotAllowed, UnknownPerson
from bot.followup.answers import ConcurrentSubmission
from bot.followup.rounds import RoundNotOpen, next_round, open_rounds, round_times
from bot.followup.service import NoDeputy, UnknownIndicator
from bot.surveys import rounds as survey_rounds
from bot.surveys.answers import SurveyRefused
from messages.case_modals import field_errors
from messages.followup_labels import ERROR_TEXT
from messages.message import Message
from messages.render import render

DomainError = (
    UnknownPerson
    | NotAllowed
    | RoundNotOpen
    | UnknownIndicator
    | NoDeputy
    | ConcurrentSubmission
    | CaseRefused
    | InvalidReport
    | BoardRefused
    | SurveyRefused
)
DOMAIN_ERRORS = DomainError.__args__  # for `except DOMAIN_ERRORS as error:`


def error_text(error: DomainError, config: AssociationConfig, now: datetime) -> str:
    """The Swedish reply to a domain error."""
    match error:
        case UnknownPerson():
            return render("unknown_person")
        case NotAllowed(action=action, department=department, who=who):
            return render("not_allowed", action=action, department=department, who=who)
        case RoundNotOpen():
            state = error.state(config, now)
            return render("followup_round_not_open", state=state, **round_calendar(config, now))
        case UnknownIndicator(text=text, choices=choices):
            return render("followup_unknown_indicator", text=text, choices=choices)
        case NoDeputy():
            return render("followup_no_deputy", department=str(error))
        case ConcurrentSubmission():
            return ERROR_TEXT["concurrent"]
        case CaseRefused(reason=reason, number=number, detail=detail):
            return render("case_refused", reason=reason, number=number, detail=detail)
        case InvalidReport(problems=problems):
            return " ".join(field_errors(problems).values())
        case BoardRefused(reason=reason, meeting=meeting, released_at=released_at):
            return render("board_refused", reason=reason, meeting=meeting, released_at=released_at)
        case SurveyRefused(reason=reason, round=round_):
            upcoming = survey_rounds.next_round(config, now)
            return render("survey_refused", reason=reason, round=round_, next_round=upcoming)
    raise TypeError(f"not a domain error: {type(error).__name__}")


def error_reply(error: DomainError, config: AssociationConfig, now: datetime) -> Message:
    """The domain error's Swedish text as a reply."""
    return Message(text=error_text(error, config, now))


def template_message(name: str, **context: object) -> Message:
    """A reply rendered from the template `name`."""
    return Message(text=render(name, **context))


def round_calendar(config: AssociationConfig, now: datetime) -> dict[str, object]:
    """What the follow-up texts say about the calendar now: the open rounds, the next round and when it opens."""
    upcoming = next_round(config, now)
    return {
        "open_rounds": open_rounds(config, now),
        "next_round": upcoming,
        "next_opens": round_times(config, upcoming).opens_at if upcoming else None,
    }
