"""A case's triage message in Slack: its buttons, the forms some of them open, and those forms' submissions. What
each does is decided in bot/cases/triage_command.py; this module reads Slack's payloads, renders the answers and
refreshes the triage post."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.cases.sending import send_case_messages
from bot.cases.triage import refresh_triage
from bot.cases.triage_command import (
    FORM_STEPS,
    FORMS,
    IMMEDIATE,
    SHOW,
    case_form,
    case_id_of,
    press,
    show_text,
    submit_case_form,
)
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from handlers.slack.modals import ModalRequest
from handlers.slack.modals import open_form as open_modal_form
from handlers.slack.payload import MalformedRequest, view_metadata
from handlers.slack.request_keys import request_key
from messages.case_labels import FORM_TITLES
from messages.case_modals import notice_form
from messages.render import render
from messages.slack.form import errors_response, read_view


def _case_id(action: dict) -> int:
    """The case id a triage button carries; a value that is not one is a malformed request."""
    case_id = case_id_of(action.get("value"))
    if case_id is None:
        raise MalformedRequest(f"the value of {action['action_id']} is not a case id")
    return case_id


def _tell(respond, text: str) -> None:
    respond(text=text, response_type="ephemeral", replace_original=False)


def _register_case_buttons(app: App, runtime: Runtime) -> None:
    def immediate(ack: Ack, body: dict, action: dict, respond, context: BoltContext) -> None:
        case_id = _case_id(action)
        ack()
        refusal = press(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor_of(context),
            action=action["action_id"],
            case_id=case_id,
            value=action.get("value"),
            now=runtime.clock.now(),
            request_key=request_key(body),
        )
        if refusal:
            _tell(respond, refusal)
            return
        # A replay refreshes too: the first request may have ended before its refresh ran.
        refresh_triage(runtime.engine, runtime.senders, runtime.config, case_id, runtime.clock.now())

    def open_form(
        ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond | None, context: BoltContext
    ) -> None:
        case_id = _case_id(action)
        ack()
        actor = actor_of(context)
        open_modal_form(
            ModalRequest(client, body["trigger_id"], actor.user_id, respond),
            notice_form(render("case_loading"), FORM_TITLES["case"]),
            lambda: case_form(
                engine=runtime.engine,
                config=runtime.config,
                asker=actor,
                action=action["action_id"],
                case_id=case_id,
                now=runtime.clock.now(),
            ),
            "the case's form",
        )

    def show(ack: Ack, action: dict, respond, context: BoltContext) -> None:
        case_id = _case_id(action)
        ack()
        asker, now = actor_of(context), runtime.clock.now()
        _tell(respond, show_text(engine=runtime.engine, config=runtime.config, asker=asker, case_id=case_id, now=now))

    for action_id in IMMEDIATE:
        app.action(action_id)(immediate)
    for action_id in FORMS:
        app.action(action_id)(open_form)
    app.action(SHOW)(show)


def _register_case_handling(app: App, runtime: Runtime) -> None:
    def submit(ack: Ack, body: dict, context: BoltContext) -> None:
        """Run the form's step; the form closes after it (and after a replay), or shows the refusal under its
        field. The triage post is refreshed after a replay too, as the first request may have ended before its
        refresh ran; an answer also goes out to the reporter now."""
        view = body["view"]
        kind, case_id = view["callback_id"], view_metadata(view, {"case_id": int})["case_id"]
        done, refusal = submit_case_form(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor_of(context),
            kind=kind,
            case_id=case_id,
            values=read_view(view),
            now=runtime.clock.now(),
            request_key=request_key(body),
        )
        if refusal:
            ack(**errors_response({FORM_STEPS[kind][0]: refusal}))
            return
        ack()
        refresh_triage(runtime.engine, runtime.senders, runtime.config, case_id, runtime.clock.now())
        if done and kind == "case_answer":
            send_case_messages(runtime.engine, runtime.senders, runtime.config, case_id, runtime.clock.now())

    for kind in FORM_STEPS:
        app.view(kind)(submit)


def register(app: App, runtime: Runtime) -> None:
    _register_case_buttons(app, runtime)
    _register_case_handling(app, runtime)
