"""/direktion: the board's subcommands, a reply through the response_url or a form in a modal
(bot/board/command.py decides which)."""

import logging

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.board.command import BoardRequest, board_form, board_help, board_reply, opens_form, split_command
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from handlers.slack.request_keys import request_key
from messages.board_labels import BOARD_FORM_TITLE
from messages.form import notice
from messages.render import render
from messages.slack.form import modal
from messages.slack.replies import reply

log = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    @app.command("/direktion")
    def direktion(ack: Ack, command: dict, client: WebClient, respond: Respond, context: BoltContext) -> None:
        word, rest = split_command(command.get("text", ""))
        help_reply = board_help(runtime.config, word)
        if help_reply is not None:
            ack(reply(help_reply))
            return
        ack()
        request = BoardRequest(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor_of(context),
            rest=rest,
            now=runtime.clock.now(),
            request_key=request_key(command),
        )
        if opens_form(word):
            _open_form(client, command["trigger_id"], request, word, respond)
            return
        answer = board_reply(request, word)
        if answer is not None:  # None: the same command delivered again, answered the first time
            respond(**reply(answer))


def _open_form(client: WebClient, trigger_id: str, request: BoardRequest, word: str, respond: Respond) -> None:
    """views.open at once with a loading notice (a trigger_id lives 3 s), then the form; if Slack refuses, the
    user is told through the response_url rather than left without a form."""
    try:
        opened = client.views_open(trigger_id=trigger_id, view=modal(notice(BOARD_FORM_TITLE, render("board_loading"))))
        client.views_update(view_id=opened["view"]["id"], view=modal(board_form(request, word)))
    except SlackApiError as exc:
        log.warning("/direktion %s: the form was not shown: %s", word, exc.response.get("error"))
        respond(text=render("board_form_failed", word=word), response_type="ephemeral", replace_original=False)
