"""The board command (`direktion [protokoll|kvittenser|uppgifter|export|...]`), for any chat platform: which
subcommands answer with a reply (a neutral Message) and which open a form (a neutral Form), and the help.

Each part of the board's cycle registers its subcommands here, one entry each: REPLIES for an answer, FORMS for a
form to fill in (a Slack modal, a Teams card). The word "" is `direktion` alone. The platform's handler reads its
payload, calls these and renders what they return."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from bot.acknowledgements.command import acknowledgements_reply
from bot.asker import Asker
from bot.board.overview import board_overview
from bot.board.protocol import protocol_reply
from bot.board.task_command import export_reply, tasks_reply
from bot.config.model import AssociationConfig
from bot.replies import DOMAIN_ERRORS, error_reply, error_text, template_message
from messages.board_labels import BOARD_FORM_TITLE
from messages.commands import HELP_WORDS
from messages.form import Form, notice
from messages.message import Message


@dataclass(frozen=True)
class BoardRequest:
    """One `direktion` command: who asks, what follows the subcommand word, and when."""

    engine: Engine
    config: AssociationConfig
    asker: Asker
    rest: str
    now: datetime
    request_key: str  # the platform's id of this request, so that a replay has one effect


ReplyFn = Callable[[BoardRequest], Message | None]  # None: a replay of a request answered before
FormFn = Callable[[BoardRequest], Form]

REPLIES: dict[str, ReplyFn] = {
    "": board_overview,
    "protokoll": protocol_reply,
    "uppgifter": tasks_reply,
    "export": export_reply,
    "kvittenser": acknowledgements_reply,
}
FORMS: dict[str, FormFn] = {}


def split_command(text: str) -> tuple[str, str]:
    """The subcommand word (case-folded; "" for none) and what follows it."""
    word, _, rest = text.strip().partition(" ")
    return word.casefold(), rest.strip()


def board_help(config: AssociationConfig, word: str) -> Message | None:
    """The help for a help word or a word that is no subcommand; None for a subcommand."""
    if word in REPLIES or word in FORMS:
        return None
    unknown = "" if not word or word in HELP_WORDS else word
    return template_message("board_help", unknown=unknown, board=config.board)


def opens_form(word: str) -> bool:
    """Whether the subcommand opens a form (which on Slack must be opened within the 3 s of the trigger)."""
    return word in FORMS


def board_reply(request: BoardRequest, word: str) -> Message | None:
    """The subcommand's reply; a domain error (an unknown user, a refusal) as its Swedish text."""
    if request.config.board is None:
        return template_message("board_not_configured")
    try:
        return REPLIES[word](request)
    except DOMAIN_ERRORS as error:
        return error_reply(error, request.config, request.now)


def board_form(request: BoardRequest, word: str) -> Form:
    """The form the subcommand opens, or a notice that says why there is none."""
    if request.config.board is None:
        return notice(BOARD_FORM_TITLE, template_message("board_not_configured").text)
    try:
        return FORMS[word](request)
    except DOMAIN_ERRORS as error:
        return notice(BOARD_FORM_TITLE, error_text(error, request.config, request.now))
