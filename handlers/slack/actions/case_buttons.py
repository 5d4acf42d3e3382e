"""The buttons on a case's triage message: take, reopen and confidentiality act at once; assign, answer and
close open a form (a loading modal at once, filled in once the case is checked); show reveals a confidential
case to those who may handle it."""

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.cases import service
from bot.cases.notices import triage_text
from bot.cases.permissions import case_handlers
from bot.cases.triage import refresh_triage
from bot.runtime import Runtime
from handlers.slack.actions.case_steps import case_id_of, confidentiality_of, perform
from handlers.slack.request_keys import request_key
from messages.case_modals import answer_modal, assign_modal, close_modal, notice_modal
from messages.render import render

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
        refresh_triage(runtime.engine, client, config, case.id)

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
