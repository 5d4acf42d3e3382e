"""Deadline reminders and escalations, driven by the scheduler tick with an injected clock."""

from sqlmodel import select

from bot.cases import reminders, service
from bot.tick import run_tick
from storage.cases import FeedbackCase
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.cases_support import a_report, register
from tests.conftest import local
from tests.service_calls import by

REGISTERED = local(2027, 2, 1, 9, 0)  # Monday: take by Wed 3 Feb, answer by Mon 15 Feb
HEAD, DEPUTY, QUALITY = "D0VMKF0010", "D0VMKF0011", "D0VMKF0002"


def _notices(fake_slack) -> list[tuple[str, str]]:
    """(channel, kind) of every case reminder and escalation that reached Slack."""
    kinds = {":alarm_clock:": "reminder", ":rotating_light:": "escalation"}
    found = []
    for message in fake_slack.posted():
        for mark, kind in kinds.items():
            if message["text"].startswith(mark):
                found.append((message["channel"], kind))
    return found


def _tick(runtime, at) -> None:
    run_tick(runtime.engine, runtime.senders, runtime.config, at)


def test_unassigned_case_reminds_the_head_then_escalates_to_the_quality_manager(runtime, fake_slack):
    register(runtime.engine, runtime.config, a_report(), REGISTERED)
    _tick(runtime, local(2027, 2, 2, 8, 0))
    assert _notices(fake_slack) == []
    _tick(runtime, local(2027, 2, 2, 8, 30))
    _tick(runtime, local(2027, 2, 2, 9, 0))
    assert _notices(fake_slack) == [(HEAD, "reminder")]
    _tick(runtime, local(2027, 2, 3, 16, 0))  # deadline day: still within it
    assert len(_notices(fake_slack)) == 1
    _tick(runtime, local(2027, 2, 4, 8, 30))
    _tick(runtime, local(2027, 2, 4, 9, 0))
    assert _notices(fake_slack) == [(HEAD, "reminder"), (QUALITY, "escalation")]
    escalation = [m for m in fake_slack.posted() if m["channel"] == QUALITY][-1]
    assert "VMKF 2027-0001" in escalation["text"] and "tagits upp senast onsdag 3 februari 2027" in escalation["text"]


def test_taken_case_reminds_the_assignee_before_the_answer_deadline(runtime, fake_slack):
    config = runtime.config
    case = register(runtime.engine, config, a_report(), REGISTERED)
    with session_scope(runtime.engine) as session:
        service.take(**by(session, config, config.person("it-stf")), case_id=case.id, now=local(2027, 2, 1, 11, 0))
    _tick(runtime, local(2027, 2, 5, 9, 0))
    assert _notices(fake_slack) == []  # taken in time: no take reminder or escalation
    _tick(runtime, local(2027, 2, 12, 8, 30))
    assert _notices(fake_slack) == [(DEPUTY, "reminder")]
    _tick(runtime, local(2027, 2, 16, 8, 30))
    assert _notices(fake_slack) == [(DEPUTY, "reminder"), (QUALITY, "escalation")]


def test_an_answered_case_gets_no_more_reminders(runtime, fake_slack):
    config = runtime.config
    case = register(runtime.engine, config, a_report(), REGISTERED)
    with session_scope(runtime.engine) as session:
        service.answer(
            **by(session, config, config.person("it-chef")),
            case_id=case.id,
            text="Åtgärdat.",
            now=local(2027, 2, 1, 15, 0),
        )
    for day in range(2, 20):
        _tick(runtime, local(2027, 2, day, 9, 0))
    assert _notices(fake_slack) == []


def test_after_downtime_escalations_are_queued_once_and_stale_reminders_skipped(runtime, fake_slack):
    register(runtime.engine, runtime.config, a_report(), REGISTERED)
    for _ in range(3):
        _tick(runtime, local(2027, 2, 20, 9, 0))  # long after both deadlines, e.g. after downtime
    with session_scope(runtime.engine) as session:
        keys = sorted(
            row.occurrence_key
            for row in session.exec(select(Delivery).where(Delivery.source == "case")).all()
            if row.occurrence_key.startswith(("reminder", "escalation"))
        )
    assert keys == ["escalation-answer:2027-02-15", "escalation-take:2027-02-03"]
    assert _notices(fake_slack) == [(QUALITY, "escalation"), (QUALITY, "escalation")]


def test_a_queued_notice_is_not_rendered_again_on_later_ticks(runtime, fake_slack, monkeypatch):
    register(runtime.engine, runtime.config, a_report(), REGISTERED)
    rendered = []
    real_rows = reminders.notice_rows

    def counting_rows(config, case, notice, now):
        rendered.append(notice.outbox_key(case.id).occurrence)
        return real_rows(config, case, notice, now)

    monkeypatch.setattr(reminders, "notice_rows", counting_rows)
    for hour in range(9, 17):
        _tick(runtime, local(2027, 2, 4, hour, 0))  # the take escalation is due all day
    assert rendered == ["escalation-take:2027-02-03"]  # once; the take reminder came too late to be sent
    assert _notices(fake_slack) == [(QUALITY, "escalation")]


def _closed_and_reopened(runtime, *, taken: bool, reason: str) -> FeedbackCase:
    """A case registered at REGISTERED, closed by the IT head (who took it first if `taken`), reopened on 1 March."""
    config = runtime.config
    case = register(runtime.engine, config, a_report(), REGISTERED)
    head = config.person("it-chef")
    with session_scope(runtime.engine) as session:
        if taken:
            service.take(**by(session, config, head), case_id=case.id, now=REGISTERED)
        service.close(**by(session, config, head), case_id=case.id, resolution=reason, now=REGISTERED)
    with session_scope(runtime.engine) as session:
        return service.reopen(**by(session, config, head), case_id=case.id, now=local(2027, 3, 1, 9, 0))


def test_reopened_case_gets_a_new_answer_deadline_and_reminder(runtime, fake_slack):
    reopened = _closed_and_reopened(runtime, taken=True, reason="Klart.")
    assert (str(reopened.answer_due), str(reopened.reopen_answer_due)) == ("2027-02-15", "2027-03-15")
    _tick(runtime, local(2027, 3, 12, 8, 30))
    assert _notices(fake_slack) == [(HEAD, "reminder")]


def test_reopening_a_case_closed_without_being_taken_sends_no_stale_take_notices(runtime, fake_slack):
    reopened = _closed_and_reopened(runtime, taken=False, reason="Dubblett.")
    assert (reopened.status, reopened.assignee) == ("taken", "it-chef")
    _tick(runtime, local(2027, 3, 1, 10, 0))
    with session_scope(runtime.engine) as session:
        keys = [row.occurrence_key for row in session.exec(select(Delivery).where(Delivery.source == "case")).all()]
    assert not [key for key in keys if key.endswith("take:2027-02-03")]
    assert _notices(fake_slack) == []
