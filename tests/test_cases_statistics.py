"""Statistics per year, the /synpunkt statistik reply, the board digest, and agreement with the export."""

import json

import pytest

from bot.cases import service
from bot.cases.export import export_cases
from bot.cases.statistics import case_statistics
from bot.tick import run_tick
from storage.engine import session_scope
from tests.cases_support import a_report, register
from tests.conftest import local
from tests.service_calls import by

NOW = local(2027, 3, 1, 12, 0)


@pytest.fixture
def stored(engine, example_config):
    """Four cases in 2027 (two answered in time, one late, one overdue) and one in 2026."""
    config = example_config
    head = config.person("it-chef")

    def answered(report, at, answer_at, answerer):
        case = register(engine, config, report, at)
        with session_scope(engine) as session:
            service.answer(**by(session, config, config.person(answerer)), case_id=case.id, text="Svar.", now=answer_at)
        return case

    register(engine, config, a_report(category="synpunkt"), local(2026, 11, 2, 9, 0))
    answered(a_report(), local(2027, 2, 1, 9, 0), local(2027, 2, 3, 15, 0), head.id)
    answered(
        a_report(category="berom", service_id=None, department_id="ekonomi", member_id=None),
        local(2027, 2, 1, 10, 0),
        local(2027, 2, 22, 9, 0),
        "ekonomi-chef",
    )
    register(engine, config, a_report(category="fraga", service_id="lon", member_id="koping"), local(2027, 2, 2, 9, 0))
    answered(
        a_report(category="forslag", service_id="gis", member_id="kungsor"),
        local(2027, 2, 3, 9, 0),
        local(2027, 2, 4, 9, 0),
        "specialist-chef",
    )


def test_statistics_for_a_year(engine, example_config, stored):
    with session_scope(engine) as session:
        stats = case_statistics(session=session, config=example_config, year=2027, now=NOW)
    assert stats.total == 4
    assert stats.by_category == [("klagomal", 1), ("synpunkt", 0), ("forslag", 1), ("berom", 1), ("fraga", 1)]
    assert stats.by_department == [
        ("IT-avdelningen", 1),
        ("Specialistavdelningen", 1),
        ("Löneavdelningen", 1),
        ("Ekonomiavdelningen", 1),
    ]
    assert stats.by_member == [
        ("Arboga kommun", 1),
        ("Köpings kommun", 1),
        ("Kungsörs kommun", 1),
        ("Surahammars kommun", 0),
        (None, 1),
    ]
    assert stats.answered == 3
    assert stats.median_working_days == 2.0  # 2, 15 and 1 working days
    assert stats.share_within_deadline == pytest.approx(2 / 3)
    assert stats.overdue == 1


def test_statistics_of_an_empty_year(engine, example_config, stored):
    with session_scope(engine) as session:
        stats = case_statistics(session=session, config=example_config, year=2025, now=NOW)
    assert (stats.total, stats.answered, stats.median_working_days, stats.share_within_deadline) == (0, 0, None, None)


def test_statistics_command(slack, stored, clock):
    clock.set(NOW)
    text = slack.command("/synpunkt", "statistik").json()["text"]
    assert "Synpunkter och klagomål 2027" in text
    for expected in (
        "Registrerade ärenden: 4",
        "Klagomål: 1",
        "Ekonomiavdelningen: 1",
        "Ingen kommun angiven: 1",
        "Mediantid till svar: 2 arbetsdagar",
        "Besvarade inom tidsgränsen: 67 % av de besvarade",
        "Obesvarade efter tidsgränsen: 1",
    ):
        assert expected in text
    assert "Registrerade ärenden: 1" in slack.command("/synpunkt", "statistik 2026").json()["text"]
    assert "Inga synpunkter" in slack.command("/synpunkt", "statistik 2024").json()["text"]


def test_digest_goes_to_the_board_twice_a_year_once_each(runtime, fake_slack, stored):
    for at in (local(2027, 7, 15, 8, 59), local(2027, 7, 15, 9, 0), local(2027, 7, 15, 9, 30)):
        run_tick(runtime.engine, runtime.senders, runtime.config, at)
    board = [m for m in fake_slack.posted() if m["channel"] == "C0DIREKTIO"]
    assert len(board) == 1
    assert "rapport till direktionen 2027" in board[0]["text"] and "Registrerade ärenden: 4" in board[0]["text"]
    run_tick(runtime.engine, runtime.senders, runtime.config, local(2028, 1, 15, 9, 0))
    # The board channel also gets the follow-up rounds' digests that closed meanwhile; count the case digests.
    board = [m for m in fake_slack.posted() if m["channel"] == "C0DIREKTIO" and "rapport till direktionen" in m["text"]]
    assert len(board) == 2 and "rapport till direktionen 2027" in board[1]["text"]


def test_statistics_match_the_export(engine, example_config, stored):
    with session_scope(engine) as session:
        stats = case_statistics(session=session, config=example_config, year=2027, now=NOW)
        records = json.loads(export_cases(session, 2027, "json"))
    assert len(records) == stats.total
    assert sum(1 for r in records if r["answered_at"]) == stats.answered
    for key, count in stats.by_category:
        assert sum(1 for r in records if r["category"] == key) == count


def test_reopening_does_not_change_whether_a_case_was_answered_in_time(engine, example_config):
    head = example_config.person("it-chef")
    case = register(engine, example_config, a_report(), local(2027, 2, 1, 9, 0))  # answer by 15 February
    with session_scope(engine) as session:
        service.answer(
            **by(session, example_config, head), case_id=case.id, text="Sent svar.", now=local(2027, 2, 22, 9, 0)
        )
        service.close(
            **by(session, example_config, head), case_id=case.id, resolution="Klart.", now=local(2027, 2, 23, 9, 0)
        )
    with session_scope(engine) as session:
        service.reopen(**by(session, example_config, head), case_id=case.id, now=local(2027, 3, 1, 9, 0))
    with session_scope(engine) as session:
        stats = case_statistics(session=session, config=example_config, year=2027, now=local(2027, 3, 2, 9, 0))
    assert (stats.answered, stats.share_within_deadline, stats.overdue) == (1, 0.0, 0)


def test_a_digest_that_fell_due_while_the_bot_was_down_goes_out_late_once(runtime, fake_slack, stored):
    run_tick(runtime.engine, runtime.senders, runtime.config, local(2027, 7, 12, 9, 0))
    for at in (local(2027, 7, 19, 9, 0), local(2027, 7, 19, 9, 1)):  # down from the 12th to the 19th
        run_tick(runtime.engine, runtime.senders, runtime.config, at)
    board = [m for m in fake_slack.posted() if m["channel"] == "C0DIREKTIO" and "rapport till direktionen" in m["text"]]
    assert len(board) == 1 and "Registrerade ärenden: 4" in board[0]["text"]
