"""Cross-section checks for the `board:` section: its forums, its secretary's role and its meetings must exist."""

from typing import Any

from bot.config.board_model import BoardConfig


def check_board_references(check: Any) -> None:
    """Add every broken reference in `board` to the checker's problems (`check` is references._Checker)."""
    board = check.sections.get("board")
    if not isinstance(board, BoardConfig):
        return
    for name in ("forum", "presidium", "leadership_group"):
        check.reference(("board", name), getattr(board, name), "forums", "forum")
    forums = {forum.id: forum for forum in check.entries("forums") if isinstance(forum.id, str)}
    forum = forums.get(board.forum)
    if forum is not None and forum.channel is None:
        check.problems.append((("board", "forum"), f"forum '{forum.id}' has no channel for the board's agenda"))
    roles = check.sections.get("roles")
    if isinstance(roles, dict) and board.secretary_role not in roles:
        check.problems.append(
            (("board", "secretary_role"), f"role '{board.secretary_role}' is not in roles (the board's secretary)")
        )
    kinds = {event.kind for event in check.entries("events") if isinstance(event.kind, str)}
    if check.sections.get("events") is not None and board.meeting_kind not in kinds:
        check.problems.append((("board", "meeting_kind"), f"no event has kind '{board.meeting_kind}'"))
