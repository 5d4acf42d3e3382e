"""A decision task's Rapportera button (under the owner's reminder, the director's notice and `/direktion
uppgifter`) and the report form it opens. What each leads to is decided in bot/board/task_command.py; this module
reads Slack's payloads and renders the answers."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.board.task_command import report_form, submit_report
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from handlers.slack.modals import ModalRequest, open_form
from handlers.slack.payload import our_json, view_metadata
from handlers.slack.request_keys import request_key
from messages.board_task_form import REPORT_ACTIONS, REPORT_FORM, notice_form
from messages.form import Form
from messages.render import render
from messages.slack.form import errors_response, modal, read_view


def _register_report_button(app: App, runtime: Runtime) -> None:
    @app.action(REPORT_ACTIONS)
    def report_button(
        ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond | None, context: BoltContext
    ) -> None:
        value = our_json(action.get("value"), {"decision": int}, f"value of {action.get('action_id')}")
        ack()  # after reading the value (instant), so that a broken one is answered in the ack's place
        actor = actor_of(context)

        def form() -> Form | str:
            return report_form(
                engine=runtime.engine,
                config=runtime.config,
                asker=actor,
                decision_id=value["decision"],
                now=runtime.clock.now(),
            )

        request = ModalRequest(client, body["trigger_id"], actor.user_id, respond)
        open_form(request, notice_form(render("board_loading")), form, "the task report form")


def _register_report_form(app: App, runtime: Runtime) -> None:
    @app.view(REPORT_FORM)
    def report_submitted(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
        """Field errors keep the modal with what was typed; else the confirmation (or refusal) in its place."""
        outcome = submit_report(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor_of(context),
            decision_id=view_metadata(view, {"decision": int})["decision"],
            values=read_view(view),
            now=runtime.clock.now(),
            request_key=request_key(body),
        )
        if outcome.errors is not None:
            ack(**errors_response(outcome.errors))
            return
        ack(response_action="update", view=modal(notice_form(outcome.text)))


def register(app: App, runtime: Runtime) -> None:
    _register_report_button(app, runtime)
    _register_report_form(app, runtime)
