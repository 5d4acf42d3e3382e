"""The `board:` configuration section, events' `cancelled` and members' `contact`: defaults, and every mistake
reported with its path and a hint."""

import pytest

from bot.config import ConfigError, parse_config
from tests.conftest import EXAMPLE

BASE = EXAMPLE.read_text(encoding="utf-8")
WITHOUT_BOARD = BASE[: BASE.index("\nboard:")]


def _with_board(section: str, base: str = WITHOUT_BOARD):
    return parse_config(base + "\n" + section, "vmkf.yaml")


def _problems(section: str, base: str = WITHOUT_BOARD) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        _with_board(section, base)
    return [problem.render("vmkf.yaml") for problem in raised.value.problems]


def test_the_example_board_and_its_defaults():
    config = _with_board("board: {forum: direktion}")
    board = config.board
    assert (board.meeting_kind, board.secretary_role, board.presidium) == ("board_meeting", "board_secretary", None)
    assert board.preparation.agenda_working_days == 5 and board.follow_up.protocol_after_days == 1
    assert parse_config(BASE).board.staff_channel == "C0VMKFALLA"


def test_the_section_is_optional():
    assert parse_config(WITHOUT_BOARD).board is None


def test_a_member_is_acknowledged_by_its_contact_or_else_its_chief():
    config = parse_config(BASE.replace("chief: kommunchef-arboga,", "chief: kommunchef-arboga, contact: kommunikator,"))
    assert config.member("arboga").acknowledger == "kommunikator"
    assert config.member("koping").acknowledger == "kommunchef-koping"


def test_unknown_forums_role_kind_and_contact():
    base = WITHOUT_BOARD.replace("chief: kommunchef-arboga,", "chief: kommunchef-arboga, contact: kommunikatorn,")
    base = base.replace("  board_secretary: sekreterare\n", "")
    problems = _problems(
        "board: {forum: direktionen, presidium: presidiet, leadership_group: ledningsgrupp, meeting_kind: board}",
        base,
    )
    assert any("board.forum: unknown forum 'direktionen' (did you mean 'direktion'?)" in p for p in problems)
    assert any("board.presidium: unknown forum 'presidiet' (did you mean 'presidium'?)" in p for p in problems)
    assert any("board.secretary_role: role 'board_secretary' is not in roles" in p for p in problems)
    assert any("board.meeting_kind: no event has kind 'board'" in p for p in problems)
    unknown = "members[0].contact: unknown person 'kommunikatorn' (did you mean 'kommunikator'?)"
    assert any(unknown in p for p in problems)


def test_bad_values_and_channels():
    problems = _problems(
        "board: {forum: direktion, staff_channel: '#personal', preparation: {agenda_working_days: -1}, extra: 1}"
    )
    assert any("board.staff_channel" in p for p in problems)
    assert any("board.preparation.agenda_working_days" in p for p in problems)
    assert any("board.extra" in p for p in problems)


def test_a_board_without_a_channel_cannot_get_its_agenda():
    base = WITHOUT_BOARD.replace("    channel: C0DIREKTIO\n", "")
    problems = _problems("board: {forum: direktion}", base)
    assert any("board.forum: forum 'direktion' has no channel for the board's agenda" in p for p in problems)


def test_a_cancelled_meeting_is_read():
    config = parse_config(BASE.replace("forum: direktion}", "forum: direktion, cancelled: true}", 1))
    assert [event.id for event in config.events if event.cancelled] == ["direktion-2027-02"]
