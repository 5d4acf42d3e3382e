"""/direktion: the board's subcommands, a reply through the response_url or a form in a modal
(bot/board/command.py decides which)."""

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.board.command import BoardRequest, board_form, board_help, board_reply, opens_form, split_command
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from handlers.slack.modals import ModalRequest, open_form
from handlers.slack.request_keys import request_key
from messages.board_labels import BOARD_FORM_TITLE
from messages.form import notice
from messages.render import render
from messages.slack.replies import reply


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
            _open_form(client, command, request, word, respond)
            return
        answer = board_reply(request, word)
        if answer is not None:  # None: the same command delivered again, answered the first time
            respond(**reply(answer))


def _open_form(client: WebClient, command: dict, request: BoardRequest, word: str, respond: Respond) -> None:
    """The subcommand's form in a modal that opens at once (handlers/slack/modals.py)."""
    open_form(
        ModalRequest(client, command["trigger_id"], command["user_id"], respond),
        notice(BOARD_FORM_TITLE, render("board_loading")),
        lambda: board_form(request, word),
        f"the form of /direktion {word}",
        lambda _expired: render("board_form_failed", word=word),
    )
