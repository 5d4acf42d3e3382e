"""A triage message that may already be in the channel is brought up to date through the outbox, and the delivery
status lists posts, not the updates of them."""

from sqlmodel import select

from bot.cases import service
from bot.cases.triage import refresh_triage
from bot.delivery.status import delivery_status
from bot.tick import run_tick
from storage import outbox
from storage.engine import session_scope
from storage.outbox import Delivery, DeliveryStatus, RowKind
from tests.cases_support import a_report, register
from tests.conftest import local

MONDAY = local(2027, 2, 1, 9, 0)
LATER = local(2027, 2, 1, 9, 5)


def _triage_row(engine) -> Delivery:
    with session_scope(engine) as session:
        return session.exec(select(Delivery).where(Delivery.kind == "case_triage", Delivery.row_kind == "post")).one()


def _take(engine, config, case_id, now):
    with session_scope(engine) as session:
        service.take(session=session, config=config, person=config.person("it-chef"), case_id=case_id, now=now)


def test_a_click_while_the_post_may_be_in_the_channel_unrecorded_updates_it_once_it_is_recorded(
    engine, example_config, runtime, fake_slack
):
    fake_slack.use_clock(MONDAY.timestamp)  # the posts' ts follow the tick's time, as Slack's follow real time
    case = register(engine, example_config, a_report(), MONDAY)
    run_tick(engine, runtime.senders, example_config, MONDAY)  # posted, as "Ny"
    triage = _triage_row(engine)
    with session_scope(engine) as session:  # as after a 5xx: posted, but not recorded as sent
        outbox.mark(session, triage.id, status=DeliveryStatus.PENDING, check_before_post=True, posted_id=None)
    _take(engine, example_config, case.id, LATER)

    assert not refresh_triage(engine, runtime.senders, example_config, case.id, LATER)  # waits for the post
    run_tick(engine, runtime.senders, example_config, local(2027, 2, 1, 9, 6))  # finds the post, records it
    run_tick(engine, runtime.senders, example_config, local(2027, 2, 1, 9, 30))  # the update's retry

    [update] = fake_slack.calls_to("chat.update")
    shown = "".join(block.get("text", {}).get("text", "") for block in update.params["blocks"])
    assert "*Status: Tagen*" in shown
    assert [m for m in fake_slack.posted() if m["channel"] == "C0VMKFITTR"][1:] == []  # never posted twice


def test_a_click_before_the_post_goes_out_queues_no_update(engine, example_config, runtime, fake_slack):
    case = register(engine, example_config, a_report(), MONDAY)
    _take(engine, example_config, case.id, MONDAY)
    assert not refresh_triage(engine, runtime.senders, example_config, case.id, MONDAY)
    with session_scope(engine) as session:
        assert session.exec(select(Delivery).where(Delivery.row_kind == RowKind.UPDATE)).all() == []


def test_the_status_lists_posts_not_their_updates(engine, example_config, runtime, fake_slack):
    case = register(engine, example_config, a_report(), MONDAY)
    run_tick(engine, runtime.senders, example_config, MONDAY)
    _take(engine, example_config, case.id, LATER)
    assert refresh_triage(engine, runtime.senders, example_config, case.id, LATER)
    with session_scope(engine) as session:
        view = delivery_status(session=session, config=example_config, person=example_config.role_holder("director"))
        sent = session.exec(select(Delivery).where(Delivery.status == DeliveryStatus.SENT)).all()
    assert any(row.row_kind == RowKind.UPDATE for row in sent)
    assert len(view.sent) == sum(1 for row in sent if row.row_kind == RowKind.POST)
