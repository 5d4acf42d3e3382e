"""A board decision as the secretary typed it, checked: every problem at once, as a code per form field (the
Swedish texts are in messages/board_form.py)."""

import re
from dataclasses import dataclass
from datetime import date

from bot.config.model import AssociationConfig, Event
from messages.board_form import INTERNAL, PUBLIC, DecisionValues
from messages.text_limits import BOARD_CASE_NUMBER, BOARD_SUMMARY, BOARD_TITLE

DUE_FORMAT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Permissive: as the association writes its case numbers ('VMKF 2027/12', 'Dnr 2027-0042', 'DIR 2027.12'):
# letters, digits, spaces and . / - : after a letter or digit, with at least one digit somewhere.
CASE_NUMBER = re.compile(r"^(?=.*\d)[^\W_][\w .:/-]*$")


class InvalidDecision(Exception):
    """The decision form's values have problems: field id -> problem code."""

    def __init__(self, problems: dict[str, str]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class DecisionInput:
    """A decision's fields, checked and normalised, ready to store."""

    title: str
    summary: str
    concerns_all: bool
    member_ids: tuple[str, ...]
    department_ids: tuple[str, ...]
    public: bool
    owner: str | None
    due: date | None
    case_number: str | None


def checked(config: AssociationConfig, meeting: Event, typed: DecisionValues) -> DecisionInput:
    """The typed values as a DecisionInput; InvalidDecision naming every field that is wrong."""
    problems: dict[str, str] = {}
    if not typed.title:
        problems["title"] = "empty_title"
    elif len(typed.title) > BOARD_TITLE:
        problems["title"] = "title_too_long"
    if not typed.summary:
        problems["summary"] = "empty_summary"
    elif len(typed.summary) > BOARD_SUMMARY:
        problems["summary"] = "summary_too_long"
    concern = _concerns_problem(config, typed)
    if concern:
        problems["concerns"] = concern
    if typed.visibility not in (PUBLIC, INTERNAL):
        problems["visibility"] = "no_visibility"
    owner = typed.owner or None
    if owner is not None and config.find_person(owner) is None:
        problems["owner"] = "unknown_owner"
    due, due_problem = _due(typed.due, meeting.date)
    if due_problem:
        problems["due"] = due_problem
    elif owner and not typed.due:
        problems["due"] = "owner_without_due"
    elif typed.due and not owner and "owner" not in problems:
        problems["owner"] = "due_without_owner"
    case_number = " ".join(typed.case_number.split()) or None
    if case_number is not None and (len(case_number) > BOARD_CASE_NUMBER or not CASE_NUMBER.match(case_number)):
        problems["case_number"] = "bad_case_number"
    if problems:
        raise InvalidDecision(problems)
    return DecisionInput(
        title=typed.title,
        summary=typed.summary,
        concerns_all=typed.concerns_all,
        member_ids=tuple(dict.fromkeys(typed.member_ids)),
        department_ids=tuple(dict.fromkeys(typed.department_ids)),
        public=typed.visibility == PUBLIC,
        owner=owner,
        due=due,
        case_number=case_number,
    )


def _concerns_problem(config: AssociationConfig, typed: DecisionValues) -> str | None:
    members = {member.id for member in config.members}
    departments = {department.id for department in config.departments}
    some = typed.member_ids or typed.department_ids
    if typed.unknown_concerns or not set(typed.member_ids) <= members or not set(typed.department_ids) <= departments:
        return "unknown_concerns"
    if typed.concerns_all and some:
        return "all_and_some"
    if not typed.concerns_all and not some:
        return "no_concerns"
    return None


def _due(text: str, meeting_day: date) -> tuple[date | None, str | None]:
    """The due date typed as YYYY-MM-DD, not before the meeting; (None, None) when nothing was typed."""
    if not text:
        return None, None
    try:
        due = date.fromisoformat(text) if DUE_FORMAT.match(text) else None
    except ValueError:
        due = None
    if due is None:
        return None, "bad_due"
    if due < meeting_day:
        return None, "due_before_meeting"
    return due, None
