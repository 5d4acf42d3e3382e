"""`direktion kvittenser [meeting id]`: which member municipalities got and acknowledged the board's digests, for
one meeting (the latest with digests when none is named) and the year so far. For the director, the quality
manager and the board's secretary."""

from typing import TYPE_CHECKING

from bot.acknowledgements.overview import board_acknowledgements
from bot.permissions import Action, require
from bot.replies import template_message
from messages.message import Message
from storage.engine import session_scope

if TYPE_CHECKING:  # bot.board.command registers this reply, so it cannot be imported here at run time
    from bot.board.command import BoardRequest


def acknowledgements_reply(request: "BoardRequest") -> Message:
    """The figures, or the refusal for anyone else (NotAllowed, answered by the board command)."""
    config = request.config
    require(config, request.asker.known(), Action.SEE_BOARD_ACKNOWLEDGEMENTS)
    meeting_id = request.rest.split()[0] if request.rest.split() else ""
    with session_scope(request.engine) as session:
        view = board_acknowledgements(session, config, meeting_id, request.now)
    return template_message("board_acknowledgements", view=view)
