"""Handling a case in the service layer: take, assign, answer, close, reopen, confidentiality, refusals."""

import pytest
from sqlmodel import select

from bot.cases import service
from bot.cases.registration import InvalidReport
from bot.cases.service import CaseRefused
from bot.cases.triage import refresh_triage
from bot.errors import NotAllowed
from bot.slack.sender import slack_senders
from bot.tick import run_tick
from storage.cases import CaseEvent, FeedbackCase
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.cases_support import REPORTER, a_report, register
from tests.conftest import local

MONDAY = local(2027, 2, 1, 9, 0)


@pytest.fixture
def case(engine, example_config):
    return register(engine, example_config, a_report(), MONDAY)


def _step(engine, action, config, person, **kwargs):
    with session_scope(engine) as session:
        return action(session=session, config=config, person=person, **kwargs)


def _events(engine, case_id):
    with session_scope(engine) as session:
        rows = session.exec(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)).all()
    return [(row.kind, row.actor, row.detail) for row in rows]


def test_the_whole_handling_flow(engine, example_config, case, fake_slack, runtime):
    config = example_config
    head, deputy = config.person("it-chef"), config.person("it-stf")
    run_tick(engine, runtime.senders, config, MONDAY)

    taken = _step(engine, service.take, config, head, case_id=case.id, now=local(2027, 2, 1, 10, 0))
    assert (taken.status, taken.assignee) == ("taken", "it-chef")
    assigned = _step(
        engine, service.assign, config, head, case_id=case.id, assignee_id="it-stf", now=local(2027, 2, 1, 10, 5)
    )
    assert assigned.assignee == "it-stf"
    reply, fix = "Skrivarna är lagade.", "Trasig drivrutin bytt."
    answered = _step(engine, service.answer, config, deputy, case_id=case.id, text=reply, now=local(2027, 2, 2, 14, 0))
    assert (answered.status, answered.answer) == ("answered", "Skrivarna är lagade.")
    closed = _step(engine, service.close, config, deputy, case_id=case.id, resolution=fix, now=local(2027, 2, 3, 8, 0))
    assert (closed.status, closed.resolution) == ("closed", "Trasig drivrutin bytt.")
    reopened = _step(engine, service.reopen, config, head, case_id=case.id, now=local(2027, 2, 8, 9, 0))
    assert (reopened.status, reopened.closed_at, str(reopened.reopen_answer_due)) == ("taken", None, "2027-02-22")
    assert str(reopened.answer_due) == "2027-02-15"  # the deadline set at registration stays

    assert _events(engine, case.id) == [
        ("registered", None, None),
        ("taken", "it-chef", None),
        ("assigned", "it-chef", "it-stf"),
        ("answered", "it-stf", "Skrivarna är lagade."),
        ("closed", "it-stf", "Trasig drivrutin bytt."),
        ("reopened", "it-chef", None),
    ]
    with session_scope(engine) as session:
        stored = session.get(FeedbackCase, case.id)
    assert stored.answered_at == local(2027, 2, 2, 14, 0) and stored.taken_at == local(2027, 2, 1, 10, 0)

    run_tick(engine, runtime.senders, config, local(2027, 2, 2, 14, 0))
    dm = [m for m in fake_slack.posted() if m["channel"] == fake_slack.dm_channel(REPORTER)]
    assert [m["text"] for m in dm][-1].startswith(":speech_balloon: *Svar på ditt ärende VMKF 2027-0001*")
    assert "Skrivarna är lagade." in dm[-1]["text"]

    assert refresh_triage(engine, slack_senders(engine, runtime.client), config, case.id)
    update = fake_slack.calls_to("chat.update")[-1].params
    assert update["channel"] == "C0VMKFITTR"
    message = next(m for m in fake_slack.posted() if m["channel"] == "C0VMKFITTR")
    assert "*Status: Tagen*" in message["text"] or any(
        "*Status: Tagen*" in block.get("text", {}).get("text", "") for block in message["blocks"]
    )


@pytest.mark.parametrize("who", ["kvalitetschef", "forbundschef", "it-stf", "it-chef"])
def test_handlers_quality_manager_and_director_may_take(engine, example_config, case, who):
    taken = _step(engine, service.take, example_config, example_config.person(who), case_id=case.id, now=MONDAY)
    assert taken.assignee == who


@pytest.mark.parametrize("who", ["specialist-chef", "kommunchef-arboga", "kommunikator", None])
def test_others_are_refused_and_nothing_changes(engine, example_config, case, who):
    person = example_config.person(who) if who else None
    for step, args in (
        (service.take, {}),
        (service.assign, {"assignee_id": "it-stf"}),
        (service.answer, {"text": "Svar"}),
        (service.close, {"resolution": "Klart"}),
        (service.set_confidential, {}),
    ):
        with pytest.raises(NotAllowed):
            _step(engine, step, example_config, person, case_id=case.id, now=MONDAY, **args)
    with session_scope(engine) as session:
        stored = session.get(FeedbackCase, case.id)
        answers = session.exec(select(Delivery).where(Delivery.occurrence_key.startswith("answer:"))).all()
    assert (stored.status, stored.assignee, stored.answer, stored.confidential) == ("new", None, None, False)
    assert answers == []
    assert _events(engine, case.id) == [("registered", None, None)]


def test_assigning_to_someone_outside_the_handling_group_is_refused(engine, example_config, case):
    head = example_config.person("it-chef")
    with pytest.raises(CaseRefused) as refused:
        _step(engine, service.assign, example_config, head, case_id=case.id, assignee_id="lon-stf", now=MONDAY)
    assert refused.value.reason == "not_handler"


def test_a_closed_case_must_be_reopened_before_answering(engine, example_config, case):
    head = example_config.person("it-chef")
    _step(engine, service.close, example_config, head, case_id=case.id, resolution="Dubblett av 2027-0000", now=MONDAY)
    with pytest.raises(CaseRefused) as refused:
        _step(engine, service.answer, example_config, head, case_id=case.id, text="Svar", now=MONDAY)
    assert (refused.value.reason, refused.value.number) == ("closed", "VMKF 2027-0001")
    with pytest.raises(CaseRefused):
        _step(engine, service.close, example_config, head, case_id=case.id, resolution="igen", now=MONDAY)


def test_reopening_an_open_case_is_refused(engine, example_config, case):
    with pytest.raises(CaseRefused) as refused:
        _step(engine, service.reopen, example_config, example_config.person("it-chef"), case_id=case.id, now=MONDAY)
    assert refused.value.reason == "not_closed"


def test_empty_answer_and_resolution_are_refused(engine, example_config, case):
    head = example_config.person("it-chef")
    with pytest.raises(InvalidReport):
        _step(engine, service.answer, example_config, head, case_id=case.id, text="  ", now=MONDAY)
    with pytest.raises(InvalidReport):
        _step(engine, service.close, example_config, head, case_id=case.id, resolution="", now=MONDAY)


def test_answer_to_an_anonymous_case_is_stored_but_not_sent(engine, example_config, runtime, fake_slack):
    case = register(engine, example_config, a_report(anonymous=True), MONDAY)
    head = example_config.person("it-chef")
    _step(engine, service.answer, example_config, head, case_id=case.id, text="Tack, vi åtgärdar.", now=MONDAY)
    run_tick(engine, runtime.senders, example_config, MONDAY)
    with session_scope(engine) as session:
        assert session.get(FeedbackCase, case.id).answer == "Tack, vi åtgärdar."
        rows = session.exec(select(Delivery).where(Delivery.source == "case")).all()
    assert [(row.occurrence_key, row.status) for row in rows] == [("triage", "sent")]


def test_confidential_case_shows_only_number_category_and_deadline(engine, example_config, case, runtime, fake_slack):
    run_tick(engine, runtime.senders, example_config, MONDAY)
    head = example_config.person("it-chef")
    marked = _step(engine, service.set_confidential, example_config, head, case_id=case.id, now=MONDAY)
    assert marked.confidential
    assert refresh_triage(engine, slack_senders(engine, runtime.client), example_config, case.id)
    message = next(m for m in fake_slack.posted() if m["channel"] == "C0VMKFITTR")
    shown = message["text"] + "".join(b.get("text", {}).get("text", "") for b in message["blocks"])
    assert "VMKF 2027-0001" in shown and "Klagomål" in shown and "15 februari 2027" in shown
    for secret in ("Skrivarna", "Arboga", REPORTER, "IT-drift"):
        assert secret not in shown
    with session_scope(engine) as session:
        row = session.exec(select(Delivery).where(Delivery.occurrence_key == "triage")).one()
    assert "Skrivarna" not in row.text + row.message
    buttons = [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "case_show" in buttons

    unmarked = _step(engine, service.set_confidential, example_config, head, case_id=case.id, now=MONDAY)
    assert not unmarked.confidential
    refresh_triage(engine, slack_senders(engine, runtime.client), example_config, case.id)
    message = next(m for m in fake_slack.posted() if m["channel"] == "C0VMKFITTR")
    assert "Skrivarna" in "".join(b.get("text", {}).get("text", "") for b in message["blocks"])


def test_a_case_marked_confidential_before_posting_is_posted_restricted(
    engine, example_config, case, runtime, fake_slack
):
    _step(
        engine,
        service.set_confidential,
        example_config,
        example_config.person("kvalitetschef"),
        case_id=case.id,
        now=MONDAY,
    )
    # not posted yet: the row is rewritten
    assert not refresh_triage(engine, slack_senders(engine, runtime.client), example_config, case.id)
    run_tick(engine, runtime.senders, example_config, MONDAY)
    message = next(m for m in fake_slack.posted() if m["channel"] == "C0VMKFITTR")
    assert "Skrivarna" not in message["text"] + str(message["blocks"])


def test_update_failure_is_logged_not_raised(engine, example_config, case, runtime, fake_slack, caplog):
    run_tick(engine, runtime.senders, example_config, MONDAY)
    fake_slack.fail_next("chat.update", status=200, error="message_not_found")
    assert not refresh_triage(engine, slack_senders(engine, runtime.client), example_config, case.id)
    assert "could not update the triage message of case VMKF 2027-0001" in caplog.text


def test_a_step_during_a_refresh_is_shown_too(engine, example_config, case, runtime, fake_slack):
    run_tick(engine, runtime.senders, example_config, MONDAY)
    head = example_config.person("it-chef")
    real_update = runtime.client.chat_update
    steps = []

    def update_while_someone_takes_the_case(**kwargs):
        response = real_update(**kwargs)
        if not steps:  # another handler acts between our read and our update
            steps.append(_step(engine, service.take, example_config, head, case_id=case.id, now=MONDAY))
        return response

    runtime.client.chat_update = update_while_someone_takes_the_case
    assert refresh_triage(engine, slack_senders(engine, runtime.client), example_config, case.id)
    assert len(fake_slack.calls_to("chat.update")) == 2
    message = next(m for m in fake_slack.posted() if m["channel"] == "C0VMKFITTR")
    assert "*Status: Tagen*" in "".join(b.get("text", {}).get("text", "") for b in message["blocks"])


def test_taking_a_case_someone_else_has_is_refused_and_changes_nothing(engine, example_config, case):
    _step(engine, service.take, example_config, example_config.person("it-chef"), case_id=case.id, now=MONDAY)
    with pytest.raises(CaseRefused) as refused:
        _step(engine, service.take, example_config, example_config.person("it-stf"), case_id=case.id, now=MONDAY)
    assert (refused.value.reason, refused.value.detail) == ("already_taken", "IT-chefen (exempel)")
    with session_scope(engine) as session:
        assert session.get(FeedbackCase, case.id).assignee == "it-chef"
    assert [kind for kind, _, _ in _events(engine, case.id)] == ["registered", "taken"]


def test_a_failed_update_is_an_outbox_row_failed_and_reported_to_the_department_head(
    engine, example_config, case, runtime, fake_slack
):
    run_tick(engine, runtime.senders, example_config, MONDAY)
    fake_slack.fail_next("chat.update", status=200, error="message_not_found")
    assert not refresh_triage(engine, runtime.senders, example_config, case.id, MONDAY)
    with session_scope(engine) as session:
        rows = session.exec(select(Delivery).order_by(Delivery.id)).all()
    [update] = [row for row in rows if row.row_kind == "update"]
    assert update.status == "failed" and update.error == "message_not_found" and update.message == "{}"
    assert [row.recipient for row in rows if row.source == "failure-report"] == ["person:it-chef"]
