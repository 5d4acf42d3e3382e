"""A case's triage message: its buttons (take, reopen and confidentiality act at once; assign, answer and close
open a form; show reveals a confidential case to those who may handle it), those forms' submissions, and running
one case step for a Slack user."""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.cases import service
from bot.cases.notices import triage_text
from bot.cases.permissions import case_handlers
from bot.cases.sending import send_case_messages
from bot.cases.service import CaseRefused, InvalidReport
from bot.cases.triage import refresh_triage
from bot.config.model import Person
from bot.errors import NotAllowed
from bot.replays import Replayed
from bot.runtime import Runtime
from bot.slack.directory import identify
from handlers.slack.payload import MalformedRequest, view_metadata
from handlers.slack.request_keys import request_key
from messages.case_modals import answer_modal, assign_modal, close_modal, field_errors, notice_modal
from messages.render import render
from storage.engine import session_scope

log = logging.getLogger(__name__)
T = TypeVar("T")


def perform(
    runtime: Runtime, client: WebClient, user_id: str, step: Callable[[Session, Person | None, datetime], T]
) -> tuple[T | None, str | None]:
    """(what the step returned, None), or (None, why it was refused, in Swedish); a refused step changes nothing.

    (None, None) when the request was processed before (a replay or a double-click): the caller acks quietly.

    Anything unexpected (Slack, the database, a bug) is logged with its traceback for the operator and refused
    with the Swedish apology, so the user is never left with Slack's generic error or with silence.
    """
    now = runtime.clock.now()
    try:
        with session_scope(runtime.engine) as session:
            person = identify(session, client, runtime.config, user_id, now)
            return step(session, person, now), None
    except Replayed:
        return None, None
    except NotAllowed as refusal:
        return None, render("not_allowed", what=refusal.what)
    except CaseRefused as refusal:
        return None, render("case_refused", reason=refusal.reason, number=refusal.number, detail=refusal.detail)
    except InvalidReport as invalid:
        return None, " ".join(field_errors(invalid.problems).values())
    except Exception:
        log.exception("a case step for Slack user %s failed", user_id)
        return None, render("internal_error")


def case_id_of(action: dict) -> int:
    """The case id a triage button carries: '12', or '12:on' / '12:off' on the confidentiality button."""
    number = (action.get("value") or "").partition(":")[0]
    if not number.isdigit():
        raise MalformedRequest(f"the value of {action['action_id']} is not a case id")
    return int(number)


def confidentiality_of(action: dict) -> bool | None:
    """What the confidentiality button asks for; None on a button posted before it said so (then it toggles)."""
    return {"on": True, "off": False}.get((action.get("value") or "").partition(":")[2])


IMMEDIATE = {
    "case_take": service.take,
    "case_reopen": service.reopen,
    "case_confidential": service.set_confidential,
}
FORMS = {
    "case_assign": "tilldela ärenden från den här avdelningen",
    "case_answer": "svara på ärenden från den här avdelningen",
    "case_close": "stänga ärenden från den här avdelningen",
}


def _tell(respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def _register_case_buttons(app: App, runtime: Runtime) -> None:
    def immediate(ack: Ack, body: dict, action: dict, client: WebClient, respond) -> None:
        case_id, step = case_id_of(action), IMMEDIATE[action["action_id"]]
        ack()
        config = runtime.config
        # The confidentiality button says which way it sets the mark, so a double-click sets it once.
        wanted = {"confidential": confidentiality_of(action)} if step is service.set_confidential else {}
        key = request_key(body)
        case, refusal = perform(
            runtime,
            client,
            body["user"]["id"],
            lambda session, person, now: step(session, config, person, case_id, now, request_key=key, **wanted),
        )
        if refusal:
            _tell(respond, refusal)
            return
        if case is None:  # processed before (a replay): nothing to refresh or say
            return
        refresh_triage(runtime.engine, runtime.senders, config, case.id, runtime.clock.now())

    def open_form(ack: Ack, body: dict, action: dict, client: WebClient, respond) -> None:
        case_id, what = case_id_of(action), FORMS[action["action_id"]]
        ack()
        config = runtime.config
        # The trigger_id lives 3 s: open a loading modal first, then identify, check and fill it in.
        opened = client.views_open(trigger_id=body["trigger_id"], view=notice_modal(render("case_loading"), "Ärende"))
        case, refusal = perform(
            runtime,
            client,
            body["user"]["id"],
            lambda session, person, now: service.case_for(session, config, person, case_id, what),
        )
        if refusal:
            view = notice_modal(refusal, "Ärende")
        elif action["action_id"] == "case_assign":
            people = [(person.id, person.name) for person in case_handlers(config, case.department_id)]
            view = assign_modal(case.id, case.number, people)
        elif action["action_id"] == "case_answer":
            view = answer_modal(case.id, case.number, case.anonymous)
        else:
            view = close_modal(case.id, case.number)
        client.views_update(view_id=opened["view"]["id"], view=view)

    def show(ack: Ack, body: dict, action: dict, client: WebClient, respond) -> None:
        case_id = case_id_of(action)
        ack()
        config = runtime.config
        found, refusal = perform(
            runtime,
            client,
            body["user"]["id"],
            lambda session, person, now: service.case_with_history(session, config, person, case_id),
        )
        _tell(respond, refusal or triage_text(config, *found, restricted=False))

    for action_id in IMMEDIATE:
        app.action(action_id)(immediate)
    for action_id in FORMS:
        app.action(action_id)(open_form)
    app.action("case_show")(show)


def _case_id(body: dict) -> int:
    return view_metadata(body["view"], {"case_id": int})["case_id"]


def _value(body: dict, block_id: str) -> str:
    element = body["view"]["state"]["values"].get(block_id, {}).get("value", {})
    option = element.get("selected_option")
    return option["value"] if option else (element.get("value") or "")


def _register_case_handling(app: App, runtime: Runtime) -> None:
    def submit(ack: Ack, body: dict, client: WebClient, block_id: str, step) -> int | None:
        """The case id after a successful step (the form then closes); None after a refusal or a replay."""
        config = runtime.config
        case_id, value = _case_id(body), _value(body, block_id)
        key = request_key(body)
        case, refusal = perform(
            runtime,
            client,
            body["user"]["id"],
            lambda s, person, now: step(s, config, person, case_id, value, now, request_key=key),
        )
        if refusal:
            ack(response_action="errors", errors={block_id: refusal})
            return None
        ack()
        if case is None:  # processed before: the form closes, nothing is refreshed or sent again
            return None
        refresh_triage(runtime.engine, runtime.senders, config, case.id, runtime.clock.now())
        return case.id

    @app.view("case_assign")
    def assign(ack: Ack, body: dict, client: WebClient) -> None:
        submit(ack, body, client, "assignee", service.assign)

    @app.view("case_answer")
    def answer(ack: Ack, body: dict, client: WebClient) -> None:
        case_id = submit(ack, body, client, "answer", service.answer)
        if case_id is not None:
            send_case_messages(runtime.engine, runtime.senders, runtime.config, case_id, runtime.clock.now())

    @app.view("case_close")
    def close(ack: Ack, body: dict, client: WebClient) -> None:
        submit(ack, body, client, "resolution", service.close)


def register(app: App, runtime: Runtime) -> None:
    _register_case_buttons(app, runtime)
    _register_case_handling(app, runtime)
