"""The buttons on a case's triage message: take, reopen and confidentiality act at once; assign, answer and
close open a form; show reveals a confidential case to those who may handle it."""

from functools import partial

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.cases import service
from bot.cases.notices import triage_text
from bot.cases.permissions import case_handlers
from bot.cases.triage import refresh_triage
from bot.runtime import Runtime
from handlers.slack.actions.case_steps import case_id_of, perform
from messages.case_modals import answer_modal, assign_modal, close_modal
from messages.render import render
from storage import cases as store

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


def register(app: App, runtime: Runtime) -> None:
    config = runtime.config

    def immediate(ack: Ack, body: dict, action: dict, client: WebClient, respond) -> None:
        ack()
        case_id = case_id_of(action.get("value", ""))
        if case_id is None:
            _tell(respond, render("case_refused", reason="missing", number=None))
            return
        step = IMMEDIATE[action["action_id"]]
        case, refusal = perform(runtime, client, body["user"]["id"], partial(_run, step, config, case_id))
        if refusal:
            _tell(respond, refusal)
            return
        refresh_triage(runtime.engine, client, config, case.id)

    def open_form(ack: Ack, body: dict, action: dict, client: WebClient, respond) -> None:
        ack()
        case_id = case_id_of(action.get("value", ""))
        if case_id is None:
            _tell(respond, render("case_refused", reason="missing", number=None))
            return
        what = FORMS[action["action_id"]]
        case, refusal = perform(runtime, client, body["user"]["id"], partial(_check, config, case_id, what))
        if refusal:
            _tell(respond, refusal)
            return
        if action["action_id"] == "case_assign":
            people = [(person.id, person.name) for person in case_handlers(config, case.department_id)]
            view = assign_modal(case.id, case.number, people)
        elif action["action_id"] == "case_answer":
            view = answer_modal(case.id, case.number, case.anonymous)
        else:
            view = close_modal(case.id, case.number)
        client.views_open(trigger_id=body["trigger_id"], view=view)

    def show(ack: Ack, body: dict, action: dict, client: WebClient, respond) -> None:
        ack()
        case_id = case_id_of(action.get("value", ""))
        found: dict = {}

        def look(session, person, now):
            case = service.case_for(session, config, person, case_id, "se sekretessmarkerade ärenden")
            found["text"] = triage_text(config, case, store.history(session, [case.id])[case.id], restricted=False)
            return case

        case, refusal = perform(runtime, client, body["user"]["id"], look) if case_id else (None, None)
        _tell(respond, refusal or found.get("text") or render("case_refused", reason="missing", number=None))

    for action_id in IMMEDIATE:
        app.action(action_id)(immediate)
    for action_id in FORMS:
        app.action(action_id)(open_form)
    app.action("case_show")(show)


def _run(step, config, case_id: int, session, person, now):
    return step(session, config, person, case_id, now)


def _check(config, case_id: int, what: str, session, person, now):
    return service.case_for(session, config, person, case_id, what)
