"""A case's triage message: its buttons (take, reopen and confidentiality act at once; assign, answer and close
open a form; show reveals a confidential case to those who may handle it), those forms' submissions, and running
one case step for a Slack user."""

import logging
from collections.abc import Callable
from typing import TypeVar

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.cases import service
from bot.cases.notices import triage_text
from bot.cases.permissions import case_handlers
from bot.cases.sending import send_case_messages
from bot.cases.triage import refresh_triage
from bot.permissions import Action
from bot.replays import Replayed
from bot.runtime import Runtime
from handlers.slack.actor import Actor, actor_of
from handlers.slack.payload import MalformedRequest, view_metadata
from handlers.slack.replies import DOMAIN_ERRORS, reply_text
from handlers.slack.request_keys import request_key
from messages.case_labels import FORM_TITLES
from messages.case_modals import answer_form, assign_form, close_form, notice_form
from messages.render import render
from messages.slack.form import errors_response, modal, read_view
from storage.engine import session_scope

log = logging.getLogger(__name__)
T = TypeVar("T")


def perform(runtime: Runtime, actor: Actor, step: Callable[..., T], **arguments: object) -> tuple[T | None, str | None]:
    """Run the service `step` for the actor, in one transaction: step(session=, config=, person=, **arguments).

    (what the step returned, None), or (None, why it was refused, in Swedish); a refused step changes nothing.

    (None, None) when the request was processed before (a replay or a double-click): the caller acks quietly.

    Anything unexpected (Slack, the database, a bug) is logged with its traceback for the operator and refused
    with the Swedish apology, so the user is never left with Slack's generic error or with silence.
    """
    try:
        person = actor.known()
        with session_scope(runtime.engine) as session:
            return step(session=session, config=runtime.config, person=person, **arguments), None
    except Replayed:
        return None, None
    except DOMAIN_ERRORS as error:
        return None, reply_text(error, runtime)
    except Exception:
        log.exception("a case step for Slack user %s failed", actor.user_id)
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
    "case_assign": Action.ASSIGN_CASE,
    "case_answer": Action.ANSWER_CASE,
    "case_close": Action.CLOSE_CASE,
}


def _tell(respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def _register_case_buttons(app: App, runtime: Runtime) -> None:
    def immediate(ack: Ack, body: dict, action: dict, client: WebClient, respond, context: BoltContext) -> None:
        case_id, step = case_id_of(action), IMMEDIATE[action["action_id"]]
        ack()
        config = runtime.config
        # The confidentiality button says which way it sets the mark, so a double-click sets it once.
        wanted = {"confidential": confidentiality_of(action)} if step is service.set_confidential else {}
        key = request_key(body)
        now = runtime.clock.now()
        case, refusal = perform(runtime, actor_of(context), step, case_id=case_id, now=now, request_key=key, **wanted)
        if refusal:
            _tell(respond, refusal)
            return
        # A replay (case is None) refreshes too: the first request may have ended before its refresh ran.
        refresh_triage(runtime.engine, runtime.senders, config, case_id, runtime.clock.now())

    def open_form(ack: Ack, body: dict, action: dict, client: WebClient, context: BoltContext) -> None:
        case_id, what = case_id_of(action), FORMS[action["action_id"]]
        ack()
        config = runtime.config
        # The trigger_id lives 3 s: open a loading modal first, then identify, check and fill it in.
        opened = client.views_open(
            trigger_id=body["trigger_id"], view=modal(notice_form(render("case_loading"), FORM_TITLES["case"]))
        )
        case, refusal = perform(runtime, actor_of(context), service.case_for, case_id=case_id, action=what)
        if refusal:
            form = notice_form(refusal, FORM_TITLES["case"])
        elif action["action_id"] == "case_assign":
            people = [(person.id, person.name) for person in case_handlers(config, case.department_id)]
            form = assign_form(case.id, case.number, people)
        elif action["action_id"] == "case_answer":
            form = answer_form(case.id, case.number, case.anonymous)
        else:
            form = close_form(case.id, case.number)
        client.views_update(view_id=opened["view"]["id"], view=modal(form))

    def show(ack: Ack, action: dict, respond, context: BoltContext) -> None:
        case_id = case_id_of(action)
        ack()
        config = runtime.config
        found, refusal = perform(runtime, actor_of(context), service.case_with_history, case_id=case_id)
        _tell(respond, refusal or triage_text(config, *found, restricted=False))

    for action_id in IMMEDIATE:
        app.action(action_id)(immediate)
    for action_id in FORMS:
        app.action(action_id)(open_form)
    app.action("case_show")(show)


def _case_id(body: dict) -> int:
    return view_metadata(body["view"], {"case_id": int})["case_id"]


def _value(body: dict, field_id: str) -> str:
    """The typed text or the chosen option of a case form's one field; empty when there is none."""
    return read_view(body["view"]).text(field_id)


def _register_case_handling(app: App, runtime: Runtime) -> None:
    def submit(
        ack: Ack, body: dict, client: WebClient, context: BoltContext, block_id: str, step: Callable, field: str
    ) -> int | None:
        """The case id after a successful step (the form then closes); None after a refusal or a replay.

        `field` is the step's keyword for what the form's `block_id` holds."""
        config = runtime.config
        case_id, value, key, now = _case_id(body), _value(body, block_id), request_key(body), runtime.clock.now()
        arguments = {"case_id": case_id, field: value, "now": now, "request_key": key}
        case, refusal = perform(runtime, actor_of(context), step, **arguments)
        if refusal:
            ack(**errors_response({block_id: refusal}))
            return None
        ack()
        # A replay (case is None) refreshes too, as the first request may have ended before its refresh ran;
        # the form closes and nothing is sent again.
        refresh_triage(runtime.engine, runtime.senders, config, case_id, runtime.clock.now())
        return None if case is None else case.id

    @app.view("case_assign")
    def assign(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        submit(ack, body, client, context, "assignee", service.assign, "assignee_id")

    @app.view("case_answer")
    def answer(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        case_id = submit(ack, body, client, context, "answer", service.answer, "text")
        if case_id is not None:
            send_case_messages(runtime.engine, runtime.senders, runtime.config, case_id, runtime.clock.now())

    @app.view("case_close")
    def close(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        submit(ack, body, client, context, "resolution", service.close, "resolution")


def register(app: App, runtime: Runtime) -> None:
    _register_case_buttons(app, runtime)
    _register_case_handling(app, runtime)
