"""Registering a case: number, deadlines, receipt and triage post, validation, gap-free concurrent numbering."""

import threading
from datetime import date

import pytest
from sqlmodel import select

from bot.cases import registration
from bot.cases.registration import InvalidReport
from bot.tick import run_tick
from storage.cases import CaseEvent, CaseSequence, FeedbackCase
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.cases_support import REPORTER, a_report, register
from tests.conftest import local


def test_register_numbers_and_deadlines(engine, example_config):
    first = register(engine, example_config, a_report(), local(2027, 2, 1, 9, 0))
    second = register(engine, example_config, a_report(category="berom"), local(2027, 2, 1, 9, 5))
    assert (first.number, second.number) == ("VMKF 2027-0001", "VMKF 2027-0002")
    assert first.department_id == "it"  # routed by the service catalogue
    assert first.take_due == date(2027, 2, 3)  # 2 working days after Monday
    assert first.answer_due == date(2027, 2, 15)  # 10 working days
    with session_scope(engine) as session:
        events = session.exec(select(CaseEvent).where(CaseEvent.case_id == first.id)).all()
    assert [(e.kind, e.actor) for e in events] == [("registered", None)]


def test_numbering_restarts_each_year(engine, example_config):
    register(engine, example_config, a_report(), local(2027, 12, 31, 23, 0))
    case = register(engine, example_config, a_report(), local(2028, 1, 1, 0, 30))
    assert case.number == "VMKF 2028-0001"


def test_department_can_be_chosen_instead_of_a_service(engine, example_config):
    case = register(engine, example_config, a_report(service_id=None, department_id="loner"), local(2027, 3, 1, 9, 0))
    assert case.department_id == "loner"


def test_receipt_and_triage_post_go_out(engine, example_config, fake_slack, runtime):
    case = register(engine, example_config, a_report(), local(2027, 2, 1, 9, 0))
    run_tick(engine, runtime.senders, example_config, local(2027, 2, 1, 9, 0))
    posted = fake_slack.posted()
    triage = [m for m in posted if m["channel"] == "C0VMKFITTR"]
    receipt = [m for m in posted if m["channel"] == fake_slack.dm_channel(REPORTER)]
    assert len(triage) == 1 and len(receipt) == 1
    assert "VMKF 2027-0001" in receipt[0]["text"]
    actions = [block for block in triage[0]["blocks"] if block["type"] == "actions"][0]
    assert {e["action_id"] for e in actions["elements"]} >= {"case_take", "case_assign", "case_answer", "case_close"}
    assert all(e["value"].partition(":")[0] == str(case.id) for e in actions["elements"])  # confidential: "1:on"
    with session_scope(engine) as session:
        row = session.exec(select(Delivery).where(Delivery.occurrence_key == "triage")).one()
    assert (row.posted_conversation, row.posted_id) == ("C0VMKFITTR", triage[0]["ts"])


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"category": "gnäll"}, ("category", "unknown_category")),
        ({"service_id": "nope"}, ("subject", "unknown_subject")),
        ({"service_id": None, "department_id": None}, ("subject", "unknown_subject")),
        ({"member_id": "västerås"}, ("member", "unknown_member")),
        ({"description": "   "}, ("description", "empty_description")),
        ({"description": "x" * 3001}, ("description", "description_too_long")),
        ({"anonymous": True, "contact": "070-123 45 67"}, ("contact", "contact_when_anonymous")),
        ({"reporter_user_id": None}, ("anonymous", "no_reporter")),
    ],
)
def test_bad_reports_store_nothing(engine, example_config, changes, problem):
    with pytest.raises(InvalidReport) as raised:
        register(engine, example_config, a_report(**changes), local(2027, 2, 1, 9, 0))
    assert problem in raised.value.problems.items()
    with session_scope(engine) as session:
        assert session.exec(select(FeedbackCase)).all() == []
        assert session.exec(select(CaseSequence)).all() == []
        assert session.exec(select(Delivery)).all() == []


def test_a_failed_registration_gives_its_number_back(engine, example_config, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(registration.outbox, "enqueue", broken)
    with pytest.raises(RuntimeError):
        register(engine, example_config, a_report(), local(2027, 2, 1, 9, 0))
    monkeypatch.undo()
    case = register(engine, example_config, a_report(), local(2027, 2, 1, 9, 1))
    assert case.number == "VMKF 2027-0001"
    with session_scope(engine) as session:
        assert len(session.exec(select(FeedbackCase)).all()) == 1


def test_concurrent_registrations_get_gap_free_unique_numbers(engine, example_config):
    threads, per_thread = 8, 5
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(threads)

    def report_many() -> None:
        try:
            start.wait()
            for _ in range(per_thread):
                numbers.append(register(engine, example_config, a_report(), local(2027, 5, 3, 10, 0)).number)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    workers = [threading.Thread(target=report_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert errors == []
    expected = [f"VMKF 2027-{serial:04d}" for serial in range(1, threads * per_thread + 1)]
    assert sorted(numbers) == expected
    with session_scope(engine) as session:
        stored = sorted(case.number for case in session.exec(select(FeedbackCase)).all())
        sequence = session.get(CaseSequence, 2027)
    assert stored == expected
    assert sequence.last_number == threads * per_thread


def test_a_missing_triage_channel_is_reported_to_the_head_and_logged(runtime, fake_slack, caplog):
    fake_slack.workspace.missing_channels.add("C0VMKFITTR")
    register(runtime.engine, runtime.config, a_report(), local(2027, 2, 1, 9, 0))
    run_tick(runtime.engine, runtime.senders, runtime.config, local(2027, 2, 1, 9, 0))
    assert "(case 1 to channel:C0VMKFITTR) failed: channel_not_found" in caplog.text
    run_tick(runtime.engine, runtime.senders, runtime.config, local(2027, 2, 1, 9, 1))
    reports = [m for m in fake_slack.posted() if "kunde inte levereras*" in m["text"]]
    assert [m["channel"] for m in reports] == ["D0VMKF0010"]  # the IT head owns the IT triage post
    assert "kanalen finns inte" in reports[0]["text"]
    assert "Registreringen av ärende VMKF 2027-0001 i triagekanalen för IT-avdelningen" in reports[0]["text"]
