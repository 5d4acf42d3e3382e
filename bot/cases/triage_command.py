"""The triage post's buttons and forms, for any chat platform: which step a button runs (take, reopen and
confidentiality act at once; assign, answer and close open a form; show reveals a confidential case to those who
may handle it), which form it opens, and what a submitted form does. Each step runs for the asker with the same
permission checks (bot/cases/service.py); the platform's handler then refreshes the triage post in place."""

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TypeVar

from sqlalchemy.engine import Engine

from bot.asker import Asker
from bot.cases import service
from bot.cases.notices import triage_message, triage_text
from bot.cases.permissions import case_handlers
from bot.config.model import AssociationConfig
from bot.people import user_platform
from bot.permissions import Action
from bot.replays import Replayed
from bot.replies import DOMAIN_ERRORS, error_text
from messages.case_labels import FORM_TITLES
from messages.case_modals import answer_form, assign_form, close_form, notice_form
from messages.form import Form, FormValues
from messages.message import Message
from messages.render import render
from storage import cases as store
from storage.engine import session_scope

log = logging.getLogger(__name__)
T = TypeVar("T")

IMMEDIATE = {
    "case_take": service.take,
    "case_reopen": service.reopen,
    "case_confidential": service.set_confidential,
}
FORMS = {
    "case_assign": Action.ASSIGN_CASE,
    "case_answer": Action.ANSWER_CASE,
    "case_close": Action.CLOSE_CASE,
}
SHOW = "case_show"
# A case form's kind -> (the id of its one field, the step it submits to, the step's keyword for that field).
FORM_STEPS: dict[str, tuple[str, Callable[..., object], str]] = {
    "case_assign": ("assignee", service.assign, "assignee_id"),
    "case_answer": ("answer", service.answer, "text"),
    "case_close": ("resolution", service.close, "resolution"),
}


def case_id_of(value: str | None) -> int | None:
    """The case id a triage button carries: '12', or '12:on' / '12:off' on the confidentiality button; None
    when the value is not one."""
    number = (value or "").partition(":")[0]
    return int(number) if number.isdigit() else None


def confidentiality_of(value: str | None) -> bool | None:
    """What the confidentiality button asks for; None on a button posted before it said so (then it toggles)."""
    return {"on": True, "off": False}.get((value or "").partition(":")[2])


def perform(
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    step: Callable[..., T],
    arguments: Mapping[str, object],
    now: datetime,
) -> tuple[T | None, str | None]:
    """Run the service `step` for the asker, in one transaction: step(session=, config=, person=, **arguments).

    (what the step returned, None), or (None, why it was refused, in Swedish at `now`); a refused step changes
    nothing. (None, None) when the request was processed before (a replay or a double-click): the caller answers
    quietly. Anything unexpected (the platform, the database, a bug) is logged with its traceback for the operator
    and refused with the Swedish apology, so the user is never left with a generic error or with silence.
    """
    try:
        person = asker.known()
        with session_scope(engine) as session:
            return step(session=session, config=config, person=person, **arguments), None
    except Replayed:
        return None, None
    except DOMAIN_ERRORS as error:
        return None, error_text(error, config, now)
    except Exception:
        platform = user_platform(asker.user_id).value.capitalize()
        log.exception("a case step for %s user %s failed", platform, asker.user_id)
        return None, render("internal_error")


def press(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    action: str,
    case_id: int,
    value: str | None,
    now: datetime,
    request_key: str,
) -> str | None:
    """Run the step of an immediate button (IMMEDIATE); the refusal in Swedish, or None.

    The confidentiality button says which way it sets the mark (its value), so a double-click sets it once."""
    step = IMMEDIATE[action]
    wanted = {"confidential": confidentiality_of(value)} if step is service.set_confidential else {}
    arguments = {"case_id": case_id, "now": now, "request_key": request_key, **wanted}
    return perform(engine, config, asker, step, arguments, now)[1]


def button_form(
    *, engine: Engine, config: AssociationConfig, asker: Asker, action: str, case_id: int, now: datetime
) -> Form | str:
    """The form a button of FORMS opens for the case, or the Swedish text saying why the asker may not."""
    arguments = {"case_id": case_id, "action": FORMS[action]}
    case, refusal = perform(engine, config, asker, service.case_for, arguments, now)
    if refusal or case is None:
        return refusal or render("internal_error")
    if action == "case_assign":
        people = [(person.id, person.name) for person in case_handlers(config, case.department_id)]
        return assign_form(case.id, case.number, people)
    if action == "case_answer":
        return answer_form(case.id, case.number, case.anonymous)
    return close_form(case.id, case.number)


def case_form(
    *, engine: Engine, config: AssociationConfig, asker: Asker, action: str, case_id: int, now: datetime
) -> Form:
    """The form a button of FORMS opens for the case, or a notice saying why the asker may not."""
    form = button_form(engine=engine, config=config, asker=asker, action=action, case_id=case_id, now=now)
    return form if isinstance(form, Form) else notice_form(form, FORM_TITLES["case"])


def show_text(*, engine: Engine, config: AssociationConfig, asker: Asker, case_id: int, now: datetime) -> str:
    """A confidential case in full, for someone who may handle it; the refusal otherwise."""
    found, refusal = perform(engine, config, asker, service.case_with_history, {"case_id": case_id}, now)
    if refusal or found is None:
        return refusal or render("internal_error")
    return triage_text(config, *found, restricted=False)


def submit_case_form(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    kind: str,
    case_id: int,
    values: FormValues,
    now: datetime,
    request_key: str,
) -> tuple[bool, str | None]:
    """Run the step of a submitted case form (FORM_STEPS): (whether it did something, None), or (False, the
    refusal in Swedish, to show under the form's field). A replay does nothing and is not refused."""
    field_id, step, keyword = FORM_STEPS[kind]
    arguments = {"case_id": case_id, keyword: values.text(field_id), "now": now, "request_key": request_key}
    done, refusal = perform(engine, config, asker, step, arguments, now)
    return done is not None, refusal


def current_triage(engine: Engine, config: AssociationConfig, case_id: int) -> Message | None:
    """The case's triage message as it stands now (what its post shows after a refresh); None for no such case."""
    with session_scope(engine) as session:
        case = store.get_case(session, case_id)
        if case is None:
            return None
        return triage_message(config, case, store.history(session, [case_id])[case_id])
