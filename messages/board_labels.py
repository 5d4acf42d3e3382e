"""Fixed Swedish texts of the board's cycle (labels.toml, [board])."""

from messages.labels import labels

_FORMS = labels("board.forms")
BOARD_FORM_TITLE = _FORMS["title"]
