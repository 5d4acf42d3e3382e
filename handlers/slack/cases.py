"""/synpunkt, the message shortcut "Registrera som synpunkt" and the reporting form they open, pre-filled with the
message and its link, and its submission registered; `/synpunkt statistik [år]` for the year's statistics. What
each leads to is decided in bot/cases/command.py; this module reads Slack's payloads and renders the answers."""

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.cases.command import register_report, report_form_for, report_of, synpunkt_reply
from bot.cases.sending import send_case_messages
from bot.runtime import Runtime
from handlers.slack.modals import ModalRequest, open_form
from handlers.slack.payload import view_metadata
from handlers.slack.request_keys import request_key
from messages.case_modals import notice_form
from messages.form import Form
from messages.render import render
from messages.slack.form import errors_response, modal, read_view
from messages.slack.replies import reply

log = logging.getLogger(__name__)
CALLBACK_ID = "register_feedback"


def _register_synpunkt(app: App, runtime: Runtime) -> None:
    @app.command("/synpunkt")
    def synpunkt(ack: Ack, command: dict, client: WebClient, respond: Respond | None) -> None:
        text = command.get("text", "")
        answer = synpunkt_reply(engine=runtime.engine, config=runtime.config, text=text, now=runtime.clock.now())
        if answer is not None:
            ack(reply(answer))
            return
        ack()
        request = ModalRequest(client, command["trigger_id"], command["user_id"], respond)
        open_form(request, None, lambda: report_form_for(runtime.config), "the report form")


def _permalink(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as exc:
        log.warning("no permalink for a message to register as feedback: %s", exc.response.get("error"))
        return None


def _register_register_feedback(app: App, runtime: Runtime) -> None:
    @app.shortcut(CALLBACK_ID)
    def register_feedback(ack: Ack, shortcut: dict, client: WebClient, respond) -> None:
        ack()
        if runtime.config.cases is None:
            respond(text=render("case_not_configured"), response_type="ephemeral")
            return

        def form() -> Form:
            """The report form with the message's text, and a link to it, filled in."""
            message = shortcut.get("message") or {}
            channel = (shortcut.get("channel") or {}).get("id")
            link = _permalink(client, channel, message["ts"]) if channel and message.get("ts") else None
            return report_form_for(runtime.config, description=message.get("text") or "", source_link=link)

        request = ModalRequest(client, shortcut["trigger_id"], shortcut["user"]["id"], respond)
        open_form(request, notice_form(render("case_loading")), form, "the report form from a message")


def _register_case_report(app: App, runtime: Runtime) -> None:
    @app.view("case_report")
    def submit_report(ack: Ack, body: dict) -> None:
        now = runtime.clock.now()
        view = body["view"]
        link = view_metadata(view, {"source_link": str | None}).get("source_link")
        report = report_of(read_view(view), body["user"]["id"], link)
        outcome = register_report(
            engine=runtime.engine, config=runtime.config, report=report, now=now, request_key=request_key(body)
        )
        if outcome.errors is not None:
            ack(**errors_response(outcome.errors))
            return
        if outcome.case_id is None:
            ack()  # a replay closes the form; the first submission registered the case and sent its receipt
            return
        assert outcome.confirmation is not None  # a registered case comes with its confirmation
        ack(response_action="update", view=modal(notice_form(outcome.confirmation)))
        # The receipt and the triage post go out now rather than at the next tick.
        send_case_messages(runtime.engine, runtime.senders, runtime.config, outcome.case_id, now)


def register(app: App, runtime: Runtime) -> None:
    _register_synpunkt(app, runtime)
    _register_register_feedback(app, runtime)
    _register_case_report(app, runtime)
