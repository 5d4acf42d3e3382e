"""The board's decisions in Slack: the buttons that open the decision form (the secretary's request, and
`/direktion protokoll`'s [Nytt beslut] and [Ändra]), the form's submission, and [Skicka sammanfattningarna].
bot/board/protocol.py decides what each leads to; this module reads Slack's payloads and renders the answers."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.board.digests import send_released
from bot.board.protocol import decision_form_for, release_press, submit_decision
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from handlers.slack.modals import ModalRequest
from handlers.slack.modals import open_form as open_modal_form
from handlers.slack.payload import our_json, view_metadata
from handlers.slack.request_keys import request_key
from messages.board_form import EDIT_ACTIONS, FORM_KIND, NEW_ACTION, RELEASE_ACTION, notice_form
from messages.form import Form
from messages.render import render
from messages.slack.form import errors_response, modal, read_view
from messages.slack.replies import reply


def _register_form_buttons(app: App, runtime: Runtime) -> None:
    def open_form(
        ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond | None, context: BoltContext
    ) -> None:
        """The decision form, or why there is none, in a modal that opens at once (handlers/slack/modals.py)."""
        new = action["action_id"] == NEW_ACTION
        schema: dict[str, type] = {"meeting": str} if new else {"decision": int}
        target = our_json(action.get("value"), schema, f"value of {action['action_id']}")
        ack()
        actor = actor_of(context)

        def form() -> Form | str:
            return decision_form_for(
                engine=runtime.engine,
                config=runtime.config,
                asker=actor,
                now=runtime.clock.now(),
                meeting_id=target.get("meeting"),
                decision_id=target.get("decision"),
            )

        request = ModalRequest(client, body["trigger_id"], actor.user_id, respond)
        open_modal_form(request, notice_form(render("board_loading")), form, "the decision form")

    app.action(NEW_ACTION)(open_form)
    app.action(EDIT_ACTIONS)(open_form)


def _register_form(app: App, runtime: Runtime) -> None:
    @app.view(FORM_KIND)
    def submitted(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
        """Errors under the fields (the modal keeps what was typed), or the confirmation or refusal in its place."""
        meta = view_metadata(view, {"meeting": str, "decision": int | None, "revision": int | None})
        outcome = submit_decision(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor_of(context),
            now=runtime.clock.now(),
            meeting_id=meta["meeting"],
            decision_id=meta.get("decision"),
            revision=meta.get("revision"),
            values=read_view(view),
            request_key=request_key(body),
        )
        if outcome.errors is not None:
            ack(errors_response(outcome.errors))
            return
        ack(response_action="update", view=modal(notice_form(outcome.text)))


def _register_release(app: App, runtime: Runtime) -> None:
    @app.action(RELEASE_ACTION)
    def release(ack: Ack, body: dict, action: dict, respond: Respond, context: BoltContext) -> None:
        """The decisions, now final, in the list's place and the digests sent at once; a refusal beside it."""
        meeting_id = our_json(action.get("value"), {"meeting": str}, f"value of {RELEASE_ACTION}")["meeting"]
        ack()
        answer = release_press(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor_of(context),
            meeting_id=meeting_id,
            now=runtime.clock.now(),
            request_key=request_key(body),
        )
        if isinstance(answer, str):
            respond(text=answer, response_type="ephemeral", replace_original=False)
            return
        respond(**reply(answer), replace_original=True)
        # A replay sends too: the first request may have ended before its rows went out.
        send_released(runtime.engine, runtime.senders, runtime.config, meeting_id, runtime.clock.now())


def register(app: App, runtime: Runtime) -> None:
    _register_form_buttons(app, runtime)
    _register_form(app, runtime)
    _register_release(app, runtime)
