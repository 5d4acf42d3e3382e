"""The board's preparation reminders (bot/board/preparation.py): each at its working day before the meeting, to the
people it concerns, once; late within the grace period only; the chair municipality of the meeting's date; the open
decision tasks in the chair's and the presidium's reminders; and on both platforms through the real app."""

import logging
from datetime import date, timedelta

from sqlalchemy import select

from bot.board.preparation import enqueue_due_preparation
from bot.config.model import AssociationConfig, Event
from messages.message import Message
from storage.board import BoardDecision, BoardTaskReport, TaskReportKind
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.chat import Chat
from tests.conftest import local

MATTERS, CHAIR, PRESIDIUM, AGENDA = (local(2027, 1, 21, 8, 30), local(2027, 2, 2, 8, 30), local(2027, 2, 4, 8, 30),
                                     local(2027, 2, 11, 8, 30))  # fmt: skip
HEADS = ["person:ekonomi-chef", "person:it-chef", "person:lon-chef", "person:specialist-chef"]


def produce(engine, config: AssociationConfig, now) -> int:
    with session_scope(engine) as session:
        return enqueue_due_preparation(session, config, now)


def queued(engine) -> list[str]:
    """'<reminder>:<meeting date> <recipient>' of every preparation row, sorted."""
    with session_scope(engine) as session:
        rows = session.scalars(select(Delivery).where(Delivery.source == "board-preparation", Delivery.part == 0))
        return sorted(f"{row.occurrence_key} {row.recipient}" for row in rows)


def texts(engine, recipient: str) -> list[str]:
    with session_scope(engine) as session:
        rows = session.scalars(
            select(Delivery).where(Delivery.source == "board-preparation", Delivery.recipient == recipient)
        )
        return [Message.from_json(row.message).text for row in rows]


def with_events(config: AssociationConfig, *events: Event) -> AssociationConfig:
    """The example association with only the given events (and its board section)."""
    return config.model_copy(update={"events": list(events)})


def meeting(day: date, **extra) -> Event:
    return Event(id=f"direktion-{day.isoformat()}", kind="board_meeting", title="Direktionsmöte", date=day, **extra)


def test_each_reminder_at_its_working_day_to_the_people_it_concerns_once(engine, example_config):
    assert produce(engine, example_config, MATTERS - timedelta(minutes=1)) == 0
    for moment in (MATTERS, CHAIR, PRESIDIUM, AGENDA):
        assert produce(engine, example_config, moment) > 0
        assert produce(engine, example_config, moment + timedelta(minutes=5)) == 0  # a second tick: nothing more
    assert queued(engine) == sorted(
        [
            *(f"matters:2027-02-18 {who}" for who in ["person:forbundschef", *HEADS]),
            "chair:2027-02-18 person:kommunchef-arboga",
            "chair:2027-02-18 person:forbundschef",
            *(f"presidium:2027-02-18 person:{who}" for who in ["ordforande", "vice-ordforande", "forbundschef"]),
            "agenda:2027-02-18 channel:C0DIREKTIO",
        ]
    )
    [matters] = texts(engine, "person:it-chef")
    assert matters.startswith("*Ärenden till direktionens möte torsdag 18 februari 2027*")
    assert "ska vara förbundschefen tillhanda senast *torsdag 28 januari 2027*" in matters  # 15 working days
    [agenda] = texts(engine, "channel:C0DIREKTIO")
    assert agenda.startswith("*Kallelse till Direktionsmöte torsdag 18 februari 2027 kl. 13:00*")
    assert "Ordförandekommun: Arboga kommun." in agenda


def test_a_reminder_missed_while_the_bot_was_down_goes_out_late_within_the_grace_period_only(
    engine, example_config, caplog
):
    produce(engine, example_config, CHAIR - timedelta(days=1))
    assert produce(engine, example_config, CHAIR + timedelta(hours=23)) == 2  # late, within 24 hours
    with caplog.at_level(logging.WARNING, logger="bot.board.preparation"):
        assert produce(engine, example_config, PRESIDIUM + timedelta(hours=25)) == 0
    assert "board preparation presidium of direktion-2027-02 was missed" in caplog.text
    assert [line.split()[0] for line in queued(engine)] == ["chair:2027-02-18"] * 2


def test_the_chair_municipality_is_the_one_of_the_meeting_s_date(engine, example_config):
    """Köping chairs until 31 December 2026, Arboga from 1 January 2027: a meeting on 14 January is prepared by
    Arboga's chief, though the reminder goes out in December."""
    config = with_events(example_config, meeting(date(2027, 1, 14), time="13:00"))
    reminder = local(2026, 12, 22, 8, 30)  # 12 working days before, over the Christmas and New Year holidays
    assert produce(engine, config, reminder - timedelta(minutes=1)) == 0
    assert produce(engine, config, reminder) == 2
    assert queued(engine) == ["chair:2027-01-14 person:forbundschef", "chair:2027-01-14 person:kommunchef-arboga"]
    [text] = texts(engine, "person:kommunchef-arboga")
    assert "Arboga kommun är ordförandekommun" in text and "Köping" not in text


def test_a_cancelled_meeting_gets_no_reminders(engine, example_config):
    config = with_events(example_config, meeting(date(2027, 2, 18), cancelled=True))
    for moment in (MATTERS, CHAIR, PRESIDIUM, AGENDA):
        assert produce(engine, config, moment) == 0
    assert queued(engine) == []


def test_without_a_board_section_nothing_is_reminded(engine, example_config):
    config = example_config.model_copy(update={"board": None})
    assert produce(engine, config, CHAIR) == 0


def test_the_chair_and_the_presidium_see_the_open_decision_tasks_and_their_latest_reports(engine, example_config):
    at = local(2026, 12, 10, 15, 0)
    with session_scope(engine) as session:
        late, moved, done = [
            BoardDecision(
                meeting_id="direktion-2026-12", position=position, title=title, summary="", concerns_all=True,
                public=True, owner=owner, due=due, case_number=number, created_by="sekreterare", created_at=at,
                updated_by="sekreterare", updated_at=at,
            )
            for position, title, owner, due, number in [
                (1, "Ny IT-strategi", "it-chef", date(2027, 1, 29), "VMKF 2026-0101"),
                (2, "Översyn av lönerutiner", "lon-chef", date(2027, 1, 15), None),
                (3, "Avgifter 2027", "ekonomi-chef", date(2027, 1, 10), None),
            ]
        ]  # fmt: skip
        session.add_all([late, moved, done])
        session.flush()
        session.add_all(
            [
                BoardTaskReport(decision_id=late.id, kind=TaskReportKind.COMMENT, comment="Remiss ute hos kommunerna",
                                reported_by="it-chef", reported_at=at + timedelta(days=30)),
                BoardTaskReport(decision_id=moved.id, kind=TaskReportKind.DELAYED, new_due=date(2027, 3, 31),
                                reported_by="lon-chef", reported_at=at + timedelta(days=20)),
                BoardTaskReport(decision_id=done.id, kind=TaskReportKind.DONE, reported_by="ekonomi-chef",
                                reported_at=at + timedelta(days=25)),
            ]
        )  # fmt: skip
    produce(engine, example_config, CHAIR)
    produce(engine, example_config, PRESIDIUM)
    [chair] = texts(engine, "person:kommunchef-arboga")
    tasks = chair.split("*Beslut som ska verkställas (2)*\n", 1)[1]
    assert tasks.splitlines() == [
        "• Ny IT-strategi (VMKF 2026-0101) – IT-chefen (exempel), senast 29 jan 2027 – *försenad*",
        "   Senast rapporterat 9 jan: Kommentar – Remiss ute hos kommunerna",
        "• Översyn av lönerutiner – Lönechefen (exempel), senast 31 mar 2027",
        "   Senast rapporterat 30 dec: Nytt datum 31 mar 2027",
    ]
    assert "Avgifter 2027" not in chair  # reported done
    [presidium] = texts(engine, "person:ordforande")
    assert tasks in presidium


def test_the_reminders_reach_the_chief_and_the_board_s_channel_through_the_platform(chat: Chat):
    for moment in (CHAIR, AGENDA):
        chat.tick(moment)
        chat.tick(moment + timedelta(minutes=1))
    [chair] = chat.delivered("kommunchef-arboga")
    assert chair.text.startswith("Beredning inför Direktionsmöte torsdag 18 februari 2027 kl. 13:00")
    assert "Arboga kommun är ordförandekommun och har ett särskilt ansvar" in chair.text
    assert "Presidieberedning: torsdag 4 februari 2027. Kallelsen går ut torsdag 11 februari 2027." in chair.text
    assert "Inga beslut väntar på att verkställas." in chair.text
    [agenda] = chat.delivered("C0DIREKTIO")
    assert agenda.text.startswith("Kallelse till Direktionsmöte torsdag 18 februari 2027 kl. 13:00")
    assert chat.delivered("kommunchef-koping") == []
